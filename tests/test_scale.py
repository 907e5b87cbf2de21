"""Publishing at scale: ``--jobs`` gives the same bytes as one process, republishing rewrites only the pages
whose inputs changed (and gives the bytes of a cold run), and the quality gate still refuses before anything
is replaced although pages are built and staged one brief at a time.

Timing is never asserted here (see docs/benchmarks.md); what is checked is which files a run replaced,
by inode and modification time, and that every byte matches a run from scratch.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE, assert_one_line_error
from polybrief import Project, QualityGateError, TranslationPolicy, publish
from polybrief.site import MANIFEST_NAME

CHECKS_NAME = ".polybrief/checks.json"  # the check cache: rewritten when a page is checked again

TARGETS = ["hy", "ru"]
STRICT = TranslationPolicy(strict=True)
TEMP_FILE = re.compile(r"^\..+\..+\.tmp$")


def _copies(folder: Path, count: int) -> list[Path]:
    """``count`` copies of the seed brief (ids b0, b1, ...) with their reviewed hy and ru catalogs."""
    text = EXAMPLE.read_text(encoding="utf-8")
    paths = []
    for n in range(count):
        brief_id = f"b{n}"
        path = folder / f"{brief_id}.yaml"
        path.write_text(text.replace("id: nagorno-karabakh", f"id: {brief_id}", 1), encoding="utf-8")
        for tag in TARGETS:
            po = EXAMPLE.parent / "locales" / tag / "LC_MESSAGES" / "nagorno-karabakh.po"
            target = folder / "locales" / tag / "LC_MESSAGES" / f"{brief_id}.po"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(po.read_text(encoding="utf-8").replace(
                "Project-Id-Version: nagorno-karabakh", f"Project-Id-Version: {brief_id}"), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def briefs(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "briefs"
    folder.mkdir()
    return _copies(folder, 3)


def _files(out: Path) -> dict[str, tuple[int, int]]:
    """Every file of a site: (inode, mtime_ns), to see which ones a run replaced."""
    return {str(p.relative_to(out)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(out.rglob("*"))
            if p.is_file()}


def _contents(out: Path) -> dict[str, object]:
    """Every file's bytes; the manifest without ``stat`` (sizes, times and inodes of this run's files)."""
    out_files: dict[str, object] = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        name = str(path.relative_to(out))
        if name == MANIFEST_NAME:
            document = json.loads(path.read_text(encoding="utf-8"))
            document.pop("stat")
            out_files[name] = document
        else:
            out_files[name] = path.read_bytes()
    return out_files


def _changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {name for name in after if before.get(name) != after[name]}


def _pages(brief_id: str, tags: list[str], formats: tuple[str, ...] = ("html", "txt")) -> set[str]:
    return {f"{tag}/{brief_id}.{ext}" for tag in tags for ext in formats}


def test_jobs_2_writes_the_bytes_of_jobs_1(tmp_path, briefs):
    one, two = tmp_path / "one", tmp_path / "two"
    report = publish(briefs, locales=TARGETS, out_dir=one, project=Project(policy=STRICT), jobs=1)
    report2 = publish(briefs, locales=TARGETS, out_dir=two, project=Project(policy=STRICT), jobs=2,
                      keep_localised=False)
    assert _contents(one) == _contents(two)
    # en/hy/ru × html/text per brief, the index, the manifest, the check cache, an index per language, the 404 page
    assert len(_contents(one)) == 3 * 3 * 2 + 3 + 3 + 1
    assert [(f.brief_id, f.locale, f.format) for f in report.files] == [
        (f.brief_id, f.locale, f.format) for f in report2.files]
    assert report.provenance("b2", "ru") == report2.provenance("b2", "ru") == {
        "reviewed": 52, "draft": 0, "machine-draft": 0, "machine": 0, "source": 0}


def _usable_cores(monkeypatch: pytest.MonkeyPatch, cores: set[int]) -> None:
    """Make this process see ``cores`` as the CPUs it may use, as Python reports them."""
    import os

    if hasattr(os, "process_cpu_count"):  # Python 3.13+: the default --jobs asks this
        monkeypatch.setattr(os, "process_cpu_count", lambda: len(cores))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(cores), raising=False)


def test_the_default_jobs_is_the_number_of_usable_cores_and_any_jobs_writes_the_same_bytes(
        tmp_path, briefs, monkeypatch, caplog):
    """Without --jobs, ``polybrief publish`` starts one worker per usable core (the affinity mask, not the
    machine's CPUs: this machine's count is neither 3 nor 1); --jobs 1, --jobs 2 and the default write the
    same files, byte for byte (the state folder's timestamps aside)."""
    from polybrief.cli import main

    monkeypatch.chdir(tmp_path)
    args = ["publish", *map(str, briefs), "--locales", ",".join(TARGETS), "--strict"]
    caplog.set_level(logging.INFO, logger="polybrief.pool")
    _usable_cores(monkeypatch, {0, 1, 2})
    assert main([*args, "--out", str(tmp_path / "default3")]) == 0
    assert "running 3 tasks on 3 processes" in caplog.messages
    caplog.clear()
    _usable_cores(monkeypatch, {5})
    assert main([*args, "--out", str(tmp_path / "default1")]) == 0
    assert not [m for m in caplog.messages if m.startswith("running")]  # one core: built in this process
    assert main([*args, "--out", str(tmp_path / "jobs2"), "--jobs", "2"]) == 0
    assert main([*args, "--out", str(tmp_path / "jobs1"), "--jobs", "1"]) == 0
    reference = _contents(tmp_path / "jobs1")
    assert len(reference) == 3 * 3 * 2 + 3 + 3 + 1
    for name in ("jobs2", "default3", "default1"):
        assert _contents(tmp_path / name) == reference, name


def test_republishing_rewrites_only_what_changed_and_matches_a_cold_run(tmp_path, briefs):
    out = tmp_path / "site"
    publish(briefs, locales=TARGETS, out_dir=out, jobs=2)
    before = _files(out)
    again = publish(briefs, locales=TARGETS, out_dir=out, jobs=2)
    # Nothing is written but, at most, the manifest (files changed in the two seconds before they were
    # hashed are hashed again, and the manifest then learns their signature).
    assert _changed(before, _files(out)) <= {MANIFEST_NAME}
    assert again.files == [] and again.unchanged == 3 * 3 * 2 and not again.index_written
    before = _files(out)

    # A change the index does not show: the brief's pages are rebuilt, the index is not.
    text = briefs[1].read_text(encoding="utf-8")
    briefs[1].write_text(text.replace("- Azerbaijan\n", "- Azerbaijan\n- Caucasus\n", 1), encoding="utf-8")
    report = publish(briefs, locales=TARGETS, out_dir=out, jobs=2)
    assert _changed(before, _files(out)) == _pages("b1", ["en", *TARGETS]) | {MANIFEST_NAME}
    assert {(f.brief_id, f.locale) for f in report.files} == {("b1", t) for t in ["en", *TARGETS]}
    assert report.unchanged == 2 * 3 * 2

    # A change it does show (the publication time): the index too.
    before = _files(out)
    text = briefs[0].read_text(encoding="utf-8")
    briefs[0].write_text(text.replace("published: 2023-09-19T18:00:00", "published: 2023-09-19T18:05:00"),
                         encoding="utf-8")
    publish(briefs, locales=TARGETS, out_dir=out, jobs=1)
    assert _changed(before, _files(out)) == _pages("b0", ["en", *TARGETS]) | {MANIFEST_NAME, "index.html"} | {
        f"{tag}/index.html" for tag in ["en", *TARGETS]}  # each language's index shows the date too

    cold = tmp_path / "cold"
    publish(briefs, locales=TARGETS, out_dir=cold, jobs=1)
    assert _contents(out) == _contents(cold)


def test_each_input_rebuilds_exactly_the_pages_it_affects(tmp_path, briefs):
    """A brief's catalog, a UI catalog, a template and the quotation marks each rebuild their pages only."""
    data = tmp_path / "data"
    templates = tmp_path / "templates"
    (data / "ru" / "LC_MESSAGES").mkdir(parents=True)
    templates.mkdir()
    repo = EXAMPLE.parent.parent
    shutil.copy(repo / "locales" / "ru" / "LC_MESSAGES" / "polybrief.po", data / "ru" / "LC_MESSAGES")
    shutil.copy(repo / "locales" / "quotation-marks.toml", data)
    shutil.copy(repo / "templates" / "brief.txt.j2", templates)
    project = Project(locale_dirs=(data,), template_dirs=(templates,))
    out = tmp_path / "site"
    publish(briefs, locales=TARGETS, out_dir=out, project=project, jobs=2)
    everything = {name for name in _files(out) if name.endswith((".html", ".txt"))}

    def edit(path: Path, old: str, new: str) -> set[str]:
        before = _files(out)
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        publish(briefs, locales=TARGETS, out_dir=out, project=project, jobs=2)
        return {name for name in _changed(before, _files(out)) - {MANIFEST_NAME, CHECKS_NAME, "index.html", "404.html"}
                if not name.endswith("/index.html")}  # indexes show headlines: see the tests of site files

    catalog = briefs[2].parent / "locales" / "ru" / "LC_MESSAGES" / "b2.po"
    assert edit(catalog, "Азербайджан", "Азербайджан ") == _pages("b2", ["ru"])
    ui = data / "ru" / "LC_MESSAGES" / "polybrief.po"
    assert edit(ui, 'msgstr "Ключевые цифры"',
                'msgstr "Главные цифры"') == {f"ru/b{n}.{ext}" for n in range(3) for ext in ("html", "txt")}
    # A UI message only the HTML pages show rebuilds those; one only the language indexes show, no page
    # (polybrief.rendering.messages); nor does a comment.
    assert edit(ui, 'msgstr "Другие языки"', 'msgstr "Остальные языки"') == {f"ru/b{n}.html" for n in range(3)}
    index = (out / "ru" / "index.html").read_bytes()
    assert edit(ui, 'msgstr "Все языки"', 'msgstr "Все языки сайта"') == set()
    assert "Все языки сайта" in (out / "ru" / "index.html").read_text(encoding="utf-8")
    assert (out / "ru" / "index.html").read_bytes() != index
    assert edit(ui, 'msgid "Other languages"', '# a translator\'s note\nmsgid "Other languages"') == set()
    # A translation taken back (fuzzy: not shown) is a change of what the pages show.
    assert edit(ui, 'msgid "Other languages"', '#, fuzzy\nmsgid "Other languages"') == {
        f"ru/b{n}.html" for n in range(3)}
    assert edit(templates / "brief.txt.j2", "\n", "\n\n") == {name for name in everything if name.endswith(".txt")}
    # A template that can show any message (its msgid a variable): every UI edit rebuilds its pages.
    edit(templates / "brief.txt.j2", '{{ _("Key figures")|wrap }}', '{% set heading = "Key figures" %}{{ _(heading)|wrap }}')
    assert edit(ui, 'msgstr "Все языки сайта"', 'msgstr "Все языки"') == {f"ru/b{n}.txt" for n in range(3)}
    ru_marks = re.search(r"\[ru\][^\[]*", (data / "quotation-marks.toml").read_text(encoding="utf-8")).group(0)
    # (CLDR gives ru its marks; the file overrides them)
    assert edit(data / "quotation-marks.toml", ru_marks, ru_marks + 'start = "‹"\nend = "›"\n\n') == {
        f"ru/b{n}.{ext}" for n in range(3) for ext in ("html", "txt")}

    cold = tmp_path / "cold"
    publish(briefs, locales=TARGETS, out_dir=cold, project=project, jobs=1)
    assert _contents(out) == _contents(cold)


def test_a_deleted_page_is_written_again(tmp_path, briefs):
    out = tmp_path / "site"
    publish(briefs, locales=TARGETS, out_dir=out)
    (out / "hy" / "b0.txt").unlink()
    report = publish(briefs, locales=TARGETS, out_dir=out)
    assert [(f.brief_id, f.locale, f.format) for f in report.files] == [("b0", "hy", "text")]
    assert (out / "hy" / "b0.txt").is_file()


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_quality_gate_still_refuses_before_any_page_is_replaced(tmp_path, briefs, jobs):
    out = tmp_path / "site"
    publish(briefs, locales=TARGETS, out_dir=out)
    before, contents = _files(out), _contents(out)
    for brief in briefs:  # every brief changes, so every page would be rebuilt
        text = brief.read_text(encoding="utf-8")
        brief.write_text(text.replace("published: 2023-09-19T18:00:00", "published: 2023-09-19T18:01:00"),
                         encoding="utf-8")
    catalog = briefs[2].parent / "locales" / "hy" / "LC_MESSAGES" / "b2.po"  # the last brief: others are staged
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("ևս 11 մարդ վիրավորվել", "ևս 17 մարդ վիրավորվել", 1), encoding="utf-8")
    with pytest.raises(QualityGateError):
        publish(briefs, locales=TARGETS, out_dir=out, jobs=jobs)
    assert _files(out) == before and _contents(out) == contents  # nothing replaced, no temp file left
    assert not [p for p in out.rglob("*") if TEMP_FILE.match(p.name)]


def test_a_failing_worker_is_one_clean_error_and_writes_nothing(tmp_path, briefs, run_cli):
    catalog = briefs[1].parent / "locales" / "ru" / "LC_MESSAGES" / "b1.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('msgctxt "headline"', 'msgctxt "headline"\nmsgid_what "oops"', 1),
                       encoding="utf-8")
    out = tmp_path / "site"
    result = run_cli("publish", *briefs, "--locales", ",".join(TARGETS), "--out", out, "--jobs", "2",
                     cwd=tmp_path)
    assert_one_line_error(result, str(catalog), "PO syntax error")
    assert not out.exists()


def test_check_with_jobs_reports_what_one_process_reports(tmp_path, briefs):
    from polybrief import check_files

    catalog = briefs[0].parent / "locales" / "ru" / "LC_MESSAGES" / "b0.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("а ещё 11 получили", "а ещё 17 получили", 1), encoding="utf-8")  # a finding
    one, outcomes = check_files(briefs, ["en", *TARGETS], project=Project(), jobs=1)
    two, _ = check_files(briefs, ["en", *TARGETS], project=Project(), jobs=2)
    assert one.to_json() == two.to_json()
    assert one.findings["ru"] and all(f.message.startswith("b0: ") for f in one.findings["ru"])
    assert [(o.brief_id, o.locale, o.original) for o in outcomes][:3] == [
        ("b0", "en", True), ("b0", "hy", False), ("b0", "ru", False)]
