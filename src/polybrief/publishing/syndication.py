"""How a site is announced: an Atom feed per language, sitemaps with hreflang alternates, a Google News
sitemap, and ``robots.txt`` naming them.

Every file here is made from the site manifest (:class:`~.sitebuild.SiteBuild`),
not from the run's pages alone, so a run that publishes one brief still
writes feeds and sitemaps that list the whole site, and two runs over the
same site write the same bytes: nothing in them is read from a clock except
which briefs the Google News sitemap lists (those revised in the last
``news_hours`` hours before the run; ``SOURCE_DATE_EPOCH`` fixes the run's
time, as for catalogs).

* **What is listed.**  A page that shows passages in another language (a
  partial translation: :attr:`~polybrief.site.manifest.PageRecord.is_full`
  is false) is left out of feeds, sitemaps and their hreflang alternates;
  readers can still reach it from the site's index pages, which disclose it.
* **Times.**  An entry's ``updated`` and a sitemap's ``lastmod`` are the
  page's own ``modified`` time (when it last changed in its language); an
  Atom feed lists its pages by that time, newest first.
* **Absolute addresses.**  Atom ids, sitemap ``loc`` and the ``robots.txt``
  ``Sitemap:`` line must be absolute, so these files are written only for a
  site with a base URL (``--base-url`` or ``base_url`` in ``polybrief.toml``).
* **Split sitemaps.**  More than ``sitemap_urls`` addresses (the protocol's
  50,000 at most) are cut into ``sitemap-1.xml``, ``sitemap-2.xml``, … and
  ``sitemap.xml`` becomes their sitemap index.

Atom is written by feedgen (maintained, used by many static site
generators; it escapes and serialises through lxml, so no feed is assembled
by string concatenation).  feedgen 1.0 drops the ``rel``, ``type`` and
``hreflang`` of an *entry's* links (a variable in ``FeedEntry.atom_entry``
shadows the link it reads them from: every entry link came out bare), so
:func:`_entry_class` puts them back on the elements feedgen made; sitemaps are small fixed vocabularies written here
with every value escaped.  Both are checked in the tests against their
formats (feedparser for Atom, the sitemaps.org XSDs for sitemaps).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .._version import __version__
from ..controls import neutralise_controls
from ..newsroom import Newsroom
from ..site.manifest import BriefRecord, PageRecord
from .tasks import page_path

__all__ = ["Listed", "listed_pages", "feed", "sitemaps", "news_sitemap", "robots_txt", "run_time",
           "syndication_files"]

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
#: Google News reads at most this many addresses from one news sitemap.
NEWS_MAX_URLS = 1000


def run_time(now: datetime | None = None) -> datetime:
    """The run's time for the Google News sitemap: ``now``, else ``SOURCE_DATE_EPOCH``, else the clock."""
    if now is not None:
        return now if now.tzinfo is not None else now.replace(tzinfo=timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True)
class Listed:
    """One full HTML page of the site, as feeds and sitemaps list it."""

    record: BriefRecord
    page: PageRecord
    url: str

    @property
    def modified(self) -> str:
        return self.page.modified or self.record.modified or self.record.published


def listed_pages(briefs: Iterator[BriefRecord] | list[BriefRecord], base_url: str) -> list[Listed]:
    """Every full HTML page of ``briefs`` with its absolute address, in site order."""
    out = []
    for record in briefs:
        for page in record.pages.values():
            if "html" in page.files and page.is_full:
                out.append(Listed(record, page, base_url + page_path(record.id, page.locale, "html")))
    return out


def _text(value: str | None) -> str:
    return neutralise_controls(value or "")


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)


# -- Atom ----------------------------------------------------------------------------------------


def feed(tag: str, language: str, pages: list[Listed], *, base_url: str, newsroom: Newsroom,
         others: dict[str, list[Listed]]) -> bytes:
    """The Atom feed of one language: its pages, most recently modified first, each with links to the
    brief's other full language versions (``others``: by brief id)."""
    from feedgen.feed import FeedGenerator

    own_url = f"{base_url}{tag}/feed.xml"
    ordered = sorted(pages, key=lambda p: (_time(p.modified), p.record.id), reverse=True)[:newsroom.feed_entries]
    generator = FeedGenerator()
    generator.id(own_url)
    title = newsroom.site_name or newsroom.publisher_name or "polybrief"
    generator.title(_text(f"{title} ({language})"))
    generator.language(tag)
    generator.link(href=own_url, rel="self", type="application/atom+xml")
    generator.link(href=f"{base_url}{tag}/index.html", rel="alternate", type="text/html", hreflang=tag)
    generator.author({"name": _text(newsroom.publisher_name or title)})
    generator.generator("polybrief", version=__version__)
    latest = max((_time(p.modified) for p in ordered), default=None)
    generator.updated(latest or datetime(1970, 1, 1, tzinfo=timezone.utc))
    entry_class = _entry_class()
    for listed in ordered:
        entry = generator.add_entry(entry_class(), order="append")
        entry.id(listed.url)
        entry.title(_text(listed.page.headline))
        entry.updated(_time(listed.modified))
        entry.published(_time(listed.record.published))
        entry.link(href=listed.url, rel="alternate", type="text/html", hreflang=tag)
        for other in others.get(listed.record.id, []):
            if other.page.locale != tag:
                entry.link(href=other.url, rel="alternate", type="text/html", hreflang=other.page.locale,
                           title=_text(other.page.headline))
        if listed.page.standfirst:
            entry.summary(_text(listed.page.standfirst))
        for name in listed.record.authors:
            entry.author({"name": _text(name)})
    data: bytes = generator.atom_str(pretty=True)
    return data


def _entry_class() -> Any:
    """feedgen's ``FeedEntry`` with its entry links' attributes restored (see the module docstring)."""
    from feedgen.entry import FeedEntry

    class Entry(FeedEntry):
        def __init__(self) -> None:
            super().__init__()
            self.links: list[dict[str, str]] = []

        def link(self, link: Any = None, replace: bool = False, **kwargs: Any) -> Any:
            if kwargs:
                self.links.append({k: str(v) for k, v in kwargs.items()})
            return super().link(link, replace, **kwargs)

        def atom_entry(self, extensions: bool = True) -> Any:
            element = super().atom_entry(extensions)
            links = [child for child in element if child.tag == "link"]
            for child, wanted in zip(links, self.links):
                for name in ("rel", "type", "hreflang", "title"):
                    if wanted.get(name):
                        child.attrib[name] = wanted[name]
            return element

    return Entry


# -- sitemaps ------------------------------------------------------------------------------------


def _url_element(loc: str, lastmod: str | None, alternates: list[tuple[str, str]]) -> str:
    parts = [f"<url><loc>{escape(loc)}</loc>"]
    if lastmod:
        parts.append(f"<lastmod>{escape(lastmod)}</lastmod>")
    parts.extend(f"<xhtml:link rel=\"alternate\" hreflang={quoteattr(tag)} href={quoteattr(href)}/>"
                 for tag, href in alternates)
    parts.append("</url>")
    return "".join(parts)


def _urlset(elements: list[str]) -> bytes:
    head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}" '
            f'xmlns:xhtml="{XHTML_NS}">\n')
    return (head + "\n".join(elements) + "\n</urlset>\n").encode("utf-8")


def sitemaps(pages: list[Listed], *, base_url: str, languages: dict[str, str | None],
             max_urls: int) -> dict[str, bytes]:
    """``sitemap.xml`` (and ``sitemap-N.xml`` when split): every full page with its hreflang alternates
    and ``x-default`` (the source-language page), the root index and each language's index.

    ``languages``: each language's index page with its latest ``lastmod``."""
    by_brief: dict[str, list[Listed]] = {}
    for listed in pages:
        by_brief.setdefault(listed.record.id, []).append(listed)
    entries: list[tuple[str, str]] = []  # (element, lastmod)
    latest = max((p.modified for p in pages), key=_time, default=None)
    entries.append((_url_element(base_url, latest, []), latest or ""))
    for tag, lastmod in languages.items():
        entries.append((_url_element(f"{base_url}{tag}/index.html", lastmod, []), lastmod or ""))
    for listed in pages:
        versions = by_brief[listed.record.id]
        alternates = [(v.page.locale, v.url) for v in versions] if len(versions) > 1 else []
        original = next((v for v in versions if v.page.locale == listed.record.language), None)
        if alternates and original is not None:
            alternates.append(("x-default", original.url))
        entries.append((_url_element(listed.url, listed.modified, alternates), listed.modified))
    if len(entries) <= max_urls:
        return {"sitemap.xml": _urlset([e for e, _ in entries])}
    files: dict[str, bytes] = {}
    index = []
    for number, start in enumerate(range(0, len(entries), max_urls), start=1):
        chunk = entries[start:start + max_urls]
        name = f"sitemap-{number}.xml"
        files[name] = _urlset([e for e, _ in chunk])
        lastmod = max((m for _, m in chunk if m), key=_time, default=None)
        index.append(f"<sitemap><loc>{escape(base_url + name)}</loc>"
                     + (f"<lastmod>{escape(lastmod)}</lastmod>" if lastmod else "") + "</sitemap>")
    files["sitemap.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
                            + "\n".join(index) + "\n</sitemapindex>\n").encode("utf-8")
    return files


def news_sitemap(pages: list[Listed], *, now: datetime, newsroom: Newsroom, language_of: dict[str, str]
                 ) -> bytes | None:
    """The Google News sitemap: full pages of briefs revised in the last ``news_hours`` hours (None: none).

    ``language_of``: each locale's ISO 639 code, as Google News names publication languages."""
    cutoff = now - timedelta(hours=newsroom.news_hours)
    recent = [p for p in pages if max(_time(p.record.published), _time(p.modified)) >= cutoff
              and _time(p.record.published) <= now]
    if not recent:
        return None
    recent.sort(key=lambda p: (_time(p.modified), p.record.id), reverse=True)
    name = escape(_text(newsroom.publication_name or "polybrief"))
    elements = []
    for listed in recent[:NEWS_MAX_URLS]:
        elements.append(
            f"<url><loc>{escape(listed.url)}</loc><news:news><news:publication>"
            f"<news:name>{name}</news:name>"
            f"<news:language>{escape(language_of.get(listed.page.locale, listed.page.locale))}</news:language>"
            f"</news:publication><news:publication_date>{escape(listed.record.published)}</news:publication_date>"
            f"<news:title>{escape(_text(listed.page.headline))}</news:title></news:news></url>")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n'
            + "\n".join(elements) + "\n</urlset>\n").encode("utf-8")


def robots_txt(base_url: str, sitemap_names: list[str]) -> bytes:
    """``robots.txt``: everything may be crawled; where the sitemaps are.  (Crawlers read it at the host's
    root only: a site served under a path must put these lines in that file.)"""
    lines = ["User-agent: *", "Allow: /", ""] + [f"Sitemap: {base_url}{name}" for name in sitemap_names]
    return ("\n".join(lines) + "\n").encode("utf-8")


def syndication_files(briefs: list[BriefRecord], *, base_url: str, newsroom: Newsroom, now: datetime,
                      names: dict[str, str], language_of: dict[str, str]) -> dict[str, bytes]:
    """Every feed and sitemap of the site, by path in the output folder (``names``: each locale's own
    name, for feed titles)."""
    pages = listed_pages(briefs, base_url)
    by_brief: dict[str, list[Listed]] = {}
    by_tag: dict[str, list[Listed]] = {}
    for listed in pages:
        by_brief.setdefault(listed.record.id, []).append(listed)
        by_tag.setdefault(listed.page.locale, []).append(listed)
    out: dict[str, bytes] = {}
    languages: dict[str, str | None] = {}
    for tag in sorted(by_tag):
        out[f"{tag}/feed.xml"] = feed(tag, names.get(tag, tag), by_tag[tag], base_url=base_url, newsroom=newsroom,
                                      others=by_brief)
        languages[tag] = max((p.modified for p in by_tag[tag]), key=_time)
    out.update(sitemaps(pages, base_url=base_url, languages=languages, max_urls=newsroom.sitemap_urls))
    listed_maps = ["sitemap.xml"]
    news = news_sitemap(pages, now=now, newsroom=newsroom, language_of=language_of)
    if news is not None:
        out["news-sitemap.xml"] = news
        listed_maps.append("news-sitemap.xml")
    out["robots.txt"] = robots_txt(base_url, listed_maps)
    return out
