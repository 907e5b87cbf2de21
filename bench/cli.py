"""``python -m bench --full | --quick | --smoke``: run the benchmark, write JSON and Markdown.

``--full`` and ``--quick`` write ``bench/results/<profile>.json`` and
regenerate ``docs/benchmarks.md`` from every result file present there (so a
quick run does not erase the full run's table).  ``--smoke`` is for the test
suite: a tiny model, two briefs, one repetition, into ``--out``.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .profiles import PROFILES, Profile

__all__ = ["main", "run"]

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
DOCS = REPO / "docs" / "benchmarks.md"

log = logging.getLogger("bench")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    which = parser.add_mutually_exclusive_group(required=True)
    for name in PROFILES:
        which.add_argument(f"--{name}", dest="profile", action="store_const", const=name,
                           help=f"the {name} profile (see bench/profiles.py)")
    parser.add_argument("--out", type=Path, help="folder for <profile>.json and benchmarks.md "
                        "(default: bench/results/ and docs/benchmarks.md)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder with the generated models")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings on stderr")
    parser.add_argument("--only", metavar="SECTIONS",
                        help="run only these comma-separated sections and merge them into the profile's existing "
                             f"results: {', '.join(SECTIONS)} (the MT sections need the generated models: run them all)")
    parser.add_argument("--floor-sizes", metavar="N,N,...",
                        help="sizes in distinct briefs for --only floor (default: the profile's, e.g. 100,1000,10000); "
                             "sizes measured before and not given here stay in the results")
    parser.add_argument("--floor-timeout", metavar="SECONDS", type=float,
                        help="time limit of one run above 1,000 briefs for --only floor (0: none; default: the profile's)")
    args = parser.parse_args(argv)
    import importlib.util

    floor_only = args.only is not None and {s.strip() for s in args.only.split(",") if s.strip()} <= {"floor"}
    if args.floor_sizes:
        try:
            sizes = tuple(int(n) for n in args.floor_sizes.split(",") if n.strip())
        except ValueError:
            parser.error(f"--floor-sizes takes whole numbers joined by commas, not {args.floor_sizes!r}")
        if not sizes or min(sizes) < 1:
            parser.error("--floor-sizes needs at least one size of 1 or more")
        PROFILES[args.profile] = dataclasses.replace(PROFILES[args.profile], floor_sizes=sizes)
    if args.floor_timeout is not None:
        PROFILES[args.profile] = dataclasses.replace(PROFILES[args.profile],
                                                     floor_timeout=args.floor_timeout or None)
    if not floor_only and importlib.util.find_spec("argostranslate") is None:  # find_spec: importing it creates folders
        parser.error("the benchmark compares polybrief with argostranslate, which is not installed: "
                     "pip install -e '.[argos]' (make bench installs it)")
    # Only the benchmark's own logger gets a handler: the libraries measured log as they would in an
    # application that configures no logging (argostranslate still builds its INFO records: its cost).
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s bench: %(message)s", "%H:%M:%S"))
    log.addHandler(handler)
    log.setLevel(logging.WARNING if args.quiet else logging.INFO)
    log.propagate = False
    profile = PROFILES[args.profile]
    results_dir = args.out or RESULTS
    docs = (args.out / "benchmarks.md") if args.out else DOCS
    command = "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv)
    only = None
    if args.only:
        only = [s.strip() for s in args.only.split(",") if s.strip()]
        unknown = [s for s in only if s not in SECTIONS]
        if unknown:
            parser.error(f"unknown section(s) {unknown}; known: {', '.join(SECTIONS)}")
    result = run(profile, command=command, keep=args.keep, only=only)
    from .report import write_json, write_markdown

    if only:
        result = _merge(results_dir / f"{profile.name}.json", result, only)
    json_path = write_json(result, results_dir / f"{profile.name}.json")
    write_markdown(docs, results_dir=results_dir, only=None if args.out is None else [profile.name])
    log.info("wrote %s and %s (%.0f s)", json_path, docs, result["total_seconds"])
    return 0


#: Sections ``--only`` can run on their own (the others need the generated MT models: run them all);
#: ``floor`` (publishing against the floor, issue 24) runs only this way.
SECTIONS = ("rendering", "publishing", "floor")


def _merge(path: Path, result: dict[str, Any], only: list[str]) -> dict[str, Any]:
    """``result`` (some sections) merged into the results already at ``path``."""
    import json

    if not path.is_file():
        return result
    merged: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for name in only:
        if name == "floor" and merged.get("floor"):  # a run of some sizes keeps the sizes measured before
            before = merged["floor"].get("sizes", {})
            sizes = {**{k: v for k, v in before.items() if k not in result["floor"]["sizes"]},
                     **result["floor"]["sizes"]}
            result["floor"]["sizes"] = dict(sorted(sizes.items(), key=lambda kv: int(kv[0])))
        merged[name] = result[name]
    merged.setdefault("section_seconds", {}).update(result["section_seconds"])
    merged["total_seconds"] = sum(v for v in merged["section_seconds"].values())
    merged.setdefault("partial_runs", []).append({"command": result["command"], "sections": only,
                                                  "machine": result["machine"],
                                                  "seconds": result["total_seconds"]})
    return merged


def run(profile: Profile, *, command: str, keep: bool = False, only: list[str] | None = None) -> dict[str, Any]:
    """Run every section of ``profile`` (or those in ``only``); returns the JSON-ready result."""
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="polybrief-bench-"))
    try:
        if only is not None:
            return _run_light(profile, tmp, command=command, started=started, only=only)
        return _run(profile, tmp, command=command, started=started)
    finally:
        if keep:
            log.info("kept %s", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _run_light(profile: Profile, tmp: Path, *, command: str, started: float, only: list[str]) -> dict[str, Any]:
    """Sections that need no MT models (rendering, publishing)."""
    from .machine_info import machine_info

    result: dict[str, Any] = {"profile": profile.name, "command": command, "machine": machine_info(),
                              "section_seconds": {}}
    for name in only:
        clock = time.perf_counter()
        _light_section(name, profile, tmp, result)
        result["section_seconds"][name] = time.perf_counter() - clock
        log.info("%s done (%.1f s)", name, result["section_seconds"][name])
    result["machine"]["load_average_end"] = list(os.getloadavg())
    result["total_seconds"] = time.perf_counter() - started
    return result


def _light_section(name: str, profile: Profile, tmp: Path, result: dict[str, Any]) -> None:
    if name == "rendering":
        from .rendering import rendering

        result["rendering"] = rendering(profile.render_reps, profile.render_rounds)
    elif name == "publishing":
        from .publishing import publishing

        result["publishing"] = publishing(sizes=profile.publish_sizes, reps=profile.publish_reps,
                                          big_reps=profile.publish_big_reps, work=tmp / "publishing",
                                          memory_size=profile.publish_memory, phases_size=profile.publish_phases)
    elif name == "floor":
        from .against_floor import against_floor

        result["floor"] = against_floor(sizes=profile.floor_sizes, reps=profile.floor_reps,
                                        big_reps=profile.floor_big_reps, sphinx_size=profile.floor_sphinx,
                                        profile_size=profile.floor_profile, use_spy=profile.floor_spy,
                                        timeout=profile.floor_timeout, work=tmp / "floor")


def _run(profile: Profile, tmp: Path, *, command: str, started: float) -> dict[str, Any]:
    from .argos_side import prepare_environment

    env_vars = prepare_environment(tmp / "argos-home", intra_threads=profile.intra_threads)
    from .machine_info import machine_info

    result: dict[str, Any] = {"profile": profile.name, "command": command, "machine": machine_info(),
                              "section_seconds": {}}
    clock = time.perf_counter()

    def section(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        elapsed, clock = now - clock, now
        result["section_seconds"][name] = elapsed
        log.info("%s done (%.1f s)", name, elapsed)

    from polybrief.mt.install import install_package

    from .argos_side import ArgosBaseline
    from .corpus import russian_segments, training_text
    from .modelgen import build_package, train_spm

    spm_path = train_spm(tmp / "spm" / "sentencepiece.model", training_text(profile.spm_lines),
                         vocab=profile.model.vocab)
    pairs = [("en", t) for t in profile.target_locales]
    if profile.pivot_briefs:
        pairs.append(("ru", "en"))
    packages = [build_package(tmp, spm_path, src, tgt, profile.model) for src, tgt in pairs]
    deep = build_package(tmp, spm_path, "en", "ka", profile.deep_model) if profile.deep_model else None
    section("generate_models")
    import_start = time.perf_counter()
    argos = ArgosBaseline(max_decoding_length=profile.max_decoding_length)
    argos_import = time.perf_counter() - import_start
    pb_dir = tmp / "polybrief-packages"
    for package in [*packages, *([deep] if deep else [])]:
        argos.install(package.archive)
        install_package(package.archive, packages_dir=pb_dir)
    section("install_models")
    import sentencepiece

    sp_size = sentencepiece.SentencePieceProcessor(model_file=str(spm_path)).get_piece_size()
    result["model"] = {
        "dims": profile.model.to_dict(), "description": profile.model.describe(),
        "spm_pieces": sp_size, "max_decoding_length": profile.max_decoding_length,
        "intra_threads": profile.intra_threads, "packages": [p.to_dict() for p in packages],
        "deep": deep.to_dict() if deep else None,
        "deep_description": profile.deep_model.describe() if profile.deep_model else None,
        "argostranslate_import_in_process_seconds": argos_import,
    }

    from .mt import compare_engines, dedup_and_scaling, pivot_comparison

    result["mt_throughput"] = compare_engines(
        profile, argos, pb_dir, briefs=profile.compare_briefs, targets=profile.compare_locales,
        beams=profile.compare_beams, reps=profile.reps, label="compare")
    section("mt_throughput")
    if deep is not None:
        result["deep_check"] = {
            "model": profile.deep_model.to_dict() if profile.deep_model else None,
            "deep": compare_engines(profile, argos, pb_dir, briefs=profile.deep_briefs, targets=("ka",),
                                    beams=profile.deep_beams, reps=profile.reps, floor=False,
                                    own_defaults=False, label="deep"),
            "main": compare_engines(profile, argos, pb_dir, briefs=profile.deep_briefs,
                                    targets=profile.compare_locales[:1], beams=profile.deep_beams,
                                    reps=profile.reps, floor=False, own_defaults=False, label="main@deep size"),
        }
        section("deep_check")
    if profile.threads_check is not None:
        threads, briefs = profile.threads_check
        result["threads_check"] = {
            "baseline_threads": profile.intra_threads,
            "threads": threads,
            "other": compare_engines(profile, argos, pb_dir, briefs=briefs, targets=profile.compare_locales,
                                     beams=(4,), reps=profile.reps, floor=False, own_defaults=False,
                                     label=f"{threads} threads", threads=threads),
            "baseline": compare_engines(profile, argos, pb_dir, briefs=briefs, targets=profile.compare_locales,
                                        beams=(4,), reps=profile.reps, floor=False, own_defaults=False,
                                        label=f"{profile.intra_threads} thread(s)"),
        }
        section("threads_check")
    if profile.pivot_briefs:
        result["pivot"] = pivot_comparison(profile, argos, pb_dir, russian=russian_segments() * profile.pivot_briefs)
        section("pivot")
    result["scaling"], result["deduplication"] = dedup_and_scaling(profile, pb_dir)
    section("scaling_and_deduplication")
    from .ray_side import ray_vs_in_process

    result["ray"] = ray_vs_in_process(profile, pb_dir)
    section("ray")

    from .incremental import incremental_republish

    result["incremental"] = incremental_republish(profile, pb_dir, tmp / "incremental")
    section("incremental")
    child_env = {**os.environ, **env_vars, "PYTHONPATH": os.pathsep.join(
        [str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}

    from .memory import memory

    result["memory"] = memory(profile.memory_reps, packages_dir=pb_dir, briefs=profile.memory_briefs,
                              targets=profile.target_locales, max_decoding_length=profile.max_decoding_length,
                              threads=profile.intra_threads, env=child_env, cwd=Path(__file__).resolve().parent.parent)
    section("memory")
    from .startup import startup

    result["startup"] = startup(profile.startup_reps, env=child_env, cwd=tmp)
    section("startup")
    from .rendering import rendering

    result["rendering"] = rendering(profile.render_reps, profile.render_rounds)
    section("rendering")
    from .publishing import publishing

    result["publishing"] = publishing(sizes=profile.publish_sizes, reps=profile.publish_reps,
                                      big_reps=profile.publish_big_reps, work=tmp / "publishing",
                                      memory_size=profile.publish_memory, phases_size=profile.publish_phases)
    section("publishing")
    result["machine"]["load_average_end"] = list(os.getloadavg())
    result["total_seconds"] = time.perf_counter() - started
    return result
