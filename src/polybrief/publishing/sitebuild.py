"""One consistent site: the manifest's pages plus this run's, and what follows from the union.

:class:`SiteBuild` is what :func:`polybrief.publish` (and ``polybrief site
remove``) use between reading the manifest (:mod:`polybrief.site`) and
writing it back:

1. each brief's pages built by the run are merged into the manifest
   (:meth:`SiteBuild.merge`), with what they were made from;
2. every brief's language versions are the union of the manifest's pages and
   the run's (:func:`~polybrief.site.pages.merged_versions`): the run's pages
   link every version on record, not just the run's;
3. pages on record that the run did not publish but whose links are now
   wrong — the brief gained or lost a language, or the base URL changed — are
   built again from their recorded sources (:meth:`SiteBuild.refresh_tasks`):
   the brief and catalog files on record, the policy they were published
   with, and the machine translations they showed (an engine run cannot be
   replayed, so accepted output is kept in the manifest).  They are rendered
   with the current run's templates, locale data, glossary and digits —
   never with folders the manifest names, which is data that whoever can
   write the output folder can write — and in the sandbox if they were
   published in it (the sandbox only ever becomes stricter).  The brief file
   must be one a page of the brief was made from (its hash on record; the
   run's own pages record the file as it is now): a brief edited since and
   not published again is not published by the back door, and a record
   planted to name some other file (an embargoed draft) publishes nothing;
4. the index lists every brief and version of the merged site
   (:meth:`SiteBuild.index_entries`), and is written only when what it
   shows changed;
5. the manifest is written last, with each file's hash.

The base URL is a site setting: a run without ``--base-url`` keeps the one on
record; a run with a different one re-renders every page.
"""

from __future__ import annotations

import hashlib
import logging
import shlex
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from datetime import datetime

from ..brief_io import BriefSource
from ..errors import BriefError
from ..provenance import MachineTranslation, TranslationPolicy, is_full_version
from ..rendering import Alternate
from ..session import Session
from ..site.inputs import InputHasher, canonical
from ..site.manifest import (
    BriefRecord,
    FileRecord,
    HistoryEntry,
    PageRecord,
    SiteManifest,
    manifest_chunks,
    shared,
)
from ..site.manifest_read import load_manifest
from .sitepages import PARTLY_TRANSLATED, PLAIN_TEXT, language_links
from .tasks import EXTENSIONS, BriefOutcome, BriefTask, MachineResults, Version, page_path

__all__ = ["SiteBuild", "policy_from_settings"]

_FORMATS_BY_EXTENSION = {ext: fmt for fmt, ext in EXTENSIONS.items()}

log = logging.getLogger(__name__)


def policy_from_settings(settings: Mapping[str, Any]) -> TranslationPolicy:
    drafts = settings.get("drafts", "exclude")
    return TranslationPolicy(drafts="include" if drafts == "include" else "exclude",
                             strict=bool(settings.get("strict", False)),
                             allow_qa_errors=bool(settings.get("allow_qa_errors", False)),
                             allow_mt_failure=bool(settings.get("allow_mt_failure", False)))


class SiteBuild:
    """The site manifest of an output folder, merged with one run (see the module docstring)."""

    def __init__(self, out: Path, session: Session, *, manifest: SiteManifest | None = None) -> None:
        self.out = Path(out)
        self.session = session
        self.manifest = manifest if manifest is not None else load_manifest(self.out, limits=session.project.limits)
        self.base_url = session.project.base_url or self.manifest.base_url
        #: ``--index-threshold``: the reviewed share that makes a page a full language version.
        self.threshold = session.project.index_threshold
        self.hasher = InputHasher(session, self.manifest)
        self._built: dict[str, tuple[str, ...]] = {}
        """The locales of each brief whose pages this run built (one shared tuple per set of locales)."""
        self.sources: dict[str, BriefSource] = {}
        """Briefs of the run given in memory (no file to load them from again), by id."""
        self._labels: dict[tuple[str, Path | None, str], tuple[str, str]] = {}

    # -- versions and links -------------------------------------------------------------------

    def partial(self, record: BriefRecord, page: PageRecord) -> bool:
        """Whether a page on record is a partial language version under this run's ``--index-threshold``
        (:func:`~polybrief.provenance.is_full_version`): out of hreflang, language menus, sitemaps and feeds,
        and labelled "partly translated" in the indexes."""
        return not is_full_version(page.provenance, self.threshold, original=page.locale == record.language)

    def _versions_of(self, record: BriefRecord) -> tuple[Version, ...]:
        return tuple(Version(p.locale, p.name, tuple(p.files), self.partial(record, p))
                     for p in record.pages.values())

    def recorded_versions(self) -> dict[str, tuple[Version, ...]]:
        """Every brief on record with its versions, in site order (what a worker needs for links)."""
        return {bid: self._versions_of(record) for bid, record in self.manifest.briefs.items()}

    def recorded_versions_of(self, brief_id: str) -> tuple[Version, ...]:
        record = self.manifest.briefs.get(brief_id)
        return self._versions_of(record) if record is not None else ()

    def versions(self, brief_id: str, fmt: str = "html", *, partial: bool = True) -> list[PageRecord]:
        """Every published version of a brief in ``fmt`` (source language first); ``partial=False``: only
        the full ones, which other pages link (see "Honest language claims" in :mod:`polybrief.publishing`)."""
        record = self.manifest.briefs.get(brief_id)
        if record is None:
            return []
        return [page for page in record.pages.values()
                if fmt in page.files and (partial or not self.partial(record, page))]

    def url(self, brief_id: str, tag: str, fmt: str = "html") -> str | None:
        """A page's absolute URL, when the site has a base URL."""
        return f"{self.base_url}{page_path(brief_id, tag, fmt)}" if self.base_url else None

    def alternates(self, brief_id: str, current: str, fmt: str = "html") -> list[Alternate]:
        """The language versions a page of ``brief_id`` in ``current`` links (itself included)."""
        ext = EXTENSIONS[fmt]
        record = self.manifest.briefs[brief_id]
        return [
            Alternate(tag=page.locale, name=page.name, href=f"../{page.locale}/{brief_id}.{ext}",
                      current=page.locale == current, url=self.url(brief_id, page.locale, fmt),
                      partial=self.partial(record, page))
            for page in self.versions(brief_id, fmt)
            if page.locale == current or not self.partial(record, page)
        ]

    def links_stale(self, brief_id: str, page: PageRecord) -> bool:
        if "html" not in page.files:
            return False
        wanted = [p.locale for p in self.versions(brief_id, "html", partial=False)]
        return page.alternates != wanted or page.base_url != self.base_url

    # -- merging a run ------------------------------------------------------------------------

    def merge(self, outcome: BriefOutcome) -> None:
        """Put the pages of ``outcome`` on record (see :class:`~polybrief.site.manifest.PageRecord`)."""
        manifest = self.manifest
        manifest.contexts.update(outcome.contexts)
        manifest.stat.update(outcome.stat)
        record = manifest.briefs.get(outcome.brief_id)
        if record is None:
            record = manifest.briefs[outcome.brief_id] = BriefRecord(
                id=outcome.brief_id, language=outcome.language, published=outcome.published)
        elif outcome.path is not None and record.path is not None and record.path != outcome.path:
            log.info("brief %s now comes from %s (was %s)", outcome.brief_id, outcome.path, record.path)
        record.language = outcome.language
        record.published = outcome.published
        record.modified, record.authors = outcome.modified or None, list(outcome.authors)
        record.path, record.catalog_root = outcome.path, outcome.catalog_root
        manifest.forget_paths()
        pages = dict(record.pages)
        for page in outcome.pages:
            new = page.record
            old = pages.get(page.tag)
            rendered = {s.fmt for s in page.staged}
            if old is not None:
                files: dict[str, FileRecord] = {f: r for f, r in old.files.items() if f not in rendered}
                files.update(new.files)
                new.files = files
                if "html" not in rendered:
                    new.alternates, new.base_url = old.alternates, old.base_url
                if not rendered:
                    new.settings = old.settings
            for staged in page.staged:
                manifest.stat[page_path(outcome.brief_id, page.tag, staged.fmt)] = staged.signature
            new.history = _history(old.history if old is not None else [], new.modified, record.modified)
            pages[page.tag] = new
            built = self._built.get(outcome.brief_id, ())
            if page.tag not in built:
                built = (*built, page.tag)
                self._built[outcome.brief_id] = shared(built)
        record.pages = _ordered(pages, record.language)

    # -- pages to render again ----------------------------------------------------------------

    def stale_pages(self, briefs: Sequence[str] | None = None) -> list[tuple[BriefRecord, PageRecord]]:
        """Pages on record, not built by this run, whose links no longer match the site: pages of other
        runs, and pages of this run left as they were when a page built beside them turned out to make a
        different language claim than the plan expected (a translation that became full or partial)."""
        out = []
        for record, page in self.manifest.pages():
            if briefs is not None and record.id not in briefs:
                continue
            if page.locale not in self._built.get(record.id, ()) and self.links_stale(record.id, page):
                out.append((record, page))
        return out

    def refresh_tasks(self, pages: Sequence[tuple[BriefRecord, PageRecord]], *, first: int = 0) -> list[BriefTask]:
        """Tasks building ``pages`` again from their recorded sources (see the module docstring)."""
        tasks = []
        for number, (record, page) in enumerate(pages):
            source: Path | BriefSource | None = self.sources.get(record.id)
            expect: tuple[str, ...] | None = None
            if source is None:
                source = self._recorded_path(record, page)
                expect = tuple(sorted({p.brief_sha256 for p in record.pages.values() if p.brief_sha256}))
            machine: MachineResults = {path: MachineTranslation(text=str(m["text"]), score=float(m.get("score", 0.0)),
                                                engine=str(m.get("engine", "")),
                                                models=tuple(str(x) for x in m.get("models", ())))
                       for path, m in page.machine.items()}
            versions = self._versions_of(record)
            tasks.append(BriefTask(
                index=first + number, source=source, only={page.locale: tuple(page.files)},
                machine={page.locale: machine} if machine else None, policy=policy_from_settings(page.settings),
                catalog_root=self.manifest.resolve_path(record.catalog_root), expect_id=record.id,
                expect_sha256=expect,
                versions=versions, sandboxed=bool(page.settings.get("sandboxed_templates")),
            ))
        return tasks

    def _recorded_path(self, record: BriefRecord, page: PageRecord) -> Path:
        path = self.manifest.resolve_path(record.path)
        hint = (f"publish {record.id} again, or take it off the site: "
                f"polybrief site remove {shlex.quote(str(self.out))} --brief {record.id}")
        if path is None:
            raise BriefError(f"cannot re-render the {page.locale} page of {record.id!r} with its new language "
                             "links: it was published from memory, not from a file", hint=hint)
        if not path.is_file():
            raise BriefError(f"cannot re-render the {page.locale} page of {record.id!r} with its new language "
                             "links: its brief file is gone", file=path, hint=hint)
        return path

    # -- removing -----------------------------------------------------------------------------

    def remove(self, brief_id: str, tag: str | None = None) -> list[Path]:
        """Take a brief (or one of its locales) off the record; returns the files to delete."""
        record = self.manifest.briefs.get(brief_id)
        if record is None:
            return []
        tags = [tag] if tag is not None else list(record.pages)
        files = []
        for t in tags:
            page = record.pages.pop(t, None)
            if page is not None:
                for fmt in page.files:
                    files.append(self.out / page_path(brief_id, t, fmt))
                    self.manifest.stat.pop(page_path(brief_id, t, fmt), None)
        if not record.pages:
            del self.manifest.briefs[brief_id]
            self.manifest.forget_paths()
        return files

    def remember_shared_files(self) -> None:
        """Hash (through the ``stat`` cache) every file the contexts on record name, so the manifest keeps
        their signatures and the next run does not read them again (workers hash them in their own copy)."""
        for context in self.manifest.contexts.values():
            for path in _context_paths(context):
                resolved = self.manifest.resolve_path(path)
                if resolved is not None:
                    self.hasher.sha(resolved)

    def manifest_chunks(self) -> Iterator[str]:
        """The updated manifest, for writing together with the pages (last)."""
        self.manifest.base_url = self.base_url
        self._prune_stat()
        return manifest_chunks(self.manifest)

    def _prune_stat(self) -> None:
        """Forget the hashes of files no page reads any more."""
        manifest = self.manifest
        keep: set[str] = {"index.html", *manifest.site_files}
        for context in manifest.contexts.values():
            keep.update(_context_paths(context))
        for record in manifest.briefs.values():
            if record.path:
                keep.add(record.path)
            for page in record.pages.values():
                if page.catalog:
                    keep.add(page.catalog[0])
        for path in [p for p in manifest.stat if p not in keep and not self._is_page(p)]:
            del manifest.stat[path]

    def _is_page(self, stored: str) -> bool:
        """Whether ``stored`` is the :func:`~.tasks.page_path` of a file on record (read back from the name
        rather than by making every page's path: a set of 80,000 of them was a peak of its own)."""
        tag, _, name = stored.partition("/")
        brief_id, _, ext = name.rpartition(".")
        record = self.manifest.briefs.get(brief_id)
        page = record.pages.get(tag) if record is not None else None
        fmt = _FORMATS_BY_EXTENSION.get(ext)
        return page is not None and fmt is not None and fmt in page.files and page_path(brief_id, tag, fmt) == stored

    # -- the index ----------------------------------------------------------------------------

    def index_entries(self) -> Iterator[dict[str, Any]]:
        """Every brief of the site (newest first) with every version, for ``index.html.j2``.

        Each version carries what the index shows *in that version's language*:
        its headline (with the language the headline is actually in, which is
        the source language when it fell back), its language's own name, the
        publication date formatted for its locale, and the label of its
        plain-text link from its locale's UI catalog.
        """
        records = sorted(self.manifest.briefs.values(), key=lambda r: (r.published, r.id), reverse=True)
        for record in records:
            pages = list(record.pages.values())
            if not pages:
                continue
            lead = record.pages.get(record.language) or pages[0]
            published = datetime.fromisoformat(record.published)
            root = self.manifest.resolve_path(record.catalog_root)
            versions: list[dict[str, Any]] = []
            for page in pages:
                formats = [fmt for fmt in EXTENSIONS if fmt in page.files]
                primary, others = formats[0], formats[1:]
                labels = {fmt: self.label(page.locale, root, PLAIN_TEXT) if fmt == "text" else (fmt, page.locale)
                          for fmt in others}
                partial = self.partial(record, page)
                versions.append({
                    "tag": page.locale, "dir": page.dir, "name": f"{page.name} ({page.locale})",
                    "language": page.name, "headline": page.headline, "headline_lang": page.headline_lang,
                    "headline_dir": self._direction(page.headline_lang),
                    "standfirst": page.standfirst, "standfirst_lang": page.standfirst_lang,
                    "published": published.isoformat(),
                    "published_date": page.published_date or self._date(page.locale, published),
                    "href": page_path(record.id, page.locale, primary),
                    "url": self.url(record.id, page.locale, primary),
                    "format": primary, "provenance": dict(page.provenance),
                    "others": [{"label": labels[fmt][0], "label_lang": labels[fmt][1], "format": fmt,
                                "href": page_path(record.id, page.locale, fmt)} for fmt in others],
                })
                if partial:
                    label, lang = self.label(page.locale, root, PARTLY_TRANSLATED)
                    versions[-1]["partial"] = {"label": label, "lang": lang}
            yield {
                "id": record.id, "headline": lead.headline, "lang": lead.headline_lang,
                "dir": self._direction(lead.headline_lang), "published": published.isoformat(),
                "published_date": lead.published_date or self._date(lead.locale, published),
                "standfirst": lead.standfirst, "standfirst_lang": lead.standfirst_lang,
                "versions": versions,
            }

    def _direction(self, tag: str) -> str:
        return self.session.locale(tag).direction

    def _date(self, tag: str, published: Any) -> str:
        return self.session.locale(tag).format_date(published, "long")

    def label(self, tag: str, root: Path | None, message: str) -> tuple[str, str]:
        """``message`` (:data:`PLAIN_TEXT`, :data:`PARTLY_TRANSLATED`) in ``tag``'s UI catalog, and the language
        it is in (English when the catalog lacks it): what the indexes print beside a version."""
        key = (tag, root, message)
        label = self._labels.get(key)
        if label is None:
            info = self.session.locale(tag)
            text = self.session.renderer.ui.translations(info, root).gettext(message)
            label = self._labels[key] = (text, tag if text != message or info.language == "en" else "en")
        return label

    def index_fingerprint(self) -> str:
        """A hash of everything ``index.html`` shows and is rendered with (entries, template, settings)."""
        digest = hashlib.sha256()
        cid, context = self.hasher.index_context()
        self.manifest.contexts[cid] = context
        digest.update(cid.encode("ascii"))
        for entry in self.index_entries():
            digest.update(canonical(entry).encode("utf-8"))
        return digest.hexdigest()

    def render_index(self) -> Iterator[str]:
        """``index.html``, piece by piece (with a link to each language's own index)."""
        return self.session.renderer.render_index_chunks(self.index_entries(), languages=language_links(self))


def _context_paths(context: Mapping[str, Any]) -> list[str]:
    """Every file a context names (UI catalog, glossary, templates, locale data), as stored."""
    paths = []
    for key in ("ui_catalog", "ui_file", "glossary"):
        entry = context.get(key)
        if isinstance(entry, dict) and entry.get("path"):
            paths.append(str(entry["path"]))
    paths += [str(e["path"]) for e in (context.get("templates") or {}).values() if e.get("path")]
    paths += list(context.get("locale_data") or {})
    return paths


#: Changes of a page kept in its history (the oldest are dropped).
HISTORY_LENGTH = 20


def _history(history: list[HistoryEntry], modified: str | None, source: str | None) -> list[HistoryEntry]:
    """A page's history with one more entry when its own time or the source revision it follows changed."""
    entry = (modified or "", source or "")
    if history and history[-1] == entry:
        return history
    return [*history, entry][-HISTORY_LENGTH:]


def _ordered(pages: dict[str, PageRecord], language: str) -> dict[str, PageRecord]:
    first = {tag: page for tag, page in pages.items() if tag == language}
    return {**first, **{tag: page for tag, page in pages.items() if tag != language}}
