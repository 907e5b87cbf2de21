"""Quality checks (polybrief.qa) and ``polybrief check``.

The shipped hy/az/ru translations of the example are careful human work: the
checks must pass them with no errors.  Every other case is a small pair of
texts that a check must accept or flag, named after what it proves.
"""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
from pathlib import Path

import pytest

from polybrief import Project, get_locale, load, localise
from polybrief import load_brief_catalog
from polybrief.cli import main
from polybrief import QualityGateError
from polybrief.glossary import read_glossary_csv
from polybrief.mt import MachineTranslation
from polybrief import Provenance, TranslationPolicy
from polybrief.qa import (
    CHECKS,
    Finding,
    QAReport,
    Severity,
    check_briefs,
    check_localised,
    check_segment,
    gate_machine,
    publish_gate,
)
from polybrief.text.scripts import locale_script

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "nagorno-karabakh.yaml"
CATALOGS = ROOT / "examples" / "locales"

GLOSSARY_CSV = """source,hy,az,ru,note
Nagorno-Karabakh,Լեռնային Ղարաբաղ,Dağlıq Qarabağ,Нагорный Карабах,
AFP,=,=,=,agency name
TikTok,=,=,=,
ceasefire,հրադադար,atəşkəs,,
"""
#: The Russian translators of the example wrote "прекратить огонь" (a verb), so the
#: shared glossary has no Russian rule for "ceasefire"; this one has, to test inflection.
RU_CEASEFIRE_CSV = """source,ru
ceasefire,прекращение огня
Nagorno-Karabakh,Нагорный Карабах
"""

from conftest import example_key  # noqa: E402

# Key paths (msgctxt, segment paths) of the seed brief's fields.
ITEM4_TEXT = example_key("sections[0].items[4].text")
ITEM9_TEXT = example_key("sections[0].items[9].text")
LEAD1 = example_key("lead[1]")
QUOTE_TEXT = example_key("quotes[0].text")


@pytest.fixture(scope="module")
def glossary():
    return read_glossary_csv(io.StringIO(GLOSSARY_CSV), name="glossary.csv")


@pytest.fixture(scope="module")
def ru_glossary():
    return read_glossary_csv(io.StringIO(RU_CEASEFIRE_CSV), name="ru.csv")


@pytest.fixture(scope="module")
def brief():
    return load(EXAMPLE)


def L(tag: str):
    return get_locale(tag)


def run(source: str, target: str, tag: str, *, glossary=None, source_tag: str = "en") -> list[Finding]:
    return check_segment(source, target, path="lead[0]", source_locale=L(source_tag), target_locale=L(tag),
                         glossary=glossary)


def checks(findings: list[Finding]) -> list[str]:
    return [f.check for f in findings]


# -- the shipped translations ----------------------------------------------------------


@pytest.mark.parametrize("tag", ["hy", "az", "ru"])
def test_shipped_translations_have_no_errors(brief, glossary, tag):
    locale = L(tag)
    localised = localise(brief, locale, catalog=load_brief_catalog(brief, locale, CATALOGS))
    findings = check_localised(localised, glossary=glossary)
    assert [f for f in findings if f.is_error] == []
    # They are careful translations: not even a warning.
    assert findings == []


def test_shipped_translations_with_drafts_policy(brief):
    items = [localise(brief, L(t), catalog=load_brief_catalog(brief, L(t), CATALOGS),
                      project=Project(policy=TranslationPolicy(drafts="include"))) for t in ("hy", "az", "ru")]
    assert not check_briefs(items).has_errors


# -- numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize("target", [
    "120 000 мирных жителей",           # plain space
    "120\u00a0000 мирных жителей",      # NBSP (CLDR ru)
    "120\u202f000 мирных жителей",      # narrow NBSP
    "120000 мирных жителей",
    "120 тысяч мирных жителей",         # scale word
    "120 тыс. мирных жителей",
])
def test_numbers_equal_as_values_in_russian(target):
    assert run("120,000 civilians", target, "ru") == []


def test_numbers_azerbaijani_groups_with_dots():
    assert run("120,000 civilians and 30,000 children", "30.000 uşaq və 120.000 mülki şəxs", "az") == []


def test_numbers_decimals_use_the_locale_separator():
    assert run("Prices rose 2.5 percent", "Цены выросли на 2,5 процента", "ru") == []
    assert run("Prices rose 2.5 percent", "Գները աճել են 2,5 տոկոսով", "hy") == []


def test_number_in_source_format_is_a_format_warning():
    [finding] = run("120,000 civilians", "120,000 мирных жителей", "ru")
    assert (finding.check, finding.severity) == ("numbers-format", Severity.WARNING)
    assert "120\u00a0000" in finding.message


def test_missing_number_is_an_error_naming_the_path():
    [finding] = run("11 others were wounded", "ещё несколько человек получили ранения", "ru")
    assert finding.check == "numbers"
    assert finding.severity is Severity.ERROR
    assert finding.path == "lead[0]" and "lead[0]" in finding.message and "11" in finding.message


def test_changed_number_is_an_error():
    assert checks(run("120,000 civilians", "12 000 мирных жителей", "ru")) == ["numbers"]
    assert checks(run("120,000 civilians", "12.000 mülki şəxs", "az")) == ["numbers"]


def test_years_and_grouped_numbers_side_by_side():
    source = "In 2023, 5,000 people fled; by 2024 another 120,000."
    assert run(source, "В 2023 году 5 000 человек бежали; к 2024 году ещё 120 000.", "ru") == []
    assert run(source, "2023-ին 5000 մարդ է փախել, 2024-ին՝ ևս 120 000։", "hy") == []
    assert run(source, "2023-cü ildə 5.000 nəfər qaçıb, 2024-cü ilə qədər daha 120.000.", "az") == []
    assert checks(run(source, "В 2022 году 5 000 человек бежали; к 2024 году ещё 120 000.", "ru")) == ["numbers"]


def test_ordinals_keep_their_number():
    assert run("on the 19th of September", "19-го сентября", "ru") == []
    assert run("on the 19th of September", "սեպտեմբերի 19-ին", "hy") == []
    assert checks(run("on the 19th of September", "20-го сентября", "ru")) == ["numbers"]


def test_identifiers_glued_to_letters_are_not_counts():
    assert run("The G7 statement came late in the evening", "Заявление «Большой семёрки» прозвучало поздно вечером",
               "ru") == []


def test_spelled_source_number_kept_spelled_is_fine():
    assert run("two civilians were killed", "двое мирных жителей погибли", "ru") == []
    assert run("four soldiers and two civilians", "չորս զինվոր և երկու խաղաղ բնակիչ", "hy") == []
    assert run("four soldiers and two civilians", "dörd əsgər və iki mülki şəxs", "az") == []
    assert run("two civilians were killed", "2 мирных жителя погибли", "ru") == []


def test_spelled_source_number_lost_is_a_warning():
    [finding] = run("two civilians were killed", "мирные жители погибли", "ru")
    assert (finding.check, finding.severity) == ("numbers-spelled", Severity.WARNING)


def test_digit_source_spelled_in_target_is_a_warning_not_an_error():
    [finding] = run("2 civilians were killed", "двое мирных жителей погибли", "ru")
    assert (finding.check, finding.severity) == ("numbers-spelled", Severity.WARNING)


def test_digit_source_missing_entirely_is_an_error():
    assert checks(run("2 civilians were killed", "мирные жители погибли", "ru")) == ["numbers"]


def test_numbers_in_links_are_the_links_business():
    assert run("See https://example.org/2023/report-5", "См. https://example.org/2023/report-5", "ru") == []


def test_arabic_and_persian_digits():
    assert run("120,000 civilians", "١٢٠٬٠٠٠ مدني", "ar") == []
    assert run("120,000 civilians", "120,000 مدني", "ar") == []
    assert run("120,000 civilians", "۱۲۰٬۰۰۰ غیرنظامی", "fa") == []


# -- glossary ----------------------------------------------------------------------------


@pytest.mark.parametrize("target", [
    "Прекращение огня в Нагорном Карабахе",
    "о прекращении огня в Нагорном Карабахе",
    "Нагорно-карабахское прекращение огня",
    "Прекращение огня в Нагорный Карабах",
])
def test_glossary_tolerates_russian_inflection(ru_glossary, target):
    assert run("The ceasefire in Nagorno-Karabakh", target, "ru", glossary=ru_glossary) == []


def test_glossary_tolerates_armenian_and_azerbaijani_suffixes(glossary):
    assert run("The ceasefire in Nagorno-Karabakh", "Հրադադարը Լեռնային Ղարաբաղում", "hy", glossary=glossary) == []
    assert run("The ceasefire in Nagorno-Karabakh", "Dağlıq Qarabağda atəşkəs", "az", glossary=glossary) == []


def test_glossary_required_term_missing_is_an_error(ru_glossary):
    findings = run("The ceasefire in Nagorno-Karabakh", "Перемирие в Нагорном Карабахе", "ru",
                   glossary=ru_glossary)
    assert checks(findings) == ["glossary"]
    assert findings[0].is_error and "прекращение огня" in findings[0].message


def test_glossary_do_not_translate_terms(glossary):
    assert run("AFP reported the news", "AFP-ն հաղորդել է լուրը", "hy", glossary=glossary) == []
    assert run("AFP reported the news", "Как сообщило агентство afp, новость", "ru", glossary=glossary) == []
    findings = run("AFP reported the news", "Как сообщило агентство АФП, новость", "ru", glossary=glossary)
    assert checks(findings) == ["glossary"] and "AFP" in findings[0].message


def test_glossary_rules_only_apply_when_the_source_has_the_term(glossary):
    assert run("Talks were held", "Переговоры состоялись", "ru", glossary=glossary) == []


# -- urls, emails, placeholders ---------------------------------------------------------------


def test_urls_and_emails_must_be_unchanged():
    source = "Details: https://example.org/a?b=1. Write to press@example.org."
    assert run(source, "Подробности: https://example.org/a?b=1. Пишите на press@example.org.", "ru") == []
    findings = run(source, "Подробности: https://example.org/a. Пишите на press@example.com.", "ru")
    assert sorted(checks(findings)) == ["emails", "urls"]
    assert all(f.is_error for f in findings)


@pytest.mark.parametrize("leftover", ["{1}", "{ 2 }", "｛3｝", "%(name)s", "{0}", "{name}", "⟦1⟧"])
def test_placeholder_leftovers_are_errors(leftover):
    findings = run("Azerbaijan launches an offensive", f"Азербайджан начал {leftover} наступление", "ru")
    assert checks(findings) == ["placeholders"]


def test_placeholders_present_in_the_source_are_fine():
    assert run("Use {0} and %(name)s here", "Используйте {0} и %(name)s здесь", "ru") == []


# -- script -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("tag", "target"), [
    ("hy", "Azerbaijani forces launched an attack on the city today"),
    ("hy", "Азербайджан начал наступление сегодня утром"),
    ("ru", "Azerbaijani forces launched an attack on the city today"),
    ("az", "Азербайджан начал наступление сегодня утром"),
    ("az", "Ադրբեջանը այսօր հարձակում է սկսել քաղաքի վրա"),
])
def test_wrong_script_is_an_error(tag, target):
    findings = run("Azerbaijan launched an offensive today", target, tag)
    assert "script" in checks(findings)
    assert all(f.is_error for f in findings if f.check == "script")


@pytest.mark.parametrize(("tag", "target"), [
    ("ru", "Доклад Amnesty International"),
    ("ru", "По данным The New York Times"),
    ("ar", "صور Wagtail"),
    ("fa", "صور Wagtail"),
    ("ru", "NetworkManager не запущен"),
    ("ka", "Xfce-ის პანელი"),
])
def test_names_copied_from_the_source_are_not_another_script(tag, target):
    source = {"Доклад Amnesty International": "Amnesty International report",
              "По данным The New York Times": "According to The New York Times",
              "صور Wagtail": "Wagtail images", "NetworkManager не запущен": "NetworkManager is not running",
              "Xfce-ის პანელი": "Xfce panel"}[target]
    assert [f for f in run(source, target, tag) if f.is_error] == []


def test_a_short_foreign_text_is_a_warning_at_most():
    # Two foreign words are too little to block a segment: "New Delhi" may be a place the source names otherwise.
    findings = run("Yerevan", "New Delhi", "ru") + run("Humanitarian convoy", "Humanitar karvan", "az")
    assert not any(f.is_error for f in findings)


def test_script_comes_from_cldr_likely_subtags():
    assert (locale_script(L("hy")), locale_script(L("ru")), locale_script(L("az"))) == ("Armn", "Cyrl", "Latn")
    assert locale_script(L("fa")) == "Arab"


def test_names_links_and_short_targets_do_not_trip_the_script_check(glossary):
    assert run("TikTok access", "TikTok-ի հասանելիություն", "hy", glossary=glossary) == []
    assert run("See https://www.example.org/long/english/path", "Տե՛ս https://www.example.org/long/english/path",
               "hy") == []


# -- brackets and quotes ------------------------------------------------------------------------


def test_unbalanced_brackets_and_quotes_are_warnings():
    findings = run('He said "stop" (now)', "Он сказал «стоп (сейчас", "ru")
    assert sorted(checks(findings)) == ["brackets", "quotes"]
    assert all(f.severity is Severity.WARNING for f in findings)


@pytest.mark.parametrize(("tag", "target"), [
    ("ru", "Он сказал «стоп» (сейчас)"),
    ("ru", "Он сказал „стоп“ (сейчас)"),
    ("ru", 'Он сказал "стоп" (сейчас)'),
    ("ru", "Он сказал «это „стоп“» (сейчас)"),
    ("hy", "Նա ասաց «կանգ» (հիմա)"),
    ("az", "O dedi ki, “dayan” (indi)"),
    ("ar", "قال ”توقف“ (الآن)"),
])
def test_locale_quotation_marks_are_accepted(tag, target):
    assert [f for f in run('He said "stop" (now)', target, tag) if f.check in ("quotes", "brackets")] == []


def test_unbalanced_source_is_not_the_translators_fault():
    assert run("Options: a) stay, b) leave", "Варианты: а) остаться, б) уехать", "ru") == []


def test_apostrophes_are_not_quotation_marks():
    assert run("Azerbaijan's Statement", "Azərbaycan’ın bəyanatı", "az") == []


# -- untranslated, empty, length ----------------------------------------------------------------------


def test_identical_text_is_untranslated_warning():
    # Two words of a title may be kept on purpose: a warning.  Four words of prose left in English: an error.
    [finding] = run("Civilian Casualties", "Civilian Casualties", "az")
    assert (finding.check, finding.severity) == ("untranslated-short", Severity.WARNING)
    text = "Azerbaijan launched an offensive in the region today"
    [finding] = run(text, text, "ru")
    assert (finding.check, finding.severity) == ("untranslated", Severity.ERROR)


@pytest.mark.parametrize("text", ["AFP", "TikTok", "2023", "UN OCHA", "TikTok 2023"])
def test_names_and_numbers_may_stay_identical(text):
    assert run(text, text, "az") == []


def test_do_not_translate_term_may_stay_identical(glossary):
    assert run("AFP", "AFP", "ru", glossary=glossary) == []


@pytest.mark.parametrize("target", ["", "   ", "\n\t"])
def test_empty_translation_is_an_error_and_the_only_finding(target):
    findings = run("At least two civilians were killed and 11 wounded.", target, "ru")
    assert checks(findings) == ["empty"] and findings[0].is_error


def test_length_far_outside_the_norm_is_a_warning():
    long_source = "Azerbaijan's Defense Ministry announced a military offensive to regain control."
    [finding] = run(long_source, "Объявлено.", "ru")
    assert (finding.check, finding.severity) == ("length", Severity.WARNING)
    findings = run("The offensive began today.", "Наступление началось сегодня. " * 6, "ru")
    # The same sentence six times (with a trailing space) is also a repeated sentence, a changed
    # sentence count and white space the source does not have.
    assert sorted(checks(findings)) == ["length", "repeated-text", "sentences", "whitespace"]
    assert run("Short label", "Очень длинная подпись для короткого", "ru") == []  # under 20 characters


# -- the catalogue and the report ----------------------------------------------------------------------


def test_every_check_is_documented_with_a_severity():
    assert {"numbers", "numbers-format", "numbers-spelled", "glossary", "urls", "emails", "brackets", "quotes",
            "untranslated", "empty", "length", "script", "placeholders"} <= set(CHECKS)
    for name, info in CHECKS.items():
        assert isinstance(info.severity, Severity) and info.description.endswith(".")
    for name in ("numbers", "glossary", "urls", "emails", "empty", "script", "placeholders", "untranslated",
                 "truncated", "dates", "currency", "percent", "invisible", "confusables"):
        assert CHECKS[name].severity is Severity.ERROR
    for name in ("brackets", "quotes", "untranslated-short", "script-short", "language-short", "length",
                 "numbers-spelled", "numbers-format", "negation", "doubled-words", "sentences"):
        assert CHECKS[name].severity is Severity.WARNING


def test_finding_is_frozen_and_serialisable():
    finding = run("11 wounded", "раненые", "ru")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.check = "other"  # type: ignore[misc]
    assert finding.to_dict()["severity"] == "error"


def test_report_json(brief):
    findings = run("11 wounded", "раненые", "ru") + run("two wounded", "раненые", "ru")
    report = QAReport.from_findings(findings, locales=["hy", "ru"])
    assert report.has_errors and report.locales == ("hy", "ru")
    data = json.loads(report.to_json())
    assert data["has_errors"] is True
    assert data["locales"]["hy"] == {"errors": 0, "warnings": 0, "silenced": 0, "findings": []}
    assert data["locales"]["ru"]["errors"] == 1 and data["locales"]["ru"]["warnings"] == 1
    assert {f["check"] for f in data["locales"]["ru"]["findings"]} == {"numbers", "numbers-spelled"}


# -- whole briefs -------------------------------------------------------------------------------------------


def _broken_catalogs(tmp_path: Path) -> Path:
    """A copy of the example catalogs where the Russian quote lost a zero of 120 000."""
    root = tmp_path / "locales"
    shutil.copytree(CATALOGS, root)
    po = root / "ru" / "LC_MESSAGES" / "nagorno-karabakh.po"
    text = po.read_text(encoding="utf-8")
    assert text.count("120\u00a0000 мирных") == 2
    po.write_text(text.replace("120\u00a0000 мирных", "12\u00a0000 мирных"), encoding="utf-8")
    return root


def test_check_localised_reports_reviewed_errors_with_provenance(brief, tmp_path):
    root = _broken_catalogs(tmp_path)
    ru = L("ru")
    findings = check_localised(localise(brief, ru, catalog=load_brief_catalog(brief, ru, root)))
    assert {f.path for f in findings} == {ITEM9_TEXT, QUOTE_TEXT}
    assert all(f.check == "numbers" and f.provenance is Provenance.REVIEWED and f.locale == "ru" for f in findings)


def test_check_localised_skips_source_segments_and_the_original(brief):
    assert check_localised(localise(brief, L("en"))) == []
    # No catalog: everything falls back to the source text, nothing to check.
    assert check_localised(localise(brief, L("hy"))) == []


def test_publish_gate_refuses_errors_naming_locale_field_and_check(brief, tmp_path):
    root = _broken_catalogs(tmp_path)
    items = [localise(brief, L(t), catalog=load_brief_catalog(brief, L(t), root)) for t in ("en", "hy", "ru")]
    with pytest.raises(QualityGateError) as info:
        publish_gate(items, None, allow_errors=False)
    message = str(info.value)
    assert "ru" in message and "numbers" in message and info.value.field == ITEM9_TEXT
    assert ITEM9_TEXT in message and "1 more error" in message
    report = publish_gate(items, None, allow_errors=True)
    assert report.locales == ("hy", "ru") and report.locales_with_errors() == ["ru"]


def test_publish_gate_passes_the_shipped_translations(brief, glossary):
    items = [localise(brief, L(t), catalog=load_brief_catalog(brief, L(t), CATALOGS)) for t in ("en", "hy", "az", "ru")]
    assert not publish_gate(items, glossary, allow_errors=False).has_errors


def test_gate_machine_replaces_failing_results(brief, glossary):
    def mt(text: str, problem: str | None = None) -> MachineTranslation:
        return MachineTranslation(text=text, score=-0.5, engine="test", models=("en→ru test",), problem=problem)

    machine = {
        "headline": mt("Азербайджан начал «антитеррористическое» наступление в Нагорном Карабахе"),
        QUOTE_TEXT: mt("12 000 мирных жителей, в том числе 30 000 детей, подвергаются нападению."),
        LEAD1: mt("{1} открыли огонь", problem="placeholder for '11' did not come back"),
        # An unbalanced quotation mark is only a warning: the result stays.
        ITEM4_TEXT: mt("Премьер-министр Никол Пашинян уточнил, что армянские силы не "
                                        "участвуют в боевых действиях, и назвал ситуацию на границе «стабильной."),
        # Latin letters on a Russian page: a script error (a word or two would be a warning, see above).
        "dateline.place": mt("The capital of Armenia and its largest city"),
    }
    gated = gate_machine(machine, brief, "ru", glossary)
    assert gated["headline"] is machine["headline"]
    assert gated[ITEM4_TEXT] is machine[ITEM4_TEXT]
    assert "script" in gated["dateline.place"].problem
    assert gated[LEAD1] is machine[LEAD1]
    bad = gated[QUOTE_TEXT]
    assert not bad.ok and "numbers" in bad.problem and bad.text == machine[QUOTE_TEXT].text
    localised = localise(brief, L("ru"), machine=gated)
    assert localised.segments_by_path[QUOTE_TEXT].provenance is Provenance.SOURCE
    assert "numbers" in localised.segments_by_path[QUOTE_TEXT].note
    assert localised.segments_by_path["headline"].provenance is Provenance.MACHINE


# -- the command ----------------------------------------------------------------------------------------------


def test_cli_check_passes_the_example(capsys):
    assert main(["check", str(EXAMPLE), "--locales", "hy,az,ru"]) == 0
    out = capsys.readouterr().out
    assert "hy: no problems" in out and "ru: no problems" in out


def test_cli_check_fails_with_exit_1_and_json(tmp_path, capsys):
    root = _broken_catalogs(tmp_path)
    assert main(["check", str(EXAMPLE), "--locales", "hy,ru", "--catalogs", str(root)]) == 1
    out = capsys.readouterr().out
    assert "ru: 2 errors" in out and QUOTE_TEXT in out and "hy: no problems" in out
    assert main(["check", str(EXAMPLE), "--locales", "hy,ru", "--catalogs", str(root), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["has_errors"] and data["locales"]["ru"]["errors"] == 2


def test_cli_check_with_glossary_and_drafts(tmp_path, capsys):
    gloss = tmp_path / "glossary.csv"
    gloss.write_text(GLOSSARY_CSV, encoding="utf-8")
    assert main(["check", str(EXAMPLE), "--locales", "hy,az,ru", "--glossary", str(gloss),
                 "--drafts", "include"]) == 0


@pytest.mark.parametrize("argv", [
    ["check", "missing.yaml", "--locales", "hy"],
    ["check", str(EXAMPLE), "--locales", "xx-invalid"],
    ["check", str(EXAMPLE), "--locales", "hy", "--glossary", "missing.csv"],
])
def test_cli_check_bad_input_exits_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_weekdays_are_not_number_words():
    # երկուշաբթի (Monday) and altında ("under") start like number words but are not.
    assert checks(run("2 civilians were killed on Monday", "Երկուշաբթի խաղաղ բնակիչներ են զոհվել", "hy")) == ["numbers"]
    assert checks(run("6 civilians were found under the rubble", "Dağıntılar altında mülki şəxslər tapılıb", "az")) == [
        "numbers"]
    [finding] = run("6 civilians were found under the rubble", "Dağıntılar altında altı mülki şəxs tapılıb", "az")
    assert finding.check == "numbers-spelled"


def test_several_briefs_name_the_brief_in_messages(brief, tmp_path):
    root = _broken_catalogs(tmp_path)
    ru = L("ru")
    catalog = load_brief_catalog(brief, ru, root)
    other = brief.model_copy(update={"id": "other-brief"})
    report = check_briefs([localise(brief, ru, catalog=catalog), localise(other, ru, catalog=catalog)])
    assert report.locales == ("ru",)
    messages = [f.message for f in report.errors("ru")]
    assert len(messages) == 4
    assert sum(m.startswith(f"nagorno-karabakh: {QUOTE_TEXT}: ") for m in messages) == 1
    assert sum(m.startswith(f"other-brief: {QUOTE_TEXT}: ") for m in messages) == 1


def test_publish_refuses_qa_errors_unless_allowed(tmp_path, capfd):
    root = _broken_catalogs(tmp_path)
    out = tmp_path / "out"
    argv = ["publish", str(EXAMPLE), "--locales", "hy,ru", "--catalogs", str(root), "--out", str(out)]
    assert main(argv) == 2
    err = capfd.readouterr().err
    assert err.count("\n") == 1 and "'numbers'" in err and "ru" in err and ITEM9_TEXT in err
    assert not out.exists()
    assert main([*argv, "--allow-qa-errors"]) == 0
    assert (out / "ru" / "nagorno-karabakh.html").is_file()
