"""Issue 19's checks, one case each way: what real translations do (no error) and what damage looks like."""

from __future__ import annotations

import pytest

from polybrief import get_locale
from polybrief.qa import CHECKS, Severity, check_segment


def run(source: str, target: str, tag: str) -> list[tuple[str, str]]:
    return [(f.check, f.severity.value) for f in check_segment(
        source, target, path="lead[0]", source_locale=get_locale("en"), target_locale=get_locale(tag))]


def errors(source: str, target: str, tag: str) -> list[str]:
    return [name for name, level in run(source, target, tag) if level == "error"]


# -- numbers as each language writes them ----------------------------------------------------------------------


@pytest.mark.parametrize(("tag", "source", "target"), [
    ("az", "Two civilians were killed", "İki dinc sakin həlak olub"),
    ("az", "More than 100,000 people", "100 000-dən çox insan"),
    ("az", "More than 120 thousand people", "120 mindən çox insan"),
    ("ka", "More than 120 thousand people", "120 ათასზე მეტი ადამიანი"),
    ("ar", "2.5 million people", "2,5 مليون شخص"),
    ("ar", "Version 1.2 extended", "الإصدار 1،2 موسّع"),
    ("ka", "2 civilians", "ორი მშვიდობიანი მოქალაქე"),
    ("fa", "2 civilians", "دو غیرنظامی"),
    ("ar", "2 civilians", "مدنيان"),
    ("uk", "2 civilians", "двоє цивільних"),
    ("ru", "the 5th convoy", "пятый конвой"),
    ("hy", "the 5th convoy", "հինգերորդ շարասյունը"),
    ("az", "the 5th convoy", "beşinci karvan"),
    ("fa", "the 5th convoy", "پنجمین کاروان"),
    ("ar", "the 5th convoy", "القافلة الخامسة"),
    ("ka", "the 5th convoy", "მეხუთე კოლონა"),
    ("az", "Switch to tab 12", "On ikinci səkməyə keçin"),
])
def test_numbers_written_the_languages_way_are_not_errors(tag, source, target):
    assert errors(source, target, tag) == []


def test_turkic_casefolding_reads_a_capital_dotted_i():
    # "İki".lower() is "i̇ki" in Python; the Turkic fold gives "iki".
    assert ("numbers-spelled", "warning") in run("2 civilians were killed", "İki dinc sakin həlak olub", "az")


def test_a_number_in_a_positional_printf_token_is_not_a_number():
    assert errors("Couldn't load sound file %s as sample %s", "%2$s şablonu olaraq %1$s səs faylı yüklənə bilmədi",
                  "az") == []


# -- names are not errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("tag", "source", "target"), [
    ("ru", "The NetworkManager service is not running", "Служба NetworkManager не запущена"),
    ("az", "Humanitarian convoy", "Humanitar karvan"),
    ("az", "Keyboard model:", "Klaviatura modeli:"),
    ("fa", "Wagtail images", "تصاویر Wagtail"),
    ("ru", "Example: “flatpages/contact_page.html”.", "Пример: «flatpages/contact_page.html»."),
    ("ar", "HTTP_S proxy:", "و_سيط HTTPS:"),
    ("ru", "translator-credits", "Stas Solovey <whats_up@tut.by>, 2011-2020\nIvan Molodetskikh, 2020"),
])
def test_names_codes_and_placeholders_copied_from_the_source_pass(tag, source, target):
    assert errors(source, target, tag) == []


def test_english_left_in_a_paragraph_is_still_an_error():
    source = "The European Union issued a statement condemning the military escalation in the region."
    target = ("The European Union issued a statement condemning the military escalation. "
              "Avropa İttifaqı regionda hərbi eskalasiyanı pisləyib.")
    assert "language" in errors(source, target, "az")


# -- same-script wrong language ---------------------------------------------------------------------------------


def test_russian_in_a_ukrainian_catalog_and_arabic_in_a_persian_one():
    assert "language-variant" in errors("Select the user-defined dictionary that you want to edit.",
                                        "Выберите словарь пользователя, который необходимо изменить.", "uk")
    assert errors("Select the user-defined dictionary that you want to edit.",
                  "Виберіть словник користувача, який потрібно змінити.", "uk") == []
    assert "language-variant" in errors("Select the dictionary that you want to edit now.",
                                        "اختر القاموس الذي تريد تحريره الآن من القائمة.", "fa")


# -- invisible characters, bidi, look-alikes, numerals ----------------------------------------------------------


def test_invisible_characters_the_source_lacks():
    assert "invisible" in errors("Civilians were evacuated", "Мирных жителей эваку\u200bировали", "ru")
    assert "invisible" not in errors("Civilians were evacuated", "غیرنظامیان تخلیه\u200cشدند", "fa")  # ZWNJ is Persian


def test_bidi_isolates_must_close_and_embeddings_warn():
    assert "bidi-controls" in errors("Options of GTK+", "گزینه‌های \u2067GTK+", "fa")
    assert errors("Options of GTK+", "گزینه‌های \u2067GTK+\u2069", "fa") == []
    assert ("bidi-embedding", "warning") in run("Options of GTK+", "گزینه‌های \u202aGTK+", "fa")


def test_look_alike_letters_and_mixed_numerals():
    assert "confusables" in errors("The string is available", "Cтрока доступна", "ru")  # a Latin C
    assert errors("Signal, SimpleX or Telegram", "Signal وSimpleX وTelegram", "ar") == []  # و glued to a name
    assert "numerals" in errors("120 people", "۱2۰ نفر", "fa")
    assert ("orthography", "warning") in run("Select a file", "يک فايل را انتخاب کنيد", "fa")


# -- dates, currencies, percentages, printf ----------------------------------------------------------------------


def test_dates_read_in_each_locale():
    source = "The ceasefire was signed on 12 May 2023."
    assert errors(source, "Перемирие подписано 12 мая 2023 года.", "ru") == []
    assert errors(source, "Перемирие подписано 12.05.2023.", "ru") == []
    assert "dates" in errors(source, "Перемирие подписано 05.12.2023.", "ru")
    assert "dates" in errors(source, "Перемирие подписано 12 июня 2023 года.", "ru")
    assert errors(source, "Հրադադարը ստորագրվել է 2023 թվականի մայիսի 12-ին։", "hy") == []


def test_currencies_and_percentages():
    assert errors("Aid worth $97 million arrived.", "Прибыла помощь на 97 млн долларов.", "ru") == []
    assert "currency" in errors("Aid worth $97 million arrived.", "Прибыла помощь на 97 млн евро.", "ru")
    assert errors("Aid worth $97 million arrived.", "Կառավարությունը ստացել է 97 միլիոն դոլարի օգնություն։", "hy") == []
    assert errors("Turnout was 84.5% in the city.", "Явка в городе составила 84,5 %.", "ru") == []
    assert "percent" in errors("Turnout was 84.5% in the city.", "Явка в городе составила 84,5.", "ru")
    assert errors("Turnout was 84.5% in the city.", "ბოლო მონაცემებით, აქტივობამ 84,5 პროცენტი შეადგინა.", "ka") == []


def test_printf_tokens():
    assert "placeholders" in errors("Connecting to the server", "Подключение к %s серверу", "ru")
    assert "placeholders" in errors("Connecting to the server", "Подключение к %d серверу", "ru")
    assert errors("Connecting to %s (%s)", "الاتصال بـ%s (%s)", "ar") == []  # glued to a letter
    assert errors("%s of %s", "%2$s-dən %1$s", "az") == []  # reordered
    assert "markup" in errors("Connecting to %s", "Подключение", "ru")
    assert run("%d minute", "دقيقة واحدة", "ar") == [("markup-count", "warning")]  # a singular says "one"
    assert errors("%m/%d/%y", "%d/%m/%Y", "ru") == []  # a date format, reordered on purpose


# -- negation, severity, cut-off text ----------------------------------------------------------------------------


@pytest.mark.parametrize(("tag", "kept", "dropped"), [
    ("fa", "این فایل باز نمی‌شود", "این فایل باز می‌شود"),
    ("ar", "لا يمكن فتح هذا الملف", "يمكن فتح هذا الملف"),
    ("ru", "Открыть файл невозможно", "Открыть файл можно"),
    ("uk", "Файл недоступний", "Файл доступний"),
    ("ka", "ფაილის გახსნა შეუძლებელია", "ფაილის გახსნა შესაძლებელია"),
])
def test_negation_in_persian_arabic_and_as_a_prefix(tag, kept, dropped):
    source = "This file cannot be opened"
    assert "negation" not in [name for name, _ in run(source, kept, tag)]
    assert ("negation", "warning") in run(source, dropped, tag)


def test_severity_matches_harm():
    source = ("Armenian officials reported that the humanitarian convoy reached the city after a long delay "
              "at the checkpoint.")
    cut = "Официальные лица Армении сообщили, что гуманитарный"
    assert "truncated" in errors(source, cut, "ru")
    for name in ("doubled-words", "negation", "sentences", "end-punctuation", "quotes", "brackets", "length"):
        assert CHECKS[name].severity is Severity.WARNING
    whole = "Azerbaijan launched an offensive against the positions of the separatists"
    assert "untranslated" in errors(whole, whole, "az")
