"""Publishing: many briefs × many locales × formats, into one folder.

Everything is rendered in memory first, so a bad catalog, a broken template or
a strict-mode failure stops the run before any file is touched; then each file
is written atomically.  The layout is ``DIR/<locale>/<brief-id>.html`` (and
``.txt``) for the source language and every target, plus ``DIR/index.html``.
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
from .fs import atomic_write_text, ensure_dir
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
    for folder in dict.fromkeys(path.parent for path, _, _ in pages):
        ensure_dir(folder)  # a blocked locale folder fails the run before any page is written
    for path, text, _ in pages:
        atomic_write_text(path, text)
    index_path = None
    if index_text is not None:
        index_path = out / "index.html"
        atomic_write_text(index_path, index_text)
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
