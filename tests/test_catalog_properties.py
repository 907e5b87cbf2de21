"""Stateful property test of the catalog merge against an oracle.

Random brief edits -- insert, delete, move, edit, duplicate text, relabel, a
plural form changed, explicit keys -- interleaved with ``update_catalog`` runs,
translator reviews (done in polib, as a PO editor would), translators marking
drafts, and machine drafts filling empty entries and suggestions.

The oracle remembers every review: which key, which source text (and plural
source) it was made for, and its forms.  Invariants after every step:

* **never attached to the wrong field**: every field the catalog would publish
  as *reviewed* has a review made for exactly its key and its current source
  text, with exactly those forms;
* **never lost**: every review that a translator has not replaced is still in
  the file, live (reviewed or fuzzy) or obsolete;
* a suggestion (a translation carried from another key) is never returned by
  ``lookup``, so never published and never satisfies ``--strict``;
* right after an update the live entries are exactly the brief's fields, in
  order, and the file passes ``msgfmt -c`` and reads back the same in polib
  and translate-toolkit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import polybrief
from polybrief import get_locale, translation_units, update_catalog
from polybrief.catalogs.drafts import fill_machine_drafts
from polybrief.catalogs.repository import po_path
from polybrief.mt import MachineTranslation
from test_catalog_interop import assert_reads_back_alike

# A small vocabulary so that texts collide: the same sentence in two fields,
# a text moving from one field to another, a text coming back after removal.
TEXTS = st.sampled_from(["alpha", "beta", "gamma", "delta", "alpha beta", "beta gamma", "Δέλτα", "ալֆա"])
LABELS = st.sampled_from(["Statement", "Casualties", "Aid", "Statement of the ministry", "Ցուցակ"])
UNITS = st.sampled_from([("resident", "residents"), ("resident", "people"), ("child", "children"),
                         ("child", "minors")])
RU = get_locale("ru")
MSGFMT = shutil.which("msgfmt")


def _forms(entry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural, key=int))
    return (entry.msgstr,)


def _read(path: Path):
    import polib

    return polib.pofile(str(path))


class CatalogMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="polybrief-props-"))
        self.headline = "Headline"
        self.items: list[dict[str, str]] = [{"label": "Casualties", "text": "alpha"},
                                            {"label": "Statement", "text": "beta"}]
        self.unit = ("resident", "residents")
        self.updated_brief: polybrief.Brief | None = None
        self.reviews = 0
        # oracle: review forms -> (key, source text, plural source) it was made for
        self.reviewed_for: dict[tuple[str, ...], tuple[str, str, str | None]] = {}
        self.expected: set[tuple[str, ...]] = set()  # reviews that must still be in the file

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- the brief ---------------------------------------------------------------

    def brief(self) -> polybrief.Brief:
        return polybrief.Brief.model_validate({
            "id": "prop", "headline": self.headline,
            "dateline": {"place": "Tbilisi", "date": "2024-05-01"}, "published": "2024-05-01T08:00:00+04:00",
            "lead": ["Lead paragraph."],
            "sections": [{"heading": "Updates", "items": [dict(item) for item in self.items]}],
            "figures": [{"label": "Residents", "value": 21, "unit": {"one": self.unit[0], "other": self.unit[1]}}],
        })

    @property
    def path(self) -> Path:
        return po_path(self.tmp, RU, "prop")

    @rule(index=st.integers(0, 20), text=TEXTS)
    def edit_item(self, index, text):
        self.items[index % len(self.items)]["text"] = text

    @rule(index=st.integers(0, 20), label=LABELS)
    def relabel_item(self, index, label):
        self.items[index % len(self.items)]["label"] = label

    @rule(index=st.integers(0, 20), label=LABELS, text=TEXTS)
    def insert_item(self, index, label, text):
        self.items.insert(index % (len(self.items) + 1), {"label": label, "text": text})

    @rule(source=st.integers(0, 20), index=st.integers(0, 20))
    def insert_duplicate_text(self, source, index):
        """A new item with the label and text of an existing one (shared source text)."""
        copy = dict(self.items[source % len(self.items)])
        copy.pop("key", None)
        self.items.insert(index % (len(self.items) + 1), copy)

    @precondition(lambda self: len(self.items) > 1)
    @rule(index=st.integers(0, 20))
    def delete_item(self, index):
        del self.items[index % len(self.items)]

    @precondition(lambda self: len(self.items) > 1)
    @rule(source=st.integers(0, 20), to=st.integers(0, 20))
    def move_item(self, source, to):
        item = self.items.pop(source % len(self.items))
        self.items.insert(to % (len(self.items) + 1), item)

    @rule(index=st.integers(0, 20), key=st.sampled_from(["first", "second", "kept"]))
    def give_explicit_key(self, index, key):
        if all(item.get("key") != key for item in self.items):
            self.items[index % len(self.items)]["key"] = key

    @rule(unit=UNITS)
    def edit_plural_unit(self, unit):
        self.unit = unit

    @rule(text=TEXTS)
    def change_headline(self, text):
        self.headline = text

    # -- the catalog ---------------------------------------------------------------

    @rule()
    def update(self):
        brief = self.brief()
        update_catalog(brief, RU, self.tmp)
        self.updated_brief = brief
        live = [e for e in _read(self.path) if not e.obsolete]
        assert [e.msgctxt for e in live] == [u.path for u in translation_units(brief)]
        if MSGFMT:
            check = subprocess.run([MSGFMT, "-c", "-o", os.devnull, str(self.path)], capture_output=True, text=True)
            assert check.returncode == 0, check.stderr
        assert_reads_back_alike(self.path)

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
        self.reviewed_for[forms] = (entry.msgctxt, entry.msgid, entry.msgid_plural or None)
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
    def nothing_is_published_as_reviewed_for_another_key_or_text(self):
        if self.updated_brief is None:
            return
        brief = self.brief()  # the brief as it is now, updated or not: what publish would read
        catalog = polybrief.load_brief_catalog(brief, RU, self.tmp)
        for unit in translation_units(brief):
            entry = catalog.lookup(unit)
            if entry is not None and not entry.fuzzy:
                assert entry.forms in self.reviewed_for, (unit.path, entry.forms)
                assert self.reviewed_for[entry.forms] == (unit.path, unit.text, unit.plural), (unit.path, entry.forms)
            if entry is not None:
                assert not entry.suggestion
            suggestion = catalog.suggestion(unit)
            assert suggestion is None or suggestion.fuzzy


CatalogMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestCatalogMerge = CatalogMachine.TestCase
