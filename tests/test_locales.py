"""Locale data: CLDR dates, numbers and plural rules through Babel, script
direction, own names, and quotation marks (built-in and user-supplied)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from polybrief import LocaleError, QuotationMarks, get_locale

NBSP = "\u00a0"
NNBSP = "\u202f"
DAY = date(2023, 9, 19)


@pytest.mark.parametrize(("tag", "expected"), [
    ("hy", "2023 թ. սեպտեմբերի 19"),
    ("az", "19 sentyabr 2023"),
    ("ru", f"19 сентября 2023{NNBSP}г."),  # CLDR puts a narrow no-break space before "г."
    ("en", "September 19, 2023"),
])
def test_long_dates(tag, expected):
    assert get_locale(tag).format_date(DAY, "long") == expected


def test_russian_date_reads_as_the_usual_form():
    assert get_locale("ru").format_date(DAY).replace(NNBSP, " ") == "19 сентября 2023 г."


def test_time_keeps_the_brief_offset():
    published = datetime(2023, 9, 19, 18, 0, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert get_locale("ru").format_time(published) == "18:00"
    assert get_locale("hy").format_timezone(published).endswith("+0530")


@pytest.mark.parametrize(("tag", "expected"), [
    ("hy", f"120{NBSP}000"),
    ("az", "120.000"),
    ("ru", f"120{NBSP}000"),
    ("en", "120,000"),
])
def test_number_grouping(tag, expected):
    formatted = get_locale(tag).format_number(120000)
    assert formatted == expected
    assert " " not in formatted  # never a breakable space inside a number


def test_decimal_separator():
    from decimal import Decimal

    assert get_locale("ru").format_number(Decimal("2.5")) == "2,5"
    assert get_locale("en").format_number(Decimal("2.5")) == "2.5"


@pytest.mark.parametrize(("tag", "marks"), [
    ("hy", ("«", "»", "«", "»")),
    ("ru", ("«", "»", "„", "“")),
    ("az", ("“", "”", "‘", "’")),
    ("ka", ("„", "“", "«", "»")),
    ("fa", ("«", "»", "“", "”")),
    ("ar", ("”", "“", "’", "‘")),
    ("en", ("“", "”", "‘", "’")),
])
def test_quotation_marks(tag, marks):
    quotes = get_locale(tag).quotes
    assert (quotes.start, quotes.end, quotes.alt_start, quotes.alt_end) == marks
    assert quotes.quote("x") == f"{marks[0]}x{marks[1]}"
    assert quotes.quote("x", nested=True) == f"{marks[2]}x{marks[3]}"


def test_russian_nested_quotes():
    quotes = get_locale("ru").quotes
    assert quotes.quote(f"он сказал {quotes.quote('нет', nested=True)}") == "«он сказал „нет“»"


def test_region_falls_back_to_language_and_unknown_to_root():
    assert get_locale("ru-RU").quotes == get_locale("ru").quotes
    assert get_locale("en-GB").quotes.start == "‘"  # its own entry, not en's
    assert get_locale("ja").quotes == QuotationMarks("「", "」", "『", "』")  # CLDR's, though quotation-marks.toml has none
    assert get_locale("zu").quotes == QuotationMarks("“", "”", "‘", "’")  # CLDR root


@pytest.mark.parametrize(("tag", "direction"), [
    ("fa", "rtl"), ("ar", "rtl"), ("he", "rtl"),
    ("hy", "ltr"), ("az", "ltr"), ("ru", "ltr"), ("ka", "ltr"), ("en", "ltr"),
])
def test_direction(tag, direction):
    assert get_locale(tag).direction == direction


@pytest.mark.parametrize(("tag", "name", "english"), [
    ("hy", "հայերեն", "Armenian"),
    ("az", "azərbaycan", "Azerbaijani"),
    ("ru", "русский", "Russian"),
    ("ka", "ქართული", "Georgian"),
    ("fa", "فارسی", "Persian"),
    ("ar", "العربية", "Arabic"),
])
def test_own_names(tag, name, english):
    info = get_locale(tag)
    assert info.name == name
    assert info.english_name == english


def test_tags_are_bcp47_and_identifiers_gettext():
    info = get_locale("pt_BR")
    assert info.tag == "pt-BR" and info.identifier == "pt_BR"
    assert get_locale(" az-Latn ").tag == "az-Latn"


@pytest.mark.parametrize(("tag", "value", "category"), [
    ("ru", 1, "one"), ("ru", 2, "few"), ("ru", 5, "many"), ("ru", 21, "one"), ("ru", 11, "many"),
    ("en", 1, "one"), ("en", 2, "other"), ("hy", 1, "one"), ("hy", 2, "other"),
])
def test_plural_categories(tag, value, category):
    assert get_locale(tag).plural_category(value) == category


@pytest.mark.parametrize("tag", ["xx-zz", "zz", "", "   ", "12", "not a tag"])
def test_unknown_tag(tag):
    with pytest.raises(LocaleError) as info:
        get_locale(tag)
    assert isinstance(info.value, ValueError)  # catchable the way callers think of it
    assert "locale" in info.value.message
    assert info.value.hint  # tells the user what a valid tag looks like


def test_user_quotation_marks_override_and_add(tmp_path):
    (tmp_path / "quotation-marks.toml").write_text(
        '[ru]\nstart = "“"\nend = "”"\nalt_start = "‘"\nalt_end = "’"\n\n'
        '[pl]\nstart = "„"\nend = "”"\nalt_start = "«"\nalt_end = "»"\n',
        encoding="utf-8",
    )
    ru = get_locale("ru", data_dirs=[tmp_path])
    assert ru.quotes.quote("да") == "“да”"
    assert get_locale("ru").quotes.quote("да") == "«да»"  # the override is not global
    assert get_locale("pl", data_dirs=[tmp_path]).quotes.quote("tak", nested=True) == "«tak»"
    assert get_locale("hy", data_dirs=[tmp_path]).quotes.start == "«"  # others still built in


def test_malformed_quotation_marks_toml(tmp_path):
    path = tmp_path / "quotation-marks.toml"
    path.write_text('[ru\nstart = "«"\n', encoding="utf-8")
    with pytest.raises(LocaleError) as info:
        get_locale("ru", data_dirs=[tmp_path])
    assert info.value.file == str(path)
    assert "invalid TOML" in str(info.value)


def test_a_partial_quotation_marks_entry_overrides_only_its_keys(tmp_path):
    path = tmp_path / "quotation-marks.toml"
    path.write_text('[ru]\nalt_start = "‚"\nalt_end = "‘"\n\n[kk]\nfinal = "outside"\n', encoding="utf-8")
    ru = get_locale("ru", data_dirs=[tmp_path]).quotes
    assert (ru.start, ru.end, ru.alt_start, ru.alt_end, ru.final) == ("«", "»", "‚", "‘", "outside")
    assert get_locale("kk", data_dirs=[tmp_path]).quotes.quote("Бітті.") == "«Бітті»."
    path.write_text('[ru]\nfinal = "after"\n', encoding="utf-8")
    with pytest.raises(LocaleError) as info:
        get_locale("ru", data_dirs=[tmp_path])
    assert (info.value.file, info.value.field) == (str(path), "ru")
    assert "inside" in info.value.message
