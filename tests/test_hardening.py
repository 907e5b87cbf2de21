"""Issue 15, hardening II: the failures of the red-team run that the bad-input corpus
(``test_bad_inputs.py``) cannot express as one file and one error.

Each test here failed on the code before the fix: the CLI boundary (exit 70 for
a bug, one line, traceback only with ``-v``), Plural-Forms kept as written and
checked at run time, long words, UI strings as data, templates in the sandbox,
site writes that replace every page or none, translator work that ``translate``
used to bury under "no model" notes, model downloads bounded in time, links an
http index may not give, staging folders left by killed installs, and the
limits as settings.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import polybrief
from conftest import field_key
from polybrief import Project, Session, get_locale, load, publish
from polybrief import load_brief_catalog, update_catalog
from polybrief.catalogs.po import po_bytes, read_po_file
from polybrief.catalogs.repository import po_path
from polybrief.cli import main
from polybrief import CatalogError, ModelPackageError, NetworkError, OutputError, TemplateError, TranslationEngineError, UsageError
from polybrief import Limits
from polybrief.plurals import plural_forms_problem
from polybrief.rendering import wrap_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "nagorno-karabakh.yaml"
HY_CATALOG = ROOT / "examples" / "locales" / "hy" / "LC_MESSAGES" / "nagorno-karabakh.po"
RU_CATALOG = ROOT / "examples" / "locales" / "ru" / "LC_MESSAGES" / "nagorno-karabakh.po"


def _copy_example(tmp: Path) -> Path:
    shutil.copy(EXAMPLE, tmp / EXAMPLE.name)
    shutil.copytree(EXAMPLE.parent / "locales", tmp / "locales")
    return tmp / EXAMPLE.name


def _with_new_item(tmp: Path) -> polybrief.Brief:
    """A copy of the example (with its catalogs) whose first section gained an untranslated item."""
    import yaml

    path = _copy_example(tmp)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sections"][0]["items"].append({"label": "Humanitarian Access", "text": "Aid convoys were stopped."})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load(path)


# -- one boundary ------------------------------------------------------------------------------------------


def test_internal_error_is_one_line_exit_70_and_traceback_only_with_v(monkeypatch, capfd):
    def broken(*args, **kwargs):
        raise KeyError("internal state")

    monkeypatch.setattr("polybrief.catalogs.brief.catalog_stats", broken)
    code = main(["stats", str(EXAMPLE), "--locales", "hy"])
    out, err = capfd.readouterr()
    assert code == 70, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("polybrief: internal error: KeyError") and "please report" in err

    code = main(["-v", "stats", str(EXAMPLE), "--locales", "hy"])
    out, err = capfd.readouterr()
    assert code == 70 and "Traceback" in err and "please report" in err.splitlines()[-1]


def test_messages_with_newlines_stay_on_one_line(monkeypatch, capfd):
    def broken(*args, **kwargs):
        raise CatalogError("first line\nsecond line", file="x.po")

    monkeypatch.setattr("polybrief.catalogs.brief.catalog_stats", broken)
    assert main(["stats", str(EXAMPLE), "--locales", "hy"]) == 2
    assert capfd.readouterr().err == "polybrief: error: x.po: first line second line\n"


def test_a_bad_limit_setting_is_a_usage_error_for_every_command(capfd):
    assert main(["--limit", "brief_bytes=12MiB", "schema"]) == 0
    capfd.readouterr()
    code = main(["--limit", "no_such_limit=3", "schema"])
    out, err = capfd.readouterr()
    assert code == 2 and err.count("\n") == 1 and "unknown limit" in err


# -- limits are settings -------------------------------------------------------------------------------------


def test_limits_parse_sizes_and_refuse_nonsense():
    limits = Limits().with_settings(["brief_bytes=64MiB", "download_seconds=1.5", "figure_max=1e20"])
    assert limits.brief_bytes == 64 * 1024**2 and limits.download_seconds == 1.5
    assert limits.figure_max == 10**20
    for bad in ("brief_bytes=lots", "brief_bytes", "nesting_depth=0", "colour=3"):
        with pytest.raises(UsageError):
            Limits().with_settings([bad])
    assert Project().limits == Limits()


def test_a_raised_limit_lets_a_large_figure_through(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "  value: 2\n" in text
    path = tmp_path / "big.yaml"
    path.write_text(text.replace("  value: 2\n", "  value: 50000000000000000\n", 1), encoding="utf-8")
    with pytest.raises(polybrief.BriefError, match="larger than"):
        load(path)
    brief = load(path, limits=Limits(figure_max=10**18))
    assert brief.figures[0].value == 50000000000000000


def test_briefs_built_in_python_are_held_to_the_limits(make_brief):
    brief = make_brief(figures=[{"label": "Displaced", "value": 10**30}])
    with pytest.raises(polybrief.BriefError, match=r"figures\[0\]\.value"):
        Session().open_brief(brief)


# -- YAML: the C loader, still strict --------------------------------------------------------------------------


def test_briefs_are_parsed_with_libyaml_and_keep_the_duplicate_key_check():
    import yaml

    from polybrief.brief_io import _loader_class

    if getattr(yaml, "__with_libyaml__", False):
        assert issubclass(_loader_class(), yaml.CSafeLoader)
    text = EXAMPLE.read_text(encoding="utf-8")
    with pytest.raises(polybrief.BriefError, match="duplicate key 'headline'"):
        polybrief.read_brief(text + "headline: again\n", filename="dup.yaml")
    # Decimal figures are read as written, not rounded through a float.
    decimal = text.replace("  value: 2\n", "  kind: decimal\n  value: 12345678901234.56789\n", 1)
    brief = polybrief.read_brief(decimal.replace("  qualifier: at-least\n", "", 1))
    assert str(brief.figures[0].value) == "12345678901234.56789"


# -- Plural-Forms -------------------------------------------------------------------------------------------------


def test_babel_plural_forms_pass_for_every_language_it_knows():
    from babel import Locale, localedata
    from babel.messages.catalog import Catalog

    languages = sorted({Locale.parse(i).language for i in localedata.locale_identifiers()})
    assert len(languages) > 300
    for language in languages:
        reference = Catalog(locale=language)
        assert plural_forms_problem(reference.num_plurals, reference.plural_expr, Locale.parse(language)) is None, \
            language


def test_update_keeps_a_valid_plural_header_as_written(tmp_path):
    """An equivalent Russian expression written another way is kept: update never rewrites it silently."""
    path = _copy_example(tmp_path)
    po = po_path(tmp_path / "locales", get_locale("ru"), "nagorno-karabakh")
    text = po.read_text(encoding="utf-8")
    header = re.search(r'"Plural-Forms: [^\n]*\n', text)
    assert header is not None
    mine = ('"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
            '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n')
    po.write_text(text.replace(header.group(0), mine), encoding="utf-8")
    assert main(["update", str(path), "--locales", "ru"]) == 0
    assert "plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);" in \
        po.read_text(encoding="utf-8").replace('"\n"', "")


def test_a_plural_index_out_of_range_above_1000_is_an_error_not_the_last_form(tmp_path):
    path = _copy_example(tmp_path)
    po = po_path(tmp_path / "locales", get_locale("hy"), "nagorno-karabakh")
    text = po.read_text(encoding="utf-8")
    assert "plural=(n > 1);" in text
    # Right for every n up to 1000, then form 2 of 2: checked around every power of ten since issue 25.
    po.write_text(text.replace("plural=(n > 1);", "plural=(n > 1) + (n > 5000);"), encoding="utf-8")
    brief = load(path)
    with pytest.raises(CatalogError, match=r"form 2 for n=9999, outside 0\.\.1"):
        load_brief_catalog(brief, get_locale("hy"), tmp_path / "locales")
    # A count no sample reaches is still caught when it is used, never shown with the last form.
    po.write_text(text.replace("plural=(n > 1);", "plural=(n > 1) + (n == 123457);"), encoding="utf-8")
    catalog = load_brief_catalog(brief, get_locale("hy"), tmp_path / "locales")
    assert catalog is not None and catalog.plural_index(7) == 1
    with pytest.raises(CatalogError, match=r"form 2 for n=123457, outside 0\.\.1"):
        catalog.plural_index(123457)
    # ...and when the brief's own figure is that count, the catalog is refused on load.
    figure = brief.figures[0].model_copy(update={"value": 123457})
    bigger = brief.model_copy(update={"figures": [figure, *brief.figures[1:]]})
    with pytest.raises(CatalogError, match="form 2 for n=123457"):
        load_brief_catalog(bigger, get_locale("hy"), tmp_path / "locales")
    with pytest.raises(CatalogError, match="Plural-Forms"):
        publish([bigger], locales=["hy"], out_dir=tmp_path / "out", project=Project(catalogs_dir=tmp_path / "locales"))
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.html"))


# -- duplicates are never silently dropped -------------------------------------------------------------------------


def test_update_refuses_a_duplicate_entry_and_loses_nothing(tmp_path):
    path = _copy_example(tmp_path)
    po = po_path(tmp_path / "locales", get_locale("hy"), "nagorno-karabakh")
    text = po.read_text(encoding="utf-8")
    first = re.search(r'\nmsgctxt "headline"\nmsgid (".*")\nmsgstr ".*"\n', text)
    assert first is not None
    duplicate = f'\nmsgctxt "headline"\nmsgid {first.group(1)}\nmsgstr "A translator\'s second version"\n'
    po.write_text(text + duplicate, encoding="utf-8")
    before = po.read_bytes()
    with pytest.raises(CatalogError) as info:
        update_catalog(load(path), get_locale("hy"), tmp_path / "locales")
    lines = before.decode("utf-8").split("\n")
    msgids = [n for n, line in enumerate(lines, start=1) if line == f"msgid {first.group(1)}"
              and lines[n - 2] == 'msgctxt "headline"']
    assert len(msgids) == 2 and f"lines {msgids[0]} and {msgids[1]}" in str(info.value)
    assert po.read_bytes() == before


# -- long words ---------------------------------------------------------------------------------------------------


def test_a_catalog_with_a_very_long_word_is_written_unwrapped_and_reads_back(tmp_path):
    from babel.messages.catalog import Catalog

    word = "x" * 5000
    catalog = Catalog(locale="hy")
    catalog.add(word, "y" * 5000, context="headline")
    catalog.add("short " * 40, "կարճ " * 40, context="lead[0]")
    data = po_bytes(catalog)
    # Written without wrapping (Babel's wrapper is quadratic in the long word): every string on one line.
    assert f'msgid "{word}"' in data.decode("utf-8")
    assert 'msgid "' + "short " * 40 + '"' in data.decode("utf-8")
    wrapped = Catalog(locale="hy")
    wrapped.add("short " * 40, "կարճ " * 40, context="lead[0]")
    assert 'msgid "' + "short " * 40 + '"' not in po_bytes(wrapped).decode("utf-8")  # ordinary catalogs wrap
    (tmp_path / "c.po").write_bytes(data)
    back = read_po_file(tmp_path / "c.po")
    assert back.get(word, context="headline").string == "y" * 5000
    assert back.get("short " * 40, context="lead[0]").string == "կարճ " * 40


@pytest.mark.parametrize("text", ["y" * 3000, "日本" * 1500, "a " + "ж" * 2500 + " b"])
def test_wrap_text_cuts_very_long_words_into_lines(text):
    from wcwidth import wcswidth

    wrapped = wrap_text(text, 72, "  ")
    lines = wrapped.split("\n")
    assert all(wcswidth(line) <= 72 for line in lines)
    assert re.sub(r"\s", "", wrapped) == re.sub(r"\s", "", text)


# -- UI strings are data; templates may be sandboxed ----------------------------------------------------------------


def _hostile_ui_catalog(folder: Path) -> None:
    path = folder / "hy" / "LC_MESSAGES" / "polybrief.po"
    path.parent.mkdir(parents=True)
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: hy\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n'
        '"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Key figures"\nmsgstr "<script>alert(1)</script> \u202eերկու"\n\n'
        'msgid "Published: {datetime}"\nmsgstr "<b>Հրապարակվել է</b>՝ {datetime}"\n',
        encoding="utf-8")


def test_ui_catalog_strings_are_escaped_and_neutralised(tmp_path):
    data = tmp_path / "locale-data"
    _hostile_ui_catalog(data)
    out = tmp_path / "out"
    publish([EXAMPLE], locales=["hy"], out_dir=out, project=Project(locale_dirs=(data,)))
    html = (out / "hy" / "nagorno-karabakh.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Հրապարակվել է</b>" not in html and "&lt;b&gt;Հրապարակվել է&lt;/b&gt;" in html
    assert "\u202e" not in html and "&lt;U+202E&gt;երկու" in html
    text = (out / "hy" / "nagorno-karabakh.txt").read_text(encoding="utf-8")
    assert "<script>alert(1)</script> <U+202E>երկու" in text and "\u202e" not in text


def test_sandboxed_templates_cannot_reach_python(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "brief.txt.j2").write_text("{{ cycler.__init__.__globals__.os.getcwd() }}\n", encoding="utf-8")
    brief = load(EXAMPLE)
    trusted = Project(template_dirs=(templates,))
    assert polybrief.render(brief, "en", format="text", project=trusted).strip() == os.getcwd()
    sandboxed = Project(template_dirs=(templates,), sandboxed_templates=True)
    with pytest.raises(TemplateError, match="unsafe"):
        polybrief.render(brief, "en", format="text", project=sandboxed)
    # polybrief's own templates render in the sandbox.
    plain = Project(sandboxed_templates=True)
    assert "Nagorno-Karabakh" in polybrief.render(brief, "hy", format="html", project=plain)


# -- the site: every page or none ------------------------------------------------------------------------------------


def test_a_failure_while_staging_replaces_no_page(tmp_path, monkeypatch):
    from polybrief import fs

    out = tmp_path / "out"
    publish([EXAMPLE], locales=["hy", "ru"], out_dir=out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert len(before) == 13  # 3 languages × 2 formats, the index, the manifest and check cache, 3 language
    # indexes, the 404 page
    calls = {"n": 0}
    real = fs.stage_bytes

    def failing(path, data, **options):  # the disk fills up at the fourth page
        calls["n"] += 1
        if calls["n"] == 4:
            raise OutputError("cannot write file: No space left on device", file=path)
        return real(path, data, **options)

    monkeypatch.setattr(fs, "stage_bytes", failing)
    # the brief edited beside its catalogs (in memory it would have none: hy and ru would not be published)
    edited = tmp_path / "edited"
    shutil.copytree(EXAMPLE.parent / "locales", edited / "locales")
    text = EXAMPLE.read_text(encoding="utf-8")
    (edited / EXAMPLE.name).write_text(text.replace("\nheadline: ", "\nheadline: A different headline. ", 1),
                                       encoding="utf-8")
    with pytest.raises(OutputError, match="No space left"):
        publish([edited / EXAMPLE.name], locales=["hy", "ru"], out_dir=out)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # no page replaced, no temp file left


# -- translator work: "no model" is not a rejection --------------------------------------------------------------------


def test_translate_without_a_model_records_nothing_and_says_which_pairs(tmp_path, capsys):
    from polybrief.mt import TaggingEngine
    from polybrief import translate_catalogs

    brief = _with_new_item(tmp_path)
    root = tmp_path / "locales"
    ru = get_locale("ru")
    none = TaggingEngine(pairs=[("en", "az")])
    counts = translate_catalogs(brief, [ru], none, project=Project(catalogs_dir=root), progress=False)
    assert counts == {"ru": 0} and counts.missing_pairs == (("en", "ru"),)
    po = po_path(root, ru, brief.id).read_text(encoding="utf-8")
    assert "machine translation rejected" not in po
    # Installing a model is enough: no --retry-rejected needed.
    from mt_doubles import russian_tagger  # Cyrillic output: passes the checks translate applies

    counts = translate_catalogs(brief, [ru], russian_tagger(), project=Project(catalogs_dir=root), progress=False)
    assert counts == {"ru": 2} and counts.missing_pairs == ()


def test_old_no_model_notes_do_not_block_translation(tmp_path):
    """Catalogs written by the old code carry a "no model" rejection note in every entry: ignored."""
    from polybrief import translate_catalogs

    brief = _with_new_item(tmp_path)
    root = tmp_path / "locales"
    ru = get_locale("ru")
    update_catalog(brief, ru, root)
    po = po_path(root, ru, brief.id)
    import polib

    note = "machine translation rejected: engine argos, model ?: no machine translation model for en→ru"
    catalog = polib.pofile(str(po))  # as the old code left it: the note on an untranslated entry
    (entry,) = [e for e in catalog if e.msgctxt == field_key(brief, "sections[0].items[10].text")]
    entry.tcomment = note
    catalog.save()
    from mt_doubles import russian_tagger  # Cyrillic output: passes the checks translate applies

    counts = translate_catalogs(brief, [ru], russian_tagger(), project=Project(catalogs_dir=root), progress=False)
    assert counts == {"ru": 2}
    assert "no machine translation model" not in po.read_text(encoding="utf-8")


def test_translate_cli_names_the_pairs_without_a_model(tmp_path, capsys, mt_home):
    path = _copy_example(tmp_path)
    code = main(["translate", str(path), "--locales", "hy", "--packages-dir", str(mt_home)])
    out = capsys.readouterr().out
    assert code == 0
    assert "no model for en→hy: nothing sent, nothing recorded" in out
    assert "machine translation rejected" not in po_path(tmp_path / "locales", get_locale("hy"),
                                                         "nagorno-karabakh").read_text(encoding="utf-8")


def test_publish_reads_a_symlinked_catalog(tmp_path):
    root = tmp_path / "catalogs"
    link = root / "hy" / "LC_MESSAGES" / "nagorno-karabakh.po"
    link.parent.mkdir(parents=True)
    link.symlink_to(HY_CATALOG)
    report = publish([EXAMPLE], locales=["hy"], out_dir=tmp_path / "out", project=Project(catalogs_dir=root))
    assert report.provenance("nagorno-karabakh", "hy")["reviewed"] > 0


# -- models: downloads, trust, staging ---------------------------------------------------------------------------------


class _Trickle(http.server.BaseHTTPRequestHandler):
    """Promises a large file, then sends one byte every 50 ms for at most 5 s."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Length", str(10**6))
        self.end_headers()
        deadline = time.monotonic() + 5
        try:
            while time.monotonic() < deadline:
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def trickle_url():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(("limits", "words"), [
    (Limits(download_seconds=1.0), "took longer than 1 s"),
    (Limits(download_grace=0.5, download_min_rate=1000), "slower than the 1000 allowed"),
])
def test_a_trickling_download_is_stopped(limits, words, trickle_url, tmp_path):
    from polybrief.mt.index import _download

    with open(tmp_path / "partial", "wb") as out, pytest.raises(NetworkError, match=words):
        # The per-read timeout (10 s) never fires: a byte arrives every 50 ms.
        _download(trickle_url + "pkg.argosmodel", out, timeout=10, max_bytes=10**9, limits=limits)


def _index_entry(links: list[str]) -> dict:
    return {"package_version": "1.0", "from_code": "en", "to_code": "az", "links": links, "type": "translate"}


def test_an_http_index_may_not_link_to_local_files(mt_home, model_factory, serve_folder):
    archive = model_factory.argosmodel("en", "az")
    index = [_index_entry([archive.as_uri(), "file:///dev/zero"])]
    (serve_folder.folder / "index.json").write_text(json.dumps(index), encoding="utf-8")
    from polybrief.mt import install_from_index

    with pytest.raises(TranslationEngineError, match="an http\\(s\\) index may only link to http\\(s\\)"):
        install_from_index("en", "az", index_url=serve_folder.url + "index.json", timeout=5)
    assert not mt_home.exists() or not [p for p in mt_home.iterdir() if not p.name.endswith(".lock")]


def test_a_local_index_may_link_to_local_files(mt_home, model_factory, tmp_path):
    archive = model_factory.argosmodel("en", "az")
    index = tmp_path / "index.json"
    index.write_text(json.dumps([_index_entry([archive.as_uri()])]), encoding="utf-8")
    from polybrief.mt import install_from_index

    assert install_from_index("en", "az", index_url=index.as_uri()).pair == ("en", "az")


def test_an_index_package_for_another_pair_is_refused(mt_home, model_factory, serve_folder):
    shutil.copyfile(model_factory.argosmodel("en", "ru"), serve_folder.folder / "package.argosmodel")
    (serve_folder.folder / "index.json").write_text(json.dumps([_index_entry(["package.argosmodel"])]))
    from polybrief.mt import install_from_index

    with pytest.raises(ModelPackageError, match="the package is for en→ru, not the en→az"):
        install_from_index("en", "az", index_url=serve_folder.url + "index.json", timeout=5)
    assert [p.name for p in mt_home.iterdir() if not p.name.endswith(".lock")] == []


def test_index_values_are_bounded(tmp_path):
    from polybrief.mt.index import read_index

    huge = json.dumps([_index_entry(["a"])]).replace('"1.0"', "9" * 5000).encode()
    with pytest.raises(ModelPackageError, match="5000 digits"):
        read_index(huge, url="https://example.org/index.json")
    deep = b"[" * 10000 + b"]" * 10000
    with pytest.raises(ModelPackageError, match="nested more than 64"):
        read_index(deep, url="https://example.org/index.json")


def test_the_next_install_removes_what_killed_installs_left(mt_home, model_factory):
    from polybrief.mt import install_package

    mt_home.mkdir(parents=True)
    stale = [mt_home / ".polybrief-install-k1ll3d", mt_home / ".polybrief-old-k1ll3d"]
    for folder in stale:
        (folder / "model").mkdir(parents=True)
        (folder / "model" / "model.bin").write_bytes(b"\0" * 4096)
    old_download = mt_home / ".polybrief-download-abc.argosmodel"
    old_download.write_bytes(b"partial")
    os.utime(old_download, (time.time() - 3 * 3600, time.time() - 3 * 3600))
    live_download = mt_home / ".polybrief-download-def.argosmodel"  # another process may be writing it
    live_download.write_bytes(b"partial")
    model = install_package(model_factory.argosmodel("en", "az"))
    left = sorted(p.name for p in mt_home.iterdir() if not p.name.endswith(".lock"))
    assert left == sorted([model.path.name, live_download.name])


def test_install_lock_symlink_is_a_clean_error(mt_home, model_factory, tmp_path, capfd):
    mt_home.mkdir(parents=True)
    (mt_home / ".polybrief-install.lock").symlink_to(tmp_path / "elsewhere")
    code = main(["models", "install", str(model_factory.argosmodel("en", "az")), "--packages-dir", str(mt_home)])
    err = capfd.readouterr().err
    assert code == 2 and "lock file .polybrief-install.lock is a symbolic link" in err and err.count("\n") == 1
    assert not (tmp_path / "elsewhere").exists()


def test_folder_flags_must_agree_with_its_metadata(mt_home, model_factory, tmp_path):
    from polybrief.mt import install_folder

    folder = tmp_path / "model"
    shutil.copytree(model_factory.opus_folder("en", "hy"), folder)
    (folder / "metadata.json").write_text(json.dumps({"from_code": "en", "to_code": "ru"}), encoding="utf-8")
    with pytest.raises(ModelPackageError, match="--to hy disagrees with the folder's metadata"):
        install_folder(folder, from_code="en", to_code="hy")
    (folder / "metadata.json").write_text('{"from_code": "en", "x": ' + "[" * 100 + "]" * 100 + "}")
    with pytest.raises(ModelPackageError, match="nested more than 64"):
        install_folder(folder, from_code="en", to_code="hy")
    (folder / "metadata.json").unlink()
    (folder / "config.json").write_text('{"add_source_eos": ' + "[" * 5000 + "]" * 5000 + "}")
    with pytest.raises(ModelPackageError, match=r"config\.json:1: .*nested more than 64"):
        install_folder(folder, from_code="en", to_code="hy")
    installed = [p.name for p in mt_home.iterdir() if not p.name.endswith(".lock")] if mt_home.exists() else []
    assert installed == []


def test_the_real_command_line_stays_one_line_for_every_new_kind(tmp_path):
    """A FIFO brief through a real process: exit 2 at once, one line (it used to block forever)."""
    fifo = tmp_path / "brief.yaml"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, "-m", "polybrief", "publish", str(fifo), "--locales", "hy", "--out",
                             str(tmp_path / "out")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "is a FIFO" in result.stderr
