"""Which element of the old catalog each element of the brief continues: by key, by content, by similarity.

An *element* is what a key names: an item (its label and text), a section
(its heading), a figure (its label and unit), a quote, a source, a lead or
closing paragraph, and the brief itself (headline, standfirst) and its
dateline.  A translation is made for a field *in its element*: "Statement"
is "Заявление Азербайджана" because of the item's text.  So the merge
(:mod:`polybrief.catalogs.merge`) first decides, element by element, which
old element (live or obsolete entries under one key) a new one continues,
then applies the field rules inside each pair.

Pairs are made in this order, each step only among elements still unpaired,
old and new of the same kind (items with items):

1. **same key, same content** -- every field's source text as it was;
2. **same content under another key** -- every field's source identical to
   exactly one old element's, and that content found in only one new
   element: a heading renamed (the items' keys do not depend on it anyway),
   an item moved to another section, ``key:`` added, a twin inserted before
   its original, a catalog migrated from older keys;
3. **one field identical and unique** -- a field other than the title (an
   item's text, a figure's unit) whose source is found once among the new
   elements and in exactly one old element, and no other field changed
   beyond the threshold: the label was edited (its key with it);
4. **same key** -- unless the element was *replaced*: a field other than
   the title (and not a plural: a figure's unit is too short for a ratio to
   mean anything) changed beyond the threshold (then the old title's translation
   belongs to another element: a new item "Statement" about Yerevan does not
   inherit "Заявление Азербайджана");
5. **similar** -- every field shared by both at least :data:`SIMILARITY`
   similar (plurals aside, as in step 4), the title too: a heading or a paragraph's first words edited
   (its key changed with them); the most similar pair first.

Old elements with live entries are preferred over obsolete ones where the
content decides (steps 2 and 3).  Step 5 compares at most
:data:`SIMILARITY_BUDGET` pairs, so a brief whose every element changed
costs linear time, not quadratic: past the budget, elements stay unpaired
(their fields still get suggestions, never a wrong translation).

Similarity is difflib's ``SequenceMatcher.ratio`` over characters, at
least 0.6: GNU msgmerge's own fuzzy-match threshold (its ``fstrcmp`` is the
same measure).  It carries "Key Updates in the Confilct" to "Key Updates in
the Conflict" (0.98) and a sentence with a few words changed, and not
"announced on Tuesday ... military offensive" to "said on Wednesday that a
ceasefire had been agreed" (measured in ``tests/test_catalog_merge_rules.py``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..fields import Unit
from .entry import Entry

__all__ = ["SIMILARITY", "SIMILARITY_BUDGET", "similarity", "similar", "split_key", "kind_of", "NewElement",
           "OldElement", "Pairing", "new_elements", "old_elements", "pair_elements"]

SIMILARITY = 0.6
"""The least difflib ratio at which an edited text still carries its translation (msgmerge's threshold)."""

SIMILARITY_BUDGET = 200_000
"""The most (new, old) element pairs step 5 compares in one merge."""

_LIST_ELEMENT = re.compile(r"(\w+)\[[^\]]*\]$")

Source = tuple[str, "str | None"]


def similarity(a: str, b: str) -> float:
    """difflib's ratio of two texts (1.0 when equal), with its cheap upper bounds tried first."""
    if a == b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILARITY or matcher.quick_ratio() < SIMILARITY:
        return 0.0
    return matcher.ratio()


def similar(a: Source, b: Source) -> bool:
    """Whether two sources are equal, or similar enough to carry a translation: both singular or both plural,
    and the ``msgid`` (the singular) similar -- as msgmerge, for which ``msgid_plural`` is no part of a
    message's identity (``child``/``children`` -> ``child``/``minors`` is the same message)."""
    if a == b:
        return True
    if (a[1] is None) != (b[1] is None):
        return False
    return similarity(a[0], b[0]) >= SIMILARITY


def split_key(path: str) -> tuple[str, str]:
    """``(element, field)`` of a key path: ``items[a].label`` -> ``("items[a]", "label")``, a paragraph
    ``lead[a]`` -> ``("lead[a]", "")``, a field of the brief itself ``headline`` -> ``("", "headline")``."""
    if path.endswith("]"):
        return path, ""
    head, dot, last = path.rpartition(".")
    return (head, last) if dot else ("", path)


def kind_of(element: str) -> str:
    """What kind of element a key path names: the last list's name (``items``), else the path itself."""
    found = _LIST_ELEMENT.search(element)
    return found.group(1) if found else element


@dataclass
class NewElement:
    """An element of the brief: its key, its kind and its fields' units (by field name)."""

    key: str
    kind: str
    units: dict[str, Unit] = field(default_factory=dict)
    title: str | None = None

    def content(self) -> tuple[tuple[str, Source], ...]:
        return tuple(sorted((name, (u.text, u.plural)) for name, u in self.units.items()))


@dataclass
class OldElement:
    """The old catalog's entries under one element key: every version of each field (the live one first, then
    obsolete ones: an edit that is undone finds its old translation there)."""

    key: str
    kind: str
    versions: dict[str, list[Entry]] = field(default_factory=dict)
    live: bool = False

    @property
    def entries(self) -> dict[str, Entry]:
        """Each field's preferred version (live over obsolete)."""
        return {name: found[0] for name, found in self.versions.items()}

    def version(self, name: str, source: Source) -> Entry | None:
        """The version of field ``name`` for exactly ``source``, if any."""
        return next((e for e in self.versions.get(name, ()) if e.source == source), None)

    def matches(self, new: NewElement) -> bool:
        """Whether every field of ``new`` has a version with exactly its source."""
        return all(self.version(name, (u.text, u.plural)) is not None for name, u in new.units.items())

    def compatible(self, name: str, source: Source) -> bool:
        """Whether field ``name`` has no version, or one equal or similar to ``source``."""
        found = self.versions.get(name)
        return not found or any(similar(source, e.source) for e in found)


@dataclass
class Pairing:
    """Which old element each new element continues, and which old elements must not offer suggestions to
    the new element that took their key (they were replaced)."""

    pairs: dict[str, OldElement] = field(default_factory=dict)
    replaced: dict[str, str] = field(default_factory=dict)


def new_elements(units: Sequence[Unit]) -> list[NewElement]:
    """The brief's elements, in document order."""
    out: dict[str, NewElement] = {}
    for unit in units:
        element, name = split_key(unit.path)
        here = out.setdefault(element, NewElement(element, kind_of(element)))
        here.units[name] = unit
        if unit.title:
            here.title = name
    return list(out.values())


def old_elements(entries: Iterable[Entry], key: Callable[[Entry], str | None]) -> list[OldElement]:
    """The old catalog's elements: its entries grouped by the element their (migrated) key names (untranslated
    live ones too: a rejection note must stay with its field)."""
    out: dict[str, OldElement] = {}
    for entry in entries:
        path = key(entry)
        if path is None or not entry.msgid or (entry.obsolete and not entry.has_text):
            continue
        element, name = split_key(path)
        here = out.setdefault(element, OldElement(element, kind_of(element)))
        found = here.versions.setdefault(name, [])
        if entry.obsolete:
            found.append(entry)
        else:
            found.insert(0, entry)
        here.live = here.live or (not entry.obsolete and entry.has_text)
    return list(out.values())


def _compatible(new: NewElement, old: OldElement, *, title: bool) -> bool:
    """Whether no field shared by both changed beyond the threshold (the title is checked only if ``title``).

    A plural field (a figure's unit: "civilian", "soldier") gives no context: its words are too short for a
    ratio to say anything, and a figure's label does not change meaning with its unit."""
    return all(old.compatible(name, (unit.text, unit.plural)) for name, unit in new.units.items()
               if not (name == new.title and not title or unit.is_plural))


def _unique(candidates: list[OldElement]) -> OldElement | None:
    """The one candidate among live old elements, else among obsolete ones; None when ambiguous or none."""
    live = [c for c in candidates if c.live]
    if live:
        return live[0] if len(live) == 1 else None
    return candidates[0] if len(candidates) == 1 else None


class _Pairer:
    def __init__(self, new: Sequence[NewElement], old: Sequence[OldElement]) -> None:
        self.new = list(new)
        self.old_by_key = {o.key: o for o in old}
        self.free_old = {o.key: o for o in old}
        self.result = Pairing()

    def take(self, new: NewElement, old: OldElement) -> None:
        self.result.pairs[new.key] = old
        del self.free_old[old.key]

    def unpaired(self) -> list[NewElement]:
        return [n for n in self.new if n.key not in self.result.pairs]

    def by_content(self) -> None:
        """Steps 1 and 2."""
        for new in self.new:
            old = self.free_old.get(new.key)
            if old is not None and old.kind == new.kind and old.matches(new):
                self.take(new, old)
        counts: dict[tuple[str, object], int] = {}
        for new in self.unpaired():
            counts[(new.kind, new.content())] = counts.get((new.kind, new.content()), 0) + 1
        index = self._index()
        for new in self.unpaired():
            if counts[(new.kind, new.content())] != 1:
                continue
            found = _unique([o for o in self._candidates(index, new, list(new.units)) if o.matches(new)])
            if found is not None:
                self.take(new, found)

    def _index(self) -> dict[tuple[str, str, Source], list[OldElement]]:
        """Free old elements by (kind, field, source) of every version of every field."""
        index: dict[tuple[str, str, Source], list[OldElement]] = {}
        for old in self.free_old.values():
            for name, found in old.versions.items():
                for source in {e.source for e in found}:
                    index.setdefault((old.kind, name, source), []).append(old)
        return index

    def _candidates(self, index: dict[tuple[str, str, Source], list[OldElement]], new: NewElement,
                    names: list[str]) -> list[OldElement]:
        """Free old elements with a version of one of ``names`` equal to ``new``'s (the rarest one)."""
        lists = [index.get((new.kind, name, (new.units[name].text, new.units[name].plural)), []) for name in names]
        if not lists:
            return []
        return [o for o in min(lists, key=len) if o.key in self.free_old]

    def by_field(self) -> None:
        """Step 3."""
        counts: dict[tuple[str, str, Source], int] = {}
        for new in self.unpaired():
            for name, unit in new.units.items():
                if name != new.title:
                    key = (new.kind, name, (unit.text, unit.plural))
                    counts[key] = counts.get(key, 0) + 1
        index = self._index()
        for new in self.unpaired():
            for name, unit in new.units.items():
                if name == new.title or counts.get((new.kind, name, (unit.text, unit.plural))) != 1:
                    continue
                found = _unique(self._candidates(index, new, [name]))
                if found is not None and _compatible(new, found, title=False):
                    self.take(new, found)
                    break

    def by_key(self) -> None:
        """Step 4."""
        for new in self.unpaired():
            old = self.free_old.get(new.key)
            if old is None or old.kind != new.kind:
                continue
            if new.title is not None and not _compatible(new, old, title=False):
                self.result.replaced[new.key] = old.key
                continue
            self.take(new, old)

    def by_similarity(self) -> None:
        """Step 5, within :data:`SIMILARITY_BUDGET` comparisons."""
        budget = SIMILARITY_BUDGET
        scored: list[tuple[float, int, str, str]] = []
        for order, new in enumerate(self.unpaired()):
            if new.title is None:
                continue
            for old in self.free_old.values():
                if old.kind != new.kind or old.key == self.result.replaced.get(new.key):
                    continue
                budget -= 1
                if budget < 0:
                    break
                score = self._score(new, old)
                if score:
                    scored.append((-score, order, new.key, old.key))
        by_key = {n.key: n for n in self.new}
        for _, _, new_key, old_key in sorted(scored):
            if new_key not in self.result.pairs and old_key in self.free_old:
                self.take(by_key[new_key], self.free_old[old_key])

    @staticmethod
    def _score(new: NewElement, old: OldElement) -> float:
        """Summed similarity of the shared fields (each one's closest version); 0 unless every one, the title
        included, is similar."""
        if new.title is None or new.title not in old.versions:
            return 0.0
        total = 0.0
        for name, unit in new.units.items():
            found = old.versions.get(name)
            if not found or unit.is_plural:
                continue  # a plural field gives no context (see _compatible)
            ratio = max(similarity(unit.text, e.msgid) for e in found)
            if ratio < SIMILARITY:
                return 0.0
            total += ratio
        return total


def pair_elements(new: Sequence[NewElement], old: Sequence[OldElement]) -> Pairing:
    """Which old element each new element continues (see the module docstring)."""
    pairer = _Pairer(new, old)
    pairer.by_content()
    pairer.by_field()
    pairer.by_key()
    pairer.by_similarity()
    return pairer.result
