"""Locale data for rendering: CLDR formats and plural rules (through Babel),
script direction, the locale's own name, and quotation marks.

Babel does not expose CLDR's quotation delimiters, so they come from a small
TOML file, ``locales/quotation-marks.toml``; users add or override entries by
passing folders of their own that hold a file of the same name.
"""

from __future__ import annotations

import functools
import logging
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import LocaleError
from .resources import builtin_locales_dir

if TYPE_CHECKING:
    from babel import Locale

__all__ = [
    "QuotationMarks",
    "LocaleInfo",
    "get_locale",
    "parse_locale_tag",
    "locale_candidates",
    "primary_subtag",
    "LANGUAGE_TAG",
    "QUOTES_FILE",
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


@dataclass(frozen=True, slots=True)
class QuotationMarks:
    """Primary and secondary (nested) quotation marks of a locale."""

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
    """Everything the renderers need to know about one target locale."""

    tag: str
    """BCP 47 tag with hyphens (``hy``, ``az-Latn``, ``pt-BR``): HTML ``lang``, folder names."""
    babel: Locale
    quotes: QuotationMarks

    @property
    def identifier(self) -> str:
        """Babel/gettext identifier with underscores (``pt_BR``)."""
        return str(self.babel)

    @property
    def language(self) -> str:
        return self.babel.language

    @property
    def direction(self) -> Literal["ltr", "rtl"]:
        return "rtl" if self.babel.character_order == "right-to-left" else "ltr"

    @property
    def name(self) -> str:
        """The locale's name in its own language (``հայերեն``, ``русский``)."""
        return self.babel.get_display_name(self.babel) or self.tag

    @property
    def english_name(self) -> str:
        return self.babel.english_name or self.tag

    def plural_category(self, value: int | Decimal | float) -> str:
        """CLDR plural category of ``value`` in this locale (``one``, ``few``, ...)."""
        return self.babel.plural_form(value)

    def format_number(self, value: int | Decimal | float) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.babel)

    def format_date(self, value: date | datetime, form: str = "long") -> str:
        from babel.dates import format_date

        return format_date(value, format=form, locale=self.babel)

    def format_time(self, value: datetime, form: str = "short") -> str:
        from babel.dates import format_time

        return format_time(value, format=form, tzinfo=value.tzinfo, locale=self.babel)

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


def get_locale(tag: str, *, data_dirs: Sequence[Path] = ()) -> LocaleInfo:
    """Resolve ``tag`` to a :class:`LocaleInfo`.

    ``data_dirs`` are searched for ``quotation-marks.toml`` before polybrief's
    own ``locales/`` folder, so users can add or correct a locale's marks.
    """
    babel_locale = parse_locale_tag(tag)
    from babel.core import get_locale_identifier

    bcp47 = get_locale_identifier(
        (babel_locale.language, babel_locale.territory, babel_locale.script, babel_locale.variant), sep="-"
    )
    return LocaleInfo(tag=bcp47, babel=babel_locale, quotes=_quotes_for(babel_locale, data_dirs))


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
