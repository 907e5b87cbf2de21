"""Plain-text wrapping for text pages: :func:`wrap_text`, and the :class:`Clean` marker for text already
neutralised (see :mod:`polybrief.rendering`, "Invisible control characters in content" and "Long words")."""

from __future__ import annotations

import re

from ..bidi import Direction, mark_lines
from ..controls import neutralise_controls
from ..limits import DEFAULT_LIMITS
from ..provenance import Segment

__all__ = ["TEXT_WIDTH", "wrap_text"]

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
    return re.sub(r"\S{%d,}" % (longest + 1),
                  lambda m: " ".join(m.group()[i:i + piece] for i in range(0, len(m.group()), piece)), text)


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
    indent = neutralise_controls(str(indent))
    first = indent if first_indent is None else neutralise_controls(str(first_indent))
    if len(text) > max_token:
        text = _cut_long_words(text, max_token, max(1, width - max(len(indent), len(first))))
    if _ONE_CELL_TEXT.match(text) and _ONE_CELL_TEXT.match(first) and _ONE_CELL_TEXT.match(indent):
        # Every character is one cell wide, so len() is the width: the stdlib wrapper
        # gives the same lines several times faster (the benchmark's text-render row).
        import textwrap

        lines = textwrap.wrap(text, width, initial_indent=first, subsequent_indent=indent,
                              break_on_hyphens=False)
    else:
        import wcwidth

        lines = wcwidth.wrap(text, width, initial_indent=first, subsequent_indent=indent,
                             break_on_hyphens=False, control_codes="ignore")
    return Clean("\n".join(lines))
