"""Creating and updating a brief's catalogs: the merge rules of its translation memory.

Every translatable field of a brief is one message: ``msgctxt`` is its key
path, ``msgid`` its source text, ``msgid_plural`` its plural source (see
:mod:`polybrief.fields`).  Catalogs live in a standard gettext tree beside the
brief, ``<brief dir>/locales/<lang>/LC_MESSAGES/<brief-id>.po``, so Poedit,
Weblate, msgmerge and ``msgfmt`` work on them as they are.

Merging is done here rather than with ``babel.messages.Catalog.update`` or
msgmerge: Babel's update ignores ``msgctxt`` when fuzzy-matching and drops
the old entry it matched, and msgmerge consumes the entry it fuzzy-matches
and revives obsolete entries as reviewed.  polybrief promises that a reviewed
translation is never lost or attached to the wrong field.  For each field of
the current brief, the first rule that applies:

1. **exact** -- an entry with the same key, the same source text and the same
   plural source is kept as it is: reviewed stays reviewed, a draft stays a
   draft.  An *obsolete* one comes back fuzzy: PO editors do not reliably keep
   the flags of obsolete entries, so a draft must not come back as reviewed.
2. **same key, changed source** (text or plural form) -- the entry moves to
   the new source as *fuzzy*, its old ``msgctxt``/``msgid``/``msgid_plural``
   kept as the previous ones (``#|``), as ``msgmerge --previous`` does (an
   entry that already had previous ones keeps them: its translation
   translates those).  Publishing may show it as a draft; ``translate``
   refreshes it when it was a machine draft.
3. **same source under another key** -- a *copy* of that translation,
   fuzzy, with the other key as the previous ``msgctxt``: a *suggestion*.
   The original stays where it was (live, or obsolete).  Suggestions are
   never published, never satisfy ``--strict``, and ``translate`` replaces
   them with machine drafts (see :mod:`polybrief.catalogs.brief`).
4. **similar source under a key that is gone** (a label was edited, so its
   default key changed) -- the same kind of suggestion, from the most
   similar such entry of the same kind of field, as msgmerge's fuzzy match.
5. otherwise the field gets a new, untranslated entry.

Entries with a translation that no field kept (rules 1 and 2) are kept as
obsolete (``#~``), never deleted; untranslated ones are dropped.  Brief text
is never a format string: ``*-format`` flags (Babel adds ``python-format``
to text with ``%``, and then ``msgfmt -c`` refuses correct translations) are
removed.

Catalogs made before keys existed use positional contexts
(``sections[0].items[3].text``).  ``update`` migrates them on its first run:
an element's entries take its key when *every* entry found at the element's
current position has exactly that field's current source text.  Otherwise
the element moved or changed since that catalog was last updated, so the
position says nothing about which field the translation belongs to: its
entries become obsolete and are offered as suggestions by rules 3 and 4.

Nothing is written when nothing changed (not even the revision date); when
something did, :mod:`polybrief.catalogs.writer` keeps the file's header
fields, its wrapping and the text of every unchanged entry.
"""

from __future__ import annotations

import copy
import difflib
import logging
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..cldr import LocaleInfo
from ..errors import CatalogError
from ..fields import Unit, translation_units
from ..fs import atomic_write_bytes, ensure_dir, read_regular_file
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Brief
from .brief import catalog_lock, check_writable_catalog, forms, has_text, read_brief_po
from .po import PoFile, entry_signature, parse_po_text
from .repository import po_path, template_path
from .writer import render_po

__all__ = ["extract_template", "write_template", "update_catalog", "merge_entries", "MergeResult", "now",
           "SIMILARITY"]

log = logging.getLogger(__name__)

SIMILARITY = 0.6
"""Rule 4's threshold (difflib ratio), msgmerge's own fuzzy-match threshold."""

_POSITIONAL = re.compile(r"\[\d+\]")
_FORMAT_FLAG = re.compile(r"^(?!no-)[\w-]+-format$")


def now() -> datetime:
    """The revision date to write: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def _po_date(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M%z")


#: The header comment catalogs had before keys (replaced when such a catalog is migrated).
_OLD_HEADER_COMMENT = (
    "Translations of the polybrief brief {id!r}.\n"
    "One message per field: msgctxt is the field path, msgid the source text.\n"
    "Edit with any PO editor; fuzzy entries are drafts and are not published by\n"
    "default."
)
_HEADER_COMMENT = (
    "Translations of the polybrief brief {id!r}.\n"
    "One message per field: msgctxt is the field's key, msgid its source text.\n"
    "Edit with any PO editor; fuzzy entries are drafts and are not published by\n"
    "default."
)


def _new_metadata(brief: Brief, locale: LocaleInfo | None) -> list[tuple[str, str]]:
    from babel.messages.plurals import get_plural

    from .._version import __version__

    stamp = _po_date(now())
    fields = [
        ("Project-Id-Version", f"{brief.id} 1"),
        ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", stamp),
        ("PO-Revision-Date", stamp if locale is not None else "YEAR-MO-DA HO:MI+ZONE"),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
        ("Language-Team", f"{locale.english_name} <LL@li.org>" if locale is not None else "LANGUAGE <LL@li.org>"),
    ]
    if locale is not None:
        fields.append(("Language", str(locale.babel)))
    fields += [("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=UTF-8"),
               ("Content-Transfer-Encoding", "8bit")]
    if locale is not None:
        fields.append(("Plural-Forms", get_plural(locale.babel).plural_forms))
    fields.append(("X-Generator", f"polybrief {__version__}"))
    return fields


def _entry(unit: Unit, nplurals: int, **fields: Any) -> Any:
    import polib

    entry = polib.POEntry(msgctxt=unit.path, msgid=unit.text, comment=unit.comment, **fields)
    if unit.has_count and "python-brace-format" not in entry.flags:
        entry.flags = [*entry.flags, "python-brace-format"]  # see _clean_flags
    if unit.plural is not None:
        entry.msgid_plural = unit.plural
        entry.msgstr_plural = fields.get("msgstr_plural") or {i: "" for i in range(nplurals)}
    return entry


# -- the template -------------------------------------------------------------------------


def extract_template(brief: Brief) -> list[Any]:
    """The POT entries of ``brief``: one untranslated polib entry per translatable field, in order."""
    return [_entry(unit, 2) for unit in translation_units(brief)]


def write_template(brief: Brief, root: Path) -> Path:
    """Write ``<root>/<brief-id>.pot``; it is not rewritten when only its date would change."""
    path = template_path(root, brief.id)
    ensure_dir(root)
    entries = extract_template(brief)
    metadata = _new_metadata(brief, None)
    comment = _HEADER_COMMENT.format(id=brief.id)
    old: PoFile | None = None
    if path.exists() or path.is_symlink():
        # A FIFO, a device or a folder in its place is an error (a FIFO would block forever) ...
        data = read_regular_file(path, max_bytes=DEFAULT_LIMITS.po_bytes, error=CatalogError, what="template",
                                 limit_name="po_bytes")
        try:
            old = parse_po_text(data.decode("utf-8"), path)
        except (CatalogError, UnicodeDecodeError):
            old = None  # ... but a broken template is simply rewritten
    if old is not None and [entry_signature(e) for e in old.po] == [entry_signature(e) for e in entries] \
            and old.po.header == comment:
        return path
    atomic_write_bytes(path, render_po(entries, metadata=metadata, header_comment=comment, path=path)
                       .encode("utf-8"))
    return path


# -- the merge ----------------------------------------------------------------------------


@dataclass
class MergeResult:
    """What a merge produced, and which rule gave each field its entry (for reports and tests)."""

    entries: list[Any]
    rules: dict[str, str] = field(default_factory=dict)
    """Field key path -> ``exact``, ``revived``, ``changed``, ``same-text``, ``similar`` or ``new``."""
    migrated: int = 0
    """Entries that took their field's key from a position-keyed catalog."""


def _comment(old: Any, unit: Unit) -> str:
    """The field's extracted comment, keeping the old one's line breaks when only the wrapping differs
    (a tool that wraps ``#.`` lines must not make an unchanged entry look changed)."""
    return old.comment if " ".join((old.comment or "").split()) == " ".join(unit.comment.split()) else unit.comment


def _clean_flags(flags: Iterable[str], *, fuzzy: bool, unit: Unit | None = None) -> list[str]:
    """``flags`` without format flags, with or without ``fuzzy`` (added first, as GNU does; order otherwise kept).

    Brief text is never a format string ("84.5% of" is not a ``% o``
    directive, and ``msgfmt --check`` would reject "84,5 % населения"), so
    format flags that Babel or xgettext-minded tools add are dropped.  The one
    exception is a figure phrase (``at least {count} civilians``): its
    ``{count}`` must survive translation, and ``python-brace-format`` makes
    ``msgfmt --check`` and PO editors check exactly that.
    """
    kept = [f for f in flags if not _FORMAT_FLAG.match(f)]
    if unit is not None and unit.has_count:
        kept.append("python-brace-format")
    if fuzzy and "fuzzy" not in kept:
        return ["fuzzy", *kept]
    return kept if fuzzy else [f for f in kept if f != "fuzzy"]


def _fit(old: Any, unit: Unit, nplurals: int) -> dict[str, Any]:
    """The old translation reshaped for the unit (singular <-> plural changes)."""
    old_forms = list(forms(old))
    if unit.is_plural:
        shaped = old_forms[:nplurals]
        shaped += [shaped[-1] if shaped else ""] * (nplurals - len(shaped))
        return {"msgstr_plural": dict(enumerate(shaped))}
    return {"msgstr": next((form for form in old_forms if form), "")}


def _previous(old: Any, context: str | None) -> dict[str, Any]:
    """The source ``old``'s translation translates, as previous fields (kept if it already had them)."""
    if "fuzzy" in old.flags and old.previous_msgid is not None:
        return {"previous_msgctxt": old.previous_msgctxt, "previous_msgid": old.previous_msgid,
                "previous_msgid_plural": old.previous_msgid_plural}
    return {"previous_msgctxt": context, "previous_msgid": old.msgid,
            "previous_msgid_plural": old.msgid_plural or None}


def _node_of(position: str) -> str:
    """The element a field belongs to: ``sections[0].items[3].text`` -> ``sections[0].items[3]``; ``lead[0]`` itself."""
    head, dot, last = position.rpartition(".")
    return head if dot and "[" not in last else position


def _migrations(units: Sequence[Unit], live: Sequence[Any]) -> dict[int, str]:
    """Position-keyed live entries that may take their field's key (by ``id`` of the entry)."""
    if not any(e.msgctxt and _POSITIONAL.search(e.msgctxt) for e in live):
        return {}
    by_context = {e.msgctxt: e for e in live if e.msgctxt}
    groups: dict[str, list[Unit]] = {}
    for unit in units:
        if unit.position != unit.path:
            groups.setdefault(_node_of(unit.position), []).append(unit)
    out: dict[int, str] = {}
    for members in groups.values():
        found = [(unit, by_context.get(unit.position)) for unit in members]
        if any(e is not None and (e.msgid, e.msgid_plural or None) != (u.text, u.plural) for u, e in found):
            continue  # the element at this position is not the one the catalog translated
        for unit, entry in found:
            if entry is not None and unit.path not in by_context:
                out[id(entry)] = unit.path
    return out


def _shape(path: str) -> str:
    return re.sub(r"\[[^\]]*\]", "[]", path)


def merge_entries(old: PoFile | None, brief: Brief, nplurals: int) -> MergeResult:
    """The entries of the updated catalog (live in field order, then obsolete) by the rules above."""
    units = translation_units(brief)
    live = [e for e in (old.live if old else []) if e.msgid]
    dead = [e for e in (old.obsolete if old else []) if e.msgid]
    renamed = _migrations(units, live)

    def key(e: Any) -> str | None:
        return renamed.get(id(e), e.msgctxt)

    def source(e: Any) -> tuple[str, str | None]:
        return e.msgid, e.msgid_plural or None

    exact: dict[tuple[str | None, str, str | None], Any] = {}
    by_key: dict[str | None, Any] = {}
    by_source: dict[tuple[str, str | None], Any] = {}
    for e in [*dead, *live]:  # later wins: live over obsolete
        exact[(key(e), *source(e))] = e
        if has_text(e):
            by_key[key(e)] = e
    for e in [*dead, *[e for e in live if "fuzzy" in e.flags], *[e for e in live if "fuzzy" not in e.flags]]:
        if has_text(e):  # later wins: a reviewed live entry is the best source, then a draft, then obsolete
            by_source[source(e)] = e
    paths = {u.path for u in units}
    orphans = [e for e in [*live, *dead] if has_text(e) and key(e) not in paths]

    result = MergeResult(entries=[], migrated=len(renamed))
    kept: set[int] = set()
    for unit in units:
        here = (unit.path, unit.text, unit.plural)
        if (e := exact.get(here)) is not None:
            entry = copy.deepcopy(e)
            entry.msgctxt, entry.comment, entry.occurrences = unit.path, _comment(e, unit), []
            revived = bool(e.obsolete)
            entry.obsolete = False
            entry.flags = _clean_flags(e.flags, fuzzy="fuzzy" in e.flags or revived, unit=unit)
            result.rules[unit.path] = "revived" if revived else "exact"
            kept.add(id(e))
        elif (e := by_key.get(unit.path)) is not None:
            entry = _entry(unit, nplurals, tcomment=e.tcomment, flags=_clean_flags(e.flags, fuzzy=True, unit=unit),
                           **_fit(e, unit, nplurals), **_previous(e, key(e)))
            result.rules[unit.path] = "changed"
            if forms(entry) == forms(e):  # reshaped (singular <-> plural): the original stays, obsolete
                kept.add(id(e))
        elif (e := by_source.get((unit.text, unit.plural)) or _similar(unit, orphans, key)) is not None:
            entry = _entry(unit, nplurals, tcomment=e.tcomment, flags=_clean_flags(e.flags, fuzzy=True, unit=unit),
                           **_fit(e, unit, nplurals), **_previous(e, key(e)))
            result.rules[unit.path] = "same-text" if source(e) == (unit.text, unit.plural) else "similar"
        else:
            entry = _entry(unit, nplurals)
            result.rules[unit.path] = "new"
        result.entries.append(entry)

    seen = {entry_signature(e) for e in result.entries}
    for e in [*dead, *live]:
        if id(e) in kept or not has_text(e):
            continue
        gone = copy.deepcopy(e)
        gone.obsolete, gone.comment, gone.occurrences = True, "", []
        gone.flags = _clean_flags(e.flags, fuzzy="fuzzy" in e.flags)
        if entry_signature(gone) not in seen:
            seen.add(entry_signature(gone))
            result.entries.append(gone)
    return result


def _similar(unit: Unit, orphans: Sequence[Any], key: Any) -> Any | None:
    """The orphaned entry of the same kind of field whose source is most similar to ``unit``'s (rule 4)."""
    best, best_ratio = None, SIMILARITY
    shape = _shape(unit.path)
    for e in orphans:
        if _shape(key(e) or "") != shape or bool(e.msgid_plural) != unit.is_plural:
            continue
        matcher = difflib.SequenceMatcher(None, unit.text, e.msgid, autojunk=False)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio >= best_ratio and (best is None or ratio > best_ratio):
            best, best_ratio = e, ratio
    return best


def update_catalog(brief: Brief, locale: LocaleInfo, root: Path, *, limits: Limits = DEFAULT_LIMITS) -> Path:
    """Create or update the PO file of ``brief`` for ``locale`` under ``root``.

    Serialised by a file lock (two processes updating one catalog do not lose
    each other's work) and written atomically, only when something changed.
    A reviewed translation is never overwritten: it is kept, demoted to fuzzy
    when its source changed, or kept as obsolete when its field disappeared.
    A catalog that is a symbolic link is refused
    (:func:`~polybrief.catalogs.brief.check_writable_catalog`).
    """
    from babel.messages.plurals import get_plural

    path = po_path(root, locale, brief.id)
    check_writable_catalog(path)
    with catalog_lock(path):
        check_writable_catalog(path)
        old = read_brief_po(path, brief, locale, limits=limits) if path.exists() or path.is_symlink() else None
        nplurals = get_plural(locale.babel).num_plurals
        result = merge_entries(old, brief, nplurals)
        _verify_nothing_lost(old, result.entries, path)
        if old is not None:
            if [entry_signature(e) for e in old.po] == [entry_signature(e) for e in result.entries]:
                return path
            metadata = list(old.po.metadata.items())
            metadata = [(k, _po_date(now()) if k == "PO-Revision-Date" else v) for k, v in metadata]
            comment, fuzzy = old.po.header, bool(old.po.metadata_is_fuzzy)
            if comment == _OLD_HEADER_COMMENT.format(id=brief.id):
                comment = _HEADER_COMMENT.format(id=brief.id)
        else:
            metadata, comment, fuzzy = _new_metadata(brief, locale), _HEADER_COMMENT.format(id=brief.id), False
        if result.migrated:
            log.info("%s: %d entries moved from positional to key contexts", path, result.migrated)
        text = render_po(result.entries, metadata=metadata, header_comment=comment, header_fuzzy=fuzzy,
                         original=old, path=path)
        atomic_write_bytes(path, text.encode("utf-8"))
    return path


def _verify_nothing_lost(old: PoFile | None, entries: Sequence[Any], path: Path) -> None:
    """Belt and braces: every translation of the old catalog is still in the new one (live or obsolete)."""
    if old is None:
        return
    kept = {forms(e) for e in entries}
    for e in old.po:
        if e.msgid and has_text(e) and forms(e) not in kept:
            raise CatalogError(  # pragma: no cover - guarded by property tests
                "internal error: a translation would have been lost; nothing was written",
                file=path, field=f"msgctxt {e.msgctxt!r}",
            )
