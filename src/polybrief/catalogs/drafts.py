"""Machine drafts written into a brief's catalog (``polybrief translate``).

Drafts are fuzzy entries with a translator comment naming the engine, the
model(s) and the score, so a PO editor shows them as suggestions and
publishing discloses them.  Reviewed entries and translators' own drafts are
never touched; what is filled is an empty entry, a machine draft of a source
text that has since changed, and a *suggestion* copied from another field by
the merge (its original stays with that field or among the obsolete entries,
see :mod:`polybrief.catalogs.merge`), since a suggestion is never published -- unless no other entry,
reviewed, draft or obsolete, keeps its translation (the merge keeps a replaced element's title that way):
such a suggestion is never overwritten.
A translation the engine or the quality checks refused is never stored: the
entry gets a ``# machine translation rejected:`` comment with the reason
instead (and a stale machine draft it was meant to replace is cleared), so
the next run does not send the same text again.
"""

from __future__ import annotations

from collections.abc import Mapping
import os
from pathlib import Path

from ..cldr import LocaleInfo, LocaleLike, as_locale
from ..fields import Unit, translation_units
from ..fs import atomic_write_bytes
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Brief
from ..provenance import MachineTranslation
from .brief import catalog_lock, check_writable_catalog, read_brief_po
from .entry import NO_MODEL_NOTE, Entry, EntryState
from .repository import po_path
from .writer import render_po, revised

__all__ = ["fill_machine_drafts"]

#: The states an engine may fill: nothing to lose, or only a suggestion (never published).
_OPEN = frozenset({EntryState.UNTRANSLATED, EntryState.REJECTED, EntryState.SUGGESTION})


def _open_to_machine(entry: Entry) -> bool:
    """Whether a machine draft may be written here: an open state, or a machine draft of an older text."""
    if entry.obsolete or not entry.msgid:
        return False
    return entry.state in _OPEN or entry.stale_machine_draft


def _fill(entry: Entry, unit: Unit | None, draft: MachineTranslation | None, sole: bool = False) -> bool:
    """Record one engine result in one entry; whether a draft was written.

    A refused result becomes a rejection note (no text is stored), so the
    next run does not send the same source text to the same model again; a
    changed source text clears it.  A machine draft of an older source text
    whose new translation was refused translates text that no longer
    exists: it goes, and the rejection is recorded like any other.  A result
    saying only that no model covers the pair says nothing about the text:
    nothing is recorded.
    """
    if unit is None or draft is None or entry.source != (unit.text, unit.plural) or not _open_to_machine(entry):
        return False
    if sole and entry.state is EntryState.SUGGESTION:
        return False  # no other entry keeps this translation (a replaced element's title): never overwritten
    if draft.problem is None:
        entry.set_machine_draft(draft.text, engine=draft.engine, models=draft.models, score=draft.score)
        return True
    if not draft.problem.startswith(NO_MODEL_NOTE):
        if entry.stale_machine_draft:
            entry.clear()
        entry.reject(engine=draft.engine, models=draft.models, reason=draft.problem)
    return False


def fill_machine_drafts(
    brief: Brief, locale: LocaleLike, root: str | os.PathLike[str], translations: Mapping[str, MachineTranslation], *,
    limits: Limits = DEFAULT_LIMITS,
) -> int:
    """Write machine translations into the brief's catalog as fuzzy drafts.

    Only empty entries, machine drafts of a source text that has since
    changed, and suggestions carried from another field are filled; reviewed
    entries and translators' fuzzy entries are left byte-identical.  Each
    draft carries a translator comment naming the engine, the model(s) and
    the score.  Returns the number of entries filled.  A result saying only
    that no model covers the pair is not a rejection of the text: nothing is
    recorded for it.
    """
    locale, root = as_locale(locale), Path(root)
    path = po_path(root, locale, brief.id)
    units = {u.path: u for u in translation_units(brief)}
    check_writable_catalog(path)
    with catalog_lock(path):
        check_writable_catalog(path)
        document = read_brief_po(path, brief, locale, limits=limits)
        entries = [e.copy() for e in document.entries]  # the originals stay as read, for the writer
        # a suggestion is replaced only when its translation is also held where no machine draft goes
        held = {e.forms for e in entries if e.has_text and not _open_to_machine(e)}
        filled = 0
        for entry in entries:
            key = entry.msgctxt or ""
            filled += _fill(entry, units.get(key), translations.get(key), sole=entry.forms not in held)
        if [e.signature for e in entries] != [e.signature for e in document.entries]:
            text = render_po(entries, metadata=revised(document), header_comment=document.header_comment,
                             header_fuzzy=document.header_fuzzy, original=document, path=path)
            atomic_write_bytes(path, text.encode("utf-8"))
    return filled
