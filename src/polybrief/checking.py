"""``polybrief check`` over many briefs and locales, on every core (``--jobs``).

Each (brief, locale) is one task (:mod:`polybrief.pool`): load the brief,
read its catalog, localise it as ``publish`` would and run the checks.  The
findings come back in task order, so the report is the same for any number
of processes, and it is the report :func:`~polybrief.qa.gate.check_briefs`
gives for the same localised briefs.  It lives above :mod:`polybrief.qa`
(which checks localised briefs and knows nothing of files) because it opens
briefs and finds their catalogs through a :class:`~polybrief.Session`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .brief_io import BriefSource
from .cldr import LocaleLike
from .pool import resolve_jobs, run_tasks
from .project import Project
from .qa.gate import check_localised
from .qa.report import Finding, QAReport
from .session import Session

__all__ = ["CheckOutcome", "CheckTask", "Checker", "check_files", "init_checker", "check_task"]


@dataclass(frozen=True)
class CheckOutcome:
    """One (brief, locale) checked: its findings, or nothing to check (the brief's own language).

    >>> _, outcomes = polybrief.check_files(["examples/nagorno-karabakh.yaml"], ["en", "hy"])
    >>> [(o.locale, o.original, len(o.findings)) for o in outcomes]
    [('en', True, 0), ('hy', False, 0)]
    """

    brief_id: str
    locale: str
    original: bool
    findings: tuple[Finding, ...]
    silenced: tuple[Finding, ...] = ()
    """Findings reviewers silenced with ``ignore-<check>`` flags (counted in the report, not shown)."""


@dataclass(frozen=True)
class CheckTask:
    """One (brief file, locale) to check."""

    index: int
    path: Path
    tag: str


class Checker:
    """A process's state for checking: its session, and the brief of the previous task."""

    def __init__(self, project: Project) -> None:
        self.session = Session(project)
        self._last: tuple[Path, BriefSource] | None = None  # the brief of the previous task (one at a time)
        self._facts: dict[tuple[str, str], dict[str, Any]] = {}

    def __call__(self, task: CheckTask) -> CheckOutcome:
        session = self.session
        if self._last is None or self._last[0] != task.path:
            self._last = (task.path, session.open_brief(task.path))
            self._facts = {}
        source = self._last[1]
        item = session.localise(source, task.tag)
        silenced: list[Finding] = []
        findings = () if item.is_original else tuple(
            check_localised(item, glossary=session.project.glossary, facts=self._facts,
                            settings=session.project.checks, silenced=silenced))
        return CheckOutcome(source.brief.id, item.locale.tag, item.is_original, findings, tuple(silenced))


_CHECKER: Checker | None = None


def init_checker(project: Project) -> None:
    """Pool initializer: this process's :class:`Checker`."""
    global _CHECKER
    _CHECKER = Checker(project)


def check_task(task: CheckTask) -> CheckOutcome:
    """Pool entry point: one task with this process's :class:`Checker`."""
    assert _CHECKER is not None, "init_checker was not called"
    return _CHECKER(task)


def check_files(paths: Sequence[str | os.PathLike[str]], locales: Sequence[LocaleLike], *,
                project: Project | None = None, jobs: int | None = 1) -> tuple[QAReport, list[CheckOutcome]]:
    """Check every brief file in every locale; the report (grouped by locale, findings prefixed with
    the brief id when there are several briefs) and every (brief, locale) outcome, in order.

    What ``polybrief check`` runs: each brief localised as ``publish`` would (its catalogs found beside
    it), then checked, on ``jobs`` processes with the same report for any number.

    >>> report, _ = polybrief.check_files(["examples/nagorno-karabakh.yaml"], ["hy", "az", "ru"])
    >>> report.has_errors, report.locales
    (False, ('hy', 'az', 'ru'))
    """
    project = project if project is not None else Project()
    local = Checker(project)
    tags = [local.session.locale(tag).tag for tag in locales]
    tasks = [CheckTask(len(tags) * i + k, Path(path), tag)
             for i, path in enumerate(paths) for k, tag in enumerate(tags)]
    outcomes = list(run_tasks(tasks, jobs=resolve_jobs(jobs), init=init_checker, init_args=(project,),
                              call=check_task, local=local))
    checked = [o for o in outcomes if not o.original]
    several = len({o.brief_id for o in checked}) > 1
    findings: list[Finding] = []
    for outcome in checked:
        findings.extend(replace(f, message=f"{outcome.brief_id}: {f.message}") if several else f
                        for f in outcome.findings)
    report = QAReport.from_findings(findings, locales=list(dict.fromkeys(o.locale for o in checked)),
                                    silenced=[f for o in checked for f in o.silenced])
    return report, outcomes
