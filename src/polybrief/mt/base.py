"""The engine interface every translator implements, real or test double.

What an engine returns, :class:`~polybrief.provenance.MachineTranslation`, lives with the other
kinds of provenance (a layer below, so localising and the catalogs can read it without importing
:mod:`polybrief.mt`); it is re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from ..provenance import MachineTranslation

__all__ = ["MachineTranslation", "TranslationEngine"]


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
