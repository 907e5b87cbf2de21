"""Deduplicate the sentences of many segments for a model, and count what a run did.

Every engine translates *sentences*, never whole segments: NMT models are
trained on sentences, degrade badly on long inputs, and the same sentence
("Schools are closed.") recurs across fields and briefs, so translating each
distinct sentence once is both better and cheaper.  Segments are cut into
sentences by :func:`polybrief.text.sentences.plan_segment` (sentencex; why
sentencex is in that module's docstring), the splitting the quality checks
use too; here the plans of a batch are collected into one
:class:`SentenceTable` of distinct sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..text.sentences import SegmentPlan, plan_segment

__all__ = [
    "RunStats",
    "SentenceTable",
    "plan_segments",
]


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
