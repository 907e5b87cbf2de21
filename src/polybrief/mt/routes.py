"""Which installed models translate which language pair, directly or through a pivot.

Kept apart from :mod:`polybrief.mt.store` because choosing a route is pure
logic over a list of :class:`~polybrief.mt.store.InstalledModel` — no files
are read — so the engine, ``polybrief models list`` and the tests can ask
"how would ``ru → az`` be translated?" about any set of models, installed or
made up.  Languages are compared by primary subtag (``ru-RU`` is ``ru``), and
when a pair has several models the most recently installed one is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ..cldr import primary_subtag
from .store import InstalledModel

__all__ = ["Route", "find_route", "list_routes"]


@dataclass(frozen=True, slots=True)
class Route:
    """How to get from ``source`` to ``target``: one model, or two through a pivot."""

    source: str
    target: str
    models: tuple[InstalledModel, ...]

    @property
    def kind(self) -> Literal["direct", "pivot"]:
        return "direct" if len(self.models) == 1 else "pivot"

    @property
    def via(self) -> str | None:
        return self.models[0].to_code if len(self.models) > 1 else None

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(m.label for m in self.models)


def _first_by_pair(models: Iterable[InstalledModel]) -> dict[tuple[str, str], InstalledModel]:
    """The model each pair uses: the most recently installed, then by name."""
    chosen: dict[tuple[str, str], InstalledModel] = {}
    for model in sorted(models, key=lambda m: (m.pair, -m.installed_at, m.name)):
        chosen.setdefault(model.pair, model)
    return chosen


def find_route(models: Sequence[InstalledModel], source: str, target: str, *, pivot: str = "en") -> Route | None:
    """The direct model for ``source → target``, else two models through ``pivot``, else None."""
    by_pair = _first_by_pair(models)
    src, tgt, via = primary_subtag(source), primary_subtag(target), primary_subtag(pivot)
    if (src, tgt) in by_pair:
        return Route(source, target, (by_pair[(src, tgt)],))
    if src != via and tgt != via and (src, via) in by_pair and (via, tgt) in by_pair:
        return Route(source, target, (by_pair[(src, via)], by_pair[(via, tgt)]))
    return None


def list_routes(models: Sequence[InstalledModel], *, pivot: str = "en") -> list[Route]:
    """Every pair the models can translate: direct pairs first, then pairs through ``pivot``."""
    by_pair = _first_by_pair(models)
    via = primary_subtag(pivot)
    routes = [Route(m.from_code, m.to_code, (m,)) for m in by_pair.values()]
    into_pivot = [first for (_, mid), first in by_pair.items() if mid == via]
    out_of_pivot = [second for (mid, _), second in by_pair.items() if mid == via]
    for first in into_pivot:
        for second in out_of_pivot:
            src, tgt = first.pair[0], second.pair[1]
            if tgt != src and (src, tgt) not in by_pair:
                routes.append(Route(first.from_code, second.to_code, (first, second)))
    routes.sort(key=lambda r: (r.kind != "direct", primary_subtag(r.source), primary_subtag(r.target)))
    return routes
