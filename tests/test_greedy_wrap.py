"""``greedy_wrap`` (the text format's line wrapper) gives exactly ``textwrap.wrap``'s lines.

It replaced the stdlib in :func:`polybrief.rendering.wrap_text` for speed, so a
text page must not change by one byte: it is compared with ``textwrap.wrap(...,
break_on_hyphens=False)`` and the same indents on every text polybrief ships
(the example briefs, every message of every PO file under ``locales/``,
``examples/`` and the test fixtures, the seed article beside the repository
when it is there) at widths down to one cell, and on random text with every
kind of whitespace, long words and indents as wide as the line.

The stdlib never returns for some indents wider than the line (it puts an
empty chunk on the line again and again), so it runs under a timer there,
and so does ``greedy_wrap``, which must always finish.
"""

from __future__ import annotations

import signal
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import polib
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from polybrief.rendering.text import greedy_wrap

REPO = Path(__file__).resolve().parent.parent
WIDTHS = (1, 2, 3, 4, 7, 12, 20, 33, 72)
INDENTS = (("", ""), ("* ", "  "), ("  ", "  "), ("\u2020   ", "    "), ("", "    "), ("- ", ""))
T = TypeVar("T")


class _Late(Exception):
    pass


def _late(*_: Any) -> None:
    raise _Late


def within(seconds: float, call: Callable[[], T]) -> T | None:
    """``call()``, or None when it runs longer than ``seconds`` (the stdlib's endless loop).

    The alarm can fire just as ``call()`` returns, before it is disarmed (a loaded machine makes that
    likely): it is caught there too, and the result kept when there is one."""
    done, result = False, None
    previous = signal.signal(signal.SIGALRM, _late)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds)
            result, done = call(), True
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Late:
        pass
    finally:
        signal.signal(signal.SIGALRM, previous)
    return result if done else None


def stdlib(text: str, width: int, first: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=indent, break_on_hyphens=False)


def assert_same(text: str, width: int, first: str = "", indent: str = "") -> None:
    ours = within(5, lambda: greedy_wrap(text, width, first, indent))
    assert ours is not None, f"greedy_wrap did not finish: {text!r} at {width} ({first!r}, {indent!r})"
    if width > max(len(first), len(indent)):
        theirs: list[str] | None = stdlib(text, width, first, indent)
    else:
        # Short texts: the stdlib takes microseconds when it finishes at all.
        theirs = within(0.05, lambda: stdlib(text, width, first, indent))
        if theirs is None:  # the stdlib loops: ours gave lines, each starting with its indent
            assert all(line.startswith(first if n == 0 else indent) for n, line in enumerate(ours))
            return
    assert ours == theirs, f"{text!r} at width {width}, indents {first!r} {indent!r}"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def shipped_texts() -> list[str]:
    """Every text polybrief ships or tests with, once each."""
    texts: set[str] = set()
    for path in sorted((REPO / "examples").glob("*.yaml")):
        texts.update(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    for folder in (REPO / "locales", REPO / "examples", REPO / "tests" / "fixtures"):
        for path in sorted(folder.rglob("*.po")):
            try:
                catalog = polib.pofile(str(path))
            except (OSError, ValueError):  # a fixture that is broken on purpose
                continue
            for entry in catalog:
                texts.update([entry.msgid, entry.msgid_plural, entry.msgstr, *entry.msgstr_plural.values()])
    for seed in (REPO.parent / "shared" / "seed", REPO.parent.parent / "shared" / "seed"):
        for path in sorted(seed.glob("*.txt")) if seed.is_dir() else ():
            body = path.read_text(encoding="utf-8")
            texts.update([body, *body.splitlines()])
    texts.discard("")
    return sorted(texts)


def test_the_shipped_texts_are_many() -> None:
    """The comparison below is only as good as what it reads: catalogs of several languages."""
    texts = shipped_texts()
    assert len(texts) > 1000
    assert any("\u0531" <= ch <= "\u058f" for text in texts for ch in text)  # Armenian
    assert any("\u0400" <= ch <= "\u04ff" for text in texts for ch in text)  # Cyrillic


@pytest.mark.parametrize(("first", "indent"), INDENTS)
def test_every_shipped_text_wraps_as_textwrap_does(first: str, indent: str) -> None:
    for text in shipped_texts():
        for width in WIDTHS:
            assert_same(text, width, first, indent)


def test_the_awkward_cases_of_textwrap() -> None:
    # A line that ends in a space because the next word fills no line (the stdlib keeps it).
    assert greedy_wrap("abcde fghijklmnop", 6) == stdlib("abcde fghijklmnop", 6, "", "") == \
        ["abcde ", "fghijk", "lmnop"]
    # Only one blank chunk is dropped at each end of a line: U+00A0 is a word to the splitter, blank to strip().
    for text in ("x \u00a0 y " * 6, "a\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0 b", "   lead", " \t\n\x0b\x0c\r x",
                 "a" * 50, " " * 30 + "b", "\u3000" * 9 + " x", "word\u00a0" + "\u00a0" * 20):
        for width in range(1, 12):
            for first, indent in INDENTS:
                assert_same(text, width, first, indent)


WHITESPACE = list(" \t\n\x0b\x0c\r\u00a0\u3000\u2009\u202f\x1c\x85\u2028")
PIECES = st.one_of(
    st.sampled_from(WHITESPACE),
    st.text(st.sampled_from(WHITESPACE), min_size=2, max_size=12),
    st.text("abcdefgh-", min_size=1, max_size=6),
    st.text("xy", min_size=15, max_size=90),  # a word longer than the line
    st.characters(codec="utf-8"),
)
TEXT = st.lists(PIECES, max_size=30).map("".join)
INDENT = st.text(st.sampled_from(list("  *-\u2020x\u00a0\t")), max_size=8)


@pytest.mark.slow  # many random texts: the shipped texts are the fast tier's
@settings(max_examples=600, deadline=None)
@given(TEXT, st.integers(1, 30), INDENT, INDENT)
@example("abcde fghijklmnop", 6, "", "")
@example(" a", 2, "    ", "")  # the stdlib's endless loop
@example("\u00a0x y", 1, "  ", " ")
def test_random_text_wraps_as_textwrap_does(text: str, width: int, first: str, indent: str) -> None:
    assert_same(text, width, first, indent)


@settings(max_examples=200, deadline=None)
@given(TEXT, st.integers(1, 12), st.integers(0, 16), st.integers(0, 16))
def test_indents_as_wide_as_the_line_finish(text: str, width: int, first: int, indent: int) -> None:
    assert_same(text, width, " " * first, "*" * indent)


def test_a_width_below_one_is_refused_as_textwrap_refuses_it() -> None:
    with pytest.raises(ValueError):
        greedy_wrap("text", 0)


@pytest.mark.slow  # many random texts: the shipped texts are the fast tier's
@settings(max_examples=400, deadline=None)
@given(TEXT, st.integers(1, 40), st.integers(1, 12))
@example("x" * 20 + " " + "y" * 5 + "\u00a0" + "z" * 30, 10, 4)
def test_long_runs_are_cut_as_the_plain_pattern_cuts_them(text: str, longest: int, piece: int) -> None:
    """The look-behind that makes the long-run pattern fast changes no cut: every maximal run of more
    than ``longest`` non-space characters, and only those, is cut into ``piece``-character parts."""
    import re

    from polybrief.rendering.text import _cut_long_words

    plain = re.sub(r"\S{%d,}" % (longest + 1),
                   lambda m: " ".join(m.group()[i:i + piece] for i in range(0, len(m.group()), piece)), text)
    assert _cut_long_words(text, longest, piece) == plain


def _one_cell_characters() -> list[str]:
    from polybrief.rendering.text import _ONE_CELL_NNBSP

    return [chr(c) for c in range(0x3000) if chr(c) != "\n" and _ONE_CELL_NNBSP.match(chr(c))]


def test_every_character_of_one_line_text_is_one_cell_for_wcwidth() -> None:
    """What lets ``wrap_text`` measure a line of text with narrow no-break spaces by ``len``."""
    import wcwidth

    characters = _one_cell_characters()
    assert "\u202f" in characters and "\u00a0" in characters and len(characters) > 1400
    assert [c for c in characters if wcwidth.wcswidth(c) != 1] == []


NNBSP_TEXT = st.lists(st.one_of(st.sampled_from(["\u202f", " ", "\n", "\u00a0", "  "]),
                                st.text(st.sampled_from(_one_cell_characters()), min_size=1, max_size=12)),
                      min_size=1, max_size=14).map("".join).filter(lambda t: "\u202f" in t)


@pytest.mark.slow  # many random texts: the shipped texts are the fast tier's
@settings(max_examples=500, deadline=None)
@given(NNBSP_TEXT, st.integers(1, 80), INDENT.filter(lambda s: "\t" not in s), INDENT.filter(lambda s: "\t" not in s))
@example("Published: January 2, 2023, 4:28\u202fPM GMT+05:30", 72, "", "")
@example("Jan 2, 2023, 4:28\u202fPM GMT+5:30", 72, "  ", "  ")
@example("4:28\u202fPM\u00a0", 72, "", "")
@example(" 4:28\u202fPM", 72, "", "")
@example("a\u202fb", 3, "", "")
@example("ab\u202fcd", 4, "", "")  # one cell too long for the line
@example("ab\u202fcd", 7, "   ", " ")
@example("ab\u202fcd", 8, "   ", " ")
def test_text_with_narrow_no_break_spaces_wraps_as_wcwidth_does(text: str, width: int, first: str,
                                                                indent: str) -> None:
    """Text that is one cell a character but for U+202F went to wcwidth, whose Unicode line breaking is
    not textwrap's; a line that fits is now written without it, and must be exactly what it gives."""
    import wcwidth

    from polybrief.rendering.text import wrap_text

    expected = wcwidth.wrap(text, width, initial_indent=first, subsequent_indent=indent, break_on_hyphens=False,
                            control_codes="ignore")
    assert wrap_text(text, width, indent, first) == "\n".join(expected)
