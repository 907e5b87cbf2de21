"""Machine drafts written into a brief's catalog (``polybrief translate``).

Drafts are fuzzy entries with a translator comment naming the engine, the
model(s) and the score, so a PO editor shows them as suggestions and
publishing discloses them.  Reviewed entries and translators' own drafts are
never touched; what is filled is an empty entry, a machine draft of a source
text that has since changed, and a *suggestion* copied from another field by
the merge (its original stays with that field or among the obsolete entries,
see :mod:`polybrief.catalogs.merge`), since a suggestion is never published.
A translation the engine or the quality checks refused is never stored: the
entry gets a ``# machine translation rejected:`` comment with the reason
instead (and a stale machine draft it was meant to replace is cleared), so
the next run does not send the same text again.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..cldr import LocaleInfo
from ..fields import translation_units
from ..fs import atomic_write_bytes
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Brief
from .brief import (
    MACHINE_COMMENT,
    NO_MODEL_NOTE,
    REJECTED_COMMENT,
    catalog_lock,
    check_writable_catalog,
    has_text,
    is_machine_draft,
    is_suggestion,
    machine_notes,
    read_brief_po,
)
from .merge import _po_date, now
from .po import entry_signature
from .repository import po_path
from .writer import render_po

if TYPE_CHECKING:
    from ..mt.base import MachineTranslation

__all__ = ["fill_machine_drafts"]


def fill_machine_drafts(
    brief: Brief, locale: LocaleInfo, root: Path, translations: Mapping[str, MachineTranslation], *,
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
    path = po_path(root, locale, brief.id)
    units = {u.path: u for u in translation_units(brief)}
    check_writable_catalog(path)
    with catalog_lock(path):
        check_writable_catalog(path)
        document = read_brief_po(path, brief, locale, limits=limits)
        entries = [copy.deepcopy(e) for e in document.po]  # the originals stay as read, for the writer
        filled = 0
        for entry in entries:
            if not entry.msgid or entry.obsolete:
                continue
            stale_draft = "fuzzy" in entry.flags and is_machine_draft(entry) and entry.previous_msgid is not None
            if has_text(entry) and not stale_draft and not is_suggestion(entry):
                continue
            unit = units.get(entry.msgctxt or "")
            mt = translations.get(entry.msgctxt or "")
            if unit is None or mt is None or entry.msgid != unit.text or (entry.msgid_plural or None) != unit.plural:
                continue
            if not mt.ok and (mt.problem or "").startswith(NO_MODEL_NOTE):
                continue
            comments = machine_notes(entry)[0]  # a wrapped old note goes whole
            if not mt.ok:
                # Remember the rejection (no text is stored), so the next run does not send the
                # same source text to the same model again; a changed source text clears it.
                if stale_draft:
                    # A machine draft of an older source text whose new translation was refused:
                    # it translates text that no longer exists, so it goes, and the rejection is
                    # recorded like any other.
                    if unit.is_plural:
                        entry.msgstr_plural = {i: "" for i in range(len(entry.msgstr_plural) or 1)}
                    else:
                        entry.msgstr = ""
                    entry.flags = [f for f in entry.flags if f != "fuzzy"]
                    entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
                if stale_draft or not has_text(entry) or is_suggestion(entry):
                    entry.tcomment = "\n".join(
                        [*comments, f"{REJECTED_COMMENT} engine {mt.engine}, model {mt.model or '?'}: {mt.problem}"])
                continue
            if unit.is_plural:
                entry.msgstr_plural = {i: mt.text for i in range(len(entry.msgstr_plural) or 1)}
            else:
                entry.msgstr = mt.text
            entry.flags = ["fuzzy", *(f for f in entry.flags if f != "fuzzy")]
            entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
            entry.tcomment = "\n".join(
                [*comments, f"{MACHINE_COMMENT} engine {mt.engine}, model {mt.model}, score {mt.score:.3f}"])
            filled += 1
        if [entry_signature(e) for e in entries] != [entry_signature(e) for e in document.po]:
            metadata = [(k, _po_date(now()) if k == "PO-Revision-Date" else v)
                        for k, v in document.po.metadata.items()]
            text = render_po(entries, metadata=metadata,
                             header_comment=document.po.header, header_fuzzy=bool(document.po.metadata_is_fuzzy),
                             original=document, path=path)
            atomic_write_bytes(path, text.encode("utf-8"))
    return filled
