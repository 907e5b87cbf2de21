"""Machine drafts written into a brief's catalog (``polybrief translate``).

Drafts are fuzzy entries with a translator comment naming the engine, the
model(s) and the score, so a PO editor shows them as suggestions and
publishing discloses them; reviewed entries and translators' own drafts are
never touched.
"""

from __future__ import annotations

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
    is_machine_draft,
    read_brief_po,
    split_machine_notes,
)
from .merge import now
from .po import has_text, plain_id, po_bytes
from .repository import po_path

if TYPE_CHECKING:
    from ..mt.base import MachineTranslation

__all__ = ["fill_machine_drafts"]


def fill_machine_drafts(
    brief: Brief, locale: LocaleInfo, root: Path, translations: Mapping[str, MachineTranslation], *,
    limits: Limits = DEFAULT_LIMITS,
) -> int:
    """Write machine translations into the brief's catalog as fuzzy drafts.

    Only entries with no translation, and machine drafts of a source text that
    has since changed, are filled; reviewed entries and translators' fuzzy
    entries are left byte-identical.  Each draft carries a translator
    comment naming the engine, the model(s) and the score.  Returns the
    number of entries filled.  A result saying only that no model covers the
    pair is not a rejection of the text: nothing is recorded for it.
    """
    path = po_path(root, locale, brief.id)
    units = {u.path: u for u in translation_units(brief)}
    check_writable_catalog(path)
    with catalog_lock(path):
        check_writable_catalog(path)
        catalog = read_brief_po(path, brief, locale, limits=limits)
        filled = rejected = 0
        for message in catalog:
            if not message.id:
                continue
            if has_text(message) and not (message.fuzzy and is_machine_draft(message)
                                                   and bool(message.previous_id)):
                continue
            unit = units.get(message.context or "")
            mt = translations.get(message.context or "")
            if unit is None or mt is None or plain_id(message) != unit.text:
                continue
            if not mt.ok and (mt.problem or "").startswith(NO_MODEL_NOTE):
                continue
            if not mt.ok:
                # Remember the rejection (no text is stored), so the next run does not send the
                # same source text to the same model again; a changed source text clears it.
                note = f"{REJECTED_COMMENT} engine {mt.engine}, model {mt.model or '?'}: {mt.problem}"
                others, notes = split_machine_notes(message.user_comments)
                if not has_text(message) and note not in notes:
                    message.user_comments = [
                        *others, *(n for n in notes if not n.startswith(REJECTED_COMMENT)), note]
                    rejected += 1
                continue
            if unit.is_plural:
                message.string = tuple([mt.text] * catalog.num_plurals)
            else:
                message.string = mt.text
            message.flags.add("fuzzy")
            message.previous_id = []
            others, _ = split_machine_notes(message.user_comments)  # a wrapped old note goes whole
            message.user_comments = [
                *others, f"{MACHINE_COMMENT} engine {mt.engine}, model {mt.model}, score {mt.score:.3f}",
            ]
            filled += 1
        if filled or rejected:
            catalog.revision_date = now()
            atomic_write_bytes(path, po_bytes(catalog))
    return filled


