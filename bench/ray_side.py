"""Ray: a local Ray with 2 actors against the in-process engine, on the same segments.

:class:`polybrief.mt.ray_engine.RayEngine` plans and deduplicates on the
driver and runs the models on a Ray Data actor pool; here the pool is two
actors of one CTranslate2 thread each on a local Ray (``num_cpus=2``), and
the baselines are :class:`~polybrief.mt.argos.ArgosEngine` in this process
with one thread (the same translator settings as each actor) and with two
(the same cores).  All three translate the same varied briefs into every
target per repetition, order rotating; the first repetition also checks
that Ray's results equal the in-process ones.  Ray's per-run costs (an
actor pool started and a model loaded per language pair) are inside its
time, as a user pays them.

Skipped, with the reason recorded, when the ``ray`` extra is not installed.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from polybrief.mt.argos import ArgosEngine, EngineOptions

from .corpus import mt_segments, sentence_stats, varied_briefs
from .profiles import Profile
from .stats import Sample, ratio, rotate, timed

__all__ = ["ray_vs_in_process"]

log = logging.getLogger(__name__)

ACTORS = 2


def ray_vs_in_process(profile: Profile, packages_dir: Path) -> dict[str, Any]:
    """Time per run of ``profile.ray_briefs`` briefs into ``profile.ray_targets``: Ray vs in-process."""
    if importlib.util.find_spec("ray") is None:
        return {"skipped": "ray is not installed (pip install 'polybrief[ray]')"}
    # Ray Data logs its progress at INFO on stderr when stderr is not a terminal: the benchmark reports results.
    os.environ.setdefault("RAY_DATA_LOG_LEVEL", "WARNING")
    import ray

    from polybrief.mt.ray_engine import RayEngine

    targets = profile.ray_targets or profile.target_locales
    segments = mt_segments(varied_briefs(profile.ray_briefs))
    options = EngineOptions(beam_size=profile.scaling_beam, max_decoding_length=profile.max_decoding_length,
                            intra_threads=1)
    started_ray = not ray.is_initialized()
    if started_ray:
        ray.init(num_cpus=ACTORS, include_dashboard=False, logging_level=logging.WARNING)
    try:
        sides: dict[str, Any] = {
            "in-process, 1 thread": ArgosEngine(packages_dir=packages_dir, options=options),
            "in-process, 2 threads": ArgosEngine(packages_dir=packages_dir, options=replace(options, intra_threads=2)),
            f"Ray, {ACTORS} actors × 1 thread": RayEngine(address="local", packages_dir=packages_dir,
                                                          options=options, actors=ACTORS),
        }
        ray_name = list(sides)[-1]
        for name, engine in sides.items():  # load models (and, for Ray, its Data machinery) before timing
            if profile.ray_warm_up or name != ray_name:
                for target in targets:
                    engine.translate(["Warm-up sentence."], source="en", target=target)
        samples = {name: Sample() for name in sides}
        outputs: dict[str, list[Any]] = {}
        pool: tuple[int, int] | None = None
        for rep in range(profile.reps):
            for name in rotate(list(sides), rep):
                engine = sides[name]
                with timed(samples[name]):
                    results = [engine.translate(segments, source="en", target=t) for t in targets]
                if rep == 0:
                    outputs[name] = results
            pool = sides[ray_name].pool(sentence_stats(segments)["unique_sentences"])
        identical = outputs[ray_name] == outputs["in-process, 1 thread"]
        workload = sentence_stats(segments)
        one = samples["in-process, 1 thread"]
        return {
            "briefs": profile.ray_briefs, "targets": list(targets), "reps": profile.reps,
            "beam_size": options.beam_size, "actors": ACTORS, "ray_version": ray.__version__,
            "blocks": None if pool is None else -(-workload["unique_sentences"] // pool[1]),
            "workload": workload,
            "times": {name: s.to_dict() for name, s in samples.items()},
            "ray_vs_in_process_1_thread": ratio(samples[ray_name], one).to_dict(),
            "ray_vs_in_process_2_threads": ratio(samples[ray_name], samples["in-process, 2 threads"]).to_dict(),
            "in_process_sentences_per_second": Sample(
                [workload["unique_sentences"] * len(targets) / v for v in one.values], unit="sentences/s").to_dict(),
            "identical_results": identical,
        }
    finally:
        if started_ray:
            ray.shutdown()

