"""Configurable checks (issue 19): ``ignore-<check>`` flags per catalog entry, project settings, plugins.

One reviewed false alarm must never force ``--allow-qa-errors`` for a whole run: the reviewer flags
that entry, ``check`` counts it as silenced, and ``publish`` goes ahead.  Real PO files (written with
polib, as a translator's editor would), the real CLI, a real entry point in a real distribution's
metadata.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import polib
import pytest
from conftest import example_key

from polybrief import CheckSettings, Project, get_locale
from polybrief.cli import main
from polybrief.qa import check_segment

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "nagorno-karabakh.yaml"
CATALOGS = ROOT / "examples" / "locales"


def _catalogs(tmp_path: Path, *, flag: str | None) -> Path:
    """The shipped catalogs with one ru entry's figure changed (12 000 for 120,000), flagged or not."""
    root = tmp_path / "locales"
    shutil.copytree(CATALOGS, root)
    po = root / "ru" / "LC_MESSAGES" / "nagorno-karabakh.po"
    catalog = polib.pofile(str(po))
    (entry,) = [e for e in catalog if e.msgctxt == example_key("quotes[0].text")]
    assert "120" in entry.msgstr
    entry.msgstr = entry.msgstr.replace("120 000", "12 000").replace("120\u00a0000", "12\u00a0000")
    if flag:
        entry.flags.append(flag)
    catalog.save()
    return root


def test_a_flagged_entry_is_silenced_and_counted(tmp_path, capsys):
    root = _catalogs(tmp_path, flag=None)
    assert main(["check", str(EXAMPLE), "--locales", "ru", "--catalogs", str(root)]) == 1
    assert "numbers" in capsys.readouterr().out
    root = _catalogs(tmp_path / "flagged", flag="ignore-numbers")
    assert main(["check", str(EXAMPLE), "--locales", "ru", "--catalogs", str(root)]) == 0
    out = capsys.readouterr().out
    assert "silenced by ignore-* flags" in out and "numbers" not in out.replace("ignore-", "")
    assert main(["check", str(EXAMPLE), "--locales", "ru", "--catalogs", str(root), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["locales"]["ru"]["silenced"] >= 1 and data["locales"]["ru"]["errors"] == 0


def test_one_reviewed_false_alarm_does_not_need_allow_qa_errors(tmp_path, capsys):
    out = tmp_path / "site"
    root = _catalogs(tmp_path, flag=None)
    assert main(["publish", str(EXAMPLE), "--locales", "ru", "--catalogs", str(root), "--out", str(out)]) == 2
    assert "ignore-numbers" in capsys.readouterr().err  # the hint names the flag that would silence it
    root = _catalogs(tmp_path / "flagged", flag="ignore-numbers")
    assert main(["publish", str(EXAMPLE), "--locales", "ru", "--catalogs", str(root), "--out", str(out)]) == 0
    assert (out / "ru").is_dir() or any(out.rglob("*.ru.html")) or any(out.rglob("*ru*"))


def test_a_flag_for_another_check_silences_nothing(tmp_path, capsys):
    root = _catalogs(tmp_path, flag="ignore-length")
    assert main(["check", str(EXAMPLE), "--locales", "ru", "--catalogs", str(root)]) == 1


def test_project_settings_disable_and_override_checks(tmp_path, capsys):
    root = _catalogs(tmp_path, flag=None)
    base = ["check", str(EXAMPLE), "--locales", "ru", "--catalogs", str(root)]
    assert main([*base, "--disable-check", "numbers", "--disable-check", "numbers-added"]) == 0
    capsys.readouterr()
    assert main([*base, "--check-severity", "numbers=warning", "--check-severity", "numbers-added=warning"]) == 0
    assert "warning  numbers" in capsys.readouterr().out
    assert main([*base, "--disable-check", "numbrs"]) == 2
    err = capsys.readouterr().err
    assert "unknown quality check 'numbrs'" in err and "numbers" in err and err.count("\n") == 1
    assert main([*base, "--check-severity", "numbers=fatal"]) == 2


def test_check_settings_in_the_api():
    en, ru = get_locale("en"), get_locale("ru")
    args = ("11 wounded", "раненые")
    assert [f.check for f in check_segment(*args, path="p", source_locale=en, target_locale=ru)] == ["numbers"]
    quiet = CheckSettings(disabled=frozenset({"numbers"}))
    assert check_segment(*args, path="p", source_locale=en, target_locale=ru, settings=quiet) == []
    soft = CheckSettings(severities=(("numbers", "warning"),))
    [finding] = check_segment(*args, path="p", source_locale=en, target_locale=ru, settings=soft)
    assert not finding.is_error
    assert check_segment(*args, path="p", source_locale=en, target_locale=ru, ignore=["numbers"]) == []
    assert Project(checks=quiet).checks is quiet


def test_checks_from_another_package_are_loaded_through_the_entry_point(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "newsroom_checks.py").write_text(textwrap.dedent('''
        from polybrief.qa import Severity, check

        @check("house-style", Severity.ERROR, "The newsroom writes Kyiv, not Kiev.")
        def house_style(pair):
            if "Kiev" in pair.target:
                pair.add("house-style", "write Kyiv")
    '''), encoding="utf-8")
    info = site / "newsroom_checks-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: newsroom-checks\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[polybrief.checks]\nhouse-style = newsroom_checks\n", encoding="utf-8")
    code = textwrap.dedent('''
        import sys
        from polybrief import get_locale
        from polybrief.qa import check_segment
        found = check_segment("Talks in Kyiv", "Talks in Kiev resumed", path="p",
                              source_locale=get_locale("en"), target_locale=get_locale("en-GB"))
        print(",".join(f.check for f in found))
    ''')
    env_path = f"{site}{__import__('os').pathsep}{ROOT / 'src'}"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "PYTHONPATH": env_path}).stdout
    assert out.strip() == "house-style"


def test_a_plugin_that_fails_to_load_is_named_not_skipped(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "broken_checks.py").write_text("import not_a_module_anywhere\n", encoding="utf-8")
    info = site / "broken_checks-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-checks\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[polybrief.checks]\nbroken = broken_checks\n", encoding="utf-8")
    env = {**__import__("os").environ, "PYTHONPATH": f"{site}{__import__('os').pathsep}{ROOT / 'src'}"}
    result = subprocess.run([sys.executable, "-m", "polybrief", "check", str(EXAMPLE), "--locales", "ru"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 2
    assert "quality-check plugin 'broken'" in result.stderr and "Traceback" not in result.stderr
