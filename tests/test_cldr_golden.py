"""Golden test: what polybrief prints for figures, dates, date-times with their zone and
qualifiers in en, hy, az, ru, ka, fa and ar equals what CLDR says — every expected string
is computed here by Babel's own functions (and the locale's UI catalog read with Babel),
never copied from polybrief's output.

Babel has the symbols of each numbering system but not its digits, so this test writes
digits with :mod:`unicodedata` by the digit names of the locale's CLDR default numbering
system; and Babel writes a pattern's ``%`` as it is, so the test replaces it by the
numbering system's ``percentSign`` from the same CLDR data.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from html import unescape

import pytest
from babel import Locale
from conftest import without_hidden
from babel.dates import (
    format_date,
    format_time,
    get_datetime_format,
    get_time_format,
    get_timezone_gmt,
)
from babel.messages.pofile import read_po
from babel.numbers import format_compact_currency, format_decimal, format_percent

from polybrief import Renderer, Session, localise

LOCALES = ("en", "hy", "az", "ru", "ka", "fa", "ar")
DIGIT_NAMES = {"arabext": "EXTENDED ARABIC-INDIC DIGIT", "arab": "ARABIC-INDIC DIGIT"}
WORDS = ("ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE")
PUBLISHED = datetime(2023, 9, 30, 21, 15, tzinfo=timezone(timedelta(hours=4)))
DAY = date(2023, 9, 30)


def native(text: str, tag: str) -> str:
    system = Locale.parse(tag).default_numbering_system
    if system == "latn":
        return text
    digits = "".join(unicodedata.lookup(f"{DIGIT_NAMES[system]} {word}") for word in WORDS)
    return text.translate(str.maketrans("0123456789", digits))


def percent(value: str, tag: str) -> str:
    locale = Locale.parse(tag)
    text = format_percent(Decimal(value) / 100, locale=locale, numbering_system="default", decimal_quantization=False)
    return native(text.replace("%", locale.number_symbols[locale.default_numbering_system]["percentSign"]), tag)


def money(value: int, tag: str) -> str:
    locale = Locale.parse(tag)
    pattern = copy.copy(locale.currency_formats["standard"])
    pattern.frac_prec = (0, 0)  # a whole amount is written without decimals
    text = pattern.apply(Decimal(value), locale, currency="USD", currency_digits=False, numbering_system="default")
    return native(text, tag)


def datetime_with_zone(tag: str) -> str:
    """CLDR: the long date and the time joined by the long date-time pattern; the time is the
    locale's long time pattern (which places the zone) without seconds, zone as localized GMT."""
    time_pattern = get_time_format("long", locale=tag).pattern.replace(":ss", "").replace("z", "OOOO")
    time_text = format_time(PUBLISHED, time_pattern, tzinfo=PUBLISHED.tzinfo, locale=tag)
    joined = get_datetime_format("long", locale=tag).replace("'", "")
    return native(joined.replace("{0}", time_text).replace("{1}", format_date(PUBLISHED, "long", locale=tag)), tag)


def ui(tag: str, msgid: str, repo_root) -> str:
    """The locale's UI translation of ``msgid`` (English where polybrief ships none)."""
    path = repo_root / "locales" / tag / "LC_MESSAGES" / "polybrief.po"
    if not path.exists():
        return msgid
    with open(path, "rb") as handle:
        message = read_po(handle)[msgid]
    return message.string if message is not None and message.string else msgid


@pytest.fixture(scope="module")
def golden_brief():
    from polybrief import Brief

    return Brief.model_validate({
        "id": "golden", "headline": "Golden", "lead": ["Text."],
        "dateline": {"place": "Goris", "date": DAY}, "published": PUBLISHED,
        "figures": [
            {"label": "Count", "value": 120000},
            {"label": "Percent", "kind": "percent", "value": "84.5"},
            {"label": "Money", "kind": "currency", "currency": "USD", "value": 97000000},
            {"label": "Compact", "kind": "currency", "currency": "USD", "value": 97000000, "compact": True},
            {"label": "At least", "kind": "percent", "value": "84.5", "qualifier": "at-least"},
            {"label": "About", "kind": "currency", "currency": "USD", "value": 97000000, "compact": True,
             "qualifier": "about"},
            {"label": "Up to", "value": 120000, "qualifier": "up-to"},
        ],
    })


@pytest.fixture(scope="module")
def pages(golden_brief):
    renderer = Renderer()
    out = {}
    for tag in LOCALES:
        localised = localise(golden_brief, tag)
        out[tag] = (localised, renderer.render(localised), renderer.render(localised, format="text"))
    return out


@pytest.fixture(scope="module")
def date_pages():
    """Pages of a brief with only a plain count (so the date checks do not depend on figure kinds)."""
    from polybrief import Brief

    brief = Brief.model_validate({"id": "dates", "headline": "Dates", "lead": ["Text."],
                                  "dateline": {"place": "Goris", "date": DAY}, "published": PUBLISHED,
                                  "figures": [{"label": "Count", "value": 120000}]})
    renderer = Renderer()
    return {tag: (loc := localise(brief, tag), renderer.render(loc), renderer.render(loc, format="text"))
            for tag in LOCALES}


def _cells(html: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r'<td class="amount"[^>]*>(.*?)</td>', without_hidden(html))]


@pytest.mark.parametrize("tag", LOCALES)
def test_figures_match_cldr(pages, tag, repo_root):
    localised, html, text = pages[tag]
    count = native(format_decimal(120000, locale=tag, numbering_system="default"), tag)
    compact = native(format_compact_currency(97000000, "USD", locale=tag, numbering_system="default"), tag)
    expected_numbers = [count, percent("84.5", tag), money(97000000, tag), compact, percent("84.5", tag), compact,
                        count]
    assert [fig.number for fig in localised.figures] == expected_numbers
    expected_cells = [
        count, percent("84.5", tag), money(97000000, tag), compact,
        ui(tag, "at least {amount}", repo_root).format(amount=percent("84.5", tag)),
        ui(tag, "about {amount}", repo_root).format(amount=compact),
        ui(tag, "up to {amount}", repo_root).format(amount=count),
    ]
    assert _cells(html) == expected_cells
    for cell in expected_cells:
        assert cell in text


@pytest.mark.parametrize("tag", LOCALES)
def test_dates_and_datetimes_match_cldr(date_pages, tag):
    localised, html, text = date_pages[tag]
    day = native(format_date(DAY, "long", locale=tag), tag)
    when = datetime_with_zone(tag)
    assert localised.dateline_date == day
    assert localised.published_datetime == when
    assert f'<time datetime="2023-09-30">{day}</time>' in unescape(re.sub(r"</?bdi[^>]*>", "", html))
    published = re.search(r'<time datetime="2023-09-30T21:15:00\+04:00">(.*?)</time>', html).group(1)
    assert unescape(re.sub(r"<[^>]+>", "", published)) == when
    assert day in text and when in " ".join(text.split("\n"))  # may wrap only where it has spaces
    # the zone is there, in the locale's localized GMT format
    assert native(get_timezone_gmt(PUBLISHED, width="long", locale=tag), tag) in when


def test_persian_date_time_uses_the_cldr_pattern(date_pages):
    """The reported defect: "30 سپتامبر 2023, 21:15" — CLDR's fa pattern is "{1}، ساعت {0}"."""
    html = date_pages["fa"][1]
    when = unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="published">(.*?)</p>', html).group(1)))
    assert "، ساعت " in when and ", " not in when
    assert when.endswith(datetime_with_zone("fa"))


def test_latin_digits_on_request(golden_brief):
    from polybrief import Project

    project = Project(digits="latin")
    session = Session(project)
    localised = localise(golden_brief, "fa", project=project)
    assert localise(golden_brief, "fa").figures[0].number == "۱۲۰٬۰۰۰"  # Persian digits by default
    assert localised.figures[0].number == format_decimal(120000, locale="fa", numbering_system="latn")
    assert localised.published_datetime.startswith("30 سپتامبر 2023")
    assert not any("\u06f0" <= ch <= "\u06f9" for ch in session.renderer.render(localised))


def test_every_default_numbering_system_has_digits():
    """The digit table covers every default (and native) numbering system Babel's CLDR knows,
    and each entry is ten consecutive Unicode digits 0-9 (so a Babel upgrade cannot silently
    print Latin digits)."""
    from babel.localedata import locale_identifiers

    from polybrief.numbering import ZERO_DIGITS

    systems = set()
    for ident in locale_identifiers():
        locale = Locale.parse(ident)
        systems.add(locale.default_numbering_system)
        systems.update(v for k, v in locale.other_numbering_systems.items() if k == "native" and v != "hanidec")
    assert systems <= set(ZERO_DIGITS), sorted(systems - set(ZERO_DIGITS))
    for system, zero in ZERO_DIGITS.items():
        assert [unicodedata.digit(chr(ord(zero) + n)) for n in range(10)] == list(range(10)), system
