"""Publishing: many briefs × many locales × formats, into one folder.

Everything is rendered in memory first, so a bad catalog, a broken template or
a strict-mode failure stops the run before any file is touched.  The layout is
``DIR/<locale>/<brief-id>.html`` (and ``.txt``) for the source language and
every target, plus ``DIR/index.html``.

The site is then written all-or-nothing per run (:func:`write_site`): every
target path is checked, every page is staged as a fsynced temp file beside
its target, and only when all of them are staged are they renamed into
place.  A page path that is a folder, a locale folder that cannot be
created, or a disk that fills up stops the run with no page replaced (it
used to stop after 7 of 8, leaving the site mixed).  The renames themselves
are atomic one by one; a kill between two of them leaves each page old or
new, never half-written.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .cldr import LocaleInfo
from .errors import OutputError, PolybriefError
from .fs import commit_staged, discard_staged, ensure_dir, stage_bytes
from .localise import LocalisedBrief, localise
from .model import Brief
from .project import BriefSource, Project
from .render import Alternate, OutputFormat

if TYPE_CHECKING:
    from .catalogs.brief import BriefCatalog
    from .mt.base import MachineTranslation
    from .qa import QAReport

__all__ = ["PublishedFile", "PublishReport", "publish", "MachineProvider"]

log = logging.getLogger(__name__)

_EXTENSIONS: dict[str, str] = {"html": "html", "text": "txt"}


@dataclass(frozen=True, slots=True)
class PublishedFile:
    brief_id: str
    locale: str
    format: str
    path: Path
    provenance: Mapping[str, int]


@dataclass(frozen=True)
class PublishReport:
    out_dir: Path
    files: list[PublishedFile] = field(default_factory=list)
    index: Path | None = None
    localised: list[LocalisedBrief] = field(default_factory=list, repr=False)
    qa: QAReport | None = None

    def provenance(self, brief_id: str, locale: str) -> Mapping[str, int]:
        for item in self.localised:
            if item.brief.id == brief_id and item.locale.tag == locale:
                return item.provenance_counts()
        raise KeyError((brief_id, locale))


MachineProvider = Callable[[Sequence[tuple[BriefSource, LocaleInfo, "BriefCatalog | None"]]],
                           Mapping[tuple[str, str], Mapping[str, "MachineTranslation"]]]
"""Given every (brief, locale, catalog) of a run, returns machine translations keyed by
``(brief id, locale tag)`` then field path — one call, so an engine can batch across briefs."""


def publish(
    briefs: Sequence[str | os.PathLike[str] | Brief | BriefSource],
    *,
    locales: Sequence[str],
    out_dir: str | os.PathLike[str],
    project: Project | None = None,
    formats: Sequence[OutputFormat] = ("html", "text"),
    machine: MachineProvider | None = None,
    write_index: bool = True,
) -> PublishReport:
    """Publish every brief in its source language and in each of ``locales``.

    Templates, locale data, catalogs, glossary and policy come from
    ``project``.  Unless ``project.policy.allow_qa_errors``, every translated
    segment is checked (:mod:`polybrief.qa`) and a locale with error-level
    findings stops the run with :class:`~polybrief.errors.QualityGateError`
    before anything is written.
    """
    project = project or Project()
    out = Path(out_dir)
    renderer = project.renderer
    renderer.check_templates(formats)
    sources = [project.open_brief(b) for b in briefs]
    _check_unique_ids(sources)
    targets = [project.locale(tag) for tag in locales]

    jobs: list[tuple[BriefSource, LocaleInfo, BriefCatalog | None]] = []
    for source in sources:
        own = project.locale(source.brief.language)
        seen: set[str] = set()
        for info in [own, *targets]:
            if info.tag in seen:
                continue
            seen.add(info.tag)
            jobs.append((source, info, project.catalog(source, info)))

    machine_results = machine(jobs) if machine is not None else {}
    localised: list[LocalisedBrief] = []
    for source, info, catalog in jobs:
        mt = machine_results.get((source.brief.id, info.tag))
        localised.append(localise(source, info, project=project, catalog=catalog, machine=mt))

    from .qa import publish_gate

    qa_report = publish_gate(localised, project.glossary, allow_errors=project.policy.allow_qa_errors)

    pages: list[tuple[Path, str, PublishedFile]] = []
    for item in localised:
        versions = [x for x in localised if x.brief.id == item.brief.id]
        for fmt in formats:
            ext = _EXTENSIONS[fmt]
            alternates = [
                Alternate(tag=v.locale.tag, name=v.locale.name, href=f"../{v.locale.tag}/{item.brief.id}.{ext}",
                          current=v is item)
                for v in versions
            ]
            text = renderer.render(item, format=fmt, alternates=alternates if fmt == "html" else ())
            path = out / item.locale.tag / f"{item.brief.id}.{ext}"
            pages.append((path, text, PublishedFile(item.brief.id, item.locale.tag, fmt, path,
                                                    item.provenance_counts())))

    index_text = renderer.render_index(_index_entries(localised, formats)) if write_index else None

    _prepare_output(out)
    index_path = out / "index.html" if index_text is not None else None
    site = [(path, text) for path, text, _ in pages]
    if index_path is not None and index_text is not None:
        site.append((index_path, index_text))
    write_site(site)
    return PublishReport(out_dir=out, files=[p for _, _, p in pages], index=index_path, localised=localised,
                         qa=qa_report)


def _check_unique_ids(sources: Sequence[BriefSource]) -> None:
    seen: dict[str, BriefSource] = {}
    for source in sources:
        other = seen.get(source.brief.id)
        if other is not None:
            raise PolybriefError(
                f"two briefs share the id {source.brief.id!r}",
                file=source.path, field="id",
                hint=f"also used by {other.path or 'another brief'}; ids name the output files and must differ",
            )
        seen[source.brief.id] = source


def write_site(files: Sequence[tuple[Path, str]]) -> None:
    """Write every ``(path, text)`` or none: check all targets, stage all, then rename all into place."""
    for folder in dict.fromkeys(path.parent for path, _ in files):
        ensure_dir(folder)  # a blocked locale folder fails the run before any page is written
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError("folder is not writable", file=folder, hint="choose an output folder you can write to")
    for path, _ in files:
        if path.is_dir() and not path.is_symlink():
            raise OutputError("a folder stands where a page must be written; no page was replaced", file=path,
                              hint="remove or rename the folder")
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files:
            staged.append((stage_bytes(path, text.encode("utf-8")), path))
    except BaseException:
        for tmp, _ in staged:
            discard_staged(tmp)
        raise
    for done, (tmp, path) in enumerate(staged):
        try:
            commit_staged(tmp, path)
        except BaseException:
            for rest, _ in staged[done + 1:]:
                discard_staged(rest)
            raise


def _prepare_output(out: Path) -> None:
    ensure_dir(out)
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputError("output folder is not writable", file=out, hint="choose a folder you can write to")


def _index_entries(localised: Sequence[LocalisedBrief], formats: Sequence[str]) -> list[dict[str, object]]:
    entries: dict[str, dict[str, object]] = {}
    primary = formats[0]
    for item in localised:
        entry = entries.setdefault(item.brief.id, {
            "headline": item.headline.text if item.is_original else item.brief.headline,
            "lang": item.source_locale.tag,
            "dir": item.source_locale.direction,
            "versions": [],
        })
        versions = entry["versions"]
        assert isinstance(versions, list)
        versions.append({
            "tag": item.locale.tag,
            "dir": item.locale.direction,
            "name": f"{item.locale.name} ({item.locale.tag})",
            "href": f"{item.locale.tag}/{item.brief.id}.{_EXTENSIONS[primary]}",
            "others": [
                {"label": fmt, "href": f"{item.locale.tag}/{item.brief.id}.{_EXTENSIONS[fmt]}"}
                for fmt in formats[1:]
            ],
        })
    return list(entries.values())
