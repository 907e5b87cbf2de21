"""Every core of one machine: independent tasks on a pool of worker processes (``--jobs N``).

``publish`` and ``check`` cut a run into tasks that share nothing (one brief,
or one brief in one locale) and give them to :func:`run_tasks`, which runs
them in this process (``jobs=1``, or a single task) or on a
:class:`concurrent.futures.ProcessPoolExecutor`.  Results come back in task
order whatever the number of processes, so the output of ``--jobs 8`` is
byte-identical to ``--jobs 1``, and an error is the one the first failing
task (in order) raised, as one process would have raised it.

Processes, not threads: the work is Python (Jinja2, the quality checks,
Babel), which the GIL serialises.  On Linux workers are forked, so they
start with the parent's imports and caches (compiled templates, resolved
locales) instead of importing polybrief again; elsewhere the platform's
default start method is used and the initializer's arguments are pickled
(:class:`~polybrief.project.Project` pickles without its caches).  A worker
asks the kernel to kill it if its parent dies (``PR_SET_PDEATHSIG``), so a
killed run leaves no orphans behind.  A worker killed from outside (the
out-of-memory killer, ``kill -9``) is not a bug in polybrief: the run stops
with an :class:`~polybrief.errors.InterruptedRunError` naming the signal
(exit status 75), and the tasks' staged files are removed as for any failure.
"""

from __future__ import annotations

import logging
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

__all__ = ["usable_cpus", "run_tasks", "resolve_jobs"]

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


def usable_cpus() -> int:
    """CPUs this process may run on: the default ``--jobs``.

    ``os.process_cpu_count()`` where Python has it (3.13+: it honours
    ``PYTHON_CPU_COUNT`` and the affinity mask), else the scheduler's affinity
    mask (``taskset``, a container's cpuset), else every CPU of the machine.
    """
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return max(1, counter() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def resolve_jobs(jobs: int | None) -> int:
    """``--jobs``: None means every usable CPU; below 1 is a usage error."""
    if jobs is None:
        return usable_cpus()
    if jobs < 1:
        from .errors import UsageError

        raise UsageError(f"--jobs must be at least 1, not {jobs}")
    return jobs


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):  # pragma: no cover - best effort
        pass


def _worker_init(init: Callable[..., None], args: tuple[Any, ...]) -> None:
    _die_with_parent()
    init(*args)


def _context() -> Any:
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def run_tasks(
    tasks: Sequence[T],
    *,
    jobs: int,
    init: Callable[..., None],
    init_args: tuple[Any, ...],
    call: Callable[[T], R],
    local: Callable[[T], R],
    discard: Callable[[R], None] | None = None,
) -> Iterator[R]:
    """Yield ``call(task)`` for every task, in order, on ``jobs`` processes.

    In this process (``jobs == 1`` or one task) each task is ``local(task)``
    and ``init`` is not called.  On a pool, every worker runs
    ``init(*init_args)`` once, then ``call`` (both must be module-level
    functions).  At most a few tasks per worker are in flight, so results
    that are not consumed yet never pile up.  When a task fails, the tasks
    not started are dropped, the running ones are waited for and their
    results given to ``discard`` (which removes what they staged), and the
    first failure in task order is raised.
    """
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield local(task)
        return
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    workers = min(jobs, len(tasks))
    log.info("running %d tasks on %d processes", len(tasks), workers)
    window = workers * 4
    pending: deque[Future[R]] = deque()
    upcoming = iter(tasks)
    processes: dict[int, Any] = {}  # every worker the pool started, to say how one died
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_worker_init,
                             initargs=(init, init_args)) as pool:
        try:
            for task in upcoming:
                pending.append(pool.submit(call, task))
                processes.update(getattr(pool, "_processes", None) or {})
                if len(pending) >= window:
                    break
            while pending:
                try:
                    result = pending.popleft().result()
                except BrokenProcessPool:
                    raise _lost_worker(processes) from None
                following = next(upcoming, None)
                if following is not None:
                    pending.append(pool.submit(call, following))
                    processes.update(getattr(pool, "_processes", None) or {})
                yield result
        finally:
            for future in pending:
                future.cancel()
            for future in pending:
                if future.cancelled():
                    continue
                try:
                    leftover = future.result()
                except BaseException:  # noqa: BLE001 - its own failure; the first one is raised
                    continue
                if discard is not None:
                    discard(leftover)


def _lost_worker(processes: dict[int, Any]) -> Exception:
    """The error for a worker that died without a result: killed by a signal (the kernel's out-of-memory
    killer, an operator), which polybrief reports as such rather than as a bug in itself."""
    import signal
    import time

    from .errors import InterruptedRunError

    deadline = time.monotonic() + 1.0
    codes: list[int] = []
    while time.monotonic() < deadline:
        codes = [p.exitcode for p in processes.values() if getattr(p, "exitcode", None) is not None]
        if any(code < 0 and code != -signal.SIGTERM for code in codes) or len(codes) == len(processes):
            break
        time.sleep(0.02)
    # The pool ends the other workers with SIGTERM once one is lost: the other signal is the cause.
    signals = sorted({-code for code in codes if code < 0}, key=lambda n: n == signal.SIGTERM)
    if signals:
        try:
            name = signal.Signals(signals[0]).name
        except ValueError:
            name = f"signal {signals[0]}"
        how = f"was killed by {name} (signal {signals[0]})"
    else:
        codes = [code for code in codes if code > 0]
        how = f"exited with status {codes[0]}" if codes else "ended abruptly"
    return InterruptedRunError(
        f"a worker process {how} from outside polybrief (the out-of-memory killer, or someone ending it); "
        "the run stopped and nothing was written",
        hint="run the command again; if memory is short, with fewer --jobs")
