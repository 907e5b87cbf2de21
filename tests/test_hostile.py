"""Hostile brief content is data: escaped, never obeyed, never compiled.

Brief text comes from editors, translators and machine translation.  Markup,
template syntax and invisible control characters in it must come out as
literal text in every format and every shipped locale, and links must be
http, https or mailto only.  See the ``render`` module docstring for the
control-character policy these tests pin down.
"""

from __future__ import annotations

import json

import jinja2
import pytest
from markupsafe import escape

from polybrief import get_locale, localise, read_brief
from polybrief import BriefError
from polybrief.mt import MachineTranslation
from polybrief import Provenance
from polybrief.rendering import Alternate, Renderer, neutralise_controls

LOCALES = ["en", "hy", "az", "ru", "ka", "fa", "ar"]

SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>bold</b> & <i>italic</i> &amp; &lt;"
JINJA_EXPR = "{{ 7*7 }}"
JINJA_STMT = '{% include "brief.html.j2" %}'
JINJA_MORE = "{# comment #} {{ config }} {{ ''.__class__.__mro__ }}"
#: Bidi embeddings/overrides/isolates and a stray BOM: must never reach the output raw.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
#: Marks scripts need: kept as they are.
KEPT_MARKS = "\u200b\u200c\u200d\u200e\u200f"
OVERRIDE = "casualties: \u202e120\u202c, unterminated \u202e override"
ISOLATE = "an unterminated \u2067 isolate"
ZERO_WIDTH = "A\u200bF\u200cP\u200d \ufeffinvisible"
TERMINAL = "bell \x07 escape \x1b[31mred\x1b[0m carriage\rreturn NUL\x00 C1\x85 nonchar\uffff"

HOSTILE_TEXTS = [SCRIPT, BOLD, JINJA_EXPR, JINJA_STMT, JINJA_MORE, OVERRIDE, ISOLATE, ZERO_WIDTH, TERMINAL]


def hostile_data() -> dict:
    """A valid brief whose every text field carries hostile content."""
    return {
        "id": "hostile",
        "language": "en",
        "headline": f"Headline {SCRIPT} {JINJA_EXPR} {OVERRIDE}",
        "standfirst": f"Standfirst {BOLD} {JINJA_STMT}",
        "dateline": {"place": f"Place {ISOLATE}", "date": "2024-05-01"},
        "published": "2024-05-01T10:00:00+04:00",
        "lead": [f"Lead {text}" for text in HOSTILE_TEXTS],
        "sections": [{
            "heading": f"Heading {JINJA_MORE}",
            "items": [
                {"label": f"Label {OVERRIDE}", "text": f"Text {SCRIPT} {ZERO_WIDTH}", "source": f"Src {SCRIPT}"},
                {"label": f"Label2 {BOLD}", "text": f"Text2 {TERMINAL}"},
            ],
        }],
        "figures": [{"label": f"Figure {JINJA_EXPR}", "value": 120000, "qualifier": "at-least",
                     "unit": {"one": f"unit {BOLD}", "other": f"units {SCRIPT}"}, "source": f"Src {SCRIPT}"}],
        "quotes": [{"text": f"Quote {JINJA_STMT} {OVERRIDE}", "speaker": f"Speaker {BOLD}"}],
        "sources": [
            {"name": f"Src {SCRIPT}", "url": 'https://example.org/?q="><script>alert(1)</script>'},
            {"name": f"Translatable {ISOLATE}", "translatable": True},
            {"name": "IDN", "url": "https://пример.рф/путь?q=\u202e{x}|^`&amp;"},
        ],
        "closing": [f"Closing {TERMINAL} {KEPT_MARKS}"],
        "tags": [f"tag {SCRIPT}", f"tag {JINJA_EXPR}"],
    }


@pytest.fixture(scope="module")
def brief():
    return read_brief(json.dumps(hostile_data()), format="json", filename="hostile.json")


@pytest.fixture(scope="module")
def renderer():
    return Renderer()


def expected_html(text: str) -> str:
    return str(escape(neutralise_controls(text)))


def machine_for(brief, tag: str) -> dict[str, MachineTranslation]:
    """Machine "translations" that are as hostile as the source, for half of the fields."""
    from polybrief import translation_units

    units = translation_units(brief)
    return {
        unit.path: MachineTranslation(text=f"[{tag}] {unit.text}", score=0.0, engine="test", models=("x",))
        for unit in units[::2]
    }


def assert_no_raw_controls(output: str) -> None:
    for ch in BIDI_CONTROLS + "\x00\x07\x1b\r\x85\uffff":
        assert ch not in output, f"raw U+{ord(ch):04X} in the output"


@pytest.mark.parametrize("tag", LOCALES)
def test_html_escapes_everything(brief, renderer, tag):
    localised = localise(brief, tag, machine=None if tag == "en" else machine_for(brief, tag))
    alternates = [Alternate(tag=t, name=t, href=f"../{t}/hostile.html", current=t == tag) for t in LOCALES]
    html = renderer.render(localised, format="html", alternates=alternates)
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert expected_html(SCRIPT) in html
    assert expected_html(BOLD) in html
    for literal in (JINJA_EXPR, JINJA_STMT, JINJA_MORE):
        assert expected_html(literal) in html
    assert "49" not in html.replace("120,000", "")  # {{ 7*7 }} was never evaluated
    assert_no_raw_controls(html)
    assert "&lt;U+202E&gt;120&lt;U+202C&gt;" in html
    assert "&lt;U+2067&gt;" in html and "&lt;U+FEFF&gt;" in html and "&lt;U+001B&gt;" in html
    assert KEPT_MARKS in html  # ZWSP, ZWNJ, ZWJ, LRM, RLM kept
    assert 'href="https://example.org/?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"' in html
    assert f'<html lang="{get_locale(tag).tag}" dir="{get_locale(tag).direction}">' in html


@pytest.mark.parametrize("tag", LOCALES)
def test_text_is_literal_and_controls_are_visible(brief, renderer, tag):
    localised = localise(brief, tag, machine=None if tag == "en" else machine_for(brief, tag))
    text = renderer.render(localised, format="text")
    flat = " ".join(text.split())
    assert SCRIPT in flat and "<b>bold</b> & <i>italic</i> &amp; &lt;" in flat
    for literal in (JINJA_EXPR, JINJA_STMT):
        assert literal in flat
    assert_no_raw_controls(text)
    assert "<U+202E>120<U+202C>" in flat and "<U+001B>[31mred" in flat and "<U+000D>" in flat
    assert KEPT_MARKS in text
    for line in text.splitlines():
        assert not line.endswith("\r")


def test_machine_segments_are_marked_and_escaped(brief, renderer):
    localised = localise(brief, "hy", machine=machine_for(brief, "hy"))
    assert localised.headline.provenance is Provenance.MACHINE
    html = renderer.render(localised, format="html")
    assert 'data-provenance="machine"' in html and expected_html("[hy] Headline " + SCRIPT) in html


def test_content_is_never_compiled(brief, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # no templates compiled by an earlier run: all compiled here
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def spy(self, source, *args, **kwargs):  # noqa: ANN001, ANN202
        compiled.append(source if isinstance(source, str) else "")
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    renderer = Renderer()
    for tag in ("en", "ar"):
        for fmt in ("html", "text"):
            renderer.render(localise(brief, tag), format=fmt)
    renderer.render_index([{"headline": brief.headline, "lang": "en", "dir": "ltr", "versions": []}])
    assert compiled, "templates should have been compiled"
    for source in compiled:
        assert "7*7" not in source and "alert(1)" not in source


def test_index_escapes_headlines(brief, renderer):
    html = renderer.render_index([{"headline": brief.headline, "lang": "en", "dir": "ltr", "versions": []}])
    assert "<script>" not in html and expected_html(brief.headline) in html
    assert_no_raw_controls(html)


def test_neutralise_controls_policy():
    assert neutralise_controls("plain text, עברית, فارسی\u200c") == "plain text, עברית, فارسی\u200c"
    assert neutralise_controls("a\u202eb") == "a<U+202E>b"
    assert neutralise_controls(neutralise_controls("a\u202eb\ufeff")) == "a<U+202E>b<U+FEFF>"
    assert neutralise_controls("tab\tand\nnewline") == "tab\tand\nnewline"
    for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\x00\x1b\x7f\x9f\ufdd0\U0010ffff":
        assert ch not in neutralise_controls(f"x{ch}y")
    for ch in KEPT_MARKS + "\u061c":
        assert neutralise_controls(f"x{ch}y") == f"x{ch}y"


# -- links ---------------------------------------------------------------------------------


def brief_with_url(url: str) -> str:
    data = hostile_data()
    data["sources"] = [{"name": "AFP", "url": url}]
    data["sections"][0]["items"][0]["source"] = "AFP"
    data["figures"][0]["source"] = "AFP"
    return json.dumps(data)


@pytest.mark.parametrize("url", [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\nscript:alert(1)",
    " https://example.org/",
    "https://example.org/ ",
    "https://exa mple.org/",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/",
    "/relative/path",
    "ftp://example.org/",
    "",
])
def test_unsafe_links_are_refused(url):
    with pytest.raises(BriefError) as info:
        read_brief(brief_with_url(url), format="json", filename="links.json")
    assert info.value.field == "sources[0].url"
    assert "links.json" in str(info.value)


@pytest.mark.parametrize("url", [
    "https://example.org/",
    "http://example.org/a?b=1&c=2",
    "HTTPS://EXAMPLE.ORG/",
    "mailto:press@example.org",
])
def test_safe_links_are_accepted_and_escaped(url, renderer):
    brief = read_brief(brief_with_url(url), format="json")
    html = renderer.render(localise(brief, "en"), format="html")
    assert f'href="{escape(url)}"' in html


@pytest.mark.parametrize(("url", "href"), [
    ('https://example.org/?q="><script>', "https://example.org/?q=%22%3E%3Cscript%3E"),
    ("https://example.org/a%20b?x=1&y=2#top", "https://example.org/a%20b?x=1&amp;y=2#top"),
    ("https://пример.рф/путь", "https://пример.рф/путь"),
    ("https://example.org/\u202e/\x1b[31m/{x}|^`", "https://example.org/%E2%80%AE/%1B[31m/%7Bx%7D%7C%5E%60"),
])
def test_links_are_made_valid_urls(url, href, renderer):
    brief = read_brief(brief_with_url(url), format="json")
    assert f'href="{href}"' in renderer.render(localise(brief, "en"), format="html")
