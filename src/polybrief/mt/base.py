"""The engine interface every translator implements, real or test double."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ["MachineTranslation", "TranslationEngine"]


@dataclass(frozen=True, slots=True)
class MachineTranslation:
    """One translated segment.

    ``score`` is the mean per-token log-probability of the hypothesis (higher
    is better, 0.0 when the engine has none); ``models`` names every model that
    produced it, two of them when the text was pivoted through English.
    ``problem`` is set when the engine itself knows the output must not be
    published as it is (a protected span that did not come back, say); callers
    then fall back per their policy and keep the reason.
    """

    text: str
    score: float
    engine: str
    models: tuple[str, ...]
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def model(self) -> str:
        """The model names joined for display, e.g. ``ru→en 1.9 + en→az 1.5``."""
        return " + ".join(self.models)


@runtime_checkable
class TranslationEngine(Protocol):
    """Translates paragraph-level segments from one language to another.

    ``translate`` receives every segment a run needs for one language pair at
    once (across fields and across briefs), so an implementation can split,
    deduplicate and batch as it likes; it must return one result per input
    segment, in order, keeping the segment's paragraph breaks.
    """

    name: str

    def translate(self, segments: Sequence[str], *, source: str, target: str) -> list[MachineTranslation]:
        ...

    def supports(self, source: str, target: str) -> bool:
        """Whether this engine can translate ``source`` → ``target`` (directly or by pivot)."""
        ...
