"""Property tests: any Unicode text in a brief loads, round-trips and renders.

For arbitrary non-blank text (every code point Hypothesis draws, surrogates
aside: they cannot be saved as UTF-8) in the brief's text fields, the brief
must survive YAML and JSON round trips unchanged, and render in HTML and
plain text for Armenian (LTR) and Arabic (RTL) without raising, with the text
present in the output: HTML-escaped after control-character neutralisation
(see :mod:`polybrief.rendering`), and in plain text up to the whitespace that
wrapping changes.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from polybrief import Brief, dump_brief, get_locale, localise, read_brief
from polybrief.rendering import Renderer, neutralise_controls

#: Characters that have broken renderers before, drawn more often than chance would.
TRICKY = list("<>&\"'{}%#|\\ \t\n\r\x00\x1b\x7f\x85\u00a0\u200b\u200c\u200d\u200e\u200f\u2028\u2029"
              "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\ufffe\U0010ffff"
              "«»“”„‘’‹›()[]ՙ։؛،") + ["{{", "}}", "{%", "%}", "{#", "&amp;", "<script>", "]]>", "-->"]
TEXT = (st.lists(st.one_of(st.characters(codec="utf-8"), st.sampled_from(TRICKY)), min_size=1, max_size=25)
        .map("".join).filter(lambda s: s.strip() != ""))
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def renderer():
    return Renderer()


def make_brief(texts: dict[str, str]) -> Brief:
    return Brief.model_validate({
        "id": "prop",
        "language": "en",
        "headline": texts["headline"],
        "standfirst": texts["standfirst"],
        "dateline": {"place": texts["place"], "date": date(2024, 5, 1)},
        "published": datetime(2024, 5, 1, 10, tzinfo=timezone(timedelta(hours=4))),
        "lead": [texts["lead"]],
        "sections": [{"heading": texts["heading"],
                      "items": [{"label": texts["label"], "text": texts["item"], "source": texts["source"]}]}],
        "figures": [{"label": texts["figure"], "value": 3, "unit": {"one": texts["unit"], "other": texts["unit"]}}],
        "quotes": [{"text": texts["quote"], "speaker": texts["speaker"]}],
        "sources": [{"name": texts["source"], "url": "https://example.org/"}],
        "closing": [texts["closing"]],
        "tags": [texts["tag"]],
    })


FIELDS = ["headline", "standfirst", "place", "lead", "heading", "label", "item", "source", "figure", "unit",
          "quote", "speaker", "closing", "tag"]
BRIEF_TEXTS = st.fixed_dictionaries({name: TEXT for name in FIELDS})


def _squeeze(text: str) -> str:
    return "".join(text.split())


@SETTINGS
@given(texts=BRIEF_TEXTS)
def test_any_text_round_trips(texts):
    brief = make_brief(texts)
    for fmt in ("yaml", "json"):
        assert read_brief(dump_brief(brief, format=fmt), format=fmt) == brief


@SETTINGS
@given(texts=BRIEF_TEXTS, tag=st.sampled_from(["hy", "ar"]))
@example(texts={**dict.fromkeys(FIELDS, "0"), "quote": "0\u0589"}, tag="hy")  # «0»։ in Armenian
def test_any_text_renders_escaped(renderer, texts, tag):
    brief = make_brief(texts)
    localised = localise(brief, tag)
    html = renderer.render(localised, format="html")
    text = renderer.render(localised, format="text")
    visible = [name for name in FIELDS if name != "tag"]  # tags only reach the original's keywords
    # The bidi isolates and line marks polybrief adds itself (polybrief.bidi) are not content.
    bare_html = re.sub(r'</?bdi(?: dir="(?:ltr|rtl)")?>', "", html)
    bare_text = text.replace("\u200e", "").replace("\u200f", "")
    final_outside = get_locale(tag).quotes.final == "outside"
    for name in visible:
        expected = neutralise_controls(texts[name])
        if name == "quote" and final_outside and expected.rstrip().endswith((".", "\u0589", "\u06d4", "\u3002")) \
                and not expected.rstrip().endswith(".."):
            expected = expected.rstrip()[:-1]  # Armenian sets a quoted sentence's full stop after «…» (CLDR quotes)
        assert str(escape(expected)) in bare_html, name
        assert _squeeze(expected.replace("\u200e", "").replace("\u200f", "")) in _squeeze(bare_text), name
    # Tags are not translatable: keywords appear on the source-language page only.
    original = renderer.render(localise(brief, "en"), format="html")
    assert str(escape(neutralise_controls(texts["tag"]))) in original
    for output in (html, text):
        for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\x00\x1b":
            assert ch not in output
