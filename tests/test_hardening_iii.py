"""Issue 25, hardening III: the failures of the second red team that the bad-input corpus
(``test_bad_inputs.py``, which holds the planted manifests, lock files and base URLs) cannot
express as one file and one error.

The site folder is data, never authority (the manifest moved to ``DIR/.polybrief/``, pages
rendered again only with the command's own configuration, nothing deleted outside the folder);
the sandbox holds (no template read through a link leaving its folder); one lock per real folder;
deadlines from the first byte of every download; Plural-Forms compared with CLDR where a brief's
numbers are; and the small ones (limits, base URLs, currencies, digits, argparse, killed workers).
Each test failed on the code before the fix.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import polybrief
import polybrief.mt
from conftest import EXAMPLE_ID, assert_one_line_error
from polybrief import (
    CatalogError,
    Limits,
    NetworkError,
    OutputError,
    Project,
    TemplateError,
    TranslationEngineError,
    UsageError,
    load,
    load_brief_catalog,
    get_locale,
    publish,
    remove_from_site,
)
from polybrief.cli import main
from polybrief.plurals import LARGE_SAMPLES, plural_forms_problem
from polybrief.site import LEGACY_MANIFEST_NAME, MANIFEST_NAME, load_manifest
from polybrief.site.state import site_lock

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "nagorno-karabakh.yaml"
CATALOGS = ROOT / "examples" / "locales"
PAYLOAD = "{% if cycler.__init__ is defined %}{{ cycler.__init__.__globals__.os.system('id > F') }}{% endif %}"


def _templates(folder: Path, payload: str = "") -> Path:
    """A template folder overriding both page templates, each with ``payload`` (run where the page renders)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "brief.html.j2").write_text("<!doctype html><title>{{ brief.headline.text }}</title>" + payload
                                          + "{% for a in alternates %}<a href=\"{{ a.href }}\">{{ a.tag }}</a>"
                                            "{% endfor %}\n", encoding="utf-8")
    (folder / "brief.txt.j2").write_text("{{ brief.headline.text }}" + payload + "\n", encoding="utf-8")
    return folder


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


# -- 1. the site folder is data, never authority --------------------------------------------------------------


def test_the_manifest_is_out_of_the_web_root_and_names_no_machine_path(tmp_path, copy_example):
    out = tmp_path / "site"
    publish([copy_example], locales=["hy", "ru"], out_dir=out)
    assert (out / MANIFEST_NAME).is_file() and MANIFEST_NAME.startswith(".polybrief/")
    assert not (out / LEGACY_MANIFEST_NAME).exists()
    # What a deploy copies (the README's rsync line leaves out every hidden name) holds no manifest.
    deployed = [p for p in out.rglob("*") if not any(part.startswith(".") for part in p.relative_to(out).parts)]
    assert deployed and all(p.suffix in (".html", ".txt") or p.is_dir() for p in deployed), deployed
    document = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    absolute = [s for s in _strings(document) if s.startswith(("/", str(tmp_path)))]
    assert absolute == [], absolute


def test_an_old_manifest_in_the_web_root_is_read_and_moved(tmp_path, copy_example, run_cli):
    out = tmp_path / "site"
    publish([copy_example], locales=["hy", "ru"], out_dir=out)
    (out / MANIFEST_NAME).rename(out / LEGACY_MANIFEST_NAME)
    (out / ".polybrief" / "checks.json").unlink()  # a 0.1 site had no state folder (nor check cache)
    (out / ".polybrief").rmdir()
    listing = run_cli("site", "list", out, cwd=tmp_path)
    assert listing.returncode == 0 and EXAMPLE_ID in listing.stdout, listing.stderr
    report = publish([copy_example], locales=["hy", "ru"], out_dir=out)
    assert report.refreshed == [] and [f for f in report.files] == [] and report.unchanged == 6
    assert (out / MANIFEST_NAME).is_file() and not (out / LEGACY_MANIFEST_NAME).exists()


def test_site_remove_renders_with_the_commands_configuration_and_the_sandbox_only_tightens(
        tmp_path, copy_example, run_cli):
    """Published with ``--templates T --sandbox-templates``: ``site remove`` used to render the other pages again
    without the sandbox, and T's payload wrote ``uid=0(root)`` to F."""
    out, templates = tmp_path / "site", _templates(tmp_path / "T", PAYLOAD)
    result = run_cli("publish", copy_example, "--locales", "hy,ru", "--out", out, "--templates", templates,
                     "--sandbox-templates", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "F").exists()  # the sandbox stops it
    before = (out / "hy" / f"{EXAMPLE_ID}.html").read_bytes()
    assert_one_line_error(run_cli("site", "remove", out, "--locale", "ru", cwd=tmp_path),
                          "published with other settings", "--templates", "--sandbox-templates")
    assert_one_line_error(run_cli("site", "remove", out, "--locale", "ru", "--templates", templates, cwd=tmp_path),
                          "--sandbox-templates")
    assert not (tmp_path / "F").exists() and (out / "ru" / f"{EXAMPLE_ID}.html").exists()
    assert (out / "hy" / f"{EXAMPLE_ID}.html").read_bytes() == before
    done = run_cli("site", "remove", out, "--locale", "ru", "--templates", templates, "--sandbox-templates",
                   cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "F").exists() and not (out / "ru").exists()
    hy = (out / "hy" / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8")
    assert "ru/" not in hy and "../en/" in hy  # rendered again with T, in the sandbox


def test_a_page_published_in_the_sandbox_stays_in_it_when_a_later_run_renders_it_again(tmp_path, copy_example):
    out, templates = tmp_path / "site", _templates(tmp_path / "T", "[sandboxed={{ not cycler.__init__ is defined }}]")
    publish([copy_example], locales=["hy"], out_dir=out, project=Project(template_dirs=(templates,),
                                                                        sandboxed_templates=True))
    hy = out / "hy" / f"{EXAMPLE_ID}.html"
    assert "[sandboxed=True]" in hy.read_text(encoding="utf-8")
    report = publish([copy_example], locales=["ru"], out_dir=out, project=Project(template_dirs=(templates,)))
    assert [(f.locale, f.format) for f in report.refreshed if f.format == "html"] == [("hy", "html")]
    assert "[sandboxed=False]" in (out / "ru" / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8")  # the run's own
    assert "[sandboxed=True]" in hy.read_text(encoding="utf-8") and "../ru/" in hy.read_text(encoding="utf-8")


def test_template_folders_named_by_the_manifest_are_never_used(tmp_path, copy_example, run_cli):
    """A manifest whose recorded template folder points elsewhere used to get that folder's code run."""
    out = tmp_path / "site"
    publish([copy_example], locales=["hy", "ru"], out_dir=out)
    _templates(tmp_path / "evil", "{{ cycler.__init__.__globals__.os.system('touch " + str(tmp_path / "F") + "') }}")
    path = out / MANIFEST_NAME
    path.write_text(path.read_text(encoding="utf-8").replace('"templates":[]', '"templates":["../evil"]'),
                    encoding="utf-8")
    assert '"templates":["../evil"]' in path.read_text(encoding="utf-8")
    err = assert_one_line_error(run_cli("site", "remove", out, "--locale", "ru", cwd=tmp_path), "--templates")
    assert "evil" not in err  # no command to run is suggested from the manifest's folders
    report = publish([copy_example], locales=["az"], out_dir=out)  # re-renders en and hy for the new links
    assert {f.locale for f in report.refreshed} == {"hy", "ru"}
    assert not (tmp_path / "F").exists()
    assert "../az/" in (out / "hy" / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8")


def test_site_remove_keeps_the_digits_a_page_was_published_with(tmp_path, copy_example, run_cli):
    """A site published with ``--digits latin`` used to have its fa page rendered again with Persian digits.
    (The Goris brief: it has a Persian catalog, and a locale with no translated segment is not published.)"""
    out = tmp_path / "site"
    goris = copy_example.parent / "goris-refugees.yaml"
    shutil.copy2(EXAMPLE.parent / goris.name, goris)
    result = run_cli("publish", goris, "--locales", "fa,ru", "--out", out, "--digits", "latin", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    persian = set("۰۱۲۳۴۵۶۷۸۹")
    fa = out / "fa" / "goris-refugees.html"
    assert persian & _formatted(polybrief.render(goris, "fa"))  # by default figures and dates have Persian digits
    assert not persian & _formatted(fa.read_text(encoding="utf-8"))
    assert_one_line_error(run_cli("site", "remove", out, "--locale", "ru", cwd=tmp_path), "digits latin", "--digits")
    done = run_cli("site", "remove", out, "--locale", "ru", "--digits", "latin", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = fa.read_text(encoding="utf-8")
    assert not persian & _formatted(page) and "../ru/" not in page


def _formatted(page: str) -> set[str]:
    """The characters of what polybrief formats on a page (figures and times), not the translators' text."""
    import re

    found = re.findall(r"<data value=[^>]*>(.*?)</data>|<time [^>]*>(.*?)</time>", page, re.S)
    assert found
    return set("".join(a + b for a, b in found))


def test_site_remove_deletes_nothing_through_a_planted_locale_folder(tmp_path, copy_example):
    out = tmp_path / "site"
    publish([copy_example], locales=["hy", "ru"], out_dir=out)
    victim = tmp_path / "victim"
    shutil.move(str(out / "ru"), victim)
    (out / "ru").symlink_to(victim, target_is_directory=True)
    with pytest.raises(OutputError, match="outside the output folder"):
        remove_from_site(out, locales=["ru"])
    assert sorted(p.name for p in victim.iterdir()) == ["index.html", f"{EXAMPLE_ID}.html", f"{EXAMPLE_ID}.txt"]


def test_a_record_with_a_wrong_language_cannot_remove_a_source_page(tmp_path, copy_example):
    """Building a page on record again used to record the brief's language as that page's locale, after
    which the source-language page could be removed alone (and the index led with a translation)."""
    out = tmp_path / "site"
    publish([copy_example], locales=["hy", "ru"], out_dir=out)
    remove_from_site(out, locales=["ru"])
    assert load_manifest(out).briefs[EXAMPLE_ID].language == "en"
    with pytest.raises(UsageError, match="source language"):
        remove_from_site(out, locales=["en"])


def test_a_planted_record_never_publishes_a_file_the_user_did_not(tmp_path, copy_example):
    """A record naming some other brief file (an embargoed draft the folder's writer cannot read) with stale
    links used to get that file rendered into the site by the next routine run."""
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    embargoed = _tiny_brief(drafts, "embargoed-story")
    embargoed.write_text(embargoed.read_text(encoding="utf-8").replace(
        'headline: Azerbaijan launches "anti-terrorist" offensive', "headline: EMBARGOED-UNTIL-MONDAY"),
        encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    publish([embargoed], locales=["hy"], out_dir=elsewhere, formats=["html"])
    record = json.loads((elsewhere / MANIFEST_NAME).read_text(encoding="utf-8"))["briefs"]["embargoed-story"]
    out = tmp_path / "site"
    publish([copy_example], locales=["hy"], out_dir=out, formats=["html"])
    document = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    record["path"] = os.path.relpath(embargoed, out)
    for page in record["pages"].values():  # whoever planted it could not read the file: no true hash
        page["inputs"]["brief"], page["alternates"] = "0" * 64, ["en", "fr"]
    document["briefs"]["embargoed-story"] = record
    (out / MANIFEST_NAME).write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(polybrief.BriefError, match="not the one they were published from"):
        publish([copy_example], locales=["hy"], out_dir=out, formats=["html"])
    assert not any("EMBARGOED" in p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert not (out / "en" / "embargoed-story.html").exists()


def test_a_brief_edited_since_is_not_published_by_site_remove(tmp_path, copy_example):
    out = tmp_path / "site"
    publish([copy_example], locales=["hy", "ru"], out_dir=out)
    hy = (out / "hy" / f"{EXAMPLE_ID}.html").read_bytes()
    copy_example.write_text(copy_example.read_text(encoding="utf-8").replace(
        'headline: Azerbaijan launches "anti-terrorist" offensive', "headline: WORK IN PROGRESS"), encoding="utf-8")
    with pytest.raises(polybrief.BriefError, match="edited since") as info:
        remove_from_site(out, locales=["ru"])
    assert "publish it again" in (info.value.hint or "")
    assert (out / "hy" / f"{EXAMPLE_ID}.html").read_bytes() == hy and (out / "ru").is_dir()
    publish([copy_example], locales=["hy", "ru"], out_dir=out)
    remove_from_site(out, locales=["ru"])
    assert "WORK IN PROGRESS" in (out / "hy" / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8")


def _paths(value: object, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _paths(item, (*prefix, n))


def test_every_value_of_the_manifest_replaced_by_garbage_is_one_clear_error(tmp_path, copy_example):
    """Each value of a real manifest replaced by a value of another type (or a hostile string): reading it either
    works or is an OutputError naming the manifest, never another exception; and a site whose manifest still
    reads is one ``site remove`` can work on."""
    import random

    out = tmp_path / "site"
    publish([copy_example], locales=["hy", "ru"], out_dir=out, formats=["html"])
    original = (out / MANIFEST_NAME).read_text(encoding="utf-8")
    document = json.loads(original)
    garbage = [None, True, -1, 1.5, 10**30, "", "../../x", "/abs", "\u202e", [], {}, [[[]]], {"a": {"b": {}}}]
    rng = random.Random(25)
    read = []
    for path in list(_paths(document))[1:]:
        for value in rng.sample(garbage, 3):
            mutated = json.loads(original)
            node = mutated
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
            (out / MANIFEST_NAME).write_text(json.dumps(mutated), encoding="utf-8")
            try:
                load_manifest(out)
                read.append(mutated)
            except OutputError as exc:
                assert str(out / MANIFEST_NAME) in str(exc) and "\n" not in str(exc)
    assert read  # some values (a headline, a hash) may be anything of their type
    for mutated in rng.sample(read, min(12, len(read))):
        (out / MANIFEST_NAME).write_text(json.dumps(mutated), encoding="utf-8")
        try:
            remove_from_site(out, locales=["ru"])
        except polybrief.PolybriefError:
            pass
        shutil.rmtree(out)
        publish([copy_example], locales=["hy", "ru"], out_dir=out, formats=["html"])


# -- 2. a sandbox that holds ---------------------------------------------------------------------------------


def test_the_sandbox_reads_no_file_through_a_link_out_of_its_folder(tmp_path, copy_example, run_cli):
    key = tmp_path / "key"
    key.write_text("SECRET-KEY-MATERIAL\n", encoding="utf-8")
    templates = tmp_path / "T"
    _templates(templates)
    (templates / "brief.txt.j2").write_text("{{ brief.headline.text }}\n{% include '_footer.j2' %}\n",
                                            encoding="utf-8")
    (templates / "_footer.j2").symlink_to(key)
    brief = load(copy_example)
    trusted = polybrief.render(brief, "en", format="text", project=Project(template_dirs=(templates,)))
    assert "SECRET-KEY-MATERIAL" in trusted  # trusted templates are code: documented
    sandboxed = Project(template_dirs=(templates,), sandboxed_templates=True)
    with pytest.raises(TemplateError, match="leads outside its folder"):
        polybrief.render(brief, "en", format="text", project=sandboxed)
    out = tmp_path / "site"
    assert_one_line_error(run_cli("publish", copy_example, "--locales", "hy", "--out", out, "--templates", templates,
                                  "--sandbox-templates", cwd=tmp_path), "_footer.j2", "leads outside its folder")
    assert not out.exists()
    # A template that is itself a link to /etc/passwd, and a link that stays inside the folder.
    (templates / "brief.txt.j2").unlink()
    (templates / "brief.txt.j2").symlink_to("/etc/passwd")
    with pytest.raises(TemplateError, match="'brief.txt.j2' leads outside its folder"):
        polybrief.render(brief, "en", format="text", project=sandboxed)
    (templates / "brief.txt.j2").unlink()
    (templates / "real.txt.j2").write_text("inside: {{ brief.id }}\n", encoding="utf-8")
    (templates / "brief.txt.j2").symlink_to(templates / "real.txt.j2")
    assert polybrief.render(brief, "en", format="text", project=sandboxed) == f"inside: {EXAMPLE_ID}\n"


# -- 3. one lock per real folder -----------------------------------------------------------------------------


def test_the_lock_is_one_per_real_folder_whatever_the_spelling_or_tmpdir(tmp_path, monkeypatch):
    out = tmp_path / "site"
    link = tmp_path / "link"
    link.symlink_to(out, target_is_directory=True)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with site_lock(out):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert held.wait(10)
        monkeypatch.setenv("TMPDIR", str(tmp_path))  # the old lock lived in the temp folder
        for spelling in (link, Path(os.path.relpath(out)), out / "." ):
            started = time.monotonic()
            with pytest.raises(OutputError, match="being published by another"):
                with site_lock(spelling, timeout=0.3):
                    pass
            assert time.monotonic() - started >= 0.3
    finally:
        release.set()
        thread.join()
    with site_lock(link, timeout=1):
        assert (out / ".polybrief" / "lock").is_file()
    assert not (out / ".polybrief" / "lock").exists()  # each run removes the lock file as it ends


def _tiny_brief(folder: Path, brief_id: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8").replace(f"id: {EXAMPLE_ID}", f"id: {brief_id}", 1)
    path = folder / f"{brief_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("how", ["symlink", "tmpdir"])
def test_two_publishes_into_one_folder_serialise(how, tmp_path):
    """Two real processes publishing different briefs into one folder, one naming it through a symbolic link
    (or with another ``TMPDIR``): the red team lost a brief in 6 (7) of 8 rounds, both runs exiting 0."""
    briefs = [_tiny_brief(tmp_path, "first-brief"), _tiny_brief(tmp_path, "second-brief")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    for round_ in range(8):
        out = tmp_path / f"site-{round_}"
        out.mkdir()
        spellings = [out, out]
        envs = [env, env]
        if how == "symlink":
            spellings[1] = tmp_path / f"link-{round_}"
            spellings[1].symlink_to(out, target_is_directory=True)
        else:
            other = tmp_path / f"tmp-{round_}"
            other.mkdir()
            envs[1] = {**env, "TMPDIR": str(other)}
        processes = [subprocess.Popen([sys.executable, "-m", "polybrief", "publish", str(brief), "--locales", "hy",
                                       "--formats", "html", "--catalogs", str(CATALOGS), "--out", str(spelling),
                                       "--jobs", "1"], env=process_env, cwd=tmp_path, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True)
                     for brief, spelling, process_env in zip(briefs, spellings, envs)]
        for process in processes:
            _, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
        assert set(load_manifest(out).briefs) == {"first-brief", "second-brief"}, f"round {round_}"
        index = (out / "index.html").read_text(encoding="utf-8")
        assert "first-brief.html" in index and "second-brief.html" in index, f"round {round_}"


def test_the_next_run_removes_what_killed_runs_staged(tmp_path, copy_example):
    """131 staged ``.x.html.PID-N.tmp`` files survived SIGKILLs, and no later run removed them."""
    out = tmp_path / "site"
    publish([copy_example], locales=["hy"], out_dir=out)
    stale = [out / "hy" / f".{EXAMPLE_ID}.html.4242-0.tmp", out / f".index.html.4242-1.tmp",
             out / ".polybrief" / ".site.json.4242-2.tmp"]
    kept = [out / "hy" / ".keep", out / "assets" / ".app.js.4242-3.tmp", out / "hy" / "notes.4242-4.tmp"]
    for path in stale + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"partial")
    (out / ".polybrief" / "lock").write_bytes(b"")  # left by a killed run: the lock is free, the file reused
    publish([copy_example], locales=["hy"], out_dir=out)
    assert [p for p in stale if p.exists()] == []
    assert all(p.exists() for p in kept)
    assert not (out / ".polybrief" / "lock").exists()


def test_a_failed_first_publish_leaves_no_folder_and_no_state(tmp_path, copy_example, make_brief):
    out = tmp_path / "new-site"
    with pytest.raises(polybrief.UntranslatedError):
        publish([copy_example], locales=["ka"], out_dir=out,
                project=Project(policy=polybrief.TranslationPolicy(strict=True)))
    assert not out.exists()
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / "keep.txt").write_text("mine\n", encoding="utf-8")
    with pytest.raises(polybrief.UntranslatedError):
        publish([copy_example], locales=["ka"], out_dir=existing,
                project=Project(policy=polybrief.TranslationPolicy(strict=True)))
    assert sorted(p.name for p in existing.iterdir()) == ["keep.txt"]


def test_the_manifest_size_is_bounded(tmp_path, copy_example, capfd):
    out = tmp_path / "site"
    publish([copy_example], locales=["hy"], out_dir=out)
    code = main(["--limit", "manifest_bytes=1000", "publish", str(copy_example), "--locales", "hy", "--out", str(out)])
    err = capfd.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "site.json" in err and "more than the 1000 bytes" in err


# -- 5. deadlines from the first byte ------------------------------------------------------------------------


class _RawServer:
    """A real TCP server on 127.0.0.1 answering every connection with ``respond(socket)``; counts connections."""

    def __init__(self, respond: Callable[[socket.socket], None]) -> None:
        self.connections = 0
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(8)
        self._respond = respond
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.getsockname()[1]}/"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            client.recv(65536)
            self._respond(client)
        except OSError:
            pass
        finally:
            client.close()

    def close(self) -> None:
        self._stop.set()
        self._server.close()


def _trickle_header_bytes(client: socket.socket) -> None:
    client.sendall(b"HTTP/1.1 200 OK\r\n")
    for _ in range(400):  # a header byte every 50 ms, for at most 20 s
        client.sendall(b"X")
        time.sleep(0.05)


def _trickle_header_lines(client: socket.socket) -> None:
    client.sendall(b"HTTP/1.1 200 OK\r\n")
    for n in range(400):
        client.sendall(b"X-Slow-%d: 1\r\n" % n)
        time.sleep(0.05)


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket], None]], _RawServer]]:
    servers: list[_RawServer] = []

    def start(respond: Callable[[socket.socket], None]) -> _RawServer:
        servers.append(_RawServer(respond))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.mark.parametrize("respond", [_trickle_header_bytes, _trickle_header_lines])
@pytest.mark.parametrize(("limits", "words"), [
    (Limits(download_seconds=1.0), "took longer than 1 s"),
    (Limits(download_grace=0.5, download_min_rate=1000), "slower than the 1000 allowed"),
])
def test_a_server_trickling_headers_is_stopped_by_the_deadline(respond, limits, words, raw_server):
    """A header byte every 2 s was never stopped, even with ``--timeout 5 --limit download_seconds=20``."""
    server = raw_server(respond)
    started = time.monotonic()
    with pytest.raises(NetworkError, match=words):
        polybrief.mt.fetch_index(server.url + "index.json", timeout=5, limits=limits)
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(("response", "words"), [
    (b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: v\r\n" % n for n in range(300)) + b"\r\n[]", "more than 100 headers"),
    (b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 200_000 + b"\r\n\r\n[]", "header"),
    (b"NOT HTTP AT ALL\r\n\r\n", "not valid HTTP"),
])
def test_headers_are_bounded_and_bad_responses_are_one_line(response, words, raw_server, capfd, mt_home):
    server = raw_server(lambda client: client.sendall(response))
    with pytest.raises(NetworkError, match=words):
        polybrief.mt.fetch_index(server.url + "index.json", timeout=5)
    code = main(["models", "install", "en", "az", "--index-url", server.url + "index.json"])
    err = capfd.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err


def test_a_package_trickling_headers_is_stopped_too(raw_server, serve_folder, mt_home):
    package = raw_server(_trickle_header_bytes)
    index = [{"type": "translate", "from_code": "en", "to_code": "az", "package_version": "1.0",
              "links": [package.url + "pkg.argosmodel"]}]
    (serve_folder.folder / "index.json").write_text(json.dumps(index), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(NetworkError, match="took longer than 1 s"):
        polybrief.mt.install_from_index("en", "az", index_url=serve_folder.url + "index.json", timeout=5,
                                        limits=Limits(download_seconds=1.0))
    assert time.monotonic() - started < 3 and package.connections == 1


@pytest.mark.parametrize("link", ["pkg.argosmodel\r\nX-Injected: 1", "pkg\u202eledomsogra.argosmodel", "pkg .argosmodel"])
def test_links_with_control_characters_are_refused_before_any_request(link, raw_server, serve_folder, mt_home,
                                                                       capfd):
    """An index link holding control characters used to reach http.client: ``InvalidURL``, exit 70."""
    package = raw_server(lambda client: client.sendall(b"HTTP/1.1 404 Not Found\r\n\r\n"))
    index = [{"type": "translate", "from_code": "en", "to_code": "az", "package_version": "1.0",
              "links": [package.url + link]}]
    (serve_folder.folder / "index.json").write_text(json.dumps(index), encoding="utf-8")
    with pytest.raises(TranslationEngineError, match="control, space or invisible character"):
        polybrief.mt.install_from_index("en", "az", index_url=serve_folder.url + "index.json", timeout=5)
    code = main(["models", "install", "en", "az", "--index-url", serve_folder.url + "index.json"])
    err = capfd.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "control" in err and "\r" not in err and "\u202e" not in err
    assert package.connections == 0
    code = main(["models", "install", "en", "az", "--index-url", package.url + "index.json\n"])
    assert code == 2 and package.connections == 0 and capfd.readouterr().err.count("\n") == 1


# -- 6. Plural-Forms checked where it matters ----------------------------------------------------------------


def test_a_plural_rule_wrong_above_1000_is_refused_and_check_reports_it(tmp_path, copy_example, run_cli):
    """``nplurals=3; plural=n>1000 ? 0 : <the ru rule>`` passed every check, and 120,000 published as
    "120 000 мирный житель"."""
    po = copy_example.parent / "locales" / "ru" / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"
    text = po.read_text(encoding="utf-8")
    rule = "n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2"
    assert f"plural={rule};" in text
    po.write_text(text.replace(f"plural={rule};", f"plural=n>1000 ? 0 : {rule};"), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"Plural-Forms.*and 9999 \(CLDR 'many'\) the same form 0"):
        load_brief_catalog(load(copy_example), get_locale("ru"), copy_example.parent / "locales")
    assert_one_line_error(run_cli("check", copy_example, "--locales", "ru", cwd=tmp_path), "Plural-Forms", "9999")
    assert_one_line_error(run_cli("publish", copy_example, "--locales", "ru", "--out", tmp_path / "out",
                                  cwd=tmp_path), "Plural-Forms")
    assert not (tmp_path / "out").exists()


def test_plural_rules_are_compared_on_large_counts_and_the_briefs_figures():
    from babel import Locale

    assert {10**k + d for k in range(3, 19) for d in (-1, 0, 1)} - set(range(1001)) <= set(LARGE_SAMPLES)
    hy = Locale.parse("hy")
    assert plural_forms_problem(2, "(n > 1)", hy) is None
    assert plural_forms_problem(2, "(n != 1)", hy) is None  # GNU's rule: zero aside, the same
    sneaky = "n == 123457 ? 0 : (n > 1)"
    assert plural_forms_problem(2, sneaky, hy) is None  # no sample reaches it...
    assert "123457" in (plural_forms_problem(2, sneaky, hy, counts=[7, 123457]) or "")  # ...the brief's figure does


# -- 8. the small ones ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("setting", ["figure_max=NaN", "figure_max=Infinity", "download_seconds=nan",
                                     "download_seconds=inf", "download_grace=-1", "figure_max=-5"])
def test_limits_are_finite_numbers(setting, capfd):
    code = main(["--limit", setting, "schema"])
    err = capfd.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err and "limit" in err, err


@pytest.mark.parametrize("url", ["https://news.example.org/briefs/", "http://127.0.0.1:8080/x", "https://пример.рф/"])
def test_a_plain_base_url_is_accepted(url):
    assert Project(base_url=url).base_url == (url if url.endswith("/") else url + "/")


@pytest.mark.parametrize("url", ["https://a.example/\u202e/", "https://a.example/\r\nSet-Cookie: x",
                                 "https://user:secret@a.example/", "https://a.example/?utm=1", "https://a.example/#top",
                                 "https://a.example:99999/", "https://a.example:0/", "javascript:alert(1)//",
                                 "https:///nohost", "https://a.example/\u200b"])
def test_a_base_url_is_an_absolute_http_url_and_nothing_else(url, tmp_path, capfd):
    with pytest.raises(UsageError, match="base URL"):
        Project(base_url=url)
    code = main(["publish", str(EXAMPLE), "--locales", "hy", "--out", str(tmp_path / "out"), "--base-url", url])
    err = capfd.readouterr().err
    assert code == 2 and err.count("\n") == 1 and not any(c in err for c in "\u202e\r\u200b"), err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("value", "ok"), [("100", True), ("١٠٠", False), ("１００", False), ("۱۰۰", False),
                                           ("1\u0662", False)])
def test_a_figure_value_is_written_in_the_digits_0_to_9(value, ok, make_brief):
    figure = {"label": "People", "value": value, "unit": {"one": "person", "other": "people"}}
    if ok:
        assert make_brief(figures=[figure]).figures[0].value == 100
    else:
        with pytest.raises(Exception, match="digits 0-9"):
            make_brief(figures=[figure])


@pytest.mark.parametrize(("code", "ok"), [("USD", True), ("XAF", True), ("XOF", True), ("XCD", True),
                                          ("XXX", False), ("XTS", False), ("XAU", False), ("XDR", False)])
def test_non_currencies_are_refused(code, ok, make_brief):
    figure = {"label": "Aid", "value": 100, "kind": "currency", "currency": code}
    if ok:
        assert make_brief(figures=[figure]).figures[0].currency == code
    else:
        with pytest.raises(Exception, match="not money"):
            make_brief(figures=[figure])


@pytest.mark.parametrize("argv", [["publish", str(EXAMPLE), "--jobs", "abc"], ["publish", str(EXAMPLE), "--digits", "x"],
                                  ["no-such-command"], ["publish"], ["--limit"]])
def test_argparse_errors_are_one_line(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2 and err.count("\n") == 1 and err.startswith("polybrief: error: "), err
    assert "usage:" not in err


def test_a_worker_killed_from_outside_is_reported_as_such(tmp_path, copy_example, monkeypatch, capfd):
    """A worker killed by a signal was reported as "a bug in polybrief" (exit 70)."""
    import signal

    from polybrief.publishing import worker

    original = worker.build_brief

    def dies_on_the_second(task, state):  # noqa: ANN001, ANN202 - the worker's own signature
        if task.index == 1:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(task, state)

    monkeypatch.setattr(worker, "build_brief", dies_on_the_second)  # the pool's workers are forked from here
    second = _tiny_brief(copy_example.parent, "second-brief")
    out = tmp_path / "out"
    code = main(["publish", str(copy_example), str(second), "--locales", "hy", "--out", str(out), "--jobs", "2"])
    err = capfd.readouterr().err
    assert code == 75, err
    assert err.count("\n") == 1 and "SIGKILL" in err and "bug" not in err, err
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))
