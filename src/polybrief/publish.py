"""Publishing: many briefs × many locales × formats, into one folder (a site).

The layout is ``DIR/<locale>/<brief-id>.html`` (and ``.txt``) for the source
language and every target, plus ``DIR/index.html`` and the site manifest
``DIR/.polybrief-site.json`` (:mod:`polybrief.site`), which makes the index and
every page's language links cover the whole site, not only the briefs and
locales of the current run.

A run streams, one brief at a time, in this process or on ``jobs`` worker
processes (:mod:`polybrief.pool`):

1. *Plan* (:mod:`polybrief.site.plan`): a brief whose file, catalogs,
   templates, locale data and settings are unchanged since it was published
   here is not even loaded; only its stale pages are built (incremental
   builds; ``force`` builds everything).
2. *Build* (:func:`polybrief.site.pages.build_brief`): each brief is
   loaded, localised, checked and rendered, and each page is *staged* as a
   temp file beside its target.  Only small records come back, so memory
   does not grow with the number of briefs.
3. *Gate*: when every brief is done, strict-mode failures (all of them, in
   one error) and quality errors stop the run; the staged files are removed
   and nothing is replaced.
4. *Write* (all or nothing, as :func:`write_site`): the staged files are
   made durable (one ``syncfs``), renamed into place, then the index (only
   when what it shows changed) and the manifest, last.  A kill between two
   renames leaves each page old or new, never half-written.

Every check of the old in-memory pipeline still holds: a bad catalog, a
broken template or a strict-mode failure stops the run before any file is
replaced, and a page path that is a folder or a locale folder that cannot be
created fails the run with no page replaced.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cldr import LocaleInfo
from .errors import OutputError, PolybriefError, TemplateError, UntranslatedError
from .fs import commit_staged, discard_staged, ensure_dir, stage_bytes, stage_chunks, sync_staged
from .localise import LocalisedBrief
from .model import Brief
from .project import BriefSource, Project
from .render import OutputFormat

if TYPE_CHECKING:
    from .catalogs.brief import BriefCatalog
    from .mt.base import MachineTranslation
    from .mt.summary import MachineSummary
    from .qa import QAReport
    from .qa.report import Finding
    from .site.build import SiteBuild
    from .site.pages import BriefOutcome

__all__ = ["PublishedFile", "PublishReport", "PageSummary", "publish", "MachineProvider", "write_site"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PublishedFile:
    brief_id: str
    locale: str
    format: str
    path: Path
    provenance: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class PageSummary:
    """One page (a brief in a locale) of a run: what it shows, and whether the run built it."""

    brief_id: str
    locale: str
    provenance: Mapping[str, int]
    original: bool
    built: bool = True


@dataclass(frozen=True)
class PublishReport:
    out_dir: Path
    files: list[PublishedFile] = field(default_factory=list)
    """Files of the run's pages written by this run."""
    index: Path | None = None
    localised: list[LocalisedBrief] = field(default_factory=list, repr=False)
    """The briefs localised by this run (with ``keep_localised``; pages left unchanged are not localised)."""
    qa: QAReport | None = None
    machine: list[MachineSummary] = field(default_factory=list)
    """Per target locale: machine translation sent, accepted and rejected (empty without ``machine``)."""
    refreshed: list[PublishedFile] = field(default_factory=list)
    """Pages of earlier runs rendered again because their language links changed."""
    manifest: Path | None = None
    pages: list[PageSummary] = field(default_factory=list, repr=False)
    """Every page of the run, built or left unchanged, in run order."""
    unchanged: int = 0
    """Files of the run's pages left as they were: nothing they are made from changed."""
    index_written: bool = False

    def provenance(self, brief_id: str, locale: str) -> Mapping[str, int]:
        for page in self.pages:
            if page.brief_id == brief_id and page.locale == locale:
                return page.provenance
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
    jobs: int | None = 1,
    force: bool = False,
    keep_localised: bool = True,
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
    cover the whole site, pages of other runs whose links changed are
    rendered again, and pages whose inputs did not change are left as they
    are (``force=True`` builds them all).  ``jobs`` worker processes build
    the briefs (the output is the same for any number).
    ``keep_localised=False`` keeps the report small (no
    :class:`~polybrief.localise.LocalisedBrief` per page): what the command
    line does, so memory stays flat however many briefs a run has.
    """
    from .pool import resolve_jobs
    from .render import TEMPLATE_NAMES
    from .site.build import SiteBuild
    from .site.manifest import site_lock
    from .site.plan import plan_run

    # Fresh caches: a project used for an earlier run may hold UI catalogs, quotation marks or compiled
    # templates read before they were edited, and the site manifest records what this run reads.
    project = project.with_options() if project is not None else Project()
    out = Path(out_dir)
    formats = tuple(formats)
    for fmt in formats:
        if fmt not in TEMPLATE_NAMES:
            raise TemplateError(f"unknown output format {fmt!r}", hint="use html or text")
    jobs = resolve_jobs(jobs)
    targets = [project.locale(tag) for tag in locales]
    project.renderer.check_templates(formats)  # a broken override fails before anything is read

    items: list[str | os.PathLike[str] | BriefSource] = []
    machine_results: Mapping[tuple[str, str], Mapping[str, MachineTranslation]] = {}
    summaries: list[MachineSummary] = []
    if machine is not None:
        sources = [project.open_brief(b) for b in briefs]
        _check_unique_ids(sources)
        work = []
        for source in sources:
            for info in _page_locales(project, source.brief.language, targets):
                work.append((source, info, project.catalog(source, info)))
        machine_results = machine(work)
        summaries = _machine_summaries(machine_results, [info.tag for info in targets], project)
        del work
        items = list(sources)
    else:
        items = [project.open_brief(b) if isinstance(b, Brief) else b for b in briefs]

    with site_lock(out):
        site = SiteBuild(out, project)
        plan = plan_run(site, items, targets, formats, force=force or machine is not None,
                        machine=dict(machine_results) if machine_results else None)
        run = _Run(site, project, formats=formats, targets=targets, jobs=jobs, keep_localised=keep_localised,
                   several=len(items) > 1, inputs=[_input_path(i) for i in items])
        try:
            run.build(plan)
            report = run.finish(plan, write_index=write_index, summaries=summaries)
        except BaseException:
            run.discard()
            raise
    return report


def _page_locales(project: Project, language: str, targets: Sequence[LocaleInfo]) -> list[LocaleInfo]:
    """The brief's own locale, then each target (a target in the brief's own language once)."""
    out: list[LocaleInfo] = []
    seen: set[str] = set()
    for info in [project.locale(language), *targets]:
        if info.tag not in seen:
            seen.add(info.tag)
            out.append(info)
    return out


class _Run:
    """One publish run's state between planning and writing (see the module docstring)."""

    def __init__(self, site: SiteBuild, project: Project, *, formats: tuple[str, ...],
                 targets: Sequence[LocaleInfo], jobs: int, keep_localised: bool, several: bool,
                 inputs: list[Path | None]) -> None:
        self._inputs = inputs
        self.site = site
        self.project = project
        self.formats = formats
        self.targets = targets
        self.jobs = jobs
        self.keep_localised = keep_localised
        self.several = several
        self.staged: list[tuple[str, str]] = []
        """(temp file, target) of every staged file, in writing order."""
        self.created: list[Path] = []
        self.files: list[PublishedFile] = []
        self.refreshed: list[PublishedFile] = []
        self.pages: list[PageSummary] = []
        self.localised: list[LocalisedBrief] = []
        self.findings: list[Finding] = []
        self.refresh_findings: list[tuple[bool, list[Finding]]] = []
        self.untranslated: list[tuple[str, str, UntranslatedError]] = []
        self.ids: dict[int, tuple[str, Path | None]] = {}
        self.qa_locales: list[str] = []
        out = site.out
        #: What the output folder held before the run (None: no folder): a failed run removes the
        #: folders it created, whichever process created them.
        self.existing: set[str] | None = set(os.listdir(out)) if out.is_dir() else None

    # -- building ----------------------------------------------------------------------------

    def _context(self, tasks: Sequence[Any]) -> Any:
        from .site.pages import RunContext

        site = self.site
        return RunContext(out=site.out, formats=self.formats, targets=tuple(i.tag for i in self.targets),
                          base_url=site.base_url, recorded=site.recorded_versions(),
                          contexts=site.manifest.contexts, several=self.several,
                          keep_localised=self.keep_localised and (self.jobs == 1 or len(tasks) <= 1))

    def _outcomes(self, tasks: Sequence[Any], context: Any) -> Any:
        from .pool import run_tasks
        from .site.pages import _Worker, build_brief, discard, init_worker, worker_task

        local = _Worker(self.project, context)
        return run_tasks(tasks, jobs=self.jobs, init=init_worker, init_args=(self.project, context),
                         call=worker_task, local=lambda task: build_brief(task, local), discard=discard)

    def build(self, plan: Any) -> None:
        tasks_by_index = {task.index: task for task in plan.tasks}
        for kept in plan.kept:
            self.ids[kept.index] = (kept.brief_id, kept.path)
            record = self.site.manifest.briefs[kept.brief_id]
            task = tasks_by_index.get(kept.index)
            for tag in kept.pages:
                page = record.pages.get(tag)
                if page is not None and not (task is not None and task.only is not None and tag in task.only):
                    self.pages.append(PageSummary(kept.brief_id, tag, page.provenance,
                                                  tag == record.language, built=False))
        self.unchanged = plan.unchanged_files
        if plan.tasks:
            context = self._context(plan.tasks)
            for outcome in self._outcomes(plan.tasks, context):
                self._take(outcome, refreshed=False)
        self._check_unique_ids()
        stale = self.site.stale_pages()
        if stale:
            tasks = self.site.refresh_tasks(stale, first=len(self._inputs))
            context = self._context(tasks)
            for outcome in self._outcomes(tasks, context):
                self._take(outcome, refreshed=True)

    def _take(self, outcome: BriefOutcome, *, refreshed: bool) -> None:
        """Merge one brief's outcome: its records into the manifest, its staged files into the writing order."""
        self.created.extend(outcome.created)
        self.staged.extend((str(s.tmp), str(s.path)) for s in outcome.staged)
        for tag, error in outcome.untranslated:
            self.untranslated.append((outcome.brief_id, tag, error))
        if refreshed:
            self.refresh_findings.append((outcome.allow_qa_errors, outcome.findings))
        else:
            self.findings.extend(outcome.findings)
            self.ids[outcome.index] = (outcome.brief_id, None)
        self.localised.extend(outcome.localised)
        target = self.refreshed if refreshed else self.files
        for page in outcome.pages:
            provenance = page.record.provenance
            if not refreshed:
                self.pages.append(PageSummary(outcome.brief_id, page.tag, provenance, page.original))
                if not page.original:
                    self.qa_locales.append(page.tag)
            for staged in page.staged:
                target.append(PublishedFile(outcome.brief_id, page.tag, staged.fmt, staged.path, provenance))
        if outcome.pages or outcome.untranslated:
            self.site.merge(outcome)

    def _check_unique_ids(self) -> None:
        seen: dict[str, int] = {}
        for index in sorted(self.ids):
            brief_id, _ = self.ids[index]
            if brief_id in seen:
                raise PolybriefError(
                    f"two briefs share the id {brief_id!r}", file=self._path_of(index), field="id",
                    hint=f"also used by {self._path_of(seen[brief_id]) or 'another brief'}; ids name the output "
                         "files and must differ",
                )
            seen[brief_id] = index

    def _path_of(self, index: int) -> Path | None:
        return self._inputs[index] if 0 <= index < len(self._inputs) else None

    # -- gate and write -----------------------------------------------------------------------

    def finish(self, plan: Any, *, write_index: bool, summaries: list[MachineSummary]) -> PublishReport:
        from .qa import QAReport
        from .qa.gate import gate_findings

        self._raise_untranslated()
        locales = list(dict.fromkeys(self.qa_locales))
        qa_report = QAReport.from_findings(self.findings, locales=locales)
        gate_findings(qa_report, allow_errors=self.project.policy.allow_qa_errors)
        for allow in (False, True):
            group = [f for allowed, findings in self.refresh_findings if allowed is allow for f in findings]
            if group:
                gate_findings(QAReport.from_findings(group), allow_errors=allow)

        site = self.site
        out = site.out
        site.remember_shared_files()
        index_path = out / "index.html" if write_index else None
        index_written = False
        if index_path is not None:
            fingerprint = site.index_fingerprint()
            recorded = site.manifest.index or {}
            if fingerprint != recorded.get("fingerprint") or not _same_file(site, "index.html"):
                tmp = stage_chunks(index_path, site.render_index(), sync=False)
                self.staged.append((str(tmp), str(index_path)))
                st = os.stat(tmp)
                from .site.inputs import page_signature
                from .site.manifest import sha256_file

                site.manifest.index = {"fingerprint": fingerprint, "sha256": sha256_file(tmp),
                                       "context": site.hasher.index_context()[0]}
                site.manifest.stat["index.html"] = page_signature(st)
                index_written = True
        if self.staged or index_written or not site.manifest.path.exists() or _stat_changed(site):
            tmp = stage_chunks(site.manifest.path, site.manifest_chunks(), sync=False)
            self.staged.append((str(tmp), str(site.manifest.path)))  # last: it describes the files before it
        sync_staged(Path(staged) for staged, _ in self.staged)
        for done, (staged, target) in enumerate(self.staged):
            try:
                commit_staged(Path(staged), Path(target))
            except BaseException:
                self.staged = self.staged[done + 1:]
                raise
        self.staged = []
        self.created = []
        return PublishReport(
            out_dir=out, files=self.files, index=index_path, localised=self.localised, qa=qa_report,
            machine=summaries, refreshed=self.refreshed, manifest=site.manifest.path, pages=self.pages,
            unchanged=self.unchanged, index_written=index_written,
        )

    def _raise_untranslated(self) -> None:
        failures = self.untranslated
        if not failures:
            return
        if len(failures) == 1:
            raise failures[0][2]
        several = len({brief_id for brief_id, _, _ in failures}) > 1
        locales = list(dict.fromkeys(tag for _, tag, _ in failures))
        parts = [f"{tag}{f' ({brief_id})' if several else ''}: {error.message}"
                 for brief_id, tag, error in failures]
        raise UntranslatedError(
            f"--strict: {len(locales)} locale(s) would show source text — " + "; ".join(parts),
            field=failures[0][2].field,
            hint=f"translate them in the {', '.join(locales)} catalogs (polybrief update / stats), or drop --strict",
        )

    def discard(self) -> None:
        """Remove every staged file and every folder created for them (a failed run).

        Pages are ``<locale>/<brief id>.<ext>``, so the folders a run can
        create are the output folder and its locale folders: any of them that
        was not there before and is empty now goes, whichever worker made it.
        """
        for tmp, _ in self.staged:
            discard_staged(Path(tmp))
        self.staged = []
        for folder in reversed(self.created):
            _rmdir(folder)
        out = self.site.out
        if out.is_dir():
            for name in os.listdir(out):
                if self.existing is None or name not in self.existing:
                    _rmdir(out / name)
            if self.existing is None:
                _rmdir(out)


def _rmdir(folder: Path) -> None:
    try:
        if folder.is_dir() and not folder.is_symlink():
            folder.rmdir()
    except OSError:
        pass


def _input_path(item: Any) -> Path | None:
    if isinstance(item, BriefSource):
        return item.path
    return Path(item)


def _same_file(site: SiteBuild, name: str) -> bool:
    from .site.inputs import page_signature

    try:
        st = os.stat(site.out / name)
    except OSError:
        return False
    return site.manifest.stat.get(name) == page_signature(st)


def _stat_changed(site: SiteBuild) -> bool:
    """Whether the run hashed an input file again (the manifest then remembers its new ``stat``)."""
    return site.hasher.rehashed


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
