"""The CTranslate2 engine on tiny real models: shape, determinism, batching, pivoting, layout."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from polybrief import MissingExtraError, TranslationEngineError
from polybrief.mt import MachineTranslation, TranslationEngine, build_engine
from polybrief.mt.argos import ArgosEngine, EngineOptions, _estimate_batches, plan_batches
from polybrief.mt import ProtectingEngine

FAST = EngineOptions(beam_size=1, max_decoding_length=8)

BRIEF = [
    "Heavy rain fell in the north. Roads remain closed.",
    "Roads remain closed.",
    "  The minister said the bridge is open.\n\nSchools are closed on Friday.  ",
    "Line one of an address\nLine two of it",
    "2024",
    "",
]


@pytest.fixture(scope="module")
def engine(mt_packages: Path) -> ArgosEngine:
    return ArgosEngine(packages_dir=mt_packages, options=FAST)


def _layout(text: str) -> list[str]:
    """The whitespace skeleton of a text: leading/trailing blanks and every line break run."""
    lead = re.match(r"\s*", text).group(0)
    trail = re.search(r"\s*$", text).group(0) if text.strip() else ""
    return [lead, trail, *re.findall(r"\s*\n\s*", text.strip())]


def test_is_a_translation_engine(engine: ArgosEngine) -> None:
    assert isinstance(engine, TranslationEngine)
    assert engine.supports("en", "az") and engine.supports("ru", "az")
    assert not engine.supports("hy", "ru")


def test_output_shape_and_provenance(engine: ArgosEngine) -> None:
    out = engine.translate(BRIEF, source="en", target="az")
    assert len(out) == len(BRIEF)
    assert all(isinstance(r, MachineTranslation) and r.ok and r.engine == "argos" for r in out)
    assert all(r.models == ("en→az 1.0",) for r in out)
    assert out[0].text and out[0].score < 0
    assert out[4].text == "2024" and out[4].score == 0.0  # nothing a model could improve
    assert out[5].text == ""
    for source, result in zip(BRIEF, out):
        assert _layout(result.text) == _layout(source)


def test_deterministic_across_engines(mt_packages: Path) -> None:
    first = ArgosEngine(packages_dir=mt_packages, options=FAST).translate(BRIEF, source="en", target="hy")
    second = ArgosEngine(packages_dir=mt_packages, options=FAST).translate(BRIEF, source="en", target="hy")
    assert first == second


def test_one_call_for_many_segments_with_dedupe(mt_packages: Path) -> None:
    sentences = [f"The {w} rose {n} times." for w in ("price", "river", "market") for n in ("two", "three")]
    segments = [f"{sentences[i % 6]} {sentences[(i + 1) % 6]}" for i in range(120)]
    engine = ArgosEngine(packages_dir=mt_packages, options=EngineOptions(beam_size=1, max_decoding_length=6,
                                                                         max_batch_tokens=32))
    out = engine.translate(segments, source="en", target="az")
    stats = engine.last_run_stats
    assert stats is not None
    assert (stats.segments, stats.sentences, stats.unique_sentences) == (120, 240, 6)
    assert stats.calls == 1 and stats.model_inputs == 6
    assert stats.batches > 1  # 32-token batches cannot hold six sentences
    by_source = dict(zip(segments, out))
    assert len({r.text for r in by_source.values()}) == len(by_source)
    assert out[0] == out[6] == out[12]  # the same segment translates the same way


def test_same_sentence_same_translation_everywhere(engine: ArgosEngine) -> None:
    out = engine.translate(["Roads remain closed.", "Heavy rain fell. Roads remain closed."], source="en",
                           target="az")
    assert out[1].text.endswith(out[0].text)


def test_segment_score_is_the_mean_of_its_sentences(engine: ArgosEngine) -> None:
    a, b, both = engine.translate(["Heavy rain fell.", "The bridge is open.", "Heavy rain fell. The bridge is open."],
                                  source="en", target="az")
    assert both.score == pytest.approx((a.score + b.score) / 2)


def test_pivot_through_english_records_both_models(engine: ArgosEngine) -> None:
    out = engine.translate(["Сильный дождь. Мост закрыт.", "Мост закрыт."], source="ru", target="az")
    assert out[0].models == ("ru→en 1.0", "en→az 1.0")
    assert out[0].model == "ru→en 1.0 + en→az 1.0"
    stats = engine.last_run_stats
    assert stats is not None and stats.calls == 2 and stats.unique_sentences == 2
    direct_ru_en = engine.translate(["Мост закрыт."], source="ru", target="en")[0]
    assert direct_ru_en.models == ("ru→en 1.0",)
    assert out[1].score < direct_ru_en.score  # two passes, two uncertainties


def test_multilingual_prefix_is_not_in_the_output(engine: ArgosEngine) -> None:
    out = engine.translate(["Heavy rain fell in the north."], source="en", target="ru")
    assert out[0].models == ("en→ru nllb-tiny",)
    assert "rus_Cyrl" not in out[0].text and "⁇" not in out[0].text


def test_unknown_pair(engine: ArgosEngine) -> None:
    with pytest.raises(TranslationEngineError) as info:
        engine.translate(["Բարև։"], source="hy", target="ru")
    assert type(info.value) is TranslationEngineError
    assert "hy→ru" in str(info.value) and "models install" in str(info.value)


def test_cuda_without_a_gpu_is_a_clear_error(mt_packages: Path) -> None:
    import ctranslate2

    if ctranslate2.get_cuda_device_count() > 0:
        pytest.skip("this machine has a CUDA GPU")
    with pytest.raises(TranslationEngineError) as info:
        ArgosEngine(packages_dir=mt_packages, options=EngineOptions(device="cuda"))
    assert type(info.value) is TranslationEngineError
    assert "cuda" in str(info.value) and "use device 'cpu'" in str(info.value)
    assert info.value.field == "device"


def test_auto_device_and_compute_type_on_cpu(mt_packages: Path) -> None:
    import ctranslate2

    engine = ArgosEngine(packages_dir=mt_packages, options=EngineOptions(device="auto"))
    if ctranslate2.get_cuda_device_count() == 0:
        assert (engine.device, engine.compute_type) == ("cpu", "int8")


@pytest.mark.parametrize(("options", "words"), [
    ({"compute_type": "bfloat99"}, "compute_type 'bfloat99'"),
    ({"device": "tpu"}, "unknown device"),
    ({"beam_size": 0}, "beam_size must be at least 1"),
])
def test_bad_options(options: dict, words: str, mt_packages: Path) -> None:
    with pytest.raises(TranslationEngineError, match=re.escape(words)):
        ArgosEngine(packages_dir=mt_packages, options=EngineOptions(**options))


def test_options_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        EngineOptions("cpu")  # type: ignore[misc]


def test_estimate_batches() -> None:
    assert _estimate_batches([], 100) == 0
    assert _estimate_batches([10] * 10, 100) == 1
    assert _estimate_batches([10] * 11, 100) == 2
    assert _estimate_batches([300], 100) == 1


def test_plan_batches_longest_first_within_budget_ties_in_input_order() -> None:
    lengths = [3, 10, 9, 9, 9, 1, 10]
    batches = plan_batches(lengths, 20)
    assert batches == [[1, 6], [2, 3], [4, 0], [5]]  # longest first; a third 9 would make 3×9 > 20
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) * max(lengths[i] for i in batch) <= 20 or len(batch) == 1
    # A run of whole batches, in order, is cut into the same batches again (what Ray's blocks rely on).
    tail = [i for b in batches[1:] for i in b]
    assert [[tail[j] for j in b] for b in plan_batches([lengths[i] for i in tail], 20)] == batches[1:]


def test_batches_are_translated_as_planned(mt_packages: Path) -> None:
    """Each planned batch is one ``translate_batch`` call with exactly its sentences."""
    engine = ArgosEngine(packages_dir=mt_packages, options=EngineOptions(beam_size=1, max_decoding_length=4,
                                                                         max_batch_tokens=24))
    echo = EchoTranslator()
    model = engine.route("en", "az").models[0]
    engine._translators[model.model_path] = echo
    sentences = [f"The {w} rose." for w in ("price", "river", "market")] + ["Roads remain closed after the storm."]
    outputs, tokens, n_batches = engine.run_model(model, sentences)
    assert [text for text, _ in outputs] == sentences
    assert n_batches == len(echo.calls) > 1
    sp = engine._tokenizer(model.source_spm)
    lengths = [len(p) for p in sp.encode(sentences, out_type=str)]
    assert tokens == sum(lengths)
    assert [c["source"] for c in echo.calls] == [[sp.encode(sentences[i], out_type=str) for i in b]
                                                  for b in plan_batches(lengths, 24)]


# --------------------------------------------------------------------------- exact round trip


@dataclass
class _Result:
    hypotheses: list[list[str]]
    scores: list[float]


@dataclass
class EchoTranslator:
    """Stands in for ``ctranslate2.Translator``: returns the prefix and the source tokens unchanged."""

    calls: list[dict] = field(default_factory=list)

    def translate_batch(self, source: Sequence[Sequence[str]], target_prefix=None, **kwargs) -> list[_Result]:
        self.calls.append({"source": [list(s) for s in source], "target_prefix": target_prefix, **kwargs})
        prefixes = target_prefix or [[] for _ in source]
        return [_Result([list(p) + list(s)], [-0.5]) for p, s in zip(prefixes, source)]


@pytest.mark.parametrize("target", ["az", "hy", "ru"])
def test_tokenize_and_detokenize_are_exact(target: str, mt_packages: Path) -> None:
    """With a model that copies its input, output equals input: no `_` → space, no lost layout."""
    engine = ArgosEngine(packages_dir=mt_packages, options=FAST)
    echo = EchoTranslator()
    model = engine.route("en", target).models[0]
    engine._translators[model.model_path] = echo
    segments = [
        "Use snake_case_name here.  Second sentence {1} with 120,000 items!",
        "\n  Paragraph one.\n\nParagraph two — «quoted».  \n",
        "Ереван и Գյումրի: Bakı. ",
    ]
    out = engine.translate(segments, source="en", target=target)
    assert [r.text for r in out] == segments
    call = echo.calls[0]
    # polybrief cuts the batches itself (plan_batches); CTranslate2 must not cut them again.
    assert call["max_batch_size"] == 0 and "batch_type" not in call and call["asynchronous"] is False
    assert call["return_scores"] is True and call["max_decoding_length"] == 8
    if model.target_prefix:
        assert call["target_prefix"][0] == list(model.target_prefix)
        assert call["source"][0][0] == "eng_Latn" and call["source"][0][-1] == "</s>"


def test_empty_input(engine: ArgosEngine) -> None:
    assert engine.translate([], source="en", target="az") == []


# --------------------------------------------------------------------------- construction


def test_build_engine_wraps_with_protection(mt_packages: Path) -> None:
    engine = build_engine(packages_dir=mt_packages, options=FAST)
    assert isinstance(engine, ProtectingEngine) and isinstance(engine, TranslationEngine)
    assert engine.supports("en", "hy")
    bare = build_engine(packages_dir=mt_packages, options=FAST, protect=False)
    assert isinstance(bare, ArgosEngine)


def test_build_engine_without_the_extra(mt_packages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ctranslate2", None)
    with pytest.raises(MissingExtraError, match=re.escape("pip install 'polybrief[mt]'")):
        build_engine(packages_dir=mt_packages)


def test_engine_writes_nothing_to_home(mt_home: Path, model_factory) -> None:
    from polybrief.mt import install_package

    install_package(model_factory.argosmodel("en", "az"))
    ArgosEngine(options=FAST).translate(["Heavy rain fell."], source="en", target="az")
    home = mt_home.parent
    assert sorted(p.name for p in home.iterdir()) == ["packages"]


def test_importing_polybrief_mt_stays_cheap() -> None:
    code = (
        "import sys, polybrief, polybrief.mt, polybrief.mt.argos, polybrief.mt.store, polybrief.mt.routes, "
        "polybrief.mt.install, polybrief.mt.index, polybrief.mt.protect, "
        "polybrief.mt.double, polybrief.mt.segment, polybrief.cli.mt, polybrief.glossary\n"
        "heavy = [m for m in ('ctranslate2', 'sentencepiece', 'argostranslate', 'sentencex', 'torch', 'stanza', "
        "'numpy') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "from polybrief.mt import ArgosEngine, TaggingEngine\n"
        "assert 'ctranslate2' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
