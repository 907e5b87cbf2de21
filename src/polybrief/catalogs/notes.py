"""polybrief's notes in a PO entry's translator comments, read whole even when an editor wrapped them.

polybrief says a few things about an entry that the PO format has no field
for: which engine wrote a machine draft (``machine translation: …``), why
machine translation of a text was refused (``machine translation
rejected: …``), which field a suggestion was carried from (``polybrief
suggestion: from KEY``), and what an obsolete entry was when it was set
aside (``polybrief obsolete: reviewed|draft HASH``).  Each is one translator
comment line, the one place every PO tool keeps (see
:mod:`polybrief.catalogs.entry` for what was measured); this module knows
their spelling, and :class:`~polybrief.catalogs.entry.Entry` what they mean.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from collections.abc import Sequence

__all__ = ["MACHINE_COMMENT", "REJECTED_COMMENT", "NO_MODEL_NOTE", "SUGGESTION_NOTE", "OBSOLETE_NOTE",
           "source_hash", "split_notes", "machine_origin", "obsolete_mark"]

MACHINE_COMMENT = "machine translation:"
REJECTED_COMMENT = "machine translation rejected:"
NO_MODEL_NOTE = "no machine translation model for"
"""A rejection note that only says no model was installed (written before 0.1.1): not about the text."""
SUGGESTION_NOTE = "polybrief suggestion:"
"""``# polybrief suggestion: from KEY``: a translation the merge carried from another field."""
OBSOLETE_NOTE = "polybrief obsolete:"
"""``# polybrief obsolete: reviewed HASH``: what an obsolete entry was, and for which key and source."""

_NOTES = (MACHINE_COMMENT, REJECTED_COMMENT, SUGGESTION_NOTE, OBSOLETE_NOTE)
#: Widths at which PO tools wrap translator comments: Babel 76, polib 78, GNU msgcat/Poedit 79.
_COMMENT_WIDTHS = (76, 78, 79)
_MACHINE_NOTE = re.compile(r"machine translation: engine (?P<engine>\S+), model (?P<model>.+?), score -?[\d.]+")
_OBSOLETE_MARK = re.compile(r"polybrief obsolete: (?P<state>reviewed|draft) (?P<hash>[0-9a-f]{8})\b")


def source_hash(msgctxt: str | None, msgid: str, msgid_plural: str | None) -> str:
    """Eight hex digits naming a key and source text (what an obsolete note records)."""
    joined = f"{msgctxt or ''}\x04{msgid}\x00{msgid_plural or ''}"
    return hashlib.sha1(joined.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def machine_origin(notes: Sequence[str]) -> tuple[str | None, tuple[str, ...]]:
    """The engine and model(s) the first machine note among ``notes`` names (``(None, ())`` if none)."""
    for note in notes:
        match = _MACHINE_NOTE.match(note)
        if match is not None:
            return match.group("engine"), tuple(m.strip() for m in match.group("model").split(" + ") if m.strip())
    return None, ()


def obsolete_mark(notes: Sequence[str]) -> tuple[str, str] | None:
    """``(state, hash)`` of the first obsolete note among ``notes`` (``reviewed`` or ``draft``), or None."""
    for note in notes:
        match = _OBSOLETE_MARK.match(note)
        if match is not None:
            return match.group("state"), match.group("hash")
    return None


def split_notes(lines: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(translator comments, polybrief's notes)`` of comment lines, each note whole.

    polybrief writes a note on one line, but Babel, polib and some editors
    wrap long comments, so a note may come back as several lines.  A note is
    joined with the lines after it when wrapping the joined text at one of
    those tools' widths gives exactly those lines back; a translator's own
    comment after a note that did not fill its line would have been wrapped
    onto it, so it is never mistaken for a continuation.
    """
    others: list[str] = []
    notes: list[str] = []
    index = 0
    while index < len(lines):
        if not lines[index].startswith(_NOTES):
            others.append(lines[index])
            index += 1
            continue
        end = index + 1
        for stop in range(index + 2, min(len(lines), index + 8) + 1):
            if lines[stop - 1].startswith(_NOTES):
                break
            joined = " ".join(lines[index:stop])
            if any(textwrap.wrap(joined, width - 2, break_long_words=False, break_on_hyphens=False)
                   == list(lines[index:stop]) for width in _COMMENT_WIDTHS):
                end = stop
        notes.append(" ".join(lines[index:end]))
        index = end
    return others, notes
