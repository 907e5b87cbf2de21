"""One brief's pages, start to finish: the unit of work of a publish run (and of each ``--jobs`` worker).

:func:`build_brief` chains the stages of :mod:`.stages` for one brief: it
opens the brief (loading it when given its path), and for each of its
locales localises it, runs the quality checks, and — when the page passed —
renders every format and *stages* it: the bytes go to a hidden temp file
beside the page's path, nothing is renamed.  It returns what the parent
process needs and nothing bigger (a :class:`~.tasks.BriefOutcome`): the
page records for the manifest, the staged files, the findings and the
strict-mode failures.  So a run holds one brief in memory at a time, whether
it runs in one process or in many, and the quality gate still holds:
:func:`~polybrief.publishing.commit.commit` renames the staged files into
place only when every page of every brief has passed (and removes them
otherwise).

Everything a task needs travels with it or in the :class:`~.tasks.RunContext`
(picklable: a worker builds its own :class:`~polybrief.Session` from the
project), so a worker's pages are byte-identical to the ones one process
makes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import UntranslatedError
from ..project import Project
from ..provenance import TranslationPolicy
from ..rendering import Renderer
from ..session import Session
from ..site.inputs import InputHasher
from ..site.manifest import SiteManifest
from .stages import (
    SourceFacts,
    check_page,
    file_record,
    localise_page,
    open_task,
    page_record,
    render_page,
    stage_page,
    with_claims,
)
from .tasks import BriefOutcome, BriefTask, CheckedPage, LocalisedPage, PageOutcome, RunContext

__all__ = ["Worker", "init_worker", "worker_task", "build_brief", "discard"]


class Worker:
    """A process's state for building pages: the run's session (one per policy) and input hasher."""

    def __init__(self, project: Project, run: RunContext, *, session: Session | None = None) -> None:
        self.session = session if session is not None else Session(project)
        self.run = run
        self._sessions: dict[tuple[TranslationPolicy, bool], Session] = {
            (self.session.policy, self.session.project.sandboxed_templates): self.session}
        light = SiteManifest(run.out, contexts={k: dict(v) for k, v in run.contexts.items()})
        self.hasher = InputHasher(self.session, light)
        self.sent_contexts: set[str] = set()

    def session_for(self, policy: TranslationPolicy | None, *, sandboxed: bool = False) -> Session:
        """The session of a page published under ``policy`` (None: the run's), in the sandbox if it or the
        run asks for it: the same locales, and the same renderer unless the sandbox differs."""
        sandboxed = sandboxed or self.session.project.sandboxed_templates
        if policy is None and sandboxed == self.session.project.sandboxed_templates:
            return self.session
        policy = policy or self.session.policy
        found = self._sessions.get((policy, sandboxed))
        if found is None:
            project = self.session.project.with_options(policy=policy, sandboxed_templates=sandboxed)
            found = self._sessions[(policy, sandboxed)] = Session(project)
            found.share_locales(self.session)
        return found

    def renderer_for(self, session: Session) -> Renderer:
        """The renderer of a page of ``session``: the run's (rendering does not depend on the policy), or the
        session's own when the page must be rendered in a sandbox the run does not use."""
        if session.project.sandboxed_templates != self.session.project.sandboxed_templates:
            return session.renderer
        return self.session.renderer


_WORKER: Worker | None = None


def init_worker(project: Project, run: RunContext) -> None:
    """Pool initializer: this process's state (also used in-process)."""
    global _WORKER
    _WORKER = Worker(project, run)


def worker_task(task: BriefTask) -> BriefOutcome:
    """Pool entry point: :func:`build_brief` with this process's state."""
    assert _WORKER is not None, "init_worker was not called"
    return build_brief(task, _WORKER)


def build_brief(task: BriefTask, worker: Worker) -> BriefOutcome:
    """Build the pages of ``task`` (see the module docstring); staged files are removed if it fails."""
    outcome = BriefOutcome(task.index)
    try:
        _build(task, worker, outcome)
    except BaseException:
        discard(outcome)
        raise
    return outcome


def discard(outcome: BriefOutcome) -> None:
    """Remove an outcome's staged files and the folders created for them (when left empty)."""
    from ..fs import discard_staged

    for staged in outcome.staged:
        discard_staged(staged.tmp)
    for folder in reversed(outcome.created):
        try:
            folder.rmdir()
        except OSError:
            pass


def _build(task: BriefTask, worker: Worker, outcome: BriefOutcome) -> None:
    run = worker.run
    opened = open_task(task, worker)
    session, source = opened.session, opened.source
    manifest = worker.hasher.manifest
    outcome.allow_qa_errors = session.policy.allow_qa_errors
    # The brief's own language (a page on record built again may be in another: its task names only it).
    outcome.brief_id, outcome.language = source.brief.id, session.locale(source.brief.language).tag
    outcome.published = source.brief.published.isoformat()
    outcome.modified = source.brief.last_modified.isoformat()
    outcome.authors = [author.name for author in source.brief.authors]
    outcome.path = manifest.store_path(source.path) if source.path is not None else None
    outcome.catalog_root = manifest.store_path(source.catalog_root) if source.catalog_root is not None else None
    outcome.stat.update(opened.stat)
    facts: SourceFacts = {}
    pages: list[LocalisedPage] = []
    for info in opened.locales:
        formats = opened.formats(info.tag, run)
        if not formats:
            continue
        try:
            page = localise_page(opened, info, formats, worker)
        except UntranslatedError as exc:
            outcome.untranslated.append((info.tag, exc))
            continue
        outcome.stat.update(page.stat)
        if not page.item.is_original and not page.item.translated_count:
            outcome.withheld.append(info.tag)  # not one segment in that language: never published as it
            continue
        pages.append(page)
    opened = with_claims(opened, pages, outcome.withheld, run)
    for page in pages:
        page = replace(page, brief=opened)
        cached = task.checked.get(page.locale.tag) if task.checked else None
        checked = check_page(page, facts, several=run.several, keyed=run.check_cache, cached=cached)
        outcome.findings.extend(checked.findings)
        outcome.failed = outcome.failed or checked.blocked
        record = PageOutcome(page.locale.tag, page_record(checked, run.base_url), page.item.is_original,
                             check=checked.check)
        outcome.pages.append(record)
        if run.keep_localised:
            outcome.localised.append(page.item)
        if run.stage and not outcome.blocked:  # a run that will fail renders nothing
            _render_formats(checked, worker, outcome, record)


def _render_formats(checked: CheckedPage, worker: Worker, outcome: BriefOutcome, record: PageOutcome) -> None:
    page = checked.page
    root = page.brief.source.catalog_root
    for fmt in page.formats:
        cid, context = worker.hasher.context(page.locale, fmt, root, original=page.item.is_original,
                                             project=page.brief.session.project)
        if cid not in worker.sent_contexts:  # each context travels back once per worker
            worker.sent_contexts.add(cid)
            outcome.contexts[cid] = context
        record.record.settings = context["settings"]
        staged = stage_page(render_page(checked, fmt, cid, worker), outcome.created)
        record.record.files[fmt] = file_record(staged)
        record.staged.append(staged)
