"""The six catalog defects of issue 10, each reproduced as it was reported.

Every test here failed on the code before stable keys and the polib-based
catalogs (position-keyed ``msgctxt``, Babel's reader and writer).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import polybrief
from conftest import EXAMPLE_ID
from polybrief import CatalogError, get_locale, translation_units, update_catalog
from polybrief.catalogs.entry import REJECTED_COMMENT
from polybrief.catalogs.drafts import fill_machine_drafts
from polybrief.mt import MachineTranslation

RU, HY = get_locale("ru"), get_locale("hy")


def _po(brief_path: Path, tag: str) -> Path:
    return brief_path.parent / "locales" / tag / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"


def _edit(brief_path: Path, change) -> polybrief.Brief:
    data = yaml.safe_load(brief_path.read_text(encoding="utf-8"))
    change(data)
    brief_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return polybrief.load(brief_path)


def _review(po: Path, brief: polybrief.Brief, translations: dict[str, str]) -> None:
    """A translator fills these fields (by key path) in polib and marks them reviewed."""
    import polib

    catalog = polib.pofile(str(po))
    for entry in catalog:
        if entry.msgctxt in translations and not entry.obsolete:
            entry.msgstr = translations[entry.msgctxt]
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            entry.previous_msgctxt = entry.previous_msgid = None
    catalog.save(str(po))


def _position(unit) -> str:
    return getattr(unit, "position", unit.path)  # before keys, the path was the position (to reproduce there)


def _keys(brief: polybrief.Brief) -> dict[str, str]:
    return {_position(u): u.path for u in translation_units(brief)}


def _page(run_cli, brief_path: Path, *extra: str) -> str:
    out = brief_path.parent / "out"
    shutil.rmtree(out, ignore_errors=True)
    result = run_cli("publish", brief_path, "--locales", "ru", "--formats", "text", "--out", out, *extra,
                     cwd=brief_path.parent)
    assert result.returncode == 0, result.stderr
    return (out / "ru" / f"{EXAMPLE_ID}.txt").read_text(encoding="utf-8")


# -- 1. shared source text ------------------------------------------------------------------


def test_shared_text_never_moves_a_reviewed_translation_to_another_item(copy_example, run_cli):
    def two_statements(data):
        items = data["sections"][0]["items"]
        items[1]["label"] = items[4]["label"] = "Statement"

    brief = _edit(copy_example, two_statements)
    assert run_cli("update", copy_example, "--locales", "ru", cwd=copy_example.parent).returncode == 0
    keys = _keys(brief)
    _review(_po(copy_example, "ru"), brief, {
        keys["sections[0].items[1].label"]: "Заявление Азербайджана",
        keys["sections[0].items[1].text"]: "Министерство обороны Азербайджана заявило о высокоточных ударах.",
        keys["sections[0].items[4].label"]: "Заявление премьер-министра Армении",
        keys["sections[0].items[4].text"]: "Премьер-министр Никол Пашинян уточнил, что армянские силы не участвуют.",
    })

    def delete_first_and_add_a_statement(data):
        items = data["sections"][0]["items"]
        del items[0]
        items.append({"label": "Statement", "text": "The OSCE called for restraint."})

    brief = _edit(copy_example, delete_first_and_add_a_statement)
    assert run_cli("update", copy_example, "--locales", "ru", cwd=copy_example.parent).returncode == 0
    strict = run_cli("publish", copy_example, "--locales", "ru", "--formats", "text", "--out",
                     copy_example.parent / "out", "--strict", cwd=copy_example.parent)
    assert strict.returncode == 2  # the brand-new "Statement" item is not reviewed: --strict refuses
    new_label = _keys(brief)["sections[0].items[9].label"]
    assert new_label in strict.stderr
    page = _page(run_cli, copy_example, "--drafts", "include")
    assert "* Заявление Азербайджана: Министерство обороны Азербайджана" in page
    assert "* Заявление премьер-министра Армении: Премьер-министр Никол Пашинян" in page
    assert "Заявление Азербайджана: Премьер-министр" not in page
    # the new item is offered the shared label's translation as a suggestion, and nothing else
    # (marked "*" as not yet translated: a suggestion is never published)
    assert "* Statement*: The OSCE called for restraint.*" in page
    catalog = polybrief.load_brief_catalog(brief, RU, copy_example.parent / "locales")
    unit = next(u for u in translation_units(brief) if u.path == new_label)
    assert catalog.lookup(unit) is None
    suggestion = catalog.suggestion(unit)
    assert suggestion is not None and suggestion.fuzzy and suggestion.text.startswith("Заявление")
    # `translate` may replace a suggestion (its original stays with its own item) with a machine draft
    draft = MachineTranslation(text="Заявление", score=-0.1, engine="test", models=("test-en-ru",))
    assert fill_machine_drafts(brief, RU, copy_example.parent / "locales", {new_label: draft}) == 1
    catalog = polybrief.load_brief_catalog(brief, RU, copy_example.parent / "locales")
    assert catalog.lookup(unit).machine and catalog.suggestion(unit) is None
    assert "* Заявление Азербайджана: Министерство обороны" in _page(run_cli, copy_example)


# -- 2. positions shift ---------------------------------------------------------------------


def test_an_inserted_item_gets_no_other_items_translation(copy_example, run_cli):
    casualties = next(u for u in translation_units(polybrief.load(copy_example))
                      if _position(u) == "sections[0].items[0].text")
    brief = _edit(copy_example, lambda d: d["sections"][0]["items"].insert(
        0, {"label": "Overview", "text": "Fighting resumed on Tuesday."}))
    result = run_cli("update", copy_example, "--locales", "ru", cwd=copy_example.parent)
    assert "translated 52, fuzzy 0, untranslated 2" in result.stdout
    catalog = polybrief.load_brief_catalog(brief, RU, copy_example.parent / "locales")
    units = {_position(u): u for u in translation_units(brief)}
    assert catalog.lookup(units["sections[0].items[0].text"]) is None
    assert catalog.suggestion(units["sections[0].items[0].text"]) is None
    moved = catalog.lookup(units["sections[0].items[1].text"])
    assert moved is not None and not moved.fuzzy and units["sections[0].items[1].text"].path == casualties.path
    page = _page(run_cli, copy_example, "--drafts", "include")
    assert "Overview*: Fighting resumed on Tuesday.*" in page  # marked as not yet translated
    # and `translate` fills it, since it is empty
    filled = fill_machine_drafts(brief, RU, copy_example.parent / "locales", {
        units["sections[0].items[0].text"].path: MachineTranslation(
            text="Бои возобновились во вторник.", score=-0.5, engine="test", models=("test-en-ru",))})
    assert filled == 1


# -- 3. only the plural form changes ------------------------------------------------------------


def test_a_changed_plural_form_alone_demotes_the_translation(copy_example, run_cli):
    def minors(data):
        data["figures"][5]["unit"] = {"one": "child", "other": "minors"}

    brief = _edit(copy_example, minors)
    result = run_cli("update", copy_example, "--locales", "ru", cwd=copy_example.parent)
    assert "translated 51, fuzzy 1, untranslated 0" in result.stdout
    unit = next(u for u in translation_units(brief) if _position(u) == "figures[5].unit")
    text = _po(copy_example, "ru").read_text(encoding="utf-8")
    assert '#| msgid "child"\n#| msgid_plural "children"\n' in text
    catalog = polybrief.load_brief_catalog(brief, RU, copy_example.parent / "locales")
    entry = catalog.lookup(unit)
    assert entry is not None and entry.fuzzy and entry.stale
    strict = run_cli("publish", copy_example, "--locales", "ru", "--out", copy_example.parent / "out", "--strict",
                     cwd=copy_example.parent)
    assert strict.returncode == 2 and unit.path in strict.stderr


# -- 4. "%" in brief text --------------------------------------------------------------------


def test_percent_signs_never_make_brief_text_a_format_string(copy_example, run_cli, msgfmt):
    brief = _edit(copy_example, lambda d: d.update(headline="84.5% of the population is 100 % sure"))
    assert run_cli("update", copy_example, "--locales", "ru", cwd=copy_example.parent).returncode == 0
    po = _po(copy_example, "ru")
    assert "python-format" not in po.read_text(encoding="utf-8")
    _review(po, brief, {"headline": "84,5 % населения уверены на 100 %"})
    check = subprocess.run([msgfmt, "-c", "-o", os.devnull, str(po)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert "84,5 % населения уверены на 100 %" in _page(run_cli, copy_example, "--strict")


def test_update_removes_a_python_format_flag_another_tool_added(copy_example, msgfmt):
    brief = _edit(copy_example, lambda d: d.update(headline="Turnout reached 84.5% of voters"))
    root = copy_example.parent / "locales"
    update_catalog(brief, RU, root)
    po = _po(copy_example, "ru")
    text = po.read_text(encoding="utf-8")
    block = re.search(r'((?:#.*\n)*)msgctxt "headline"\n', text)
    po.write_text(text.replace(block.group(0), block.group(1) + '#, fuzzy, python-format\nmsgctxt "headline"\n'),
                  encoding="utf-8")
    update_catalog(brief, RU, root)
    assert "python-format" not in po.read_text(encoding="utf-8")
    assert subprocess.run([msgfmt, "-c", "-o", os.devnull, str(po)]).returncode == 0


# -- 5. files GNU gettext writes ---------------------------------------------------------------


GNU_OBSOLETE_PREVIOUS = '''
#, fuzzy
#~| msgctxt "sections[key-updates-in-the-azerbaijan].items[old-item].text"
#~| msgid ""
#~| "An older text "
#~| "of a deleted item."
#~ msgctxt "sections[key-updates-in-the-azerbaijan].items[old-item].text"
#~ msgid "A newer text of a deleted item."
#~ msgstr "Перевод более старого текста удалённого пункта."
'''


def test_obsolete_previous_msgids_written_by_msgmerge_are_read(copy_example, run_cli, msgfmt):
    po = _po(copy_example, "ru")
    po.write_text(po.read_text(encoding="utf-8") + GNU_OBSOLETE_PREVIOUS, encoding="utf-8")
    assert subprocess.run([msgfmt, "-c", "-o", os.devnull, str(po)]).returncode == 0
    before = po.read_bytes()
    for command in (("stats", "--locales", "ru"), ("check", "--locales", "ru"), ("update", "--locales", "ru")):
        result = run_cli(command[0], copy_example, *command[1:], cwd=copy_example.parent)
        assert result.returncode == 0, (command, result.stderr)
    assert po.read_bytes() == before  # nothing to change: kept byte for byte, #~| lines included
    assert "Азербайджан" in _page(run_cli, copy_example, "--strict")
    (obsolete,) = polybrief.load_brief_catalog(polybrief.load(copy_example), RU, po.parents[2]).document.obsolete
    assert obsolete.previous_msgid == "An older text of a deleted item." and "fuzzy" in obsolete.flags


# -- 6. update rewrote files it had no reason to touch -----------------------------------------


def test_update_keeps_a_translators_header_and_wrapping(copy_example, example_brief, msgfmt):
    root = copy_example.parent / "locales"
    po = _po(copy_example, "hy")
    rewrapped = subprocess.run(["msgcat", str(po)], capture_output=True, text=True, check=True).stdout
    header = rewrapped.replace('"Plural-Forms: nplurals=2; plural=(n > 1);\\n"', '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"')
    header = header.replace('"Report-Msgid-Bugs-To: EMAIL@ADDRESS\\n"', '"Report-Msgid-Bugs-To: desk@example.org\\n"')
    header = header.replace('"Generated-By: Babel 2.19.0\\n"\n', '"X-Generator: Poedit 3.4.2\\n"\n'
                            '"X-Poedit-Basepath: ..\\n"\n"X-Desk: Caucasus\\n"\n')
    assert header != rewrapped
    po.write_text(header, encoding="utf-8")
    data = po.read_bytes()
    update_catalog(example_brief, HY, root)
    assert po.read_bytes() == data  # unchanged brief: byte-identical, no revision bump, no rewrap

    edited = example_brief.model_copy(update={"headline": "Azerbaijan launches an offensive in Nagorno-Karabakh"})
    update_catalog(edited, HY, root)
    after = po.read_text(encoding="utf-8")
    for kept in ('"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', '"Report-Msgid-Bugs-To: desk@example.org\\n"',
                 '"X-Generator: Poedit 3.4.2\\n"', '"X-Poedit-Basepath: ..\\n"', '"X-Desk: Caucasus\\n"'):
        assert kept in after, kept
    changed = [line for line in after.splitlines() if line not in header.splitlines()]
    assert all(line.startswith(('"PO-Revision-Date:', "#, fuzzy", "#| ", 'msgid "Azerbaijan launches an'))
               for line in changed), changed
    assert subprocess.run([msgfmt, "-c", "-o", os.devnull, str(po)]).returncode == 0


def test_gnu_default_project_id_version_is_accepted(copy_example, example_brief, run_cli, caplog):
    po = _po(copy_example, "ru")
    po.write_text(po.read_text(encoding="utf-8").replace(
        '"Project-Id-Version: nagorno-karabakh 1\\n"', '"Project-Id-Version: PACKAGE VERSION\\n"'), encoding="utf-8")
    assert polybrief.catalog_stats(example_brief, ["ru"], po.parents[2])[0].translated == 52
    po.write_text(po.read_text(encoding="utf-8").replace(
        '"Project-Id-Version: PACKAGE VERSION\\n"', '"Project-Id-Version: Newsroom desk translations\\n"'),
        encoding="utf-8")
    with caplog.at_level("WARNING", logger="polybrief.catalogs.brief"):
        assert polybrief.catalog_stats(example_brief, ["ru"], po.parents[2])[0].translated == 52
    assert "Newsroom" in caplog.text
    assert run_cli("publish", copy_example, "--locales", "ru", "--out", copy_example.parent / "out", "--strict",
                   cwd=copy_example.parent).returncode == 0


def test_one_plural_form_in_armenian_gets_the_header_message(copy_example, example_brief):
    po = _po(copy_example, "hy")
    po.write_text(po.read_text(encoding="utf-8").replace(
        "nplurals=2; plural=(n > 1);", "nplurals=1; plural=0;"), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        update_catalog(example_brief, HY, po.parents[2])
    assert info.value.field == "Plural-Forms"
    assert "header declares nplurals=1, but hy has 2 plural forms" in info.value.message


def test_a_long_rejected_machine_translation_note_is_not_repeated(copy_example):
    brief = _edit(copy_example, lambda d: d["sections"][0]["items"].append(
        {"label": "Aid", "text": "Convoys were stopped again at the Lachin corridor checkpoint."}))
    root = copy_example.parent / "locales"
    update_catalog(brief, RU, root)
    unit = next(u for u in translation_units(brief) if _position(u) == "sections[0].items[10].text")
    problem = "the decoder dropped a protected placeholder and the script check found Latin text in Cyrillic"
    rejected = MachineTranslation(text="", score=-3.0, engine="argos", models=("translate-en_ru-1_9",),
                                  problem=problem)
    po = _po(copy_example, "ru")
    for _ in range(3):
        fill_machine_drafts(brief, RU, root, {unit.path: rejected})
        update_catalog(brief, RU, root)
    text = po.read_text(encoding="utf-8")
    note = f"# {REJECTED_COMMENT} engine argos, model translate-en_ru-1_9: {problem}"
    assert len(note) > 76 and text.count(note) == 1
    assert text.count("Latin text in Cyrillic") == 1
