"""``polybrief check`` over many briefs and locales, on every core (``--jobs``).

Each (brief, locale) is one task (:mod:`polybrief.pool`): load the brief,
read its catalog, localise it as ``publish`` would and run the checks.  The
findings come back in task order, so the report is the same for any number
of processes, and it is the report :func:`~polybrief.qa.gate.check_briefs`
gives for the same localised briefs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..project import BriefSource, Project
    from .report import Finding, QAReport

__all__ = ["CheckOutcome", "check_files"]


@dataclass(frozen=True)
class CheckOutcome:
    """One (brief, locale) checked: its findings, or nothing to check (the brief's own language)."""

    brief_id: str
    locale: str
    original: bool
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class _Task:
    index: int
    path: Path
    tag: str


class _Checker:
    def __init__(self, project: Project) -> None:
        self.project = project
        self._last: tuple[Path, BriefSource] | None = None  # the brief of the previous task (one at a time)
        self._facts: dict[tuple[str, str], dict[str, Any]] = {}

    def __call__(self, task: _Task) -> CheckOutcome:
        from ..localise import localise
        from .gate import check_localised

        project = self.project
        if self._last is None or self._last[0] != task.path:
            self._last = (task.path, project.open_brief(task.path))
            self._facts = {}
        source = self._last[1]
        locale = project.locale(task.tag)
        item = localise(source, locale, project=project, catalog=project.catalog(source, locale))
        findings = () if item.is_original else tuple(
            check_localised(item, glossary=project.glossary, facts=self._facts))
        return CheckOutcome(source.brief.id, item.locale.tag, item.is_original, findings)


_CHECKER: _Checker | None = None


def _init(project: Project) -> None:
    global _CHECKER
    _CHECKER = _Checker(project)


def _call(task: _Task) -> CheckOutcome:
    assert _CHECKER is not None, "_init was not called"
    return _CHECKER(task)


def check_files(paths: Sequence[str | os.PathLike[str]], locales: Sequence[str], *, project: Project,
                jobs: int | None = 1) -> tuple[QAReport, list[CheckOutcome]]:
    """Check every brief file in every locale; the report (grouped by locale, findings prefixed with
    the brief id when there are several briefs) and every (brief, locale) outcome, in order."""
    from ..pool import resolve_jobs, run_tasks
    from .report import QAReport

    tags = [project.locale(tag).tag for tag in locales]
    tasks = [_Task(len(tags) * i + k, Path(path), tag) for i, path in enumerate(paths) for k, tag in enumerate(tags)]
    local = _Checker(project)
    outcomes = list(run_tasks(tasks, jobs=resolve_jobs(jobs), init=_init, init_args=(project,), call=_call,
                              local=local))
    checked = [o for o in outcomes if not o.original]
    several = len({o.brief_id for o in checked}) > 1
    findings: list[Finding] = []
    for outcome in checked:
        findings.extend(replace(f, message=f"{outcome.brief_id}: {f.message}") if several else f
                        for f in outcome.findings)
    report = QAReport.from_findings(findings, locales=list(dict.fromkeys(o.locale for o in checked)))
    return report, outcomes
