"""The run's configuration: one frozen Project, its discovery rules, and the model-declared fields walker."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path
from typing import Annotated

import pytest

import polybrief
from conftest import EXAMPLE, EXAMPLE_ID
from polybrief import CatalogError, LocaleError, Project, Session, TemplateError, Translatable, UsageError
from polybrief import translation_units


def _fa_ui_catalog(folder: Path, key_figures: str) -> Path:
    """``polybrief locale add fa --dir folder``, then one string translated as a translator would."""
    result = polybrief.catalogs.add_locale("fa", folder)
    text = result.path.read_text(encoding="utf-8")
    assert 'msgid "Key figures"\nmsgstr ""' in text
    result.path.write_text(text.replace('msgid "Key figures"\nmsgstr ""',
                                        f'msgid "Key figures"\nmsgstr "{key_figures}"'), encoding="utf-8")
    return result.path


def test_ui_catalog_in_the_briefs_own_locales_folder_is_found_without_options(copy_example, run_cli, tmp_path):
    brief_dir = copy_example.parent
    _fa_ui_catalog(brief_dir / "locales", "ارقام کلیدی")
    out = tmp_path / "out.html"
    result = run_cli("render", copy_example.name, "--locale", "fa", "-o", out, cwd=brief_dir)
    assert result.returncode == 0, result.stderr
    assert "<h2>ارقام کلیدی</h2>" in out.read_text(encoding="utf-8")
    # A brief whose folder has no fa UI catalog gets polybrief's own.
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(EXAMPLE, other / EXAMPLE.name)
    assert run_cli("render", EXAMPLE.name, "--locale", "fa", "-o", out, cwd=other).returncode == 0
    fallback = out.read_text(encoding="utf-8")
    assert "ارقام کلیدی" not in fallback and "<h2>آمار کلیدی</h2>" in fallback


def test_locale_data_folder_wins_over_the_briefs_folder(copy_example, tmp_path):
    brief_dir = copy_example.parent
    _fa_ui_catalog(brief_dir / "locales", "from the brief")
    _fa_ui_catalog(tmp_path / "data", "from locale-data")
    project = Project(locale_dirs=[tmp_path / "data"])
    session = Session(project)
    source = session.open_brief(copy_example)
    html = session.renderer.render(polybrief.localise(source, "fa", project=project))
    assert "<h2>from locale-data</h2>" in html and "from the brief" not in html


_FOLDER_OPTIONS = {
    "--catalogs": "catalogs folder does not exist",
    "--locale-data": "locale-data folder does not exist",
    "--templates": "template folder does not exist",
}


@pytest.mark.parametrize(("command", "option"), [
    (command, option) for command in ("publish", "check", "render") for option in _FOLDER_OPTIONS
    if not (command == "check" and option == "--templates")  # check renders nothing: no --templates
])
def test_a_named_folder_that_does_not_exist_is_an_error(command, option, run_cli, one_line_error, tmp_path):
    error = _FOLDER_OPTIONS[option]
    missing = tmp_path / "no-such-folder"
    args = {"publish": ["--locales", "ru", "--out", tmp_path / "out"], "check": ["--locales", "ru"],
            "render": ["--locale", "ru"]}[command]
    result = run_cli(command, EXAMPLE, *args, option, missing, cwd=tmp_path)
    one_line_error(result, str(missing), error)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("settings", "error"), [
    ({"catalogs_dir": "missing"}, CatalogError),
    ({"locale_dirs": ["missing"]}, LocaleError),
    ({"template_dirs": ["missing"]}, TemplateError),
    ({"base_url": "example.org/briefs"}, UsageError),
    ({"base_url": "ftp://example.org/"}, UsageError),
])
def test_project_refuses_bad_settings(settings, error, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error):
        Project(**settings)


def test_project_is_frozen_and_normalises_its_settings(tmp_path):
    project = Project(template_dirs=[str(tmp_path)], base_url="https://news.example.org/briefs")
    assert project.template_dirs == (tmp_path,)
    assert project.base_url == "https://news.example.org/briefs/"
    with pytest.raises(dataclasses.FrozenInstanceError):
        project.base_url = "https://elsewhere.example/"  # type: ignore[misc]


def test_one_tag_resolves_to_one_locale_per_run_with_the_projects_quotation_marks(tmp_path):
    (tmp_path / "quotation-marks.toml").write_text('[ru]\nstart = "„"\nend = "“"\nalt_start = "‚"\nalt_end = "‘"\n',
                                                   encoding="utf-8")
    project = Project(locale_dirs=[tmp_path])
    session = Session(project)
    ru = session.locale("ru")
    assert session.locale("ru") is ru and session.locale(ru) is ru
    assert ru.quotes.start == "„"
    # The localised brief, its source locale and the renderer's environment all use the same object.
    brief = polybrief.load(EXAMPLE)
    localised = polybrief.localise(brief, "ru", session=session)
    assert localised.locale is ru
    html = session.renderer.render(localised)
    assert "„120,000 civilians" in html
    # Another project does not see this one's marks.
    assert Session().locale("ru").quotes.start == "«"


def test_glossary_is_parsed_once_per_run(tmp_path, monkeypatch):
    """``publish --mt --glossary`` used to parse the glossary twice."""
    import polybrief.glossary as glossary_module
    from polybrief.cli.options import project_from_args
    from polybrief.cli import build_parser

    path = tmp_path / "terms.csv"
    path.write_text("source,ru\nceasefire,прекращение огня\n", encoding="utf-8")
    calls = []
    original = glossary_module.load_glossary
    monkeypatch.setattr(glossary_module, "load_glossary", lambda *a, **k: calls.append(a) or original(*a, **k))
    args = build_parser().parse_args(["publish", str(EXAMPLE), "--locales", "ru", "--out", str(tmp_path / "o"),
                                      "--mt", "--glossary", str(path)])
    project = project_from_args(args)
    assert len(calls) == 1 and project.glossary is not None and len(project.glossary) == 1


def test_a_translatable_field_declared_on_the_model_reaches_catalogs_and_pages(make_brief):
    """Adding a translatable field means editing the model (and templates), nothing else."""

    class NotedBrief(polybrief.Brief):
        editor_note: Annotated[str | None, Translatable("Editor's note shown under the lead")] = None

    base = make_brief()
    brief = NotedBrief.model_validate({**base.model_dump(), "editor_note": "Figures are provisional."})
    units = {u.path: u for u in translation_units(brief)}
    assert units["editor_note"].text == "Figures are provisional."
    assert units["editor_note"].comment == "Editor's note shown under the lead"
    template = {(entry.msgctxt, entry.msgid) for entry in polybrief.extract_template(brief)}
    assert ("editor_note", "Figures are provisional.") in template
    localised = polybrief.localise(brief, "ru")
    segment = localised.editor_note
    assert segment.text == "Figures are provisional." and segment.provenance is polybrief.Provenance.SOURCE
    assert localised.segments_by_path["editor_note"] is segment
