"""The site's own files, checked against their formats: Atom feeds as feedparser reads them, sitemaps
against the sitemaps.org XSDs (vendored in tests/fixtures/sitemaps, written from the protocol), the
Google News sitemap, robots.txt, each language's index in its own language, and the 404 page.

Every file is made from the site manifest, so a run that publishes one brief still lists the others,
and partial translations (passages in the source language) are left out of feeds and sitemaps."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
import xmlschema

from conftest import EXAMPLE, EXAMPLE_ID
from polybrief import Newsroom, Project, get_locale, publish, remove_from_site

SCHEMAS = Path(__file__).parent / "fixtures" / "sitemaps"
BASE = "https://news.example.org/briefs/"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
NEWSROOM = Newsroom(site_name="Caucasus Briefs", publisher="Example News", logo="logo.png")


@pytest.fixture(scope="module")
def urlset() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "sitemap.xsd"))


@pytest.fixture(scope="module")
def siteindex() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "siteindex.xsd"))


def _project(**newsroom) -> Project:
    settings = {"site_name": "Caucasus Briefs", "publisher": "Example News", "logo": "logo.png", **newsroom}
    return Project(base_url=BASE, newsroom=Newsroom(**settings))


def _second(make_brief):
    """A second brief, a day later, with no catalogs: its translations show English (partial pages)."""
    return make_brief(id="bridge", published="2023-09-20T12:00:00+04:00", updated="2023-09-20T13:00:00+04:00")


def _urls(tree) -> dict[str, dict]:
    out = {}
    for url in tree.getroot().iter(f"{SM}url"):
        links = {link.attrib["hreflang"]: link.attrib["href"] for link in url.iter(f"{XHTML}link")}
        lastmod = url.find(f"{SM}lastmod")
        out[url.find(f"{SM}loc").text] = {"lastmod": lastmod.text if lastmod is not None else None, "links": links}
    return out


def test_sitemap_validates_and_lists_full_pages_with_their_alternates(tmp_path, make_brief, urlset):
    import xml.etree.ElementTree as ET

    out = tmp_path / "site"
    publish([EXAMPLE, _second(make_brief)], locales=["hy", "ru"], out_dir=out, project=_project())
    urlset.validate(str(out / "sitemap.xml"))
    urls = _urls(ET.parse(out / "sitemap.xml"))
    page = {tag: f"{BASE}{tag}/{EXAMPLE_ID}.html" for tag in ("en", "hy", "ru")}
    assert urls[page["hy"]]["links"] == {**page, "x-default": page["en"]}
    # The page's own lastmod: when it last changed in its language (the catalog's revision for hy).
    assert urls[page["en"]]["lastmod"] == "2023-09-19T22:00:00+05:30"
    assert urls[page["hy"]]["lastmod"] == "2023-09-20T09:30:00+04:00"
    # The second brief has no catalogs: its hy and ru pages are English, so only its original is listed.
    assert f"{BASE}en/bridge.html" in urls
    assert f"{BASE}hy/bridge.html" not in urls and f"{BASE}ru/bridge.html" not in urls
    assert urls[f"{BASE}en/bridge.html"]["links"] == {}  # no full alternate
    assert {BASE, f"{BASE}en/index.html", f"{BASE}hy/index.html", f"{BASE}ru/index.html"} <= set(urls)
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in robots.splitlines()


def test_atom_feeds_parse_and_list_pages_by_their_time(tmp_path, make_brief):
    out = tmp_path / "site"
    publish([EXAMPLE, make_brief(id="bridge", updated="2024-03-05T12:00:00+04:00")], locales=["hy", "ru"],
            out_dir=out, project=_project())
    feed = feedparser.parse((out / "en" / "feed.xml").read_bytes())
    assert feed.bozo == 0 and feed.version == "atom10", feed.get("bozo_exception")
    assert feed.feed.title == "Caucasus Briefs (English)" and feed.feed.language == "en"
    assert [e.id for e in feed.entries] == [f"{BASE}en/bridge.html", f"{BASE}en/{EXAMPLE_ID}.html"]  # newest first
    assert feed.entries[0].updated == "2024-03-05T12:00:00+04:00"
    example = feed.entries[1]
    alternates = {link.get("hreflang"): link.href for link in example.links if link.rel == "alternate"}
    assert alternates == {tag: f"{BASE}{tag}/{EXAMPLE_ID}.html" for tag in ("en", "hy", "ru")}
    assert example.author == "World Desk" and example.published == "2023-09-19T18:00:00+05:30"

    hy = feedparser.parse((out / "hy" / "feed.xml").read_bytes())
    assert hy.bozo == 0 and hy.feed.language == "hy"
    assert [e.id for e in hy.entries] == [f"{BASE}hy/{EXAMPLE_ID}.html"]  # the partial page is left out
    assert hy.entries[0].title.startswith("Ադրբեջանը")
    assert hy.entries[0].updated == "2023-09-20T09:30:00+04:00"


def test_feed_entries_are_bounded(tmp_path, make_brief):
    out = tmp_path / "site"
    briefs = [make_brief(id=f"b{n}", published=f"2024-03-0{n + 1}T09:30:00+04:00") for n in range(4)]
    publish(briefs, locales=[], out_dir=out, project=_project(feed_entries=2))
    feed = feedparser.parse((out / "en" / "feed.xml").read_bytes())
    assert [e.id for e in feed.entries] == [f"{BASE}en/b3.html", f"{BASE}en/b2.html"]


def test_news_sitemap_lists_what_changed_in_the_last_48_hours(tmp_path, make_brief, urlset):
    out = tmp_path / "site"
    second = _second(make_brief)
    now = datetime(2023, 9, 21, 10, 0, tzinfo=timezone.utc)
    publish([EXAMPLE, second], locales=["hy"], out_dir=out, project=_project(), now=now)
    news = out / "news-sitemap.xml"
    urlset.validate(str(news))
    text = news.read_text(encoding="utf-8")
    # The example was revised on the 19th, its hy translation on the 20th (within 48 h): both listed.
    assert f"<loc>{BASE}hy/{EXAMPLE_ID}.html</loc>" in text and f"<loc>{BASE}en/bridge.html</loc>" in text
    assert "<news:name>Example News</news:name>" in text and "<news:language>hy</news:language>" in text
    assert "<news:publication_date>2023-09-19T18:00:00+05:30</news:publication_date>" in text
    assert f"Sitemap: {BASE}news-sitemap.xml" in (out / "robots.txt").read_text(encoding="utf-8")
    # Days later nothing is recent: the news sitemap goes, and robots.txt stops naming it.
    publish([EXAMPLE, second], locales=["hy"], out_dir=out, project=_project(), now=now + timedelta(days=5))
    assert not news.exists()
    assert "news-sitemap" not in (out / "robots.txt").read_text(encoding="utf-8")


def test_a_large_site_is_split_under_a_sitemap_index(tmp_path, make_brief, urlset, siteindex):
    out = tmp_path / "site"
    briefs = [make_brief(id=f"b{n}") for n in range(5)]
    publish(briefs, locales=[], out_dir=out, project=_project(sitemap_urls=3))
    siteindex.validate(str(out / "sitemap.xml"))
    index = (out / "sitemap.xml").read_text(encoding="utf-8")
    parts = re.findall(r"<loc>(.*?)</loc>", index)
    assert parts == [f"{BASE}sitemap-{n}.xml" for n in (1, 2, 3)]  # 7 addresses: root, en/ index, 5 pages
    listed = []
    for n in (1, 2, 3):
        urlset.validate(str(out / f"sitemap-{n}.xml"))
        listed += re.findall(r"<loc>(.*?)</loc>", (out / f"sitemap-{n}.xml").read_text(encoding="utf-8"))
    assert len(listed) == len(set(listed)) == 7
    # The site shrinks: the index becomes a plain sitemap again and the parts are removed.
    remove_from_site(out, briefs=["b0", "b1", "b2", "b3"])  # 3 addresses left
    urlset.validate(str(out / "sitemap.xml"))
    assert not list(out.glob("sitemap-*.xml"))


def test_files_stay_consistent_across_runs(tmp_path, make_brief):
    out = tmp_path / "site"
    publish([EXAMPLE], locales=["hy"], out_dir=out, project=_project())
    report = publish([_second(make_brief)], locales=["hy"], out_dir=out, project=_project())
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"{BASE}en/{EXAMPLE_ID}.html" in sitemap and f"{BASE}en/bridge.html" in sitemap  # both runs' briefs
    assert out / "sitemap.xml" in report.site_files
    again = publish([_second(make_brief)], locales=["hy"], out_dir=out, project=_project())
    assert again.site_files == []  # nothing they show changed: nothing written


def test_no_base_url_no_feeds_or_sitemaps(tmp_path):
    out = tmp_path / "site"
    publish([EXAMPLE], locales=["hy"], out_dir=out)
    assert not (out / "sitemap.xml").exists() and not (out / "robots.txt").exists()
    assert not (out / "hy" / "feed.xml").exists()
    assert (out / "hy" / "index.html").is_file() and (out / "404.html").is_file()


def test_each_language_has_an_index_in_its_own_language(tmp_path, make_brief):
    import lxml.html

    out = tmp_path / "site"
    publish([EXAMPLE, _second(make_brief)], locales=["hy", "ru"], out_dir=out, project=_project())
    page = (out / "hy" / "index.html").read_text(encoding="utf-8")
    hy = lxml.html.fromstring(page)
    assert hy.get("lang") == "hy" and hy.findtext(".//h1") == "Ամփոփագրեր"
    headlines = [(a.text_content(), a.get("lang")) for a in hy.xpath("//article/h2/a")]
    # The bridge brief was published last (the 20th): it comes first, its English headline marked English.
    assert headlines[0] == ("Bridge reopens after repairs", "en")
    assert headlines[1][0].startswith("Ադրբեջանը") and headlines[1][1] is None
    assert [a.get("href") for a in hy.xpath("//article/h2/a")] == ["bridge.html", f"{EXAMPLE_ID}.html"]
    assert get_locale("hy").format_date(datetime(2023, 9, 20), "long") in page  # a revision, in Armenian
    assert 'href="feed.xml"' in page and "Atom լրահոս" in page
    root = lxml.html.fromstring((out / "index.html").read_text(encoding="utf-8"))
    assert {"hy/index.html", "ru/index.html", "en/index.html"} <= {a.get("href") for a in root.iter("a")}


def test_the_404_page_speaks_every_language_of_the_site(tmp_path):
    out = tmp_path / "site"
    publish([EXAMPLE], locales=["hy", "ru", "ka"], out_dir=out, project=_project())
    page = (out / "404.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in page
    assert '<section lang="hy" dir="ltr">' in page and "Էջը չի գտնվել" in page
    assert '<section lang="ru" dir="ltr">' in page and "Страница не найдена" in page
    assert f'href="{BASE}ru/index.html"' in page
    # polybrief ships no Georgian UI catalog: that section is English, and says so.
    assert page.count('<section lang="en" dir="ltr">') == 2
