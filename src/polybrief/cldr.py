"""Locale data for rendering: CLDR formats and plural rules (through Babel),
script direction, the locale's own name, digits, and quotation marks.

Babel does not expose CLDR's quotation delimiters, so they come from a small
TOML file, ``locales/quotation-marks.toml``; users add or override entries by
passing folders of their own that hold a file of the same name.

Numbers, percentages, amounts of money, dates and times are formatted by
Babel from CLDR patterns and symbols of the locale's default numbering system,
then written in that system's digits (:mod:`polybrief.numbering`: Babel has
the symbols but not the digits).  A figure is never rounded by formatting:
patterns are applied without Babel's decimal quantization, so every digit of
the value is shown (validation of the brief refuses a value with more
decimals than its declared precision).

Two things Babel 2.19 does not do that CLDR specifies, done here:

* a date and a time are joined with the locale's date-time pattern
  (``get_datetime_format``: ``{1}، ساعت {0}`` in Persian) — Babel's
  ``format_datetime`` does the same, but only with a date and a time of
  the same width, and a published time with seconds reads as a log line;
* CLDR's currency spacing (``AMD 100,000``, not ``AMD100,000``);
* the percent and minus signs of the numbering system (``٪`` and ``‎−``
  with Persian digits): Babel writes the pattern's ``%`` and ``-`` as they
  are (its own doctest prints ``2٬512%`` for ``ar_EG``);
* the time carries its zone: the brief gives a UTC offset, not a zone name,
  so the zone is the locale's *localized GMT format* (``GMT+04:00``,
  ``+04:00 گرینویچ``, ``غرينتش+04:00``).  The time pattern is the locale's
  own long time pattern (which places the zone) without its seconds,
  because Babel has no pattern generator (``format_skeleton("Hmz")`` falls
  back to ``Hmv`` and prints "Unknown Region (UTC+04:00) Time"), and the
  zone field is written ``OOOO`` because Babel's short ``O`` prints "None".
"""

from __future__ import annotations

import functools
import os
import logging
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Union

from .errors import LocaleError
from .numbering import to_native_digits
from .resources import builtin_locales_dir

if TYPE_CHECKING:
    from babel import Locale

__all__ = [
    "QuotationMarks",
    "LocaleInfo",
    "get_locale",
    "as_locale",
    "LocaleLike",
    "parse_locale_tag",
    "locale_candidates",
    "primary_subtag",
    "LANGUAGE_TAG",
    "QUOTES_FILE",
    "fraction_digits",
    "Digits",
    "DateWidth",
]

log = logging.getLogger(__name__)

QUOTES_FILE = "quotation-marks.toml"

#: The shape of a language tag polybrief accepts before asking Babel (``hy``, ``az-Latn``,
#: ``pt_BR``): the one pattern the brief model, glossaries and model packages all use.
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
#: What :func:`parse_locale_tag` lets through to Babel: a tag, plus a gettext ``@modifier``.
_LOCALE_SHAPE = re.compile(r"^[A-Za-z]{2,8}(?:_[A-Za-z0-9]{1,8})*(?:@[A-Za-z0-9]{1,16})?$")


def primary_subtag(tag: str) -> str:
    """The language subtag of a BCP 47 or gettext tag, lower-cased: ``pt_BR`` -> ``pt``."""
    return re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
_ROOT_QUOTES = ("\u201c", "\u201d", "\u2018", "\u2019")  # CLDR root: “ ” ‘ ’

Digits = Literal["locale", "latin"]
"""Which digits figures, dates and times are written in: the locale's CLDR default
numbering system (Persian digits in ``fa``), or always Latin ``0-9``."""

DateWidth = Literal["full", "long", "medium", "short"]

#: The number part of a CLDR number pattern (``#,##0.###``), to set its fraction digits.
_NUMBER_PART = re.compile(r"[#0,]*0(?:\.[0#]+)?")
#: The seconds of a time pattern and the separator before them (``:ss``, ``.ss``).
_SECONDS = re.compile(r"(?<=m)[^A-Za-z']*s+(?:[^A-Za-z']?S+)?")
#: Time-zone fields of a time pattern.
_ZONE_FIELD = re.compile(r"z+|v+|V+|O+|Z+|X+|x+")


def _with_fraction(pattern: str, digits: int) -> str:
    """CLDR number ``pattern`` showing exactly ``digits`` fraction digits (each sub-pattern)."""

    def fix(match: re.Match[str]) -> str:
        integer = match.group(0).split(".")[0]
        return integer + ("." + "0" * digits if digits else "")

    return ";".join(_NUMBER_PART.sub(fix, part, count=1) for part in pattern.split(";"))


def _time_with_zone(long_pattern: str) -> str:
    """The locale's long time pattern (which places the zone) without seconds, zone as localized GMT."""
    return _ZONE_FIELD.sub("OOOO", _SECONDS.sub("", long_pattern))


def _currency_spacing(text: str, symbol: str) -> str:
    """CLDR's currency spacing, which Babel does not apply: a no-break space between a
    currency symbol that ends (or starts) with a letter and the digit next to it
    (``AMD100,000`` → ``AMD 100,000``; ``$97`` and ``97 $`` are left as they are).

    CLDR root's rule, which no locale overrides: currencyMatch ``[[:^S:]&[:^Z:]]``,
    surroundingMatch ``[[:digit:]]``, insertBetween U+00A0.
    """
    import unicodedata

    def letter_like(ch: str) -> bool:
        return unicodedata.category(ch)[0] not in "SZ"

    if not symbol:
        return text
    at = text.find(symbol)
    if at < 0:
        return text
    end = at + len(symbol)
    if end < len(text) and text[end].isdigit() and letter_like(symbol[-1]):
        return text[:end] + "\u00a0" + text[end:]
    if at > 0 and text[at - 1].isdigit() and letter_like(symbol[0]):
        return text[:at] + "\u00a0" + text[at:]
    return text


def fraction_digits(value: int | Decimal) -> int:
    """How many decimal places ``value`` needs (``Decimal("2.50")`` → 1, ``97000000`` → 0)."""
    if isinstance(value, int):
        return 0
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


@dataclass(frozen=True, slots=True)
class QuotationMarks:
    """Primary and secondary (nested) quotation marks of a locale.

    From CLDR, corrected or extended by a ``quotation-marks.toml`` in a ``locale_dirs`` folder.

    >>> marks = polybrief.get_locale("ru").quotes
    >>> marks.quote("да"), marks.quote("да", nested=True)
    ('«да»', '„да“')
    """

    start: str
    end: str
    alt_start: str
    alt_end: str

    def quote(self, text: str, *, nested: bool = False) -> str:
        if nested:
            return f"{self.alt_start}{text}{self.alt_end}"
        return f"{self.start}{text}{self.end}"


@dataclass(frozen=True)
class LocaleInfo:
    """Everything the renderers need to know about one target locale.

    Built once per tag (:func:`get_locale`, or a :class:`~polybrief.Session`'s ``locale``), so CLDR
    data is read once per run:

    >>> fa = polybrief.get_locale("fa")
    >>> fa.tag, fa.name, fa.direction, fa.format_number(84.5)
    ('fa', 'فارسی', 'rtl', '۸۴٫۵')
    >>> polybrief.get_locale("ru").plural_category(2), polybrief.get_locale("ru").plural_category(5)
    ('few', 'many')
    """

    tag: str
    """BCP 47 tag with hyphens (``hy``, ``az-Latn``, ``pt-BR``): HTML ``lang``, folder names."""
    babel: Locale
    quotes: QuotationMarks
    numbering: str = "latn"
    """The CLDR numbering system numbers are written in (``arabext`` for ``fa``; ``latn`` when
    the project asks for Latin digits)."""

    # The derived names below are asked for per segment and per printed value (and a LocaleInfo
    # keys the checks' caches): each is computed once per object.  Babel's Locale hashes by
    # building its identifier string on every call, so the hash is kept too.

    def __hash__(self) -> int:
        cached: int | None = self.__dict__.get("_hash")
        if cached is None:
            cached = self.__dict__["_hash"] = hash((self.tag, self.identifier, self.numbering, self.quotes))
        return cached

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, LocaleInfo):
            return NotImplemented
        return (self.tag, self.identifier, self.numbering, self.quotes) == (
            other.tag, other.identifier, other.numbering, other.quotes)

    @functools.cached_property
    def identifier(self) -> str:
        """Babel/gettext identifier with underscores (``pt_BR``)."""
        return str(self.babel)

    @functools.cached_property
    def language(self) -> str:
        return self.babel.language

    @functools.cached_property
    def direction(self) -> Literal["ltr", "rtl"]:
        return "rtl" if self.babel.character_order == "right-to-left" else "ltr"

    @functools.cached_property
    def name(self) -> str:
        """The locale's name in its own language (``հայերեն``, ``русский``)."""
        return self.babel.get_display_name(self.babel) or self.tag

    @functools.cached_property
    def english_name(self) -> str:
        return self.babel.english_name or self.tag

    def plural_category(self, value: int | Decimal | float) -> str:
        """CLDR plural category of ``value`` in this locale (``one``, ``few``, ...)."""
        return self.babel.plural_form(value)

    def digits(self, text: str) -> str:
        """``text`` (formatted by Babel) with its ASCII digits in this locale's numbering system."""
        return to_native_digits(text, self.numbering)

    def _number(self, text: str, value: int | Decimal | float) -> str:
        """A number Babel formatted, finished as CLDR specifies: the numbering system's minus
        sign (Babel writes the pattern's ``-`` as it is; Persian has ``‎−``) and digits."""
        if value < 0:
            minus = self.babel.number_symbols[self.numbering].get("minusSign", "-")
            text = text.replace("-", minus, 1)
        return self.digits(text)

    def format_number(self, value: int | Decimal | float, *, precision: int | None = None) -> str:
        """``value`` in the locale's decimal format and digits: every digit of it, or exactly
        ``precision`` decimal places (``2.5`` with precision 2 → ``2,50`` in Russian)."""
        from babel.numbers import format_decimal

        pattern = None if precision is None else _with_fraction(self.babel.decimal_formats[None].pattern, precision)
        return self._number(format_decimal(value, format=pattern, locale=self.babel, decimal_quantization=False,
                                           numbering_system=self.numbering), value)

    def format_percent(self, value: int | Decimal | float, *, precision: int | None = None) -> str:
        """``value`` per cent (``84.5`` → ``84.5%``, ``84,5 %``, ``۸۴٫۵٪``) in the locale's percent pattern."""
        from babel.numbers import format_percent

        pattern = self.babel.percent_formats[None].pattern
        if precision is not None:
            pattern = _with_fraction(pattern, precision)
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        text = format_percent(exact / 100, format=pattern, locale=self.babel, decimal_quantization=False,
                              numbering_system=self.numbering)
        # Babel writes the pattern's "%" as it is; CLDR replaces it by the numbering system's sign (٪).
        sign = self.babel.number_symbols[self.numbering].get("percentSign", "%")
        return self._number(text.replace("%", sign), value)

    def format_currency(self, value: int | Decimal, currency: str, *, compact: bool = False,
                        precision: int | None = None) -> str:
        """An amount of ``currency`` (ISO 4217) in the locale's currency pattern.

        Without ``precision`` a whole amount has no decimals (``$97,000,000``) and any other
        shows the currency's own (``$12.50``).  ``compact`` uses CLDR's short compact form
        (``$97M``, ``97 млн $``) with as many decimals as keep the value exact (``$97.3M``);
        an amount that would need more than two is written in full rather than rounded.
        """
        from babel.numbers import (
            format_compact_currency,
            format_currency,
            get_currency_precision,
            get_currency_symbol,
        )

        if compact and precision is None:
            exact = format_compact_currency(value, currency, locale=self.babel, fraction_digits=12,
                                            numbering_system=self.numbering)
            for places in range(3):
                text = format_compact_currency(value, currency, locale=self.babel, fraction_digits=places,
                                               numbering_system=self.numbering)
                if text == exact:
                    return self._number(text, value)
        if precision is None:
            precision = 0 if fraction_digits(Decimal(value)) == 0 else get_currency_precision(currency)
        pattern = _with_fraction(self.babel.currency_formats["standard"].pattern, precision)
        text = format_currency(value, currency, format=pattern, locale=self.babel, currency_digits=False,
                               decimal_quantization=False, numbering_system=self.numbering)
        return self._number(_currency_spacing(text, get_currency_symbol(currency, locale=self.babel)), value)

    def format_date(self, value: date | datetime, form: DateWidth = "long") -> str:
        from babel.dates import format_date

        return self.digits(format_date(value, format=form, locale=self.babel))

    def format_time(self, value: datetime, form: DateWidth = "short") -> str:
        from babel.dates import format_time

        return self.digits(format_time(value, format=form, tzinfo=value.tzinfo, locale=self.babel))

    def format_time_with_zone(self, value: datetime) -> str:
        """Hours and minutes in ``value``'s own UTC offset, with the zone where the locale puts it
        (``9:15 PM GMT+04:00``, ``۲۱:۱۵ (+۰۴:۰۰ گرینویچ)``)."""
        from babel.dates import format_time, get_time_format

        pattern = _time_with_zone(get_time_format("long", locale=self.babel).pattern)
        return self.digits(format_time(value, pattern, tzinfo=value.tzinfo, locale=self.babel))

    def format_datetime(self, value: datetime, form: DateWidth = "long") -> str:
        """The date and the time with its zone, joined by the locale's date-time pattern
        (``{1}, {0}`` in English, ``{1}، ساعت {0}`` in Persian)."""
        from babel.dates import get_datetime_format

        pattern = str(get_datetime_format(form, locale=self.babel)).replace("'", "")
        time_text, date_text = self.format_time_with_zone(value), self.format_date(value, form)
        return re.sub(r"\{([01])\}", lambda m: time_text if m.group(1) == "0" else date_text, pattern)

    def format_timezone(self, value: datetime) -> str:
        from babel.dates import get_timezone_gmt

        return get_timezone_gmt(value, width="short", locale=self.babel)


def parse_locale_tag(tag: str) -> Locale:
    """Parse a BCP 47 or gettext locale tag with Babel, or raise :class:`LocaleError`."""
    from babel import Locale, UnknownLocaleError

    cleaned = tag.strip().replace("-", "_") if isinstance(tag, str) else ""
    if not cleaned:
        raise LocaleError("empty locale tag", hint="use a tag such as hy, az or ru")
    if not _LOCALE_SHAPE.match(cleaned):
        # Babel keeps anything after '@' as a modifier, and the identifier names catalog folders:
        # 'ru@../../../x' must never become a path.
        raise LocaleError(f"malformed locale tag {tag!r}",
                          hint="use letters, digits, '-' or '_' (and an optional @modifier such as sr@latin)")
    try:
        return Locale.parse(cleaned)
    except (UnknownLocaleError, ValueError, TypeError):
        raise LocaleError(
            f"unknown locale {tag!r}",
            hint="use a BCP 47 tag that CLDR knows, such as hy, az, ru, ka, fa or ar",
        ) from None


def locale_candidates(locale: Locale) -> list[str]:
    """Identifiers to look up data under, most specific first: az_Latn_AZ, az_Latn, az_AZ, az."""
    out: list[str] = []
    lang, script, territory = locale.language, locale.script, locale.territory
    for parts in ((lang, script, territory), (lang, script, None), (lang, None, territory), (lang, None, None)):
        ident = "_".join(p for p in parts if p)
        if ident not in out:
            out.append(ident)
    return out


def get_locale(tag: LocaleLike, *, data_dirs: Sequence[str | os.PathLike[str]] = (),
               digits: Digits = "locale") -> LocaleInfo:
    """Resolve ``tag`` to a :class:`LocaleInfo`.

    ``data_dirs`` are searched for ``quotation-marks.toml`` before polybrief's
    own ``locales/`` folder, so users can add or correct a locale's marks.
    ``digits="latin"`` writes numbers, dates and times in Latin digits even
    where CLDR's default numbering system is another (Persian digits in ``fa``).

    >>> polybrief.get_locale("pt_BR").tag                          # gettext or BCP 47
    'pt-BR'
    >>> polybrief.get_locale("fa", digits="latin").format_number(84.5)
    '84.5'
    >>> polybrief.get_locale("xx-nope")
    Traceback (most recent call last):
    polybrief.errors.LocaleError: unknown locale 'xx-nope' (use a BCP 47 tag that CLDR knows, ...)
    """
    babel_locale = parse_locale_tag(tag.tag if isinstance(tag, LocaleInfo) else str(tag))
    from babel.core import get_locale_identifier

    bcp47 = get_locale_identifier(
        (babel_locale.language, babel_locale.territory, babel_locale.script, babel_locale.variant), sep="-"
    )
    numbering = "latn" if digits == "latin" else babel_locale.default_numbering_system
    return LocaleInfo(tag=bcp47, babel=babel_locale, quotes=_quotes_for(babel_locale, tuple(Path(d) for d in data_dirs)),
                      numbering=numbering)


LocaleLike = Union[str, "Locale", "LocaleInfo"]
"""What every public function takes as a locale: a tag (``"hy"``, ``"az-Latn"``), a Babel
:class:`~babel.Locale` or a resolved :class:`LocaleInfo`."""


def as_locale(value: LocaleLike, *, data_dirs: Sequence[Path] = (), digits: Digits = "locale") -> LocaleInfo:
    """``value`` as a :class:`LocaleInfo`: a :class:`LocaleInfo` is returned as it is; a tag or a Babel
    ``Locale`` is resolved with :func:`get_locale` (``data_dirs``, ``digits`` as there).

    >>> as_locale("hy-AM").tag
    'hy-AM'
    """
    if isinstance(value, LocaleInfo):
        return value
    from babel import Locale as BabelLocale

    if isinstance(value, BabelLocale):
        value = str(value)
    if not isinstance(value, str):
        raise LocaleError(f"not a locale: {value!r}", hint="pass a tag such as 'hy', a babel.Locale or a LocaleInfo")
    return get_locale(value, data_dirs=data_dirs, digits=digits)


def _quotes_for(locale: Locale, data_dirs: Sequence[Path]) -> QuotationMarks:
    tables = [_read_quotes(Path(d) / QUOTES_FILE) for d in (*data_dirs, builtin_locales_dir())]
    for ident in locale_candidates(locale):
        for table in tables:
            if ident in table:
                return table[ident]
    log.debug("no quotation marks for %s; using CLDR root marks", locale)
    return QuotationMarks(*_ROOT_QUOTES)


#: The most a quotation-marks file may weigh (the built-in one is 3 KB).
_MAX_QUOTES_BYTES = 1024**2


def _read_quotes(path: Path) -> dict[str, QuotationMarks]:
    try:
        stat = path.stat()
    except OSError:
        return {}
    if not path.is_file():  # a FIFO or a device would block or never end; a folder is a mistake too
        raise LocaleError("not a regular file", file=path, hint=f"put a TOML file named {QUOTES_FILE} here")
    if stat.st_size > _MAX_QUOTES_BYTES:
        raise LocaleError(f"larger than {_MAX_QUOTES_BYTES} bytes", file=path)
    return _parse_quotes(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _parse_quotes(path_text: str, mtime_ns: int, size: int) -> dict[str, QuotationMarks]:
    """Parse a quotation-marks file once per version of it.

    A bounded cache keyed by the file's modification time and size: without
    it every ``get_locale`` call re-parsed the TOML (the benchmark's largest
    localisation cost), and the key means an edited file is read again.
    """
    path = Path(path_text)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LocaleError(f"invalid TOML: {exc}", file=path) from None
    except UnicodeDecodeError as exc:
        raise LocaleError(f"not UTF-8 (byte {exc.start})", file=path, hint="save the file as UTF-8") from None
    except RecursionError:  # tomllib recurses once per level of nested arrays and inline tables
        raise LocaleError("TOML is nested too deeply", file=path) from None
    except OSError as exc:
        raise LocaleError(f"cannot read: {exc.strerror or exc}", file=path) from None
    out: dict[str, QuotationMarks] = {}
    for ident, entry in data.items():
        if not isinstance(entry, dict):
            raise LocaleError("expected a table such as [ru] start = ...", file=path, field=ident)
        try:
            marks = [entry[k] for k in ("start", "end", "alt_start", "alt_end")]
        except KeyError as exc:
            raise LocaleError(f"missing key {exc.args[0]!r}", file=path, field=ident,
                              hint="give start, end, alt_start and alt_end") from None
        if not all(isinstance(m, str) and m for m in marks):
            raise LocaleError("quotation marks must be non-empty strings", file=path, field=ident)
        out[ident.replace("-", "_")] = QuotationMarks(*marks)
    return out
