"""Per-brief translation catalogs: gettext PO files as translation memory.

Every translatable field of a brief is one message: ``msgctxt`` is its field
path, ``msgid`` its source text (see :mod:`polybrief.units`).  Catalogs live in
a standard gettext tree beside the brief,
``<brief dir>/locales/<lang>/LC_MESSAGES/<brief-id>.po``, so Poedit, Weblate
and ``msgfmt`` work on them as they are.

Merging is done here rather than with ``babel.messages.Catalog.update``:
Babel's update ignores ``msgctxt`` when fuzzy-matching and drops the old entry
it matched, and polybrief promises that a reviewed translation is never lost or
attached to the wrong field.  The rules, in order, for each field of the
current brief:

1. an entry with the same context and the same source text is kept as it is;
2. an entry with the same source text under another context (the field moved)
   lends its translation and its state;
3. an entry with the same context but a changed source text lends its
   translation as *fuzzy*, with the old source kept as the previous msgid;
4. otherwise the field gets a new, untranslated entry.

Translated entries no field took are kept as obsolete (``#~``), never deleted.
An obsolete entry that a field takes again comes back *fuzzy*: PO editors do
not reliably keep the flags of obsolete entries (Babel's ``write_po`` drops
them), so whether it was a reviewed translation or a draft is no longer known,
and a draft must never come back as reviewed.
"""

from __future__ import annotations

import gettext
import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CatalogError
from .fs import atomic_write_bytes, ensure_dir
from .cldr import LocaleInfo, get_locale
from .model import Brief
from .po import check_header, po_bytes, read_po_file
from .units import Unit, translation_units

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog, Message

    from .mt.base import MachineTranslation

__all__ = [
    "CatalogEntry",
    "BriefCatalog",
    "CatalogStats",
    "catalogs_root",
    "catalog_path",
    "template_path",
    "extract_template",
    "write_template",
    "update_catalog",
    "load_brief_catalog",
    "catalog_stats",
    "catalog_lock",
    "fill_machine_drafts",
]

log = logging.getLogger(__name__)


# -- where catalogs live -----------------------------------------------------------


def catalogs_root(brief_path: Path | None, catalogs_dir: Path | None = None) -> Path:
    """``--catalogs DIR`` if given, else ``<brief dir>/locales``."""
    if catalogs_dir is not None:
        return Path(catalogs_dir)
    if brief_path is None:
        raise CatalogError("no catalog folder: the brief has no file path", hint="pass catalogs_dir / --catalogs DIR")
    return Path(brief_path).resolve().parent / "locales"


def catalog_path(root: Path, brief_id: str, locale: LocaleInfo) -> Path:
    return root / locale.identifier / "LC_MESSAGES" / f"{brief_id}.po"


def template_path(root: Path, brief_id: str) -> Path:
    return root / f"{brief_id}.pot"


# -- building and writing ----------------------------------------------------------


def _now() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def _new_catalog(brief: Brief, locale: LocaleInfo | None) -> Catalog:
    from babel.messages.catalog import Catalog

    return Catalog(
        locale=locale.babel if locale is not None else None,
        domain=brief.id,
        project=brief.id,
        version="1",
        header_comment=(
            f"# Translations of the polybrief brief {brief.id!r}.\n"
            "# One message per field: msgctxt is the field path, msgid the source text.\n"
            "# Edit with any PO editor; fuzzy entries are drafts and are not published by default."
        ),
        creation_date=_now(),
        revision_date=_now(),
        fuzzy=False,
    )


def _unit_id(unit: Unit) -> str | tuple[str, str]:
    return (unit.text, unit.plural) if unit.plural is not None else unit.text


def extract_template(brief: Brief) -> Catalog:
    """The POT of ``brief``: one untranslated message per translatable field."""
    catalog = _new_catalog(brief, None)
    for unit in translation_units(brief):
        catalog.add(_unit_id(unit), "" if not unit.is_plural else ("", ""), context=unit.path,
                    auto_comments=[unit.comment, f"field: {unit.path}"])
    return catalog


def _semantic_bytes(data: bytes) -> bytes:
    """PO text without the lines that change on every write (dates, generator)."""
    skip = (b'"POT-Creation-Date:', b'"PO-Revision-Date:', b'"Generated-By:')
    return b"\n".join(line for line in data.splitlines() if not line.startswith(skip))


def _write_if_changed(path: Path, data: bytes) -> bool:
    try:
        old = path.read_bytes()
    except OSError:
        old = None
    if old is not None and _semantic_bytes(old) == _semantic_bytes(data):
        return False
    atomic_write_bytes(path, data)
    return True


def write_template(brief: Brief, root: Path) -> Path:
    """Write ``<root>/<brief-id>.pot``; it is not rewritten when only its date would change."""
    path = template_path(root, brief.id)
    ensure_dir(root)
    _write_if_changed(path, po_bytes(extract_template(brief)))
    return path


# -- reading ----------------------------------------------------------------------


def _restore_previous(message: Message) -> None:
    """Babel reads ``#|`` lines back as comments; turn them into ``previous_id`` again.

    A long previous msgid spans several lines (``#| msgid ""`` then ``#| "..."``),
    as GNU gettext and :func:`~polybrief.po.po_bytes` write it.
    """
    from babel.messages.pofile import denormalize

    parts: dict[str, list[str]] = {}
    current: str | None = None
    kept: list[str] = []
    for comment in message.user_comments:
        if comment.startswith("| "):
            keyword, _, rest = comment[2:].partition(" ")
            if keyword in ("msgid", "msgid_plural", "msgctxt") and rest.startswith('"'):
                current = keyword
                parts[current] = [rest]
                continue
            if current is not None and comment[2:].startswith('"'):
                parts[current].append(comment[2:])
                continue
        current = None
        kept.append(comment)
    previous = [denormalize("\n".join(parts[k])) for k in ("msgid", "msgid_plural") if k in parts]
    if parts:
        message.user_comments = kept
    if previous:
        message.previous_id = previous  # a list, as Babel's Message keeps it


def _read_brief_po(path: Path, brief: Brief, locale: LocaleInfo) -> Catalog:
    catalog = read_po_file(path, domain=brief.id)
    check_header(catalog, path, locale.babel)
    if catalog.project and catalog.project not in (brief.id, "PROJECT"):
        raise CatalogError(
            f"catalog belongs to brief {catalog.project!r}, not {brief.id!r}",
            file=path, field="Project-Id-Version",
            hint=f"use the catalog of {brief.id!r} or fix its header",
        )
    for message in [*catalog, *catalog.obsolete.values()]:
        if message.id:
            _restore_previous(message)
            _check_plural_shape(message, catalog, path)
    return catalog


def _check_plural_shape(message: Message, catalog: Catalog, path: Path) -> None:
    if isinstance(message.id, (tuple, list)) and isinstance(message.string, (tuple, list)):
        if len(message.string) != catalog.num_plurals and any(message.string):
            raise CatalogError(
                f"has {len(message.string)} plural forms, the catalog's language needs {catalog.num_plurals}",
                file=path, line=message.lineno, field=f"msgctxt {message.context!r}",
            )


# -- merging ----------------------------------------------------------------------


def _has_translation(message: Message) -> bool:
    if isinstance(message.string, (tuple, list)):
        return any(message.string)
    return bool(message.string)


def _fit_string(message: Message, unit: Unit, nplurals: int) -> str | tuple[str, ...]:
    """The old translation reshaped for the unit (singular <-> plural changes)."""
    old = message.string
    if unit.is_plural:
        if isinstance(old, (tuple, list)):
            forms = list(old)[:nplurals]
            return tuple(forms + [forms[-1] if forms else ""] * (nplurals - len(forms)))
        return tuple([old] * nplurals)
    if isinstance(old, (tuple, list)):
        return next((form for form in old if form), "")
    return old


def _merge(old: Catalog, brief: Brief, locale: LocaleInfo) -> Catalog:
    new = _new_catalog(brief, locale)
    for key in ("creation_date", "last_translator", "language_team"):
        setattr(new, key, getattr(old, key))
    new.header_comment = old.header_comment
    new.revision_date = old.revision_date  # bumped by the caller only if content changed
    nplurals = new.num_plurals
    live = [m for m in old if m.id]
    obsolete = [m for m in old.obsolete.values() if m.id]
    was_obsolete = {id(m) for m in obsolete}
    by_key = {(m.context, _plain(m.id)): m for m in [*obsolete, *live]}
    by_text: dict[str, Message] = {}
    for m in [*live, *obsolete]:  # a live reviewed entry is the best source, then a live draft, then obsolete
        if _has_translation(m) and (_plain(m.id) not in by_text or (
                by_text[_plain(m.id)].fuzzy and not m.fuzzy and id(m) not in was_obsolete)):
            by_text[_plain(m.id)] = m
    by_context = {m.context: m for m in [*obsolete, *live] if m.context}
    carried: set[int] = set()

    for unit in translation_units(brief):
        comments = [unit.comment, f"field: {unit.path}"]
        exact = by_key.get((unit.path, unit.text))
        moved = by_text.get(unit.text)
        changed = by_context.get(unit.path)
        if exact is not None:
            string, flags, prev, source = _fit_string(exact, unit, nplurals), set(exact.flags), exact.previous_id, exact
        elif moved is not None:
            string, flags, prev, source = _fit_string(moved, unit, nplurals), set(moved.flags), moved.previous_id, moved
        elif changed is not None and _has_translation(changed):
            string = _fit_string(changed, unit, nplurals)
            flags, prev, source = set(changed.flags) | {"fuzzy"}, changed.id, changed
        else:
            string = tuple([""] * nplurals) if unit.is_plural else ""
            flags, prev, source = set(), None, None
        if source is not None:
            carried.add(id(source))
            if id(source) in was_obsolete:
                flags.add("fuzzy")
        new.add(
            _unit_id(unit),
            string,
            context=unit.path,
            auto_comments=comments,
            user_comments=list(source.user_comments) if source is not None else [],
            flags=flags,
            previous_id=prev if "fuzzy" in flags else None,
        )
    for m in [*live, *obsolete]:
        if id(m) not in carried and _has_translation(m):
            key = (m.id, m.context)
            new.obsolete[key] = m
    return new


def _plain(msgid: str | tuple[str, ...] | list[str]) -> str:
    return msgid[0] if isinstance(msgid, (tuple, list)) else msgid


def update_catalog(brief: Brief, locale: LocaleInfo, root: Path) -> Path:
    """Create or update the PO file of ``brief`` for ``locale`` under ``root``.

    Serialised by a file lock (two processes updating one catalog do not lose
    each other's work) and written atomically.  A reviewed translation is never
    overwritten: it is kept, demoted to fuzzy when its source text changed, or
    kept as obsolete when its field disappeared.
    """
    path = catalog_path(root, brief.id, locale)
    with catalog_lock(path):
        if path.exists():
            old = _read_brief_po(path, brief, locale)
        else:
            old = _new_catalog(brief, locale)
        merged = _merge(old, brief, locale)
        _verify_nothing_lost(old, merged, path)
        data = po_bytes(merged)
        old_data = path.read_bytes() if path.exists() else None
        if old_data is None or _semantic_bytes(old_data) != _semantic_bytes(data):
            merged.revision_date = _now()
            atomic_write_bytes(path, po_bytes(merged))
    return path


@contextmanager
def catalog_lock(path: Path) -> Iterator[None]:
    """Serialise read-modify-write cycles on one catalog across processes."""
    from filelock import FileLock, Timeout

    ensure_dir(path.parent)
    lock = FileLock(str(path.parent / f".{path.name}.lock"), timeout=120)
    try:
        with lock:
            yield
    except Timeout:
        raise CatalogError("catalog is locked by another polybrief process", file=path,
                           hint="wait for it to finish, or remove a stale .lock file") from None


_MACHINE_COMMENT = "machine translation:"
_REJECTED_COMMENT = "machine translation rejected:"


def _is_machine_draft(message: Message) -> bool:
    return any(c.startswith(_MACHINE_COMMENT) for c in message.user_comments)


def fill_machine_drafts(
    brief: Brief, locale: LocaleInfo, root: Path, translations: Mapping[str, MachineTranslation]
) -> int:
    """Write machine translations into the brief's catalog as fuzzy drafts.

    Only entries with no translation, and machine drafts of a source text that
    has since changed, are filled; reviewed entries and translators' fuzzy
    entries are left byte-identical.  Each draft carries a translator
    comment naming the engine, the model(s) and the score.  Returns the
    number of entries filled.
    """
    path = catalog_path(root, brief.id, locale)
    units = {u.path: u for u in translation_units(brief)}
    with catalog_lock(path):
        catalog = _read_brief_po(path, brief, locale)
        filled = rejected = 0
        for message in catalog:
            if not message.id:
                continue
            if _has_translation(message) and not (message.fuzzy and _is_machine_draft(message)
                                                   and bool(message.previous_id)):
                continue
            unit = units.get(message.context or "")
            mt = translations.get(message.context or "")
            if unit is None or mt is None or _plain(message.id) != unit.text:
                continue
            if not mt.ok:
                # Remember the rejection (no text is stored), so the next run does not send the
                # same source text to the same model again; a changed source text clears it.
                note = f"{_REJECTED_COMMENT} engine {mt.engine}, model {mt.model or '?'}: {mt.problem}"
                if not _has_translation(message) and note not in message.user_comments:
                    message.user_comments = [
                        *(c for c in message.user_comments if not c.startswith(_REJECTED_COMMENT)), note]
                    rejected += 1
                continue
            if unit.is_plural:
                message.string = tuple([mt.text] * catalog.num_plurals)
            else:
                message.string = mt.text
            message.flags.add("fuzzy")
            message.previous_id = []
            message.user_comments = [
                *(c for c in message.user_comments if not c.startswith((_MACHINE_COMMENT, _REJECTED_COMMENT))),
                f"{_MACHINE_COMMENT} engine {mt.engine}, model {mt.model}, score {mt.score:.3f}",
            ]
            filled += 1
        if filled or rejected:
            catalog.revision_date = _now()
            atomic_write_bytes(path, po_bytes(catalog))
    return filled


def _verify_nothing_lost(old: Catalog, new: Catalog, path: Path) -> None:
    """Belt and braces: every translated string of the old catalog is still in the new one."""
    kept = {(_plain(m.id), _strings(m)) for m in [*new, *new.obsolete.values()] if m.id}
    kept_strings = {s for _, s in kept}
    for m in [*old, *old.obsolete.values()]:
        if m.id and _has_translation(m) and _strings(m) not in kept_strings:
            raise CatalogError(  # pragma: no cover - guarded by property tests
                "internal error: a translation would have been lost; nothing was written",
                file=path, field=f"msgctxt {m.context!r}",
            )


def _strings(message: Message) -> tuple[str, ...]:
    s = message.string
    return tuple(s) if isinstance(s, (tuple, list)) else (s,)


# -- lookup for publishing --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """A catalog's translation of one field: its forms and whether it is a draft."""

    forms: tuple[str, ...]
    fuzzy: bool
    machine: bool = False
    """A machine draft (``polybrief translate`` wrote it), not a translator's work."""
    stale: bool = False
    """The source text changed since this translation was made (a previous msgid is kept)."""

    @property
    def text(self) -> str:
        return self.forms[0]

    @property
    def stale_machine_draft(self) -> bool:
        """A machine draft of an older source text: to be machine-translated again."""
        return self.fuzzy and self.machine and self.stale


class BriefCatalog:
    """A loaded, checked PO catalog of one brief in one locale, keyed by field path."""

    def __init__(self, catalog: Catalog, path: Path | None = None) -> None:
        self.catalog = catalog
        self.path = path
        self._entries = {m.context: m for m in catalog if m.id and m.context}
        self._plural = gettext.c2py(catalog.plural_expr)

    def lookup(self, unit: Unit) -> CatalogEntry | None:
        """The entry for ``unit`` if its msgid is the unit's current source text."""
        message = self._entries.get(unit.path)
        if message is None or _plain(message.id) != unit.text or not _has_translation(message):
            return None
        if unit.is_plural and (not isinstance(message.id, (tuple, list)) or message.id[1] != unit.plural):
            return None
        forms = _strings(message)
        if any(not form for form in forms):
            return None
        return CatalogEntry(forms=forms, fuzzy=message.fuzzy, machine=_is_machine_draft(message),
                            stale=bool(message.previous_id) and message.fuzzy)

    def machine_rejected(self, unit: Unit) -> bool:
        """Whether machine translation of this field's current text was tried and rejected."""
        message = self._entries.get(unit.path)
        return (message is not None and _plain(message.id) == unit.text and not _has_translation(message)
                and any(c.startswith(_REJECTED_COMMENT) for c in message.user_comments))

    def is_stale(self, unit: Unit) -> bool:
        """Whether the catalog has this field under an older source text (run ``update``)."""
        message = self._entries.get(unit.path)
        return message is not None and _plain(message.id) != unit.text

    def plural_index(self, value: int | float) -> int:
        """gettext form index for ``value`` (non-integers use the last form)."""
        if isinstance(value, int) or float(value).is_integer():
            return int(self._plural(abs(int(value))))
        return self.catalog.num_plurals - 1


def load_brief_catalog(brief: Brief, locale: LocaleInfo, root: Path) -> BriefCatalog | None:
    """The checked catalog of ``brief`` for ``locale`` under ``root``, or None if there is none."""
    path = catalog_path(root, brief.id, locale)
    if not path.is_file():
        alt = [root / ident / "LC_MESSAGES" / f"{brief.id}.po" for ident in _fallback_idents(locale)]
        path = next((p for p in alt if p.is_file()), path)
        if not path.is_file():
            return None
    return BriefCatalog(_read_brief_po(path, brief, locale), path)


def _fallback_idents(locale: LocaleInfo) -> list[str]:
    from .cldr import locale_candidates

    return locale_candidates(locale.babel)[1:]


# -- statistics -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatalogStats:
    locale: str
    path: str
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int
    exists: bool = True


def catalog_stats(brief: Brief, locales: Sequence[str | LocaleInfo], root: Path) -> list[CatalogStats]:
    """Translated / fuzzy / untranslated counts of ``brief`` per locale (against the current brief)."""
    units = translation_units(brief)
    out = []
    for tag in locales:
        locale = tag if isinstance(tag, LocaleInfo) else get_locale(tag)
        path = catalog_path(root, brief.id, locale)
        loaded = load_brief_catalog(brief, locale, root)
        translated = fuzzy = 0
        if loaded is not None:
            for unit in units:
                entry = loaded.lookup(unit)
                if entry is None:
                    continue
                if entry.fuzzy:
                    fuzzy += 1
                else:
                    translated += 1
        obsolete = len(loaded.catalog.obsolete) if loaded is not None else 0
        out.append(CatalogStats(
            locale=locale.tag, path=str(loaded.path if loaded else path), total=len(units),
            translated=translated, fuzzy=fuzzy, untranslated=len(units) - translated - fuzzy,
            obsolete=obsolete, exists=loaded is not None,
        ))
    return out
