"""The command line of a newsroom: ``polybrief.toml`` and ``init``, many briefs per command, a brief whose id
changed, errors that name their brief, folded warnings, lock files kept out of the catalogs' folders, the
output of publishing hundreds of briefs, and the README's day in a newsroom, run command by command."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
import yaml

from conftest import EXAMPLE, EXAMPLE_ID, assert_one_line_error, example_key

README = Path(__file__).resolve().parent.parent / "README.md"
BASE = "https://news.example.org/briefs/"


def _brief_folder(root: Path, ids: list[str], *, catalogs: bool = True) -> list[Path]:
    """Copies of the seed brief under ``ids`` in ``root``, with their catalogs made by ``update --from``'s
    rule (the example's catalogs renamed and their header fixed), or none."""
    root.mkdir(parents=True, exist_ok=True)
    text = EXAMPLE.read_text(encoding="utf-8")
    paths = []
    for brief_id in ids:
        path = root / f"{brief_id}.yaml"
        path.write_text(text.replace(f"id: {EXAMPLE_ID}", f"id: {brief_id}", 1), encoding="utf-8")
        paths.append(path)
        if catalogs:
            for tag in ("hy", "az", "ru"):
                source = EXAMPLE.parent / "locales" / tag / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"
                target = root / "locales" / tag / "LC_MESSAGES" / f"{brief_id}.po"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(source.read_text(encoding="utf-8").replace(
                    f"Project-Id-Version: {EXAMPLE_ID}", f"Project-Id-Version: {brief_id}"), encoding="utf-8")
    return paths


# -- polybrief.toml ------------------------------------------------------------------------------------------------


def test_init_writes_a_config_that_publish_reads_and_flags_override(run_cli, tmp_path):
    result = run_cli("init", "--name", "Caucasus Briefs", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == f"wrote {Path('polybrief.toml')}"
    config = tmp_path / "polybrief.toml"
    assert "# polybrief.toml" in config.read_text(encoding="utf-8")
    assert_one_line_error(run_cli("init", cwd=tmp_path), "polybrief.toml", "already exists", "--force")
    text = config.read_text(encoding="utf-8").replace('# base_url = "https://news.example.org/briefs/"',
                                                      f'base_url = "{BASE}"')
    config.write_text(text.replace('locales = ["hy", "az", "ru"]', 'locales = ["ru"]'), encoding="utf-8")
    (brief,) = _brief_folder(tmp_path / "briefs", [EXAMPLE_ID])
    result = run_cli("publish", brief, cwd=tmp_path)  # no --locales, --out or --base-url: the file's
    assert result.returncode == 0, result.stderr
    out = tmp_path / "dist"  # [site] out, relative to the file
    assert (out / "ru" / f"{EXAMPLE_ID}.html").is_file() and not (out / "hy").exists()
    assert f'<link rel="canonical" href="{BASE}ru/{EXAMPLE_ID}.html">' in (out / "ru" / f"{EXAMPLE_ID}.html").read_text(
        encoding="utf-8")
    assert "Caucasus Briefs (русский)" in (out / "ru" / "feed.xml").read_text(encoding="utf-8")
    # A flag wins over the file.
    result = run_cli("publish", brief, "--locales", "hy", "--out", tmp_path / "other", cwd=tmp_path)
    assert result.returncode == 0 and (tmp_path / "other" / "hy" / f"{EXAMPLE_ID}.html").is_file()


@pytest.mark.parametrize(("line", "needles"), [
    ("[site]\nnmae = 'x'\n", ["polybrief.toml", "site.nmae", "unknown setting"]),
    ("[sites]\n", ["unknown table [sites]"]),
    ("[feeds]\nentries = 'many'\n", ["feeds.entries", "must be a int"]),
    ("[translation]\ndrafts = 'all'\n", ["translation.drafts", "'all' is not one of include, exclude"]),
    ("[site\n", ["polybrief.toml:1", "not valid TOML"]),
    ("[check]\ndisable = 'names'\n", ["check.disable", "must be a list"]),
    ("[check]\nseverity = 'warning'\n", ["check.severity", "must be a table"]),
    ("[check.severity]\nnumbers = 'fatal'\n", ["polybrief.toml", "check.severity.numbers",
                                                "'fatal' is not one of error, warning", 'numbers = "warning"']),
    ("[check]\ndisable = ['numbrs']\n", ["polybrief.toml", "check.disable", "unknown quality check 'numbrs'",
                                         "did you mean numbers"]),
    ("[check.severity]\nlenght = 'error'\n", ["polybrief.toml", "check.severity.lenght", "'lenght'", "length"]),
])
def test_a_bad_config_is_one_clear_error(run_cli, tmp_path, line, needles):
    (tmp_path / "polybrief.toml").write_text(line, encoding="utf-8")
    (brief,) = _brief_folder(tmp_path / "briefs", [EXAMPLE_ID], catalogs=False)
    result = run_cli("publish", brief, "--locales", "hy", "--out", tmp_path / "out", cwd=tmp_path)
    assert_one_line_error(result, *needles)
    assert not (tmp_path / "out").exists()


def _wrong_figure(root: Path) -> Path:
    """The seed brief in ``root`` with its catalogs, one ru quote's 120,000 turned into 12,000 (a finding
    under ``numbers``)."""
    (brief,) = _brief_folder(root, [EXAMPLE_ID])
    catalog = polib.pofile(str(root / "locales" / "ru" / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"))
    (entry,) = [e for e in catalog if e.msgctxt == example_key("quotes[0].text")]
    assert "120" in entry.msgstr
    entry.msgstr = entry.msgstr.replace("120 000", "12 000").replace("120\u00a0000", "12\u00a0000")
    catalog.save()
    return brief


def test_check_settings_in_the_config_and_flags_over_them(run_cli, tmp_path):
    brief = _wrong_figure(tmp_path / "briefs")
    config = tmp_path / "polybrief.toml"
    check = ("check", brief, "--locales", "ru")
    result = run_cli(*check, cwd=tmp_path)  # no file: the wrong figure is an error
    assert result.returncode == 1 and re.search(r"error +numbers ", result.stdout)
    # With numbers off, the figure 12 000 is reported as added (numbers-added): both are disabled.
    config.write_text('[check]\ndisable = ["numbers", "numbers-added"]\n', encoding="utf-8")
    result = run_cli(*check, cwd=tmp_path)
    assert result.returncode == 0 and "numbers" not in result.stdout
    # --check-severity names a check the file disables: the flag wins, the check runs again.
    result = run_cli(*check, "--check-severity", "numbers=error", cwd=tmp_path)
    assert result.returncode == 1 and re.search(r"error +numbers ", result.stdout)
    config.write_text('[check]\ndisable = ["numbers-added"]\n[check.severity]\nnumbers = "warning"\n',
                      encoding="utf-8")
    result = run_cli(*check, cwd=tmp_path)
    assert result.returncode == 0 and re.search(r"warning +numbers ", result.stdout)
    # --check-severity replaces the file's severity for that check; --disable-check adds to the file's
    # disable (numbers-added stays off: no error).
    assert run_cli(*check, "--check-severity", "numbers=error", cwd=tmp_path).returncode == 1
    result = run_cli(*check, "--disable-check", "numbers", cwd=tmp_path)
    assert result.returncode == 0 and "numbers" not in result.stdout
    # publish honours the same settings: the page is written, where without the file it is refused.
    out = tmp_path / "out"
    assert run_cli("publish", brief, "--locales", "ru", "--out", out, cwd=tmp_path).returncode == 0
    config.unlink()
    assert run_cli("publish", brief, "--locales", "ru", "--out", tmp_path / "refused", cwd=tmp_path).returncode == 2


# -- many briefs, one process ---------------------------------------------------------------------------------------


def test_update_creates_each_new_briefs_catalogs_and_writes_its_own_header(run_cli, tmp_path):
    paths = _brief_folder(tmp_path / "briefs", ["nk-001", "nk-002", "nk-003"], catalogs=False)
    result = run_cli("update", *paths, "--locales", "hy,ru", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 6 and "nk-002" in result.stdout.splitlines()[2]
    for path in paths:
        po = polib.pofile(str(tmp_path / "briefs" / "locales" / "hy" / "LC_MESSAGES" / f"{path.stem}.po"))
        assert po.metadata["Project-Id-Version"] == f"{path.stem} 1"
    assert (tmp_path / "briefs" / "locales" / "nk-003.pot").is_file()
    stats = run_cli("stats", *paths, "--locales", "hy,ru", "--json", cwd=tmp_path)
    rows = json.loads(stats.stdout)
    assert [(r["brief"], r["locale"], r["untranslated"]) for r in rows][:2] == [("nk-001", "hy", 52), ("nk-001", "ru", 52)]
    assert len(rows) == 6
    extract = run_cli("extract", *paths, cwd=tmp_path)
    assert extract.returncode == 0 and len(extract.stdout.splitlines()) == 3
    # A catalog copied from another brief is fixed at its cause: update rewrites the header.
    copied = tmp_path / "briefs" / "locales" / "ru" / "LC_MESSAGES" / "nk-001.po"
    shutil.copy(EXAMPLE.parent / "locales" / "ru" / "LC_MESSAGES" / f"{EXAMPLE_ID}.po", copied)
    run_cli("update", paths[0], "--locales", "ru", cwd=tmp_path)
    assert polib.pofile(str(copied)).metadata["Project-Id-Version"] == "nk-001 1"
    publish = run_cli("publish", paths[0], "--locales", "ru", "--out", tmp_path / "out", cwd=tmp_path)
    assert publish.returncode == 0 and "Project-Id-Version" not in publish.stderr


def test_no_lock_file_is_left_beside_the_catalogs(run_cli, tmp_path):
    paths = _brief_folder(tmp_path / "briefs", ["nk-001"], catalogs=False)
    cache = tmp_path / "cache"
    result = run_cli("update", *paths, "--locales", "hy,ru", cwd=tmp_path, env={"XDG_CACHE_HOME": str(cache)})
    assert result.returncode == 0, result.stderr
    assert [p for p in (tmp_path / "briefs").rglob("*") if p.name.endswith(".lock")] == []
    assert sorted(p.name.split("-", 1)[1] for p in (cache / "polybrief" / "locks").iterdir()) == [
        "nk-001.po.lock", "nk-001.po.lock"]


def test_a_new_id_starts_from_the_old_ids_catalogs(run_cli, tmp_path):
    folder = tmp_path / "briefs"
    shutil.copytree(EXAMPLE.parent / "locales", folder / "locales")
    brief = folder / "nk.yaml"
    brief.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "site"
    assert run_cli("publish", brief, "--locales", "hy", "--out", out, cwd=tmp_path).returncode == 0
    brief.write_text(brief.read_text(encoding="utf-8").replace(f"id: {EXAMPLE_ID}", "id: karabakh-offensive"),
                     encoding="utf-8")
    # --from names the old id ...
    result = run_cli("update", brief, "--locales", "ru", "--from", EXAMPLE_ID, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "translated 52, fuzzy 0, untranslated 0 (from nagorno-karabakh's catalog)" in result.stdout
    new = folder / "locales" / "ru" / "LC_MESSAGES" / "karabakh-offensive.po"
    assert polib.pofile(str(new)).metadata["Project-Id-Version"] == "karabakh-offensive 1"
    assert (folder / "locales" / "ru" / "LC_MESSAGES" / f"{EXAMPLE_ID}.po").is_file()  # left for you to delete
    # ... or the site's manifest remembers which id this file was published under.
    result = run_cli("update", brief, "--locales", "hy", "--out", out, cwd=tmp_path)
    assert "translated 52" in result.stdout and "(from nagorno-karabakh's catalog)" in result.stdout
    # Without either, update finds the old catalog by its content (issue 22: a changed brief id costs no
    # re-approval): the catalog beside it whose live entries have this brief's keys and texts, and says so.
    result = run_cli("update", brief, "--locales", "az", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "translated 52, fuzzy 0, untranslated 0" in result.stdout
    assert f"starting from {EXAMPLE_ID}.po (52 of 52 fields have the same key and text)" in result.stderr


def test_one_failing_brief_among_many_is_named(run_cli, tmp_path):
    paths = _brief_folder(tmp_path / "briefs", [f"nk-{n:03}" for n in range(5)])
    po = tmp_path / "briefs" / "locales" / "ru" / "LC_MESSAGES" / "nk-003.po"
    catalog = polib.pofile(str(po))
    next(e for e in catalog if e.msgctxt == "headline").msgstr = ""
    catalog.save()
    result = run_cli("publish", *paths, "--locales", "ru", "--strict", "--out", tmp_path / "out", "--jobs", "1",
                     cwd=tmp_path)
    assert_one_line_error(result, str(paths[3]), "1 segment(s) would fall back", "headline")
    assert not (tmp_path / "out").exists()


def test_a_repeated_warning_is_printed_once_with_a_count(run_cli, tmp_path):
    paths = _brief_folder(tmp_path / "briefs", [f"nk-{n:03}" for n in range(5)])
    for po in (tmp_path / "briefs" / "locales").rglob("*.po"):  # copies whose header names another brief
        po.write_text(re.sub(r"Project-Id-Version: [^\\]*", "Project-Id-Version: elsewhere 1",
                             po.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_cli("publish", *paths, "--locales", "hy,ru", "--out", tmp_path / "out", "--jobs", "1",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2, lines
    assert "Project-Id-Version names 'elsewhere'" in lines[0]
    assert lines[1].startswith("polybrief: warning: 9 more like: ") and "Project-Id-Version names" in lines[1]


def _publish_lines(run_cli, count: int, tmp_path: Path) -> tuple[list[str], str]:
    paths = _brief_folder(tmp_path / "briefs", [f"nk-{n:03}" for n in range(count)])
    result = run_cli("publish", *paths, "--locales", "hy,az,ru", "--out", tmp_path / "out", cwd=tmp_path,
                     timeout=900)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines(), result.stderr


def test_publishing_many_briefs_prints_a_line_per_locale(run_cli, tmp_path):
    lines, stderr = _publish_lines(run_cli, 12, tmp_path)
    assert stderr == ""
    assert lines == [
        "      en  12 briefs: original; pages written 12, unchanged 0; files written 24",
        *[f"      {tag}  12 briefs: reviewed 624, draft 0, source 0; pages written 12, unchanged 0; "
          "files written 24" for tag in ("hy", "az", "ru")]]
    verbose = run_cli("-v", "publish", *sorted((tmp_path / "briefs").glob("*.yaml")), "--locales", "hy",
                      "--out", tmp_path / "out", "--force", cwd=tmp_path)
    assert "      hy  nk-011  (reviewed 52)" in verbose.stdout.splitlines()


@pytest.mark.slow
def test_publishing_300_briefs_prints_a_line_per_locale_and_no_warning(run_cli, tmp_path):
    lines, stderr = _publish_lines(run_cli, 300, tmp_path)
    assert stderr == "" and len(lines) == 4
    assert lines[1].startswith("      hy  300 briefs: reviewed 15,600, draft 0, source 0; pages written 300")


def test_progress_bars_on_a_terminal(tmp_path):
    """On a terminal (a pseudo-terminal here) publish draws a bar per phase on stderr."""
    import pty

    paths = _brief_folder(tmp_path / "briefs", ["nk-001", "nk-002"])
    code = ("import sys; from polybrief.cli import main; "
            f"sys.exit(main(['publish', *{[str(p) for p in paths]!r}, '--locales', 'hy', '--out', "
            f"{str(tmp_path / 'out')!r}, '--jobs', '1']))")
    pid, fd = pty.fork()
    if pid == 0:  # the child: stdin, stdout and stderr are the terminal
        os.execvpe(sys.executable, [sys.executable, "-c", code], {**os.environ, "PYTHONIOENCODING": "utf-8"})
    output = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    text = output.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "briefs: 100%" in text and "files: 100%" in text and "2/2" in text


# -- the README's day in a newsroom --------------------------------------------------------------------------------


def _readme_day() -> list[list[str]]:
    """The commands of the README's "A day in a newsroom", grouped by step (``# 1.`` … ``# 5.``)."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## A day in a newsroom", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    steps: list[list[str]] = []
    for line in block.splitlines():
        if re.match(r"# \d\. ", line):
            steps.append([])
        elif line.startswith("polybrief "):
            steps[-1].append(line.split("  #", 1)[0].strip())
    return steps


TRANSLATIONS = {
    "Situation Update": {"hy": "Իրավիճակի թարմացում", "az": "Vəziyyətlə bağlı yenilik", "ru": "Новые сведения"},
    "Officials said more details would be released later in the day.": {
        "hy": "Պաշտոնյաները հայտնել են, որ ավելի մանրամասն տեղեկություններ կհրապարակվեն օրվա ընթացքում։",
        "az": "Rəsmilər daha ətraflı məlumatın gün ərzində açıqlanacağını bildiriblər.",
        "ru": "Официальные лица заявили, что подробности будут опубликованы позднее в течение дня."},
    "An earlier version of this update gave the wrong time for the officials' statement.": {
        "hy": "Այս թարմացման նախորդ տարբերակում պաշտոնյաների հայտարարության ժամը սխալ էր նշված։",
        "az": "Bu yeniliyin əvvəlki versiyasında rəsmilərin bəyanatının vaxtı səhv göstərilmişdi.",
        "ru": "В предыдущей версии этого сообщения было неверно указано время заявления официальных лиц."},
}


def _translate(folder: Path, tag: str, revised: str) -> None:
    """A translator reviews every new entry of ``tag`` (as Poedit would: the revision date moves)."""
    po_path = folder / "locales" / tag / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        if entry.msgid in TRANSLATIONS and not entry.obsolete:
            entry.msgstr = TRANSLATIONS[entry.msgid][tag]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalog.metadata["PO-Revision-Date"] = revised
    catalog.save()


def _edit_brief(path: Path, **changes) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key == "item":
            data["sections"][0]["items"].append(value)
        elif key == "correction":
            data["corrections"].append(value)
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _page(out: Path, tag: str) -> tuple[str, dict]:
    html = (out / tag / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8")
    (data,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    return html, json.loads(data)


def _lag(html: str) -> str | None:
    found = re.search(r'<p class="lag" role="note">(.*?)</p>', html)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else None


def test_the_readmes_day_in_a_newsroom(tmp_path):
    steps = _readme_day()
    assert len(steps) == 5 and all(steps), steps
    folder = tmp_path / "briefs"
    shutil.copytree(EXAMPLE.parent / "locales", folder / "locales")
    brief = folder / EXAMPLE.name
    shutil.copy(EXAMPLE, brief)
    out = tmp_path / "dist"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "SOURCE_DATE_EPOCH": "1695236400"}  # 2023-09-20 19:00 UTC

    def run(step: int) -> list[subprocess.CompletedProcess[str]]:
        results = []
        for command in steps[step - 1]:
            script = f'polybrief() {{ "{sys.executable}" -m polybrief "$@"; }}\n{command}\n'
            result = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                                    encoding="utf-8", timeout=300)
            assert result.returncode == 0, (command, result.stdout, result.stderr)
            assert result.stderr == "", (command, result.stderr)
            results.append(result)
            if command.startswith("polybrief init"):  # the README's "set base_url and the publisher"
                config = tmp_path / "polybrief.toml"
                config.write_text(config.read_text(encoding="utf-8")
                                  .replace('# base_url = "https://news.example.org/briefs/"', f'base_url = "{BASE}"')
                                  .replace('# publisher = "Example News"', 'publisher = "Example News"'),
                                  encoding="utf-8")
        return results

    # 1. The first publish: every translation whole, one line per locale.
    *_, first = run(1)
    assert len(first.stdout.splitlines()) == 4
    for tag in ("hy", "az", "ru"):
        html, data = _page(out, tag)
        assert _lag(html) is None and data["publisher"]["name"] == "Example News"
    assert (out / "sitemap.xml").is_file() and (out / "hy" / "feed.xml").is_file()

    # 2. An update: a new key update with its time; the brief's updated moves.
    _edit_brief(brief, updated="2023-09-20T13:00:00+05:30",
                item={"label": "Situation Update", "text": "Officials said more details would be released later "
                      "in the day.", "time": "2023-09-20T12:45:00+05:30"})
    run(2)
    html, data = _page(out, "en")
    assert data["dateModified"] == "2023-09-20T13:00:00+05:30"
    assert '<time class="stamp" datetime="2023-09-20T12:45:00+05:30">' in html
    for tag, revised in (("hy", "2023-09-20T09:30:00+04:00"), ("az", "2023-09-20T09:00:00+04:00"),
                         ("ru", "2023-09-20T08:10:00+03:00")):
        html, data = _page(out, tag)
        assert _lag(html) is not None and data["dateModified"] == revised  # unchanged: nothing new in it
    assert "Оригинал (английский) обновлён" in _lag(_page(out, "ru")[0]) and "2 фрагмента" in _lag(_page(out, "ru")[0])
    assert '<updated>2023-09-20T13:00:00+05:30</updated>' in (out / "en" / "feed.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE}hy/{EXAMPLE_ID}.html</loc>" not in (out / "sitemap.xml").read_text(encoding="utf-8")  # partial

    # 3. Partial translations: Armenian catches up, Azerbaijani and Russian not yet.
    _translate(folder, "hy", "2023-09-20 12:30+0400")
    stats, _ = run(3)
    hy_row = next(line for line in stats.stdout.splitlines() if line.split()[0] == "hy")
    assert hy_row.split()[1:4] == ["54", "0", "0"]
    html, data = _page(out, "hy")
    assert _lag(html) is None and data["dateModified"] == "2023-09-20T12:30:00+04:00"
    assert _lag(_page(out, "az")[0]) is not None and _lag(_page(out, "ru")[0]) is not None
    assert f"<loc>{BASE}hy/{EXAMPLE_ID}.html</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")

    # 4. A correction at the foot of every version, with its time.
    _edit_brief(brief, updated="2023-09-20T15:00:00+05:30", correction={
        "date": "2023-09-20T15:00:00+05:30",
        "text": "An earlier version of this update gave the wrong time for the officials' statement."})
    run(4)
    for tag in ("en", "hy", "az", "ru"):
        html, _ = _page(out, tag)
        assert html.count("<li><time datetime=") == 2  # both corrections, each with its time
        assert (tag == "en") == (_lag(html) is None)
    assert "1 passage" not in _lag(_page(out, "hy")[0])  # the Armenian text says it its own way
    assert "հատված" in _lag(_page(out, "hy")[0])

    # 5. Every translation caught up: checked, published strictly, nothing lags.
    for tag, when in (("hy", "2023-09-20 16:00+0400"), ("az", "2023-09-20 16:10+0400"), ("ru", "2023-09-20 15:30+0300")):
        _translate(folder, tag, when)
    check, publish = run(5)
    assert [line for line in check.stdout.splitlines() if "error" in line] == []
    for tag, when in (("hy", "2023-09-20T16:00:00+04:00"), ("az", "2023-09-20T16:10:00+04:00"),
                      ("ru", "2023-09-20T15:30:00+03:00")):
        html, data = _page(out, tag)
        assert _lag(html) is None and data["dateModified"] == when
        assert TRANSLATIONS["An earlier version of this update gave the wrong time for the officials' statement."][
            tag] in html
    manifest = json.loads((out / ".polybrief" / "site.json").read_text(encoding="utf-8"))  # the state folder (i25)
    # The Armenian page's day: each time its own text changed, and each source revision it followed
    # (lagging from noon until the translator caught up, and again after the correction).
    assert manifest["briefs"][EXAMPLE_ID]["pages"]["hy"]["history"] == [
        {"modified": "2023-09-20T09:30:00+04:00", "source": "2023-09-19T22:00:00+05:30"},
        {"modified": "2023-09-20T09:30:00+04:00", "source": "2023-09-20T13:00:00+05:30"},
        {"modified": "2023-09-20T12:30:00+04:00", "source": "2023-09-20T13:00:00+05:30"},
        {"modified": "2023-09-20T12:30:00+04:00", "source": "2023-09-20T15:00:00+05:30"},
        {"modified": "2023-09-20T16:00:00+04:00", "source": "2023-09-20T15:00:00+05:30"}]
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE}ru/{EXAMPLE_ID}.html</loc><lastmod>2023-09-20T15:30:00+03:00</lastmod>" in sitemap
    assert f"<loc>{BASE}ru/{EXAMPLE_ID}.html</loc>" in (out / "news-sitemap.xml").read_text(encoding="utf-8")
