"""A site in shards on a local Ray against one ``publish --jobs 2`` (docs/scale.md, "A measured run").

    python -m bench.shards [N=300] [--corpus DIR] [--shards 2]

Publishes the first N briefs of the distinct-brief corpus (:mod:`bench.distinct`) into hy, az and ru
(html and text, ``--strict``) three ways, each into a fresh folder:

* ``plain``: ``polybrief publish --jobs 2`` (one process and two workers), in a child process;
* ``ray``: :func:`polybrief.publishing.publish_distributed` with ``--shards`` tasks on a local Ray of as many
  CPUs, in a child process that starts Ray first (its start-up timed apart);
* ``by hand``: each ``publish --shard K/N`` one after the other, then ``site merge`` (the CPU a user
  without Ray spends, spread over N machines).

CPU is user + system time of every process of a run: for ``plain`` and ``by hand`` the children's
rusage; for ``ray`` the driver's own time plus that of every process below it (raylet, GCS, workers),
read from ``/proc`` just before Ray shuts down.  The three sites are compared byte for byte (but the
state folder).  Prints one JSON object.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LOCALES = "hy,az,ru"
COMMON = ["--locales", LOCALES, "--formats", "html,text", "--strict"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str]) -> dict[str, float]:
    cpu, start = _children_cpu(), time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return {"wall_s": round(time.perf_counter() - start, 2), "cpu_s": round(_children_cpu() - cpu, 2)}


def _tree_cpu(root: int) -> float:
    """CPU seconds of every live process below ``root`` (with what they reaped), from ``/proc``."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = sum(int(v) for v in fields[11:15]) / tick
    below, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - below
        below |= frontier
    return sum(times[pid] for pid in below)


def ray_child(briefs: list[str], out: str, shards: int) -> None:
    """The ``ray`` run, in this (child) process: prints its JSON line."""
    import logging

    import ray

    from polybrief import Project, TranslationPolicy
    from polybrief.publishing import publish_distributed

    start, cpu = time.perf_counter(), time.process_time()
    ray.init(num_cpus=shards, include_dashboard=False, logging_level=logging.WARNING)
    started = time.perf_counter()
    result = publish_distributed(briefs, locales=LOCALES.split(","), out_dir=out, shards=shards,
                                 project=Project(policy=TranslationPolicy(strict=True)))
    end = time.perf_counter()
    tree = _tree_cpu(os.getpid())
    own = time.process_time() - cpu
    ray.shutdown()
    print(json.dumps({
        "ray_start_s": round(started - start, 2), "run_wall_s": round(end - started, 2),
        "wall_s": round(end - start, 2), "merge_s": round(result.merge_seconds, 2),
        "cpu_s": round(own + tree, 2), "driver_cpu_s": round(own, 2),
        "shards": [{"briefs": s.briefs, "wall_s": round(s.seconds, 2), "cpu_s": round(s.cpu_seconds, 2)}
                   for s in result.shards],
    }))


def _same(a: Path, b: Path) -> bool:
    compare = filecmp.dircmp(a, b, ignore=[".polybrief"])
    stack = [compare]
    while stack:
        current = stack.pop()
        if current.left_only or current.right_only or current.diff_files or current.funny_files:
            return False
        _, mismatch, errors = filecmp.cmpfiles(current.left, current.right, current.common_files, shallow=False)
        if mismatch or errors:
            return False
        stack.extend(current.subdirs.values())
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int, nargs="?", default=300)
    parser.add_argument("--corpus", type=Path, default=Path("/work/helpers/corpus"))
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--ray-child", nargs=2, metavar=("LIST", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ray_child:
        ray_child(json.loads(Path(args.ray_child[0]).read_text()), args.ray_child[1], args.shards)
        return
    from bench.distinct import brief_id, ensure_corpus

    ensure_corpus(args.corpus, args.count)
    briefs = [str(args.corpus / f"{brief_id(i)}.yaml") for i in range(args.count)]
    work = Path(tempfile.mkdtemp(prefix="bench-shards-"))
    py = [sys.executable, "-m", "polybrief"]
    results: dict[str, object] = {"briefs": args.count, "shards": args.shards, "load_before": os.getloadavg()}
    results["plain_jobs2"] = _timed([*py, "publish", *briefs, "--out", str(work / "plain"), *COMMON, "--jobs", "2"])
    listing = work / "briefs.json"
    listing.write_text(json.dumps(briefs))
    out = subprocess.run([sys.executable, "-m", "bench.shards", "--shards", str(args.shards), "--ray-child",
                          str(listing), str(work / "ray")], check=True, capture_output=True, text=True).stdout
    results["ray"] = json.loads(out.strip().splitlines()[-1])
    hand: dict[str, float] = {"wall_s": 0.0, "cpu_s": 0.0}
    for number in range(1, args.shards + 1):
        step = _timed([*py, "publish", *briefs, "--out", str(work / f"shard-{number}"), *COMMON, "--jobs", "1",
                       "--shard", f"{number}/{args.shards}"])
        hand = {k: round(hand[k] + step[k], 2) for k in hand}
    merge = _timed([*py, "site", "merge", str(work / "hand"),
                    *(str(work / f"shard-{n}") for n in range(1, args.shards + 1))])
    results["by_hand"] = {"shards": hand, "merge": merge}
    results["load_after"] = os.getloadavg()
    results["identical"] = {"ray": _same(work / "plain", work / "ray"), "by_hand": _same(work / "plain", work / "hand")}
    print(json.dumps(results, indent=1))
    subprocess.run(["rm", "-rf", str(work)], check=False)


if __name__ == "__main__":
    main()
