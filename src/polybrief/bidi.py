"""Keeping runs of the other direction in their place: HTML isolates and plain-text marks.

On a right-to-left page, a Latin name ("The Insider"), a URL, or a number
with a sign or unit ("+04:00", "$97M") sits in Persian or Arabic text; on a
left-to-right page, an Arabic name can sit in Russian text.  The Unicode
bidirectional algorithm then lets the neutral characters at the edges
(slashes, signs, colons, brackets) join the wrong side, so "+04:00" shows as
"04:00+" and a URL's final slash jumps to its start.  HTML's answer is
isolation (``<bdi>``, or ``dir`` on an element, which the UA style sheet
isolates); plain text has only the marks (RLM/LRM).

* :func:`isolate_html` escapes a string for HTML and wraps each *maximal*
  run of the opposite direction in ``<bdi dir="ltr">`` (or ``rtl``), not
  each word: a run starts at a strong letter of that direction (or, for LTR
  runs, a digit after a sign, a URL, an e-mail address or a ``<U+202E>``
  control marker), goes on through every neutral and weak character (spaces,
  punctuation, digits, ``_``, ``<``, ``/``) up to the next strong letter of
  the page's direction, and ends at its last strong character or digit, so
  the neutral punctuation around it stays with the surrounding text.  So
  ``{{ arrivals_total }}`` keeps its ``_`` and ``<b>UPDATE</b>`` its tags
  inside one isolate (per word, ``arrivals`` and ``total`` were laid out right
  to left as "total_arrivals"), and a bracket pair right around a run goes
  with it ("(AFP)").  The punctuation of right-to-left scripts (the Arabic
  comma ``،``, semicolon ``؛``, question mark ``؟`` and full stop ``۔``)
  ends a left-to-right run: it belongs to the page's text, so names listed
  with ``،`` are isolated one by one.  Bare digit runs are left alone:
  digits keep their order in every direction.
* :func:`mark_lines` starts every line of a wrapped paragraph with RLM (or
  LRM), so a plain-text viewer that takes each line's direction from its
  first strong character shows a right-to-left paragraph right to left even
  when a wrapped line begins with a Latin word or a number.

Directions come from :func:`unicodedata.bidirectional` (the Unicode
Character Database property the algorithm itself uses), not from script
tables, so every script is covered.  Input is neutralised first
(:func:`polybrief.rendering.neutralise_controls`); the isolates and marks added
here are polybrief's own and never come from content.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Literal

from .text.patterns import EMAIL, URL, URL_TRAILING

__all__ = ["LRM", "RLM", "Direction", "has_rtl", "isolate_html", "mark_lines", "opposite_runs"]

Direction = Literal["ltr", "rtl"]
RLM = "\u200f"
LRM = "\u200e"

#: Characters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo, ... and their
#: presentation forms): a fast test before scanning a left-to-right page's text.
_RTL_RANGE = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")

_STRONG = {"ltr": frozenset({"L"}), "rtl": frozenset({"R", "AL"})}
#: What ends a run whatever the direction: a paragraph or segment separator (newline, tab).
_BREAKS = frozenset({"B", "S"})
#: Punctuation of right-to-left scripts, which ends a left-to-right run (see the module docstring).
_RTL_PUNCTUATION = frozenset("،؛؟۔")
#: A control character made visible by :func:`polybrief.rendering.neutralise_controls`: one unit.
_VISIBLE_CONTROL = re.compile(r"<U\+[0-9A-F]{4,6}>")
#: Bracket pairs taken into a run they enclose exactly ("(AFP)").
_PAIRS = {"(": ")", "[": "]", "{": "}", "<": ">"}


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds any right-to-left letter."""
    return _RTL_RANGE.search(text) is not None


def _bidi(ch: str) -> str:
    return unicodedata.bidirectional(ch)


def _starts(text: str, i: int, run: Direction) -> bool:
    kind = _bidi(text[i])
    if kind in _STRONG[run]:
        return unicodedata.category(text[i]) != "Cf"  # LRM/RLM are the text's own marks, not a run
    # A signed or prefixed number in RTL text ("+04:00", "$97", "−5"): keep the sign with it.
    return run == "ltr" and kind in ("ES", "ET") and i + 1 < len(text) and _bidi(text[i + 1]) == "EN"


def opposite_runs(text: str, base: Direction) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every run in ``text`` whose direction is opposite to ``base``
    and that needs isolating (see the module docstring)."""
    run: Direction = "ltr" if base == "rtl" else "rtl"
    links: list[tuple[int, int]] = []
    if run == "ltr":
        for pattern in (URL, EMAIL, _VISIBLE_CONTROL):
            for m in pattern.finditer(text):
                end = m.start() + len(m.group(0).rstrip(URL_TRAILING)) if pattern is URL else m.end()
                links.append((m.start(), end))
        links.sort()
    i, n = 0, len(text)
    starts = {start for start, _ in links}
    page = _STRONG[base]
    while i < n:
        link = next((span for span in links if span[0] == i), None)
        if link is not None:
            yield link
            i = link[1]
            continue
        if not _starts(text, i, run):
            i += 1
            continue
        last = _run_end(text, i, run, page, starts)
        strong = any(_bidi(ch) in _STRONG[run] for ch in text[i:last])
        if strong or _bidi(text[i]) in ("ES", "ET"):
            start, end = i, last
            if start > 0 and end < n and _PAIRS.get(text[start - 1]) == text[end]:
                start, end = start - 1, end + 1
            yield start, end
        i = last


def _run_end(text: str, i: int, run: Direction, page: frozenset[str], starts: set[int]) -> int:
    """Where the run starting at ``i`` ends: after its last strong character, or after a number that
    follows it across spaces only ("Windows 11", "AMD 100,000", a signed "+04:00"); a number after
    punctuation belongs to the surrounding text ("Горис: 120,000 شخص")."""
    n, last = len(text), i + 1
    digits = ("EN", "AN")
    tail = True  # a number may still join the run: only spaces since its last strong character (or sign)
    number = _bidi(text[i]) in ("ES", "ET")
    j = i + 1
    while j < n and j not in starts:
        kind = _bidi(text[j])
        if kind in page or kind in _BREAKS or (run == "ltr" and text[j] in _RTL_PUNCTUATION):
            break
        if kind in _STRONG[run]:
            last, tail, number = j + 1, True, False
        elif kind in digits:
            if tail:
                last, number = j + 1, True
        elif kind == "NSM" and last == j:
            last = j + 1
        elif kind == "ET" and (number or last == j):  # "84.5%", "US$"
            last = j + 1
        elif number and kind in ("CS", "ES") and j + 1 < n and _bidi(text[j + 1]) in digits:
            pass  # a separator inside the number ("120,000", "04:00")
        elif kind != "WS" or number:
            tail = number = False
        j += 1
    return last


def isolate_html(text: str, base: Direction) -> str:
    """``text`` escaped for HTML, each opposite-direction run wrapped in ``<bdi dir=...>``.

    Returns markup as a plain ``str``; the caller marks it safe.
    """
    from markupsafe import escape

    if base == "ltr" and not has_rtl(text):
        return str(escape(text))
    other = "ltr" if base == "rtl" else "rtl"
    out: list[str] = []
    pos = 0
    for start, end in opposite_runs(text, base):
        out.append(str(escape(text[pos:start])))
        out.append(f'<bdi dir="{other}">{escape(text[start:end])}</bdi>')
        pos = end
    out.append(str(escape(text[pos:])))
    return "".join(out)


def mark_lines(text: str, direction: Direction) -> str:
    """Every line of ``text`` started with the mark of ``direction`` (RLM or LRM)."""
    mark = RLM if direction == "rtl" else LRM
    return "\n".join(mark + line if line else line for line in text.split("\n"))
