"""What machine translation did in one run, per locale — and the rule that makes a useless run loud.

Before this module, ``publish --mt`` with every machine output rejected (no
model for the pair, or output in the wrong script) printed ``ka (source 26)``
and exited 0: the reasons were only in ``-vv`` debug logs.  Now the results
of a run are summarised per target locale — segments sent, accepted, and the
rejections grouped by reason — for the command line to print, and
:func:`require_accepted` refuses a run in which machine translation was asked
for a locale and nothing came back usable, unless the policy allows it
(``--allow-mt-failure``).

Reasons are grouped by their kind, not their full text: the full text of a
rejection quotes brief content (``placeholder for '120,000' did not come
back``), so quoted spans are folded to ``…`` and the per-check detail after
``failed quality checks (script):`` is dropped.  Only the grouped kinds go
into the error message; brief content never reaches a log above DEBUG.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import TranslationEngineError

if TYPE_CHECKING:
    from .base import MachineTranslation

__all__ = ["MachineSummary", "summarise", "reason_kind", "require_accepted"]

_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def reason_kind(problem: str) -> str:
    """The kind of a rejection, for grouping: ``failed quality checks (script)``,
    ``placeholder for … did not come back``, ``no machine translation model for en→ka``."""
    problem = problem.strip()
    if problem.startswith("failed quality checks (") and "):" in problem:
        return problem.split("):", 1)[0] + ")"  # the findings after it quote the segment
    kinds = []
    for part in problem.split("; "):
        part = _QUOTED.sub("…", part.strip())
        part = re.sub(r"\s*\(see [^)]*\)$", "", part)  # "(see `polybrief models list`)": a hint, not a kind
        part = re.sub(r", e\.g\. …$", "", part)
        if part and part not in kinds:
            kinds.append(part)
    return "; ".join(kinds) or "rejected"


@dataclass(frozen=True)
class MachineSummary:
    """Machine translation of one target locale in one run (every brief together)."""

    locale: str
    sent: int = 0
    accepted: int = 0
    rejected: Mapping[str, int] = field(default_factory=dict)
    """Rejected segments by :func:`reason_kind`, most frequent first."""

    @property
    def rejected_count(self) -> int:
        return sum(self.rejected.values())

    @property
    def failed(self) -> bool:
        """Machine translation was asked for here and nothing usable came back."""
        return self.sent > 0 and self.accepted == 0

    def reasons(self) -> str:
        """``26× no machine translation model for en→ka; 2× failed quality checks (script)``."""
        return "; ".join(f"{count}× {kind}" for kind, count in self.rejected.items())

    def line(self) -> str:
        """One line for people: ``sent 12, accepted 10, rejected 2 (2× failed quality checks (script))``."""
        text = f"sent {self.sent}, accepted {self.accepted}, rejected {self.rejected_count}"
        return f"{text} ({self.reasons()})" if self.rejected else text


def summarise(
    results: Mapping[tuple[str, str], Mapping[str, MachineTranslation]],
    *,
    locales: Iterable[str] = (),
) -> list[MachineSummary]:
    """One :class:`MachineSummary` per target locale of ``results`` (keyed ``(brief id, locale)``),
    in the order of ``locales`` first, then as they appear."""
    sent: Counter[str] = Counter()
    accepted: Counter[str] = Counter()
    reasons: dict[str, Counter[str]] = {}
    order = list(dict.fromkeys(locales))
    for (_, tag), mapping in results.items():
        if tag not in order:
            order.append(tag)
        for result in mapping.values():
            sent[tag] += 1
            if result.ok:
                accepted[tag] += 1
            else:
                reasons.setdefault(tag, Counter())[reason_kind(result.problem or "")] += 1
    return [
        MachineSummary(locale=tag, sent=sent[tag], accepted=accepted[tag],
                       rejected=dict(reasons.get(tag, Counter()).most_common()))
        for tag in order
    ]


def require_accepted(summaries: Iterable[MachineSummary]) -> None:
    """Raise one :class:`TranslationEngineError` naming every locale where machine translation
    was asked for and nothing was accepted (the caller decides whether the policy allows it)."""
    failed = [s for s in summaries if s.failed]
    if not failed:
        return
    detail = "; ".join(f"{s.locale}: {s.sent} sent, none accepted ({s.reasons()})" for s in failed)
    raise TranslationEngineError(
        f"machine translation produced nothing publishable for {len(failed)} locale(s) — {detail}",
        hint="install or fix the model for those pairs (`polybrief models list`), drop --mt, "
             "or pass --allow-mt-failure to publish the source text there deliberately",
    )
