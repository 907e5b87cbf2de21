"""The offline engine: installed Argos/OPUS-MT/NLLB models run by CTranslate2.

This uses Argos Translate's *models*, not its translation code:
``argostranslate.translate`` pulls in stanza, spaCy and torch (seconds of
import time), its sentence splitter downloads a model on first use, and its
SentencePiece detokenizer turns every ``_`` into a space
(``snake_case_name`` → ``snake case name``).  So the engine splits sentences
with :func:`polybrief.text.sentences.plan_segment`, tokenizes with ``sentencepiece`` directly and
calls ``ctranslate2.Translator.translate_batch`` itself — one pass per model
over *all* distinct sentences of a run, in token-based batches it cuts itself
(:func:`plan_batches`), which is what makes a 200-segment brief take one
model pass instead of 200 calls.

CTranslate2 and SentencePiece are imported when an engine is created, never
when this module is imported, and every loaded translator and tokenizer is
cached on the engine object (there are no module-level caches): drop the
engine, or call :meth:`ArgosEngine.close`, and the memory goes with it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import MissingExtraError, TranslationEngineError
from ..project import Device, EngineOptions
from .base import MachineTranslation
from .routes import Route, find_route, list_routes
from .segment import RunStats, plan_segments
from .store import InstalledModel, list_models

__all__ = ["ArgosEngine", "EngineOptions", "ModelRunner", "RouteOutput", "RouteRunner", "plan_batches",
           "resolve_route", "run_passes", "translate_by_sentence"]

logger = logging.getLogger(__name__)

def import_ct2() -> Any:
    try:
        import ctranslate2
    except ImportError:
        raise MissingExtraError(
            "machine translation needs CTranslate2, which is not installed",
            hint="pip install 'polybrief[mt]'",
        ) from None
    return ctranslate2


def import_spm() -> Any:
    try:
        import sentencepiece
    except ImportError:
        raise MissingExtraError(
            "machine translation needs sentencepiece, which is not installed",
            hint="pip install 'polybrief[mt]'",
        ) from None
    return sentencepiece


def plan_batches(lengths: Sequence[int], max_tokens: int) -> list[list[int]]:
    """Cut inputs into batches: indices, longest inputs first, each batch within ``max_tokens``.

    The rule is CTranslate2's own for ``batch_type="tokens"`` (sort by
    length, fill a batch while ``count × longest`` stays within the budget),
    made deterministic: equal lengths keep their input order.  polybrief cuts
    batches itself, rather than letting ``translate_batch`` do it, because a
    sentence's output can depend on its batch (padding changes the order of
    float reductions, which tips near-ties; measured: 2 of 870 sentences
    changed when the same run was split in chunks).  With the batches fixed
    here, the same sentences meet the same batch mates whether the model runs
    in this process or on Ray actors given whole batches
    (:mod:`polybrief.mt.ray_engine`).
    """
    order = sorted(range(len(lengths)), key=lambda i: (-max(lengths[i], 1), i))
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for i in order:
        length = max(lengths[i], 1)
        if current and (len(current) + 1) * max(longest, length) > max_tokens:
            batches.append(current)
            current, longest = [], 0
        current.append(i)
        longest = max(longest, length)
    if current:
        batches.append(current)
    return batches


def _estimate_batches(lengths: Sequence[int], max_tokens: int) -> int:
    """How many batches :func:`plan_batches` cuts ``lengths`` into."""
    return len(plan_batches(lengths, max_tokens))


@dataclass(frozen=True, slots=True)
class RouteOutput:
    """What a route's models made of a list of distinct sentences, in order, and what it took.

    ``scores`` add up over the passes of a pivot route; ``calls``,
    ``batches``, ``tokens`` and ``inputs`` are the counters of
    :class:`~polybrief.mt.segment.RunStats` for these sentences.
    """

    texts: tuple[str, ...]
    scores: tuple[float, ...]
    calls: int = 0
    batches: int = 0
    tokens: int = 0
    inputs: int = 0


#: Runs a route over distinct sentences: :meth:`ArgosEngine.run_route`, or a remote equivalent.
RouteRunner = Callable[[Route, Sequence[str]], RouteOutput]
#: Runs one model over distinct sentences: ``([(text, score)], source tokens, batches)``.
ModelRunner = Callable[[InstalledModel, Sequence[str]], tuple[list[tuple[str, float]], int, int]]


def run_passes(route: Route, sentences: Sequence[str], run_model: ModelRunner) -> RouteOutput:
    """Every model pass of ``route`` over distinct ``sentences``: one ``run_model`` call per model.

    A second (pivot) pass deduplicates again (different sources can meet in
    English) and its scores add to the first's.
    """
    texts = list(sentences)
    scores = [0.0] * len(texts)
    calls = batches = tokens = inputs = 0
    for model in route.models:
        if not texts:
            break
        distinct = list(dict.fromkeys(texts))
        outputs, n_tokens, n_batches = run_model(model, distinct)
        if len(outputs) != len(distinct):
            raise TranslationEngineError(
                f"model {model.label} returned {len(outputs)} translations for {len(distinct)} sentences")
        by_text = dict(zip(distinct, outputs))
        # Pivoted scores add up: two mean log-probabilities, the uncertainty of both passes.
        scores = [s + by_text[t][1] for s, t in zip(scores, texts)]
        texts = [by_text[t][0] for t in texts]
        calls += 1
        batches += n_batches
        tokens += n_tokens
        inputs += len(distinct)
    return RouteOutput(texts=tuple(texts), scores=tuple(scores), calls=calls, batches=batches,
                       tokens=tokens, inputs=inputs)


def resolve_route(models: Sequence[InstalledModel], source: str, target: str, *, pivot: str) -> Route:
    """The models that translate ``source → target``, or a :class:`TranslationEngineError` saying what exists."""
    found = find_route(models, source, target, pivot=pivot)
    if found is None:
        have = ", ".join(f"{r.source}→{r.target}" for r in list_routes(models, pivot=pivot))
        raise TranslationEngineError(
            f"no installed model translates {source}→{target}"
            + (f" (installed: {have})" if have else " (no models installed)"),
            hint=f"install one with 'polybrief models install {source} {target}' or a model folder; "
            "see 'polybrief models list'",
        )
    return found


def translate_by_sentence(
    segments: Sequence[str], *, source: str, route: Route, run: RouteRunner, engine: str,
) -> tuple[list[MachineTranslation], RunStats]:
    """Plan ``segments`` into sentences, have ``run`` translate each distinct one once, and rebuild them.

    The one implementation of the sentence-level contract of
    :meth:`ArgosEngine.translate`, shared by every engine that runs the
    models somewhere else, so that where the models run cannot change what
    comes back.
    """
    started = time.perf_counter()
    plans, table = plan_segments(segments, lang=source)
    unique = list(table.unique)
    output = run(route, unique) if unique else RouteOutput(texts=(), scores=())
    if len(output.texts) != len(unique) or len(output.scores) != len(unique):
        raise TranslationEngineError(
            f"the models returned {len(output.texts)} translations for {len(unique)} sentences")
    texts, scores = output.texts, output.scores
    labels = route.labels
    results: list[MachineTranslation] = []
    for plan in plans:
        ids = [table.index[s] for s in plan.sentences]
        sentence_scores = [scores[i] for i in ids]
        results.append(MachineTranslation(
            text=plan.join([texts[i] for i in ids]),
            score=sum(sentence_scores) / len(sentence_scores) if sentence_scores else 0.0,
            engine=engine,
            models=labels,
        ))
    stats = RunStats(
        segments=len(segments), sentences=table.total, unique_sentences=len(unique),
        model_inputs=output.inputs, calls=output.calls, batches=output.batches, source_tokens=output.tokens,
        seconds=time.perf_counter() - started, models=labels,
    )
    logger.info(
        "translated %d segments %s→%s: %d sentences, %d distinct, %d model call(s) via %s",
        len(segments), source, route.target, table.total, len(unique), output.calls, " + ".join(labels),
    )
    return results, stats


class ArgosEngine:
    """Translate with installed CTranslate2 models, directly or through English.

    ``models`` overrides discovery (useful in tests and for pinning a model);
    otherwise the models in ``packages_dir`` (default: Argos's packages
    folder) are listed once, when the engine is created.  The device is
    checked then too, so a missing GPU is reported before any work starts.
    """

    name = "argos"

    def __init__(
        self,
        *,
        packages_dir: Path | None = None,
        options: EngineOptions | None = None,
        models: Sequence[InstalledModel] | None = None,
    ) -> None:
        self.options = options or EngineOptions()
        self._ct2 = import_ct2()
        self._spm = import_spm()
        self.device = self._resolve_device()
        self.compute_type = self._resolve_compute_type()
        self.packages_dir = packages_dir
        self.models: tuple[InstalledModel, ...] = tuple(models if models is not None else list_models(packages_dir))
        self.last_run_stats: RunStats | None = None
        self._translators: dict[Path, Any] = {}
        self._tokenizers: dict[Path, Any] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ setup

    def _resolve_device(self) -> str:
        requested = self.options.device
        gpus = int(self._ct2.get_cuda_device_count())
        if requested == "auto":
            return "cuda" if gpus > 0 else "cpu"
        if requested == "cuda" and gpus == 0:
            raise TranslationEngineError(
                "device 'cuda' was requested but CTranslate2 sees no CUDA GPU on this machine",
                field="device",
                hint="use device 'cpu' (or 'auto'), or install an NVIDIA driver and CUDA 12 libraries "
                "for the ctranslate2 wheel",
            )
        if requested == "cuda" and self.options.device_index >= gpus:
            raise TranslationEngineError(
                f"device_index {self.options.device_index} does not exist: CTranslate2 sees {gpus} GPU(s)",
                field="device_index",
            )
        return requested

    def _resolve_compute_type(self) -> str:
        supported = set(self._ct2.get_supported_compute_types(self.device, self.options.device_index))
        wanted = self.options.compute_type
        if wanted == "auto":
            preferred = ("int8",) if self.device == "cpu" else ("int8_float16", "float16", "int8")
            return next((t for t in preferred if t in supported), "default")
        if wanted != "default" and wanted not in supported:
            raise TranslationEngineError(
                f"compute_type {wanted!r} is not supported on {self.device}",
                field="compute_type", hint=f"use one of: auto, default, {', '.join(sorted(supported))}",
            )
        return wanted

    def _translator(self, model: InstalledModel) -> Any:
        with self._lock:
            translator = self._translators.get(model.model_path)
            if translator is None:
                logger.debug("loading %s on %s (%s)", model.model_path, self.device, self.compute_type)
                try:
                    translator = self._ct2.Translator(
                        str(model.model_path),
                        device=self.device,
                        device_index=self.options.device_index,
                        compute_type=self.compute_type,
                        inter_threads=self.options.inter_threads,
                        intra_threads=self.options.intra_threads,
                    )
                except (RuntimeError, ValueError, OSError) as exc:
                    raise TranslationEngineError(
                        f"cannot load model {model.label}: {exc}", file=model.model_path,
                        hint="reinstall the model; it may be damaged or from a newer CTranslate2",
                    ) from None
                self._translators[model.model_path] = translator
            return translator

    def _tokenizer(self, path: Path) -> Any:
        with self._lock:
            processor = self._tokenizers.get(path)
            if processor is None:
                try:
                    processor = self._spm.SentencePieceProcessor(model_file=str(path))
                except (RuntimeError, OSError) as exc:
                    raise TranslationEngineError(f"cannot load SentencePiece model: {exc}", file=path) from None
                self._tokenizers[path] = processor
            return processor

    def close(self) -> None:
        """Release the loaded models (they are reloaded on the next call)."""
        with self._lock:
            self._translators.clear()
            self._tokenizers.clear()

    # ------------------------------------------------------------------ routes

    def route(self, source: str, target: str) -> Route:
        """The models that translate ``source → target``, or a :class:`TranslationEngineError`."""
        return resolve_route(self.models, source, target, pivot=self.options.pivot)

    def supports(self, source: str, target: str) -> bool:
        return find_route(self.models, source, target, pivot=self.options.pivot) is not None

    # ------------------------------------------------------------------ translation

    def translate(self, segments: Sequence[str], *, source: str, target: str) -> list[MachineTranslation]:
        """Translate every segment, each distinct sentence once, in one batched pass per model.

        A result's ``score`` is the mean of its sentences' scores.  A sentence
        score is what CTranslate2 returns with ``length_penalty=1``: the
        cumulative log-probability divided by the length, i.e. the mean
        per-token log-probability (checked against ``score_batch``).  Pivoted
        sentences add the scores of both passes.  Segments with nothing to
        translate (blank, a bare number) come back unchanged with score 0.0.
        """
        route = self.route(source, target)
        results, self.last_run_stats = translate_by_sentence(
            segments, source=source, route=route, run=self.run_route, engine=self.name)
        return results

    def run_route(self, route: Route, sentences: Sequence[str]) -> RouteOutput:
        """Translate distinct sentences through every model of ``route``, in order.

        This is the part of :meth:`translate` that needs the models; the
        planning around it (sentence splitting, deduplication, putting the
        layout back) does not, which is what lets
        :class:`~polybrief.mt.ray_engine.RayEngine` keep that on the driver
        and run :meth:`run_model` on remote workers instead.
        """
        return run_passes(route, sentences, self.run_model)

    def run_model(self, model: InstalledModel, sentences: Sequence[str]) -> tuple[list[tuple[str, float]], int, int]:
        """Translate distinct sentences with one model: ``[(text, score)]``, source tokens, batches.

        Batches are cut by :func:`plan_batches` and each is given to
        ``translate_batch`` as it is (``max_batch_size=0``: no re-cutting); with
        ``inter_threads`` > 1 they are all submitted at once
        (``asynchronous=True``) so CTranslate2 runs them in parallel.
        """
        translator = self._translator(model)
        sp_source = self._tokenizer(model.source_spm)
        sp_target = sp_source if model.target_spm == model.source_spm else self._tokenizer(model.target_spm)
        pieces: list[list[str]] = sp_source.encode(list(sentences), out_type=str)
        batch = [[*model.source_prefix, *p, *model.source_suffix] for p in pieces]
        lengths = [len(b) for b in batch]
        batches = plan_batches(lengths, self.options.max_batch_tokens)
        opts = self.options
        asynchronous = opts.inter_threads > 1
        prefix = list(model.target_prefix)
        try:
            submitted = [translator.translate_batch(
                [batch[i] for i in indices],
                [prefix] * len(indices) if prefix else None,
                max_batch_size=0,
                beam_size=opts.beam_size,
                length_penalty=opts.length_penalty,
                repetition_penalty=opts.repetition_penalty,
                no_repeat_ngram_size=opts.no_repeat_ngram_size,
                max_input_length=opts.max_input_length,
                max_decoding_length=opts.max_decoding_length,
                return_scores=True,
                asynchronous=asynchronous,
            ) for indices in batches]
            results: list[Any] = [None] * len(batch)
            for indices, batch_results in zip(batches, submitted):
                for i, result in zip(indices, batch_results):
                    results[i] = result.result() if asynchronous else result
        except (RuntimeError, ValueError) as exc:
            raise TranslationEngineError(f"model {model.label} failed: {exc}", file=model.model_path) from None
        outputs = []
        skip = len(model.target_prefix)
        unk = sp_target.unk_id()
        for result in results:
            hypothesis = list(result.hypotheses[0])
            if skip and hypothesis[:skip] == list(model.target_prefix):
                hypothesis = hypothesis[skip:]
            # Model-only tokens (language tags, <pad>) are not SentencePiece pieces; drop them
            # rather than let them decode as the ⁇ unknown mark.
            kept = [tok for tok in hypothesis if tok == "<unk>" or sp_target.piece_to_id(tok) != unk]
            text = sp_target.decode_pieces(kept)
            score = float(result.scores[0]) if result.scores else 0.0
            outputs.append((text, score))
        return outputs, sum(lengths), len(batches)
