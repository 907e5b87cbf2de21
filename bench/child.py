"""Timing a command in a child process from the outside, and running polybrief's command line in one.

:func:`run_child` starts a command, waits for it with :func:`os.wait4` and
returns its wall time and its CPU time (user + system, from the ``rusage``
``wait4`` returns, which includes the child's own children — ``--jobs``
workers — once they were waited for).  The interpreter's start-up and every
import are inside both figures, on every side of a comparison.

``python -m bench.child --report FILE [--cprofile FILE] -- ARGS`` runs
``polybrief ARGS`` through :func:`polybrief.cli.main`, exactly as the
``polybrief`` script does, and then writes its exit status and peak RSS
(``VmHWM`` of the process, and the largest ``ru_maxrss`` of its waited-for
children) to ``FILE``: the high-water mark has to be read from inside,
because ``wait4``'s ``ru_maxrss`` carries the parent's across ``fork`` and
``exec`` (see :mod:`bench.memory`).  ``--cprofile`` runs the command under
:mod:`cProfile` and dumps its statistics.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ChildRun", "ChildTimeout", "run_child", "vm_hwm"]


class ChildTimeout(RuntimeError):
    """The child ran past its time limit and was killed (``peak_rss``: its ``VmHWM`` last seen, or -1)."""

    def __init__(self, message: str, *, wall: float, cpu: float, peak_rss: int) -> None:
        super().__init__(message)
        self.wall, self.cpu, self.peak_rss = wall, cpu, peak_rss


@dataclass
class ChildRun:
    """One child process: its wall and CPU seconds, and what it reported about itself."""

    wall: float
    user: float
    system: float
    report: dict[str, Any] = field(default_factory=dict)
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @property
    def cpu(self) -> float:
        return self.user + self.system

    def to_dict(self) -> dict[str, Any]:
        return {"wall": self.wall, "cpu": self.cpu, "user": self.user, "system": self.system,
                "report": self.report, "load_before": list(self.load_before), "load_after": list(self.load_after)}


def run_child(argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], report: Path | None = None,
              timeout: float | None = None) -> ChildRun:
    """Run ``argv`` to its end; raise ``RuntimeError`` (with the end of its stderr) if it fails."""
    load_before = os.getloadavg()
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=errors)
        deadline = None if timeout is None else start + timeout
        killed = False
        seen, next_look = -1, start
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG if deadline else 0)
            if pid:
                break
            now = time.perf_counter()
            if now >= next_look:  # a run that is stopped still tells how much memory it had reached
                seen, next_look = max(seen, vm_hwm(proc.pid)), now + 0.5
            if deadline is not None and now > deadline:
                proc.kill()
                killed = True
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if killed:
            raise ChildTimeout(f"{' '.join(argv[:6])} ... killed after {wall:.0f} s (limit {timeout:.0f} s)",
                               wall=wall, cpu=usage.ru_utime + usage.ru_stime, peak_rss=seen)
        if proc.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"{' '.join(argv[:6])} ... exited with {proc.returncode}:\n{tail}")
    data: dict[str, Any] = {}
    if report is not None and report.is_file():
        data = json.loads(report.read_text(encoding="utf-8"))
    return ChildRun(wall=wall, user=usage.ru_utime, system=usage.ru_stime, report=data,
                    load_before=load_before, load_after=os.getloadavg())


def vm_hwm(pid: int | None = None) -> int:
    """The peak RSS in bytes (``VmHWM``) of this process or of ``pid``, or -1 where ``/proc`` has none."""
    try:
        with open(f"/proc/{pid or 'self'}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return -1


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--" not in args:
        sys.exit("usage: python -m bench.child --report FILE [--cprofile FILE] -- POLYBRIEF-ARGS")
    split = args.index("--")
    options, command = args[:split], args[split + 1:]
    settings = dict(zip(options[::2], options[1::2]))
    report = Path(settings["--report"])
    profile_path = settings.get("--cprofile")
    profiler = None
    if profile_path:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    code: object = 0
    try:
        from polybrief.cli import main as polybrief_main

        code = polybrief_main(command)
    except SystemExit as stop:
        code = stop.code
    finally:
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile_path)
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        report.write_text(json.dumps({"exit": code if isinstance(code, int) else 1, "peak_rss": vm_hwm(),
                                      "children_peak_rss": children}), encoding="utf-8")
    return code if isinstance(code, int) else 1


if __name__ == "__main__":
    sys.exit(main())
