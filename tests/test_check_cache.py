"""The check cache (``DIR/.polybrief/checks.json``): a UI catalog edit re-renders a locale's pages without
checking them again, and nothing else — an edited translation, its review state, the check settings, the
checks themselves, an edited or foreign cache entry — can make a page keep findings that are not its own."""

from __future__ import annotations

import ast
import json
import logging
import re
import shutil
from pathlib import Path

import polib
import pytest

import polybrief
from conftest import EXAMPLE_ID, REPO

from polybrief.site import check_cache, check_key

TAG = "ru"
UI_ID = "By {authors}"
UI_NEW = "Составили: {authors}"
#: The names a changed figure is reported under.
NUMBERS = frozenset({"numbers", "numbers-added"})


@pytest.fixture(autouse=True)
def _own_cache_home(tmp_path, monkeypatch):
    """Each test's secret lives in its own cache folder (never the user's)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def brief(copy_example: Path) -> Path:
    """The seed brief with its catalogs and a UI catalog of its own for ``ru`` beside them."""
    ui = copy_example.parent / "locales" / TAG / "LC_MESSAGES" / "polybrief.po"
    shutil.copy(REPO / "locales" / TAG / "LC_MESSAGES" / "polybrief.po", ui)
    return copy_example


def _catalog(brief: Path) -> Path:
    return brief.parent / "locales" / TAG / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"


def _edit_ui(brief: Path, text: str = UI_NEW) -> None:
    path = brief.parent / "locales" / TAG / "LC_MESSAGES" / "polybrief.po"
    po = polib.pofile(str(path))
    po.find(UI_ID).msgstr = text
    po.save()


def _break_a_number(brief: Path, *, fuzzy: bool = False) -> str:
    """Change a figure in a reviewed translation (a ``numbers`` error); the entry's field path."""
    po = polib.pofile(str(_catalog(brief)))
    entry = next(e for e in po if e.msgstr and not e.msgid_plural and re.search(r"\d", e.msgid)
                 and re.search(r"\d", e.msgstr))
    entry.msgstr = re.sub(r"\d+", "987", entry.msgstr, count=1)
    if fuzzy:
        entry.flags.append("fuzzy")
    po.save()
    return str(entry.msgctxt)


def _set_fuzzy(brief: Path, path: str, fuzzy: bool) -> None:
    po = polib.pofile(str(_catalog(brief)))
    entry = next(e for e in po if e.msgctxt == path)
    if fuzzy and "fuzzy" not in entry.flags:
        entry.flags.append("fuzzy")
    elif not fuzzy and "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    po.save()


def _publish(brief: Path, out: Path, **options) -> polybrief.PublishReport:
    project = polybrief.Project(**options)
    return polybrief.publish([brief], locales=["hy", TAG], out_dir=out, project=project, keep_localised=False)


def _count_checks(monkeypatch) -> list[str]:
    """Record every page the quality checks run on (their locale tags)."""
    from polybrief.qa import gate

    calls: list[str] = []
    real = gate.check_localised

    def counting(item, **kwargs):
        calls.append(item.locale.tag)
        return real(item, **kwargs)

    monkeypatch.setattr(gate, "check_localised", counting)
    return calls


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".polybrief" not in p.parts}


def _errors(report: polybrief.PublishReport) -> list[tuple[str, str, str]]:
    return [(f.check, f.path, f.provenance.value if f.provenance else "") for f in report.qa.errors()]


def test_a_ui_edit_renders_the_locale_again_without_checking_it_and_matches_a_cold_publish(tmp_path, brief,
                                                                                              monkeypatch):
    out = tmp_path / "out"
    _publish(brief, out)
    assert (out / ".polybrief" / "checks.json").is_file()
    with pytest.MonkeyPatch.context() as patch:
        calls = _count_checks(patch)
        _edit_ui(brief)
        report = _publish(brief, out)
    assert calls == [], "the ru pages were checked again although only the UI catalog changed"
    assert {(f.locale, f.format) for f in report.files} == {(TAG, "html"), (TAG, "text")}
    assert UI_NEW.replace("{authors}", "") in (out / TAG / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8")
    cold = tmp_path / "cold"
    cold_report = _publish(brief, cold)
    assert _files(out) == _files(cold), "an incremental publish must write what a cold one writes"
    assert [f.to_dict() for f in report.qa.all()] == [f.to_dict() for f in cold_report.qa.all() if f.locale == TAG]


def test_an_edited_translation_is_checked_again(tmp_path, brief):
    out = tmp_path / "out"
    _publish(brief, out)
    path = _break_a_number(brief)
    _edit_ui(brief)
    with pytest.raises(polybrief.QualityGateError, match="numbers"):
        _publish(brief, out)
    assert ("numbers", path, "reviewed") in _errors(_publish(brief, tmp_path / "o2", policy=polybrief.TranslationPolicy(
        allow_qa_errors=True)))


def test_a_review_state_change_is_a_new_key_and_findings_say_who_wrote_the_text(tmp_path, brief):
    out = tmp_path / "out"
    drafts = polybrief.TranslationPolicy(drafts="include", allow_qa_errors=True)
    path = _break_a_number(brief, fuzzy=True)
    assert ("numbers", path, "draft") in _errors(_publish(brief, out, policy=drafts))
    _set_fuzzy(brief, path, False)  # reviewed now: the same text, another state
    _edit_ui(brief)
    report = _publish(brief, out, policy=drafts)
    assert ("numbers", path, "reviewed") in _errors(report)
    assert ("numbers", path, "draft") not in _errors(report)


def test_a_removed_ignore_flag_brings_the_error_back(tmp_path, brief):
    """A reviewer's ``ignore-<check>`` flags are part of the key: taking them away is a new key."""
    out = tmp_path / "out"
    path = _break_a_number(brief)
    po = polib.pofile(str(_catalog(brief)))
    entry = next(e for e in po if e.msgctxt == path)
    entry.flags.extend(f"ignore-{name}" for name in sorted(NUMBERS))
    po.save()
    _publish(brief, out)  # silenced: passes
    entry.flags[:] = [f for f in entry.flags if not f.startswith("ignore-")]
    po.save()
    with pytest.raises(polybrief.QualityGateError, match="numbers"):
        _publish(brief, out)


def test_check_settings_are_part_of_the_key(tmp_path, brief):
    out = tmp_path / "out"
    _break_a_number(brief)
    _publish(brief, out, checks=polybrief.CheckSettings(disabled=NUMBERS))  # passes: checks off
    _edit_ui(brief)
    with pytest.raises(polybrief.QualityGateError, match="numbers"):
        _publish(brief, out)
    report = _publish(brief, out, checks=polybrief.CheckSettings(severities=tuple((n, "warning") for n in NUMBERS)))
    assert "numbers" in {f.check for f in report.qa.warnings(TAG)} and not report.qa.errors()


def test_new_checks_are_a_new_key(tmp_path, brief, monkeypatch):
    """Findings made by other checks (here: an older version that saw nothing) are not reused."""
    from polybrief.qa import gate

    out = tmp_path / "out"
    _break_a_number(brief)
    monkeypatch.setattr(check_key, "checks_version", lambda: "a" * 64)
    with pytest.MonkeyPatch.context() as blind:
        blind.setattr(gate, "check_localised", lambda item, **kwargs: [])
        _publish(brief, out)
    _edit_ui(brief)
    _publish(brief, out)  # same checks version: the cache is trusted (and says "nothing found")
    monkeypatch.setattr(check_key, "checks_version", lambda: "b" * 64)
    _edit_ui(brief, "Авторы: {authors}")
    with pytest.raises(polybrief.QualityGateError, match="numbers"):
        _publish(brief, out)


def test_checks_version_covers_the_code_and_the_libraries_of_the_checks():
    version = check_key.checks_version()
    assert version is not None and re.fullmatch(r"[0-9a-f]{64}", version)
    third_party = set()
    for folder in ("qa", "text"):
        for path in (REPO / "src" / "polybrief" / folder).glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    third_party.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                    third_party.add(node.module.split(".")[0])
    from importlib.metadata import packages_distributions

    import sys

    distributions = packages_distributions()
    needed = {dist.lower() for name in third_party - set(sys.stdlib_module_names) - {"polybrief"}
              for dist in distributions.get(name, [name])}
    assert needed <= {d.lower() for d in check_key.CHECK_DISTRIBUTIONS}, needed


def _tamper(out: Path, change) -> None:
    path = out / ".polybrief" / "checks.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_an_edited_entry_cannot_hide_an_error(tmp_path, brief, caplog):
    out = tmp_path / "out"
    allow = polybrief.TranslationPolicy(allow_qa_errors=True)
    path = _break_a_number(brief)
    assert ("numbers", path, "reviewed") in _errors(_publish(brief, out, policy=allow))
    entry = f"{EXAMPLE_ID}/{TAG}"

    def drop_findings(data):
        assert data["pages"][entry][2], "the error is in the cache"
        data["pages"][entry][2] = []

    _tamper(out, drop_findings)
    _edit_ui(brief)
    with caplog.at_level(logging.WARNING):
        report = _publish(brief, out, policy=allow)
    assert ("numbers", path, "reviewed") in _errors(report)
    assert "not written by this user's polybrief" in caplog.text
    rewritten = json.loads((out / ".polybrief" / "checks.json").read_text(encoding="utf-8"))
    assert rewritten["pages"][entry][2], "the edited entry is replaced by the page's own findings"

    def forge(data):  # a valid-looking entry made with another secret
        import hashlib
        import hmac

        key = data["pages"][entry][0]
        data["pages"][entry][1] = hmac.new(b"guess", json.dumps([key, []], separators=(",", ":")).encode(),
                                           hashlib.sha256).hexdigest()
        data["pages"][entry][2] = []

    _tamper(out, forge)
    _edit_ui(brief, "Авторы: {authors}")
    assert ("numbers", path, "reviewed") in _errors(_publish(brief, out, policy=allow))


@pytest.mark.parametrize("damage", ["garbage", "shape", "link", "folder"])
def test_a_damaged_cache_file_is_ignored_with_a_warning(tmp_path, brief, caplog, damage, monkeypatch):
    out = tmp_path / "out"
    _publish(brief, out)
    path = out / ".polybrief" / "checks.json"
    path.unlink()
    if damage == "garbage":
        path.write_bytes(b"\x00{not json")
    elif damage == "shape":
        path.write_text(json.dumps({"polybrief-checks": 1, "pages": {"../x/ru": ["0" * 64, "0" * 64, []]}}))
    elif damage == "link":
        path.symlink_to(tmp_path / "elsewhere.json")
    else:
        path.mkdir()
    calls = _count_checks(monkeypatch)
    _edit_ui(brief)
    with caplog.at_level(logging.WARNING):
        _publish(brief, out)
    assert calls == [TAG]
    assert "ignoring the check cache" in caplog.text


def test_no_usable_secret_means_no_cache(tmp_path, brief, monkeypatch, caplog):
    secret = tmp_path / "xdg-cache" / "polybrief" / check_cache.SECRET_NAME
    out = tmp_path / "out"
    _publish(brief, out)
    secret.chmod(0o644)  # others could read it, so forge entries with it
    calls = _count_checks(monkeypatch)
    _edit_ui(brief)
    with caplog.at_level(logging.WARNING):
        _publish(brief, out)
    assert calls == [TAG] and "the check cache is off" in caplog.text


def test_force_checks_every_page_again(tmp_path, brief, monkeypatch):
    out = tmp_path / "out"
    _publish(brief, out)
    calls = _count_checks(monkeypatch)
    polybrief.publish([brief], locales=["hy", TAG], out_dir=out, force=True)
    assert sorted(calls) == ["hy", TAG]


def test_workers_use_the_cache_and_write_the_same_pages(tmp_path, brief):
    out, cold = tmp_path / "out", tmp_path / "cold"
    _publish(brief, out)
    _edit_ui(brief)
    report = polybrief.publish([brief], locales=["hy", TAG], out_dir=out, jobs=2)
    assert {f.locale for f in report.files} == {TAG}
    _publish(brief, cold)
    assert _files(out) == _files(cold)
