"""The site's own files, made from the whole manifest at the end of a run: an index per language, the
404 page, and (with a base URL) the feeds, sitemaps and ``robots.txt`` of :mod:`.syndication`.

``index.html`` lists every brief in every language with English labels (the
site's front door); each language also gets ``<tag>/index.html`` *in that
language* — its UI catalog's labels, its briefs by their headlines in it,
dates in its CLDR format, the most recently revised first — and the 404
page says "page not found" in every language of the site, each in its own
language and direction (a visitor's language is not known there).

They are written like pages: staged beside their targets and renamed with
the rest of the run (:mod:`.commit`), and only when their bytes changed or
the file on disk is not the one written; the manifest keeps each one's
hash (``site_files``), so a file the site no longer needs (a sitemap part
after the site shrank, a news sitemap with nothing recent) is removed by the
run that stops writing it.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from ..errors import LocaleError
from ..fs import discard_staged, stage_bytes, stage_chunks
from ..site.inputs import page_signature
from ..site.manifest import sha256_bytes
from .stages import site_address
from .syndication import syndication_files
from .tasks import EXTENSIONS

if TYPE_CHECKING:
    from ..site.manifest import BriefRecord, PageRecord
    from .sitebuild import SiteBuild

__all__ = ["PLAIN_TEXT", "PARTLY_TRANSLATED", "site_files", "language_entries", "language_links", "stage_site_files"]


def N_(message: str) -> str:
    """Mark ``message`` for extraction into the UI template (translated where it is shown)."""
    return message


#: The indexes' label of a version's plain-text link, in that version's language.
PLAIN_TEXT = N_("Plain text")
# Translators: the index's note on a language version that is not fully translated and reviewed.
PARTLY_TRANSLATED = N_("partly translated")


def language_entries(site: SiteBuild, tag: str) -> Sequence[dict[str, Any]]:
    """Every brief with a version in ``tag``, the most recently revised first, as ``language-index.html.j2``
    shows it (dates in the locale's format): a sequence whose entries are made as the template reads them,
    so that a language of 10,000 briefs never holds 10,000 of them at once."""
    rows = []
    for record in site.manifest.briefs.values():
        page = record.pages.get(tag)
        if page is None or not page.files:
            continue
        published = datetime.fromisoformat(record.published)
        modified = datetime.fromisoformat(page.modified) if page.modified else published
        rows.append((modified, record.id, record, page))
    rows.sort(key=lambda row: (row[0], row[1]), reverse=True)
    return _LanguageEntries(site, tag, [(record, page) for _, _, record, page in rows])


class _LanguageEntries(Sequence[dict[str, Any]]):
    """The entries of one language's index, each made when it is read (see :func:`language_entries`)."""

    def __init__(self, site: SiteBuild, tag: str, pages: list[tuple[BriefRecord, PageRecord]]) -> None:
        self._site, self._tag, self._pages = site, tag, pages

    def __len__(self) -> int:
        return len(self._pages)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [_language_entry(self._site, self._tag, *row) for row in self._pages[index]]
        return _language_entry(self._site, self._tag, *self._pages[index])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for record, page in self._pages:
            yield _language_entry(self._site, self._tag, record, page)


def _language_entry(site: SiteBuild, tag: str, record: BriefRecord, page: PageRecord) -> dict[str, Any]:
    """One brief's entry in the index of ``tag``."""
    info = site.session.locale(tag)
    formats = [fmt for fmt in EXTENSIONS if fmt in page.files]
    published = datetime.fromisoformat(record.published)
    modified = datetime.fromisoformat(page.modified) if page.modified else published
    root = site.manifest.resolve_path(record.catalog_root)
    text_label, text_lang = site.label(tag, root, PLAIN_TEXT)
    partial = site.partial(record, page)
    return {
        "id": record.id, "headline": page.headline, "headline_lang": page.headline_lang,
        "headline_dir": _direction(site, page.headline_lang),
        "standfirst": page.standfirst, "standfirst_lang": page.standfirst_lang,
        "standfirst_dir": _direction(site, page.standfirst_lang or tag),
        "href": f"{record.id}.{EXTENSIONS[formats[0]]}",
        "published": published.isoformat(),
        "published_date": page.published_date or info.format_date(published, "long"),
        "modified": modified.isoformat(),
        "modified_date": info.format_date(modified, "long") if modified > published else None,
        "full": not partial,
        "partial": dict(zip(("label", "lang"), site.label(tag, root, PARTLY_TRANSLATED))) if partial else None,
        "others": [{"label": text_label, "label_lang": text_lang, "href": f"{record.id}.{EXTENSIONS[fmt]}"}
                   for fmt in formats[1:]],
    }


def _direction(site: SiteBuild, tag: str) -> str:
    try:
        return site.session.locale(tag).direction
    except LocaleError:
        return "ltr"


def _records(site: SiteBuild) -> list[BriefRecord]:
    """The site's briefs in a stable order (by id: the manifest is read back sorted, a run adds at the end)."""
    return [site.manifest.briefs[brief_id] for brief_id in sorted(site.manifest.briefs)]


def _languages(site: SiteBuild) -> list[str]:
    """Every locale with a page on the site, in the order briefs first list them."""
    tags: dict[str, None] = {}
    for record in _records(site):
        for tag, page in record.pages.items():
            if page.files:
                tags.setdefault(tag, None)
    return list(tags)


def language_links(site: SiteBuild) -> list[dict[str, str]]:
    """Each language's index page, named in its own language (for the root index and every language index)."""
    return [{"tag": tag, "name": site.session.locale(tag).name, "href": f"{tag}/index.html"}
            for tag in _languages(site)]


def _not_found(site: SiteBuild, tags: list[str]) -> list[dict[str, str]]:
    """The 404 page's message in every language of the site (English where a UI catalog lacks it)."""
    base = site.base_url
    out = []
    for tag in tags:
        info = site.session.locale(tag)
        ui = site.session.renderer.ui.translations(info, None)
        title, text, link = ui.gettext("Page not found"), ui.gettext("This page is not on this site."), \
            ui.gettext("Briefs")
        translated = info.language == "en" or title != "Page not found"
        out.append({"tag": tag if translated else "en", "dir": info.direction if translated else "ltr",
                    "title": title, "text": text, "link": link, "link_lang": tag if link != "Briefs" else "en",
                    "href": f"{base or '/'}{tag}/index.html"})
    return out


def site_files(site: SiteBuild, *, now: datetime) -> Iterator[tuple[str, bytes | Iterator[str]]]:
    """Every file of the site besides its pages and ``index.html``: (path in the output folder, its bytes or,
    for a language's index, its text piece by piece), one at a time, so that a run never holds a language
    index of a large site whole, let alone all of them."""
    renderer = site.session.renderer
    newsroom = site.session.project.newsroom
    tags = _languages(site)
    links = language_links(site)
    feeds: set[str] = set()
    if site.base_url is not None and tags:
        names = {tag: site.session.locale(tag).name for tag in tags}
        language_of = {tag: site.session.locale(tag).language for tag in tags}
        syndication = syndication_files(_records(site), base_url=site.base_url,
                                        newsroom=newsroom, now=now, names=names, language_of=language_of,
                                        partial=site.partial)
        feeds = set(syndication)
        yield from syndication.items()
        del syndication
    for tag in tags:
        info = site.session.locale(tag)
        # a language whose pages are all partial translations has no feed (partial pages are in none)
        feed = "feed.xml" if f"{tag}/feed.xml" in feeds else None
        # written to its temp file as it is made: the index of 10,000 briefs was 40 MiB of text and bytes at once
        yield f"{tag}/index.html", renderer.render_site_page_chunks(
            "language-index.html.j2", info, entries=language_entries(site, tag), languages=links,
            feed=feed, favicon=site_address(newsroom.favicon, site.base_url, depth=1))
    if tags:
        english = site.session.locale("en")
        page = renderer.render_site_page("404.html.j2", english, messages=_not_found(site, tags),
                                         favicon=site_address(newsroom.favicon, site.base_url, depth=0))
        yield "404.html", page.encode("utf-8")


def stage_site_files(site: SiteBuild, staged: list[str], created: list[Path],
                     now: datetime | None) -> tuple[list[Path], list[Path]]:
    """Stage every site file whose bytes changed or whose file on disk is not the one written (its temp file
    appended to ``staged``; folders made to ``created``); returns the targets staged and the
    files of earlier runs the site no longer has (to delete before the manifest is renamed into place)."""
    from .syndication import run_time

    manifest = site.manifest
    names: set[str] = set()
    written = []
    for name, data in site_files(site, now=run_time(now)):
        names.add(name)
        target = _stage_site_file(site, name, data, staged, created)
        del data  # (not kept while the next file is made)
        if target is not None:
            written.append(target)
    gone = [name for name in manifest.site_files if name not in names]
    for name in gone:
        del manifest.site_files[name]
        manifest.stat.pop(name, None)
    return written, [site.out / name for name in gone]


def _stage_site_file(site: SiteBuild, name: str, data: bytes | Iterator[str], staged: list[str],
                     created: list[Path]) -> Path | None:
    """Stage one site file unless the same bytes are on record and on disk; its target, or None.

    Text given piece by piece is written to the temp file as it comes and hashed on the way; the temp
    file is removed again when the bytes turn out to be those on record."""
    manifest = site.manifest
    target = site.out / name
    if isinstance(data, bytes):
        digest = sha256_bytes(data)
        if manifest.site_files.get(name) == digest and _same_file(site, name):
            return None
    if not target.parent.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        created.append(target.parent)
    if isinstance(data, bytes):
        tmp = stage_bytes(target, data, sync=False)
    else:
        hashed = hashlib.sha256()
        tmp = stage_chunks(target, _hashing(data, hashed), sync=False)
        digest = hashed.hexdigest()
        if manifest.site_files.get(name) == digest and _same_file(site, name):
            discard_staged(tmp)
            return None
    staged.append(os.fspath(tmp))
    manifest.stat[name] = page_signature(os.stat(tmp))
    manifest.site_files[name] = digest
    return target


def _hashing(chunks: Iterator[str], hashed: Any) -> Iterator[str]:
    """``chunks`` as they are, their UTF-8 bytes added to ``hashed`` on the way (what :func:`stage_chunks` writes)."""
    for chunk in chunks:
        hashed.update(chunk.encode("utf-8"))
        yield chunk


def _same_file(site: SiteBuild, name: str) -> bool:
    try:
        st = os.stat(site.out / name)
    except OSError:
        return False
    return site.manifest.stat.get(name) == page_signature(st)
