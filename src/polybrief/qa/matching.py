"""Small text tests the checks share: glossary terms by stem, balanced marks, name-like words.

Kept apart from :mod:`polybrief.qa.checks` because they are pure functions of
strings (no locale objects beyond :func:`quote_pairs`), easy to test and to
reuse, while the checks module is about which finding to report.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..cldr import LocaleInfo

__all__ = ["QUOTE_MARKS", "bracket_problem", "foreign_quote_marks", "is_name_like", "quote_pairs", "quote_problem",
           "term_in"]

_BRACKETS = {"(": ")", "[": "]", "{": "}"}
#: Marks that double as apostrophes, so quotation pairs using them cannot be checked.
_APOSTROPHE_MARKS = frozenset("'’‘‚ʼ`´")
#: Double quotation marks of every language (single ones double as apostrophes and are not judged).
QUOTE_MARKS = frozenset('"“”„‟«»‹›「」『』〝〞＂')
_QUOTE_MARK = re.compile("[" + "".join(re.escape(c) for c in sorted(QUOTE_MARKS)) + "]")


def is_name_like(word: str) -> bool:
    """Acronyms (AFP, UN), camel-case names (TikTok, iPhone) and words with digits (G7)."""
    if any(ch.isdigit() for ch in word):
        return True
    if len(word) > 1 and word.isupper():
        return True
    return any(ch.isupper() for ch in word[1:])


def _stem(word: str) -> str:
    """``word`` minus up to two final letters (6+ letters) or one (4–5): room for case endings."""
    if len(word) >= 6:
        return word[:-2]
    if len(word) >= 4:
        return word[:-1]
    return word


def term_in(text: str, term: str, *, stem: bool) -> bool:
    """Whether ``term`` occurs in ``text`` (case-insensitive; by stems when ``stem``).

    By stem, each word of the term matches its stem followed by any letters,
    with the words joined by spaces or hyphens, so ``Нагорный Карабах``
    accepts ``в Нагорном Карабахе`` and ``нагорно-карабахского``: inflecting
    languages rarely keep a term in its dictionary form.
    """
    words = term.split()
    if not words:
        return True
    if not stem:
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"
    else:
        parts = []
        for word in words:
            # Hyphenated words and words ending in punctuation are matched as written up to their last letters.
            parts.append(re.escape(_stem(word)) + r"\w*")
        pattern = r"(?<!\w)" + r"[\s\-‐‑]+".join(parts)
    return re.search(pattern, text, re.IGNORECASE) is not None


_BRACKET_CHARS = re.compile(r"[()\[\]{}]")
_CLOSERS = {v: k for k, v in _BRACKETS.items()}


def bracket_problem(text: str) -> str | None:
    """Why the round, square and curly brackets of ``text`` do not pair up, or None."""
    stack: list[str] = []
    closers = _CLOSERS
    for ch in _BRACKET_CHARS.findall(text):  # only the brackets matter
        if ch in _BRACKETS:
            stack.append(ch)
        elif ch in closers:
            if not stack or stack[-1] != closers[ch]:
                return f"unexpected {ch!r}"
            stack.pop()
    if stack:
        return f"{stack[-1]!r} is never closed"
    return None


def quote_pairs(locale: LocaleInfo) -> list[tuple[str, str]]:
    """The locale's primary and secondary quotation marks, minus those that double as apostrophes."""
    marks = locale.quotes
    pairs = [(marks.start.strip(), marks.end.strip()), (marks.alt_start.strip(), marks.alt_end.strip())]
    return [(a, b) for a, b in pairs if a and b and not ({a, b} & _APOSTROPHE_MARKS)]


def quote_problem(text: str, pairs: Sequence[tuple[str, str]]) -> str | None:
    """Why the quotation marks of ``text`` do not pair up, or None.

    A mark that closes the innermost open quotation wins over one that opens
    a new one (ru „…“ where “ also opens in English); a symmetric mark (")
    closes when the innermost open one is the same mark.
    """
    openers, closers, marks = _quote_table(tuple(pairs))
    stack: list[str] = []
    for ch in marks.findall(text):  # only the marks matter
        if stack and openers.get(stack[-1]) == ch:
            stack.pop()
        elif ch in openers:
            stack.append(ch)
        elif ch in closers:
            return f"unexpected {ch!r}"
    if stack:
        return f"{stack[-1]!r} is never closed"
    return None


@functools.lru_cache(maxsize=64)
def _quote_table(pairs: tuple[tuple[str, str], ...]) -> tuple[dict[str, str], dict[str, set[str]], re.Pattern[str]]:
    openers: dict[str, str] = {}
    closers: dict[str, set[str]] = {}
    for start, end in pairs:
        openers.setdefault(start, end)
        closers.setdefault(end, set()).add(start)
    chars = sorted({c for mark in (*openers, *closers) for c in mark})
    return openers, closers, re.compile("[" + "".join(re.escape(c) for c in chars) + "]" if chars else "(?!)")


def foreign_quote_marks(text: str, locale: LocaleInfo) -> list[str]:
    """Double quotation marks in ``text`` that are not among ``locale``'s own, in order of appearance.

    A locale's own marks are its primary and secondary pairs
    (:attr:`LocaleInfo.quotes`, from CLDR through ``quotation-marks.toml``):
    ``“`` is Georgian's closing mark but not Russian's opening one, so the
    marks are judged one by one against that set, not as English pairs.
    """
    marks = locale.quotes
    own = {ch for mark in (marks.start, marks.end, marks.alt_start, marks.alt_end) for ch in mark.strip()}
    return list(dict.fromkeys(ch for ch in _QUOTE_MARK.findall(text) if ch not in own))  # one C-level scan
