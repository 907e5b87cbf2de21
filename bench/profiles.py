"""How big each benchmark run is.

``full`` is what ``make bench`` runs (about 35 minutes on two cores, 15 of
them publishing: up to 2,000 briefs timed, 10,000 for peak memory),
``quick`` what ``make bench-quick`` runs (a few minutes), ``smoke`` what the
test suite runs (a few seconds of measuring, every section present).
``python -m bench --full --only publishing,rendering`` reruns those sections
alone and merges them into ``bench/results/full.json``; ``--only floor``
(publishing against the floor, issue 24) runs only that way (about an hour
at 100, 1,000 and 10,000 briefs on two cores).

Why the model is shallower than an Argos model
----------------------------------------------
Argos models are 6 encoder + 6 decoder layers, d_model 512, 8 heads, FFN
2048, int8.  Random weights never emit the end token, so every output runs to
``max_decoding_length`` (16 here, about the mean source length in tokens); at
that depth argostranslate's one-call-per-paragraph path manages about 20
sentences a second at beam 4 on this machine, and the 20-brief batch (about 1,100
sentences) at two beams and three repetitions would take over ten minutes on
its own.  Every layer keeps the Argos shape (d_model, heads, FFN, int8, an 8k
vocabulary); the depth is reduced — 2+2 for ``full``, 1+1 for ``quick`` — and
``full`` repeats the beam-4 comparison on a true 6+6 model over five briefs
(``deep_check``).  Depth is not neutral: batching saves per-layer, per-step
fixed costs, so the shallower the model the *smaller* polybrief's advantage;
the shallow rows understate it.

Threads
-------
CTranslate2's ``intra_threads`` is 1 on both sides.  On this shared two-core
machine, 2 threads made argostranslate's one-sentence batches 2–4.5× slower
(thread hand-offs around tiny matrix products, worse when another process
holds the second core) while polybrief's large batches gained at most a
third; ``full`` repeats the beam-4 comparison with 2 threads each
(``threads_check``).  One thread is the conservative choice for the ratio.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ModelDims", "Profile", "PROFILES"]


@dataclass(frozen=True, slots=True)
class ModelDims:
    """The shape of a generated Transformer."""

    encoder_layers: int
    decoder_layers: int
    d_model: int
    heads: int
    ffn: int
    vocab: int
    quantization: str = "int8"

    def to_dict(self) -> dict[str, object]:
        return {
            "encoder_layers": self.encoder_layers, "decoder_layers": self.decoder_layers,
            "d_model": self.d_model, "heads": self.heads, "ffn": self.ffn, "vocab": self.vocab,
            "quantization": self.quantization,
        }

    def describe(self) -> str:
        return (f"{self.encoder_layers}+{self.decoder_layers} layers, d_model {self.d_model}, "
                f"{self.heads} heads, FFN {self.ffn}, vocab {self.vocab:,}, {self.quantization}")


ARGOS_SHAPE = ModelDims(6, 6, 512, 8, 2048, 8000)


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """Every size knob of one benchmark run."""

    name: str
    model: ModelDims
    #: Outputs are always this long (random weights never end a sentence).
    max_decoding_length: int
    #: CTranslate2 intra_threads, the same on both sides (see the module docstring).
    intra_threads: int = 1
    spm_lines: int = 12_000
    target_locales: tuple[str, ...] = ("ru", "az", "hy")
    #: The polybrief-vs-argostranslate comparison: batch size, targets, beams, repetitions.
    compare_briefs: int = 20
    compare_locales: tuple[str, ...] = ("ru",)
    compare_beams: tuple[int, ...] = (4, 1)
    reps: int = 3
    #: The same comparison on a true Argos-depth model (None: skipped).
    deep_model: ModelDims | None = None
    deep_briefs: int = 1
    deep_beams: tuple[int, ...] = (4,)
    #: (threads, briefs): the beam-4 comparison again with another intra_threads (None: skipped).
    threads_check: tuple[int, int] | None = None
    #: ru→az through English (argostranslate's CompositeTranslation vs polybrief's pivot).
    pivot_briefs: int = 0
    scaling_sizes: tuple[int, ...] = (1, 5, 20, 80)
    scaling_beam: int = 1
    dedup_briefs: int = 20
    #: Local Ray (2 actors) vs the in-process engine: briefs, and targets (None: target_locales).
    ray_briefs: int = 80
    ray_targets: tuple[str, ...] | None = None
    #: Load models and warm Ray Data up before timing (off only where timing does not matter: smoke).
    ray_warm_up: bool = True
    incremental_briefs: int = 20
    incremental_beam: int = 1
    incremental_reps: int = 3
    startup_reps: int = 5
    render_reps: int = 5
    render_rounds: int = 20
    memory_reps: int = 3
    memory_briefs: int = 20
    #: Publishing (issue 13): sizes in briefs, repetitions below the largest size and at it, a larger run
    #: for peak RSS only (None: none), and the size of the run whose steps are timed.
    publish_sizes: tuple[int, ...] = (10, 100, 400, 2000)
    publish_reps: int = 3
    publish_big_reps: int = 1
    publish_memory: int | None = None
    publish_phases: int = 100
    #: Publishing against the floor (issue 24, ``--only floor``): sizes in distinct briefs (``--floor-sizes``
    #: overrides), repetitions up to 1,000 briefs and above, the size Sphinx runs at and the size profiled
    #: (None: neither), py-spy for the profile's stages (else cProfile's estimate), and the time limit of one
    #: run above 1,000 briefs (a side that runs past it is stopped and reported as such).
    floor_sizes: tuple[int, ...] = (100, 1000, 10_000)
    floor_reps: int = 3
    floor_big_reps: int = 1
    floor_sphinx: int | None = 100
    floor_profile: int | None = 1000
    floor_spy: bool = True
    floor_timeout: float | None = 1200.0
    notes: tuple[str, ...] = field(default=())


PROFILES: dict[str, Profile] = {
    "full": Profile(
        name="full",
        model=ModelDims(2, 2, 512, 8, 2048, 8000),
        max_decoding_length=16,
        deep_model=ARGOS_SHAPE,
        deep_briefs=5,
        deep_beams=(4,),
        threads_check=(2, 5),
        pivot_briefs=1,
        publish_memory=10_000,
    ),
    "quick": Profile(
        name="quick",
        model=ModelDims(1, 1, 512, 8, 2048, 8000),
        max_decoding_length=16,
        spm_lines=8_000,
        compare_briefs=5,
        scaling_sizes=(1, 5, 20),
        dedup_briefs=20,
        ray_briefs=20,
        incremental_briefs=5,
        startup_reps=3,
        render_reps=3,
        render_rounds=10,
        memory_reps=1,
        memory_briefs=5,
        publish_sizes=(10, 100),
        publish_reps=2,
        publish_big_reps=2,
        publish_phases=20,
        floor_sizes=(100,),
        floor_reps=2,
        floor_sphinx=20,
        floor_profile=100,
    ),
    "smoke": Profile(
        name="smoke",
        model=ModelDims(1, 1, 64, 4, 128, 1000),
        max_decoding_length=4,
        spm_lines=1_500,
        compare_briefs=2,
        compare_beams=(4, 1),
        reps=1,
        deep_model=ModelDims(2, 2, 64, 4, 128, 1000),
        deep_briefs=1,
        threads_check=(2, 1),
        pivot_briefs=1,
        scaling_sizes=(1, 2),
        dedup_briefs=2,
        ray_briefs=2,
        ray_targets=("az",),
        ray_warm_up=False,
        incremental_briefs=2,
        incremental_reps=1,
        startup_reps=1,
        render_reps=1,
        render_rounds=1,
        memory_reps=1,
        memory_briefs=1,
        publish_sizes=(2,),
        publish_reps=1,
        publish_phases=2,
        floor_sizes=(3,),
        floor_reps=1,
        floor_sphinx=None,
        floor_profile=3,
        floor_spy=False,
    ),
}
