"""Incremental builds: which pages of a publish run must be built, and which are already on the site.

A page of the run is left as it is when everything it was made from is
unchanged (see :mod:`polybrief.site.inputs`): its brief file, its catalog
for the page's locale, its context (templates, UI catalog, quotation marks,
glossary rules, settings, versions), for HTML its language links and base
URL, and the file itself as written (size, modification time and inode).
The brief and its catalogs are *not read* for that: their ``stat`` is
compared with the manifest's, and only a file whose ``stat`` changed is
hashed.  So republishing 2,000 briefs after editing one loads, localises,
checks and renders that one brief's pages (and, when what the index shows
changed, the index).

A brief whose file changed is built whole; a brief whose file is unchanged
gets a task for its stale pages and formats only.  A run with machine
translation (``--mt``), or with ``force``, builds every page it names: an
engine's output is not an input that can be hashed cheaply.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..brief_io import BriefSource
from ..catalogs.repository import find_po
from ..cldr import LocaleInfo
from ..site.inputs import page_signature
from ..site.manifest import BriefRecord, PageRecord
from .tasks import BriefTask, MachineResults, Version, merged_versions, page_path

if TYPE_CHECKING:
    from .sitebuild import SiteBuild

__all__ = ["Plan", "KeptBrief", "plan_run"]


@dataclass(frozen=True, slots=True)
class KeptBrief:
    """A brief of the run whose file is unchanged: known by its record, not loaded."""

    index: int
    brief_id: str
    path: Path
    pages: tuple[str, ...]
    """Every locale of the run for this brief."""


@dataclass
class Plan:
    tasks: list[BriefTask] = field(default_factory=list)
    kept: list[KeptBrief] = field(default_factory=list)
    unchanged_files: int = 0


def plan_run(
    site: SiteBuild,
    items: Sequence[str | os.PathLike[str] | BriefSource],
    targets: Sequence[LocaleInfo],
    formats: Sequence[str],
    *,
    force: bool = False,
    machine: Mapping[tuple[str, str], MachineResults] | None = None,
) -> Plan:
    """The tasks of a run over ``items`` (paths, or sources in memory) into ``targets`` (see the module docstring)."""
    plan = Plan()
    by_brief: dict[str, dict[str, MachineResults]] = {}
    for (brief_id, tag), results in (machine or {}).items():
        by_brief.setdefault(brief_id, {})[tag] = dict(results)
    for index, item in enumerate(items):
        if isinstance(item, BriefSource):
            if item.path is None:
                site.sources[item.brief.id] = item
            plan.tasks.append(BriefTask(index, item, machine=by_brief.get(item.brief.id) or None))
            continue
        path = Path(item)
        kept = None if force else _unchanged(site, index, path, targets, formats, plan)
        if kept is None:
            plan.tasks.append(BriefTask(index, path))
    return plan


def _unchanged(site: SiteBuild, index: int, path: Path, targets: Sequence[LocaleInfo], formats: Sequence[str],
               plan: Plan) -> KeptBrief | None:
    """Plan a brief whose file is on record unchanged (None: it must be loaded and built whole)."""
    manifest = site.manifest
    stored = manifest.store_path(path)
    record = manifest.brief_at(stored) if stored is not None else None
    if record is None or not record.pages:
        return None
    digest = site.hasher.sha(path)
    if digest is None or not any(page.brief_sha256 == digest for page in record.pages.values()):
        return None
    session = site.session
    own = session.locale(record.language)
    infos: list[LocaleInfo] = []
    for info in (own, *targets):
        if info.tag not in {i.tag for i in infos}:
            infos.append(info)
    root = session.repository.brief_root(path)
    versions = merged_versions(site.recorded_versions_of(record.id), own.tag,
                               [Version(info.tag, info.name, tuple(formats), _partial(site, record, info, own, root))
                                for info in infos])
    html_tags = [v.tag for v in versions if "html" in v.formats and not v.partial]
    only: dict[str, tuple[str, ...]] = {}
    for info in infos:
        page = record.pages.get(info.tag)
        if page is None or page.brief_sha256 != digest or page.catalog != _catalog(site, record, info, own, root):
            stale = tuple(formats)
        else:
            stale = tuple(fmt for fmt in formats if _stale(site, record, page, info, own, fmt, root, html_tags))
        if stale:
            only[info.tag] = stale
        plan.unchanged_files += len(formats) - len(stale)
    if only:
        plan.tasks.append(BriefTask(index, path, only=only))
    kept = KeptBrief(index, record.id, path, tuple(info.tag for info in infos))
    plan.kept.append(kept)
    return kept


def _partial(site: SiteBuild, record: BriefRecord, info: LocaleInfo, own: LocaleInfo, root: Path | None) -> bool:
    """What the plan expects of a page's language claim (see "Honest language claims" in
    :mod:`polybrief.publishing`): a page on record keeps its own, under the run's threshold; a new page
    is a full version unless it has no catalog at all (then it will be withheld, every passage in the
    source language).  A page built again whose claim turns out otherwise makes the pages of the brief
    that were left as they are stale; the run renders those again after merging (``stale_pages``)."""
    page = record.pages.get(info.tag)
    if page is not None:
        return site.partial(record, page)
    return info.language != own.language and _catalog(site, record, info, own, root) is None


def _catalog(site: SiteBuild, record: BriefRecord, info: LocaleInfo, own: LocaleInfo,
             root: Path | None) -> tuple[str, str | None] | None:
    """The catalog a page of ``record`` in ``info`` reads now: (stored path, hash), or None."""
    if root is None or info.language == own.language:
        return None
    found = find_po([root], info, record.id)
    if found is None:
        return None
    return str(site.manifest.store_path(found)), site.hasher.sha(found)


def _stale(site: SiteBuild, record: BriefRecord, page: PageRecord, info: LocaleInfo, own: LocaleInfo,
           fmt: str, root: Path | None, html_tags: list[str]) -> bool:
    """Whether one file of a page whose brief and catalog are unchanged must be built again."""
    file = page.files.get(fmt)
    if file is None or file.context is None:
        return True
    original = info.language == own.language
    cid, _ = site.hasher.context(info, fmt, root, original=original)
    if file.context != cid:
        return True
    if fmt == "html" and (page.alternates != html_tags or page.base_url != site.base_url):
        return True
    name = page_path(record.id, info.tag, fmt)
    try:
        st = os.stat(site.out / name)
    except OSError:
        return True
    return site.manifest.stat.get(name) != page_signature(st)
