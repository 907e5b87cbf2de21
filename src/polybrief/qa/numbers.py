"""Numbers in a text, read the way each locale writes them, and number words.

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

Number words come from small tables (:data:`NUMBER_WORDS`) for ru and uk
(every case form listed), hy and az (the stem plus case endings, so ``երկուսը``
counts as 2 but ``երկուշաբթի``, Monday, does not) and en.  Spelled ordinals
("first") and "one" (mostly a pronoun: "no one", "one of") are ignored in
the source.  Babel is imported inside the functions, so importing this
module stays cheap.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from .patterns import WORD
from .scripts import locale_script

if TYPE_CHECKING:
    from ..cldr import LocaleInfo

__all__ = [
    "INFORMAL_DECIMALS",
    "NUMBER_WORDS",
    "Number",
    "NumberFormat",
    "has_number_word",
    "informal_decimals",
    "looks_like_figure",
    "number_format",
    "read_numbers",
    "spelled_source_numbers",
]

#: Space-like group symbols accepted in every locale (NBSP, narrow NBSP, thin space).
_SPACE_GROUPS = "\u00a0\u202f\u2009"

#: English number words (the usual source language).  "one" is left out on purpose.
_EN_UNITS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_EN_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
             "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
            "eighty": 80, "ninety": 90}
_EN_SPELLED = re.compile(
    r"(?<![\w-])(?:(" + "|".join(_EN_TENS) + r")(?:-(one|" + "|".join(_EN_UNITS) + r"))?|("
    + "|".join([*_EN_TEENS, *_EN_UNITS]) + r"))(?![\w-])",
    re.IGNORECASE,
)

#: Armenian case endings after a number word (երկուսը, երեքի, չորսից), but not compounds
#: such as երկուշաբթի (Monday) or երեքշաբթի (Tuesday).
_HY_CASES = "{}(?:ս)?(?:ը|ն|ի|ին|ից|ով|ում|ու)?"
#: Azerbaijani case and possessive endings (ikisi, dördü, üçündən), but not altında ("under").
_AZ_CASES = "{}(?:(?:s[ıiuü]|[ıiuü])(?:n[ıiuü]n|n[aə]|nd[aə]n?|n)?|y?[aə]|d[aə]n?|l[aə]r|nc[ıiuü])?"

#: Number words in target languages, each a regex matched against a whole word
#: (lower-cased).  Inflected forms are listed (ru) or matched by stem (hy, az).
NUMBER_WORDS: dict[str, dict[int, str]] = {
    "ru": {
        1: r"од(?:ин|на|но|ного|ной|ному|ним|ну|ном)",
        2: r"дв(?:а|е|ух|ум|умя|ое|оих|оим|оими)",
        3: r"тр(?:и|[её]х|[её]м|емя|ое|оих|оим|оими)",
        4: r"четыр(?:е|[её]х|[её]м|ьмя)|четвер(?:о|ых|ым|ыми)",
        5: r"пят(?:ь|и|ью|еро|ерых|ерым)",
        6: r"шест(?:ь|и|ью|еро|ерых|ерым)",
        7: r"сем(?:ь|и|ью|еро|ерых|ерым)",
        8: r"(?:восемь|восьми|восемью|восьмеро|восьмерых)",
        9: r"девят(?:ь|и|ью|еро|ерых)",
        10: r"десят(?:ь|и|ью|еро|ерых)",
        11: r"одиннадцат(?:ь|и|ью)", 12: r"двенадцат(?:ь|и|ью)", 13: r"тринадцат(?:ь|и|ью)",
        14: r"четырнадцат(?:ь|и|ью)", 15: r"пятнадцат(?:ь|и|ью)", 16: r"шестнадцат(?:ь|и|ью)",
        17: r"семнадцат(?:ь|и|ью)", 18: r"восемнадцат(?:ь|и|ью)", 19: r"девятнадцат(?:ь|и|ью)",
        20: r"двадцат(?:ь|и|ью)", 30: r"тридцат(?:ь|и|ью)", 40: r"сорок(?:а)?",
        50: r"пят(?:ьдесят|идесяти)", 60: r"шест(?:ьдесят|идесяти)", 70: r"сем(?:ьдесят|идесяти)",
        80: r"восем(?:ьдесят|идесяти)|восьмидесяти", 90: r"девяност(?:о|а)", 100: r"ст(?:о|а)",
    },
    # Ukrainian: 5 and 9 (п'ять, дев'ять) are left out, since words are split at the apostrophe.
    "uk": {
        1: r"од(?:ин|на|но|ного|нієї|ній|ному|ним|ну|ною|ні|них|ними)",
        2: r"дв(?:а|і|ох|ом|ома|оє|ох|оїм|оїх|ома)",
        3: r"тр(?:и|ьох|ьом|ьома|оє|ох|оїм|оїх)",
        4: r"чотир(?:и|ьох|ьом|ма)|четвер(?:о|ох|ом|ьом)",
        6: r"шіст(?:ь|ьох|ьом|ьма)|шестер(?:о|ох|ом)",
        7: r"сім|сем(?:и|ох|ом|ома|еро)",
        8: r"вісім|вос(?:ьми|ьмох|ьмом|ьма|меро)",
        10: r"десят(?:ь|и|ьох|ьом|ьма|еро)",
        11: r"одинадцят(?:ь|и|ьох|ьом|ьма)", 12: r"дванадцят(?:ь|и|ьох|ьом|ьма)",
        20: r"двадцят(?:ь|и|ьох|ьом|ьма)", 30: r"тридцят(?:ь|и|ьох|ьом|ьма)", 40: r"сорок(?:а|ох|ом)?",
        100: r"ст(?:о|а)",
    },
    "hy": {
        value: _HY_CASES.format(base) for value, base in {
            1: "մեկ", 2: "երկու", 3: "երեք", 4: "չորս", 5: "հինգ", 6: "վեց", 7: "յոթ", 8: "ութ", 9: "ին(?:ը|ն)",
            10: "տաս(?:ը|ն)?", 11: "տասնմեկ", 12: "տասներկու", 13: "տասներեք", 14: "տասնչորս", 15: "տասնհինգ",
            16: "տասնվեց", 17: "տասնյոթ", 18: "տասնութ", 19: "տասնինը", 20: "քսան", 30: "երեսուն",
            40: "քառասուն", 50: "հիսուն", 60: "վաթսուն", 70: "յոթանասուն", 80: "ութսուն", 90: "իննսուն",
            100: "հարյուր",
        }.items()
    },
    "az": {
        value: _AZ_CASES.format(base) for value, base in {
            2: "iki", 3: "üç", 4: "dörd", 5: "beş", 6: "altı", 7: "yeddi", 8: "səkkiz", 9: "doqquz",
            20: "iyirmi", 30: "otuz", 40: "qırx", 50: "əlli", 60: "altmış", 70: "yetmiş", 80: "səksən",
            90: "doxsan",
        }.items()
    } | {1: "bir", 10: "on", 100: "yüz"},
    "en": {
        **{v: k for k, v in {**_EN_UNITS, **_EN_TEENS, **_EN_TENS}.items()},
        1: r"one", 100: r"hundred",
    },
}

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
    return pattern.sub(r"\1", text) if pattern is not None else text


@functools.lru_cache(maxsize=64)
def _scale_period_pattern(identifier: str) -> re.Pattern[str] | None:
    words = [p.removesuffix(r"\.?") for p, _ in _cldr_scales_of(identifier)]
    if not words:
        return None
    return re.compile(r"(\d[\s\u00a0\u202f]?(?:" + "|".join(sorted(words, key=len, reverse=True)) + r"))\.(?=\s+\S)",
                      re.IGNORECASE)


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
    if space_grouped:
        groups.add(" ")
    if groups & {"'", "’"}:
        groups |= {"'", "’"}
    groups -= decimals
    g = "".join(sorted(groups))
    d = "".join(sorted(decimals)) or "."
    # In the source, digits glued to a letter are identifiers (G7, A4); in a target
    # they may be an inflection or a prefix, so only a preceding digit is excluded.
    before = r"(?<!\d)(?<![^\W\d_])" if source else r"(?<!\d)"
    pattern = re.compile(
        before + r"(?:\d{1,3}(?:[" + re.escape(g) + r"]\d{3})+|\d+)(?:[" + re.escape(d) + r"]\d+)?(?!\d)"
    )
    scales = _SCALES + _cldr_scales(locale)
    scale_after = re.compile(r"[\s\u00a0\u202f]*(" + "|".join(p for p, _ in scales) + r")(?!\w)", re.IGNORECASE)
    return NumberFormat(locale.tag, g, d, pattern, space_grouped, scales, scale_after)


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


def _to_decimal(token: str, fmt: NumberFormat, locale: LocaleInfo) -> Decimal | None:
    return _token_value(token, fmt.decimals, locale)


@functools.lru_cache(maxsize=8192)
def _token_value(token: str, decimals: str, locale: LocaleInfo) -> Decimal | None:
    """The value of one number token with decimal symbols ``decimals`` (cached: texts repeat numbers)."""
    from babel.numbers import NumberFormatError, get_decimal_symbol, parse_decimal

    canonical = _ascii_digits(token)
    decimal_symbol = get_decimal_symbol(locale.babel)
    integer, sep, fraction = canonical, "", ""
    for d in decimals:
        if d in canonical:
            integer, sep, fraction = canonical.rpartition(d)
            break
    integer = "".join(ch for ch in integer if ch.isdigit())
    plain = integer + (decimal_symbol + fraction if sep else "")
    try:
        return parse_decimal(plain, locale=locale.babel)
    except NumberFormatError:
        try:
            return Decimal(integer + ("." + fraction if sep else ""))
        except InvalidOperation:
            return None


def read_numbers(text: str, fmt: NumberFormat, locale: LocaleInfo) -> list[Number]:
    """Every number in ``text`` read in ``fmt``, with scaled values ("120 тысяч" → 120000)."""
    out: list[Number] = []
    if not _DIGIT.search(text):
        return out
    for m in fmt.pattern.finditer(text):
        value = _to_decimal(m.group(0), fmt, locale)
        if value is None:
            continue
        values = {value}
        scale = fmt.scale_after.match(text, m.end())
        if scale is not None:
            word = scale.group(1).lower()
            for pattern, factor in fmt.scales:
                if re.fullmatch(pattern, word, re.IGNORECASE):
                    values.add(value * factor)
        if fmt.space_grouped and any(ch.isspace() for ch in m.group(0)):
            # "7 495 123" may be digits separated by spaces rather than one grouped number.
            for part in re.split(r"\s", m.group(0)):
                part_value = _to_decimal(part, fmt, locale)
                if part_value is not None:
                    values.add(part_value)
        out.append(Number(m.group(0), value, frozenset(values), m.start(), m.end()))
    return out


_DIGIT = re.compile(r"\d")


def spelled_source_numbers(text: str, language: str) -> list[tuple[str, int]]:
    """Numbers the source spells out, as (word, value)."""
    if language == "en":
        found = []
        for m in _EN_SPELLED.finditer(text):
            if m.group(1):
                value = _EN_TENS[m.group(1).lower()] + (
                    (_EN_UNITS.get(m.group(2).lower(), 1)) if m.group(2) else 0)
            else:
                word = m.group(3).lower()
                value = _EN_TEENS.get(word) or _EN_UNITS[word]
            found.append((m.group(0), value))
        return found
    table = NUMBER_WORDS.get(language)
    if not table:
        return []
    found = []
    for word in WORD.findall(text.lower()):
        for value, pattern in table.items():
            if value != 1 and re.fullmatch(pattern, word):
                found.append((word, value))
                break
    return found


def has_number_word(text: str, language: str, value: int) -> bool:
    """Whether ``text`` has a word for ``value`` in ``language`` (any case form); False without a table."""
    pattern = NUMBER_WORDS.get(language, {}).get(value)
    if pattern is None:
        return False
    compiled = re.compile(pattern)
    return any(compiled.fullmatch(word) for word in WORD.findall(text.lower()))


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


#: A year on its own (1800–2100, no group or decimal symbol): a date, not a count.
_YEAR = re.compile(r"(?:18|19|20)\d\d|2100")
#: Letters glued to a number by a hyphen or directly: an ordinal or case ending (19-го, 2-ci, 1-ին).
_GLUED_SUFFIX = re.compile(r"[-‐‑]?[^\W\d_]")


def looks_like_figure(number: Number, text: str) -> bool:
    """Whether ``number`` in ``text`` reads as a count or amount rather than a date, year or ordinal.

    A number added to a translation is an error when it looks like a figure
    (``710 dead``, ``1.5``) and a warning otherwise: a year (``2023``), an
    ordinal or inflected number (``19-го``, ``2-ci``) or a bare 0 or 1 are
    often added for grammar or style.
    """
    if _YEAR.fullmatch(number.text):
        return False
    if _GLUED_SUFFIX.match(text, number.end) and number.value < 1000:
        return False
    return number.value > 1
