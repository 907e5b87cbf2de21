"""Whole-phrase messages: a qualified figure is one plural message with ``{count}``, every
UI string that joins parts is one message with named placeholders, and no separator
between localised parts is written by a template."""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
from html import unescape

import pytest

from polybrief.rendering import TEXT_MARKS
from conftest import field_key, without_hidden

import polybrief
from polybrief import (
    Session,
    Project,
    Renderer,
    UntranslatedError,
    get_locale,
    localise,
    update_catalog,
)
from polybrief import Provenance, TranslationPolicy
from polybrief.qa import check_localised

QUALIFIERS = ("exact", "at-least", "about", "up-to")
VALUES = (1, 2, 5, 21, 1000)

#: How a Russian translator translates "civilian" for each qualifier: the whole phrase, the unit in
#: the nominative after the number for an exact count, in the genitive for a qualified one ("не
#: менее", "около" and "до" govern it).  Forms: one (1, 21), few (2-4), many (5-20, 1000).
RU_TRANSLATIONS = {
    "exact": ("{count} мирный житель", "{count} мирных жителя", "{count} мирных жителей"),
    "at-least": ("не менее {count} мирного жителя", "не менее {count} мирных жителей",
                 "не менее {count} мирных жителей"),
    "about": ("около {count} мирного жителя", "около {count} мирных жителей", "около {count} мирных жителей"),
    "up-to": ("до {count} мирного жителя", "до {count} мирных жителей", "до {count} мирных жителей"),
}

#: What a Russian reader must see, listed by hand.
RU_EXPECTED = {
    "exact": ["1 мирный житель", "2 мирных жителя", "5 мирных жителей", "21 мирный житель",
              "1\u00a0000 мирных жителей"],
    "at-least": ["не менее 1 мирного жителя", "не менее 2 мирных жителей", "не менее 5 мирных жителей",
                 "не менее 21 мирного жителя", "не менее 1\u00a0000 мирных жителей"],
    "about": ["около 1 мирного жителя", "около 2 мирных жителей", "около 5 мирных жителей",
              "около 21 мирного жителя", "около 1\u00a0000 мирных жителей"],
    "up-to": ["до 1 мирного жителя", "до 2 мирных жителей", "до 5 мирных жителей", "до 21 мирного жителя",
              "до 1\u00a0000 мирных жителей"],
}


def _cells(html: str) -> list[str]:
    """The figures' amounts as a reader sees them (a screen reader's hidden notes left out)."""
    html = without_hidden(html)
    return [unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r'<td class="amount"[^>]*>(.*?)</td>', html)]


@pytest.fixture
def ru_table(make_brief, tmp_path, po_io):
    brief = make_brief(figures=[
        {"label": f"{qualifier} {value}", "value": value, "qualifier": qualifier,
         "unit": {"one": "civilian", "other": "civilians"}}
        for qualifier in QUALIFIERS for value in VALUES])
    ru = get_locale("ru")
    path = update_catalog(brief, ru, tmp_path)
    catalog = po_io.read(path)
    positions = {u.path: u.position for u in polybrief.translation_units(brief)}
    for message in catalog:
        if message.context and message.context.endswith(".unit"):
            index = int(positions[message.context].split("[")[1].split("]")[0])
            message.string = RU_TRANSLATIONS[QUALIFIERS[index // len(VALUES)]]
    po_io.write(path, catalog)
    return brief, polybrief.load_brief_catalog(brief, ru, tmp_path), path


def test_russian_qualifier_table(ru_table):
    brief, catalog, _path = ru_table
    localised = localise(brief, "ru", catalog=catalog)
    renderer = Renderer()
    cells = _cells(renderer.render(localised))
    text = renderer.render(localised, format="text")
    for n, qualifier in enumerate(QUALIFIERS):
        assert cells[n * len(VALUES):(n + 1) * len(VALUES)] == RU_EXPECTED[qualifier], qualifier
        figures = localised.figures[n * len(VALUES):(n + 1) * len(VALUES)]
        for value, expected, figure in zip(VALUES, RU_EXPECTED[qualifier], figures):
            # an untranslated label is marked for readers of the plain text (see the legend)
            sign = TEXT_MARKS[figure.label.provenance] if figure.label.disclosed else ""
            assert f"{qualifier} {value}{sign}: {expected}" in text


def test_qualified_unit_is_one_message_with_count(ru_table, po_io):
    brief, _catalog, path = ru_table
    by_key = {m.context: m for m in po_io.read(path) if m.context and m.context.endswith(".unit")}
    units = {position: by_key[field_key(brief, position)] for position in
             ("figures[0].unit", "figures[5].unit", "figures[10].unit", "figures[15].unit")}
    assert units["figures[0].unit"].id == ("{count} civilian", "{count} civilians")  # exact: a phrase too
    assert units["figures[5].unit"].id == ("at least {count} civilian", "at least {count} civilians")
    assert units["figures[10].unit"].id == ("about {count} civilian", "about {count} civilians")
    assert units["figures[15].unit"].id == ("up to {count} civilian", "up to {count} civilians")
    assert "python-brace-format" in units["figures[5].unit"].flags
    assert "{count} where the number goes" in " ".join(units["figures[5].unit"].auto_comments)


@pytest.mark.parametrize(("before", "after"), [("exact", "at-least"), ("at-least", "exact"),
                                               ("at-least", "up-to")])
def test_changing_the_qualifier_makes_the_translation_a_draft(make_brief, tmp_path, po_io, before, after):
    """A reviewed unit keeps the case of its old qualifier: it must not stay reviewed when the
    qualifier changes (the qualifier is part of the msgid, so the merge marks it fuzzy, or -- for a
    change too great for difflib's 0.6 -- keeps it obsolete).  Exact figures are phrases too
    (``{count} civilian``), so adding or removing a qualifier stays within the threshold."""
    def brief_with(qualifier):
        return make_brief(figures=[{"label": "Killed", "value": 2, "qualifier": qualifier,
                                    "unit": {"one": "civilian", "other": "civilians"}}])

    ru = get_locale("ru")
    path = update_catalog(brief_with(before), ru, tmp_path)
    unit = field_key(brief_with(before), "figures[0].unit")
    assert unit == field_key(brief_with(after), "figures[0].unit")  # the key does not follow the qualifier
    catalog = po_io.read(path)
    catalog.get(next(m.id for m in catalog if m.context == unit), unit).string = RU_TRANSLATIONS[before]
    po_io.write(path, catalog)
    changed = brief_with(after)
    update_catalog(changed, ru, tmp_path)
    after_update = po_io.read(path)
    message = next(m for m in after_update if m.context == unit)
    old_id = next(m.id for m in catalog if m.context == unit)[0]
    if difflib.SequenceMatcher(None, old_id, message.id[0]).ratio() >= 0.6:  # similar: a draft of the old phrase
        assert message.fuzzy and message.string == RU_TRANSLATIONS[before]
    else:  # not similar: untranslated, the old translation kept obsolete
        assert not any(message.string) and any(m.string == RU_TRANSLATIONS[before]
                                               for m in after_update.obsolete.values())
    loaded = polybrief.load_brief_catalog(changed, ru, tmp_path)
    segment = localise(changed, ru, catalog=loaded).segments_by_path[unit]
    assert segment.provenance is Provenance.SOURCE


def test_translation_without_count_is_never_published(ru_table, po_io, msgfmt):
    brief, _catalog, path = ru_table
    unit = field_key(brief, "figures[6].unit")
    catalog = po_io.read(path)
    catalog.get(("at least {count} civilian", "at least {count} civilians"), unit).string = (
        "не менее мирного жителя", "не менее мирных жителей", "не менее мирных жителей")
    po_io.write(path, catalog)
    check = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False)
    assert check.returncode != 0 and "'count'" in check.stderr  # msgfmt catches it too
    loaded = polybrief.load_brief_catalog(brief, get_locale("ru"), path.parent.parent.parent)
    localised = localise(brief, "ru", catalog=loaded)
    segment = localised.segments_by_path[unit]
    assert segment.provenance is Provenance.SOURCE and "{count}" in (segment.note or "")
    assert _cells(Renderer().render(localised))[6] == "at least 2 civilians"  # the number is still there
    with pytest.raises(UntranslatedError):
        localise(brief, "ru", catalog=loaded, project=Project(policy=TranslationPolicy(strict=True)))


#: Arabic's six forms (zero, one, two, few, many, other): "one" and "two" are shown for 1 and 2
#: only and spell the number out, as Arabic writes them; msgfmt --check accepts such forms.
AR_ABOUT = ("نحو {count} شخص", "نحو شخص واحد", "نحو شخصين", "نحو {count} أشخاص", "نحو {count} شخصًا",
            "نحو {count} شخص")


@pytest.fixture
def ar_people(make_brief, tmp_path, po_io, msgfmt):
    def build(*values, forms=AR_ABOUT):
        brief = make_brief(figures=[{"label": f"Displaced {value}", "value": value, "qualifier": "about",
                                     "unit": {"one": "person", "other": "people"}} for value in values])
        path = update_catalog(brief, get_locale("ar"), tmp_path)
        catalog = po_io.read(path)
        for message in catalog:
            if message.context and message.context.endswith(".unit"):
                message.string = forms
        po_io.write(path, catalog)
        checked = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True,
                                 check=False)
        return brief, polybrief.load_brief_catalog(brief, get_locale("ar"), tmp_path), checked
    return build


def test_a_form_for_one_number_may_spell_it_out(ar_people):
    """Arabic's one and two forms say "one person" and "two persons" without a digit: reviewed, published,
    and the number is not printed a second time beside them."""
    brief, catalog, checked = ar_people(1, 2, 5, 11, 4200)
    assert checked.returncode == 0, checked.stderr
    localised = localise(brief, "ar", catalog=catalog)
    units = [localised.segments_by_path[field_key(brief, f"figures[{n}].unit")] for n in range(5)]
    assert {segment.provenance for segment in units} == {Provenance.REVIEWED}
    assert _cells(Renderer().render(localised)) == [
        "نحو شخص واحد", "نحو شخصين", "نحو 5 أشخاص", "نحو 11 شخصًا", "نحو 4,200 شخص"]
    assert not [f for f in check_localised(localised) if f.check == "plural-forms"]


def test_a_form_for_many_numbers_must_keep_the_count(ar_people):
    """The "few" form (3–10, 103–110, ...) without {count}: msgfmt rejects it, the check says so, and the
    entry is not published, even for a figure whose own form is fine."""
    broken = AR_ABOUT[:3] + ("نحو أشخاص",) + AR_ABOUT[4:]
    brief, catalog, checked = ar_people(11, forms=broken)
    assert checked.returncode != 0 and "'count'" in checked.stderr
    localised = localise(brief, "ar", catalog=catalog)
    segment = localised.segments_by_path[field_key(brief, "figures[0].unit")]
    assert segment.provenance is Provenance.SOURCE and "{count}" in (segment.note or "")
    assert _cells(Renderer().render(localised)) == ["about 11 people"]
    findings = [f for f in check_localised(localised) if f.check == "plural-forms"]
    assert len(findings) == 1 and "plural form 3" in findings[0].message and "{count}" in findings[0].message


def test_brief_text_with_percent_passes_msgfmt(make_brief, tmp_path, po_io, msgfmt):
    """Babel flags "84.5% of" as python-format ("% o" reads as a directive) and msgfmt --check
    then rejects the correct "84,5 % населения": brief text is never a format string."""
    brief = make_brief(lead=["84.5% of the population left."])
    path = update_catalog(brief, get_locale("ru"), tmp_path)
    catalog = po_io.read(path)
    catalog.get("84.5% of the population left.", field_key(brief, "lead[0]")).string = "84,5 % населения уехали."
    po_io.write(path, catalog)
    update_catalog(brief, get_locale("ru"), tmp_path)  # polybrief rewrites it: the flag must stay right
    text = path.read_text(encoding="utf-8")
    assert "python-format" not in text.replace("no-python-format", "")
    check = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr


# -- UI messages ------------------------------------------------------------------------


def test_no_separator_between_localised_parts_in_templates():
    """Every ", " / ": " / "(Source: " between parts is inside a message, not in a template."""
    from polybrief.resources import builtin_templates_dir

    for path in sorted(builtin_templates_dir().glob("*.j2")):
        name, source = path.name, path.read_text(encoding="utf-8")
        code = re.sub(r'_\("(?:[^"\\]|\\.)*"|ngettext\("(?:[^"\\]|\\.)*", "(?:[^"\\]|\\.)*"', "", source)
        code = re.sub(r"\{#.*?#\}|<style>.*?</style>|<[^>]*>", "", code, flags=re.DOTALL)
        for joiner in ('~ ", "', '~ ": "', '"(" ~', "Source", "</span>, <", "</strong>: <", "}}: <", "}}, <",
                       "</span>: <", "}} ("):
            assert joiner not in code, (name, joiner)


@pytest.fixture
def ru_ui(tmp_path, repo_root):
    folder = tmp_path / "ui"
    target = folder / "ru" / "LC_MESSAGES" / "polybrief.po"
    target.parent.mkdir(parents=True)
    shutil.copy(repo_root / "locales" / "ru" / "LC_MESSAGES" / "polybrief.po", target)
    return folder, target


def test_translator_can_reorder_and_punctuate(ru_ui, po_io, example_path):
    folder, path = ru_ui
    catalog = po_io.read(path)
    catalog["{place}, {date}"].string = "{date} — {place}"
    catalog["{label}: {text} (Source: {name})"].string = "{text} ({name}) — {label}"
    catalog["Published: {datetime}"].string = "{datetime} (опубликовано)"
    po_io.write(path, catalog)
    project = Project(locale_dirs=[folder])
    session = Session(project)
    source = session.open_brief(example_path)
    ru = session.locale("ru")
    localised = session.localise(source, ru)
    html = session.renderer.render(localised)
    text = session.renderer.render(localised, format="text")
    plain = unescape(re.sub(r"<[^>]+>", "", html))
    assert f"{localised.dateline_date} — Нью-Дели" in plain
    assert f"{localised.published_datetime} (опубликовано)" in plain
    assert "(AFP) — Жертвы среди мирного населения" in plain
    assert f"{localised.dateline_date} — Нью-Дели" in text


def test_armenian_punctuation(example_path):
    """hy: the ASCII colon looks like the Armenian full stop "։"; a label takes the mijaket
    (․, the Armenian colon) and an attribution the but (՝)."""
    project = Project()
    session = Session(project)
    source = session.open_brief(example_path)
    hy = session.locale("hy")
    localised = session.localise(source, hy)
    html = session.renderer.render(localised)
    text = session.renderer.render(localised, format="text")
    item = unescape(re.sub(r"<[^>]+>", "", re.findall(r"<li>(.*?)</li>", html)[0]))
    assert item.startswith("Խաղաղ բնակչության կորուստներ\u2024 ")
    assert item.endswith("(Աղբյուրը\u055d AFP)")
    assert "Հրապարակվել է\u055d " in html and "Հրապարակվել է\u055d " in text
    for output in (html, text):
        body = output.split("<body>")[-1]
        assert not re.search(r"[\u0531-\u0587]: ", body), "an ASCII colon after Armenian text"


def test_count_in_notice_uses_page_digits_and_named_placeholders(example_path):
    project = Project()
    session = Session(project)
    localised = session.localise(example_path, "fa")
    html = session.renderer.render(localised)
    notice = re.search(r'<aside class="notice" role="note">(.*?)</aside>', html, re.DOTALL).group(1)
    plain = unescape(re.sub(r"<[^>]+>", "", notice))
    assert "۵۲ بخش" in plain and "(انگلیسی)" in plain  # the count in the page's digits, in its UI catalog
    assert "{num}" not in html and "%(num)" not in html


def test_machine_translation_keeps_the_count_placeholder(make_brief, tmp_path):
    """{count} is kept out of the model like a number: a decoder that renames placeholders
    ({count} → {количество}) cannot lose the figure's number."""
    from polybrief.mt import TaggingEngine
    from polybrief import machine_provider
    from polybrief.mt import ProtectingEngine

    brief = make_brief(figures=[{"label": "Killed", "value": 2, "qualifier": "at-least",
                                 "unit": {"one": "civilian", "other": "civilians"}}])
    renaming = TaggingEngine(transform=lambda s: s.replace("{count}", "{количество}"))
    project = Project(policy=TranslationPolicy(allow_qa_errors=True))
    results = {}
    for name, engine in (("protected", ProtectingEngine(renaming)), ("bare", renaming)):
        report = polybrief.publish([brief], locales=["ru"], out_dir=tmp_path / name, project=project,
                                   machine=machine_provider(engine, progress=False, gate=False))
        (localised,) = [x for x in report.localised if x.locale.tag == "ru"]
        results[name] = (localised.segments_by_path[field_key(brief, "figures[0].unit")],
                         _cells(Renderer().render(localised))[0])
    segment, cell = results["protected"]
    assert segment.provenance is Provenance.MACHINE and segment.text == "[ru] at least {count} civilians"
    assert cell == "[ru] at least 2 civilians"
    segment, cell = results["bare"]  # the renamed placeholder is caught: the source is shown instead
    assert segment.provenance is Provenance.SOURCE and cell == "at least 2 civilians"


def test_brief_written_in_russian_uses_the_russian_phrase(make_brief):
    """The source phrase of a qualified figure is in the brief's own language (from polybrief's
    UI catalog for it); the author gives the unit in the case the qualifier takes."""
    brief = make_brief(language="ru", figures=[{
        "label": "Погибшие", "value": 2, "qualifier": "at-least",
        "unit": {"one": "мирного жителя", "few": "мирных жителей", "many": "мирных жителей",
                 "other": "мирного жителя"}}])
    (unit,) = [u for u in polybrief.translation_units(brief) if u.position == "figures[0].unit"]
    assert (unit.text, unit.plural) == ("не менее {count} мирного жителя", "не менее {count} мирного жителя")
    assert _cells(Renderer().render(localise(brief, "ru"))) == ["не менее 2 мирных жителей"]
