"""Numbers in a text, read the way each locale writes them.

The ``numbers`` checks compare *values*, not strings: ``120,000`` (en),
``120 000`` (ru, with NBSP, narrow NBSP or a plain space), ``120.000`` (az)
and ``120 тысяч`` are the same number, and ``2.5`` (en) is ``2,5`` (ru).
Each text is therefore read in its own locale's format, with group and
decimal symbols from CLDR through Babel (:func:`number_format`), and a scale
word after a number (thousand/million/billion in en, ru, hy and az, and the
words of the locale's CLDR compact formats: ``97 մլն``, ``97 მლნ.``,
``$97M``, ``۹۷ میلیون``) adds the scaled value to what the number may stand
for (:func:`read_numbers`).  Percentages need nothing of their own: ``84.5%``,
``84,5 %`` and ``۸۴٫۵٪`` are the number 84.5 in each locale's symbols.

Years (``2023``) are plain digit runs and never grouped, so
``in 2023 120 000 people`` still reads 2023 and 120000.  Digits glued to a
letter in the *source* (``G7``, ``A4``) are identifiers, not counts; digits
followed by letters are numbers (ordinals ``19th`` → ``19-го``, ``19-րդ``,
``19-cu``).  Arabic-Indic digits and ``٬``/``٫`` are read in Arabic-script
locales.

Only reading lives here; what the checks conclude from the numbers read
(number words, whether an added number looks like a figure) is
:mod:`polybrief.qa.numbers`.  Babel is imported inside the functions, so
importing this module stays cheap.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from .scripts import locale_script

if TYPE_CHECKING:
    from ..cldr import LocaleInfo

__all__ = [
    "INFORMAL_DECIMALS",
    "Number",
    "NumberFormat",
    "informal_decimals",
    "number_format",
    "read_numbers",
    "without_scale_periods",
]

#: Space-like group symbols accepted in every locale (NBSP, narrow NBSP, thin space).
_SPACE_GROUPS = "\u00a0\u202f\u2009"
#: Languages whose case endings attach to a scale word after a number (120 mindən, 120 ათასზე).
AGGLUTINATIVE: frozenset[str] = frozenset({"hy", "az", "tr", "ka", "kk", "ky", "uz", "tk", "tt", "ba", "fi", "et",
                                           "hu"})
#: Decimal marks writers use besides CLDR's, by language ("Arab": every Arabic-script locale): the Latin
#: comma and the Arabic comma between digits (``2,5 مليون``, ``1،2``), read as decimals only where no group
#: reading exists (one or two digits after the mark).
_ALT_DECIMALS: dict[str, str] = {"Arab": ",\u060c"}

#: Scale words after a number ("120 тысяч", "1.5 million"), lower-cased, by multiplier.
_SCALES: tuple[tuple[str, int], ...] = (
    (r"thousand|тыс\.?|тысяч\w*|հազար\w*|min", 1_000),
    (r"million|mln|млн\.?|миллион\w*|միլիոն\w*|milyon\w*", 1_000_000),
    (r"billion|bn|млрд\.?|миллиард\w*|միլիարդ\w*|milyard\w*", 1_000_000_000),
)
_SCALE_AFTER = re.compile(r"[\s\u00a0\u202f]*(" + "|".join(p for p, _ in _SCALES) + r")(?!\w)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NumberFormat:
    """How one locale writes numbers: its group and decimal symbols, as a scanning regex,
    and the scale words that may follow a number (``млн``, ``մլն``, ``M``) with their factors."""

    tag: str
    groups: str
    decimals: str
    pattern: re.Pattern[str]
    space_grouped: bool
    scales: tuple[tuple[str, int], ...] = _SCALES
    scale_after: re.Pattern[str] = _SCALE_AFTER
    alt_decimals: str = ""
    """Decimal marks the locale's writers use besides CLDR's where no group reading exists (ar ``2,5``)."""


def _cldr_scales(locale: LocaleInfo) -> tuple[tuple[str, int], ...]:
    return _cldr_scales_of(locale.identifier)


@functools.lru_cache(maxsize=64)
def _cldr_scales_of(identifier: str) -> tuple[tuple[str, int], ...]:
    """Scale words of ``locale``'s CLDR compact number formats, with their factors.

    The compact forms polybrief itself prints for money (``97 մլն $``,
    ``97 მლნ. US$``, ``$97M``) and that translators copy, in every locale:
    the pattern ``00 млн`` under ``10000000`` is the word ``млн`` times a
    million.  Read from Babel, so no locale needs a table here.
    """
    from babel import Locale

    words: dict[str, int] = {}
    formats = Locale.parse(identifier).compact_decimal_formats
    for width in ("short", "long"):
        for table in (formats.get(width) or {}).values():
            for magnitude, number_pattern in table.items():
                text = number_pattern.pattern.split(";")[0]
                digits = text.count("0")
                word = re.sub(r"[0#'.,\s\u00a0\u202f\u200e\u200f\u061c]", "", text).lower()
                if digits and word:
                    words.setdefault(word, int(magnitude) // 10 ** (digits - 1))
    return tuple((re.escape(word) + r"\.?", factor) for word, factor in words.items())


def without_scale_periods(text: str, locale: LocaleInfo) -> str:
    """``text`` without the period of an abbreviated scale word after a number (``97 მლნ. დოლარი``,
    ``120 тыс. человек``): an abbreviation, not the end of a sentence, for the sentence checks."""
    pattern = _scale_period_pattern(locale.identifier)
    if pattern is None or pattern.search(text) is None:  # (a search is cheaper than a substitution's set-up)
        return text
    return pattern.sub(r"\1", text)


@functools.lru_cache(maxsize=64)
def _scale_period_pattern(identifier: str) -> re.Pattern[str] | None:
    words = [p.removesuffix(r"\.?") for p, _ in _cldr_scales_of(identifier)]
    if not words:
        return None
    # Case is ignored in the words only (``(?i:…)``), as it was when the flag held for the whole pattern, which
    # starts with a digit whatever the flags: so the engine skips ahead to digits in C instead of trying the
    # pattern at every character (a pattern-wide IGNORECASE kept it from doing so).
    return re.compile(r"(\d[\s\u00a0\u202f]?(?i:" + "|".join(sorted(words, key=len, reverse=True)) + r"))\.(?=\s+\S)")


def number_format(locale: LocaleInfo, *, source: bool) -> NumberFormat:
    """Group and decimal symbols of ``locale`` from CLDR (Latin and the locale's native digits,
    plus Arabic-Indic ones for Arabic-script locales).

    Space-like group symbols (NBSP, narrow NBSP, thin space) are always
    accepted; a plain space only where the locale's own group symbol is a
    space, because elsewhere "in 2023 500 people" must stay two numbers.

    Built once per locale and side (a pure function of CLDR data): building it
    for every segment was 13 % of a publish run.
    """
    return _number_format(locale, source)


@functools.lru_cache(maxsize=128)
def _number_format(locale: LocaleInfo, source: bool) -> NumberFormat:
    from babel.numbers import (
        UnsupportedNumberingSystemError,
        get_decimal_symbol,
        get_group_symbol,
    )

    groups: set[str] = set(_SPACE_GROUPS)
    decimals: set[str] = set()
    systems = ["latn", "default"]
    if locale_script(locale) == "Arab":
        # Arabic-script texts mix Latin digits with Arabic-Indic ones (and their ٬ ٫ symbols).
        systems += ["arab", "arabext"]
    for system in systems:
        try:
            groups.add(get_group_symbol(locale.babel, numbering_system=system))
            decimals.add(get_decimal_symbol(locale.babel, numbering_system=system))
        except (UnsupportedNumberingSystemError, KeyError, ValueError):
            continue
    own_group = get_group_symbol(locale.babel)
    space_grouped = own_group.isspace() or own_group in _SPACE_GROUPS
    # A plain space groups thousands in print everywhere ("100 000-dən çox" in az, whose CLDR group is
    # "."); read_numbers keeps the parts of a space-grouped number as values too, so "in 2023 500 people"
    # still has 500.
    groups.add(" ")
    if groups & {"'", "’"}:
        groups |= {"'", "’"}
    groups -= decimals
    g = "".join(sorted(groups))
    d = "".join(sorted(decimals)) or "."
    # In the source, digits glued to a letter are identifiers (G7, A4); in a target
    # they may be an inflection or a prefix, so only a preceding digit is excluded.  (Read: the first digit,
    # and no digit (nor, in the source, letter) before it, then ``\d{1,3}(?:[g]\d{3})+|\d+`` with that digit
    # taken, the same lengths tried in the same order.  Opening with the digit lets the engine skip ahead to
    # digits in C; the lookbehinds first were tried at every character.)
    first = r"\d(?<![^\W_]\d)" if source else r"\d(?<!\d\d)"
    pattern = re.compile(
        first + r"(?:\d{0,2}(?:[" + re.escape(g) + r"]\d{3})+|\d*)(?:[" + re.escape(d) + r"]\d+)?(?!\d)"
    )
    scales = _SCALES + _cldr_scales(locale)
    # Agglutinative languages inflect the scale word itself: 120 mindən (az), 120 ათასზე (ka, from ათასი).
    ending = r"[^\W\d_]{0,6}" if locale.language in AGGLUTINATIVE else ""
    if locale.language == "ka":
        scales = tuple((re.sub(r"ი(?=\\\.\?)", "ი?", p), factor) for p, factor in scales)
    words = "|".join(p for p, _ in scales)
    scale_after = re.compile(r"[\s\u00a0\u202f]*(" + words + r")" + ending + r"(?!\w)", re.IGNORECASE)
    alt = _ALT_DECIMALS.get(locale.language if locale_script(locale) != "Arab" else "Arab", "")
    return NumberFormat(locale.tag, g, d, pattern, space_grouped, scales, scale_after, alt)


@dataclass(frozen=True, slots=True)
class Number:
    """A number as written (``120,000``) and the values it may stand for."""

    text: str
    value: Decimal
    values: frozenset[Decimal]
    start: int
    end: int


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text)


@functools.lru_cache(maxsize=8192)
def _token_value(token: str, decimals: str) -> Decimal | None:
    """The value of one number token with decimal symbols ``decimals`` (cached: texts repeat numbers).

    The token's digits are made ASCII, its group symbols dropped and its last
    decimal symbol read as the point.  (Babel's ``parse_decimal`` on the same
    digits with the locale's decimal symbol gives the same value, at ten
    times the cost: it was the most expensive step of reading a number.)
    """
    canonical = _ascii_digits(token)
    integer, sep, fraction = canonical, "", ""
    for d in decimals:
        if d in canonical:
            integer, sep, fraction = canonical.rpartition(d)
            break
    integer = "".join(ch for ch in integer if ch.isdigit())
    try:
        return Decimal(integer + ("." + fraction if sep else ""))
    except InvalidOperation:
        return None


def read_numbers(text: str, fmt: NumberFormat, locale: LocaleInfo) -> list[Number]:
    """Every number in ``text`` read in ``fmt``, with scaled values ("120 тысяч" → 120000)."""
    out: list[Number] = []
    decimals = fmt.decimals  # (no search for a digit first: the pattern skips ahead to digits itself)
    scale_after = fmt.scale_after
    for m in fmt.pattern.finditer(text):  # (the pattern opens with a digit: the engine skips ahead to digits)
        token = m.group(0)
        value = _token_value(token, decimals)
        if value is None:
            continue
        values = {value}
        end = m.end()
        scale = scale_after.match(text, end)
        if scale is not None:
            word = scale.group(1).lower()
            for pattern, factor in fmt.scales:
                if re.fullmatch(pattern, word, re.IGNORECASE):
                    values.add(value * factor)
        if not token.isdigit() and _SPACE.search(token):
            # "7 495 123" may be digits separated by spaces rather than one grouped number.
            for part in _SPACE.split(token):
                part_value = _token_value(part, decimals)
                if part_value is not None:
                    values.add(part_value)
        out.append(Number(token, value, frozenset(values), m.start(), end))
    if fmt.alt_decimals and any(mark in text for mark in fmt.alt_decimals):
        out = _with_alt_decimals(text, out, fmt)
    return out


@functools.lru_cache(maxsize=8)
def _alt_decimal_pattern(marks: str) -> re.Pattern[str]:
    m = re.escape(marks)
    return re.compile(r"(?<![\d" + m + r"])(\d+)[" + m + r"](\d{1,2})(?![\d" + m + r"])")


def _with_alt_decimals(text: str, numbers: list[Number], fmt: NumberFormat) -> list[Number]:
    """``numbers`` with ``2,5`` read as 2.5 (its parts stay values of it) where the format's
    :attr:`~NumberFormat.alt_decimals` are decimal marks; a scale word after it scales it."""
    found = []
    for m in _alt_decimal_pattern(fmt.alt_decimals).finditer(text):
        value = Decimal(_ascii_digits(m.group(1)) + "." + _ascii_digits(m.group(2)))
        values = {value} | {v for n in numbers if m.start() <= n.start and n.end <= m.end() for v in n.values}
        scale = fmt.scale_after.match(text, m.end())
        if scale is not None:
            word = scale.group(1).lower()
            values |= {value * factor for pattern, factor in fmt.scales if re.fullmatch(pattern, word, re.IGNORECASE)}
        found.append(Number(m.group(0), value, frozenset(values), m.start(), m.end()))
    if not found:
        return numbers
    kept = [n for n in numbers if not any(f.start <= n.start and n.end <= f.end for f in found)]
    return sorted(kept + found, key=lambda n: n.start)


_SPACE = re.compile(r"\s")


#: Informal decimal marks readers of a language use besides CLDR's symbol: Persian writers often
#: put a slash between the digits (``۵/۲`` for 5.2) where CLDR has the momayyez (``۵٫۲``).
INFORMAL_DECIMALS: dict[str, str] = {"fa": "/"}


def informal_decimals(text: str, locale: LocaleInfo) -> list[Number]:
    """Numbers written with the language's informal decimal mark (:data:`INFORMAL_DECIMALS`).

    ``۵/۲`` reads as 5.2; runs of more slashes (``۱۴۰۲/۰۵/۲۰``, a date) do not.
    """
    mark = INFORMAL_DECIMALS.get(locale.language)
    if not mark:
        return []
    out: list[Number] = []
    for m in _informal_pattern(mark).finditer(text):
        value = Decimal(_ascii_digits(m.group(1)) + "." + _ascii_digits(m.group(2)))
        out.append(Number(m.group(0), value, frozenset({value}), m.start(), m.end()))
    return out


@functools.lru_cache(maxsize=8)
def _informal_pattern(mark: str) -> re.Pattern[str]:
    m = re.escape(mark)
    return re.compile(r"(?<![\d" + m + r"])(\d+)" + m + r"(\d+)(?![\d" + m + r"])")
