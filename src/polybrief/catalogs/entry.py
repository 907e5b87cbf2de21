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
* **suggestion** -- ``fuzzy`` with a translator comment
  ``# polybrief suggestion: from KEY``: a translation carried over from
  another field by the merge, never published (see
  :mod:`polybrief.catalogs.brief`).  A fuzzy entry whose previous context
  (``#| msgctxt``) names another key is one too: msgmerge writes its
  cross-context matches that way, and so did polybrief before the comment;
* **rejected** -- no text, and a comment
  ``# machine translation rejected: engine E, model M: reason``, so the next
  ``translate`` does not send the same text again.  A note that only says no
  model was installed (``NO_MODEL_NOTE``, written before 0.1.1) says nothing
  about the text and is not a rejection;
* **untranslated** -- no text at all;
* **obsolete** -- ``#~``: a translation no field uses any more, kept, with a
  translator comment ``# polybrief obsolete: reviewed 1a2b3c4d`` (or
  ``draft``): what it was when polybrief set it aside, and a short hash of
  the key and source text it was for.

Why notes in translator comments, not flags, ``#|`` lines or ``#.`` lines:
GNU msgcat, msgattrib and msgmerge drop flags they do not know; ``msgattrib
--clear-previous`` drops ``#|`` lines and Babel turns them into comments;
Babel drops the flags and ``#.`` lines of obsolete entries, and msgmerge
replaces every ``#.`` line with the template's.  Translator comments survive
all of them (measured, see docs/catalogs.md).  So when msgmerge (Weblate's
msgmerge add-on, Poedit's "Update from POT") revives an obsolete entry, its
note comes back with it, and :attr:`Entry.revival` says whether a reviewed
translation of exactly this key and text came back (it stays reviewed) or
anything else (a draft, never published as reviewed; ``check`` warns).

:class:`Entry` wraps one :class:`Record` (the fields of one PO entry, as
:mod:`polybrief.catalogs.reader` reads them), derives :class:`EntryState`
from its flags and comments, and owns the transitions that change them, as
translate-toolkit's ``pounit`` does (``isfuzzy``/``markfuzzy``/``isobsolete``).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import NamedTuple

from .notes import (
    MACHINE_COMMENT,
    NO_MODEL_NOTE,
    OBSOLETE_NOTE,
    REJECTED_COMMENT,
    SUGGESTION_NOTE,
    machine_origin,
    obsolete_mark,
    source_hash,
    split_notes,
)
from .reader import Record

__all__ = ["Entry", "EntryState", "Source", "MACHINE_COMMENT", "REJECTED_COMMENT", "NO_MODEL_NOTE",
           "SUGGESTION_NOTE", "OBSOLETE_NOTE", "source_hash"]

_FUZZY = "fuzzy"
#: The flag prefix that silences one quality check for one entry (``#, ignore-numbers``).
_IGNORE = "ignore-"
_NO_CHECKS: frozenset[str] = frozenset()


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


class Entry:
    """A typed view of one PO entry that owns its translation state and the transitions between states.

    Reads never change the entry; the transitions (:meth:`review`,
    :meth:`mark_draft`, :meth:`set_machine_draft`, :meth:`reject`,
    :meth:`carry`, :meth:`clear`, :meth:`make_obsolete`, :meth:`revive`)
    change it in place, as a PO editor would.  Use :meth:`copy` to keep the
    entry as it was read.
    """

    __slots__ = ("_po",)

    def __init__(self, record: Record) -> None:
        self._po = record

    @classmethod
    def new(cls, msgctxt: str | None, msgid: str, msgid_plural: str | None = None, *, nplurals: int = 2,
            comment: str = "", flags: Sequence[str] = ()) -> Entry:
        """An untranslated entry (a plural one with ``nplurals`` empty forms)."""
        record = Record()
        record.msgctxt, record.msgid, record.comment, record.flags = msgctxt, msgid, comment, list(flags)
        if msgid_plural is not None:
            record.msgid_plural = msgid_plural
            record.msgstr_plural = {i: "" for i in range(nplurals)}
        return cls(record)

    def copy(self) -> Entry:
        """An independent copy (changing it leaves this entry as it is)."""
        return Entry(self._po.copy())

    def __repr__(self) -> str:
        return f"<Entry {self.msgctxt!r} {self.state.value}>"

    # -- what the entry is for ----------------------------------------------------------

    @property
    def msgctxt(self) -> str | None:
        return self._po.msgctxt

    @property
    def msgid(self) -> str:
        return self._po.msgid

    @property
    def msgid_plural(self) -> str | None:
        return self._po.msgid_plural or None

    @property
    def source(self) -> tuple[str, str | None]:
        """``(msgid, msgid_plural)``: the source text this entry is for (a field's ``(text, plural)``)."""
        return self._po.msgid, self._po.msgid_plural or None

    @property
    def comment(self) -> str:
        """The extracted comment (``#.``)."""
        return self._po.comment

    @property
    def occurrences(self) -> tuple[tuple[str, str], ...]:
        return tuple(self._po.occurrences)

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(self._po.flags)

    @flags.setter
    def flags(self, flags: Sequence[str]) -> None:
        self._po.flags = list(flags)

    @property
    def ignored_checks(self) -> frozenset[str]:
        """Quality checks a reviewer silenced for this entry with ``#, ignore-<check>`` flags (Weblate's form)."""
        flags = self._po.flags
        if not flags or (len(flags) == 1 and flags[0] == _FUZZY):
            return _NO_CHECKS  # the common case, without building a set
        return frozenset(flag[len(_IGNORE):] for flag in flags if flag.startswith(_IGNORE) and
                         len(flag) > len(_IGNORE))

    @property
    def translator_comment(self) -> str:
        """The translator comments (``#``), lines joined with ``\\n``; machine notes included."""
        return self._po.tcomment

    @property
    def previous(self) -> Source:
        """The previous fields (``#|``); all None unless a source changed since this was translated."""
        return Source(self._po.previous_msgctxt, self._po.previous_msgid, self._po.previous_msgid_plural)

    @property
    def previous_msgctxt(self) -> str | None:
        return self._po.previous_msgctxt

    @property
    def previous_msgid(self) -> str | None:
        return self._po.previous_msgid

    @property
    def previous_msgid_plural(self) -> str | None:
        return self._po.previous_msgid_plural

    @property
    def obsolete(self) -> bool:
        return self._po.obsolete

    @property
    def linenum(self) -> int | None:
        """The line the entry starts on in the file it was read from (None for a new entry)."""
        return self._po.linenum

    @property
    def msgid_line(self) -> int | None:
        """The line of the entry's ``msgid`` in the file it was read from (None for a new entry)."""
        return self._po.msgid_line

    @property
    def source_hash(self) -> str:
        """:func:`source_hash` of this entry's key and source."""
        return source_hash(self._po.msgctxt, self._po.msgid, self._po.msgid_plural)

    # -- the translation ----------------------------------------------------------------

    @property
    def indexed_forms(self) -> tuple[tuple[int, str], ...]:
        """``(index, msgstr)`` of every plural form, in index order (empty for a singular entry)."""
        if not self._po.msgid_plural:
            return ()
        plural = self._po.msgstr_plural
        return tuple((k, plural[k]) for k in sorted(plural))

    @property
    def forms(self) -> tuple[str, ...]:
        """Every msgstr (one element for a singular entry), in index order."""
        if self._po.msgid_plural:
            return tuple(text for _, text in self.indexed_forms)
        return (self._po.msgstr,)

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
        if not self._po.msgid_plural:
            return bool(self._po.msgstr)
        forms = self.forms
        return bool(forms) and all(forms)

    # -- its state ----------------------------------------------------------------------

    @property
    def flagged_fuzzy(self) -> bool:
        """Whether the file says ``#, fuzzy`` (what PO editors show and clear)."""
        return _FUZZY in self._po.flags

    @property
    def fuzzy(self) -> bool:
        """Whether the translation is a draft of any kind: ``fuzzy``, or revived by another tool unconfirmed.

        A live entry that still carries polybrief's obsolete note was brought
        back by msgmerge (or an editor's "update from template"); unless the
        note says it was reviewed for exactly this key and text, it counts as
        a draft, never as reviewed (see :attr:`revival`).
        """
        if _FUZZY in self._po.flags:
            return True
        return not self._po.obsolete and self.revival not in (None, "reviewed")

    @property
    def revival(self) -> str | None:
        """For a live entry that still has an obsolete note: ``reviewed`` when the note says it was reviewed
        for exactly this key and text, else why it is not (``"was a draft"``, ``"was reviewed for other
        text"``, ``"unreadable note"``); None for any other entry."""
        if self._po.obsolete or OBSOLETE_NOTE not in self._po.tcomment:
            return None
        mark = self._obsolete_mark()
        if mark is None:
            return "unreadable note"
        state, recorded = mark
        if recorded != self.source_hash:
            return "was reviewed for other text" if state == "reviewed" else "was a draft of other text"
        return "reviewed" if state == "reviewed" else "was a draft"

    @property
    def stale(self) -> bool:
        """A draft of an older source text: its previous msgid is the text it translates."""
        return self.fuzzy and self._po.previous_msgid is not None

    @property
    def suggestion(self) -> bool:
        """A draft carried from another field: a suggestion note, or a previous msgctxt naming another key."""
        if not self.fuzzy:
            return False
        previous = self._po.previous_msgctxt
        return (previous is not None and previous != self._po.msgctxt) or SUGGESTION_NOTE in self._po.tcomment

    @property
    def notes(self) -> tuple[str, ...]:
        """polybrief's notes among the translator comments, each whole (see :func:`split_notes`)."""
        return tuple(split_notes(self._comment_lines())[1])

    @property
    def machine(self) -> bool:
        """Whether a ``machine translation:`` note says an engine wrote this text."""
        if MACHINE_COMMENT not in self._po.tcomment:
            return False  # no such note can start anywhere (most entries: no translator comment at all)
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

    @property
    def obsolete_state(self) -> str | None:
        """For an obsolete entry: ``reviewed`` when its note and flags say it was reviewed for exactly its own
        key and text when polybrief set it aside, else ``draft`` (flags and notes of obsolete entries do
        not survive every tool: no note, no proof)."""
        if not self._po.obsolete:
            return None
        mark = self._obsolete_mark()
        reviewed = mark is not None and mark == ("reviewed", self.source_hash) and _FUZZY not in self._po.flags
        return "reviewed" if reviewed and self.has_text else "draft"

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
            po.obsolete, po.msgctxt, po.msgid, po.msgid_plural or None,
            po.msgstr if not po.msgid_plural else None,
            tuple(sorted(po.msgstr_plural.items())) if po.msgid_plural else None,
            tuple(po.flags), po.tcomment, "" if po.obsolete else po.comment,
            tuple(po.occurrences) if not po.obsolete else (),
            po.previous_msgctxt, po.previous_msgid, po.previous_msgid_plural,
        )

    def _comment_lines(self) -> list[str]:
        return self._po.tcomment.split("\n") if self._po.tcomment else []

    def _origin(self) -> tuple[str | None, tuple[str, ...]]:
        if MACHINE_COMMENT not in self._po.tcomment:
            return None, ()  # what machine_origin finds in notes none of which is a machine note
        return machine_origin(self.notes)

    def _obsolete_mark(self) -> tuple[str, str] | None:
        return obsolete_mark(self.notes)

    # -- transitions --------------------------------------------------------------------

    def attach(self, msgctxt: str | None, *, comment: str) -> None:
        """Put the entry under ``msgctxt`` with this extracted comment (and no ``#:`` references)."""
        self._po.msgctxt, self._po.comment, self._po.occurrences = msgctxt, comment, []

    def move(self, msgctxt: str | None, *, comment: str) -> None:
        """:meth:`attach` under another key, state kept (the element was re-keyed: moved, renamed, given a
        ``key:``); a previous context naming the old key is dropped, so a stale draft stays a stale draft."""
        if msgctxt != self._po.msgctxt and self._po.previous_msgctxt == self._po.msgctxt:
            self._po.previous_msgctxt = None
        self.attach(msgctxt, comment=comment)

    def review(self, forms: Sequence[str] | None = None) -> None:
        """A translator approves the text (``forms``, if given): no ``fuzzy``, no previous fields, as Poedit does."""
        if forms is not None:
            self.forms = forms
        self._po.flags = [f for f in self._po.flags if f != _FUZZY]
        self._set_previous(Source(None, None, None))
        self._drop_notes(SUGGESTION_NOTE, OBSOLETE_NOTE)

    def rephrase(self, msgid: str, msgid_plural: str | None, forms: Sequence[str]) -> None:
        """The same translation under a new source worded around it (an exact figure's bare unit becoming
        its phrase, rule 1a of :mod:`polybrief.catalogs.merge`): the state stays as it is."""
        self._po.msgid = msgid
        if msgid_plural is not None:
            self._po.msgid_plural = msgid_plural
        self.forms = forms

    def mark_draft(self, previous: Source | None = None) -> None:
        """Make the entry a draft (``fuzzy`` first, as GNU writes it, unless it is already there).

        ``previous``: the source the translation was made for, written as
        ``#|`` lines.  Under this entry's own key it makes a stale draft;
        under another key, a suggestion (with its note).
        """
        if _FUZZY not in self._po.flags:
            self._po.flags = [_FUZZY, *self._po.flags]
        if previous is not None:
            self._set_previous(previous)
            if previous.msgctxt is not None and previous.msgctxt != self._po.msgctxt:
                self._set_note(f"{SUGGESTION_NOTE} from {previous.msgctxt}", replace=(SUGGESTION_NOTE,))

    def carry(self, other: Entry, forms: Sequence[str], *, context: str | None, suggestion: bool | None = None) -> None:
        """Take ``other``'s translation (reshaped to ``forms``), flags and comments, as a draft of what it translates.

        ``context`` is ``other``'s key.  The result is a *suggestion* when
        ``suggestion`` says so, or (by default) when ``context`` is not this
        entry's key: a translation made for another field, whatever its
        previous fields say (rules 3–4 of :mod:`polybrief.catalogs.merge`).
        Otherwise it is a stale draft of the source ``other`` translates.
        """
        if suggestion is None:
            suggestion = context != self._po.msgctxt
        reviewed = other.state is EntryState.REVIEWED
        self.forms = forms
        self._po.flags = list(other.flags)
        self._po.tcomment = other.translator_comment
        self._drop_notes(OBSOLETE_NOTE, SUGGESTION_NOTE)
        if reviewed:  # a translator approved it: a machine note of its origin no longer says who wrote it, and
            self._drop_notes(MACHINE_COMMENT)  # ``translate`` must never take it for a stale machine draft
        made_for = other.made_for(context)
        if not suggestion and made_for.msgctxt not in (None, self._po.msgctxt):
            made_for = made_for._replace(msgctxt=None)  # the same field under a new key: no other context to name
        self.mark_draft(made_for)
        if suggestion:
            self._set_note(f"{SUGGESTION_NOTE} from {context or made_for.msgctxt or '(no key)'}",
                           replace=(SUGGESTION_NOTE,))

    def set_machine_draft(self, text: str, *, engine: str, models: Sequence[str], score: float) -> None:
        """Fill every form with an engine's ``text``: a fuzzy draft whose note names the engine, model(s) and score.

        Previous fields, a suggestion note and any older machine note go (a
        wrapped one whole); the translator's own comments stay.
        """
        self._fill(text)
        self._po.flags = [_FUZZY, *(f for f in self._po.flags if f != _FUZZY)]
        self._set_previous(Source(None, None, None))
        self._set_note(f"{MACHINE_COMMENT} engine {engine}, model {' + '.join(models)}, score {score:.3f}",
                       replace=(MACHINE_COMMENT, REJECTED_COMMENT, SUGGESTION_NOTE, OBSOLETE_NOTE))

    def reject(self, *, engine: str, models: Sequence[str], reason: str) -> None:
        """Record that the engine's translation of this text was refused (replacing any older machine note).

        The text is left as it is: :meth:`clear` a stale machine draft first.
        """
        self._set_note(f"{REJECTED_COMMENT} engine {engine}, model {' + '.join(models) or '?'}: {reason}",
                       replace=(MACHINE_COMMENT, REJECTED_COMMENT))

    def clear(self) -> None:
        """Drop the translation: empty forms (as many as there were), no ``fuzzy``, no previous fields."""
        self._fill("")
        self._po.flags = [f for f in self._po.flags if f != _FUZZY]
        self._set_previous(Source(None, None, None))
        self._drop_notes(SUGGESTION_NOTE, OBSOLETE_NOTE)

    def make_obsolete(self) -> None:
        """Keep the entry as ``#~`` (GNU writes no ``#.`` or ``#:`` lines for those), noting what it was.

        A live entry gets an obsolete note (reviewed or draft, and the hash
        of its key and source); an entry already obsolete keeps what it has:
        its flags may have been lost by an editor since, and no note is
        better than a wrong one.
        """
        if not self._po.obsolete:
            state = "reviewed" if self.state is EntryState.REVIEWED else "draft"
            if self.has_text:
                self._set_note(f"{OBSOLETE_NOTE} {state} {self.source_hash}", replace=(OBSOLETE_NOTE,))
        self._po.obsolete, self._po.comment, self._po.occurrences = True, "", []

    def revive(self) -> None:
        """Bring an obsolete entry back: reviewed only when its note proves it (:attr:`obsolete_state`), else a
        draft (PO editors do not reliably keep the flags of obsolete entries)."""
        reviewed = self.obsolete_state == "reviewed"
        self._po.obsolete = False
        self._drop_notes(OBSOLETE_NOTE)
        if not reviewed:
            self.mark_draft()

    def settle(self) -> None:
        """Resolve what another tool left on a live entry: an obsolete note it revived with (a draft unless it
        proves a review of this very text), and a suggestion note on an approved entry (a translator
        cleared ``fuzzy``: it is theirs now)."""
        if self._po.obsolete:
            return
        revival = self.revival
        if revival is not None:
            if revival != "reviewed" and _FUZZY not in self._po.flags:
                self.mark_draft()
            self._drop_notes(OBSOLETE_NOTE)
        if _FUZZY not in self._po.flags and SUGGESTION_NOTE in self._po.tcomment:
            self._drop_notes(SUGGESTION_NOTE)

    def _fill(self, text: str) -> None:
        if self._po.msgid_plural:
            self._po.msgstr_plural = {i: text for i in range(len(self._po.msgstr_plural) or 1)}
        else:
            self._po.msgstr = text

    def _set_previous(self, previous: Source) -> None:
        self._po.previous_msgctxt, self._po.previous_msgid, self._po.previous_msgid_plural = previous

    def _set_note(self, note: str, *, replace: tuple[str, ...]) -> None:
        """Add ``note``, dropping the notes that start with one of ``replace`` (each whole, even wrapped)."""
        others, notes = split_notes(self._comment_lines())
        self._po.tcomment = "\n".join([*others, *(n for n in notes if not n.startswith(replace)), note])

    def _drop_notes(self, *kinds: str) -> None:
        if not any(kind in self._po.tcomment for kind in kinds):
            return
        others, notes = split_notes(self._comment_lines())
        self._po.tcomment = "\n".join([*others, *(n for n in notes if not n.startswith(kinds))])
