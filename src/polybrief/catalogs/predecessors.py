"""Where a brief's translations were before: catalogs keyed by position, and the catalog of a brief whose id changed.

The merge (:mod:`polybrief.catalogs.merge`) starts from the brief's own
catalog.  Two kinds of predecessor need finding first: a catalog made by
polybrief 0.1, whose contexts are positions (``sections[0].items[3].text``):
an element takes its key when every entry at its current position has exactly
that field's current source text (:func:`migrations`; elements that moved are
found by their content by :mod:`polybrief.catalogs.matching`); and, for a
brief with no catalog under its id, the catalog it had under another id
(:func:`renamed_from`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

from ..cldr import LocaleInfo
from ..errors import CatalogError
from ..fields import Unit, translation_units
from ..limits import Limits
from ..model import Brief
from .brief import read_brief_po
from .entry import Entry
from .po import PoFile, parse_po

__all__ = ["node_of", "migrations", "renamed_from"]

log = logging.getLogger(__name__)

_POSITIONAL = re.compile(r"\[\d+\]")


def node_of(position: str) -> str:
    """The element a field belongs to: ``sections[0].items[3].text`` -> ``sections[0].items[3]``; ``lead[0]`` itself."""
    head, dot, last = position.rpartition(".")
    return head if dot and "[" not in last else position


def migrations(units: Sequence[Unit], live: Sequence[Entry]) -> dict[int, str]:
    """Position-keyed live entries that may take their field's key (by ``id`` of the entry)."""
    if not any(e.msgctxt and _POSITIONAL.search(e.msgctxt) for e in live):
        return {}
    by_context = {e.msgctxt: e for e in live if e.msgctxt}
    groups: dict[str, list[Unit]] = {}
    for unit in units:
        if unit.position != unit.path:
            groups.setdefault(node_of(unit.position), []).append(unit)
    out: dict[int, str] = {}
    for members in groups.values():
        found = [(unit, by_context.get(unit.position)) for unit in members]
        if any(e is not None and e.source not in ((u.text, u.plural), u.legacy) for u, e in found):
            continue  # the element at this position is not the one the catalog translated
        for unit, entry in found:
            if entry is not None and unit.path not in by_context:
                out[id(entry)] = unit.path
    return out


#: How many other catalogs of one folder ``update`` looks at for a brief whose id changed.
_RENAME_CANDIDATES = 200


def renamed_from(brief: Brief, locale: LocaleInfo, path: Path, limits: Limits) -> PoFile | None:
    """The catalog this brief had under another id, when it has none under its own: the catalog in the same
    folder whose live entries have the brief's key and source for most of its fields (at least half, and
    strictly more than any other).  ``update`` starts from it -- the same rules, nothing written to it -- so a
    changed brief id (or a brief copied from yesterday's) keeps its reviewed translations."""
    units = translation_units(brief)
    wanted = {(u.path, u.text, u.plural) for u in units}
    try:
        others = sorted((p for p in path.parent.glob("*.po") if p != path and p.is_file() and not p.is_symlink()),
                        key=lambda p: p.stat().st_mtime, reverse=True)[:_RENAME_CANDIDATES]
    except OSError:
        return None
    scored: list[tuple[int, Path]] = []
    for other in others:
        try:
            document = parse_po(other, locale=locale.babel, limits=limits)
        except CatalogError:
            continue
        hits = sum((e.msgctxt, e.msgid, e.msgid_plural) in wanted for e in document.live if e.has_text)
        if hits * 2 >= len(units) and hits:
            scored.append((hits, other))
    scored.sort(reverse=True)
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    try:
        found = read_brief_po(scored[0][1], brief, locale, limits=limits)
    except CatalogError:
        return None
    log.warning("%s: no catalog for brief %r yet; starting from %s (%d of %d fields have the same key and text)",
                path, brief.id, scored[0][1].name, scored[0][0], len(units))
    return found
