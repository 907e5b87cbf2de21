"""One consistent site: the manifest's pages plus this run's, and what follows from the union.

:class:`SiteBuild` is what :func:`polybrief.publish` (and ``polybrief site
remove``) use between reading the manifest and writing it back:

1. the run registers the pages it localised (:meth:`SiteBuild.add`);
2. every brief's language versions are the union of the manifest's pages and
   the run's (:meth:`SiteBuild.alternates`): the run's pages link every
   version on record, not just the run's;
3. pages on record that the run did not publish but whose links are now
   wrong — the brief gained or lost a language, or the base URL changed — are
   localised again from their recorded sources (:meth:`SiteBuild.refresh`):
   the brief and catalog files on record, the policy they were published
   with, and the machine translations they showed (an engine run cannot be
   replayed, so accepted output is kept in the manifest).  They are rendered
   with the current run's templates.  If the brief file changed since, the
   page shows the current brief, as a page of the run would;
4. the index lists every brief and version of the merged site
   (:meth:`SiteBuild.index_entries`);
5. after the pages are written, the manifest is saved with each file's hash.

The base URL is a site setting: a run without ``--base-url`` keeps the one on
record; a run with a different one re-renders every page.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BriefError
from ..provenance import Provenance, TranslationPolicy
from ..render import Alternate
from .inputs import InputHasher
from .manifest import (
    BriefRecord,
    PageRecord,
    SiteManifest,
    load_manifest,
    manifest_text,
    save_manifest,
    sha256_bytes,
)

if TYPE_CHECKING:
    from ..catalogs.brief import BriefCatalog
    from ..localise import LocalisedBrief
    from ..mt.base import MachineTranslation
    from ..project import BriefSource, Project

__all__ = ["SiteBuild", "Refresh", "EXTENSIONS", "page_path", "encode_page"]

log = logging.getLogger(__name__)

EXTENSIONS: dict[str, str] = {"html": "html", "text": "txt"}


def page_path(brief_id: str, tag: str, fmt: str) -> str:
    """A page's path inside the output folder: ``<locale>/<brief id>.<ext>``."""
    return f"{tag}/{brief_id}.{EXTENSIONS[fmt]}"


#: Written at the start of every ``.txt`` page (see :func:`encode_page`).
UTF8_BOM = "\ufeff"


def encode_page(text: str, fmt: str) -> bytes:
    """A rendered page as the bytes written to disk: UTF-8, and for plain text with a byte-order mark.

    A plain static server (Python's ``http.server``, many S3-style hosts, a
    default nginx) sends ``.txt`` as ``text/plain`` without a charset, and
    browsers then decode it as windows-1252: Armenian and Russian become
    mojibake.  HTML declares its encoding itself (``<meta charset>``); plain
    text has no such place except the byte-order mark, which every browser
    honours ahead of any guess (the WHATWG Encoding standard's BOM sniffing)
    and which editors and ``less`` ignore.  The renderer's output
    (``polybrief render``, :meth:`~polybrief.Renderer.render`) stays without
    one; only files written by ``publish`` carry it.
    """
    if fmt == "text" and not text.startswith(UTF8_BOM):
        text = UTF8_BOM + text
    return text.encode("utf-8")


def policy_settings(policy: TranslationPolicy) -> dict[str, Any]:
    return {"drafts": policy.drafts, "strict": policy.strict, "allow_qa_errors": policy.allow_qa_errors,
            "allow_mt_failure": policy.allow_mt_failure}


def policy_from_settings(settings: Mapping[str, Any]) -> TranslationPolicy:
    drafts = settings.get("drafts", "exclude")
    return TranslationPolicy(drafts="include" if drafts == "include" else "exclude",
                             strict=bool(settings.get("strict", False)),
                             allow_qa_errors=bool(settings.get("allow_qa_errors", False)),
                             allow_mt_failure=bool(settings.get("allow_mt_failure", False)))


@dataclass(frozen=True, slots=True)
class Refresh:
    """A page on record that is rendered again in this run, with what it is rendered from."""

    localised: LocalisedBrief
    catalog: BriefCatalog | None
    formats: tuple[str, ...]
    policy: TranslationPolicy
    machine: Mapping[str, MachineTranslation]


class SiteBuild:
    """The site manifest of an output folder, merged with one run (see the module docstring)."""

    def __init__(self, out: Path, project: Project, *, manifest: SiteManifest | None = None) -> None:
        self.out = Path(out)
        self.project = project
        self.manifest = manifest if manifest is not None else load_manifest(self.out)
        recorded = self.manifest.base_url
        self.base_url = project.base_url or recorded
        self.hasher = InputHasher(project, self.manifest)
        self._run: set[tuple[str, str]] = set()
        self._sources: dict[str, BriefSource] = {}

    # -- registering pages ----------------------------------------------------------------------

    def add(
        self,
        item: LocalisedBrief,
        *,
        catalog: BriefCatalog | None,
        formats: Sequence[str],
        policy: TranslationPolicy,
        machine: Mapping[str, MachineTranslation] | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> PageRecord:
        """Record ``item`` as published in ``formats`` (file hashes come with :meth:`record_file`)."""
        brief = item.brief
        source = item.source
        if source is not None:
            self._sources[brief.id] = source
        record = self.manifest.briefs.get(brief.id)
        store = self.manifest.store_path
        if record is None:
            record = self.manifest.briefs[brief.id] = BriefRecord(
                id=brief.id, language=item.source_locale.tag, published=brief.published.isoformat())
        elif source is not None and source.path is not None and record.path is not None \
                and self.manifest.resolve_path(record.path) != Path(source.path).absolute():
            log.info("brief %s now comes from %s (was %s)", brief.id, source.path, record.path)
        record.language = item.source_locale.tag
        record.published = brief.published.isoformat()
        if source is not None:
            record.path = store(source.path)
            record.catalog_root = store(source.catalog_root)
        old = record.pages.get(item.locale.tag)
        files = {fmt: dict(entry) for fmt, entry in (old.files if old else {}).items() if fmt not in formats}
        files.update({fmt: {"path": page_path(brief.id, item.locale.tag, fmt)} for fmt in formats})
        accepted = {path: segment for path, segment in item.segments_by_path.items()
                    if segment.provenance is Provenance.MACHINE}
        kept_machine = {path: _machine_json(machine[path]) for path in accepted if machine and path in machine}
        page = PageRecord(
            locale=item.locale.tag, name=item.locale.name, dir=item.locale.direction,
            headline=item.headline.text, headline_lang=item.headline.lang,
            standfirst=item.standfirst.text if item.standfirst is not None else None,
            standfirst_lang=item.standfirst.lang if item.standfirst is not None else None,
            provenance=item.provenance_counts(),
            settings={**policy_settings(policy), **(settings or self._folder_settings())},
            machine=kept_machine,
            inputs=self.hasher.page(source or _memory_source(item), item.locale, catalog),
            files=files,
        )
        # The source-language page leads; other versions keep the order they were first published in.
        pages = dict(record.pages)
        pages[item.locale.tag] = page
        record.pages = _ordered(pages, record.language)
        self._run.add((brief.id, item.locale.tag))
        return page

    def _folder_settings(self) -> dict[str, Any]:
        store = self.manifest.store_path
        glossary = self.project.glossary
        return {
            "templates": [store(p) for p in self.project.template_dirs],
            "locale_data": [store(p) for p in self.project.locale_dirs],
            "glossary": store(Path(glossary.file)) if glossary is not None and glossary.file else None,
        }

    # -- links ------------------------------------------------------------------------------------

    def versions(self, brief_id: str, fmt: str = "html") -> list[PageRecord]:
        """Every published version of a brief in ``fmt`` (source language first)."""
        record = self.manifest.briefs.get(brief_id)
        if record is None:
            return []
        return [page for page in record.pages.values() if fmt in page.files]

    def url(self, brief_id: str, tag: str, fmt: str = "html") -> str | None:
        """A page's absolute URL, when the site has a base URL."""
        return f"{self.base_url}{page_path(brief_id, tag, fmt)}" if self.base_url else None

    def alternates(self, brief_id: str, current: str, fmt: str = "html") -> list[Alternate]:
        """The language versions a page of ``brief_id`` in ``current`` links (itself included)."""
        ext = EXTENSIONS[fmt]
        return [
            Alternate(tag=page.locale, name=page.name, href=f"../{page.locale}/{brief_id}.{ext}",
                      current=page.locale == current, url=self.url(brief_id, page.locale, fmt))
            for page in self.versions(brief_id, fmt)
        ]

    def _links_stale(self, brief_id: str, page: PageRecord) -> bool:
        if "html" not in page.files:
            return False
        wanted = [p.locale for p in self.versions(brief_id, "html")]
        return page.alternates != wanted or page.base_url != self.base_url

    # -- pages to render again ------------------------------------------------------------------

    def stale_pages(self, briefs: Sequence[str] | None = None) -> list[tuple[BriefRecord, PageRecord]]:
        """Pages on record, not published by this run, whose links no longer match the site."""
        out = []
        for record, page in self.manifest.pages():
            if briefs is not None and record.id not in briefs:
                continue
            if (record.id, page.locale) not in self._run and self._links_stale(record.id, page):
                out.append((record, page))
        return out

    def refresh(self, pages: Sequence[tuple[BriefRecord, PageRecord]], *,
                on_untranslated: Any = None) -> list[Refresh]:
        """Localise ``pages`` again from their recorded sources (see the module docstring).

        ``on_untranslated(error, brief_id, tag)`` receives a strict-mode
        :class:`~polybrief.errors.UntranslatedError` instead of raising it, so
        a run can name every failing locale at once.
        """
        from ..errors import UntranslatedError
        from ..localise import localise
        from ..mt.base import MachineTranslation

        projects: dict[TranslationPolicy, Project] = {}
        out: list[Refresh] = []
        for record, page in pages:
            source = self._source(record, page)
            policy = policy_from_settings(page.settings)
            project = projects.get(policy)
            if project is None:
                project = projects[policy] = (self.project if policy == self.project.policy
                                              else self.project.with_options(policy=policy))
            info = self.project.locale(page.locale)
            catalog = self.project.catalog(source, info)
            machine = {path: MachineTranslation(text=str(m["text"]), score=float(m.get("score", 0.0)),
                                                engine=str(m.get("engine", "")),
                                                models=tuple(str(x) for x in m.get("models", ())))
                       for path, m in page.machine.items()}
            try:
                localised = localise(source, info, project=project, catalog=catalog, machine=machine or None)
            except UntranslatedError as exc:
                if on_untranslated is None:
                    raise
                on_untranslated(exc, record.id, page.locale)
                continue
            out.append(Refresh(localised, catalog, tuple(page.files), policy, machine))
        return out

    def _source(self, record: BriefRecord, page: PageRecord) -> BriefSource:
        known = self._sources.get(record.id)
        if known is not None:
            return known
        from ..brief_io import load
        from ..project import BriefSource

        path = self.manifest.resolve_path(record.path)
        hint = (f"publish {record.id} again, or take it off the site: "
                f"polybrief site remove {self.out} --brief {record.id}")
        if path is None:
            raise BriefError(f"cannot re-render the {page.locale} page of {record.id!r} with its new language "
                             "links: it was published from memory, not from a file", hint=hint)
        if not path.is_file():
            raise BriefError(f"cannot re-render the {page.locale} page of {record.id!r} with its new language "
                             "links: its brief file is gone", file=path, hint=hint)
        brief = load(path)
        if brief.id != record.id:
            raise BriefError(f"cannot re-render the {page.locale} page of {record.id!r}: the file now holds "
                             f"brief {brief.id!r}", file=path, field="id", hint=hint)
        catalog_root = self.manifest.resolve_path(record.catalog_root)
        source = BriefSource(brief, path, catalog_root)
        self._sources[record.id] = source
        return source

    # -- rendering ----------------------------------------------------------------------------------

    def render(self, item: LocalisedBrief, formats: Sequence[str]) -> list[tuple[Path, bytes, str]]:
        """``item`` rendered in each of ``formats`` with the site's links: ``(path, bytes, format)``."""
        out = []
        renderer = self.project.renderer
        for fmt in formats:
            alternates = self.alternates(item.brief.id, item.locale.tag) if fmt == "html" else []
            text = renderer.render(item, format=fmt, alternates=alternates)  # type: ignore[arg-type]
            data = encode_page(text, fmt)
            self.rendered(item.brief.id, item.locale.tag, fmt, data, alternates)
            out.append((self.out / page_path(item.brief.id, item.locale.tag, fmt), data, fmt))
        return out

    def render_index(self) -> str:
        return self.project.renderer.render_index(self.index_entries())

    def rendered(self, brief_id: str, tag: str, fmt: str, data: bytes, alternates: Sequence[Alternate]) -> None:
        """Record what one file was rendered with: its hash, its templates and (html) its links."""
        from ..render import TEMPLATE_NAMES

        page = self.manifest.briefs[brief_id].pages[tag]
        page.files[fmt] = {"path": page_path(brief_id, tag, fmt), "sha256": sha256_bytes(data),
                           "templates": self.hasher.templates(TEMPLATE_NAMES[fmt])}
        if fmt == "html":
            page.alternates = [alt.tag for alt in alternates]
            page.base_url = self.base_url

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
                files += [self.out / str(entry.get("path") or page_path(brief_id, t, fmt))
                          for fmt, entry in page.files.items()]
        if not record.pages:
            del self.manifest.briefs[brief_id]
        return files

    def save(self) -> Path:
        self.manifest.base_url = self.base_url
        return save_manifest(self.manifest)

    def manifest_file(self) -> tuple[Path, str]:
        """``(path, text)`` of the updated manifest, for writing together with the pages."""
        self.manifest.base_url = self.base_url
        return self.manifest.path, manifest_text(self.manifest)

    # -- the index ---------------------------------------------------------------------------------

    def index_entries(self) -> list[dict[str, Any]]:
        """Every brief of the site (newest first) with every version, for ``index.html.j2``.

        Each version carries what the index shows *in that version's language*:
        its headline (with the language the headline is actually in, which is
        the source language when it fell back), its language's own name, the
        publication date formatted for its locale, and the label of its
        plain-text link from its locale's UI catalog.
        """
        from datetime import datetime

        entries = []
        records = sorted(self.manifest.briefs.values(), key=lambda r: (r.published, r.id), reverse=True)
        for record in records:
            pages = list(record.pages.values())
            if not pages:
                continue
            lead = record.pages.get(record.language) or pages[0]
            published = datetime.fromisoformat(record.published)
            root = self.manifest.resolve_path(record.catalog_root)
            versions = []
            for page in pages:
                info = self.project.locale(page.locale)
                ui = self.project.renderer.ui.translations(info, root)
                formats = [fmt for fmt in EXTENSIONS if fmt in page.files]
                primary, others = formats[0], formats[1:]
                versions.append({
                    "tag": page.locale, "dir": page.dir, "name": f"{page.name} ({page.locale})",
                    "language": page.name, "headline": page.headline, "headline_lang": page.headline_lang,
                    "headline_dir": self.project.locale(page.headline_lang).direction,
                    "standfirst": page.standfirst, "standfirst_lang": page.standfirst_lang,
                    "published": published.isoformat(), "published_date": info.format_date(published, "long"),
                    "href": page_path(record.id, page.locale, primary),
                    "url": self.url(record.id, page.locale, primary),
                    "format": primary, "provenance": dict(page.provenance),
                    "others": [{"label": ui.gettext("Plain text") if fmt == "text" else fmt, "format": fmt,
                                "href": page_path(record.id, page.locale, fmt)} for fmt in others],
                })
            entries.append({
                "id": record.id, "headline": lead.headline, "lang": lead.headline_lang,
                "dir": self.project.locale(lead.headline_lang).direction, "published": published.isoformat(),
                "published_date": self.project.locale(lead.locale).format_date(published, "long"),
                "standfirst": lead.standfirst, "standfirst_lang": lead.standfirst_lang,
                "versions": versions,
            })
        return entries


def _ordered(pages: dict[str, PageRecord], language: str) -> dict[str, PageRecord]:
    first = {tag: page for tag, page in pages.items() if tag == language}
    return {**first, **{tag: page for tag, page in pages.items() if tag != language}}


def _machine_json(result: MachineTranslation) -> dict[str, Any]:
    return {"text": result.text, "score": result.score, "engine": result.engine, "models": list(result.models)}


def _memory_source(item: LocalisedBrief) -> BriefSource:
    from ..project import BriefSource

    return BriefSource(item.brief, None, None)
