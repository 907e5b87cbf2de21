"""Machine-translation measurements: polybrief vs argostranslate, overhead over the floor,
deduplication, scaling, and the pivot route.

polybrief's side is :class:`polybrief.mt.argos.ArgosEngine` (``build_engine(protect=False)``
builds exactly that) given every segment of a batch for one language pair at
once, as :func:`polybrief.mt.pipeline.machine_provider` does.  The "floor" is one
raw ``ctranslate2.Translator.translate_batch`` over the same deduplicated
sentences, tokenized beforehand (outside the timing), with the options
polybrief passes.  All runs of one comparison happen in the same process, in
the same repetition, in an order that rotates every repetition.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from polybrief.mt.argos import ArgosEngine, EngineOptions
from polybrief.mt.segment import plan_segments

from .argos_side import ArgosBaseline, TranslatorProxy
from .corpus import identical_briefs, mt_segments, sentence_stats, varied_briefs
from .profiles import Profile
from .stats import Sample, ratio, rotate, timed

__all__ = ["RecordingEngine", "compare_engines", "dedup_and_scaling", "equal_options", "pivot_comparison"]

log = logging.getLogger(__name__)

#: argostranslate hard-codes length_penalty=0.2; polybrief is given the same for "equal settings".
ARGOS_LENGTH_PENALTY = 0.2


class RecordingEngine(ArgosEngine):
    """polybrief's engine with each loaded translator behind a :class:`TranslatorProxy`.

    The proxy adds no options (polybrief passes ``max_decoding_length``
    itself); it exists so both sides pay the same indirection and so outputs
    can be compared token for token.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.proxies: dict[Path, TranslatorProxy] = {}

    def _translator(self, model: Any) -> Any:
        proxy = self.proxies.get(model.model_path)
        if proxy is None:
            proxy = self.proxies[model.model_path] = TranslatorProxy(super()._translator(model))
        return proxy


def equal_options(profile: Profile, beam: int, threads: int | None = None) -> EngineOptions:
    """polybrief's options matching argostranslate's call: beam, length penalty, cap, threads, int8."""
    return EngineOptions(beam_size=beam, max_decoding_length=profile.max_decoding_length,
                         length_penalty=ARGOS_LENGTH_PENALTY,
                         intra_threads=profile.intra_threads if threads is None else threads,
                         inter_threads=1, compute_type="int8")


def default_options(profile: Profile, threads: int | None = None) -> EngineOptions:
    """polybrief's defaults, except the cap every run needs and the pinned threads."""
    return EngineOptions(max_decoding_length=profile.max_decoding_length,
                         intra_threads=profile.intra_threads if threads is None else threads)


class Floor:
    """One raw ``translate_batch`` per target over pre-tokenized distinct sentences.

    It calls the very ``ctranslate2.Translator`` polybrief's engine loaded
    (so both sides run the same loaded model), with the options the engine
    passes; tokenization happens here, once, outside the timing.
    """

    def __init__(self, engine: RecordingEngine, segments: Sequence[str], targets: Sequence[str], *,
                 source: str) -> None:
        import sentencepiece as spm

        self.engine = engine
        _, table = plan_segments(segments, lang=source)
        self.sentences = len(table.unique)
        self.jobs: list[tuple[Any, list[list[str]]]] = []
        for target in targets:
            route = engine.route(source, target)
            if len(route.models) != 1:
                raise ValueError("the floor is measured on direct routes only")
            model = route.models[0]
            sp = spm.SentencePieceProcessor(model_file=str(model.source_spm))
            batch = [[*model.source_prefix, *p, *model.source_suffix]
                     for p in sp.encode(list(table.unique), out_type=str)]
            proxy = engine.proxies.get(model.model_path)
            if proxy is None:
                raise RuntimeError("translate once with the engine before building the floor (loads the model)")
            self.jobs.append((proxy.translator, batch))

    def run(self) -> None:
        o = self.engine.options
        for translator, batch in self.jobs:
            translator.translate_batch(
                batch, None, max_batch_size=o.max_batch_tokens, batch_type="tokens", beam_size=o.beam_size,
                length_penalty=o.length_penalty, repetition_penalty=o.repetition_penalty,
                no_repeat_ngram_size=o.no_repeat_ngram_size, max_input_length=o.max_input_length,
                max_decoding_length=o.max_decoding_length, return_scores=True,
            )


def _agreement(argos_records: Sequence[dict[tuple[str, ...], tuple[str, ...]]],
               pb_records: Sequence[dict[tuple[str, ...], tuple[str, ...]]]) -> dict[str, Any]:
    argos: dict[tuple[str, ...], tuple[str, ...]] = {}
    for record in argos_records:
        argos.update(record)
    pb: dict[tuple[str, ...], tuple[str, ...]] = {}
    for record in pb_records:
        pb.update(record)
    common = set(argos) & set(pb)
    same = sum(1 for key in common if argos[key] == pb[key])
    unk = sum(1 for key in common if argos[key] != pb[key] and ("<unk>" in pb[key] or "<unk>" in argos[key]))
    return {
        "compared_sentences": len(common),
        "identical_outputs": same,
        "agreement_pct": 100.0 * same / len(common) if common else float("nan"),
        "differing_with_unk": unk,
        "only_argos": len(set(argos) - common),
        "only_polybrief": len(set(pb) - common),
    }


def compare_engines(profile: Profile, argos: ArgosBaseline, packages_dir: Path, *, briefs: int,
                    targets: Sequence[str], beams: Sequence[int], reps: int, floor: bool = True,
                    own_defaults: bool = True, label: str = "", threads: int | None = None) -> dict[str, Any]:
    """polybrief vs argostranslate (and vs the floor) on ``briefs`` varied briefs into ``targets``.

    ``threads`` (default: the profile's) is CTranslate2's ``intra_threads`` on both sides.
    """
    segments = mt_segments(varied_briefs(briefs))
    source = "en"
    threads = profile.intra_threads if threads is None else threads
    argos.set_threads(threads)
    out: dict[str, Any] = {"briefs": briefs, "targets": list(targets), "reps": reps, "intra_threads": threads,
                           "workload": sentence_stats(segments), "beams": {}}
    for beam in beams:
        engine = RecordingEngine(packages_dir=packages_dir, options=equal_options(profile, beam, threads))
        sides: dict[str, Callable[[], object]] = {}
        argos.set_beam(beam)
        for target in targets:  # load every model before timing anything
            engine.translate(["Warm-up sentence."], source=source, target=target)
            argos.translate_all(["Warm-up sentence."], source=source, target=target)

        def run_argos() -> None:
            for target in targets:
                argos.translate_all(segments, source=source, target=target)

        def run_pb(engine: ArgosEngine = engine) -> None:
            for target in targets:
                engine.translate(segments, source=source, target=target)

        sides["argostranslate"] = run_argos
        sides["polybrief"] = run_pb
        floor_runner = Floor(engine, segments, targets, source=source) if floor else None
        if floor_runner is not None:
            floor_runner.run()  # untimed first call, as both other sides had
            sides["floor"] = floor_runner.run
        defaults_engine = None
        if own_defaults and beam == argos.default_beam:
            defaults_engine = ArgosEngine(packages_dir=packages_dir, options=default_options(profile, threads))
            for target in targets:
                defaults_engine.translate(["Warm-up sentence."], source=source, target=target)

            def run_defaults(engine: ArgosEngine = defaults_engine) -> None:
                for target in targets:
                    engine.translate(segments, source=source, target=target)

            sides["polybrief_defaults"] = run_defaults
        samples = {name: Sample() for name in sides}
        argos_proxies = [p for t in targets for p in argos.proxies(source, t)]
        for rep in range(reps):
            recording = rep == 0
            for proxy in [*argos_proxies, *engine.proxies.values()]:
                proxy.record = {} if recording else None
                proxy.calls = proxy.sentences = 0
            for name in rotate(list(sides), rep):
                with timed(samples[name]):
                    sides[name]()
            if recording:
                agreement = _agreement([p.record or {} for p in argos_proxies],
                                       [p.record or {} for p in engine.proxies.values()])
                calls = {"argostranslate_translate_batch_calls": sum(p.calls for p in argos_proxies),
                         "argostranslate_sentences_to_model": sum(p.sentences for p in argos_proxies),
                         "polybrief_translate_batch_calls": sum(p.calls for p in engine.proxies.values()),
                         "polybrief_sentences_to_model": sum(p.sentences for p in engine.proxies.values())}
        for proxy in [*argos_proxies, *engine.proxies.values()]:
            proxy.record = None
        entry: dict[str, Any] = {
            "settings": {"beam_size": beam, "length_penalty": ARGOS_LENGTH_PENALTY,
                         "max_decoding_length": profile.max_decoding_length,
                         "intra_threads": threads, "inter_threads": 1,
                         "polybrief_compute_type": engine.compute_type,
                         "argostranslate_compute_type": argos_proxies[0].translator.compute_type,
                         "polybrief_max_batch_tokens": engine.options.max_batch_tokens,
                         "argostranslate_batch_size_tokens": int(argos.settings.batch_size)},
            "times": {name: s.to_dict() for name, s in samples.items()},
            "speedup": ratio(samples["argostranslate"], samples["polybrief"]).to_dict(),
            "agreement": agreement,
            "calls": calls,
        }
        if floor_runner is not None:
            entry["floor_sentences"] = floor_runner.sentences
            entry["overhead_over_floor"] = ratio(samples["polybrief"], samples["floor"]).to_dict()
        if defaults_engine is not None:
            entry["defaults"] = {
                "polybrief": {"beam_size": defaults_engine.options.beam_size,
                              "length_penalty": defaults_engine.options.length_penalty,
                              "compute_type": defaults_engine.compute_type,
                              "max_batch_tokens": defaults_engine.options.max_batch_tokens},
                "argostranslate": {"beam_size": argos.default_beam, "length_penalty": ARGOS_LENGTH_PENALTY,
                                   "batch_size_tokens": int(argos.settings.batch_size),
                                   "compute_type": argos_proxies[0].translator.compute_type},
                "speedup": ratio(samples["argostranslate"], samples["polybrief_defaults"]).to_dict(),
            }
        out["beams"][str(beam)] = entry
        log.info("%s beam %d: argostranslate/polybrief %.2f× (median of %d)", label or "compare", beam,
                 ratio(samples["argostranslate"], samples["polybrief"]).median, reps)
    return out


def dedup_and_scaling(profile: Profile, packages_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Time per brief at each batch size, and 20 identical vs 20 varied briefs, into every target."""
    targets = profile.target_locales
    engine = ArgosEngine(packages_dir=packages_dir, options=EngineOptions(
        beam_size=profile.scaling_beam, max_decoding_length=profile.max_decoding_length,
        intra_threads=profile.intra_threads))
    for target in targets:
        engine.translate(["Warm-up sentence."], source="en", target=target)
    largest = max(*profile.scaling_sizes, profile.dedup_briefs)
    pool = varied_briefs(largest)
    workloads: dict[str, list[str]] = {f"varied_{n}": mt_segments(pool[:n]) for n in profile.scaling_sizes}
    workloads.setdefault(f"varied_{profile.dedup_briefs}", mt_segments(pool[:profile.dedup_briefs]))
    workloads["identical"] = mt_segments(identical_briefs(profile.dedup_briefs))
    samples = {name: Sample() for name in workloads}
    stats: dict[str, dict[str, int]] = {}
    for rep in range(profile.reps):
        for name in rotate(list(workloads), rep):
            segments = workloads[name]
            model_inputs = 0
            with timed(samples[name]):
                for target in targets:
                    engine.translate(segments, source="en", target=target)
                    model_inputs += engine.last_run_stats.model_inputs if engine.last_run_stats else 0
            stats[name] = {**sentence_stats(segments), "model_inputs_all_targets": model_inputs}
    base = samples[f"varied_{min(profile.scaling_sizes)}"]
    base_per_brief = base.scaled(1.0 / min(profile.scaling_sizes))
    scaling = {"beam_size": profile.scaling_beam, "targets": list(targets), "reps": profile.reps, "sizes": {}}
    for n in profile.scaling_sizes:
        per_brief = samples[f"varied_{n}"].scaled(1.0 / n)
        scaling["sizes"][str(n)] = {
            "workload": stats[f"varied_{n}"],
            "total": samples[f"varied_{n}"].to_dict(),
            "per_brief": per_brief.to_dict(),
            "per_brief_vs_smallest": ratio(per_brief, base_per_brief).to_dict(),
        }
    varied = samples[f"varied_{profile.dedup_briefs}"]
    dedup = {
        "briefs": profile.dedup_briefs, "beam_size": profile.scaling_beam, "targets": list(targets),
        "identical": {"workload": stats["identical"], "time": samples["identical"].to_dict()},
        "varied": {"workload": stats[f"varied_{profile.dedup_briefs}"], "time": varied.to_dict()},
        "identical_vs_varied_time": ratio(samples["identical"], varied).to_dict(),
    }
    return scaling, dedup


def pivot_comparison(profile: Profile, argos: ArgosBaseline, packages_dir: Path, *, russian: Sequence[str],
                     beam: int = 1) -> dict[str, Any]:
    """ru→az through English: argostranslate's CompositeTranslation vs polybrief's two batched passes."""
    argos.set_threads(profile.intra_threads)
    engine = RecordingEngine(packages_dir=packages_dir, options=equal_options(profile, beam))
    argos.set_beam(beam)
    engine.translate(["Разминка."], source="ru", target="az")
    argos.translate_all(["Разминка."], source="ru", target="az")
    route = engine.route("ru", "az")
    samples = {"argostranslate": Sample(), "polybrief": Sample()}
    for rep in range(profile.reps):
        for name in rotate(list(samples), rep):
            with timed(samples[name]):
                if name == "argostranslate":
                    argos.translate_all(russian, source="ru", target="az")
                else:
                    engine.translate(russian, source="ru", target="az")
    stats = engine.last_run_stats
    return {
        "route": list(route.labels), "beam_size": beam, "segments": len(russian), "reps": profile.reps,
        "polybrief_model_inputs": stats.model_inputs if stats else None,
        "times": {name: s.to_dict() for name, s in samples.items()},
        "speedup": ratio(samples["argostranslate"], samples["polybrief"]).to_dict(),
    }
