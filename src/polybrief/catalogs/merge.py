"""Creating and updating a brief's catalogs: the merge rules of its translation memory.

Every translatable field of a brief is one message: ``msgctxt`` is its field
path, ``msgid`` its source text (see :mod:`polybrief.fields`).  Catalogs live in
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

import logging
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cldr import LocaleInfo
from ..errors import CatalogError
from ..fields import Unit, translation_units
from ..fs import atomic_write_bytes, ensure_dir, read_regular_file
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Brief
from .brief import catalog_lock, check_writable_catalog, read_brief_po
from .po import forms_of, has_text, plain_id, po_bytes
from .repository import po_path, template_path

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog, Message

__all__ = ["extract_template", "write_template", "update_catalog", "now"]

log = logging.getLogger(__name__)


def now() -> datetime:
    """The revision date to write: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
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
        creation_date=now(),
        revision_date=now(),
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
    old = None
    if path.exists() or path.is_symlink():  # a FIFO or a device in its place is an error, not a hang
        old = read_regular_file(path, max_bytes=DEFAULT_LIMITS.po_bytes, error=CatalogError, what="template",
                                limit_name="po_bytes")
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


def _fit_string(message: Message, unit: Unit, nplurals: int) -> str | tuple[str, ...]:
    """The old translation reshaped for the unit (singular <-> plural changes)."""
    old = forms_of(message)
    if unit.is_plural:
        forms = list(old)[:nplurals]
        return tuple(forms + [forms[-1] if forms else ""] * (nplurals - len(forms)))
    return next((form for form in old if form), "")


def _merge(old: Catalog, brief: Brief, locale: LocaleInfo) -> Catalog:
    new = _new_catalog(brief, locale)
    for key in ("creation_date", "last_translator", "language_team"):
        setattr(new, key, getattr(old, key))
    new.header_comment = old.header_comment
    new.revision_date = old.revision_date  # bumped by the caller only if content changed
    if getattr(old, "_num_plurals", None) is not None:
        # The translator's Plural-Forms passed check_header: keep it as written, never rewrite it silently.
        new.mime_headers = [("Plural-Forms", old.plural_forms)]
    nplurals = new.num_plurals
    live = [m for m in old if m.id]
    obsolete = [m for m in old.obsolete.values() if m.id]
    was_obsolete = {id(m) for m in obsolete}
    by_key = {(m.context, plain_id(m)): m for m in [*obsolete, *live]}
    by_text: dict[str, Message] = {}
    for m in [*live, *obsolete]:  # a live reviewed entry is the best source, then a live draft, then obsolete
        if has_text(m) and (plain_id(m) not in by_text or (
                by_text[plain_id(m)].fuzzy and not m.fuzzy and id(m) not in was_obsolete)):
            by_text[plain_id(m)] = m
    by_context = {m.context: m for m in [*obsolete, *live] if m.context}
    carried: set[int] = set()

    for unit in translation_units(brief):
        comments = [unit.comment, f"field: {unit.path}"]
        exact = by_key.get((unit.path, unit.text))
        moved = by_text.get(unit.text)
        changed = by_context.get(unit.path)
        string: str | tuple[str, ...]
        prev: Any
        source: Message | None
        if exact is not None:
            string, flags, prev, source = _fit_string(exact, unit, nplurals), set(exact.flags), exact.previous_id, exact
        elif moved is not None:
            string, flags, prev, source = _fit_string(moved, unit, nplurals), set(moved.flags), moved.previous_id, moved
        elif changed is not None and has_text(changed):
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
            previous_id=prev if "fuzzy" in flags else None,  # type: ignore[arg-type]  # Babel accepts None
        )
    for m in [*live, *obsolete]:
        if id(m) not in carried and has_text(m):
            new.obsolete[(m.id, m.context)] = m  # type: ignore[index]  # Babel keys obsolete entries so
    return new


def update_catalog(brief: Brief, locale: LocaleInfo, root: Path, *, limits: Limits = DEFAULT_LIMITS) -> Path:
    """Create or update the PO file of ``brief`` for ``locale`` under ``root``.

    Serialised by a file lock (two processes updating one catalog do not lose
    each other's work) and written atomically.  A reviewed translation is never
    overwritten: it is kept, demoted to fuzzy when its source text changed, or
    kept as obsolete when its field disappeared.  A catalog that is a
    symbolic link is refused (:func:`~polybrief.catalogs.brief.check_writable_catalog`).
    """
    path = po_path(root, locale, brief.id)
    check_writable_catalog(path)
    with catalog_lock(path):
        check_writable_catalog(path)
        if path.exists() or path.is_symlink():
            old = read_brief_po(path, brief, locale, limits=limits)
        else:
            old = _new_catalog(brief, locale)
        merged = _merge(old, brief, locale)
        _verify_nothing_lost(old, merged, path)
        data = po_bytes(merged)
        old_data = path.read_bytes() if path.exists() else None
        if old_data is None or _semantic_bytes(old_data) != _semantic_bytes(data):
            merged.revision_date = now()
            atomic_write_bytes(path, po_bytes(merged))
    return path


def _verify_nothing_lost(old: Catalog, new: Catalog, path: Path) -> None:
    """Belt and braces: every translated string of the old catalog is still in the new one."""
    kept = {(plain_id(m), forms_of(m)) for m in [*new, *new.obsolete.values()] if m.id}
    kept_strings = {s for _, s in kept}
    for m in [*old, *old.obsolete.values()]:
        if m.id and has_text(m) and forms_of(m) not in kept_strings:
            raise CatalogError(  # pragma: no cover - guarded by property tests
                "internal error: a translation would have been lost; nothing was written",
                file=path, field=f"msgctxt {m.context!r}",
            )


