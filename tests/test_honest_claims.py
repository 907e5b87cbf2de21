"""Honest language claims and complete chrome: a page says what language it is in, so it must hold it.

* not one translated segment: never published as that language (``publish`` lists it and exits 0;
  ``--strict`` fails);
* partly translated: published with its disclosure and ``noindex``, out of the other pages' language links
  and ``hreflang``, listed as partly translated in the index, until ``--index-threshold`` of its segments
  are reviewed;
* a target locale with no UI catalog is named by ``publish``, ``update`` and ``check``, with the number of
  interface strings that will be English and the command that starts one;
* fa, ar, ka and uk pages of both examples have no English chrome (polybrief ships their UI catalogs).
"""

from __future__ import annotations

import re
import shutil

import pytest

import polybrief
from conftest import EXAMPLE_ID, without_hidden
from polybrief import Project, publish

EXAMPLES = ["nagorno-karabakh", "goris-refugees"]


@pytest.fixture
def brief_copy(tmp_path, repo_root):
    folder = tmp_path / "brief"
    folder.mkdir()
    shutil.copy(repo_root / "examples" / f"{EXAMPLE_ID}.yaml", folder)
    shutil.copytree(repo_root / "examples" / "locales", folder / "locales")
    return folder / f"{EXAMPLE_ID}.yaml"


def _hreflangs(path) -> set[str]:
    return set(re.findall(r'<link rel="alternate" hreflang="([^"]+)"', path.read_text(encoding="utf-8")))


def test_an_all_english_translation_is_never_published(brief_copy, run_cli):
    out = brief_copy.parent / "site"
    result = run_cli("publish", brief_copy, "--locales", "hy,ka", "--out", out, cwd=brief_copy.parent)
    assert result.returncode == 0, result.stderr
    assert f"ka  {EXAMPLE_ID}  (not published: no segment is translated into ka)" in result.stdout
    assert not (out / "ka").exists()
    assert "ka" not in _hreflangs(out / "hy" / f"{EXAMPLE_ID}.html")
    assert 'hreflang="ka"' not in (out / "index.html").read_text(encoding="utf-8")
    strict = run_cli("publish", brief_copy, "--locales", "hy,ka", "--out", brief_copy.parent / "strict", "--strict",
                     cwd=brief_copy.parent)
    assert strict.returncode == 2 and "ka" in strict.stderr and "Traceback" not in strict.stderr
    assert not (brief_copy.parent / "strict").exists()


def _make_drafts(brief_copy, tag, count, po_io):
    brief = polybrief.load(brief_copy)
    path = brief_copy.parent / "locales" / tag / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"
    catalog = po_io.read(path)
    units = [u for u in polybrief.translation_units(brief) if not u.is_plural][1:count + 1]
    for unit in units:
        next(m for m in catalog if m.context == unit.path).flags.add("fuzzy")
    po_io.write(path, catalog)


def test_a_partly_reviewed_page_is_no_alternate_until_the_threshold(brief_copy, po_io):
    """hy with 3 of 50 segments left as drafts: 94% reviewed.  Under the default threshold (1.0) it is
    published, disclosed and noindex, out of hreflang, and the index says "partly translated" in
    Armenian; with ``--index-threshold 0.9`` it is a full language version, and the pages on record
    get their links again."""
    _make_drafts(brief_copy, "hy", 3, po_io)
    out = brief_copy.parent / "site"
    policy = polybrief.TranslationPolicy(drafts="include")
    publish([brief_copy], locales=["hy", "ru"], out_dir=out, project=Project(policy=policy))
    hy = (out / "hy" / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in hy and '<aside class="notice"' in hy
    assert _hreflangs(out / "hy" / f"{EXAMPLE_ID}.html") == set()
    assert _hreflangs(out / "ru" / f"{EXAMPLE_ID}.html") == {"en", "ru", "x-default"}
    assert '<meta name="robots"' not in (out / "ru" / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'<span id="p-{EXAMPLE_ID}-hy" class="partial" lang="hy">մասամբ թարգմանված</span>' in index
    assert f'aria-labelledby="h-{EXAMPLE_ID}-hy l-{EXAMPLE_ID}-hy p-{EXAMPLE_ID}-hy"' in index

    report = publish([brief_copy], locales=["hy"], out_dir=out,
                     project=Project(policy=policy, index_threshold=0.9))
    assert {(f.locale, f.format) for f in report.refreshed} >= {("ru", "html")}
    assert _hreflangs(out / "ru" / f"{EXAMPLE_ID}.html") == {"en", "hy", "ru", "x-default"}
    hy = (out / "hy" / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8")
    assert '<meta name="robots"' not in hy and '<aside class="notice"' in hy  # still disclosed
    assert "partial" not in (out / "index.html").read_text(encoding="utf-8").split("<main")[1]


def test_sitemaps_feeds_and_indexes_follow_the_same_threshold(brief_copy, po_io):
    """One definition of a full language version decides every claim a site makes: hy with 3 drafts is in
    no sitemap, no feed and no other page's hreflang, its language index labels it partly translated and
    its manifest record says it is not full; once ``--index-threshold 0.9`` makes it full, it is in all of
    them, its claim recorded as full."""
    import json

    base = "https://news.example.org/briefs/"
    _make_drafts(brief_copy, "hy", 3, po_io)
    out = brief_copy.parent / "site"
    policy = polybrief.TranslationPolicy(drafts="include")
    hy_url, ru_url = f"{base}hy/{EXAMPLE_ID}.html", f"{base}ru/{EXAMPLE_ID}.html"

    def claims() -> tuple[str, dict, str]:
        manifest = json.loads((out / ".polybrief" / "site.json").read_text(encoding="utf-8"))
        return ((out / "sitemap.xml").read_text(encoding="utf-8"), manifest["briefs"][EXAMPLE_ID]["pages"],
                (out / "hy" / "index.html").read_text(encoding="utf-8"))

    publish([brief_copy], locales=["hy", "ru"], out_dir=out, project=Project(policy=policy, base_url=base))
    sitemap, pages, hy_index = claims()
    assert f"<loc>{ru_url}</loc>" in sitemap and hy_url not in sitemap and 'hreflang="hy"' not in sitemap
    assert not (out / "hy" / "feed.xml").exists() and (out / "ru" / "feed.xml").exists()
    assert hy_url not in (out / "ru" / "feed.xml").read_text(encoding="utf-8")
    assert "մասամբ թարգմանված" in hy_index and "feed.xml" not in hy_index  # no feed to link
    assert (pages["hy"]["full"], pages["ru"]["full"]) == (False, True)

    publish([brief_copy], locales=["hy"], out_dir=out,
            project=Project(policy=policy, base_url=base, index_threshold=0.9))
    sitemap, pages, hy_index = claims()
    assert f"<loc>{hy_url}</loc>" in sitemap and f'hreflang="hy" href="{hy_url}"' in sitemap
    assert hy_url in (out / "hy" / "feed.xml").read_text(encoding="utf-8")
    assert hy_url in (out / "ru" / "feed.xml").read_text(encoding="utf-8")  # the ru entry's hy alternate
    assert "մասամբ թարգմանված" not in hy_index and 'href="feed.xml"' in hy_index
    assert (pages["hy"]["full"], pages["ru"]["full"]) == (True, True)


def test_a_catalog_that_makes_a_page_full_updates_the_pages_left_as_they_were(brief_copy, po_io):
    """Pages of a run left unchanged (nothing they are made from changed) still get their links right when
    a page built beside them turns out full: the plan could not know before building it."""
    _make_drafts(brief_copy, "hy", 3, po_io)
    out = brief_copy.parent / "site"
    project = Project(policy=polybrief.TranslationPolicy(drafts="include"))
    publish([brief_copy], locales=["hy", "ru"], out_dir=out, project=project)
    assert _hreflangs(out / "ru" / f"{EXAMPLE_ID}.html") == {"en", "ru", "x-default"}
    unchanged = publish([brief_copy], locales=["hy", "ru"], out_dir=out, project=project)
    assert unchanged.files == [] and unchanged.refreshed == []  # a partial page on record changes nothing
    path = brief_copy.parent / "locales" / "hy" / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"
    catalog = po_io.read(path)
    for message in catalog:
        message.flags.discard("fuzzy")  # the translator reviews the three drafts
    po_io.write(path, catalog)
    report = publish([brief_copy], locales=["hy", "ru"], out_dir=out, project=project)
    assert {(f.locale, f.format) for f in report.files} == {("hy", "html"), ("hy", "text")}
    assert {(f.locale, f.format) for f in report.refreshed} >= {("en", "html"), ("ru", "html")}
    for tag in ("en", "hy", "ru"):
        assert _hreflangs(out / tag / f"{EXAMPLE_ID}.html") == {"en", "hy", "ru", "x-default"}, tag
    again = publish([brief_copy], locales=["hy", "ru"], out_dir=out, project=project)
    assert again.files == [] and again.refreshed == []  # and the next run has nothing to do


@pytest.mark.parametrize("command", ["publish", "update", "check"])
def test_a_locale_without_a_ui_catalog_is_named_with_the_fix(brief_copy, run_cli, command):
    args = {"publish": ["--out", brief_copy.parent / "site"], "update": [], "check": []}[command]
    result = run_cli(command, brief_copy, "--locales", "ur,ru", *args, cwd=brief_copy.parent)
    total = sum(1 for m in polybrief.__dict__.get("_", []))  # noqa: F841 - placeholder to keep the name local
    notes = [line for line in result.stderr.splitlines() if "no UI catalog" in line]
    assert len(notes) == 1, result.stderr
    count = len(re.findall(r'^msgid "(?!")|^msgid ""\n"', (polybrief.__path__[0] and _pot()), re.M))
    assert f"no UI catalog for ur: {count} interface strings" in notes[0]
    assert "polybrief locale add ur" in notes[0]


def _pot() -> str:
    from pathlib import Path

    return (Path(__file__).resolve().parent.parent / "locales" / "polybrief.pot").read_text(encoding="utf-8")


#: Elements that may be English on a page in another language: content that fell back to the source
#: (``data-provenance``), and the language menu's own entry for English ("English" in English).
_ENGLISH = re.compile(r'<(\w+)([^>]*)\slang="en"([^>]*)>')


@pytest.mark.parametrize("example", EXAMPLES)
@pytest.mark.parametrize("tag", ["fa", "ar", "ka", "uk"])
def test_pages_of_both_examples_have_no_english_chrome(repo_root, example, tag):
    session = polybrief.Session()
    localised = session.localise(repo_root / "examples" / f"{example}.yaml", tag)
    for fmt in ("html", "text"):
        page = session.renderer.render(localised, format=fmt)
        for english in ("Key figures", "Sources", "Published", "Source:", "Figure", "Skip to content", "about ",
                        "passages on this page", "How these passages are marked", "Updated", "Corrections",
                        "By ", "of this translation"):
            assert english not in _chrome(page, localised), (tag, fmt, english)
    html = session.renderer.render(localised)
    for match in _ENGLISH.finditer(html):
        attrs = match.group(2) + match.group(3)
        assert "data-provenance" in attrs or "hreflang" in attrs, (tag, match.group(0))


def _chrome(page: str, localised) -> str:
    """The page's body without the brief's own text (segments may be English: they are content, disclosed)."""
    from markupsafe import escape

    page = without_hidden(page.split("<body>", 1)[-1])
    pieces = {piece for segment in localised.segments() for piece in segment.text.split("{count}") if piece.strip()}
    for piece in sorted(pieces, key=len, reverse=True):
        page = page.replace(str(escape(piece)), "").replace(piece, "")
    return page
