"""Split a segment into sentences, keeping its layout, so translations can be put back.

Machine translation translates *sentences*, never whole segments (see
:mod:`polybrief.mt.segment`), and the sentence-level quality checks compare a
translation with its source sentence by sentence (:mod:`polybrief.qa.sentences`).
Both cut a text here, so a segment is split the same way for a model and for
its checks.  What splitting must never do is lose the layout around the
sentences, so a :class:`SegmentPlan` keeps every character that is not a
sentence (the whitespace between sentences, paragraph breaks, leading and
trailing blanks) verbatim and puts the translations back between them.

Why sentencex and not pysbd
---------------------------
Both need no download.  Measured here on a set of tricky en/ru/hy/az cases
(abbreviations such as ``Dr.``/``i.e.``/``г.``, decimals, URLs, e-mail
addresses, the Armenian full stop ``։``), repeated 40 times (105 k
characters):

==========  ============  ========  ===========================
segmenter   correct       lossless  time
==========  ============  ========  ===========================
sentencex   13/14         14/14     0.002 s
pysbd       12/14         14/14     1.4 s (≈700× slower)
==========  ============  ========  ===========================

pysbd also split inside a URL (``…a.b?`` | ``x=1``) and has no Azerbaijani
rules, while sentencex falls back through related languages for any code.
Both missed the Russian ``Т. е.`` abbreviation.  sentencex keeps the
whitespace after each sentence, so joining its output gives the input back;
we check that anyway and treat the whole line as one sentence if it ever
does not.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

log = logging.getLogger(__name__)

__all__ = [
    "SegmentPlan",
    "needs_translation",
    "plan_segment",
    "sentence_cores",
    "split_sentences",
]

#: A run of whitespace containing at least one newline: a line or paragraph
#: break.  Lines are never merged into one model input, because a bullet list
#: or an address must keep its lines.
_LINE_BREAK = re.compile(r"(\s*\n\s*)")
_EDGES = re.compile(r"^(\s*)(.*?)(\s*)$", re.DOTALL)


#: White space that takes more than one byte in UTF-8 (NBSP, narrow NBSP, thin space, ...).
_WIDE_SPACE = re.compile(r"[^\S\x00-\x7f]")


@functools.lru_cache(maxsize=64)  # a pure function of a tag, asked for every segment split
def _segmenter_language(lang: str) -> str:
    """``hy-AM`` / ``az_Latn`` → ``hy`` / ``az``: sentencex keys rules by primary subtag."""
    return re.split(r"[-_]", lang.strip(), maxsplit=1)[0].lower() or "en"


def split_sentences(text: str, *, lang: str) -> list[str]:
    """Split one line of text into sentences, whitespace kept (``"".join`` gives ``text``)."""
    if not text.strip():
        return [text] if text else []
    import sentencex  # imported here: polybrief.text (and mt, qa) must stay cheap to import

    # sentencex 1.0.x slices bytes around a period and panics on a multi-byte space before one
    # ("Y\u00a0." or "W\u202f."; NBSPs are common in Russian and French text).  Spaces are
    # segmented as ASCII spaces, one character for one, and the pieces cut from the original.
    ascii_spaces = _WIDE_SPACE.sub(" ", text)
    try:
        pieces = [str(p) for p in sentencex.segment(_segmenter_language(lang), ascii_spaces)]
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        log.debug("sentencex failed on a %d-character segment (%s); kept as one sentence", len(text), exc)
        return [text]
    if "".join(pieces) != ascii_spaces:
        # Never lose characters because a segmenter normalised something.
        return [text]
    out, start = [], 0
    for piece in pieces:
        if piece:
            out.append(text[start:start + len(piece)])
            start += len(piece)
    return out


def needs_translation(sentence: str) -> bool:
    """Whether a sentence has anything for a model to translate.

    A bare number, a bullet or a dash is passed through unchanged: a model
    cannot improve it and randomly rewrites it often enough to matter.
    """
    return any(ch.isalpha() for ch in sentence)


@dataclass(frozen=True, slots=True)
class SegmentPlan:
    """A segment cut into literal layout and sentences to translate.

    ``parts`` alternates freely between layout (``is_sentence`` false: kept
    verbatim) and sentences (replaced by their translation on :meth:`join`).
    """

    source: str
    parts: tuple[tuple[bool, str], ...]

    @property
    def sentences(self) -> tuple[str, ...]:
        return tuple(text for is_sentence, text in self.parts if is_sentence)

    def join(self, translations: Sequence[str]) -> str:
        """Rebuild the segment with ``translations`` in place of its sentences, in order."""
        if len(translations) != len(self.sentences):
            raise ValueError(f"expected {len(self.sentences)} translations, got {len(translations)}")
        out: list[str] = []
        it = iter(translations)
        for is_sentence, text in self.parts:
            out.append(next(it).strip() if is_sentence else text)
        return "".join(out)


def plan_segment(text: str, *, lang: str) -> SegmentPlan:
    """Cut ``text`` into lines and sentences, keeping all whitespace as layout."""
    parts: list[tuple[bool, str]] = []
    for index, chunk in enumerate(_LINE_BREAK.split(text)):
        if index % 2 == 1 or not chunk.strip():
            if chunk:
                parts.append((False, chunk))
            continue
        for sentence in split_sentences(chunk, lang=lang):
            match = _EDGES.match(sentence)
            assert match is not None  # the pattern matches any string
            lead, core, trail = match.groups()
            if lead:
                parts.append((False, lead))
            if core:
                parts.append((needs_translation(core), core))
            if trail:
                parts.append((False, trail))
    return SegmentPlan(source=text, parts=tuple(_merge_layout(parts)))


def sentence_cores(text: str, *, lang: str) -> list[str]:
    """The sentences :func:`plan_segment` cuts ``text`` into, without their edges' white space, in order.

    What the quality checks compare, without building the plan (which took
    two thirds of the time of splitting).  Where every core has a letter,
    the plan's parts are exactly these cores and white space; a core without
    one (``1.``) is layout in a plan, merged with its neighbours, so a caller
    that needs the parts then must ask :func:`plan_segment`.
    """
    out: list[str] = []
    for index, chunk in enumerate(_LINE_BREAK.split(text) if "\n" in text else (text,)):
        if index % 2 == 1 or not chunk.strip():
            continue
        for sentence in split_sentences(chunk, lang=lang):
            core = sentence.strip()  # what _EDGES leaves between the white space at both ends
            if core:
                out.append(core)
    return out


def _merge_layout(parts: list[tuple[bool, str]]) -> list[tuple[bool, str]]:
    """Join neighbouring layout parts so a plan is as short as it can be."""
    merged: list[tuple[bool, str]] = []
    for is_sentence, text in parts:
        if merged and not is_sentence and not merged[-1][0]:
            merged[-1] = (False, merged[-1][1] + text)
        else:
            merged.append((is_sentence, text))
    return merged
