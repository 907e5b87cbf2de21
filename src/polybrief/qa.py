"""Quality checks on translated segments: the gate between a translation and readers.

Every translated segment — reviewed, draft or machine alike — is compared with
its source text by a set of small checks.  Each check has a stable name (used
in reports, JSON and the README table, :data:`CHECKS`), a fixed
:class:`Severity` and an English message that names the field path.  Errors
block publishing (:func:`publish_gate`) and make machine translations fall
back to the source (:func:`gate_machine`); warnings are shown to reviewers.

Why these checks, and how each decides
--------------------------------------
A crisis brief is mostly numbers, names and attributions; the checks that can
change what a reader believes are errors, the typographic ones warnings.

``numbers`` (error)
    Every number of the source is found in the target *as a value*: each text
    is read in its own locale's format, with group and decimal symbols from
    CLDR through Babel, so ``120,000`` (en) = ``120 000`` (ru, NBSP, narrow
    NBSP or plain space) = ``120.000`` (az), and ``2.5`` (en) = ``2,5`` (ru).
    ``120 тысяч`` / ``120 тыс.`` / ``120 հազար`` / ``120 min`` count as
    120,000 (scale words for thousand/million/billion in en/ru/hy/az).  The
    comparison is by set, not count: "2 killed and 2 wounded" needs one "2".
    Years (``2023``) are plain digit runs and never grouped, so
    ``in 2023 120 000 people`` still reads 2023 and 120000.  Digits glued to
    a letter in the source (``G7``, ``A4``) are identifiers, not counts, and
    are not required; digits followed by letters are numbers (ordinals
    ``19th`` → ``19-го``, ``19-րդ``, ``19-cu``).  Spelled ordinals
    ("first") and "one" (mostly a pronoun: "no one", "one of") are ignored.
    Numbers inside URLs, e-mail addresses and placeholders are left to those
    checks.  Arabic-Indic digits and ``٬``/``٫`` are read in Arabic-script
    locales.
``numbers-format`` (warning)
    A source number is only found when the target is read in the *source*
    locale's format (``120,000`` left as is in a Russian text, which a
    Russian reader takes for 120 with three decimals).
``numbers-spelled`` (warning)
    The source spells a number out ("two civilians") and the target has it
    neither in digits nor as a recognised number word — or the source has a
    number in digits (up to 20, round tens, 100) and the target spells it out
    ("2" → "двое"), which is normal style in many languages, so only a
    warning.  Number words come from small tables for ru (every case form
    listed), hy and az (the stem plus case endings, so ``երկուսը`` counts as
    2 but ``երկուշաբթի``, Monday, does not) and en; a digit number missing
    from the target with no such word is a ``numbers`` error.
``glossary`` (error)
    For every glossary rule whose source term occurs in the source text:
    a do-not-translate term must appear unchanged, a required target term
    must appear.  Target matching is case-insensitive; for inflecting target
    languages (hy, az, ru and others in :data:`INFLECTING_LANGUAGES`) each
    word of the term matches by its stem — the word minus up to two final
    letters for words of 6+ letters, one for 4–5 letters — followed by any
    letters, with words joined by spaces or hyphens, so ``Нагорный Карабах``
    accepts ``в Нагорном Карабахе`` and ``нагорно-карабахского``.  Source
    matching follows :class:`~polybrief.glossary.TermRule` (case-insensitive
    for all-lowercase terms), as machine translation does.
``urls``, ``emails`` (error)
    Links and addresses are identical in the target.
``brackets``, ``quotes`` (warning)
    Round/square/curly brackets, and the target locale's quotation marks
    (primary and secondary, :attr:`LocaleInfo.quotes`, plus ASCII ``"``
    pairs and the source locale's double marks), are balanced — checked only
    when the source itself is balanced.  Warnings, not errors: an unbalanced
    mark does not change a fact and content is always escaped, so it cannot
    break a page, while false alarms are common (list markers "1)",
    quotations spanning paragraphs, inch marks).  Single marks (’ ‘ ' ‚) are
    not checked because they double as apostrophes.
``untranslated`` (warning)
    The target equals the source, unless the source is one token
    ("TikTok", "AFP", "2023"), only acronyms/camel-case names and numbers,
    or a do-not-translate glossary term.
``empty`` (error)
    An empty or whitespace-only target for a non-empty source (the other
    checks are then skipped).
``length`` (warning)
    For sources of at least :data:`LENGTH_MIN_CHARS` characters, the
    target/source length ratio is outside :data:`LENGTH_BOUNDS` (0.4–2.5)
    after correcting for scripts that need fewer characters (CJK).  The
    shipped hy/az/ru translations range from 0.72 to 2.24.
``script`` (error)
    Fewer than half of the target's letters (ignoring URLs, e-mail
    addresses, placeholders and do-not-translate terms; at least
    :data:`SCRIPT_MIN_LETTERS` letters) are in the target locale's script,
    from CLDR likely subtags (hy → Armn, ru → Cyrl, az → Latn).  Letters are
    classified with :func:`unicodedata.name`, so no extra dependency.
``placeholders`` (error)
    Tokens of the machine-translation protection layer (``{1}``, ``{ 1 }``,
    full-width braces; :mod:`polybrief.mt.protect`) or other template
    leftovers (``⟦…⟧``, ``%(name)s``, ``{name}``, ``{0}``) in the target that
    the source does not have.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import TYPE_CHECKING, Any, NamedTuple

from .cldr import LocaleInfo, get_locale
from .errors import QualityGateError
from .provenance import Provenance

if TYPE_CHECKING:
    from .glossary import Glossary, TermRule
    from .localise import LocalisedBrief
    from .model import Brief
    from .mt.base import MachineTranslation

__all__ = [
    "Severity",
    "CheckInfo",
    "CHECKS",
    "Finding",
    "QAReport",
    "check_segment",
    "check_localised",
    "check_briefs",
    "gate_machine",
    "publish_gate",
    "LENGTH_BOUNDS",
    "LENGTH_MIN_CHARS",
    "SCRIPT_MIN_LETTERS",
    "INFLECTING_LANGUAGES",
]

log = logging.getLogger(__name__)


class Severity(str, Enum):
    """How bad a finding is: errors block publishing, warnings inform reviewers."""

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


class CheckInfo(NamedTuple):
    """What a check verifies (one English sentence) and how severe its findings are."""

    description: str
    severity: Severity


#: Every check by its stable name, in report order (the README table is made from this).
CHECKS: dict[str, CheckInfo] = {
    "empty": CheckInfo("The translation is empty or only whitespace.", Severity.ERROR),
    "numbers": CheckInfo("Every number of the source appears in the translation with the same value, "
                         "read in each locale's own number format.", Severity.ERROR),
    "numbers-format": CheckInfo("A number appears only in the source locale's format (120,000 in a "
                                "Russian text), which readers of the target may misread.", Severity.WARNING),
    "numbers-spelled": CheckInfo("A number is spelled out on one side and not found as digits on the "
                                 "other (two civilians / двое).", Severity.WARNING),
    "glossary": CheckInfo("Glossary terms found in the source have their required translation, and "
                          "do-not-translate terms are unchanged.", Severity.ERROR),
    "urls": CheckInfo("Every URL of the source appears unchanged.", Severity.ERROR),
    "emails": CheckInfo("Every e-mail address of the source appears unchanged.", Severity.ERROR),
    "placeholders": CheckInfo("No machine-translation placeholder ({1}) or template leftover "
                              "(%(name)s, {0}, ⟦…⟧) that the source lacks.", Severity.ERROR),
    "script": CheckInfo("Most letters are in the target language's script (Armenian for hy, "
                        "Cyrillic for ru, Latin for az).", Severity.ERROR),
    "brackets": CheckInfo("Brackets are balanced (when they are in the source).", Severity.WARNING),
    "quotes": CheckInfo("Quotation marks are balanced, in the target locale's marks or ASCII "
                        "pairs (when they are in the source).", Severity.WARNING),
    "untranslated": CheckInfo("The translation is identical to the source (names, numbers and "
                              "do-not-translate terms excepted).", Severity.WARNING),
    "length": CheckInfo("The translation's length is far from the source's (ratio below 0.4 or "
                        "above 2.5 for sources of 20+ characters).", Severity.WARNING),
}

#: Length-ratio bounds (target/source, after script density correction).
LENGTH_BOUNDS: tuple[float, float] = (0.4, 2.5)
#: Sources shorter than this are too short for a meaningful length ratio.
LENGTH_MIN_CHARS = 20
#: Targets with fewer letters than this are not script-checked ("AFP", "TikTok").
SCRIPT_MIN_LETTERS = 8
#: Target languages whose glossary terms are matched by stem (see the module docstring).
INFLECTING_LANGUAGES: frozenset[str] = frozenset({
    "hy", "az", "ru", "uk", "be", "bg", "ka", "tr", "kk", "ky", "uz", "tk", "tt", "ba",
    "fi", "et", "hu", "pl", "cs", "sk", "sl", "hr", "sr", "bs", "lt", "lv", "el", "de", "is",
})


# -- findings and reports -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem one check found in one segment of one locale."""

    check: str
    severity: Severity
    locale: str
    path: str
    message: str
    provenance: Provenance | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "severity": self.severity.value,
            "locale": self.locale,
            "path": self.path,
            "message": self.message,
            "provenance": None if self.provenance is None else self.provenance.value,
        }


@dataclass(frozen=True)
class QAReport:
    """Findings per locale, in the order the locales were checked.

    A locale with no findings is still listed (with an empty tuple) so a
    report can say "hy: no problems" rather than leave readers guessing.
    """

    findings: Mapping[str, tuple[Finding, ...]] = field(default_factory=dict)

    @classmethod
    def from_findings(cls, findings: Iterable[Finding], *, locales: Iterable[str] = ()) -> QAReport:
        grouped: dict[str, list[Finding]] = {tag: [] for tag in locales}
        for finding in findings:
            grouped.setdefault(finding.locale, []).append(finding)
        return cls({tag: tuple(items) for tag, items in grouped.items()})

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(self.findings)

    def all(self) -> Iterator[Finding]:
        for items in self.findings.values():
            yield from items

    def errors(self, locale: str | None = None) -> list[Finding]:
        return [f for f in self._of(locale) if f.severity is Severity.ERROR]

    def warnings(self, locale: str | None = None) -> list[Finding]:
        return [f for f in self._of(locale) if f.severity is Severity.WARNING]

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.all())

    def locales_with_errors(self) -> list[str]:
        return [tag for tag, items in self.findings.items() if any(f.is_error for f in items)]

    def merged(self, other: QAReport) -> QAReport:
        combined = {tag: tuple(items) for tag, items in self.findings.items()}
        for tag, items in other.findings.items():
            combined[tag] = combined.get(tag, ()) + tuple(items)
        return QAReport(combined)

    def to_dict(self) -> dict[str, Any]:
        return {
            "has_errors": self.has_errors,
            "locales": {
                tag: {
                    "errors": sum(1 for f in items if f.is_error),
                    "warnings": sum(1 for f in items if not f.is_error),
                    "findings": [f.to_dict() for f in items],
                }
                for tag, items in self.findings.items()
            },
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON text (UTF-8 friendly: non-ASCII kept as is)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def _of(self, locale: str | None) -> Iterable[Finding]:
        return self.all() if locale is None else self.findings.get(locale, ())


# -- text patterns ------------------------------------------------------------------

_URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.|\bmailto:)[^\s<>\"'«»“”„]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}'\"’”»"
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_GENERIC_PLACEHOLDERS = re.compile(
    r"⟦[^⟧]{0,40}⟧|%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{\w{0,30}\}|\{\{[^{}]{0,60}\}\}|__PH\d+__"
)
_WORD = re.compile(r"\w+")
_SPACE_GROUPS = "\u00a0\u202f\u2009"
_APOSTROPHE_MARKS = frozenset("'’‘‚ʼ`´")
_BRACKETS = {"(": ")", "[": "]", "{": "}"}


def _mt_placeholder_pattern() -> re.Pattern[str]:
    """The protection layer's own token pattern, with a copy of it if that module is unavailable."""
    try:
        from .mt.protect import PLACEHOLDER_PATTERN
    except ImportError:  # pragma: no cover - mt.protect ships with polybrief
        return re.compile(r"[{\uff5b]\s*(\d{1,4})\s*[}\uff5d]")
    return PLACEHOLDER_PATTERN


def _urls(text: str) -> list[str]:
    return [m.group(0).rstrip(_URL_TRAILING) for m in _URL.finditer(text)]


def _emails(text: str) -> list[str]:
    found = []
    for m in _EMAIL.finditer(text):
        address = m.group(0).rstrip(".")
        if "@" in address:
            found.append(address)
    return found


def _blank_spans(text: str, patterns: Sequence[re.Pattern[str]]) -> str:
    """``text`` with every match of ``patterns`` replaced by spaces (positions kept)."""
    for pattern in patterns:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


# -- numbers --------------------------------------------------------------------------

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
_NUMBER_WORDS: dict[str, dict[int, str]] = {
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
class _NumberFormat:
    """How one locale writes numbers: its group and decimal symbols, as a scanning regex."""

    tag: str
    groups: str
    decimals: str
    pattern: re.Pattern[str]
    space_grouped: bool


def _number_format(locale: LocaleInfo, *, source: bool) -> _NumberFormat:
    """Group and decimal symbols of ``locale`` from CLDR (Latin and the locale's native digits,
    plus Arabic-Indic ones for Arabic-script locales).

    Space-like group symbols (NBSP, narrow NBSP, thin space) are always
    accepted; a plain space only where the locale's own group symbol is a
    space, because elsewhere "in 2023 500 people" must stay two numbers.
    """
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
    return _NumberFormat(locale.tag, g, d, pattern, space_grouped)


@dataclass(frozen=True, slots=True)
class _Number:
    """A number as written (``120,000``) and the values it may stand for."""

    text: str
    value: Decimal
    values: frozenset[Decimal]
    start: int
    end: int


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text)


def _to_decimal(token: str, fmt: _NumberFormat, locale: LocaleInfo) -> Decimal | None:
    from babel.numbers import NumberFormatError, get_decimal_symbol, parse_decimal

    canonical = _ascii_digits(token)
    decimal_symbol = get_decimal_symbol(locale.babel)
    integer, sep, fraction = canonical, "", ""
    for d in fmt.decimals:
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


def _numbers(text: str, fmt: _NumberFormat, locale: LocaleInfo) -> list[_Number]:
    """Every number in ``text`` read in ``fmt``, with scaled values ("120 тысяч" → 120000)."""
    out: list[_Number] = []
    for m in fmt.pattern.finditer(text):
        value = _to_decimal(m.group(0), fmt, locale)
        if value is None:
            continue
        values = {value}
        scale = _SCALE_AFTER.match(text, m.end())
        if scale is not None:
            word = scale.group(1).lower()
            for pattern, factor in _SCALES:
                if re.fullmatch(pattern, word, re.IGNORECASE):
                    values.add(value * factor)
        if fmt.space_grouped and any(ch.isspace() for ch in m.group(0)):
            # "7 495 123" may be digits separated by spaces rather than one grouped number.
            for part in re.split(r"\s", m.group(0)):
                part_value = _to_decimal(part, fmt, locale)
                if part_value is not None:
                    values.add(part_value)
        out.append(_Number(m.group(0), value, frozenset(values), m.start(), m.end()))
    return out


def _spelled_source_numbers(text: str, language: str) -> list[tuple[str, int]]:
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
    table = _NUMBER_WORDS.get(language)
    if not table:
        return []
    found = []
    for word in _WORD.findall(text.lower()):
        for value, pattern in table.items():
            if value != 1 and re.fullmatch(pattern, word):
                found.append((word, value))
                break
    return found


def _has_number_word(text: str, language: str, value: int) -> bool:
    pattern = _NUMBER_WORDS.get(language, {}).get(value)
    if pattern is None:
        return False
    compiled = re.compile(pattern)
    return any(compiled.fullmatch(word) for word in _WORD.findall(text.lower()))


# -- scripts --------------------------------------------------------------------------

#: ISO 15924 code -> words in Unicode character names that identify the script.
_SCRIPT_WORDS: dict[str, tuple[str, ...]] = {
    "Latn": ("LATIN",), "Cyrl": ("CYRILLIC",), "Armn": ("ARMENIAN",), "Arab": ("ARABIC",),
    "Geor": ("GEORGIAN",), "Hebr": ("HEBREW",), "Grek": ("GREEK",), "Deva": ("DEVANAGARI",),
    "Beng": ("BENGALI",), "Taml": ("TAMIL",), "Thai": ("THAI",), "Ethi": ("ETHIOPIC",),
    "Hani": ("CJK",), "Hira": ("HIRAGANA",), "Kana": ("KATAKANA",), "Hang": ("HANGUL",),
    "Mong": ("MONGOLIAN",), "Syrc": ("SYRIAC",), "Thaa": ("THAANA",), "Khmr": ("KHMER",),
}
#: Scripts written with more than one ISO code.
_SCRIPT_FAMILIES: dict[str, frozenset[str]] = {
    "Hans": frozenset({"Hani"}), "Hant": frozenset({"Hani"}), "Jpan": frozenset({"Hani", "Hira", "Kana"}),
    "Kore": frozenset({"Hang", "Hani"}),
}
#: Characters per unit of meaning relative to alphabetic scripts (for the length check).
_SCRIPT_DENSITY: dict[str, float] = {"Hans": 0.35, "Hant": 0.35, "Hani": 0.35, "Jpan": 0.45, "Kore": 0.5}


def locale_script(locale: LocaleInfo) -> str | None:
    """The ISO 15924 script ``locale`` is written in: its own, or CLDR's likely subtag."""
    if locale.babel.script:
        return locale.babel.script
    from babel.core import get_global, parse_locale

    likely = get_global("likely_subtags")
    for key in (locale.identifier, locale.language):
        full = likely.get(key)
        if full:
            try:
                return parse_locale(full)[2]
            except ValueError:
                continue
    return None


def _letter_script(ch: str) -> str | None:
    name = unicodedata.name(ch, "")
    words = name.split()
    for code, keys in _SCRIPT_WORDS.items():
        if any(key in words for key in keys):
            return code
    return None


# -- the checks -----------------------------------------------------------------------


class _Checker:
    """Runs every check on one segment; a small object so helpers share its context."""

    def __init__(self, source: str, target: str, *, path: str, source_locale: LocaleInfo,
                 target_locale: LocaleInfo, rules: Sequence[TermRule], provenance: Provenance | None) -> None:
        self.source = source
        self.target = target
        self.path = path
        self.src = source_locale
        self.tgt = target_locale
        self.rules = rules
        self.provenance = provenance
        self.findings: list[Finding] = []

    def add(self, check: str, message: str) -> None:
        self.findings.append(Finding(check, CHECKS[check].severity, self.tgt.tag, self.path,
                                     f"{self.path}: {message}", self.provenance))

    def run(self) -> list[Finding]:
        if not self.source.strip():
            return []
        if not self.target.strip():
            self.add("empty", "the translation is empty")
            return self.findings
        self.numbers()
        self.glossary()
        self.links()
        self.placeholders()
        self.script()
        self.brackets()
        self.quotes()
        self.untranslated()
        self.length()
        return self.findings

    # numbers ----------------------------------------------------------------------

    def _strip_links(self, text: str) -> str:
        return _blank_spans(text, (_URL, _EMAIL, _mt_placeholder_pattern()))

    def numbers(self) -> None:
        source = self._strip_links(self.source)
        target = self._strip_links(self.target)
        src_fmt = _number_format(self.src, source=True)
        tgt_fmt = _number_format(self.tgt, source=False)
        source_numbers = _numbers(source, src_fmt, self.src)
        target_values: set[Decimal] = set()
        for number in _numbers(target, tgt_fmt, self.tgt):
            target_values |= number.values
        alt_values: set[Decimal] = set()
        if (src_fmt.groups, src_fmt.decimals) != (tgt_fmt.groups, tgt_fmt.decimals):
            for number in _numbers(target, _number_format(self.src, source=False), self.src):
                alt_values |= number.values
        digit_values: set[Decimal] = set()
        reported: set[Decimal] = set()
        for number in source_numbers:
            digit_values |= number.values
            if number.values & target_values or number.value in reported:
                continue
            reported.add(number.value)
            if number.values & alt_values:
                self.add("numbers-format", f"the number {number.text} is written in the source's format; "
                         f"in {self.tgt.tag} write {self.tgt.format_number(number.value)}")
                continue
            if number.value == number.value.to_integral_value() and _has_number_word(
                    self.target, self.tgt.language, int(number.value)):
                self.add("numbers-spelled", f"the number {number.text} is spelled out in the translation; "
                         "check it is the same number")
                continue
            self.add("numbers", f"the number {number.text} of the source is missing from the translation "
                     f"(in {self.tgt.tag} it is written {self.tgt.format_number(number.value)})")
        for word, value in _spelled_source_numbers(source, self.src.language):
            dec = Decimal(value)
            if dec in digit_values or dec in target_values or dec in reported:
                continue
            if _has_number_word(self.target, self.tgt.language, value):
                continue
            reported.add(dec)
            self.add("numbers-spelled", f"the source spells out {word!r} ({value}); the translation has "
                     "neither the digits nor a number word for it")

    # glossary ---------------------------------------------------------------------

    def glossary(self) -> None:
        for rule in self.rules:
            flags = re.IGNORECASE if rule.ignore_case else 0
            if not re.search(r"(?<!\w)" + re.escape(rule.source) + r"(?!\w)", self.source, flags):
                continue
            if rule.keep:
                if not _term_in(self.target, rule.source, self.tgt.language, stem=False):
                    self.add("glossary", f"the term {rule.source!r} must stay as written and is missing")
            elif not _term_in(self.target, rule.target, self.tgt.language,
                              stem=self.tgt.language in INFLECTING_LANGUAGES):
                self.add("glossary", f"the term {rule.source!r} must be translated as {rule.target!r}, "
                         "which is missing")

    # urls, emails, placeholders ---------------------------------------------------

    def links(self) -> None:
        target_urls = set(_urls(self.target))
        for url in dict.fromkeys(_urls(self.source)):
            if url not in target_urls and url not in self.target:
                self.add("urls", f"the link {url} is missing or changed")
        target_mails = {e.lower() for e in _emails(self.target)}
        for address in dict.fromkeys(_emails(self.source)):
            if address.lower() not in target_mails:
                self.add("emails", f"the address {address} is missing or changed")

    def placeholders(self) -> None:
        seen: set[str] = set()
        for pattern in (_mt_placeholder_pattern(), _GENERIC_PLACEHOLDERS):
            source_tokens = {re.sub(r"\s", "", m.group(0)) for m in pattern.finditer(self.source)}
            for m in pattern.finditer(self.target):
                token = re.sub(r"\s", "", m.group(0))
                if token in source_tokens or token in seen:
                    continue
                seen.add(token)
                self.add("placeholders", f"leftover placeholder {m.group(0)!r} in the translation")

    # script -----------------------------------------------------------------------

    def script(self) -> None:
        expected = locale_script(self.tgt)
        if expected is None:
            return
        accepted = _SCRIPT_FAMILIES.get(expected, frozenset({expected}))
        text = self._strip_links(self.target)
        for rule in self.rules:
            if rule.keep:
                text = re.sub(r"(?<!\w)" + re.escape(rule.source) + r"(?!\w)", " ", text, flags=re.IGNORECASE)
        counts: dict[str | None, int] = {}
        total = 0
        for ch in text:
            if unicodedata.category(ch).startswith("L"):
                script = _letter_script(ch)
                counts[script] = counts.get(script, 0) + 1
                total += 1
        if total < SCRIPT_MIN_LETTERS:
            return
        own = sum(n for code, n in counts.items() if code in accepted)
        if own * 2 < total:
            others = sorted(((n, code) for code, n in counts.items() if code not in accepted and code), reverse=True)
            main = others[0][1] if others else "another script"
            self.add("script", f"only {own} of {total} letters are in the {expected} script expected for "
                     f"{self.tgt.tag}; most are {main}")

    # brackets and quotes ------------------------------------------------------------

    def brackets(self) -> None:
        if _bracket_problem(self.source) is None:
            problem = _bracket_problem(self.target)
            if problem is not None:
                self.add("brackets", f"brackets are not balanced in the translation ({problem})")

    def _quote_pairs(self, locale: LocaleInfo) -> list[tuple[str, str]]:
        marks = locale.quotes
        pairs = [(marks.start.strip(), marks.end.strip()), (marks.alt_start.strip(), marks.alt_end.strip())]
        return [(a, b) for a, b in pairs if a and b and not ({a, b} & _APOSTROPHE_MARKS)]

    def quotes(self) -> None:
        src_pairs = [*self._quote_pairs(self.src), ('"', '"')]
        if _quote_problem(self.source, src_pairs) is not None:
            return
        pairs = [*self._quote_pairs(self.tgt), *self._quote_pairs(self.src), ('"', '"')]
        problem = _quote_problem(self.target, list(dict.fromkeys(pairs)))
        if problem is not None:
            marks = f"{self.tgt.quotes.start.strip()}…{self.tgt.quotes.end.strip()}"
            self.add("quotes", f"quotation marks are not balanced in the translation ({problem}; "
                     f"{self.tgt.tag} quotes with {marks})")

    # untranslated and length --------------------------------------------------------

    def untranslated(self) -> None:
        if self.target.strip() != self.source.strip() or self.src.language == self.tgt.language:
            return
        text = self.source.strip()
        if not any(ch.isalpha() for ch in text) or len(text.split()) == 1:
            return
        if any(rule.keep and rule.source.lower() == text.lower() for rule in self.rules):
            return
        words = [w for w in _WORD.findall(text) if any(ch.isalpha() for ch in w)]
        if all(_is_name_like(w) for w in words):
            return
        self.add("untranslated", "the translation is identical to the source text")

    def length(self) -> None:
        source = self.source.strip()
        target = self.target.strip()
        if len(source) < LENGTH_MIN_CHARS:
            return
        src_script = locale_script(self.src) or ""
        tgt_script = locale_script(self.tgt) or ""
        density = _SCRIPT_DENSITY.get(tgt_script, 1.0) / _SCRIPT_DENSITY.get(src_script, 1.0)
        ratio = len(target) / len(source) / density
        low, high = LENGTH_BOUNDS
        if ratio < low or ratio > high:
            self.add("length", f"the translation is {len(target)} characters for a source of {len(source)} "
                     f"(ratio {ratio:.2f}, expected {low}–{high}); is something missing or added?")


def _is_name_like(word: str) -> bool:
    """Acronyms (AFP, UN), camel-case names (TikTok, iPhone) and words with digits (G7)."""
    if any(ch.isdigit() for ch in word):
        return True
    if len(word) > 1 and word.isupper():
        return True
    return any(ch.isupper() for ch in word[1:])


def _stem(word: str) -> str:
    if len(word) >= 6:
        return word[:-2]
    if len(word) >= 4:
        return word[:-1]
    return word


def _term_in(text: str, term: str, language: str, *, stem: bool) -> bool:
    """Whether ``term`` occurs in ``text`` (case-insensitive; by stems when ``stem``)."""
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


def _bracket_problem(text: str) -> str | None:
    stack: list[str] = []
    closers = {v: k for k, v in _BRACKETS.items()}
    for ch in text:
        if ch in _BRACKETS:
            stack.append(ch)
        elif ch in closers:
            if not stack or stack[-1] != closers[ch]:
                return f"unexpected {ch!r}"
            stack.pop()
    if stack:
        return f"{stack[-1]!r} is never closed"
    return None


def _quote_problem(text: str, pairs: Sequence[tuple[str, str]]) -> str | None:
    """Why the quotation marks of ``text`` do not pair up, or None.

    A mark that closes the innermost open quotation wins over one that opens
    a new one (ru „…“ where “ also opens in English); a symmetric mark (")
    closes when the innermost open one is the same mark.
    """
    openers = {}
    closers: dict[str, set[str]] = {}
    for start, end in pairs:
        openers.setdefault(start, end)
        closers.setdefault(end, set()).add(start)
    stack: list[str] = []
    for ch in text:
        if stack and openers.get(stack[-1]) == ch:
            stack.pop()
        elif ch in openers:
            stack.append(ch)
        elif ch in closers:
            return f"unexpected {ch!r}"
    if stack:
        return f"{stack[-1]!r} is never closed"
    return None


# -- public entry points ----------------------------------------------------------------


def _rules(glossary: Glossary | None, target_locale: LocaleInfo) -> list[TermRule]:
    if glossary is None:
        return []
    return glossary.rules_for(target_locale.tag)


def check_segment(
    source_text: str,
    target_text: str,
    *,
    path: str,
    source_locale: LocaleInfo,
    target_locale: LocaleInfo,
    glossary: Glossary | None = None,
    provenance: Provenance | None = None,
) -> list[Finding]:
    """Every finding of every check on one translated segment (empty list: all good)."""
    checker = _Checker(source_text, target_text, path=path, source_locale=source_locale,
                       target_locale=target_locale, rules=_rules(glossary, target_locale), provenance=provenance)
    return checker.run()


def _source_texts(brief: Brief, source_locale: LocaleInfo) -> dict[str, str]:
    """Source text of every translatable field; a figure's unit in the form its value takes."""
    from .fields import translation_units

    texts = {unit.path: unit.text for unit in translation_units(brief)}
    for f, figure in enumerate(brief.figures):
        if figure.unit is not None:
            category = source_locale.plural_category(figure.value)
            texts[f"figures[{f}].unit"] = figure.unit.get(category, figure.unit["other"])
    return texts


def check_localised(localised: LocalisedBrief, *, glossary: Glossary | None = None) -> list[Finding]:
    """Check every translated segment of a localised brief.

    Segments shown in the source language (provenance ``source``) and the
    original-language page are skipped: there is no translation to check.
    """
    if localised.is_original:
        return []
    sources = _source_texts(localised.brief, localised.source_locale)
    rules = _rules(glossary, localised.locale)
    findings: list[Finding] = []
    for segment in localised.segments():
        if segment.provenance is Provenance.SOURCE:
            continue
        source = sources.get(segment.path)
        if source is None:
            continue
        checker = _Checker(source, segment.text, path=segment.path, source_locale=localised.source_locale,
                           target_locale=localised.locale, rules=rules, provenance=segment.provenance)
        findings.extend(checker.run())
    return findings


def check_briefs(localised: Iterable[LocalisedBrief], *, glossary: Glossary | None = None) -> QAReport:
    """A :class:`QAReport` over many localised briefs, grouped by locale (original pages skipped).

    When the briefs are more than one, each message starts with its brief's
    id, since field paths alone no longer say where a finding is.
    """
    items = [item for item in localised if not item.is_original]
    several = len({item.brief.id for item in items}) > 1
    findings: list[Finding] = []
    for item in items:
        for finding in check_localised(item, glossary=glossary):
            findings.append(replace(finding, message=f"{item.brief.id}: {finding.message}") if several else finding)
    return QAReport.from_findings(findings, locales=list(dict.fromkeys(item.locale.tag for item in items)))


def gate_machine(
    machine: Mapping[str, MachineTranslation],
    brief: Brief,
    target_locale: str | LocaleInfo,
    glossary: Glossary | None = None,
    *,
    source_locale: LocaleInfo | None = None,
) -> dict[str, MachineTranslation]:
    """``machine`` with every result that fails an error-level check marked as a problem.

    The replaced result keeps its text (for logs and review) and gets a
    ``problem`` naming the failing checks, so the localiser falls back to the
    source text and says why.  Results that already have a problem are kept.
    """
    target = target_locale if isinstance(target_locale, LocaleInfo) else get_locale(target_locale)
    source_locale = source_locale or get_locale(brief.language)
    sources = _source_texts(brief, source_locale)
    from .fields import translation_units

    # Machine translation of a figure's unit starts from its plural source form.
    for unit in translation_units(brief):
        if unit.plural is not None:
            sources[unit.path] = unit.plural
    rules = _rules(glossary, target)
    out: dict[str, MachineTranslation] = {}
    for path, result in machine.items():
        source = sources.get(path)
        if not result.ok or source is None:
            out[path] = result
            continue
        checker = _Checker(source, result.text, path=path, source_locale=source_locale, target_locale=target,
                           rules=rules, provenance=Provenance.MACHINE)
        errors = [f for f in checker.run() if f.is_error]
        if errors:
            names = ", ".join(dict.fromkeys(f.check for f in errors))
            detail = "; ".join(f.message.removeprefix(f"{f.path}: ") for f in errors[:3])
            log.debug("machine translation of %s rejected: %s", path, detail)
            out[path] = replace(result, problem=f"failed quality checks ({names}): {detail}")
        else:
            out[path] = result
    return out


def publish_gate(
    localised_list: Sequence[LocalisedBrief],
    glossary: Glossary | None = None,
    allow_errors: bool = False,
) -> QAReport:
    """Check everything a publish run is about to write; refuse errors unless ``allow_errors``.

    Raises :class:`~polybrief.errors.QualityGateError` naming the first
    failing locale, field and check (and how many more there are).  Only
    counts are logged above DEBUG: findings quote brief content.
    """
    report = check_briefs(localised_list, glossary=glossary)
    errors = report.errors()
    if not errors:
        return report
    locales = report.locales_with_errors()
    if allow_errors:
        log.warning("publishing despite %d quality error(s) in %s (--allow-qa-errors)", len(errors),
                    ", ".join(locales))
        for finding in errors:
            log.debug("%s %s: %s", finding.locale, finding.check, finding.message)
        return report
    first = errors[0]
    more = len(errors) - 1
    detail = first.message.removeprefix(f"{first.path}: ")
    message = f"quality check {first.check!r} failed for {first.locale}: {detail}"
    if more:
        message += f" (and {more} more error{'s' if more > 1 else ''} in {', '.join(locales)})"
    raise QualityGateError(
        message,
        field=first.path,
        hint="fix the translation, see `polybrief check` for every finding, or pass --allow-qa-errors",
    )
