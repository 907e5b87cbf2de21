"""The command line, run for real in subprocesses: happy paths, and every
kind of bad input ending in one ``polybrief: error:`` line and exit status 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE_ID


def test_help(run_cli, tmp_path):
    result = run_cli("--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: polybrief")
    for command in ("render", "publish", "schema", "extract", "update", "stats", "locale"):
        assert command in result.stdout
    assert result.stderr == ""


def test_version_and_no_command(run_cli, tmp_path):
    version = run_cli("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.strip() == "polybrief 0.1.0"
    bare = run_cli(cwd=tmp_path)
    assert bare.returncode == 2 and "usage: polybrief" in bare.stderr


def test_render_text_to_stdout(run_cli, example_path, tmp_path):
    result = run_cli("render", example_path, "--locale", "hy", "--format", "text", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Ադրբեջանը «հակաահաբեկչական» հարձակում է սկսել Լեռնային Ղարաբաղում"
    assert lines[1] == "=" * 72
    assert "Հիմնական թվեր" in result.stdout and "2023 թ. սեպտեմբերի 19" in result.stdout
    assert result.stderr == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("tag", "fmt", "marker"), [
    ("ru", "html", '<html lang="ru" dir="ltr">'),
    ("hy", "text", "Հիմնական թվեր\n" + "-" * 72),
])
def test_render_to_file(run_cli, example_path, tmp_path, tag, fmt, marker):
    out = tmp_path / "nested" / f"{tag}.{fmt}"
    result = run_cli("render", example_path, "--locale", tag, "--format", fmt, "-o", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    written = out.read_text(encoding="utf-8")
    assert marker in written
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no temp file left behind
    stdout = run_cli("render", example_path, "--locale", tag, "--format", fmt, cwd=tmp_path).stdout
    assert stdout == written


def test_publish(run_cli, example_path, tmp_path):
    out = tmp_path / "dist"
    result = run_cli("publish", example_path, "--locales", "hy,az,ru", "--formats", "html,text", "--out", out,
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for tag in ("en", "hy", "az", "ru"):
        assert (out / tag / f"{EXAMPLE_ID}.html").is_file()
        assert (out / tag / f"{EXAMPLE_ID}.txt").is_file()
    assert (out / "index.html").is_file()
    # Not a terminal: one summary line per locale (briefs, passages by kind, pages and files written).
    assert "      hy  1 brief: reviewed 52, draft 0, source 0; pages written 1, unchanged 0; files written 2" \
        in result.stdout.splitlines()
    assert len(result.stdout.splitlines()) == 4


def test_publish_strict_with_complete_catalogs(run_cli, example_path, tmp_path):
    result = run_cli("publish", example_path, "--locales", "hy,az,ru", "--formats", "text", "--out",
                     tmp_path / "d", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == [".polybrief", "404.html", "az", "en",
                                                                  "hy", "index.html", "ru"]


def test_schema(run_cli, tmp_path):
    result = run_cli("schema", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["title"] == "Brief" and "headline" in schema["required"]
    run_cli("schema", "-o", tmp_path / "schema.json", cwd=tmp_path)
    assert json.loads((tmp_path / "schema.json").read_text(encoding="utf-8")) == schema


# -- bad input: one line, exit 2, nothing written -------------------------------------------


@pytest.fixture
def brief_variant(tmp_path, example_path):
    """Write a modified copy of the example; returns its path."""

    def make(old: str, new: str, name: str = "variant.yaml") -> Path:
        text = example_path.read_text(encoding="utf-8")
        assert old in text
        path = tmp_path / name
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    return make


def _render_fails(run_cli, one_line_error, brief: Path, tmp_path: Path, *needles: str, extra=()) -> None:
    out = tmp_path / "out" / "page.html"
    result = run_cli("render", brief, "--locale", "ru", "-o", out, *extra, cwd=tmp_path)
    one_line_error(result, *needles)
    assert result.stdout == ""
    assert not out.exists() and not out.parent.exists()


def test_malformed_yaml(run_cli, one_line_error, brief_variant, tmp_path):
    brief = brief_variant("place: New Delhi\n", "place: [New Delhi\n")
    _render_fails(run_cli, one_line_error, brief, tmp_path, f"{brief}:", "invalid YAML")


def test_missing_field(run_cli, one_line_error, brief_variant, tmp_path):
    brief = brief_variant("  place: New Delhi\n", "")
    _render_fails(run_cli, one_line_error, brief, tmp_path, str(brief), "dateline.place", "required field is missing")


def test_naive_datetime(run_cli, one_line_error, brief_variant, tmp_path):
    brief = brief_variant("published: 2023-09-19T18:00:00+05:30", "published: 2023-09-19T18:00:00")
    line = brief.read_text(encoding="utf-8").splitlines().index("published: 2023-09-19T18:00:00") + 1
    _render_fails(run_cli, one_line_error, brief, tmp_path, f"{brief}:{line}: published:", "no time zone")


def test_unknown_locale(run_cli, one_line_error, example_path, tmp_path):
    out = tmp_path / "page.html"
    result = run_cli("render", example_path, "--locale", "xx-zz", "-o", out, cwd=tmp_path)
    one_line_error(result, "unknown locale 'xx-zz'")
    assert not out.exists()
    result = run_cli("publish", example_path, "--locales", "hy,xx-zz", "--out", tmp_path / "d", cwd=tmp_path)
    one_line_error(result, "unknown locale 'xx-zz'")
    assert not (tmp_path / "d").exists()


def test_template_folder_missing(run_cli, one_line_error, example_path, tmp_path):
    missing = tmp_path / "no-templates"
    _render_fails(run_cli, one_line_error, example_path, tmp_path, str(missing), "does not exist",
                  extra=("--templates", missing))
    result = run_cli("publish", example_path, "--locales", "ru", "--out", tmp_path / "d", "--templates", missing,
                     cwd=tmp_path)
    one_line_error(result, str(missing))
    assert not (tmp_path / "d").exists()


def test_broken_template(run_cli, one_line_error, example_path, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "brief.html.j2").write_text("<html>\n{% for x in %}\n</html>\n", encoding="utf-8")
    _render_fails(run_cli, one_line_error, example_path, tmp_path, f"{folder / 'brief.html.j2'}:2:",
                  "does not compile", extra=("--templates", folder))
    result = run_cli("publish", example_path, "--locales", "ru", "--formats", "html,text", "--out",
                     tmp_path / "d", "--templates", folder, cwd=tmp_path)
    one_line_error(result, "brief.html.j2:2:")
    assert not (tmp_path / "d").exists()


def test_unwritable_output(run_cli, one_line_error, example_path, tmp_path):
    blocker = tmp_path / "plain-file"
    blocker.write_text("keep me", encoding="utf-8")
    result = run_cli("render", example_path, "--locale", "ru", "-o", blocker / "page.html", cwd=tmp_path)
    one_line_error(result, str(blocker), "cannot create folder")
    result = run_cli("publish", example_path, "--locales", "ru", "--out", blocker / "dist", cwd=tmp_path)
    one_line_error(result, str(blocker))
    assert blocker.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain-file"]


def test_bad_po(run_cli, one_line_error, copy_example, tmp_path):
    po = copy_example.parent / "locales" / "ru" / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgctxt "headline"\n', 'msgctxt "headline"\nmsgunknown "x"\n', 1), encoding="utf-8")
    line = po.read_text(encoding="utf-8").splitlines().index('msgunknown "x"') + 1
    out = tmp_path / "out.html"
    result = run_cli("render", copy_example, "--locale", "ru", "-o", out, cwd=tmp_path)
    one_line_error(result, f"{po}:{line}:", "PO syntax error")
    assert not out.exists()
    result = run_cli("publish", copy_example, "--locales", "hy,az,ru", "--out", tmp_path / "d", cwd=tmp_path)
    one_line_error(result, f"{po}:{line}:")
    assert not (tmp_path / "d").exists()


def test_bad_format_option(run_cli, one_line_error, example_path, tmp_path):
    result = run_cli("publish", example_path, "--locales", "ru", "--formats", "html,pdf", "--out", tmp_path / "d",
                     cwd=tmp_path)
    one_line_error(result, "pdf")
    assert not (tmp_path / "d").exists()


def test_strict_publish_without_catalogs(run_cli, one_line_error, example_path, tmp_path):
    shutil.copy(example_path, tmp_path / "alone.yaml")
    result = run_cli("publish", tmp_path / "alone.yaml", "--locales", "ru", "--out", tmp_path / "d", "--strict",
                     cwd=tmp_path)
    one_line_error(result, "would fall back to the source text")
    assert not (tmp_path / "d").exists()
