"""Plain-text wrapping for text pages: :func:`wrap_text`, and the :class:`Clean` marker for text already
neutralised (see :mod:`polybrief.rendering`, "Invisible control characters in content" and "Long words")."""

from __future__ import annotations

import functools
import re

from ..bidi import Direction, mark_lines
from ..controls import neutralise_controls
from ..limits import DEFAULT_LIMITS
from ..provenance import Segment

__all__ = ["TEXT_WIDTH", "wrap_text", "greedy_wrap"]

TEXT_WIDTH = 72


class Clean(str):
    """Text already neutralised (a filled-in UI message, wrapped text): ``finalize`` and ``wrap`` take it as
    it is.  Any operation on it gives a plain ``str`` again, which is neutralised as usual."""

    __slots__ = ()


#: Text whose every character takes exactly one terminal cell: printable Latin (with its
#: precomposed letters), Greek, Cyrillic (without its combining marks U+0483–U+0489),
#: Armenian, Georgian, and general punctuation, spaces and currency signs.  No combining,
#: zero-width or wide characters, so ``len`` equals the display width.
_ONE_CELL_TEXT = re.compile(
    "[\u0020-\u007e\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0377\u037a-\u03ff\u0400-\u0482\u048a-\u052f"
    "\u0531-\u0556\u0559-\u058a\u10a0-\u10ff\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\n]*\\Z"
)


def _cut_long_words(text: str, longest: int, piece: int) -> str:
    """``text`` with every run of more than ``longest`` non-space characters cut into
    ``piece``-character parts separated by spaces (so each part fills a line of its own)."""
    return _long_run(longest).sub(
        lambda m: " ".join(m.group()[i:i + piece] for i in range(0, len(m.group()), piece)), text)


@functools.lru_cache(maxsize=8)
def _long_run(longest: int) -> re.Pattern[str]:
    """A run of more than ``longest`` non-space characters (compiled once per limit: every paragraph asks).

    Only a run's first character may start one (``(?<!\\S)``): a match is always a whole run, as it was
    without the look-behind, but a word too short is no longer scanned again from each of its letters
    (a paragraph of Cyrillic took 67 µs, now 17)."""
    return re.compile(r"(?<!\S)\S{%d,}" % (longest + 1))


#: What :mod:`textwrap` calls whitespace (its ``_whitespace``): every one becomes a space before wrapping,
#: and lines break only at runs of spaces.  Other spaces (U+00A0, U+3000) stay inside words.
#: (A regular expression: ``str.translate`` with a table took 16 µs on a paragraph of Cyrillic.)
_TO_SPACE = re.compile("[\t\n\x0b\x0c\r]")
_NOT_SPACE = re.compile("[^ ]")


def greedy_wrap(text: str, width: int, first: str = "", indent: str = "") -> list[str]:
    """The lines of ``textwrap.wrap(text, width, initial_indent=first, subsequent_indent=indent,
    break_on_hyphens=False)``, found a line at a time instead of a word at a time.

    The stdlib splits the text into *chunks* (runs of spaces, runs of anything else) with a regular
    expression and moves them to the line one by one in Python: 9 % of publishing a brief in three
    languages.  The line it builds is always one slice of the text, though, so here each line is cut at
    once: it ends at the last chunk boundary within the width (``rfind``); if the next chunk could fill
    no line, the line is filled with its first part (``_handle_long_word``); a *blank* chunk
    (``chunk.strip() == ""``: spaces, or a word made only of other whitespace such as U+00A0) is
    dropped at the start of every line but the first and at the end of every line, one chunk each, as
    ``drop_whitespace`` does.  Lengths are ``len``: the caller gives one-cell text.  A test compares
    the two on every shipped text and on random text.

    An indent as wide as the line leaves the stdlib one character per line, and it never returns when
    the first line's indent is wider still and the text starts with a blank chunk; such widths go to
    :func:`_stdlib_wrap`, which finishes.
    """
    if width <= len(first) or width <= len(indent):
        return _stdlib_wrap(text, width, first, indent)
    if not text.isprintable():  # printable text holds none of the whitespace textwrap turns into spaces
        if "\t" in text:
            text = text.expandtabs()
        text = _TO_SPACE.sub(" ", text)
    end = len(text)
    lines: list[str] = []
    lead, pos = first, 0
    while pos < end:
        if lines:  # one blank chunk at the start of a line is dropped
            stop = _chunk_end(text, pos, end)
            if _blank(text, pos, stop):
                pos = stop
                if pos == end:
                    break
        room = width - len(lead)
        cut = _line_end(text, pos, pos + room, end)  # whole chunks that fit
        last = _last_chunk(text, pos, cut)
        if cut < end:
            stop = _chunk_end(text, cut, end)
            if stop - cut > room:  # a chunk no line can hold: its first part fills this one
                last, cut = cut, pos + room
        keep = last if _blank(text, last, cut) else cut  # one blank chunk at the end is dropped
        if keep > pos:
            lines.append(lead + text[pos:keep])
            lead = indent
        pos = cut
    return lines


def _blank(text: str, start: int, stop: int) -> bool:
    """Whether ``text[start:stop]`` (one chunk, maybe empty) is all whitespace, as ``str.strip`` sees it."""
    return start >= stop or text[start] == " " or (text[start].isspace() and text[start:stop].isspace())


def _chunk_end(text: str, pos: int, end: int) -> int:
    """Where the chunk that starts at ``pos`` (a run of spaces, or of anything else) ends."""
    if text[pos] == " ":
        if pos + 1 == end or text[pos + 1] != " ":
            return pos + 1
        found = _NOT_SPACE.search(text, pos)
        return end if found is None else found.start()
    stop = text.find(" ", pos)
    return end if stop < 0 else stop


def _last_chunk(text: str, pos: int, cut: int) -> int:
    """Where the last chunk of ``text[pos:cut]`` starts (``pos`` at the earliest; ``cut`` if it is empty)."""
    if cut <= pos:
        return cut
    if text[cut - 1] == " ":
        return pos + len(text[pos:cut].rstrip(" "))
    return max(pos, text.rfind(" ", pos, cut) + 1)


def _line_end(text: str, pos: int, limit: int, end: int) -> int:
    """The last chunk boundary after ``pos`` and at most ``limit`` (``pos`` if the first chunk is longer)."""
    if limit >= end:
        return end
    if (text[limit - 1] == " ") != (text[limit] == " "):
        return limit
    return _last_chunk(text, pos, limit)


def _stdlib_wrap(text: str, width: int, first: str, indent: str) -> list[str]:
    """``textwrap.wrap`` for indents as wide as the line, made to finish (see :func:`greedy_wrap`).

    With less than one cell of room the stdlib cuts one character per line; when the first line's
    indent is wider than the line it can cut the empty rest of a chunk, put ``""`` on the line and
    find the same empty chunk again, forever.  Dropping that empty rest is the one difference."""
    import textwrap

    class Finishing(textwrap.TextWrapper):
        def _handle_long_word(self, reversed_chunks: list[str], cur_line: list[str], cur_len: int,
                              width: int) -> None:
            if not reversed_chunks[-1]:
                reversed_chunks.pop()
                return
            super()._handle_long_word(reversed_chunks, cur_line, cur_len, width)

    return Finishing(width, initial_indent=first, subsequent_indent=indent, break_on_hyphens=False).wrap(text)


#: One-cell text with narrow no-break spaces (U+202F), which CLDR puts in English times ("4:28 PM"):
#: wcwidth (Unicode line breaking) wraps it, not :func:`greedy_wrap`.
_ONE_CELL_NNBSP = re.compile(_ONE_CELL_TEXT.pattern.replace("\n]", "\n\u202f]"))


def _one_line(text: str, room: int) -> bool:
    """Whether ``wcwidth.wrap`` would give ``text`` (with one-cell indents) as one line, as it is: it fits in
    ``room`` cells, every character one cell wide (:data:`_ONE_CELL_NNBSP`), with no whitespace at either
    end to drop.  The dates and times of an English page: wcwidth took 0.1 ms for each; the test
    compares the two on random text."""
    return (0 < len(text) <= room and not text[0].isspace() and not text[-1].isspace()
            and _ONE_CELL_NNBSP.match(text) is not None)


@functools.lru_cache(maxsize=256)
def _indents(indent: object, first_indent: object | None) -> tuple[str, str, bool]:
    """A paragraph's indents neutralised (the first line's is ``indent`` unless given), and whether both are
    one-cell text: worked out once per pair, as a template passes the same few pairs for every paragraph."""
    rest = neutralise_controls(str(indent))
    first = rest if first_indent is None else neutralise_controls(str(first_indent))
    return rest, first, bool(_ONE_CELL_TEXT.match(first) and _ONE_CELL_TEXT.match(rest))


def wrap_text(text: object, width: int = TEXT_WIDTH, indent: str = "", first_indent: str | None = None,
              *, mark: Direction | None = None, max_token: int = DEFAULT_LIMITS.wrap_token_chars) -> str:
    """Wrap ``text`` at ``width`` terminal cells, counting wide and combining
    characters correctly in every script (wcwidth, not ``len``).  Control
    characters are neutralised first so the markers count towards the width.
    Words longer than ``max_token`` characters are cut into line-sized pieces
    first (see the module docstring).

    ``mark`` starts every line with RLM (``"rtl"``) or LRM (``"ltr"``), so
    each wrapped line of the paragraph displays in its direction.

    The result is neutralised as a whole (the indents too, which a template
    may take from data), so ``finalize`` takes it as it is."""
    if mark is not None:
        return Clean(mark_lines(wrap_text(text, width, indent, first_indent, max_token=max_token), mark))
    if isinstance(text, Segment):
        text = text.shown
    elif type(text) is not Clean:
        text = neutralise_controls(str(text))
    assert isinstance(text, str)
    if type(indent) is str and (first_indent is None or type(first_indent) is str):
        indent, first, one_cell = _indents(indent, first_indent)
    else:  # a template's own values (a segment, a number): not kept
        indent, first, one_cell = _indents.__wrapped__(indent, first_indent)
    if len(text) > max_token:
        text = _cut_long_words(text, max_token, max(1, width - max(len(indent), len(first))))
    if one_cell and _ONE_CELL_TEXT.match(text):
        # Every character is one cell wide, so len() is the width: the stdlib's lines (greedy_wrap),
        # several times faster than wcwidth (the benchmark's text-render row).
        lines = greedy_wrap(text, width, first, indent)
    elif one_cell and _one_line(text, width - len(first)):
        lines = [first + text.replace("\n", " ")]
    else:
        import wcwidth

        lines = wcwidth.wrap(text, width, initial_indent=first, subsequent_indent=indent,
                             break_on_hyphens=False, control_codes="ignore")
    return Clean("\n".join(lines))
