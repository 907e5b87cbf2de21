"""The sentence, language, number, quotation, plural and token checks of issue 14.

Each case is a pair a check must flag or accept; the shipped catalogs of the
example (hy, az, ru and uk) are the false-positive guard: not one finding.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from conftest import example_key

from polybrief import get_locale, load, localise
from polybrief import load_brief_catalog
from polybrief.catalogs.brief import PluralForms
from polybrief.cli import main
from polybrief.qa import CHECKS, Severity, check_localised, check_segment, gate_machine
from polybrief.qa.registry import Pair
from polybrief.qa.suite import ALL_CHECKS
from polybrief.text.scripts import letter_script, script_counts

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "nagorno-karabakh.yaml"
CATALOGS = ROOT / "examples" / "locales"
SHIPPED = sorted(p.name for p in CATALOGS.iterdir() if (p / "LC_MESSAGES" / "nagorno-karabakh.po").is_file())


def run(source: str, target: str, tag: str) -> list[str]:
    return [f.check for f in check_segment(source, target, path="lead[0]", source_locale=get_locale("en"),
                                           target_locale=get_locale(tag))]


@pytest.fixture(scope="module")
def brief():
    return load(EXAMPLE)


def test_every_shipped_catalog_has_no_finding_at_all(brief):
    assert SHIPPED == ["az", "hy", "ru", "uk"]
    for tag in SHIPPED:
        locale = get_locale(tag)
        localised = localise(brief, locale, catalog=load_brief_catalog(brief, locale, CATALOGS))
        assert check_localised(localised) == [], tag


def test_check_json_carries_the_new_checks(tmp_path, capsys):
    root = tmp_path / "locales"
    import shutil

    shutil.copytree(CATALOGS, root)
    po = root / "az" / "LC_MESSAGES" / "nagorno-karabakh.po"
    english = "The Kremlin confirmed that it was in communication with both Azerbaijan and Armenia."
    catalog = polib.pofile(str(po))  # a translator's editor
    (entry,) = [e for e in catalog if e.msgctxt == example_key("sections[0].items[6].text")]
    entry.msgstr = f"{english} Bundan əlavə, BMT baş katibi danışıqlar aparacaq."
    catalog.save()
    assert main(["check", str(EXAMPLE), "--locales", "az", "--catalogs", str(root), "--json"]) == 1
    import json

    data = json.loads(capsys.readouterr().out)
    checks = {f["check"] for f in data["locales"]["az"]["findings"]}
    assert "language" in checks


# -- sentences -------------------------------------------------------------------------------------------


def test_dropped_and_doubled_sentences():
    source = "Azerbaijani forces opened fire. Officials reported casualties."
    assert run(source, "Азербайджанские силы открыли огонь. Официальные лица сообщили о жертвах.", "ru") == []
    assert run(source, "Азербайджанские силы открыли огонь.", "ru") == ["sentences"]
    doubled = "Азербайджанские силы открыли огонь. Азербайджанские силы открыли огонь. Официальные лица сообщили."
    assert "repeated-text" in run(source, doubled, "ru")
    assert CHECKS["repeated-text"].severity is Severity.ERROR


def test_decoder_loop_and_doubled_words():
    source = "Azerbaijani forces opened fire on Armenian positions in the region."
    assert "repeated-text" in run(source, "Ադրբեջանական ուժերը կրակ են բացել տարածաշրջանում տարածաշրջանում "
                                          "տարածաշրջանում հայկական դիրքերի ուղղությամբ։", "hy")
    assert run(source, "Azərbaycan qüvvələri bölgədə bölgədə erməni mövqelərinə atəş açıb.", "az") == ["doubled-words"]


def test_whitespace_and_end_punctuation():
    source = "Azerbaijan launched an offensive."
    assert run(source, " Азербайджан начал наступление.", "ru") == ["whitespace"]
    assert run(source, "Азербайджан начал наступление", "ru") == ["end-punctuation"]
    assert run(source, "Ադրբեջանը հարձակում է սկսել։", "hy") == []
    assert run(source, "Ադրբեջանը հարձակում է սկսել.", "hy") == ["end-punctuation"]  # a Latin full stop
    assert run("Civilian Casualties", "Жертвы среди мирного населения.", "ru") == ["end-punctuation"]
    assert run('He called it "stable."', "Он назвал её «стабильной».", "ru") == []
    assert run("Azerbaijan launched an offensive.", "آذربایجان حمله را آغاز کرد۔", "fa") == []


# -- language -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("tag", "target"), [
    ("az", "Kreml hər iki ölkə ilə əlaqədə olduğunu təsdiqləyib. The talks will continue next week in Geneva."),
    ("ru", "Кремль подтвердил контакты с обеими странами. The talks will continue next week in Geneva."),
    ("hy", "Կրեմլը հաստատել է, որ կապի մեջ է երկու երկրների հետ։ The talks will continue next week in Geneva."),
])
def test_an_english_sentence_left_in_a_translation_is_an_error(tag, target):
    source = "The Kremlin confirmed contacts with both countries. The talks will continue next week in Geneva."
    findings = check_segment(source, target, path="lead[0]", source_locale=get_locale("en"),
                             target_locale=get_locale(tag))
    language = [f for f in findings if f.check == "language"]
    assert len(language) == 1 and language[0].is_error and "talks" in language[0].message


def test_names_and_short_phrases_are_not_judged():
    assert run("Henrikh Mkhitaryan on X", "Henrix Mxitaryan X-də", "az") == []
    assert run("TikTok Access Restricted", "TikTok-a giriş məhdudlaşdırılıb", "az") == []


# -- numbers ---------------------------------------------------------------------------------------------------


def test_an_added_figure_is_an_error_and_a_year_a_warning():
    assert run("Key updates", "მთავარი სიახლეები: 710 დაღუპული", "ka") == ["numbers-added"]
    assert run("Key updates", "Ключевые события 2023 года", "ru") == ["numbers-added-minor"]
    assert run("two civilians were killed", "2 мирных жителя погибли", "ru") == []  # spelled → digits
    assert run("120,000 civilians", "120 тысяч мирных жителей", "ru") == []


def test_persian_informal_decimal_is_a_warning_not_an_error():
    assert run("Prices rose 5.2 percent", "قیمت‌ها ۵٫۲ درصد افزایش یافت", "fa") == []
    assert run("Prices rose 5.2 percent", "قیمت‌ها ۵/۲ درصد افزایش یافت", "fa") == ["numbers-informal"]
    assert CHECKS["numbers-informal"].severity is Severity.WARNING


# -- quotation style --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("tag", "target", "ok"), [
    ("ru", "Он назвал ситуацию «стабильной».", True),
    ("ru", "Он назвал ситуацию “стабильной”.", False),
    ("hy", "Նա իրավիճակը բնութագրել է որպես “կայուն”։", False),
    ("az", "O, vəziyyəti “sabit” adlandırıb.", True),
    ("az", "O, vəziyyəti «sabit» adlandırıb.", False),
    ("ka", "მან ვითარებას „სტაბილური“ უწოდა.", True),
    ("ka", "მან ვითარებას “სტაბილური” უწოდა.", False),
])
def test_quotation_marks_in_the_locales_style(tag, target, ok):
    found = run('He called the situation "stable."', target, tag)
    assert ("quotes-style" not in found) is ok


# -- tokens ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("debris", ["⁇", "<unk>", "▁Азер", "&quot;", "\ufffd", "</s>"])
def test_model_debris_is_an_error(debris):
    assert "mt-tokens" in run("Azerbaijan launched an offensive.", f"Азербайджан {debris} начал наступление.", "ru")


@pytest.mark.parametrize(("source", "kept", "dropped"), [
    ("<b>UPDATE</b>: talks resumed.", "<b>ОБНОВЛЕНИЕ</b>: переговоры возобновились.",
     "ОБНОВЛЕНИЕ: переговоры возобновились."),
    ("Arrivals so far: {{ arrivals_total }}.", "Прибыло на данный момент: {{arrivals_total}}.",
     "Прибыло на данный момент: много."),
    ("Arrivals so far: %(count)s.", "Прибыло на данный момент: %(count)s.", "Прибыло на данный момент."),
])
def test_markup_of_the_source_must_survive(source, kept, dropped):
    assert "markup" not in run(source, kept, "ru")
    assert "markup" in run(source, dropped, "ru")


# -- plural forms ------------------------------------------------------------------------------------------------


RU_SAMPLES = ((1, 21, 31), (2, 3, 4, 22), (0, 5, 6, 11, 12))


def plural_findings(forms: tuple[str, ...], tag: str = "ru", samples=RU_SAMPLES) -> list[str]:
    pair = Pair("civilians", forms[0] or "x", path="figures[0].unit", source_locale=get_locale("en"),
                target_locale=get_locale(tag), rules=(), provenance=None,
                plural=PluralForms(forms, samples, False), plural_source={"one": "civilian", "other": "civilians"})
    return [f.check for f in pair.run(ALL_CHECKS) if f.check.startswith("plural")]


def test_plural_forms_in_cldr_order_pass():
    assert plural_findings(("мирный житель", "мирных жителя", "мирных жителей")) == []
    assert plural_findings(("военнослужащий", "военнослужащих", "военнослужащих")) == []
    assert plural_findings(("цивільний", "цивільні", "цивільних"), "uk") == []


def test_plural_forms_out_of_order_empty_english_or_wrong_script():
    assert plural_findings(("мирных жителей", "мирных жителя", "мирный житель")) == ["plural-order", "plural-order"]
    assert plural_findings(("мирный житель", "мирных жителя", "мирный житель")) == ["plural-order"]  # one for 5
    assert plural_findings(("мирный житель", "", "мирных жителей")) == ["plural-forms"]
    assert plural_findings(("mülki şəxs", "civilians"), "az", ((0, 1), (2, 3))) == ["plural-untranslated"]
    assert plural_findings(("խաղաղ բնակիչ", "civilians"), "hy", ((0, 1), (2, 3))) == ["plural-forms"]


def test_an_incomplete_plural_entry_is_reported_though_not_published(brief, tmp_path):
    import shutil

    root = tmp_path / "locales"
    shutil.copytree(CATALOGS, root)
    po = root / "ru" / "LC_MESSAGES" / "nagorno-karabakh.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr[1] "{count} мирных жителя"', 'msgstr[1] ""', 1), encoding="utf-8")
    ru = get_locale("ru")
    findings = check_localised(localise(brief, ru, catalog=load_brief_catalog(brief, ru, root)))
    # figures[0] is a qualified figure ("не менее ..."); the first exact phrase "{count} мирных жителя" is figures[1]'s.
    assert [(f.check, f.path) for f in findings] == [("plural-forms", example_key("figures[1].unit"))]
    assert findings[0].is_error and "2, 3, 4" in findings[0].message


# -- machine output ------------------------------------------------------------------------------------------------


def test_gate_machine_rejects_debris_and_english_left_in(brief):
    from polybrief.mt import MachineTranslation

    def mt(text: str) -> MachineTranslation:
        return MachineTranslation(text=text, score=-0.5, engine="test", models=("en→az test",))

    tiktok, eu = example_key("sections[0].items[8].text"), example_key("sections[0].items[7].text")
    machine = {
        "headline": mt("Azərbaycan Dağlıq Qarabağda “antiterror” hücumuna ⁇ başlayıb"),
        tiktok: mt("Azərbaycan regionda TikTok-a girişi məhdudlaşdırıb, The Insider yazır."),
        eu: mt("The European Union issued a statement condemning the military escalation. "
               "Avropa İttifaqı Azərbaycanı hərbi fəaliyyətini dayandırmağa çağırıb."),
    }
    gated = gate_machine(machine, brief, get_locale("az"), source_locale=get_locale("en"))
    assert "mt-tokens" in (gated["headline"].problem or "")
    assert gated[tiktok].ok
    assert "language" in (gated[eu].problem or "")


# -- throughput: the one-pass script count agrees with the per-letter classification --------------------------


def test_script_counts_agree_with_letter_script():
    text = "Ադրբեջանը AFP-ն Москва ქართული 北京 ١٢٣ عربي ελληνικά 2023 — «»"
    expected: dict[str | None, int] = {}
    for ch in text:
        if ch.isalpha():
            code = letter_script(ch)
            expected[code] = expected.get(code, 0) + 1
    assert script_counts(text) == expected


#: Characters a case-insensitive pattern of ASCII words matches without lower-casing to ASCII.
_ODD_CASES = {"s": "\u017f", "k": "\u212a", "i": "\u0131", "I": "\u0130"}


@pytest.mark.parametrize("source", [
    "Six were killed and twenty-six hurt; sixteen are missing.",
    "Sixty-six families lost their homes, twice the number of 2020.",
    "Damage of 5 million sterling, and 3 dollars a litre; fuel prices doubled.",
    "The first and the second convoy, a pair of trucks and a dozen cars, left at six.",
])
def test_number_and_currency_words_in_odd_letter_forms_are_read_not_a_crash(source: str) -> None:
    # The number-word, implied-number and currency-name patterns are case-insensitive, so "ſix" (long s),
    # "\u212aM" (Kelvin sign) or "İ" match them; their tables are keyed by ASCII words. A lookup with the
    # matched text lower-cased raised KeyError on such a brief and stopped the whole publish run.
    en, ru = get_locale("en"), get_locale("ru")
    target = "Шестеро погибли."
    plain = {f.check for f in check_segment(source, target, path="x", source_locale=en, target_locale=ru)}
    for ascii_letter, odd in _ODD_CASES.items():
        if ascii_letter not in source:
            continue
        odd_source = source.replace(ascii_letter, odd)
        findings = check_segment(odd_source, target, path="x", source_locale=en, target_locale=ru)
        assert {f.check for f in findings} <= plain | {"script", "confusables", "mixed-script", "spelling"}, odd_source
