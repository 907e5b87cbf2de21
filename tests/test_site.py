"""One consistent site: the manifest in the output folder, subset publishing, reciprocal hreflang,
pages of earlier runs re-rendered when their links change, and explicit removal."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

import polybrief
from conftest import EXAMPLE_ID, assert_one_line_error
from polybrief import BriefError, OutputError, Project, TranslationPolicy, publish
from polybrief import machine_provider
from polybrief.site import MANIFEST_NAME, load_manifest
from polybrief import remove_from_site
from test_render import parse

TARGETS = ["hy", "az", "ru"]


def _links(page: Path) -> dict[str, str]:
    """hreflang -> href of a page's ``<link rel=alternate>`` elements."""
    html = parse(page.read_text(encoding="utf-8"))
    return {link.attrs["hreflang"]: link.attrs["href"] for link in html.find("link", rel="alternate")
            if "hreflang" in link.attrs}


def _menu(page: Path) -> list[str]:
    """Language tags of the page's language menu (links and the current page)."""
    html = parse(page.read_text(encoding="utf-8"))
    return [e.attrs["lang"] for e in html.elements
            if e.tag in ("a", "span") and (e.attrs.get("hreflang") or e.attrs.get("aria-current"))]


def _index_hrefs(out: Path) -> set[str]:
    """The pages the index links (not the skip link, nor each language's own index)."""
    return {a.attrs["href"] for a in parse((out / "index.html").read_text(encoding="utf-8")).find("a")
            if not a.attrs["href"].endswith("/index.html")} - {"#main"}


def _assert_reciprocal(out: Path, brief_id: str, tags: list[str]) -> None:
    """Every html page of the brief links exactly ``tags``, and each link resolves to a page that links back."""
    for tag in tags:
        page = out / tag / f"{brief_id}.html"
        links = _links(page)
        assert sorted(t for t in links if t != "x-default") == sorted(tags), (tag, links)
        assert sorted(_menu(page)) == sorted(tags), tag
        for other, href in links.items():
            if other == "x-default" or href.startswith("http"):
                continue
            target = (page.parent / href).resolve()
            assert target.is_file(), (tag, href)
            assert tag in _links(target), f"{other} does not link back to {tag}"


@pytest.fixture
def brief_copy(copy_example: Path) -> Path:
    return copy_example


def test_publishing_a_subset_of_locales_keeps_the_rest_of_the_site(tmp_path, brief_copy):
    out = tmp_path / "site"
    publish([brief_copy], locales=TARGETS, out_dir=out)
    publish([brief_copy], locales=["hy"], out_dir=out)  # a later run for one language only
    assert _index_hrefs(out) >= {f"{t}/{EXAMPLE_ID}.html" for t in ["en", *TARGETS]}
    _assert_reciprocal(out, EXAMPLE_ID, ["en", *TARGETS])


def test_publishing_a_subset_of_briefs_keeps_the_others_in_the_index(tmp_path, brief_copy, make_brief):
    out = tmp_path / "site"
    publish([brief_copy, make_brief(id="bridge")], locales=["ru"], out_dir=out, formats=["html"])
    publish([brief_copy], locales=["ru"], out_dir=out, formats=["html"])
    # (the bridge brief has no Russian catalog: never published as Russian)
    assert _index_hrefs(out) == {f"{t}/{b}.html" for t in ("en", "ru") for b in (EXAMPLE_ID, "bridge")} - {
        "ru/bridge.html"}
    assert set(load_manifest(out).briefs) == {EXAMPLE_ID, "bridge"}


def test_a_new_locale_updates_the_links_of_pages_published_before(tmp_path, brief_copy):
    out = tmp_path / "site"
    publish([brief_copy], locales=["hy", "az"], out_dir=out)
    before = (out / "az" / f"{EXAMPLE_ID}.txt").read_bytes()
    report = publish([brief_copy], locales=["ru"], out_dir=out)
    _assert_reciprocal(out, EXAMPLE_ID, ["en", "hy", "az", "ru"])
    assert sorted((f.locale, f.format) for f in report.refreshed) == [
        (t, fmt) for t in ("az", "hy") for fmt in ("html", "text")]
    # Re-rendered from the same inputs: the text page is byte-identical.
    assert (out / "az" / f"{EXAMPLE_ID}.txt").read_bytes() == before


def test_manifest_records_every_page_and_its_input_hashes(tmp_path, brief_copy):
    out = tmp_path / "site"
    publish([brief_copy], locales=TARGETS, out_dir=out)
    raw = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert raw["polybrief-site"] == 2
    record = raw["briefs"][EXAMPLE_ID]
    assert list(record["pages"]) == ["en", *TARGETS]
    sha = lambda p: hashlib.sha256(Path(p).read_bytes()).hexdigest()  # noqa: E731
    assert (out / record["path"]).resolve() == brief_copy.resolve()
    for tag, page in record["pages"].items():
        inputs = page["inputs"]
        assert inputs["brief"] == sha(brief_copy)
        if tag == "en":
            assert inputs["catalog"] is None
        else:
            catalog = brief_copy.parent / "locales" / tag / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"
            assert (out / inputs["catalog"]["path"]).resolve() == catalog.resolve()
            assert inputs["catalog"]["sha256"] == sha(catalog)
        for fmt, ext, main in (("html", "html", "brief.html.j2"), ("text", "txt", "brief.txt.j2")):
            entry = page["files"][fmt]
            assert entry["sha256"] == sha(out / tag / f"{EXAMPLE_ID}.{ext}")
            context = raw["contexts"][entry["context"]]  # what the pages of one locale and format share
            assert (context["locale"], context["format"]) == (tag, fmt)
            if tag != "en":
                ui = Path(polybrief.__file__).resolve().parents[2] / "locales" / tag / "LC_MESSAGES" / "polybrief.po"
                assert context["ui_file"]["sha256"] == sha(ui)
                # the pages' input: the translations of the messages their templates show (rendering.messages)
                assert "Key figures" in context["ui_messages"] and "All languages" not in context["ui_messages"]
                assert len(context["ui_catalog"]["entries"]) == 64 and context["ui_catalog"]["path"] == context["ui_file"]["path"]
            assert context["locale_data"] and all(len(v) == 64 for v in context["locale_data"].values())
            templates = context["templates"]
            assert main in templates and len(templates) > 1  # included and imported templates count too
            assert any(name.startswith("_") for name in templates)
            for name, template in templates.items():
                assert template["sha256"] == sha((out / template["path"]).resolve()), name
        assert page["alternates"] == ["en", *TARGETS]
    # The stat cache knows every input and page it read or wrote.
    assert record["path"] in raw["stat"] and f"hy/{EXAMPLE_ID}.html" in raw["stat"]


def test_records_read_back_are_written_back_as_they_were(tmp_path, brief_copy):
    """Records are kept compactly in memory (history entries as pairs, equal values shared between pages):
    what is read is written back field for field, a history entry missing one of its times included."""
    out = tmp_path / "site"
    publish([brief_copy], locales=TARGETS, out_dir=out)
    path = out / MANIFEST_NAME
    raw = json.loads(path.read_text(encoding="utf-8"))
    page = raw["briefs"][EXAMPLE_ID]["pages"]["hy"]
    page["history"] = [{"modified": page["modified"]}, {"source": page["modified"]}, *page["history"]]
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    again = load_manifest(out).to_json()
    assert again["briefs"] == raw["briefs"]
    assert again["briefs"][EXAMPLE_ID]["pages"]["hy"]["history"][:2] == [{"modified": page["modified"]},
                                                                         {"source": page["modified"]}]


def test_removing_a_locale_is_explicit_and_updates_what_remains(tmp_path, brief_copy):
    out = tmp_path / "site"
    publish([brief_copy], locales=TARGETS, out_dir=out)
    report = remove_from_site(out, locales=["az"])
    assert not (out / "az").exists()
    assert {p.name for p in report.removed} == {f"{EXAMPLE_ID}.html", f"{EXAMPLE_ID}.txt"}
    _assert_reciprocal(out, EXAMPLE_ID, ["en", "hy", "ru"])
    assert not any(h.startswith("az/") for h in _index_hrefs(out))
    assert "az" not in load_manifest(out).briefs[EXAMPLE_ID].pages


def test_removing_a_brief_keeps_the_others(tmp_path, brief_copy, make_brief):
    out = tmp_path / "site"
    publish([brief_copy, make_brief(id="bridge")], locales=["ru"], out_dir=out, formats=["html"])
    remove_from_site(out, briefs=["bridge"])
    assert _index_hrefs(out) == {f"{t}/{EXAMPLE_ID}.html" for t in ("en", "ru")}
    assert not (out / "ru" / "bridge.html").exists() and (out / "ru" / f"{EXAMPLE_ID}.html").exists()


def test_removal_refuses_what_it_cannot_do(tmp_path, brief_copy, run_cli):
    out = tmp_path / "site"
    publish([brief_copy], locales=["ru"], out_dir=out, formats=["html"])
    manifest = (out / MANIFEST_NAME).read_bytes()
    err = assert_one_line_error(run_cli("site", "remove", out, "--locale", "en", cwd=tmp_path),
                                "source language", f"--brief {EXAMPLE_ID}")
    assert "Traceback" not in err
    assert_one_line_error(run_cli("site", "remove", out, "--brief", "nope", cwd=tmp_path), "nope", EXAMPLE_ID)
    assert_one_line_error(run_cli("site", "remove", out, "--locale", "hy", cwd=tmp_path), "hy")
    assert_one_line_error(run_cli("site", "remove", tmp_path, "--locale", "ru", cwd=tmp_path), MANIFEST_NAME)
    assert (out / MANIFEST_NAME).read_bytes() == manifest
    result = run_cli("site", "remove", out, "--locale", "ru", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    listing = run_cli("site", "list", out, cwd=tmp_path)
    assert listing.returncode == 0 and "ru" not in listing.stdout.split(EXAMPLE_ID, 1)[1].split()


def test_machine_translations_survive_a_rerender(tmp_path, brief_copy, make_brief):
    """A page that showed machine translation keeps it when re-rendered for new links (no engine needed)."""
    from mt_doubles import russian_tagger

    out = tmp_path / "site"
    bridge = make_brief(id="bridge")
    publish([bridge], locales=["ru"], out_dir=out, formats=["html"],
            machine=machine_provider(russian_tagger(), progress=False))
    ru = out / "ru" / "bridge.html"
    machine_before = [e.text for e in parse(ru.read_text(encoding="utf-8")).elements
                      if e.attrs.get("data-provenance") == "machine"]
    assert machine_before
    # a new base URL changes every page's links: the ru page is built again, with no --mt this time
    report = publish([bridge], locales=[], out_dir=out, formats=["html"],
                     project=Project(base_url="https://news.example.org/"))
    assert [(f.locale, f.format) for f in report.refreshed] == [("ru", "html")]
    html = ru.read_text(encoding="utf-8")
    machine_after = [e.text for e in parse(html).elements if e.attrs.get("data-provenance") == "machine"]
    assert machine_after == machine_before
    assert '<link rel="canonical" href="https://news.example.org/ru/bridge.html">' in html
    # all machine translation, nothing reviewed: a partial page, out of search engines and hreflang
    assert '<meta name="robots" content="noindex">' in html and _links(ru) == {}
    assert _links(out / "en" / "bridge.html") == {}


def test_a_failed_run_leaves_site_and_manifest_untouched(tmp_path, brief_copy):
    out = tmp_path / "site"
    publish([brief_copy], locales=["hy"], out_dir=out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(polybrief.UntranslatedError):
        publish([brief_copy], locales=["ka"], out_dir=out, project=Project(policy=TranslationPolicy(strict=True)))
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_rerender_needs_the_recorded_brief(tmp_path, brief_copy):
    out = tmp_path / "site"
    publish([brief_copy], locales=["hy"], out_dir=out)
    moved = tmp_path / "moved.yaml"
    shutil.copy(brief_copy, moved)
    brief_copy.unlink()
    # Publishing the same brief from elsewhere is fine: the run's own copy is used for every page.
    publish([moved], locales=["az"], out_dir=out, project=Project(catalogs_dir=brief_copy.parent / "locales"))
    _assert_reciprocal(out, EXAMPLE_ID, ["en", "hy", "az"])
    moved.unlink()
    with pytest.raises(BriefError) as info:
        remove_from_site(out, locales=["az"])
    assert info.value.file == str(moved) and "site remove" in (info.value.hint or "")


def test_a_damaged_manifest_is_a_clear_error(tmp_path, brief_copy):
    out = tmp_path / "site"
    publish([brief_copy], locales=["hy"], out_dir=out, formats=["html"])
    (out / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(OutputError) as info:
        publish([brief_copy], locales=["hy"], out_dir=out, formats=["html"])
    assert info.value.file == str(out / MANIFEST_NAME) and "delete it" in (info.value.hint or "")


def test_base_url_is_a_site_setting(tmp_path, brief_copy):
    out = tmp_path / "site"
    base = "https://news.example.org/briefs/"
    publish([brief_copy], locales=["hy", "az"], out_dir=out, formats=["html"], project=Project(base_url=base))
    assert set(_links(out / "az" / f"{EXAMPLE_ID}.html").values()) >= {
        f"{base}{t}/{EXAMPLE_ID}.html" for t in ("en", "hy", "az")}
    # A later run without --base-url keeps the site's; a different one re-renders every page.
    publish([brief_copy], locales=["hy"], out_dir=out, formats=["html"])
    assert f"{base}az/{EXAMPLE_ID}.html" in _links(out / "hy" / f"{EXAMPLE_ID}.html").values()
    other = "https://mirror.example.net/"
    report = publish([brief_copy], locales=["hy"], out_dir=out, formats=["html"], project=Project(base_url=other))
    assert [f.locale for f in report.refreshed] == ["az"]
    assert f"{other}hy/{EXAMPLE_ID}.html" in _links(out / "az" / f"{EXAMPLE_ID}.html").values()
