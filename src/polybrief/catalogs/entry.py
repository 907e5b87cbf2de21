"""One entry of a brief's catalog: its translation state, read and changed in one place.

A PO file says what state a translation is in only through flags and
comments, and PO editors, msgmerge and polybrief all read and write them, so
the encoding is fixed by the file format, not by us:

* **reviewed** -- it has text and no ``fuzzy`` flag;
* **draft** -- ``fuzzy``; a *stale* draft also keeps the source it
  translates as previous fields (``#| msgid``), as ``msgmerge --previous``
  writes them;
* **machine draft** -- ``fuzzy`` with a translator comment
  ``# machine translation: engine E, model M, score S``
  (``polybrief translate`` writes it, and publishing discloses it);
* **suggestion** -- ``fuzzy`` whose previous context (``#| msgctxt``) names
  another field: a translation carried over from that field by the merge,
  never published (see :mod:`polybrief.catalogs.brief`);
* **rejected** -- no text, and a comment
  ``# machine translation rejected: engine E, model M: reason``, so the next
  ``translate`` does not send the same text again.  A note that only says no
  model was installed (``NO_MODEL_NOTE``, written before 0.1.1) says nothing
  about the text and is not a rejection;
* **untranslated** -- no text at all;
* **obsolete** -- ``#~``: a translation no field uses any more, kept.

:class:`Entry` wraps one polib entry (polib has no type hints: this module
and :mod:`polybrief.catalogs.po` are the only places that see polib's
objects), derives :class:`EntryState` from those flags and comments, and
owns the transitions that change them, as translate-toolkit's ``pounit``
does (``isfuzzy``/``markfuzzy``/``isobsolete``).  The bytes each transition
produces are the ones polybrief has always written; tests compare files
byte for byte.
"""

from __future__ import annotations

import copy
import re
import textwrap
from collections.abc import Sequence
from enum import Enum
from typing import Any, NamedTuple

__all__ = ["Entry", "EntryState", "Source", "MACHINE_COMMENT", "REJECTED_COMMENT", "NO_MODEL_NOTE"]

MACHINE_COMMENT = "machine translation:"
REJECTED_COMMENT = "machine translation rejected:"
NO_MODEL_NOTE = "no machine translation model for"
"""A rejection note that only says no model was installed (written before 0.1.1): not about the text."""

_FUZZY = "fuzzy"
#: The flag prefix that silences one quality check for one entry (``#, ignore-numbers``).
_IGNORE = "ignore-"
_NOTES = (MACHINE_COMMENT, REJECTED_COMMENT)
#: Widths at which PO tools wrap translator comments: Babel 76, polib 78, GNU msgcat/Poedit 79.
_COMMENT_WIDTHS = (76, 78, 79)
_MACHINE_NOTE = re.compile(r"machine translation: engine (?P<engine>\S+), model (?P<model>.+?), score -?[\d.]+")


class EntryState(Enum):
    """What a catalog entry's flags and comments say about its translation (see the module docstring)."""

    UNTRANSLATED = "untranslated"
    REJECTED = "rejected"
    REVIEWED = "reviewed"
    DRAFT = "draft"
    MACHINE_DRAFT = "machine draft"
    SUGGESTION = "suggestion"
    OBSOLETE = "obsolete"


class Source(NamedTuple):
    """A context and source text a translation was made for (an entry's previous fields, ``#|``)."""

    msgctxt: str | None
    msgid: str | None
    msgid_plural: str | None


def split_notes(lines: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(translator comments, machine notes)`` of comment lines, each note whole.

    polybrief writes a note (``machine translation: …`` or ``machine
    translation rejected: …``) on one line, but Babel, polib and some editors
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


class Entry:
    """A typed view of one polib entry that owns its translation state and the transitions between states.

    Reads never change the entry; the transitions (:meth:`review`,
    :meth:`mark_draft`, :meth:`set_machine_draft`, :meth:`reject`,
    :meth:`carry`, :meth:`clear`, :meth:`make_obsolete`, :meth:`revive`)
    change it in place, as a PO editor would.  Use :meth:`copy` to keep the
    entry as it was read.
    """

    __slots__ = ("_po",)

    def __init__(self, po_entry: Any) -> None:
        self._po = po_entry

    @classmethod
    def new(cls, msgctxt: str | None, msgid: str, msgid_plural: str | None = None, *, nplurals: int = 2,
            comment: str = "", flags: Sequence[str] = ()) -> Entry:
        """An untranslated entry (a plural one with ``nplurals`` empty forms)."""
        import polib

        entry = polib.POEntry(msgctxt=msgctxt, msgid=msgid, comment=comment, flags=list(flags))
        if msgid_plural is not None:
            entry.msgid_plural = msgid_plural
            entry.msgstr_plural = {i: "" for i in range(nplurals)}
        return cls(entry)

    def copy(self) -> Entry:
        """An independent copy (changing it leaves this entry as it is)."""
        return Entry(copy.deepcopy(self._po))

    def __repr__(self) -> str:
        return f"<Entry {self.msgctxt!r} {self.state.value}>"

    # -- what the entry is for ----------------------------------------------------------

    @property
    def msgctxt(self) -> str | None:
        ctxt: str | None = self._po.msgctxt
        return ctxt

    @property
    def msgid(self) -> str:
        return str(self._po.msgid or "")

    @property
    def msgid_plural(self) -> str | None:
        return str(self._po.msgid_plural) if self._po.msgid_plural else None

    @property
    def source(self) -> tuple[str, str | None]:
        """``(msgid, msgid_plural)``: the source text this entry is for (a field's ``(text, plural)``)."""
        return self.msgid, self.msgid_plural

    @property
    def comment(self) -> str:
        """The extracted comment (``#.``)."""
        return str(self._po.comment or "")

    @property
    def occurrences(self) -> tuple[tuple[str, str], ...]:
        return tuple((str(path), str(line) if line else "") for path, line in self._po.occurrences)

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(self._po.flags)

    @flags.setter
    def flags(self, flags: Sequence[str]) -> None:
        self._po.flags = list(flags)

    @property
    def ignored_checks(self) -> frozenset[str]:
        """Quality checks a reviewer silenced for this entry with ``#, ignore-<check>`` flags (Weblate's form)."""
        return frozenset(flag[len(_IGNORE):] for flag in self._po.flags if flag.startswith(_IGNORE) and
                         len(flag) > len(_IGNORE))

    @property
    def translator_comment(self) -> str:
        """The translator comments (``#``), lines joined with ``\\n``; machine notes included."""
        return str(self._po.tcomment or "")

    @property
    def previous(self) -> Source:
        """The previous fields (``#|``); all None unless a source changed since this was translated."""
        return Source(self._po.previous_msgctxt, self._po.previous_msgid, self._po.previous_msgid_plural)

    @property
    def previous_msgctxt(self) -> str | None:
        return self.previous.msgctxt

    @property
    def previous_msgid(self) -> str | None:
        return self.previous.msgid

    @property
    def previous_msgid_plural(self) -> str | None:
        return self.previous.msgid_plural

    @property
    def obsolete(self) -> bool:
        return bool(self._po.obsolete)

    @property
    def linenum(self) -> int | None:
        """The line the entry starts on in the file it was read from (None for a new entry)."""
        line = self._po.linenum
        return line if isinstance(line, int) else None

    # -- the translation ----------------------------------------------------------------

    @property
    def indexed_forms(self) -> tuple[tuple[int, str], ...]:
        """``(index, msgstr)`` of every plural form, in index order (empty for a singular entry)."""
        if not self._po.msgid_plural:
            return ()
        return tuple((int(k), self._po.msgstr_plural[k]) for k in sorted(self._po.msgstr_plural, key=int))

    @property
    def forms(self) -> tuple[str, ...]:
        """Every msgstr (one element for a singular entry), in index order."""
        if self._po.msgid_plural:
            return tuple(text for _, text in self.indexed_forms)
        return (self._po.msgstr or "",)

    @forms.setter
    def forms(self, forms: Sequence[str]) -> None:
        if self._po.msgid_plural:
            self._po.msgstr_plural = dict(enumerate(forms))
        elif len(forms) != 1:
            raise ValueError(f"a singular entry has one msgstr, not {len(forms)}")
        else:
            self._po.msgstr = forms[0]

    @property
    def text(self) -> str:
        return self.forms[0] if self.forms else ""

    @property
    def has_text(self) -> bool:
        """Whether a translator (or an engine) wrote anything here: such text is never dropped."""
        return any(self.forms)

    @property
    def complete(self) -> bool:
        """Whether every form is non-empty (a plural entry with an empty form would fall back for some numbers)."""
        forms = self.forms
        return bool(forms) and all(forms)

    # -- its state ----------------------------------------------------------------------

    @property
    def fuzzy(self) -> bool:
        return _FUZZY in self._po.flags

    @property
    def stale(self) -> bool:
        """A draft of an older source text: its previous msgid is the text it translates."""
        return self.fuzzy and self._po.previous_msgid is not None

    @property
    def suggestion(self) -> bool:
        """A draft carried from another field (its previous msgctxt names another key)."""
        previous = self._po.previous_msgctxt
        return self.fuzzy and previous is not None and previous != self._po.msgctxt

    @property
    def notes(self) -> tuple[str, ...]:
        """The machine notes among the translator comments, each whole (see :func:`split_notes`)."""
        return tuple(split_notes(self._comment_lines())[1])

    @property
    def machine(self) -> bool:
        """Whether a ``machine translation:`` note says an engine wrote this text."""
        return any(note.startswith(MACHINE_COMMENT) for note in self.notes)

    @property
    def stale_machine_draft(self) -> bool:
        """A machine draft of a source text that has since changed (``translate`` replaces it)."""
        return self.stale and self.machine

    @property
    def engine(self) -> str | None:
        """For a machine draft: the engine its note names."""
        return self._origin()[0]

    @property
    def models(self) -> tuple[str, ...]:
        """For a machine draft: the model(s) its note names (two when pivoted)."""
        return self._origin()[1]

    @property
    def state(self) -> EntryState:
        if self.obsolete:
            return EntryState.OBSOLETE
        if not self.has_text:
            rejected = any(note.startswith(REJECTED_COMMENT) and NO_MODEL_NOTE not in note for note in self.notes)
            return EntryState.REJECTED if rejected else EntryState.UNTRANSLATED
        if not self.fuzzy:
            return EntryState.REVIEWED
        if self.suggestion:
            return EntryState.SUGGESTION
        return EntryState.MACHINE_DRAFT if self.machine else EntryState.DRAFT

    def made_for(self, context: str | None) -> Source:
        """The source this entry's translation translates, were the entry under ``context``.

        A stale draft translates its previous fields; anything else, its own
        msgid (and plural) under ``context``.
        """
        if self.stale:
            return self.previous
        return Source(context, self.msgid, self.msgid_plural)

    @property
    def signature(self) -> tuple[object, ...]:
        """Everything the entry says, as a comparable tuple (two entries with one signature are written alike)."""
        po = self._po
        return (
            bool(po.obsolete), po.msgctxt, po.msgid, po.msgid_plural or None,
            po.msgstr if not po.msgid_plural else None,
            tuple(sorted((int(k), v) for k, v in po.msgstr_plural.items())) if po.msgid_plural else None,
            tuple(po.flags), po.tcomment or "", "" if po.obsolete else (po.comment or ""),
            tuple(po.occurrences) if not po.obsolete else (),
            po.previous_msgctxt, po.previous_msgid, po.previous_msgid_plural,
        )

    def _comment_lines(self) -> list[str]:
        return self._po.tcomment.split("\n") if self._po.tcomment else []

    def _origin(self) -> tuple[str | None, tuple[str, ...]]:
        for note in self.notes:
            match = _MACHINE_NOTE.match(note)
            if match is not None:
                return match.group("engine"), tuple(m.strip() for m in match.group("model").split(" + ")
                                                    if m.strip())
        return None, ()

    # -- transitions --------------------------------------------------------------------

    def attach(self, msgctxt: str | None, *, comment: str) -> None:
        """Put the entry under ``msgctxt`` with this extracted comment (and no ``#:`` references)."""
        self._po.msgctxt, self._po.comment, self._po.occurrences = msgctxt, comment, []

    def review(self, forms: Sequence[str] | None = None) -> None:
        """A translator approves the text (``forms``, if given): no ``fuzzy``, no previous fields, as Poedit does."""
        if forms is not None:
            self.forms = forms
        self._po.flags = [f for f in self._po.flags if f != _FUZZY]
        self._set_previous(Source(None, None, None))

    def mark_draft(self, previous: Source | None = None) -> None:
        """Make the entry a draft (``fuzzy`` first, as GNU writes it, unless it is already there).

        ``previous``: the source the translation was made for, written as
        ``#|`` lines.  Under this entry's own key it makes a stale draft;
        under another key, a suggestion.
        """
        if _FUZZY not in self._po.flags:
            self._po.flags = [_FUZZY, *self._po.flags]
        if previous is not None:
            self._set_previous(previous)

    def carry(self, other: Entry, forms: Sequence[str], *, context: str | None) -> None:
        """Take ``other``'s translation (reshaped to ``forms``), flags and comments, as a draft of what it translates.

        ``context`` is ``other``'s key; when it is not this entry's, the
        result is a suggestion (rules 2–4 of :mod:`polybrief.catalogs.merge`).
        """
        self.forms = forms
        self._po.flags = list(other.flags)
        self._po.tcomment = other.translator_comment
        self.mark_draft(other.made_for(context))

    def set_machine_draft(self, text: str, *, engine: str, models: Sequence[str], score: float) -> None:
        """Fill every form with an engine's ``text``: a fuzzy draft whose note names the engine, model(s) and score.

        Previous fields and any older machine note go (a wrapped one whole);
        the translator's own comments stay.
        """
        self._fill(text)
        self._po.flags = [_FUZZY, *(f for f in self._po.flags if f != _FUZZY)]
        self._set_previous(Source(None, None, None))
        self._set_note(f"{MACHINE_COMMENT} engine {engine}, model {' + '.join(models)}, score {score:.3f}")

    def reject(self, *, engine: str, models: Sequence[str], reason: str) -> None:
        """Record that the engine's translation of this text was refused (replacing any older machine note).

        The text is left as it is: :meth:`clear` a stale machine draft first.
        """
        self._set_note(f"{REJECTED_COMMENT} engine {engine}, model {' + '.join(models) or '?'}: {reason}")

    def clear(self) -> None:
        """Drop the translation: empty forms (as many as there were), no ``fuzzy``, no previous fields."""
        self._fill("")
        self._po.flags = [f for f in self._po.flags if f != _FUZZY]
        self._set_previous(Source(None, None, None))

    def make_obsolete(self) -> None:
        """Keep the entry as ``#~`` (GNU writes no ``#.`` or ``#:`` lines for those)."""
        self._po.obsolete, self._po.comment, self._po.occurrences = True, "", []

    def revive(self) -> None:
        """Bring an obsolete entry back, as a draft: PO editors do not reliably keep the flags of obsolete entries."""
        self._po.obsolete = False
        self.mark_draft()

    def _fill(self, text: str) -> None:
        if self._po.msgid_plural:
            self._po.msgstr_plural = {i: text for i in range(len(self._po.msgstr_plural) or 1)}
        else:
            self._po.msgstr = text

    def _set_previous(self, previous: Source) -> None:
        self._po.previous_msgctxt, self._po.previous_msgid, self._po.previous_msgid_plural = previous

    def _set_note(self, note: str) -> None:
        self._po.tcomment = "\n".join([*split_notes(self._comment_lines())[0], note])
