"""Publishing: many briefs × many locales × formats, into one folder.

Everything is rendered in memory first, so a bad catalog, a broken template or
a strict-mode failure stops the run before any file is touched.  The layout is
``DIR/<locale>/<brief-id>.html`` (and ``.txt``) for the source language and
every target, plus ``DIR/index.html`` and the site manifest
``DIR/.polybrief-site.json`` (:mod:`polybrief.site`), which makes the index and
every page's language links cover the whole site, not only the briefs and
locales of the current run.

The site is then written all-or-nothing per run (:func:`write_site`): every
target path is checked, every page is staged as a fsynced temp file beside
its target, and only when all of them are staged are they renamed into
place, the manifest last.  A page path that is a folder, a locale folder that
cannot be created, or a disk that fills up stops the run with no page replaced
(it used to stop after 7 of 8, leaving the site mixed).  The renames themselves
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
from .errors import OutputError, PolybriefError, UntranslatedError
from .fs import commit_staged, discard_staged, ensure_dir, stage_bytes
from .localise import LocalisedBrief, localise
from .model import Brief
from .project import BriefSource, Project
from .render import OutputFormat

if TYPE_CHECKING:
    from .catalogs.brief import BriefCatalog
    from .mt.base import MachineTranslation
    from .mt.summary import MachineSummary
    from .qa import QAReport

__all__ = ["PublishedFile", "PublishReport", "publish", "MachineProvider"]

log = logging.getLogger(__name__)

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
    machine: list[MachineSummary] = field(default_factory=list)
    """Per target locale: machine translation sent, accepted and rejected (empty without ``machine``)."""
    refreshed: list[PublishedFile] = field(default_factory=list)
    """Pages of earlier runs rendered again because their language links changed."""
    manifest: Path | None = None

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
    before anything is written.  With ``machine``, a locale for which machine
    translation was asked and nothing was accepted stops the run too
    (:class:`~polybrief.errors.TranslationEngineError`), unless
    ``project.policy.allow_mt_failure``; under ``strict`` every failing locale
    is named in one :class:`~polybrief.errors.UntranslatedError`.

    ``out_dir`` is a site (:mod:`polybrief.site`): its manifest remembers
    every page published there, so the index and each page's language links
    cover the whole site, and pages of other runs whose links changed are
    rendered again.
    """
    from .site.build import SiteBuild
    from .site.manifest import site_lock

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
    summaries = _machine_summaries(machine_results, [info.tag for info in targets], project) \
        if machine is not None else []

    with site_lock(out):
        site = SiteBuild(out, project)
        untranslated = _Untranslated()
        localised: list[LocalisedBrief] = []
        for source, info, catalog in jobs:
            mt = machine_results.get((source.brief.id, info.tag))
            try:
                item = localise(source, info, project=project, catalog=catalog, machine=mt)
            except UntranslatedError as exc:
                untranslated.add(exc, source.brief.id, info.tag)
                continue
            localised.append(item)
            site.add(item, catalog=catalog, formats=formats, policy=project.policy, machine=mt)
        refreshed = site.refresh(site.stale_pages(), on_untranslated=untranslated.add)
        untranslated.raise_if_any()
        for again in refreshed:
            site.add(again.localised, catalog=again.catalog, formats=again.formats, policy=again.policy,
                     machine=again.machine)

        from .qa import publish_gate

        qa_report = publish_gate(localised, project.glossary, allow_errors=project.policy.allow_qa_errors)
        for allow in (False, True):
            group = [r.localised for r in refreshed if r.policy.allow_qa_errors is allow]
            if group:
                publish_gate(group, project.glossary, allow_errors=allow)

        pages: list[tuple[Path, bytes, PublishedFile]] = []
        for item, item_formats in [*((x, tuple(formats)) for x in localised),
                                   *((r.localised, r.formats) for r in refreshed)]:
            for path, data, fmt in site.render(item, item_formats):
                pages.append((path, data, PublishedFile(item.brief.id, item.locale.tag, fmt, path,
                                                        item.provenance_counts())))
        index_text = site.render_index() if write_index else None

        _prepare_output(out)
        index_path = out / "index.html" if index_text is not None else None
        files: list[tuple[Path, str | bytes]] = [(path, data) for path, data, _ in pages]
        if index_path is not None and index_text is not None:
            files.append((index_path, index_text))
        files.append(site.manifest_file())  # last: it describes the pages renamed before it
        write_site(files)
    own_files = [p for _, _, p in pages[:len(localised) * len(formats)]]
    return PublishReport(out_dir=out, files=own_files, index=index_path, localised=localised, qa=qa_report,
                         machine=summaries, refreshed=[p for _, _, p in pages[len(own_files):]],
                         manifest=site.manifest.path)


def _machine_summaries(results: Mapping[tuple[str, str], Mapping[str, MachineTranslation]],
                       order: Sequence[str], project: Project) -> list[MachineSummary]:
    """Per-locale machine translation summary; fails when a locale got nothing usable (policy permitting)."""
    from .mt.summary import require_accepted, summarise

    summaries = summarise(results, locales=order)
    for summary in summaries:
        log.info("machine translation %s: %s", summary.locale, summary.line())
    if not project.policy.allow_mt_failure:
        require_accepted(summaries)
    return summaries


class _Untranslated:
    """Strict-mode failures of a whole run, raised once naming every locale (not just the first)."""

    def __init__(self) -> None:
        self.failures: list[tuple[str, str, UntranslatedError]] = []

    def add(self, error: UntranslatedError, brief_id: str, tag: str) -> None:
        self.failures.append((brief_id, tag, error))

    def raise_if_any(self) -> None:
        if not self.failures:
            return
        if len(self.failures) == 1:
            raise self.failures[0][2]
        several = len({brief_id for brief_id, _, _ in self.failures}) > 1
        locales = list(dict.fromkeys(tag for _, tag, _ in self.failures))
        parts = [f"{tag}{f' ({brief_id})' if several else ''}: {error.message}"
                 for brief_id, tag, error in self.failures]
        raise UntranslatedError(
            f"--strict: {len(locales)} locale(s) would show source text — " + "; ".join(parts),
            field=self.failures[0][2].field,
            hint=f"translate them in the {', '.join(locales)} catalogs (polybrief update / stats), or drop --strict",
        )


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


def write_site(files: Sequence[tuple[Path, str | bytes]]) -> None:
    """Write every ``(path, text or bytes)`` or none: check all targets, stage all, then rename all into place."""
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
        for path, data in files:
            staged.append((stage_bytes(path, data.encode("utf-8") if isinstance(data, str) else data), path))
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
