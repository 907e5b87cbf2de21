"""One publish run: :func:`publish`, and the :class:`Run` that collects what its briefs produced.

A run streams, one brief at a time, in this process or on ``jobs`` worker
processes (:mod:`polybrief.pool`); each brief goes through the stages of
:mod:`.stages`, and the run keeps only small typed records of each (see the
package docstring for the whole pipeline).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..brief_io import BriefSource
from ..cldr import LocaleInfo, LocaleLike
from ..errors import PolybriefError, TemplateError, UntranslatedError
from ..localisation import LocalisedBrief
from ..model import Brief
from ..pool import resolve_jobs, run_tasks
from ..project import Project
from ..rendering import TEMPLATE_NAMES, OutputFormat
from ..session import BriefLike, Session
from ..site.check_cache import CheckCache, cache_secret
from ..site.state import remove_stale_temps, site_lock
from .commit import commit, discard_run
from .plan import Plan, plan_run
from .report import MachineProvider, PageSummary, PublishedFile, PublishReport
from .sitebuild import SiteBuild
from .tasks import BriefOutcome, BriefTask, MachineResults, RunContext
from .worker import Worker, build_brief, discard, init_worker, worker_task

if TYPE_CHECKING:
    from ..qa.report import Finding

__all__ = ["publish", "Run", "Progress"]

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``: a run's phases as they advance (``build``, ``links``, ``write``)."""

log = logging.getLogger(__name__)


def publish(
    briefs: Sequence[BriefLike],
    *,
    locales: Sequence[LocaleLike],
    out_dir: str | os.PathLike[str],
    project: Project | None = None,
    formats: Sequence[OutputFormat] = ("html", "text"),
    machine: MachineProvider | None = None,
    write_index: bool = True,
    jobs: int | None = 1,
    force: bool = False,
    keep_localised: bool = True,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> PublishReport:
    """Publish every brief in its source language and in each of ``locales``.

    ``briefs`` are file paths, :class:`~polybrief.Brief` objects or
    :class:`~polybrief.BriefSource` objects; ``locales`` tags or locale
    objects.  Templates, locale data, catalogs, glossary and policy come from
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
    :class:`~polybrief.LocalisedBrief` per page): what the command
    line does, so memory stays flat however many briefs a run has.
    ``progress(phase, done, total)`` is called as each phase (``build``,
    ``links``, ``write``) advances (the command line draws a bar per phase).
    ``now`` is the run's time for the Google News sitemap (default:
    ``SOURCE_DATE_EPOCH``, else the clock).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as out:                                  # or "dist"
    ...     report = polybrief.publish(["examples/nagorno-karabakh.yaml"], locales=["hy", "ru"], out_dir=out)
    >>> report.provenance("nagorno-karabakh", "hy")["reviewed"]
    52
    """
    session = Session(project)  # fresh caches: files read by an earlier run may have been edited
    out = Path(out_dir)
    formats = tuple(formats)
    for fmt in formats:
        if fmt not in TEMPLATE_NAMES:
            raise TemplateError(f"unknown output format {fmt!r}", hint="use html or text")
    targets = [session.locale(tag) for tag in locales]
    session.renderer.check_templates(formats)  # a broken override fails before anything is read

    items: list[str | os.PathLike[str] | BriefSource] = []
    machine_results: Mapping[tuple[str, str], MachineResults] = {}
    summaries = []
    if machine is not None:
        from .machine import machine_summaries, run_machine

        sources, machine_results = run_machine(session, briefs, targets, machine)
        summaries = machine_summaries(machine_results, [info.tag for info in targets], session.policy)
        items = list(sources)
    else:
        items = [session.open_brief(b) if isinstance(b, Brief) else b for b in briefs]

    with site_lock(out) as lock:
        remove_stale_temps(out)  # pages staged by runs killed before their renames
        site = SiteBuild(out, session)
        plan = plan_run(site, items, targets, formats, force=force or machine is not None,
                        machine=dict(machine_results) if machine_results else None)
        run = Run(site, formats=formats, targets=targets, jobs=resolve_jobs(jobs), keep_localised=keep_localised,
                  inputs=[item.path if isinstance(item, BriefSource) else item for item in items],
                  new_folder=lock.created_root, reuse_checks=not (force or machine is not None))
        try:
            run.build(plan, progress)
            report = commit(run, write_index=write_index, summaries=summaries, now=now, progress=progress)
        except BaseException:
            discard_run(run)
            raise
    return report


class Run:
    """One publish run's records between planning and committing: the typed results of every brief."""

    def __init__(self, site: SiteBuild, *, formats: tuple[str, ...], targets: Sequence[LocaleInfo], jobs: int,
                 keep_localised: bool, inputs: Sequence[str | os.PathLike[str] | None], new_folder: bool = False,
                 reuse_checks: bool = True) -> None:
        self.site = site
        #: The site's check cache (:mod:`polybrief.site.check_cache`), opened when the first brief is built;
        #: ``reuse_checks=False`` (``--force``, ``--mt``): every page is checked again, the cache rewritten.
        self.checks: CheckCache | None = None
        self.reuse_checks = reuse_checks
        self.session = site.session
        self.formats = formats
        self.targets = tuple(targets)
        self.jobs = jobs
        self.keep_localised = keep_localised
        self.inputs = inputs
        """Each brief of the run as it was given (a path, or None for a brief in memory): for messages."""
        self.staged: list[str] = []
        """Every staged temp file, in writing order; each names its target (:func:`~polybrief.fs.staged_target`).
        Strings, one per file: a run of 10,000 briefs stages 80,000 files (a ``Path`` is five times the size)."""
        self.created: list[Path] = []
        self.files: list[PublishedFile] = []
        self.refreshed: list[PublishedFile] = []
        self.pages: list[PageSummary] = []
        self.localised: list[LocalisedBrief] = []
        self.findings: list[Finding] = []
        """Quality findings of the run's own pages."""
        self.refresh_findings: list[tuple[bool, list[Finding]]] = []
        """Findings of pages on record built again, with whether their policy allows errors."""
        self.untranslated: list[tuple[str, str, UntranslatedError]] = []
        """Every strict-mode failure of the run: (brief id, locale tag, error)."""
        self.withheld: list[tuple[str, str]] = []
        """(brief id, locale tag) of every page not published: not one segment translated into it."""
        self.qa_locales: list[str] = []
        """The locales of the run's translated pages (the quality report's columns)."""
        self.ids: dict[int, tuple[str, Path | None]] = {}
        self.unchanged = 0
        out = site.out
        #: What the output folder held before the run (None: no folder): a failed run removes the
        #: folders it created, whichever process created them (the site lock removes the output folder).
        self.existing: set[str] | None = None if new_folder or not out.is_dir() else set(os.listdir(out))

    # -- building ----------------------------------------------------------------------------

    def _context(self, tasks: Sequence[BriefTask]) -> RunContext:
        site = self.site
        return RunContext(out=site.out, formats=self.formats, targets=tuple(i.tag for i in self.targets),
                          base_url=site.base_url, recorded=site.recorded_versions(),
                          contexts=site.manifest.contexts, several=len(self.inputs) > 1,
                          keep_localised=self.keep_localised and (self.jobs == 1 or len(tasks) <= 1),
                          threshold=site.threshold, check_cache=self.check_cache().enabled)

    def check_cache(self) -> CheckCache:
        """The site's check cache, opened on first use (a shard merge carries its shards' entries into it)."""
        if self.checks is None:
            limit = self.session.project.limits.manifest_bytes
            self.checks = CheckCache(self.site.out, cache_secret(), max_bytes=limit)
        return self.checks

    def _with_checks(self, task: BriefTask) -> BriefTask:
        """``task`` with its pages' entries in the check cache (by the brief's id on record, or in memory)."""
        cache = self.check_cache()
        if not cache.enabled or not self.reuse_checks:
            return task
        if isinstance(task.source, BriefSource):
            brief_id: str | None = task.source.brief.id
        else:
            stored = self.site.manifest.store_path(task.source)
            record = self.site.manifest.brief_at(stored) if stored is not None else None
            brief_id = task.expect_id or (record.id if record is not None else None)
        found = cache.for_brief(brief_id, task.only) if brief_id is not None else {}
        return replace(task, checked=found) if found else task

    def _outcomes(self, tasks: Sequence[BriefTask]) -> Iterator[BriefOutcome]:
        tasks = [self._with_checks(task) for task in tasks]
        context = self._context(tasks)
        local = Worker(self.session.project, context, session=self.session)
        return run_tasks(tasks, jobs=self.jobs, init=init_worker, init_args=(self.session.project, context),
                         call=worker_task, local=lambda task: build_brief(task, local), discard=discard)

    def build(self, plan: Plan, progress: Progress | None = None) -> None:
        """Build the plan's tasks, then the pages on record whose language links the run changed."""
        self._keep(plan)
        self.unchanged = plan.unchanged_files
        if plan.tasks:
            for done, outcome in enumerate(self._outcomes(plan.tasks), start=1):
                self._take(outcome, refreshed=False)
                if progress is not None:
                    progress("build", done, len(plan.tasks))
        self._check_unique_ids()
        stale = self.site.stale_pages()
        if stale:
            tasks = self.site.refresh_tasks(stale, first=len(self.inputs))
            for done, outcome in enumerate(self._outcomes(tasks), start=1):
                self._take(outcome, refreshed=True)
                if progress is not None:
                    progress("links", done, len(tasks))

    def _keep(self, plan: Plan) -> None:
        """Summaries of the pages the plan leaves as they are."""
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

    def take(self, outcome: BriefOutcome) -> None:
        """Take a brief's outcome built elsewhere (a shard's records: :mod:`.merge`) as one of the run's own."""
        self._take(outcome, refreshed=False)

    def _take(self, outcome: BriefOutcome, *, refreshed: bool) -> None:
        """Merge one brief's outcome: its records into the manifest, its staged files into the writing order."""
        self.created.extend(outcome.created)
        self.staged.extend(os.fspath(s.tmp) for s in outcome.staged)
        if outcome.untranslated:  # every error names the brief it came from, even when only one failed
            brief_file = self._path_of(outcome.index) if not refreshed else None
            if brief_file is None:
                brief_file = self.site.manifest.resolve_path(outcome.path)
            for _, error in outcome.untranslated:
                if error.file is None and brief_file is not None:
                    error.file = str(brief_file)
        self.untranslated.extend((outcome.brief_id, tag, error) for tag, error in outcome.untranslated)
        self.withheld.extend((outcome.brief_id, tag) for tag in outcome.withheld)
        if refreshed:
            self.refresh_findings.append((outcome.allow_qa_errors, outcome.findings))
        else:
            self.findings.extend(outcome.findings)
            self.ids[outcome.index] = (outcome.brief_id, None)
        self.localised.extend(outcome.localised)
        target = self.refreshed if refreshed else self.files
        for page in outcome.pages:
            provenance = page.record.provenance
            if page.check is not None and self.checks is not None:
                self.checks.put(f"{outcome.brief_id}/{page.tag}", page.check)
            if not refreshed:
                self.pages.append(PageSummary(outcome.brief_id, page.tag, provenance, page.original))
                if not page.original:
                    self.qa_locales.append(page.tag)
            for staged in page.staged:
                target.append(PublishedFile(outcome.brief_id, page.tag, staged.fmt, provenance, self.site.out))
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
        found = self.inputs[index] if 0 <= index < len(self.inputs) else None
        return Path(found) if found is not None else None
