"""The same engine, with its models run by a pool of Ray actors: :class:`RayEngine`.

What runs where
---------------
* **The driver** (the process that runs ``polybrief``) plans: it splits every
  segment into sentences, deduplicates them, chooses the route (direct or
  through English) and, afterwards, puts the translations back into the
  segments' layout.  That is :func:`polybrief.mt.argos.translate_by_sentence`,
  the very function :class:`~polybrief.mt.argos.ArgosEngine` uses, so only
  distinct sentences travel and where the models run cannot change what
  comes back.  Protection (placeholders for numbers, URLs, glossary terms)
  wraps this engine on the driver too, and the driver alone writes catalogs
  and pages.
* **The actors** run the models: for each model pass (two for a pivot
  route), the distinct sentences become a Ray Data dataset, cut into blocks,
  sent through ``map_batches`` over a fixed-size actor pool
  (``ActorPoolStrategy``).  Each actor builds one
  :class:`~polybrief.mt.argos.ArgosEngine` — the same model-loading,
  tokenising and ``translate_batch`` code as in-process — keeps its
  CTranslate2 translator loaded for as long as the actor lives, and calls
  :meth:`~polybrief.mt.argos.ArgosEngine.run_model` on every block.

Identical results
-----------------
A sentence's output can depend on the batch it is translated in (padding
changes the order of float reductions, which tips near-ties), so cutting a
run into arbitrary blocks would change a few translations and many scores.
The driver therefore tokenises the sentences, cuts them into the very
batches the in-process engine would use
(:func:`~polybrief.mt.argos.plan_batches`), and makes each block a run of
whole batches; the actor's engine cuts the same batches again.  Every
sentence meets the same batch mates as in process, and the results are
bit-identical (the tests and the benchmark compare them).  Passes run one
after the other with the driver deduplicating in between, as in process.

GPUs
----
With ``device="auto"`` (the CLI's default under ``--ray``) the actors use
GPUs when the cluster has any: one actor per GPU (``num_gpus`` per actor,
``gpus_per_actor`` to share one), the compute type chosen on the GPU node
(``int8_float16`` where supported).  ``device="cuda"`` on a cluster without
GPUs is an error; ``"cpu"`` never asks for one.

Costs
-----
One Ray Data run per model pass (per language pair, two through a pivot):
starting an actor pool and loading a model takes a few seconds, which is nothing next to a large run (100,000
briefs into one language is hours of model time) and dominates a small one —
see docs/scale.md and the benchmark's "Ray" row.

``ray`` is imported when an engine is built, never on import of this module
(``pip install 'polybrief[ray]'``).
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import raycluster
from ..errors import PolybriefError, TranslationEngineError
from .argos import (
    EngineOptions,
    RouteOutput,
    import_spm,
    plan_batches,
    resolve_route,
    run_passes,
    translate_by_sentence,
)
from .base import MachineTranslation
from .routes import Route, find_route
from .segment import RunStats
from .store import InstalledModel, list_models

__all__ = ["RayEngine", "connect"]

logger = logging.getLogger(__name__)

#: Sentences per block (one ``map_batches`` call on an actor), unless the engine is told otherwise:
#: enough for CTranslate2 to fill its token batches, small enough to spread a run over the pool.
MIN_BLOCK = 128
MAX_BLOCK = 2048
#: Blocks per actor a run aims for, so a slow block does not leave the other actors idle.
BLOCKS_PER_ACTOR = 4


def connect(address: str) -> tuple[Any, bool]:
    """Connect this process to the Ray cluster at ``address`` for the MT actors; returns ``(ray, started_here)``
    (see :func:`polybrief.raycluster.connect`: ``"auto"``, ``"local"``, ``HOST:PORT``, ``ray://...``)."""
    return raycluster.connect(address, error=TranslationEngineError, data=True,
                              missing="--ray needs Ray (with Ray Data), which is not installed",
                              missing_hint="pip install 'polybrief[ray]'")


_COUNTERS = ("tokens", "batches")


class _ModelWorker:
    """One actor of the pool: an :class:`ArgosEngine` whose translator stays loaded while the actor lives.

    Ray Data builds it once per actor (``fn_constructor_kwargs``) and calls it
    once per block; the device and compute type are resolved here, on the
    actor's node, so a GPU node picks its GPU types.  A polybrief error (a
    model missing on this node, CTranslate2 absent, no GPU) comes back as
    data in the ``error`` column, because Ray passes an actor's exception to
    the driver only as traceback text; the driver raises it again.
    """

    def __init__(self, *, model: InstalledModel, options: EngineOptions) -> None:
        from .argos import ArgosEngine

        self.model = model
        self.engine: ArgosEngine | None = None
        self.error: PolybriefError | None = None
        try:
            self.engine = ArgosEngine(options=options, models=[model])
        except PolybriefError as exc:
            self.error = exc

    def __call__(self, block: Any) -> Any:
        import pyarrow as pa

        sentences = [str(s) for s in block.column("text").to_pylist()]
        n = len(sentences)
        error = self.error
        outputs: list[tuple[str, float]] = [("", 0.0)] * n
        counters = {"tokens": 0, "batches": 0}
        if self.engine is not None and error is None:
            try:
                outputs, counters["tokens"], counters["batches"] = self.engine.run_model(self.model, sentences)
            except PolybriefError as exc:
                error = exc
        first = [1] + [0] * (n - 1) if n else []
        return pa.table({
            "id": block.column("id"),
            "text": pa.array([text for text, _ in outputs], type=pa.string()),
            "score": pa.array([score for _, score in outputs], type=pa.float64()),
            **{name: pa.array([counters[name] * f for f in first], type=pa.int64()) for name in _COUNTERS},
            "error": pa.array([_error_json(error) if f and error is not None else None for f in first],
                              type=pa.string()),
        })


def _error_json(exc: PolybriefError) -> str:
    import json
    import socket

    return json.dumps({"class": type(exc).__name__, "message": exc.message, "file": exc.file, "line": exc.line,
                       "field": exc.field, "hint": exc.hint, "node": socket.gethostname()})


def _error_from_json(text: str) -> PolybriefError:
    """The error an actor sent back, as the same polybrief error class (naming the node it happened on)."""
    import json

    from .. import errors

    data = json.loads(text)
    cls = getattr(errors, str(data.get("class")), None)
    if not (isinstance(cls, type) and issubclass(cls, PolybriefError)):
        cls = TranslationEngineError
    return cls(f"{data['message']} (on Ray node {data['node']})", file=data.get("file"), line=data.get("line"),
               field=data.get("field"), hint=data.get("hint"))


#: ``SomeError: message`` lines in the traceback text Ray folds into its errors.
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception): .+$", re.MULTILINE)


def _first_exception_line(exc: BaseException) -> str:
    """What an actor raised, out of the traceback text of Ray's error, else the error's type."""
    found = _EXCEPTION_LINE.search(str(exc))
    return found.group(0) if found else type(exc).__name__


class RayEngine:
    """Translate with installed CTranslate2 models run by a Ray actor pool.

    A :class:`~polybrief.mt.base.TranslationEngine`: results are those of
    :class:`~polybrief.mt.argos.ArgosEngine` with the same models and
    options (its ``name`` is the same, ``"argos"``, because provenance names
    the models and the code that ran them, not the machines).

    The models folder must be readable at the same path on every node (the
    same folder copied to each, or shared storage); routes are chosen from
    the driver's copy.  ``actors`` fixes the pool size (default: one per GPU
    when GPUs are used, else one per ``intra_threads`` CPUs of the cluster,
    never more than there are blocks); ``block_size`` the sentences per
    block (default: from the run's size).
    """

    name = "argos"

    def __init__(
        self,
        *,
        address: str = "auto",
        packages_dir: Path | None = None,
        options: EngineOptions | None = None,
        models: Sequence[InstalledModel] | None = None,
        actors: int | None = None,
        block_size: int | None = None,
        gpus_per_actor: float = 1.0,
    ) -> None:
        self.options = options or EngineOptions()
        if actors is not None and actors < 1:
            raise TranslationEngineError("the Ray actor pool needs at least one actor", field="ray_actors")
        if block_size is not None and block_size < 1:
            raise TranslationEngineError("block_size must be at least 1", field="block_size")
        if not 0 < gpus_per_actor <= 1:
            raise TranslationEngineError("gpus_per_actor must be in (0, 1]", field="gpus_per_actor")
        self.models: tuple[InstalledModel, ...] = tuple(models if models is not None else list_models(packages_dir))
        self.packages_dir = packages_dir
        self.actors = actors
        self.block_size = block_size
        self.gpus_per_actor = gpus_per_actor
        self.last_run_stats: RunStats | None = None
        self._capped = False
        self._tokenizers: dict[Path, Any] = {}
        #: ``(actors, blocks)`` of the last model pass.
        self.last_pool: tuple[int, int] = (0, 0)
        import_spm()  # the driver tokenizes to cut batches: fail now, not after connecting
        self._ray, self._started_ray = connect(address)
        self.use_gpus = self._resolve_gpus()

    def _resolve_gpus(self) -> bool:
        gpus = float(self._ray.cluster_resources().get("GPU", 0))
        device = self.options.device
        if device == "cuda" and gpus == 0:
            raise TranslationEngineError(
                "device 'cuda' was requested but the Ray cluster has no GPU", field="device",
                hint="use --device auto (GPUs when the cluster has them) or cpu, or add GPU nodes")
        return device == "cuda" or (device == "auto" and gpus > 0)

    # ------------------------------------------------------------------ routes

    def route(self, source: str, target: str) -> Route:
        return resolve_route(self.models, source, target, pivot=self.options.pivot)

    def supports(self, source: str, target: str) -> bool:
        return find_route(self.models, source, target, pivot=self.options.pivot) is not None

    # ------------------------------------------------------------------ translation

    def translate(self, segments: Sequence[str], *, source: str, target: str) -> list[MachineTranslation]:
        """What :meth:`ArgosEngine.translate` returns, with the model passes run on the actor pool."""
        route = self.route(source, target)
        results, self.last_run_stats = translate_by_sentence(
            segments, source=source, route=route, run=self.run_route, engine=self.name)
        return results

    def pool(self, sentences: int) -> tuple[int, int]:
        """``(actors, block_size)`` for a run of ``sentences`` distinct sentences."""
        resources = self._ray.cluster_resources()
        if self.use_gpus:
            fits = int(float(resources.get("GPU", 0)) / self.gpus_per_actor)
        else:
            fits = int(float(resources.get("CPU", 1)) // self._cpus_per_actor())
        fits = max(1, fits)
        wanted = fits if self.actors is None else self.actors
        if wanted > fits:
            # Ray Data would wait for actors the cluster cannot place: use what fits, and say so (once).
            log = logger.debug if self._capped else logger.warning
            self._capped = True
            log("the Ray cluster has room for %d actor(s) of %s; using %d, not %d", fits,
                f"{self.gpus_per_actor} GPU" if self.use_gpus else f"{self._cpus_per_actor()} CPU(s)", fits, wanted)
            wanted = fits
        size = self.block_size or min(MAX_BLOCK, max(MIN_BLOCK, math.ceil(sentences / (wanted * BLOCKS_PER_ACTOR))))
        blocks = max(1, math.ceil(sentences / size))
        return min(wanted, blocks), size

    def _cpus_per_actor(self) -> int:
        return 1 if self.use_gpus else max(1, self.options.intra_threads)

    def _actor_options(self) -> EngineOptions:
        if self.use_gpus:
            # Ray hands each actor its GPU(s) through CUDA_VISIBLE_DEVICES: the actor's GPU is index 0.
            return replace(self.options, device="cuda", device_index=0)
        return replace(self.options, device="cpu", intra_threads=self._cpus_per_actor())

    def run_route(self, route: Route, sentences: Sequence[str]) -> RouteOutput:
        """Translate distinct sentences through ``route``: each model pass is one run on the actor pool."""
        return run_passes(route, sentences, self.run_model)

    def blocks(self, model: InstalledModel, sentences: Sequence[str], size: int) -> list[list[int]]:
        """Indices of ``sentences`` in blocks of whole batches, about ``size`` sentences each.

        The batches are :func:`~polybrief.mt.argos.plan_batches`' for the
        whole list, so every sentence meets on an actor the batch mates it
        has in process; a block's order is the batches' order, which the
        actor's own :func:`plan_batches` reproduces exactly.
        """
        sp = self._tokenizer(model.source_spm)
        extra = len(model.source_prefix) + len(model.source_suffix)
        lengths = [len(p) + extra for p in sp.encode(list(sentences), out_type=str)]
        blocks: list[list[int]] = []
        for batch in plan_batches(lengths, self.options.max_batch_tokens):
            if not blocks or len(blocks[-1]) >= size:
                blocks.append([])
            blocks[-1].extend(batch)
        return blocks

    def run_model(self, model: InstalledModel, sentences: Sequence[str]) -> tuple[list[tuple[str, float]], int, int]:
        """One model over distinct sentences on the actor pool: ``[(text, score)]``, tokens, batches."""
        import pyarrow as pa

        ray = self._ray
        actors, size = self.pool(len(sentences))
        blocks = self.blocks(model, sentences, size)
        actors = min(actors, len(blocks))
        self.last_pool = (actors, len(blocks))
        tables = [pa.table({"id": pa.array(block, type=pa.int64()),
                            "text": pa.array([sentences[i] for i in block], type=pa.string())}) for block in blocks]
        logger.debug("Ray: %d sentences in %d block(s) over %d actor(s)%s for %s", len(sentences), len(blocks),
                     actors, " with GPUs" if self.use_gpus else "", model.label)
        dataset = ray.data.from_arrow(tables).map_batches(
            _ModelWorker,
            batch_size=None,  # one block is one call: the blocks were cut above, of whole batches
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=actors),
            fn_constructor_kwargs={"model": model, "options": self._actor_options()},
            num_cpus=self._cpus_per_actor(),
            num_gpus=self.gpus_per_actor if self.use_gpus else 0,
        )
        outputs: list[tuple[str, float] | None] = [None] * len(sentences)
        totals = dict.fromkeys(_COUNTERS, 0)
        try:
            for table in dataset.iter_batches(batch_size=None, batch_format="pyarrow"):
                columns = table.to_pydict()
                error = next((e for e in columns["error"] if e), None)
                if error is not None:
                    raise _error_from_json(error)
                for i, text, score in zip(columns["id"], columns["text"], columns["score"]):
                    outputs[i] = (text, score)
                for name in totals:
                    totals[name] += sum(columns[name])
        except PolybriefError:
            raise
        except Exception as exc:  # noqa: BLE001 - Ray wraps whatever an actor raised in its own types
            raise TranslationEngineError(
                f"the Ray run for {model.label} failed: {_first_exception_line(exc)}", field="ray",
                hint="every node needs polybrief[mt] installed and the models folder at the same path; "
                "see docs/scale.md") from None
        missing = sum(1 for o in outputs if o is None)
        if missing:
            raise TranslationEngineError(f"the Ray run returned no translation for {missing} sentence(s)", field="ray")
        return [o for o in outputs if o is not None], totals["tokens"], totals["batches"]

    def _tokenizer(self, path: Path) -> Any:
        """The SentencePiece model at ``path`` (cached): the driver counts tokens to cut batches."""
        processor = self._tokenizers.get(path)
        if processor is None:
            try:
                processor = import_spm().SentencePieceProcessor(model_file=str(path))
            except (RuntimeError, OSError) as exc:
                raise TranslationEngineError(f"cannot load SentencePiece model: {exc}", file=path) from None
            self._tokenizers[path] = processor
        return processor

    def close(self) -> None:
        """Disconnect from Ray if this engine connected (a local instance it started stops)."""
        if self._started_ray and self._ray.is_initialized():
            self._ray.shutdown()
        self._started_ray = False
