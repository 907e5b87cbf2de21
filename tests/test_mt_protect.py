"""Placeholders, glossary terms and the test doubles: round trips and the failures that must show."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polybrief.glossary import read_glossary_csv
from polybrief.mt import TranslationEngine
from polybrief.mt import DictionaryEngine, TaggingEngine
from polybrief.mt.protect import PLACEHOLDER_PATTERN, ProtectingEngine, placeholder, protect, restore
from polybrief.text.sentences import plan_segment, split_sentences

GLOSSARY = read_glossary_csv(io.StringIO(
    "source,hy,az,ru,note\n"
    "Ministry of Emergency Situations,Արտակարգ իրավիճակների նախարարություն,Fövqəladə Hallar Nazirliyi,МЧС,\n"
    "Armenpress,=,=,=,news agency\n"
    "ceasefire,հրադադար,atəşkəs,перемирие,\n"
), name="glossary.csv")


def test_round_trip_through_the_tagging_double() -> None:
    engine = ProtectingEngine(TaggingEngine(), glossary=GLOSSARY)
    assert isinstance(engine, TranslationEngine)
    text = ("Armenpress reports 120,000 people left; see https://example.org/a.b?x=1. "
            "Ceasefire talks resume at 10:30.\n\nWrite to desk@example.org.")
    [result] = engine.translate([text], source="en", target="ru")
    assert result.ok, result.problem
    assert result.text == (
        "[ru] Armenpress reports 120\u00a0000 people left; see https://example.org/a.b?x=1. "
        "[ru] Перемирие talks resume at 10:30.\n\n[ru] Write to desk@example.org."
    )


def test_glossary_target_per_language() -> None:
    engine = ProtectingEngine(TaggingEngine(), glossary=GLOSSARY, protect_numbers=False)
    src = "The Ministry of Emergency Situations agreed to a ceasefire."
    hy, az = (engine.translate([src], source="en", target=t)[0].text for t in ("hy", "az"))
    assert "Արտակարգ իրավիճակների նախարարություն" in hy and "հրադադար" in hy
    assert "Fövqəladə Hallar Nazirliyi" in az and "atəşkəs" in az


def test_decoder_spacing_is_tolerated() -> None:
    spaced = TaggingEngine(transform=lambda s: re.sub(r"\{(\d+)\}", r"{ \1 }", s).replace("{ 2 }", "｛2｝"))
    [result] = ProtectingEngine(spaced).translate(["From 3.5 to 120,000."], source="en", target="az")
    # Numbers come back in the target's format: 3,5 and 120.000 in Azerbaijani.
    assert result.ok and result.text == "[az] From 3,5 to 120.000."


def test_missing_placeholder_is_reported_never_hidden() -> None:
    dropping = TaggingEngine(transform=lambda s: s.replace("{2}", ""))
    [result] = ProtectingEngine(dropping).translate(["From 3.5 to 120,000 people."], source="en", target="az")
    assert not result.ok
    assert result.problem == "placeholder for '120,000' did not come back"


def test_duplicated_and_invented_placeholders_are_reported() -> None:
    doubling = TaggingEngine(transform=lambda s: s.replace("{1}", "{1} {1} {9}"))
    [result] = ProtectingEngine(doubling).translate(["It cost 42 drams."], source="en", target="hy")
    assert result.problem == ("placeholder for '42' came back more than once; "
                              "unexpected placeholder '{9}' in the translation")
    assert result.text == "[hy] It cost 42 42 {9} drams."


def test_existing_brace_tokens_are_protected_as_themselves() -> None:
    protected = protect("Template {0} and {1} stay.", target="ru")
    assert [s.kind for s in protected.spans] == ["placeholder", "placeholder"]
    assert protected.text == "Template {1} and {2} stay."
    assert restore(protected.text, protected).text == "Template {0} and {1} stay."


@pytest.mark.parametrize(("text", "spans"), [
    ("COVID-19 cases on the 5th floor of A4", []),
    ("On 2024-05-01 at 10:30, 1,5 and 3.5", ["2024-05-01", "10:30", "1,5", "3.5"]),
    ("Down to -5 degrees.", ["5"]),
    ("Price: 1\u00a0000 drams.", ["1\u00a0000"]),
    ("Read www.gov.am/news, then mail a.b@c.am.", ["www.gov.am/news", "a.b@c.am"]),
])
def test_what_counts_as_a_span(text: str, spans: list[str]) -> None:
    assert [s.original for s in protect(text, target="hy").spans] == spans


def test_quoted_names_only_when_asked() -> None:
    text = "The agency «Armenpress» and \"Nor Hayastan\" reported \"a small thing\"."
    assert protect(text, target="ru").spans == ()
    names = [s.original for s in protect(text, target="ru", protect_quoted_names=True).spans]
    assert names == ["Armenpress", "Nor Hayastan"]


def test_lowercase_term_matches_sentence_start_and_keeps_capital() -> None:
    protected = protect("Ceasefire holds. The ceasefire holds.", target="ru", glossary=GLOSSARY)
    assert [s.replacement for s in protected.spans] == ["Перемирие", "перемирие"]


def test_placeholder_survives_the_trained_sentencepiece_model(spm_model_path: Path) -> None:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_model_path))
    text = "It cost {1}. Then {2} people left, see {12}."
    pieces = sp.encode(text, out_type=str)
    assert sp.decode_pieces(pieces) == text
    assert "<unk>" not in pieces
    # no user-defined symbols: each placeholder is brace byte + digits + brace byte
    assert pieces.count("<0x7B>") == 3 and pieces.count("<0x7D>") == 3
    assert [m.group(1) for m in PLACEHOLDER_PATTERN.finditer(sp.decode_pieces(pieces))] == ["1", "2", "12"]
    assert split_sentences(text, lang="en") == ["It cost {1}. ", "Then {2} people left, see {12}."]
    assert sp.decode_pieces(sp.encode("snake_case_name", out_type=str)) == "snake_case_name"


def test_underscores_survive_the_double() -> None:
    [result] = ProtectingEngine(TaggingEngine()).translate(["Set snake_case_name to 5."], source="en", target="ru")
    assert result.text == "[ru] Set snake_case_name to 5."


def test_dictionary_engine_reports_unknown_sentences() -> None:
    engine = DictionaryEngine({("en", "ru"): {"Hello.": "Привет.", "Bye.": "Пока."}})
    ok, partial = engine.translate(["Hello.  Bye.", "Hello. Unknown here."], source="en", target="ru")
    assert ok.text == "Привет.  Пока." and ok.ok
    assert partial.text == "Привет. Unknown here."
    assert partial.problem is not None and "'Unknown here.'" in partial.problem
    assert engine.supports("en", "ru") and not engine.supports("en", "hy")
    assert engine.last_run_stats is not None and engine.last_run_stats.unique_sentences == 3


def test_doubles_dedupe_like_the_real_engine() -> None:
    engine = TaggingEngine()
    engine.translate(["Rain fell.", "Rain fell. Roads closed.", "Roads closed."] * 10, source="en", target="az")
    stats = engine.last_run_stats
    assert stats is not None and (stats.segments, stats.sentences, stats.unique_sentences) == (30, 40, 2)
    assert engine.calls == [("en", "az", ("Rain fell.", "Roads closed."))]


# --------------------------------------------------------------------------- properties

_TEXT = st.text(
    alphabet=st.sampled_from(list("abc XYZ .,!?-:/@{}0123456789\n\u00a0«»\"ԱբДж_")), max_size=80,
)


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_protect_then_restore_is_identity(text: str) -> None:
    protected = protect(text, target="hy", glossary=GLOSSARY, protect_quoted_names=True)
    assert all(placeholder(s.number) in protected.text for s in protected.spans)
    restored = restore(protected.text, protected)
    assert restored.ok
    assert restored.text == text


@settings(max_examples=150, deadline=None)
@given(st.lists(_TEXT, max_size=5))
def test_reassembly_keeps_every_character_of_layout(segments: list[str]) -> None:
    out = TaggingEngine().translate(segments, source="en", target="ru")
    assert [r.text.replace("[ru] ", "") for r in out] == segments
    for text in segments:
        plan = plan_segment(text, lang="en")
        assert plan.join(plan.sentences) == text


@pytest.mark.parametrize("text", ["Y\u00a0. Next one.", "W\u202f. Then.", "Q\u2009. x", "В 2023\u00a0г. было 120\u00a0000."])
def test_sentences_split_across_wide_spaces_without_a_panic(text: str) -> None:
    """sentencex 1.0.x panics (a Rust byte-slice error) on a multi-byte space before a period;
    the splitter must neither crash nor lose or change a character."""
    from polybrief.text.sentences import split_sentences

    for lang in ("en", "ru", "hy", "fa"):
        pieces = split_sentences(text, lang=lang)
        assert "".join(pieces) == text and all(pieces)
