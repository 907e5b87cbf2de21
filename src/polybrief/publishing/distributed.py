"""Publishing a site on a Ray cluster: one Ray task per shard, one merge on the driver.

:func:`publish_distributed` (``polybrief publish --shards N``) splits the
briefs into N shards (:func:`~.shards.split`: by file name, nothing is read),
and runs each as a Ray task on the cluster: the task publishes its shard with
the ordinary pipeline (:func:`~.shards.publish_shard`) into its shard folder
under the site's state folder (``SITE/.polybrief/shards/K``, so on the site's
file system: the merge links the pages rather than copying them) and sends
back a :class:`ShardSummary` — counts and timings, never pages.  The driver,
holding the site's lock all along, then merges every shard into the site
(:func:`~.merge.merge_into`): one manifest, the site's own pages made once,
everything renamed into place, the manifest last.  The shard folders are
removed at the end, whether the run succeeded or not.

Every node reads the briefs, catalogs and templates at the paths the driver
names and writes into the site folder, so they must see one shared file
system at the same paths (see docs/scale.md).  A shard that fails (bad
input, a quality error, a worker lost) fails the run after the other tasks
ended: nothing of the site is replaced, and the error names the shard.  Ray
is imported only here, when asked for; without it the run stops with
:class:`~polybrief.errors.MissingExtraError` (exit status 2).
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import raycluster
from ..errors import InterruptedRunError, PolybriefError, UsageError
from ..site.state import STATE_DIR, site_lock
from .merge import merge_into
from .shards import check_shards, publish_shard, read_shard, split

if TYPE_CHECKING:
    from ..cldr import LocaleLike
    from ..project import Project
    from ..rendering import OutputFormat
    from .report import PublishReport

__all__ = ["ShardSummary", "DistributedReport", "publish_distributed", "build_shard", "SHARDS_DIR"]

#: Where the shard folders of a run live while it works, relative to the site.
SHARDS_DIR = f"{STATE_DIR}/shards"


@dataclass(frozen=True, slots=True)
class ShardSummary:
    """What one Ray task sends back: which shard, where it ran, what it made and what it cost (``cpu_seconds``:
    the task's process and its ``--jobs`` workers, not Ray's own processes)."""

    number: int
    count: int
    briefs: int
    files: int
    warnings: int
    node: str
    seconds: float
    cpu_seconds: float
    error: PolybriefError | None = None


@dataclass(frozen=True)
class DistributedReport:
    """A distributed run: the merged site's report and each shard's summary."""

    report: PublishReport
    shards: tuple[ShardSummary, ...]
    seconds: float
    merge_seconds: float


def build_shard(briefs: Sequence[str], number: int, count: int, folder: str, project: Project,
                locales: Sequence[str], formats: Sequence[str], jobs: int = 1) -> ShardSummary:
    """The body of one Ray task: publish shard ``number`` of ``count`` into ``folder`` (with ``jobs`` worker
    processes); its summary.

    A polybrief error comes back as data (``error``), so the driver can name the shard and re-raise it
    with its file, field and hint; anything else is a bug and travels as Ray passes it."""
    started, cpu = time.perf_counter(), _cpu()
    node = socket.gethostname()
    try:
        report = publish_shard(briefs, shard=(number, count), locales=locales, out_dir=folder, project=project,
                               formats=formats, jobs=jobs)  # type: ignore[arg-type]
    except PolybriefError as exc:
        return ShardSummary(number, count, 0, 0, 0, node, time.perf_counter() - started, _cpu() - cpu, error=exc)
    findings = report.qa.findings if report.qa is not None else {}
    return ShardSummary(number, count, len({page.brief_id for page in report.pages}), len(report.files),
                        sum(len(found) for found in findings.values()), node,
                        time.perf_counter() - started, _cpu() - cpu)


def _cpu() -> float:
    """CPU seconds of this process and of its ended worker processes (``--jobs``)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _connect(address: str) -> tuple[Any, bool]:
    """Ray, connected to ``address`` for the shard tasks (:func:`polybrief.raycluster.connect`)."""
    return raycluster.connect(address, error=UsageError,
                              missing="--shards runs the shards as Ray tasks, but Ray is not installed",
                              missing_hint="pip install 'polybrief[ray]', or publish each shard by hand: polybrief "
                                           "publish ... --shard K/N, then polybrief site merge")


def publish_distributed(
    briefs: Sequence[str | os.PathLike[str]],
    *,
    locales: Sequence[LocaleLike],
    out_dir: str | os.PathLike[str],
    shards: int,
    address: str = "local",
    project: Project | None = None,
    formats: Sequence[OutputFormat] = ("html", "text"),
    jobs: int = 1,
    now: datetime | None = None,
    on_shard: Callable[[ShardSummary], None] | None = None,
) -> DistributedReport:
    """Publish ``briefs`` into the site ``out_dir`` as ``shards`` Ray tasks on the cluster at ``address``
    (see the module docstring); the site is the one :func:`~polybrief.publish` writes.

    Each task asks Ray for ``jobs`` CPUs and publishes with as many worker processes (one shard per core:
    ``jobs=1``; one shard per node: its cores).  ``on_shard(summary)`` is called as each shard ends.  The run builds every page of the briefs given
    (each shard starts from an empty folder); pages on record of other briefs stay as they are."""
    from ..cldr import get_locale
    from ..project import Project
    from ..session import Session
    from ..site.manifest_read import load_manifest

    started = time.perf_counter()
    if jobs < 1:
        raise UsageError(f"a shard is published by at least one process, not {jobs}", field="jobs")
    parts = split(briefs, shards)
    tags = [get_locale(tag).tag for tag in locales]
    project = project or Project()
    Session(project).renderer.check_templates(formats)  # a broken override fails before Ray starts
    ray, connected = _connect(address)
    try:
        with site_lock(Path(out_dir)) as lock:
            if project.base_url is None:  # the shards render with the site's base URL on record
                recorded = load_manifest(lock.root, limits=project.limits).base_url
                if recorded is not None:
                    project = project.with_options(base_url=recorded)
            root = lock.root / SHARDS_DIR / f"{os.getpid()}-{time.time_ns()}"
            try:
                summaries = _run_tasks(ray, parts, root, project, tags, formats, jobs, on_shard)
                merging = time.perf_counter()
                read = [read_shard(root / str(number), project) for number in range(1, shards + 1)]
                check_shards(read)
                report = merge_into(lock, read, Session(project), now=now)
            finally:
                shutil.rmtree(root, ignore_errors=True)
                _remove_empty(root.parent)
    finally:
        if connected:
            ray.shutdown()
    end = time.perf_counter()
    return DistributedReport(report, tuple(summaries), end - started, end - merging)


def _run_tasks(ray: Any, parts: list[list[str | os.PathLike[str]]], root: Path, project: Project,
               tags: list[str], formats: Sequence[str], jobs: int,
               on_shard: Callable[[ShardSummary], None] | None) -> list[ShardSummary]:
    """Run one task per shard and wait for all of them; the first failure (by shard) is raised after."""
    task = ray.remote(num_cpus=jobs, max_retries=0)(build_shard)
    count = len(parts)
    pending = {task.remote([os.path.abspath(b) for b in part], number, count, str(root / str(number)), project,
                           tags, list(formats), jobs): number
               for number, part in enumerate(parts, start=1)}
    summaries: dict[int, ShardSummary] = {}
    failures: dict[int, BaseException] = {}
    while pending:
        done, _ = ray.wait(list(pending), num_returns=1)
        for ref in done:
            number = pending.pop(ref)
            try:
                summary = ray.get(ref)
            except Exception as exc:  # the task crashed or its worker was lost
                failures[number] = exc
                continue
            summaries[number] = summary
            if summary.error is not None:
                failures[number] = summary.error
            elif on_shard is not None:
                on_shard(summary)
    if failures:
        number = min(failures)
        raise _shard_error(number, count, failures[number])
    return [summaries[number] for number in sorted(summaries)]


def _shard_error(number: int, count: int, exc: BaseException) -> BaseException:
    """A shard's failure as the driver raises it: a polybrief error keeps its type, file, field and hint."""
    if isinstance(exc, PolybriefError):
        exc.message = f"shard {number}/{count}: {exc.message}"
        exc.args = ("\n".join(p.describe() for p in exc.problems),)
        return exc
    cause = getattr(exc, "cause", None)
    if isinstance(cause, PolybriefError):
        return _shard_error(number, count, cause)
    lost = type(exc).__name__ in {"WorkerCrashedError", "NodeDiedError", "ActorDiedError", "TaskCancelledError",
                                  "OutOfMemoryError", "LocalRayletDiedError", "ObjectLostError"}
    if lost:
        return InterruptedRunError(f"shard {number}/{count}: its Ray worker was lost ({type(exc).__name__}); the "
                                   "run stopped and nothing was written", hint="run the command again")
    return exc


def _remove_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass
