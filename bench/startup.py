"""Start-up: fresh interpreters importing polybrief or argostranslate, and ``polybrief --help``.

Each command runs in a new process, the order rotating every repetition; the
wall-clock time includes starting the interpreter (a bare ``python -c pass``
is measured alongside, so the import cost alone is the difference).

Peak RSS is read by the child itself (``VmHWM`` in ``/proc/self/status``, at
exit) in one extra, untimed run of each command through a small ``-c``
wrapper: ``ru_maxrss`` from ``wait4`` is useless here, because Linux carries
the parent's high-water mark (the benchmark process, with torch imported)
across fork and exec into the child's figure.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .stats import Sample, ratio, rotate

__all__ = ["startup"]

COMMANDS: dict[str, list[str]] = {
    "python -c pass": ["-c", "pass"],
    "import polybrief": ["-c", "import polybrief"],
    "import argostranslate.translate": ["-c", "import argostranslate.translate"],
    "python -m polybrief --help": ["-m", "polybrief", "--help"],
}


#: Runs a command's equivalent and writes the process's peak RSS (bytes) to stderr's last line.
_RSS_WRAPPER = """
import atexit, sys
def _peak():
    with open('/proc/self/status') as f:
        kib = next(int(l.split()[1]) for l in f if l.startswith('VmHWM:'))
    sys.stderr.write('\\nVmHWM=%d\\n' % (kib * 1024))
atexit.register(_peak)
mode, arg = sys.argv[1], sys.argv[2]
if mode == '-c':
    sys.argv[1:] = []
    exec(compile(arg, '<string>', 'exec'), {'__name__': '__main__'})
else:
    import runpy
    sys.argv[:] = [arg, *sys.argv[3:]]
    runpy.run_module(arg, run_name='__main__', alter_sys=True)
"""


def _run(args: list[str], *, env: Mapping[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], env=dict(env), cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        detail = proc.stderr.decode(errors="replace")[-500:]
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {detail}")
    return elapsed


def _peak_rss(args: list[str], *, env: Mapping[str, str], cwd: Path) -> int:
    proc = subprocess.run([sys.executable, "-c", _RSS_WRAPPER, *args], env=dict(env), cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    for line in reversed(proc.stderr.decode(errors="replace").splitlines()):
        if line.startswith("VmHWM="):
            return int(line.split("=", 1)[1])
    raise RuntimeError(f"no peak RSS from {' '.join(args)}: {proc.stderr.decode(errors='replace')[-500:]}")


def startup(reps: int, *, env: Mapping[str, str], cwd: Path) -> dict[str, Any]:
    times = {name: Sample() for name in COMMANDS}
    # One untimed run each (page cache and .pyc files warm for every side), which also reads peak RSS.
    rss = {name: _peak_rss(COMMANDS[name], env=env, cwd=cwd) for name in COMMANDS}
    for rep in range(reps):
        for name in rotate(list(COMMANDS), rep):
            times[name].add(_run(COMMANDS[name], env=env, cwd=cwd))
    bare = times["python -c pass"]
    return {
        "reps": reps,
        "times": {name: s.to_dict() for name, s in times.items()},
        "peak_rss_bytes": rss,
        "argostranslate_vs_polybrief_import": ratio(times["import argostranslate.translate"],
                                                    times["import polybrief"]).to_dict(),
        "import_only": {
            "polybrief": Sample([a - b for a, b in zip(times["import polybrief"].values, bare.values)]).to_dict(),
            "argostranslate.translate": Sample([a - b for a, b in zip(times["import argostranslate.translate"].values,
                                                                     bare.values)]).to_dict(),
        },
    }
