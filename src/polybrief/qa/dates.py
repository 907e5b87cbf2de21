"""Dates in a source and its translation: day, month and year read with each locale's CLDR month names.

A date whose day and month were swapped (``05.12.2023`` for 12 May) or
whose month name was changed (``12 июня`` for 12 May) keeps every digit of
the source, so the ``numbers`` check passes it.  :func:`dates_in` reads the
dates of a text as (day, month, year) triples, with any part unknown:

* a month *name* next to a number — the day before or after it, a year
  after it — in the locale's CLDR month names (wide and abbreviated, format
  and stand-alone, from Babel), inflected forms matched by stem (``мае``,
  ``մայիսին``, ``sentyabrda``), and for Arabic the names of every Arabic
  locale (``مايو``, ``أيار``, ``ماي``);
* a numeric date (``12.05.2023``, ``2023-05-12``, ``12/05/23``), its order
  taken from the locale's CLDR short date pattern (``dd.MM.y`` in ru,
  ``M/d/yy`` in en, ``y/M/d`` in fa).

A month name alone ("May", "March") is never a date: English uses both as
words.  Only what both sides say is compared (see the ``dates`` check).
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

__all__ = ["Date", "dates_in", "month_names"]

#: Locales whose month names a language's texts use (Arabic writes the Gregorian months three ways).
_VARIANTS: dict[str, tuple[str, ...]] = {"ar": ("ar", "ar_SY", "ar_MA", "ar_DZ", "ar_IQ"), "fa": ("fa",)}
_NUMBER = r"(\d{1,4})"
_NUMERIC = re.compile(r"(?<![\d.,/\-])(\d{1,4})([./\-])(\d{1,2})\2(\d{1,4})(?![\d/\-]|[.,]\d)")
_TOKEN = re.compile(r"\d{1,4}|[^\W\d_]+(?:\.)?")
_ANY_DIGIT = re.compile(r"\d")
#: A character outside ASCII: only such a digit or direction mark is rewritten before dates are read.
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
#: What an English date has: a month's first three letters, or digits joined by . / or -.
_EN_HINT = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|\d[./-]\d")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})


class Date(NamedTuple):
    """A date as a text gives it: any part may be None."""

    day: int | None
    month: int
    year: int | None


def _fold(word: str, language: str) -> str:
    if language in ("az", "tr"):
        word = word.replace("İ", "i").replace("I", "ı")
    return word.lower().translate(_ARABIC_FOLD).rstrip(".")


@functools.lru_cache(maxsize=32)
def month_names(language: str) -> dict[str, int]:
    """Every month name of ``language`` (folded, three letters or more) and its number."""
    from babel.dates import get_month_names

    names: dict[str, int] = {}
    for identifier in _VARIANTS.get(language, (language,)):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                try:
                    table = get_month_names(width, context, identifier)
                except (ValueError, LookupError):
                    continue
                for number, name in table.items():
                    for word in name.split()[-1:]:  # كانون الثاني: the last word tells the two Kanuns apart
                        folded = _fold(word, language)
                        if len(folded) >= 3 and not folded.isdigit():
                            names.setdefault(folded, number)
    return names


@functools.lru_cache(maxsize=64)
def _stems(language: str) -> tuple[tuple[str, int], ...]:
    """Month names as stems for inflected forms (``мая`` → ``ма``+…, longest first)."""
    out = []
    for name, number in month_names(language).items():
        stem = name[:-1] if len(name) >= 5 and name[-1] in "яьйаеиоуыіїюєъիը" else name
        out.append((stem, number))
    return tuple(sorted(out, key=lambda item: -len(item[0])))


def _month(word: str, language: str) -> int | None:
    folded = _fold(word, language)
    names = month_names(language)
    if folded in names:
        return names[folded]
    for stem, number in _stems(language):
        if len(stem) >= 4 and folded.startswith(stem) and len(folded) - len(stem) <= 5:
            return number
    return None


@functools.lru_cache(maxsize=64)
def _order(identifier: str) -> str:
    """``dmy``, ``mdy`` or ``ymd``: the order of the locale's CLDR short date pattern."""
    from babel.dates import get_date_format

    try:
        pattern = get_date_format("short", identifier).pattern
    except (ValueError, LookupError):
        return "dmy"
    positions = sorted((pattern.find(ch), ch) for ch in "dMy" if ch in pattern)
    return "".join(ch for _, ch in positions).lower() or "dmy"


def _numeric(text: str, identifier: str) -> list[Date]:
    out = []
    for m in _NUMERIC.finditer(text):
        first, _, second, third = m.groups()
        if len(first) == 4:
            parts = {"y": first, "m": second, "d": third}
        else:
            order = _order(identifier)
            parts = dict(zip(order, (first, second, third)))
        day, month, year = int(parts.get("d", 0)), int(parts.get("m", 0)), int(parts.get("y", 0))
        if 1 <= month <= 12 and 1 <= day <= 31:
            out.append(Date(day, month, year if year else None))
    return out


def _day(token: str | None) -> int | None:
    if token is None or not token.isdigit() or len(token) > 2:
        return None
    value = int(token)
    return value if 1 <= value <= 31 else None


def _year(token: str | None) -> int | None:
    return int(token) if token is not None and token.isdigit() and len(token) == 4 else None


def dates_in(text: str, language: str, identifier: str) -> list[Date]:
    """The dates of ``text`` (see the module docstring), in order."""
    if not _ANY_DIGIT.search(text) or (language == "en" and not _EN_HINT.search(text)):
        return []
    plain = text
    if not text.isascii() and any(ch.isdigit() or ch in "\u200e\u200f\u061c" for ch in set(_NON_ASCII.findall(text))):
        import unicodedata

        plain = "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch
                        for ch in text if ch not in "\u200e\u200f\u061c")
    return _numeric(plain, identifier) + _named(_TOKEN.findall(plain), language)


def _named(tokens: list[str], language: str) -> list[Date]:
    """Dates with a month name among ``tokens``: the name with a day before or after it, or a year."""
    out = []
    for index, token in enumerate(tokens):
        if token[0].isdigit() or len(token) < 3 or (language == "en" and not token[0].isupper()):
            continue  # "may" is a verb; the English month is capitalised
        month = _month(token, language)
        if month is None:
            continue
        before, after, later = (tokens[i] if 0 <= i < len(tokens) else None for i in (index - 1, index + 1, index + 2))
        day = _day(before) or _day(after)
        year = _year(after) or _year(later) or (_year(before) if day is None else None)
        if day is not None or year is not None:
            out.append(Date(day, month, year))
    return out
