"""Deterministic engines for tests — ours and those of people building on polybrief.

They implement :class:`~polybrief.mt.base.TranslationEngine` and go through
the same sentence splitting, deduplication and reassembly as the real
engine, so a test that passes with them exercises everything but the model.
Both record ``last_run_stats`` and every call in ``calls``.

:class:`TaggingEngine` marks each sentence with the target language
(``[ru] The rain stopped.``): numbers, placeholders and underscores pass
through untouched, so it is the double for round-trip tests.
:class:`DictionaryEngine` looks whole sentences up in a table and reports
sentences it does not know as a ``problem`` instead of guessing.

``transform`` lets a test imitate a decoder's habits (``lambda s:
s.replace("{1}", "{ 1 }")``) or failures (dropping a placeholder).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from .base import MachineTranslation
from .segment import RunStats, SentenceTable, plan_segments

__all__ = ["DictionaryEngine", "TaggingEngine"]

Transform = Callable[[str], str]


class _SentenceEngine:
    """Shared plumbing: plan, dedupe, translate each distinct sentence once, reassemble."""

    name = "double"

    def __init__(self, *, transform: Transform | None = None) -> None:
        self.transform = transform
        self.calls: list[tuple[str, str, tuple[str, ...]]] = []
        self.last_run_stats: RunStats | None = None

    def supports(self, source: str, target: str) -> bool:
        return source != target

    def _sentence(self, sentence: str, *, source: str, target: str) -> str | None:
        raise NotImplementedError

    def _models(self, source: str, target: str) -> tuple[str, ...]:
        return (f"{source}→{target} {self.name}",)

    def translate(self, segments: Sequence[str], *, source: str, target: str) -> list[MachineTranslation]:
        plans, table = plan_segments(segments, lang=source)
        self.calls.append((source, target, tuple(table.unique)))
        translated: list[str | None] = [self._sentence(s, source=source, target=target) for s in table.unique]
        if self.transform is not None:
            translated = [None if t is None else self.transform(t) for t in translated]
        models = self._models(source, target)
        results = []
        for plan in plans:
            ids = [table.index[s] for s in plan.sentences]
            unknown = [table.unique[i] for i in ids if translated[i] is None]
            texts = [translated[i] or table.unique[i] for i in ids]
            results.append(MachineTranslation(
                text=plan.join(texts), score=0.0, engine=self.name, models=models,
                problem=(f"{self.name} has no translation for {len(unknown)} sentence(s), "
                         f"e.g. {unknown[0]!r}") if unknown else None,
            ))
        self.last_run_stats = _stats(segments, table, models)
        return results


def _stats(segments: Sequence[str], table: SentenceTable, models: tuple[str, ...]) -> RunStats:
    return RunStats(
        segments=len(segments), sentences=table.total, unique_sentences=len(table.unique),
        model_inputs=len(table.unique), calls=1 if table.unique else 0, batches=1 if table.unique else 0,
        models=models,
    )


class TaggingEngine(_SentenceEngine):
    """``[ru] <sentence>`` for every sentence: everything but the tag survives verbatim."""

    name = "tagging"

    def __init__(self, *, pairs: Sequence[tuple[str, str]] | None = None, transform: Transform | None = None) -> None:
        super().__init__(transform=transform)
        self.pairs = None if pairs is None else frozenset(pairs)

    def supports(self, source: str, target: str) -> bool:
        return source != target and (self.pairs is None or (source, target) in self.pairs)

    def _sentence(self, sentence: str, *, source: str, target: str) -> str | None:
        return f"[{target}] {sentence}"


class DictionaryEngine(_SentenceEngine):
    """Translate sentences by exact lookup in ``table[(source, target)][sentence]``."""

    name = "dictionary"

    def __init__(
        self,
        table: Mapping[tuple[str, str], Mapping[str, str]],
        *,
        transform: Transform | None = None,
    ) -> None:
        super().__init__(transform=transform)
        self.table = {pair: dict(entries) for pair, entries in table.items()}

    def supports(self, source: str, target: str) -> bool:
        return (source, target) in self.table

    def _sentence(self, sentence: str, *, source: str, target: str) -> str | None:
        return self.table.get((source, target), {}).get(sentence)
