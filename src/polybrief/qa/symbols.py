"""Currencies and percent signs in a source and its translation.

"$97 million" translated as ``97 млн евро`` keeps every digit and changes
the fact; "84.5%" translated as ``84,5`` turns a share into a count.  So:

* :func:`currencies` reads the currencies a text names next to a number: a
  symbol (``$``, ``€``, ``₽``, ``֏``, ``₾``, ``₼``…), an ISO code (``USD``)
  or, in English, a name ("dollars", "euros").  A bare ``$`` is any dollar.
* :func:`names_currency` says whether a translation names one, in the
  symbols, codes and display names CLDR gives the target locale (through
  Babel: ``долларов США``, ``դոլար``, ``دلار``), matched by stem, since
  names inflect (``доллара``, ``dollarla``).
* :func:`has_percent` accepts ``%``, the Arabic ``٪`` and ``‰``, and the
  word a language says it with, from CLDR's unit names (``процентов``,
  ``տոկոս``, ``درصد``) or, for Arabic, ``بالمئة``/``في المائة``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from .numbers import ascii_key

__all__ = ["CURRENCY_SYMBOLS", "currencies", "has_percent", "names_currency", "percents", "words_for"]

#: Currency symbols and the ISO code each stands for (``$`` stands for every dollar).
CURRENCY_SYMBOLS: dict[str, str] = {
    "US$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB", "₴": "UAH", "₼": "AZN", "֏": "AMD",
    "₾": "GEL", "₺": "TRY", "₹": "INR", "﷼": "IRR", "₩": "KRW", "₸": "KZT",
}
#: The currencies a translation is searched for.
CODES = ("USD", "EUR", "GBP", "JPY", "CNY", "RUB", "UAH", "AZN", "AMD", "GEL", "TRY", "INR", "IRR", "SAR", "AED",
         "CHF", "KRW", "CAD", "AUD", "EGP", "IQD", "KZT", "BYN", "SYP", "JOD", "LBP", "KWD", "QAR")
#: English names of currencies (singular stems).
_EN_NAMES = {"dollar": "USD", "euro": "EUR", "pound": "GBP", "sterling": "GBP", "yen": "JPY", "yuan": "CNY",
             "renminbi": "CNY", "rouble": "RUB", "ruble": "RUB", "hryvnia": "UAH", "hryvnias": "UAH", "manat": "AZN",
             "dram": "AMD", "lari": "GEL", "lira": "TRY", "rupee": "INR", "rial": "IRR", "riyal": "SAR",
             "dirham": "AED", "franc": "CHF", "won": "KRW", "tenge": "KZT", "dinar": "IQD"}
_SYMBOL = "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
#: A currency next to a number.  (``[\d.,]*+`` gives nothing back: what follows it never starts with a digit, a point
#: or a comma, so backtracking into it found no match and only cost time.)
_SOURCE = re.compile(
    r"(?:(?P<sym1>" + _SYMBOL + r")\s?\d|\d[\d.,]*+\s?(?:million|billion|thousand|[mbk]n?)?\s?(?P<sym2>" + _SYMBOL
    + r")(?!\w)|(?<![A-Z])(?P<code>" + "|".join(CODES) + r")(?![A-Za-z])(?=\s?\d)|(?<=\d)\s?(?P<code2>"
    + "|".join(CODES) + r")(?![A-Za-z])|\d[\d.,]*+\s+(?:(?:million|billion|thousand|trillion)\s+)?(?:[A-Z]{2,3}\s+)?"
    r"(?P<name>" + "|".join(_EN_NAMES) + r")s?(?!\w))",
    re.IGNORECASE,
)
_PERCENT_SOURCE = re.compile(r"\d\s?(?:%(?![sdif(])|percent|per cent)", re.IGNORECASE)
_PERCENT_MARK = re.compile("[%٪‰]")
#: How Arabic says "percent" besides ٪ (CLDR's unit name is the sign itself).
_PERCENT_WORDS = {"ar": ("بالمئة", "بالمائة", "المئة", "المائة", "مئوي", "مئوية"), "en": ("percent", "per cent")}


#: How far before a digit a match of :data:`_SOURCE` may start (``US$ 5``: a symbol or code and a space).
_LEAD = 4
_DIGITS = re.compile(r"\d+")


def _source_matches(text: str) -> Iterator[re.Match[str]]:
    """What ``_SOURCE.finditer(text)`` finds, tried only near digits.

    Every alternative of the pattern holds a digit no more than :data:`_LEAD`
    characters after its start, or starts right after one (``5 USD``), so no
    match starts elsewhere; the regex engine tried all its alternatives at
    every character of the text, which made reading a source's currencies
    the costliest step of the ``currency`` check.
    """
    end = 0
    match = _SOURCE.match
    for run in _DIGITS.finditer(text):
        position = max(run.start() - _LEAD, end)
        last = run.end()
        while position <= last:
            m = match(text, position)
            if m is None:
                position += 1
                continue
            yield m
            position = end = m.end()


def currencies(text: str) -> list[str]:
    """ISO codes of the currencies ``text`` names next to a number, each once, in order."""
    out: list[str] = []
    for m in _source_matches(text):
        symbol = m.group("sym1") or m.group("sym2")
        code = (CURRENCY_SYMBOLS.get(symbol) if symbol else None) or m.group("code") or m.group("code2")
        if code is None and m.group("name"):
            code = _EN_NAMES[ascii_key(m.group("name"))]
        if code and code.upper() not in out:
            out.append(code.upper())
    return out


def _stem(word: str) -> str:
    return word[:-2] if len(word) >= 7 else word[:-1] if len(word) >= 5 else word


@functools.lru_cache(maxsize=256)
def words_for(code: str, identifier: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(symbols and codes, name stems) a text in locale ``identifier`` may name currency ``code`` with."""
    from babel import Locale
    from babel.numbers import get_currency_symbol

    locale = Locale.parse(identifier)
    marks = {code, get_currency_symbol(code, locale)}
    marks |= {symbol for symbol, c in CURRENCY_SYMBOLS.items() if c == code}
    if code == "USD":
        marks.add("$")
    names = {locale.currencies.get(code, "")}
    plural = locale._data.get("currency_names_plural", {}).get(code, {})
    names |= set(plural.values()) if hasattr(plural, "values") else set()
    names |= {name for name, c in _EN_NAMES.items() if c == code}
    # Every word of four letters or more of every name, not abbreviations: ԱՄՆ դոլար → դոլար, доллар США → доллар.
    stems = {_stem(word.lower()) for name in names for word in re.findall(r"[^\W\d_]{4,}", name)
             if not word.isupper()}
    return tuple(sorted(m for m in marks if m)), tuple(sorted(stems))


def names_currency(text: str, code: str, identifier: str) -> bool:
    """Whether ``text`` names currency ``code`` (symbol, code or a form of its name in the locale)."""
    marks, stems = words_for(code, identifier)
    for mark in marks:
        if mark.isalpha() and mark.isascii():
            if re.search(r"(?<![A-Za-z])" + re.escape(mark) + r"(?![A-Za-z])", text):
                return True
        elif mark in text:
            return True
    lowered = text.lower()
    return any(re.search(r"(?<!\w)" + re.escape(stem), lowered) for stem in stems)


def percents(text: str) -> int:
    """How many percentages ``text`` writes (``84.5%``, ``12 percent``)."""
    return len(_PERCENT_SOURCE.findall(text)) if "%" in text or "per" in text.lower() else 0


@functools.lru_cache(maxsize=64)
def _percent_words(identifier: str, language: str) -> tuple[str, ...]:
    from babel.units import format_unit

    words = list(_PERCENT_WORDS.get(language, ()))
    for count in (1, 2, 5, 21):
        try:
            text = format_unit(count, "concentr-percent", length="long", locale=identifier)
        except (ValueError, LookupError):
            continue
        words += [_stem(w.lower()) for w in re.findall(r"[^\W\d_]{3,}", text)]
    return tuple(dict.fromkeys(words))


def has_percent(text: str, identifier: str, language: str) -> bool:
    """Whether ``text`` has a percent sign or the locale's word for percent."""
    if _PERCENT_MARK.search(text):
        return True
    lowered = text.lower()
    return any(word in lowered for word in _percent_words(identifier, language))
