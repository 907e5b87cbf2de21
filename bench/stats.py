"""Repeated measurements and the ratios between them.

A :class:`Sample` is the list of values one figure took over its repetitions;
it is reported as median, min and max.  Ratios are computed *per repetition*
between runs made in the same repetition of the same process (baseline and
candidate interleaved), then summarised the same way, so that a slow moment
of the machine moves both sides of one ratio rather than one side of it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = ["Sample", "ratio", "rotate", "timed"]


@dataclass(slots=True)
class Sample:
    """Values of one figure across repetitions (seconds unless ``unit`` says otherwise)."""

    values: list[float] = field(default_factory=list)
    unit: str = "s"

    def add(self, value: float) -> None:
        self.values.append(float(value))

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    @property
    def min(self) -> float:
        return min(self.values) if self.values else float("nan")

    @property
    def max(self) -> float:
        return max(self.values) if self.values else float("nan")

    def scaled(self, factor: float, unit: str | None = None) -> Sample:
        return Sample([v * factor for v in self.values], unit or self.unit)

    def to_dict(self) -> dict[str, object]:
        return {"median": self.median, "min": self.min, "max": self.max, "n": len(self.values),
                "unit": self.unit, "values": list(self.values)}


def ratio(numerator: Sample, denominator: Sample, *, unit: str = "×") -> Sample:
    """Per-repetition ratios ``numerator[i] / denominator[i]`` (paired runs)."""
    if len(numerator.values) != len(denominator.values):
        raise ValueError("a ratio needs the same number of repetitions on both sides")
    return Sample([n / d if d else float("inf") for n, d in zip(numerator.values, denominator.values)], unit)


@contextmanager
def timed(sample: Sample) -> Iterator[None]:
    """Add the wall-clock time of the ``with`` block to ``sample``."""
    start = time.perf_counter()
    try:
        yield
    finally:
        sample.add(time.perf_counter() - start)


def rotate(items: Sequence[str], rep: int) -> list[str]:
    """``items`` rotated by ``rep``: which side runs first changes every repetition."""
    k = rep % len(items) if items else 0
    return list(items[k:]) + list(items[:k])
