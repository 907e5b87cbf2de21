"""Split segments into sentences, deduplicate them, and put translations back.

Every engine translates *sentences*, never whole segments: NMT models are
trained on sentences, degrade badly on long inputs, and the same sentence
("Schools are closed.") recurs across fields and briefs, so translating each
distinct sentence once is both better and cheaper.  What an engine must never
do is lose the layout around those sentences, so a :class:`SegmentPlan` keeps
every character that is not translated (the whitespace between sentences,
paragraph breaks, leading and trailing blanks) verbatim and puts the
translations back between them.

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

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

log = logging.getLogger(__name__)

__all__ = [
    "RunStats",
    "SegmentPlan",
    "SentenceTable",
    "needs_translation",
    "plan_segment",
    "plan_segments",
    "split_sentences",
]

#: A run of whitespace containing at least one newline: a line or paragraph
#: break.  Lines are never merged into one model input, because a bullet list
#: or an address must keep its lines.
_LINE_BREAK = re.compile(r"(\s*\n\s*)")
_EDGES = re.compile(r"^(\s*)(.*?)(\s*)$", re.DOTALL)


#: White space that takes more than one byte in UTF-8 (NBSP, narrow NBSP, thin space, ...).
_WIDE_SPACE = re.compile(r"[^\S\x00-\x7f]")


def _segmenter_language(lang: str) -> str:
    """``hy-AM`` / ``az_Latn`` → ``hy`` / ``az``: sentencex keys rules by primary subtag."""
    return re.split(r"[-_]", lang.strip(), maxsplit=1)[0].lower() or "en"


def split_sentences(text: str, *, lang: str) -> list[str]:
    """Split one line of text into sentences, whitespace kept (``"".join`` gives ``text``)."""
    if not text.strip():
        return [text] if text else []
    import sentencex  # imported here: polybrief.mt must stay cheap to import

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


def _merge_layout(parts: list[tuple[bool, str]]) -> list[tuple[bool, str]]:
    """Join neighbouring layout parts so a plan is as short as it can be."""
    merged: list[tuple[bool, str]] = []
    for is_sentence, text in parts:
        if merged and not is_sentence and not merged[-1][0]:
            merged[-1] = (False, merged[-1][1] + text)
        else:
            merged.append((is_sentence, text))
    return merged


@dataclass(slots=True)
class SentenceTable:
    """Distinct sentences across many segments, in first-seen order.

    ``index[sentence]`` is the position of a sentence in ``unique``; engines
    translate ``unique`` once and look every occurrence up through ``index``.
    """

    unique: list[str]
    index: dict[str, int]
    total: int

    @classmethod
    def from_plans(cls, plans: Sequence[SegmentPlan]) -> SentenceTable:
        unique: list[str] = []
        index: dict[str, int] = {}
        total = 0
        for plan in plans:
            for sentence in plan.sentences:
                total += 1
                if sentence not in index:
                    index[sentence] = len(unique)
                    unique.append(sentence)
        return cls(unique=unique, index=index, total=total)


def plan_segments(segments: Sequence[str], *, lang: str) -> tuple[list[SegmentPlan], SentenceTable]:
    """Plan every segment and collect their distinct sentences."""
    plans = [plan_segment(text, lang=lang) for text in segments]
    return plans, SentenceTable.from_plans(plans)


@dataclass(frozen=True, slots=True)
class RunStats:
    """What one ``translate()`` call did, for benchmarks and tests.

    ``sentences`` counts sentence occurrences that needed a model,
    ``unique_sentences`` the distinct ones that reached it (first pass), and
    ``model_inputs`` every input given to a model across passes (a pivot
    run counts its second pass too).  ``calls`` is the number of model
    passes (one per model of the route); ``batches`` is how many batches
    those passes were cut into by the token-based rule
    (:func:`polybrief.mt.argos.plan_batches`, one ``translate_batch`` call
    each; test doubles report one per pass).
    """

    segments: int
    sentences: int
    unique_sentences: int
    model_inputs: int = 0
    calls: int = 0
    batches: int = 0
    source_tokens: int = 0
    seconds: float = 0.0
    models: tuple[str, ...] = ()
