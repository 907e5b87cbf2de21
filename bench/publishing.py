"""Publishing at scale: ``polybrief publish`` of many briefs against a bare Jinja2 render of the same pages.

The corpus is copies of the example brief (ids ``nk-00000``, ``nk-00001``, ...),
each with its three reviewed catalogs (hy, az, ru), published with
``--strict`` into hy, az and ru without MT: 8 pages per brief (4 locales × html
and text), the index and the site manifest.

Each publish runs the command line (:func:`polybrief.cli.main`) in a fresh
process (``python -m bench.publishing child``), which times the command
itself (imports excluded; its whole wall time is reported too) and reads its
own peak RSS (``VmHWM``).  In the same repetition the benchmark process
renders the example's 8 pages through a bare Jinja2 environment
(:func:`bench.rendering.bare_pages`: the same template files, trivial
filters, plain data); publish ÷ bare is publish time ÷ (bare time per page ×
pages published).

* Sizes: pages per second and publish ÷ bare at each size with ``--jobs 1``
  (one core, like the bare render), and with ``--jobs 2``.
* Incremental: after the cold ``--jobs 1`` run at the largest size, one
  brief's publication time is edited and the same command runs again;
  whole-command wall time of the second run ÷ the first (and, as a
  diagnostic, a republish with nothing changed).  Then one entry of the hy
  UI catalog (the corpus has its own copy, read by the cold run too) is
  edited and the command runs again: every hy page is rendered again, its
  findings taken from the check cache (issue 24).
* Memory: peak RSS of each ``--jobs 1`` run (one process holds everything),
  and of a larger run when the profile asks for one.
* Where the time goes: one more ``--jobs 1`` run with the pipeline's steps
  timed (load, catalogs, localise, checks, render, stage).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .memory import status_kib
from .stats import Sample, ratio

__all__ = ["make_copies", "publishing"]

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "nagorno-karabakh.yaml"
TARGETS = ("hy", "az", "ru")
PAGES_PER_BRIEF = (1 + len(TARGETS)) * 2


def make_copies(folder: Path, count: int, *, start: int = 0) -> list[Path]:
    """Copies ``start`` .. ``count - 1`` of the example brief with its reviewed hy, az and ru catalogs."""
    text = EXAMPLE.read_text(encoding="utf-8")
    catalogs = {tag: (EXAMPLE.parent / "locales" / tag / "LC_MESSAGES" / "nagorno-karabakh.po").read_text(
        encoding="utf-8") for tag in TARGETS}
    for tag in TARGETS:
        (folder / "locales" / tag / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, count):
        brief_id = f"nk-{n:05d}"
        path = folder / f"{brief_id}.yaml"
        if not path.exists():
            path.write_text(text.replace("id: nagorno-karabakh", f"id: {brief_id}", 1), encoding="utf-8")
            for tag, po in catalogs.items():
                (folder / "locales" / tag / "LC_MESSAGES" / f"{brief_id}.po").write_text(
                    po.replace("Project-Id-Version: nagorno-karabakh", f"Project-Id-Version: {brief_id}"),
                    encoding="utf-8")
        paths.append(path)
    return paths


# -- the child: one publish run, timed and measured from inside -----------------------------------------


def _timed_steps() -> dict[str, float]:
    """Wrap the pipeline's steps so that their time adds up (the ``--phases`` diagnostic)."""
    import importlib

    totals: dict[str, float] = {}
    targets = [("polybrief.session", "Session", "open_brief", "load"),
               ("polybrief.session", "Session", "catalog", "catalogs"),
               ("polybrief.session", "Session", "localise", "localise"),
               ("polybrief.qa.gate", None, "check_localised", "checks"),
               ("polybrief.rendering", "Renderer", "render", "render"),
               ("polybrief.fs", None, "stage_bytes", "stage")]
    for module_name, owner_name, name, key in targets:
        module = importlib.import_module(module_name)
        owner = getattr(module, owner_name) if owner_name else module
        original = getattr(owner, name)

        def timed(*args: Any, __original: Any = original, __key: str = key, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return __original(*args, **kwargs)
            finally:
                totals[__key] = totals.get(__key, 0.0) + time.perf_counter() - start

        setattr(owner, name, timed)  # the pipeline imports these by name when it runs: the wrappers are seen
    return totals


def child_main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.publishing child")
    parser.add_argument("--paths", type=Path, required=True, help="file with one brief path per line")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, required=True)
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument("--phases", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    import polybrief  # noqa: F401
    from polybrief.cli import main

    paths = args.paths.read_text(encoding="utf-8").split("\n")
    steps = _timed_steps() if args.phases else None
    command = ["publish", *[p for p in paths if p], "--locales", ",".join(TARGETS), "--strict",
               "--out", str(args.out), "--jobs", str(args.jobs)]
    stdout = sys.stdout
    start = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        sys.stdout = sink
        try:
            status = main(command)
        finally:
            sys.stdout = stdout
    seconds = time.perf_counter() - start
    result = {"status": status, "seconds": seconds, "wall_in_process": time.perf_counter() - started,
              "peak_rss": status_kib("VmHWM") * 1024, "steps": steps}
    args.result.write_text(json.dumps(result), encoding="utf-8")
    return 0 if status == 0 else 1


def _child_env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), str(REPO / "src"),
                                                                      os.environ.get("PYTHONPATH")]))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed polybrief has its bytecode compiled
    return env


def run_publish(paths: Sequence[Path], out: Path, *, jobs: int, work: Path, phases: bool = False) -> dict[str, Any]:
    """One publish in a fresh process: its own timing and peak RSS, and the whole command's wall time."""
    work.mkdir(parents=True, exist_ok=True)
    listing, result = work / "paths.txt", work / "result.json"
    listing.write_text("\n".join(str(p) for p in paths), encoding="utf-8")
    command = [sys.executable, "-m", "bench.publishing", "child", "--paths", str(listing), "--out", str(out),
               "--jobs", str(jobs), "--result", str(result)] + (["--phases"] if phases else [])
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=REPO, env=_child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"publish child failed: {proc.stderr.decode(errors='replace')[-1500:]}")
    data: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
    data["wall"] = wall
    return data


def _edit_one(path: Path, minute: int) -> None:
    """Move one brief's publication time (its pages and the index change; its translations stay valid)."""
    text = path.read_text(encoding="utf-8")
    new, count = _PUBLISHED.subn(f"published: 2023-09-19T18:{minute:02d}:00+05:30", text, count=1)
    assert count == 1, path
    path.write_text(new, encoding="utf-8")


_PUBLISHED = re.compile(r"^published: .*$", re.M)


def publishing(*, sizes: Sequence[int], reps: int, big_reps: int, work: Path, jobs_compare: int = 2,
               memory_size: int | None = None, phases_size: int = 100, bare_rounds: int = 10) -> dict[str, Any]:
    """Every publishing measurement (see the module docstring)."""
    from .rendering import bare_pages

    shutil.rmtree(work, ignore_errors=True)
    corpus = work / "corpus"
    largest = max(sizes)
    paths = make_copies(corpus, largest)
    (corpus / "locales" / UI_TAG / "LC_MESSAGES" / "polybrief.po").write_text(_ui_catalog(), encoding="utf-8")
    time.sleep(2.1)  # files younger than two seconds are hashed again by the next run (racy-clean rule)
    render_bare, bare_count = bare_pages()
    render_bare()
    run_publish(paths[:2], work / "warm-up", jobs=1, work=work / "tmp")  # bytecode written, caches warm

    per_size: dict[int, dict[str, Sample]] = {}
    result: dict[str, Any] = {"targets": list(TARGETS), "pages_per_brief": PAGES_PER_BRIEF, "sizes": {},
                              "jobs_compare": jobs_compare}
    incremental: dict[str, Sample] = {k: Sample() for k in ("cold_wall", "edit_wall", "unchanged_wall",
                                                            "cold_seconds", "edit_seconds", "unchanged_seconds",
                                                            "ui_wall", "ui_seconds", "ui_page_wall",
                                                            "ui_page_seconds")}
    for size in sizes:
        samples = per_size[size] = {k: Sample() for k in ("jobs1", "jobsN", "bare", "wall1", "walln")}
        samples["rss1"] = Sample(unit="bytes")
        samples["rssN"] = Sample(unit="bytes")
        pages = size * PAGES_PER_BRIEF
        for rep in range(reps if size < largest else big_reps):
            start = time.perf_counter()
            for _ in range(bare_rounds):
                render_bare()
            per_page = (time.perf_counter() - start) / (bare_rounds * bare_count)
            samples["bare"].add(per_page * pages)
            order = [1, jobs_compare] if rep % 2 == 0 else [jobs_compare, 1]
            for jobs in order:
                out = work / f"out-{size}-{jobs}-{rep}"
                shutil.rmtree(out, ignore_errors=True)
                run = run_publish(paths[:size], out, jobs=jobs, work=work / "tmp")
                key = "1" if jobs == 1 else "N"
                samples[f"jobs{key}"].add(run["seconds"])
                samples["wall1" if jobs == 1 else "walln"].add(run["wall"])
                samples[f"rss{key}"].add(run["peak_rss"])
                if size == largest and jobs == 1:
                    _incremental(paths, out, size, work, incremental, cold=run, minute=rep + 1)
                if not (size == largest and jobs == 1):
                    shutil.rmtree(out, ignore_errors=True)
        bare = samples["bare"]
        entry: dict[str, Any] = {
            "briefs": size, "pages": pages,
            "publish_jobs1": samples["jobs1"].to_dict(), f"publish_jobs{jobs_compare}": samples["jobsN"].to_dict(),
            "wall_jobs1": samples["wall1"].to_dict(), "bare_render": bare.to_dict(),
            "publish_vs_bare_jobs1": ratio(samples["jobs1"], bare).to_dict(),
            f"publish_vs_bare_jobs{jobs_compare}": ratio(samples["jobsN"], bare).to_dict(),
            "pages_per_second_jobs1": Sample([pages / v for v in samples["jobs1"].values], "pages/s").to_dict(),
            f"pages_per_second_jobs{jobs_compare}": Sample([pages / v for v in samples["jobsN"].values],
                                                           "pages/s").to_dict(),
            "bare_pages_per_second": Sample([pages / v for v in bare.values], "pages/s").to_dict(),
            "peak_rss_jobs1": samples["rss1"].to_dict(), f"peak_rss_jobs{jobs_compare}": samples["rssN"].to_dict(),
            f"jobs{jobs_compare}_vs_jobs1": ratio(samples["jobsN"], samples["jobs1"]).to_dict(),
        }
        result["sizes"][str(size)] = entry
    result["incremental"] = {
        "briefs": largest, "edit": "one brief's publication time (its 8 pages and the index change)",
        **{k: v.to_dict() for k, v in incremental.items()},
        "edit_vs_cold_wall": ratio(incremental["edit_wall"], incremental["cold_wall"]).to_dict(),
        "edit_vs_cold_seconds": ratio(incremental["edit_seconds"], incremental["cold_seconds"]).to_dict(),
        "unchanged_vs_cold_wall": ratio(incremental["unchanged_wall"], incremental["cold_wall"]).to_dict(),
        "ui_edit": f"one msgstr of the {UI_TAG} UI catalog that only the language indexes show (no page is "
                   f"rendered again)",
        "ui_vs_cold_wall": ratio(incremental["ui_wall"], incremental["cold_wall"]).to_dict(),
        "ui_vs_cold_seconds": ratio(incremental["ui_seconds"], incremental["cold_seconds"]).to_dict(),
        "ui_page_edit": f"one msgstr of the {UI_TAG} UI catalog that every brief page shows (every {UI_TAG} page "
                        f"is rendered again)",
        "ui_page_vs_cold_wall": ratio(incremental["ui_page_wall"], incremental["cold_wall"]).to_dict(),
        "ui_page_vs_cold_seconds": ratio(incremental["ui_page_seconds"], incremental["cold_seconds"]).to_dict(),
    }
    phases = run_publish(paths[:phases_size], work / "out-phases", jobs=1, work=work / "tmp", phases=True)
    result["steps"] = {"briefs": phases_size, "seconds": phases["seconds"], "steps": phases["steps"]}
    if memory_size:
        more = make_copies(corpus, memory_size, start=largest)
        time.sleep(2.1)
        run = run_publish([*paths, *more][:memory_size], work / "out-memory", jobs=1, work=work / "tmp")
        manifest = work / "out-memory" / ".polybrief" / "site.json"
        result["memory_run"] = {"briefs": memory_size, "jobs": 1, "peak_rss": run["peak_rss"],
                                "seconds": run["seconds"], "manifest_bytes": manifest.stat().st_size}
    shutil.rmtree(work, ignore_errors=True)
    return result


def _incremental(paths: Sequence[Path], out: Path, size: int, work: Path, samples: Mapping[str, Sample], *,
                 cold: Mapping[str, Any], minute: int) -> None:
    samples["cold_wall"].add(cold["wall"])
    samples["cold_seconds"].add(cold["seconds"])
    unchanged = run_publish(paths[:size], out, jobs=1, work=work / "tmp")
    samples["unchanged_wall"].add(unchanged["wall"])
    samples["unchanged_seconds"].add(unchanged["seconds"])
    _edit_one(paths[size // 2], minute)
    edited = run_publish(paths[:size], out, jobs=1, work=work / "tmp")
    samples["edit_wall"].add(edited["wall"])
    samples["edit_seconds"].add(edited["seconds"])
    _edit_one(paths[size // 2], 0)  # back as it was, for the next repetition
    for entry, kind in ((_UI_ENTRY, "ui"), (_UI_PAGE_ENTRY, "ui_page")):
        ui = _edit_ui(paths[0].parent, minute, entry)
        edited = run_publish(paths[:size], out, jobs=1, work=work / "tmp")
        samples[f"{kind}_wall"].add(edited["wall"])
        samples[f"{kind}_seconds"].add(edited["seconds"])
    ui.write_text(_ui_catalog(), encoding="utf-8")  # back as it was (the next cold run reads it too)


#: The locale whose UI catalog the incremental row edits.
UI_TAG = "hy"
_UI_ENTRY = 'msgid "All languages"\nmsgstr "'  # only the language indexes show it
_UI_PAGE_ENTRY = 'msgid "Key figures"\nmsgstr "'  # every brief page shows it, HTML and text


def _ui_catalog() -> str:
    return (REPO / "locales" / UI_TAG / "LC_MESSAGES" / "polybrief.po").read_text(encoding="utf-8")


def _edit_ui(corpus: Path, minute: int, entry: str) -> Path:
    """Change one entry of the corpus's own hy UI catalog (beside the briefs' catalogs, so it is the one used),
    after any earlier edit of this repetition."""
    path = corpus / "locales" / UI_TAG / "LC_MESSAGES" / "polybrief.po"
    text = path.read_text(encoding="utf-8")
    assert entry in text, path
    path.write_text(text.replace(entry, f"{entry}({minute}) ", 1), encoding="utf-8")
    return path


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        sys.exit(child_main(sys.argv[2:]))
    sys.exit("usage: python -m bench.publishing child ...")
