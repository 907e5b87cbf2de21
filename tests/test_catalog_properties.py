"""Stateful property test of the catalog merge against an oracle, and properties of the key rules.

Random brief edits -- insert, delete, move (within and between sections),
edit, duplicate text, relabel, rename a heading, a plural form changed,
explicit keys -- interleaved with ``update_catalog`` runs, translator reviews
(done in polib, as a PO editor would), translators marking drafts, and
machine drafts filling empty entries and suggestions.

The oracle remembers every review: which item (by identity, not by key) and
which field it was made for, the source text, and, for an item's label, the
item's text at the time (the label is translated for it: "Statement" is
"Заявление Азербайджана" because of the text).  Invariants after every step:

* **never attached to the wrong field**: every field the catalog would publish
  as *reviewed* has a review made for the same kind of field and exactly its
  current source text; an item's label, moreover, was reviewed for this
  item, or for an item whose text was the same or similar (the merge's
  threshold) -- keys may change (a heading renamed, an item moved or keyed),
  the translation follows the content;
* **never lost**: every review that a translator has not replaced is still in
  the file, live (reviewed or fuzzy) or obsolete;
* a suggestion (a translation carried from another key) is never returned by
  ``lookup``, so never published and never satisfies ``--strict``;
* right after an update the live entries are exactly the brief's fields, in
  order, and the file passes ``msgfmt -c`` and reads back the same in polib
  and translate-toolkit;
* **edits that change only keys cost nothing**: a heading renamed, an item
  moved to the other section or given a ``key:``, then ``update``: every
  field published as reviewed before still is.
"""

from __future__ import annotations

import difflib
import itertools
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import polybrief
from polybrief import get_locale, translation_units, update_catalog
from polybrief.catalogs.drafts import fill_machine_drafts
from polybrief.catalogs.repository import po_path
from polybrief.fields import list_keys
from polybrief.mt import MachineTranslation
from test_catalog_interop import assert_reads_back_alike

# A small vocabulary so that texts collide: the same sentence in two fields,
# a text moving from one field to another, a text coming back after removal.
TEXTS = st.sampled_from(["alpha", "beta", "gamma", "delta", "alpha beta", "beta gamma", "Δέλτα", "ալֆա"])
LABELS = st.sampled_from(["Statement", "Casualties", "Aid", "Statement of the ministry", "Ցուցակ"])
HEADINGS = st.sampled_from(["Updates", "Updtaes", "Key updates", "Reactions", "Reactoins"])
UNITS = st.sampled_from([("resident", "residents"), ("resident", "people"), ("child", "children"),
                         ("child", "minors")])
RU = get_locale("ru")
MSGFMT = shutil.which("msgfmt")
_ids = itertools.count(1)


def _forms(entry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural, key=int))
    return (entry.msgstr,)


def _read(path: Path):
    import polib

    return polib.pofile(str(path))


def _similar(a: str, b: str) -> bool:
    """The merge's documented measure: difflib's ratio at least 0.6."""
    return a == b or difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.6


def _item(label: str, text: str) -> dict[str, object]:
    return {"label": label, "text": text, "_id": next(_ids)}


class CatalogMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="polybrief-props-"))
        self.headline = "Headline"
        self.headings = ["Updates", "Reactions"]
        self.sections: list[list[dict[str, object]]] = [[_item("Casualties", "alpha"), _item("Statement", "beta")],
                                                        [_item("Aid", "gamma")]]
        self.unit = ("resident", "residents")
        self.updated_brief: polybrief.Brief | None = None
        self.owners: dict[str, tuple[int | None, str, str | None]] = {}  # key -> (item id, field, item text)
        self.reviews = 0
        # oracle: review forms -> (item id, field, source text, plural source, the item's text for a label)
        self.reviewed_for: dict[tuple[str, ...], tuple[int | None, str, str, str | None, str | None]] = {}
        self.expected: set[tuple[str, ...]] = set()  # reviews that must still be in the file

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- the brief ---------------------------------------------------------------

    @property
    def items(self) -> list[dict[str, object]]:
        return [item for section in self.sections for item in section]

    def brief(self) -> polybrief.Brief:
        return polybrief.Brief.model_validate({
            "id": "prop", "headline": self.headline,
            "dateline": {"place": "Tbilisi", "date": "2024-05-01"}, "published": "2024-05-01T08:00:00+04:00",
            "lead": ["Lead paragraph."],
            "sections": [{"heading": heading, "items": [{k: v for k, v in item.items() if k != "_id"}
                                                        for item in section]}
                         for heading, section in zip(self.headings, self.sections) if section],
            "figures": [{"label": "Residents", "value": 21, "unit": {"one": self.unit[0], "other": self.unit[1]}}],
        })

    def owner_map(self, brief: polybrief.Brief) -> dict[str, tuple[int | None, str, str | None]]:
        """Each field's key -> (the item it belongs to, the field's name, the item's text for a label)."""
        by_position = {}
        for number, section in enumerate(section for section in self.sections if section):
            for i, item in enumerate(section):
                by_position[f"sections[{number}].items[{i}]"] = item
        out = {}
        for unit in translation_units(brief):
            element, _, name = unit.position.rpartition(".")
            item = by_position.get(element)
            if item is not None:
                out[unit.path] = (int(item["_id"]), name, str(item["text"]) if name == "label" else None)
            else:
                out[unit.path] = (None, unit.path.split("[")[0] + (f".{name}" if "]." in unit.path else ""), None)
        return out

    @property
    def path(self) -> Path:
        return po_path(self.tmp, RU, "prop")

    def _pick(self, index: int) -> tuple[list[dict[str, object]], int]:
        flat = [(section, i) for section in self.sections for i in range(len(section))]
        return flat[index % len(flat)]

    @rule(index=st.integers(0, 20), text=TEXTS)
    def edit_item(self, index, text):
        section, i = self._pick(index)
        section[i]["text"] = text

    @rule(index=st.integers(0, 20), label=LABELS)
    def relabel_item(self, index, label):
        section, i = self._pick(index)
        section[i]["label"] = label

    @rule(index=st.integers(0, 20), label=LABELS, text=TEXTS, where=st.integers(0, 1))
    def insert_item(self, index, label, text, where):
        section = self.sections[where]
        section.insert(index % (len(section) + 1), _item(label, text))

    @rule(source=st.integers(0, 20), index=st.integers(0, 20))
    def insert_duplicate_text(self, source, index):
        """A new item with the label and text of an existing one (shared source text), e.g. before it."""
        section, i = self._pick(source)
        copy = {k: v for k, v in section[i].items() if k not in ("key", "_id")}
        section.insert(index % (len(section) + 1), _item(str(copy["label"]), str(copy["text"])))

    @precondition(lambda self: len(self.items) > 1)
    @rule(index=st.integers(0, 20))
    def delete_item(self, index):
        section, i = self._pick(index)
        del section[i]

    @precondition(lambda self: len(self.items) > 1)
    @rule(source=st.integers(0, 20), to=st.integers(0, 20), where=st.integers(0, 1))
    def move_item(self, source, to, where):
        section, i = self._pick(source)
        item = section.pop(i)
        target = self.sections[where]
        target.insert(to % (len(target) + 1), item)

    @rule(index=st.integers(0, 20), key=st.sampled_from(["first", "second", "kept"]))
    def give_explicit_key(self, index, key):
        if all(item.get("key") != key for item in self.items):
            section, i = self._pick(index)
            section[i]["key"] = key

    @rule(which=st.integers(0, 1), heading=HEADINGS)
    def rename_heading(self, which, heading):
        if heading not in self.headings:
            self.headings[which] = heading

    @rule(unit=UNITS)
    def edit_plural_unit(self, unit):
        self.unit = unit

    @rule(text=TEXTS)
    def change_headline(self, text):
        self.headline = text

    # -- the catalog ---------------------------------------------------------------

    def _published_reviewed(self, brief: polybrief.Brief) -> set[tuple[object, ...]]:
        """What is published as reviewed, by content: (field, source, the item's text for a label, forms);
        identical twins may trade translations, which are then the same translation of the same thing."""
        catalog = polybrief.load_brief_catalog(brief, RU, self.tmp)
        owners = self.owner_map(brief)
        out = set()
        for unit in translation_units(brief):
            entry = catalog.lookup(unit)
            if entry is not None and not entry.fuzzy and not unit.path.endswith(".heading"):
                _, name, context = owners[unit.path]
                out.add((name, unit.text, unit.plural, context, entry.forms))
        return out

    def _update(self) -> None:
        brief = self.brief()
        update_catalog(brief, RU, self.tmp)
        self.updated_brief = brief
        self.owners = self.owner_map(brief)
        live = [e for e in _read(self.path) if not e.obsolete]
        assert [e.msgctxt for e in live] == [u.path for u in translation_units(brief)]
        if MSGFMT:
            check = subprocess.run([MSGFMT, "-c", "-o", os.devnull, str(self.path)], capture_output=True, text=True)
            assert check.returncode == 0, check.stderr
        assert_reads_back_alike(self.path)
        self._rebase(brief)

    def _rebase(self, brief: polybrief.Brief) -> None:
        """After an update, a label's review belongs to the item it is published for now (checked just before
        by the invariant, step by step), with that item's text as its context."""
        self.nothing_is_published_as_reviewed_for_another_field_or_text()
        catalog = polybrief.load_brief_catalog(brief, RU, self.tmp)
        for unit in translation_units(brief):
            entry = catalog.lookup(unit)
            if entry is not None and not entry.fuzzy and entry.forms in self.reviewed_for:
                item, name, context = self.owners[unit.path]
                _, _, text, plural, _ = self.reviewed_for[entry.forms]
                self.reviewed_for[entry.forms] = (item, name, text, plural, context)

    @rule()
    def update(self):
        self._update()

    @precondition(lambda self: self.updated_brief is not None and self.updated_brief == self.brief())
    @rule(data=st.data())
    def keys_change_but_nothing_is_reapproved(self, data):
        """A heading renamed, an item moved to the other section or given a key: no review is lost."""
        before = self._published_reviewed(self.brief())
        edit = data.draw(st.sampled_from(["heading", "move", "key"]))
        if edit == "heading":
            self.headings[0] = self.headings[0] + "s"
        elif edit == "move" and len(self.items) > 1:
            section, i = self._pick(data.draw(st.integers(0, 20)))
            item = section.pop(i)
            self.sections[1 - self.sections.index(section)].append(item)
        elif edit == "key":
            section, i = self._pick(data.draw(st.integers(0, 20)))
            if "key" not in section[i] and all(item.get("key") != "added" for item in self.items):
                section[i]["key"] = "added"
        self._update()
        after = self._published_reviewed(self.brief())
        assert before <= after, (edit, before - after)

    @precondition(lambda self: self.updated_brief is not None)
    @rule(data=st.data())
    def translator_reviews(self, data):
        catalog = _read(self.path)
        live = [e for e in catalog if not e.obsolete]
        entry = data.draw(st.sampled_from(live))
        old = _forms(entry)
        self.reviews += 1
        if entry.msgid_plural:
            # a figure's unit is a phrase: the translator keeps its {count}
            count = "{count} " if "{count}" in entry.msgid else ""
            forms = tuple(f"{count}R{self.reviews}.{n}" for n in range(len(entry.msgstr_plural)))
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            forms = (f"R{self.reviews}",)
            entry.msgstr = forms[0]
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None  # as Poedit does
        catalog.save(str(self.path))
        item, name, context = self.owners[entry.msgctxt]
        self.reviewed_for[forms] = (item, name, entry.msgid, entry.msgid_plural or None, context)
        self.expected.add(forms)
        # the translator replaced the old text of this entry; keep expecting it only if it lives on elsewhere
        if old in self.expected and old not in self._all_forms():
            self.expected.discard(old)

    @precondition(lambda self: self.updated_brief is not None)
    @rule(data=st.data())
    def translator_marks_draft(self, data):
        catalog = _read(self.path)
        translated = [e for e in catalog if not e.obsolete and any(_forms(e))]
        if translated:
            entry = data.draw(st.sampled_from(translated))
            if "fuzzy" not in entry.flags:
                entry.flags.insert(0, "fuzzy")
            catalog.save(str(self.path))

    @precondition(lambda self: self.updated_brief is not None)
    @rule()
    def machine_fills_drafts(self):
        """Like ``polybrief translate``: empty entries and suggestions get fuzzy machine drafts."""
        brief = self.updated_brief
        catalog = polybrief.load_brief_catalog(brief, RU, self.tmp)
        drafts = {}
        for unit in translation_units(brief):
            if catalog.lookup(unit) is None:
                self.reviews += 1
                drafts[unit.path] = MachineTranslation(text=f"M{self.reviews}", score=-1.0, engine="test",
                                                       models=("test-en-ru",))
        fill_machine_drafts(brief, RU, self.tmp, drafts)

    def _all_forms(self) -> set[tuple[str, ...]]:
        if not self.path.exists():
            return set()
        return {_forms(e) for e in _read(self.path)}

    # -- invariants ----------------------------------------------------------------

    @invariant()
    def reviewed_translations_are_never_lost(self):
        missing = self.expected - self._all_forms()
        assert not missing, missing

    @invariant()
    def nothing_is_published_as_reviewed_for_another_field_or_text(self):
        if self.updated_brief is None:
            return
        brief = self.brief()  # the brief as it is now, updated or not: what publish would read
        catalog = polybrief.load_brief_catalog(brief, RU, self.tmp)
        owners = self.owner_map(brief)
        for unit in translation_units(brief):
            entry = catalog.lookup(unit)
            if entry is not None and not entry.fuzzy:
                assert entry.forms in self.reviewed_for, (unit.path, entry.forms)
                item, name, text, plural, context = self.reviewed_for[entry.forms]
                now_item, now_name, now_context = owners[unit.path]
                assert (name, text, plural) == (now_name, unit.text, unit.plural), (unit.path, entry.forms)
                if name == "label":  # translated for its item: this one, or one whose text was the same or close
                    assert item == now_item or _similar(str(context), str(now_context)), (
                        unit.path, entry.forms, context, now_context)
            if entry is not None:
                assert not entry.suggestion
            suggestion = catalog.suggestion(unit)
            assert suggestion is None or suggestion.fuzzy


CatalogMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestCatalogMerge = CatalogMachine.TestCase


# -- the key rules ---------------------------------------------------------------------------

LABEL = st.sampled_from(["Statement", "Aid", "Statement 2", "Casualties", "2023", "Aid!"])


def _items(labels: list[str]) -> list[polybrief.Brief]:
    return polybrief.Brief.model_validate({
        "id": "k", "headline": "H", "dateline": {"place": "P", "date": "2024-01-01"},
        "published": "2024-01-01T00:00:00+00:00", "lead": ["L."],
        "sections": [{"heading": "S", "items": [{"label": label, "text": f"t{n}"} for n, label in
                                                enumerate(labels)]}]}).sections[0].items


@settings(max_examples=200, deadline=None)
@given(st.lists(LABEL, min_size=1, max_size=12), LABEL)
def test_keys_are_unique_and_appending_never_rekeys(labels, extra):
    """Appending an element re-keys none before it -- with one exception the next property forces: an
    appended element whose own slug spells a twin's suffix ("Statement 2" after two "Statement" items)
    takes it, and the twins of that slug from that suffix on move one suffix up (the merge pairs them by
    content).  Appending a twin never re-keys anything."""
    keys = list_keys(_items(labels), field="items")
    assert len(set(keys)) == len(keys)
    new_keys = list_keys(_items([*labels, extra]), field="items")
    slugs = [list_keys(_items([label]), field="items")[0] for label in [*labels, extra]]
    taken = re.fullmatch(r"(.+)-(\d+)", slugs[-1]) if slugs[-1] not in slugs[:-1] else None
    for old, new in zip(keys, new_keys):
        if new == old:
            continue
        twin = re.fullmatch(r"(.+)-(\d+)", old) if old not in slugs[:-1] else None  # a suffix, not its own slug
        assert taken is not None and twin is not None and twin.group(1) == taken.group(1) \
            and int(twin.group(2)) >= int(taken.group(2)), (old, new)
    if slugs[-1] in slugs[:-1]:  # a twin appended
        assert new_keys[:-1] == keys


@settings(max_examples=200, deadline=None)
@given(st.lists(LABEL, min_size=1, max_size=12), st.integers(0, 12), LABEL)
def test_an_element_that_is_no_twin_keeps_its_key_wherever_others_come_and_go(labels, at, extra):
    """Inserting anywhere never changes the key of an element whose slug no other element shares."""
    keys = list_keys(_items(labels), field="items")
    inserted = [*labels[:at], extra, *labels[at:]]
    new_keys = list_keys(_items(inserted), field="items")
    slugs = [list_keys(_items([label]), field="items")[0] for label in inserted]
    for n, key in enumerate(keys):
        m = n + (n >= at)
        if slugs.count(slugs[m]) == 1:
            assert new_keys[m] == key == slugs[m]
