"""Publishing against the floor (issue 24): polybrief, a bare gettext + Jinja2 publisher and Sphinx,
on the same distinct briefs, timed from outside in child processes.

Per size (briefs ``db-00000`` … of :mod:`bench.distinct`, published into en
+ hy, az, ru as HTML and text: 8 pages a brief and an index), each repetition
runs, in an order that rotates with the repetition so that a slow moment of
this shared machine falls on every side in turn:

* **floor** — ``python -m bench.floor`` (:mod:`bench.floor`), one process;
* **polybrief --jobs 1** and **--jobs N** (N = the CPUs this process may use) —
  ``python -m bench.child -- publish BRIEFS --locales hy,az,ru --formats
  html,text --strict --jobs …``: every quality check on (the default), and
  ``--strict``, so a brief that fell back to English would fail the run;
* **Sphinx**, at one size only (:mod:`bench.sphinx_side`).

Each side is a whole child process: wall time, and CPU time (user + system)
from :func:`os.wait4`, both including interpreter start-up and imports; peak
RSS is the child's own ``VmHWM`` (and with ``--jobs N`` the largest worker's
``ru_maxrss``).  Every run writes into a fresh output
folder (no site manifest, nothing kept from an earlier run), with ``HOME``
and ``XDG_CACHE_HOME`` pointed at a fresh empty folder, so that nothing a
run could cache under ``~/.cache/polybrief`` survives into the next (the
user's own ``~/.cache`` is neither read nor touched), compiled templates
included: every timed run compiles its templates.  The operating system's page cache is left warm (the corpus is
read once before timing), as on a site rebuilt on the machine that holds it.
Each run's output is counted (8 files a brief and an index on every side), so
no side can do less work unnoticed.  Ratios are taken per repetition between
runs of the same repetition, then summarised (median, min, max).

The briefs' catalogs are compiled to ``.mo`` for the floor and Sphinx once,
when the corpus is generated (the build step such a site runs); that is not
timed, and polybrief reads the ``.po`` files themselves, as it does.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .child import ChildRun, ChildTimeout, run_child
from .distinct import TARGETS, VERSION, Corpus, ensure_corpus
from .stats import Sample, ratio, rotate

__all__ = ["against_floor", "bench_cache"]

log = logging.getLogger("bench")

REPO = Path(__file__).resolve().parent.parent
PAGES_PER_BRIEF = (1 + len(TARGETS)) * 2


def bench_cache() -> Path:
    """Where the corpus and the benchmark's venv live: ``$POLYBRIEF_BENCH_CACHE`` or ``~/.cache/polybrief-bench``
    (not polybrief's own cache folder, which every timed run removes)."""
    configured = os.environ.get("POLYBRIEF_BENCH_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "polybrief-bench"


def _env(home: Path) -> dict[str, str]:
    paths = [str(REPO), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths)), "HOME": str(home),
            "XDG_CACHE_HOME": str(home / ".cache")}


def _clear_caches(work: Path) -> Path:
    """A fresh, empty home folder for the next run (its ``HOME``, with ``XDG_CACHE_HOME`` inside it): whatever
    a run caches under ``~/.cache/polybrief`` or ``$XDG_CACHE_HOME`` is gone before the next one.  The user's own
    ``~/.cache/polybrief`` is left alone (other processes may be using it) and is never seen by a timed run."""
    home = work / "home"
    shutil.rmtree(home, ignore_errors=True)
    (home / ".cache").mkdir(parents=True)
    return home


def _count_files(folder: Path) -> int:
    """Files written into ``folder``, polybrief's state folder (``.polybrief/``: manifest, lock) aside."""
    return sum(1 for root, _, files in os.walk(folder) for name in files
               if not name.startswith(".polybrief") and ".polybrief" not in Path(root).relative_to(folder).parts)


#: The files of polybrief's site besides pages and the index: ``404.html`` and one index per language
#: (en and every target).  The floor writes neither, which only makes its time smaller.
SITE_FILES = 1 + 1 + len(TARGETS)


class _Sides:
    """The commands of one size, and one timed run of any of them."""

    def __init__(self, corpus: Corpus, size: int, work: Path, jobs: int, sphinx: Any) -> None:
        self.corpus, self.size, self.work, self.jobs, self.sphinx = corpus, size, work, jobs, sphinx
        self.names = [f"{name}.yaml" for name in corpus.ids(size)]

    def run(self, side: str, *, timeout: float | None) -> ChildRun:
        out = self.work / "out"
        shutil.rmtree(out, ignore_errors=True)
        report = self.work / "report.json"
        report.unlink(missing_ok=True)
        env = _env(_clear_caches(self.work))
        if side == "sphinx":
            runs = self.sphinx.run(out, env)
            shutil.rmtree(out, ignore_errors=True)
            return runs
        if side == "floor":
            argv = [sys.executable, "-m", "bench.floor", *self.names, "--mo", str(self.corpus.mo), "--out", str(out),
                    "--locales", ",".join(TARGETS), "--report", str(report)]
        else:
            jobs = 1 if side == "polybrief_jobs1" else self.jobs
            argv = [sys.executable, "-m", "bench.child", "--report", str(report), "--", "publish", *self.names,
                    "--locales", ",".join(TARGETS), "--formats", "html,text", "--strict", "--jobs", str(jobs),
                    "--out", str(out)]
        run = run_child(argv, cwd=self.corpus.folder, env=env, report=report, timeout=timeout)
        written = _count_files(out)
        expected = self.size * PAGES_PER_BRIEF + 1 + (SITE_FILES if side.startswith("polybrief") else 0)
        if written != expected:
            raise RuntimeError(f"{side} wrote {written} files for {self.size} briefs, not {expected}")
        shutil.rmtree(out, ignore_errors=True)
        return run


class _SphinxSide:
    def __init__(self, python: Path, project: Path, first: str) -> None:
        self.python, self.project, self.first, self.checked = python, project, first, False

    def run(self, out: Path, env: dict[str, str]) -> ChildRun:
        from .sphinx_side import check_translated, run_sphinx

        env = {k: v for k, v in env.items() if k != "PYTHONPATH"}
        runs = run_sphinx(self.python, self.project, out, env)
        if not self.checked:
            check_translated(self.project, out, self.first)
            self.checked = True
        html = [r for k, r in runs.items() if k.endswith("/html")]
        total = ChildRun(wall=sum(r.wall for r in runs.values()), user=sum(r.user for r in runs.values()),
                         system=sum(r.system for r in runs.values()),
                         report={"html_wall": sum(r.wall for r in html), "html_cpu": sum(r.cpu for r in html),
                                 "builds": {k: r.to_dict() for k, r in runs.items()}})
        total.load_before = next(iter(runs.values())).load_before
        total.load_after = list(runs.values())[-1].load_after
        return total


def _qa_counts(corpus: Corpus, size: int, work: Path, jobs: int) -> dict[str, Any]:
    """``polybrief check --json`` over the first ``size`` briefs: errors and warnings per locale (not timed)."""
    import subprocess

    argv = [sys.executable, "-m", "polybrief", "check", *[f"{n}.yaml" for n in corpus.ids(size)],
            "--locales", ",".join(TARGETS), "--json", "--jobs", str(jobs)]
    proc = subprocess.run(argv, cwd=corpus.folder, env=_env(_clear_caches(work)), capture_output=True, text=True,
                          check=False)
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return {"briefs": size, "exit": proc.returncode, "unreadable": proc.stderr[-500:]}
    locales = data.get("locales", {})
    checks: dict[str, int] = {}
    for report in locales.values():
        for finding in report.get("findings", []):
            name = f"{finding.get('severity', '?')}: {finding.get('check', '?')}"
            checks[name] = checks.get(name, 0) + 1
    return {"briefs": size, "exit": proc.returncode,
            "errors": {tag: report.get("errors") for tag, report in locales.items()},
            "warnings": {tag: report.get("warnings") for tag, report in locales.items()}, "checks": checks}


def _summary(samples: Mapping[str, Mapping[str, Sample]], sides: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"sides": {}, "ratios": {}}
    for side in sides:
        out["sides"][side] = {name: sample.to_dict() for name, sample in samples[side].items() if sample.values}
    for side in sides:
        if side == "floor":
            continue
        for what in ("cpu", "wall"):
            out["ratios"][f"{side}_vs_floor_{what}"] = ratio(samples[side][what], samples["floor"][what]).to_dict()
    if "sphinx" in sides:
        for side in sides:
            if side == "sphinx":
                continue
            for what in ("cpu", "wall"):
                out["ratios"][f"{side}_vs_sphinx_{what}"] = ratio(samples[side][what], samples["sphinx"][what]).to_dict()
            out["ratios"][f"{side}_vs_sphinx_html_only_cpu"] = ratio(samples[side]["cpu"],
                                                                     samples["sphinx"]["html_cpu"]).to_dict()
    return out


def against_floor(*, sizes: Sequence[int], reps: int, big_reps: int = 1, big: int = 1000,
                  sphinx_size: int | None = None, profile_size: int | None = None, work: Path,
                  cache: Path | None = None, jobs: int | None = None, use_spy: bool = True,
                  timeout: float | None = None) -> dict[str, Any]:
    """Every measurement of the section (see the module docstring); sizes above ``big`` get ``big_reps``."""
    cache = cache or bench_cache()
    jobs = jobs or len(os.sched_getaffinity(0))
    largest = max([*sizes, sphinx_size or 0, profile_size or 0])
    started = time.perf_counter()
    corpus = ensure_corpus(cache / f"corpus-v{VERSION}", largest, log=log)
    generated = time.perf_counter() - started
    result: dict[str, Any] = {
        "targets": list(TARGETS), "pages_per_brief": PAGES_PER_BRIEF, "jobs": jobs, "reps": reps,
        "big_reps": big_reps, "corpus": {"version": VERSION, "folder": str(corpus.folder), "briefs": corpus.count,
                                         "seconds_to_generate_now": generated},
        "cache_policy": "every run in a fresh output folder (no manifest) with HOME and XDG_CACHE_HOME set to a "
                        "fresh empty folder (so no ~/.cache/polybrief survives between runs: no compiled templates, no "
                        "check-cache secret, every run cold); the OS page cache warm (the corpus is read once before timing)",
        "sizes": {}, "load_average_start": list(os.getloadavg()),
    }
    work.mkdir(parents=True, exist_ok=True)
    for path in corpus.paths(largest):  # the page cache warm for every side alike
        path.read_bytes()
    result["qa"] = _qa_counts(corpus, min(max(sizes), 1000), work, jobs)
    sphinx = None
    if sphinx_size:
        from .sphinx_side import ensure_bench_venv, sphinx_version, write_project

        python = ensure_bench_venv(cache, log)
        project = work / "sphinx-project"
        names = write_project(corpus, sphinx_size, project)
        sphinx = _SphinxSide(python, project, names[0])
        result["sphinx"] = {"briefs": sphinx_size, "version": sphinx_version(python),
                            "builds": "en, hy, az, ru × html then text, one doctree folder per language"}
    warm = _Sides(corpus, min(2, largest), work / "warm-up", jobs, None)
    for side in ("floor", "polybrief_jobs1"):  # bytecode compiled, files read: not timed
        warm.run(side, timeout=timeout)
    for size in sizes:
        sides = ["floor", "polybrief_jobs1", f"polybrief_jobs{jobs}"] + (["sphinx"] if size == sphinx_size else [])
        if jobs == 1:
            sides.remove("polybrief_jobs1")
        runner = _Sides(corpus, size, work / f"size-{size}", jobs, sphinx)
        samples = {side: {k: Sample(unit="bytes" if "rss" in k else "s")
                          for k in ("cpu", "wall", "peak_rss", "workers_peak_rss", "html_cpu", "html_wall")}
                   for side in sides}
        loads: list[dict[str, Any]] = []
        count = reps if size <= big else big_reps
        entry: dict[str, Any] = {"briefs": size, "pages": size * PAGES_PER_BRIEF, "reps": count,
                                 "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                 "command": " ".join(sys.argv[1:])}
        try:
            for rep in range(count):
                for side in rotate(sides, rep):
                    log.info("floor section: %d briefs, repetition %d, %s", size, rep + 1, side)
                    run = runner.run(side, timeout=timeout if size > big else None)
                    samples[side]["cpu"].add(run.cpu)
                    samples[side]["wall"].add(run.wall)
                    if run.report.get("peak_rss", -1) > 0:
                        samples[side]["peak_rss"].add(run.report["peak_rss"])
                    if run.report.get("children_peak_rss", 0) > 0 and side.startswith("polybrief_jobs"):
                        samples[side]["workers_peak_rss"].add(run.report["children_peak_rss"])
                    if side == "sphinx":
                        samples[side]["html_cpu"].add(run.report["html_cpu"])
                        samples[side]["html_wall"].add(run.report["html_wall"])
                    loads.append({"rep": rep, "side": side, "load1_before": round(run.load_before[0], 2),
                                  "load1_after": round(run.load_after[0], 2)})
        except ChildTimeout as stop:
            entry["stopped"] = str(stop)
            entry["stopped_run"] = {"side": side, "wall": stop.wall, "cpu": stop.cpu, "peak_rss_so_far": stop.peak_rss,
                                    "limit": timeout}
            log.warning("floor section: %s", stop)
            done = min(len(s["cpu"].values) for s in samples.values())
            for side_samples in samples.values():
                for sample in side_samples.values():
                    del sample.values[done:]
        entry.update(_summary(samples, sides))
        entry["load"] = loads
        result["sizes"][str(size)] = entry
        shutil.rmtree(work / f"size-{size}", ignore_errors=True)
    if profile_size:
        from .floor_profile import profile_publish

        spy = cache / "venv" / "bin" / "py-spy"
        if use_spy and not spy.is_file():
            from .sphinx_side import ensure_bench_venv

            ensure_bench_venv(cache, log)
        names = [f"{name}.yaml" for name in corpus.ids(profile_size)]
        result["profile"] = profile_publish(
            names, cwd=corpus.folder, python=sys.executable, env=_env(_clear_caches(work)), work=work / "profile",
            args=["--locales", ",".join(TARGETS), "--formats", "html,text", "--strict"],
            spy=spy if use_spy and spy.is_file() else None, keep=cache / f"profile-{profile_size}")
        result["profile"]["kept_in"] = str(cache / f"profile-{profile_size}")
    result["load_average_end"] = list(os.getloadavg())
    result["cpu_count"] = os.cpu_count()
    return result
