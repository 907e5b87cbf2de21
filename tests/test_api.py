"""The Python API does what a developer expects, tried as a new user would (issue 23's "API traps").

Each test is one trap a new user of the API fell into: a brief opened from a file localised
without its catalog, a locale or a folder given as a string refused with ``AttributeError``, a
Python caller told to "drop --strict", one problem reported per run, a project that is both
settings and services.  Only public names are used.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from babel import Locale

import polybrief
from polybrief import Project, Session, TranslationPolicy

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "nagorno-karabakh.yaml"


def _shown(counts):  # noqa: ANN001, ANN202
    """Provenance counts without the kinds a page does not show."""
    return {kind: n for kind, n in counts.items() if n}


# -- localise and render find the catalogs beside a brief, as the command line does ----------------------


@pytest.mark.parametrize("tag", ["hy", "az", "ru"])
def test_localise_a_path_uses_the_catalog_beside_it(tag):
    localised = polybrief.localise(EXAMPLE, tag)
    assert _shown(localised.provenance_counts()) == {"reviewed": 52}


def test_localise_an_opened_brief_uses_its_catalog():
    """The trap: ``localise(project.open_brief(path), "hy", project=project)`` gave 0 reviewed, 50 source."""
    session = Session()
    source = session.open_brief(str(EXAMPLE))
    assert _shown(polybrief.localise(source, "hy").provenance_counts()) == {"reviewed": 52}
    assert _shown(session.localise(source, "hy").provenance_counts()) == {"reviewed": 52}


def test_a_brief_built_in_python_has_no_catalog_unless_given_one():
    brief = polybrief.load(EXAMPLE)
    assert _shown(polybrief.localise(brief, "hy").provenance_counts()) == {"source": 52}
    catalog = polybrief.load_brief_catalog(brief, "hy", str(EXAMPLE.parent / "locales"))
    assert _shown(polybrief.localise(brief, "hy", catalog=catalog).provenance_counts()) == {"reviewed": 52}
    assert _shown(polybrief.localise(EXAMPLE, "hy", catalog=None).provenance_counts()) == {"source": 52}


def test_render_a_path_in_one_call():
    html = polybrief.render(str(EXAMPLE), "ru")
    assert '<html lang="ru" dir="ltr">' in html and "Нагорн" in html
    text = polybrief.render(EXAMPLE, "hy", format="text")
    assert "Լեռնային Ղարաբաղ" in text
    localised = polybrief.localise(EXAMPLE, "az")
    assert polybrief.render(localised) == Session().render(localised)
    with pytest.raises(TypeError, match="needs a locale"):
        polybrief.render(EXAMPLE)


def test_strict_failure_speaks_to_python_callers_too():
    brief = polybrief.load(EXAMPLE)
    with pytest.raises(polybrief.UntranslatedError) as caught:
        polybrief.localise(brief, "ka", policy=TranslationPolicy(strict=True))
    assert "drop --strict" not in str(caught.value)
    assert "TranslationPolicy(strict=False)" in (caught.value.hint or "")


# -- every public function takes a locale as str, babel.Locale or LocaleInfo, and a folder as str or path ----


@pytest.mark.parametrize("locale", ["hy", Locale.parse("hy"), polybrief.get_locale("hy")], ids=["str", "babel", "info"])
def test_a_locale_may_be_a_tag_a_babel_locale_or_a_locale_info(locale):
    session = Session()
    source = session.open_brief(EXAMPLE)
    catalog = session.catalog(source, locale)
    assert catalog is not None and catalog.path.name == "nagorno-karabakh.po"
    assert polybrief.localise(EXAMPLE, locale).locale.tag == "hy"
    (stats,) = polybrief.catalog_stats(source.brief, [locale], str(EXAMPLE.parent / "locales"))
    assert stats.translated == 52


def test_catalog_functions_take_string_folders_and_locales(tmp_path, monkeypatch):
    """The trap: ``update_catalog(brief, "ka", "locales")`` and ``write_template(brief, "locales")`` raised
    AttributeError."""
    monkeypatch.chdir(tmp_path)
    brief = polybrief.load(EXAMPLE)
    template = polybrief.write_template(brief, "locales")
    assert template == Path("locales") / "nagorno-karabakh.pot" and template.is_file()
    path = polybrief.update_catalog(brief, "ka", "locales")
    assert path == Path("locales/ka/LC_MESSAGES/nagorno-karabakh.po") and path.is_file()
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    catalog = polybrief.load_brief_catalog(brief, "ka", "locales")
    assert catalog is not None and catalog.path == path
    report = polybrief.publish([EXAMPLE], locales=[Locale.parse("ru"), "hy"], out_dir="site")
    assert _shown(report.provenance("nagorno-karabakh", "ru")) == {"reviewed": 52}


def test_add_locale_is_public_and_its_catalog_is_found(tmp_path):
    added = polybrief.add_locale("ka", str(tmp_path / "ui"))
    assert added.created and added.path == tmp_path / "ui" / "ka" / "LC_MESSAGES" / "polybrief.po"
    assert added.untranslated == added.total > 10
    text = added.path.read_text(encoding="utf-8")
    added.path.write_text(text.replace('msgid "Key figures"\nmsgstr ""', 'msgid "Key figures"\nmsgstr "ძირითადი ციფრები"'),
                          encoding="utf-8")
    html = polybrief.render(EXAMPLE, "ka", project=Project(locale_dirs=[str(tmp_path / "ui")]))
    assert "ძირითადი ციფრები" in html
    again = polybrief.add_locale(Locale.parse("ka"), tmp_path / "ui")
    assert not again.created and again.untranslated == added.total - 1


# -- Project is settings; Session is services -------------------------------------------------------------


def test_project_is_settings_only():
    project = Project(digits="latin", policy=TranslationPolicy(drafts="include"))
    for service in ("renderer", "locale", "open_brief", "catalog", "repository"):
        assert not hasattr(project, service), service
    assert pickle.loads(pickle.dumps(project)) == project
    assert repr(Project()) == "Project()"
    assert repr(project) == "Project(policy=TranslationPolicy(drafts='include'), digits='latin')"
    with pytest.raises(Exception):  # frozen
        project.digits = "locale"  # type: ignore[misc]


def test_a_session_resolves_each_locale_once_with_the_projects_settings(tmp_path):
    (tmp_path / "quotation-marks.toml").write_text('[ru]\nstart = "„"\nend = "“"\nalt_start = "‚"\nalt_end = "‘"\n',
                                                   encoding="utf-8")
    session = Session(Project(locale_dirs=[tmp_path], digits="latin"))
    ru = session.locale("ru")
    assert session.locale("ru_RU") is not ru and session.locale(Locale.parse("ru")) is ru
    assert ru.quotes.start == "„" and session.locale("fa").format_number(12) == "12"
    assert Session().locale("ru").quotes.start == "«" and Session().locale("fa").format_number(12) == "۱۲"
    assert session.renderer is session.renderer


def test_help_prints_defaults_by_name():
    """Signatures showed the whole ``Limits(...)`` repr (forty fields) wherever a default was one."""
    import pydoc

    text = pydoc.render_doc(polybrief, renderer=pydoc.plaintext)
    assert "Limits(brief_bytes" not in text and "TranslationPolicy(drafts" not in text
    assert "limits: 'Limits' = DEFAULT_LIMITS" in text
    assert "catalog: 'CatalogChoice' = FIND" in text
    assert repr(polybrief.Limits(po_bytes=5)) == "Limits(po_bytes=5)"


# -- validation reports every problem --------------------------------------------------------------------


BAD_BRIEF = """\
id: Not A Slug
language: en
dateline: {place: Yerevan, date: 2024-03-05}
published: 2024-03-05T09:30:00
lead: [The bridge reopened.]
sections:
  - heading: Updates
    items:
      - {label: Traffic, text: Both lanes are open., colour: red}
"""


def test_validation_lists_every_problem_with_its_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_BRIEF, encoding="utf-8")
    with pytest.raises(polybrief.BriefError) as caught:
        polybrief.load(path)
    problems = {p.field: p.line for p in caught.value.problems}
    assert problems == {"id": 1, "headline": 1, "published": 4, "sections[0].items[0].colour": 9}, problems
    assert len(str(caught.value).splitlines()) == 4
    result = subprocess.run([sys.executable, "-m", "polybrief", "check", str(path), "--locales", "ru"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4 and all(line.startswith(f"polybrief: error: {path}") for line in lines), lines
    assert any(":9: sections[0].items[0].colour: unknown field" in line for line in lines)


def test_validation_reports_at_most_twenty_problems_and_counts_the_rest(tmp_path):
    items = "\n".join(f"      - {{label: L{n}, text: T{n}, bogus{n}: x}}" for n in range(30))
    text = BAD_BRIEF.replace("id: Not A Slug", "id: fine").replace("published: 2024-03-05T09:30:00",
                                                                   "published: 2024-03-05T09:30:00Z")
    text = text.replace("      - {label: Traffic, text: Both lanes are open., colour: red}", items)
    path = tmp_path / "many.yaml"
    path.write_text("headline: H\n" + text, encoding="utf-8")
    with pytest.raises(polybrief.BriefError) as caught:
        polybrief.load(path)
    problems = caught.value.problems
    assert len(problems) == 21 and problems[-1].message == "and 10 more problems"
    assert all(p.line is not None for p in problems[:20])


def test_the_readmes_python_example_runs(tmp_path):
    """The README's "Python API" block, run as a user would, from a folder holding the examples."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    import shutil

    shutil.copytree(REPO / "examples", tmp_path / "examples")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["19 сентября 2023\u202fг.", "52"]  # CLDR puts a narrow no-break space before "г."
    assert (tmp_path / "my-catalogs" / "ka" / "LC_MESSAGES" / "nagorno-karabakh.po").is_file()
    assert (tmp_path / "dist" / "hy" / "nagorno-karabakh.html").is_file()
