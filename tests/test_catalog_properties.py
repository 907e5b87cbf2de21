"""Stateful property test of the catalog merge: random brief edits interleaved
with ``update_catalog`` runs and translator reviews done in plain Babel.

Invariants after every step:

* every reviewed translation a translator made (and has not since replaced)
  is still in the PO file, live or obsolete;
* every live, non-fuzzy, translated entry translates the current source text
  of the field its msgctxt names, and is a translation that was reviewed for
  exactly that text: nothing is ever attached to the wrong field, and no
  draft (machine or fuzzy-matched) ever comes back as reviewed;
* right after an update, the live entries are exactly the brief's fields, in order.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import polybrief
from polybrief import get_locale, translation_units, update_catalog
from polybrief.catalogs.repository import po_path

# A small vocabulary so that texts collide: the same sentence in two fields,
# a text moving from one field to another, a text coming back after removal.
TEXTS = st.sampled_from(["alpha", "beta", "gamma", "delta", "alpha beta", "beta gamma", "Δέλτα", "ալֆա"])
RU = get_locale("ru")


def _read(path: Path):
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        return read_po(handle, abort_invalid=True)


def _write(path: Path, catalog) -> None:
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())


def _forms(string) -> tuple[str, ...]:
    return tuple(string) if isinstance(string, (tuple, list)) else (string,)


def _singular(msgid) -> str:
    return msgid[0] if isinstance(msgid, (tuple, list)) else msgid


class CatalogMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="polybrief-props-"))
        self.headline = "Headline"
        self.items: list[tuple[str, str]] = [("Label one", "alpha"), ("Label two", "beta")]
        self.updated_brief: polybrief.Brief | None = None
        self.reviews = 0
        self.reviewed_for: dict[tuple[str, ...], str] = {}  # review forms -> source text it translates
        self.expected: set[tuple[str, ...]] = set()  # reviews that must still be in the file

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- the brief ---------------------------------------------------------------

    def brief(self) -> polybrief.Brief:
        return polybrief.Brief.model_validate({
            "id": "prop", "headline": self.headline,
            "dateline": {"place": "Tbilisi", "date": "2024-05-01"}, "published": "2024-05-01T08:00:00+04:00",
            "lead": ["Lead paragraph."],
            "sections": [{"heading": "Updates", "items": [{"label": lab, "text": txt} for lab, txt in self.items]}],
            "figures": [{"label": "Residents", "value": 21, "unit": {"one": "resident", "other": "residents"}}],
        })

    @property
    def path(self) -> Path:
        return po_path(self.tmp, RU, "prop")

    @rule(index=st.integers(0, 20), text=TEXTS)
    def edit_item(self, index, text):
        i = index % len(self.items)
        self.items[i] = (self.items[i][0], text)

    @rule(index=st.integers(0, 20), label=TEXTS, text=TEXTS)
    def add_item(self, index, label, text):
        self.items.insert(index % (len(self.items) + 1), (label, text))

    @precondition(lambda self: len(self.items) > 1)
    @rule(index=st.integers(0, 20))
    def remove_item(self, index):
        del self.items[index % len(self.items)]

    @rule(data=st.data())
    def reorder_items(self, data):
        self.items = data.draw(st.permutations(self.items))

    @rule(text=TEXTS)
    def change_headline(self, text):
        self.headline = text

    # -- the catalog ---------------------------------------------------------------

    @rule()
    def update(self):
        brief = self.brief()
        update_catalog(brief, RU, self.tmp)
        self.updated_brief = brief
        catalog = _read(self.path)
        live = [m for m in catalog if m.id]
        assert [m.context for m in live] == [u.path for u in translation_units(brief)]

    @precondition(lambda self: self.updated_brief is not None)
    @rule(data=st.data())
    def translator_reviews(self, data):
        catalog = _read(self.path)
        live = [m for m in catalog if m.id]
        message = data.draw(st.sampled_from(live))
        old = _forms(message.string)
        self.reviews += 1
        if isinstance(message.id, (tuple, list)):
            forms = tuple(f"R{self.reviews}.{n}" for n in range(catalog.num_plurals))
            message.string = forms
        else:
            forms = (f"R{self.reviews}",)
            message.string = forms[0]
        message.flags.discard("fuzzy")
        _write(self.path, catalog)
        self.reviewed_for[forms] = _singular(message.id)
        self.expected.add(forms)
        # the translator replaced the old text of this entry; keep expecting it only if it lives on elsewhere
        if old in self.expected and old not in self._all_forms():
            self.expected.discard(old)

    @precondition(lambda self: self.updated_brief is not None)
    @rule(data=st.data())
    def translator_marks_draft(self, data):
        catalog = _read(self.path)
        translated = [m for m in catalog if m.id and any(_forms(m.string))]
        if translated:
            data.draw(st.sampled_from(translated)).flags.add("fuzzy")
            _write(self.path, catalog)

    @precondition(lambda self: self.updated_brief is not None)
    @rule()
    def machine_fills_drafts(self):
        """Like ``polybrief translate``: every untranslated entry gets a fuzzy machine draft."""
        catalog = _read(self.path)
        for message in catalog:
            if message.id and not any(_forms(message.string)):
                self.reviews += 1
                if isinstance(message.id, (tuple, list)):
                    message.string = tuple(f"M{self.reviews}.{n}" for n in range(catalog.num_plurals))
                else:
                    message.string = f"M{self.reviews}"
                message.flags.add("fuzzy")
        _write(self.path, catalog)

    def _all_forms(self) -> set[tuple[str, ...]]:
        if not self.path.exists():
            return set()
        catalog = _read(self.path)
        return {_forms(m.string) for m in [*catalog, *catalog.obsolete.values()] if m.id}

    # -- invariants ----------------------------------------------------------------

    @invariant()
    def reviewed_translations_are_never_lost(self):
        missing = self.expected - self._all_forms()
        assert not missing, missing

    @invariant()
    def nothing_attached_to_the_wrong_field(self):
        if self.updated_brief is None:
            return
        source = {u.path: u.text for u in translation_units(self.updated_brief)}
        catalog = _read(self.path)
        for message in catalog:
            if not message.id or message.fuzzy or not all(_forms(message.string)):
                continue
            assert _singular(message.id) == source[message.context], message.context
            forms = _forms(message.string)
            # a draft (machine or fuzzy-matched) never turns into a reviewed translation by itself
            assert forms in self.reviewed_for, (message.context, forms)
            assert self.reviewed_for[forms] == _singular(message.id), (message.context, forms)

    @invariant()
    def the_file_is_loadable_by_polybrief(self):
        if self.updated_brief is not None:
            loaded = polybrief.load_brief_catalog(self.updated_brief, RU, self.tmp)
            assert loaded is not None


CatalogMachine.TestCase.settings = settings(
    max_examples=50, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestCatalogMerge = CatalogMachine.TestCase
