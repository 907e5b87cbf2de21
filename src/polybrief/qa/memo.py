"""A bounded memo of one segment's findings, keyed by everything the built-in checks read.

Why: the briefs of one site repeat many segments word for word (a desk's
byline, a ministry's name, a section heading), and a publish run checked each
of them again in every brief: 13,392 segments checked for 5,136 distinct ones
in 100 briefs of the benchmark corpus (issue 24).  The built-in checks are pure functions of the segment —
field path, source text, translation, provenance, plural forms — and of the
run's context — both locales, the glossary rules, the check settings and the
checks themselves — so the findings of an identical segment in an identical
context are the same findings.

The memo keeps at most :data:`SEGMENTS` segments per context (least recently
used dropped first) and :data:`CONTEXTS` contexts, so memory stays flat on a
site of any size (a few MB at most).  Threads may share it: a lost update
only costs a segment checked again.  Plugins' checks are never memoised:
they may read what the key does not hold (:func:`findings_memo` returns
None when any runs).
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Hashable
from typing import TYPE_CHECKING

from .report import Finding

if TYPE_CHECKING:
    from .registry import Check

__all__ = ["CONTEXTS", "SEGMENTS", "FindingsMemo", "clear", "findings_memo"]

#: Segments remembered per context.
SEGMENTS = 1024
#: Contexts (locale pair, glossary rules, settings, checks) remembered.
CONTEXTS = 8


class FindingsMemo:
    """The findings of the segments already checked in one context, least recently used dropped first."""

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: OrderedDict[Hashable, tuple[Finding, ...]] = OrderedDict()

    def get(self, key: Hashable) -> tuple[Finding, ...] | None:
        """The findings remembered for ``key``, or None."""
        found = self._entries.get(key)
        if found is not None:
            try:  # (a try block, not contextlib.suppress: this runs for every segment of a run)
                self._entries.move_to_end(key)
            except KeyError:  # another thread dropped it meanwhile: the findings stand
                pass
        return found

    def put(self, key: Hashable, findings: tuple[Finding, ...]) -> None:
        """Remember ``findings`` for ``key``."""
        entries = self._entries
        entries[key] = findings
        if len(entries) > SEGMENTS:
            try:
                entries.popitem(last=False)
            except KeyError:  # (emptied by another thread meanwhile)
                pass


_MEMOS: OrderedDict[Hashable, FindingsMemo] = OrderedDict()


def findings_memo(context: Hashable, checks: tuple[Check, ...], builtin: tuple[Check, ...]) -> FindingsMemo | None:
    """The memo of ``context`` (locales, rules, settings) for ``checks``; None unless they are the built-in ones."""
    if checks != builtin:
        return None
    key = (context, checks)
    memo = _MEMOS.get(key)
    if memo is None:
        memo = _MEMOS[key] = FindingsMemo()
        if len(_MEMOS) > CONTEXTS:
            with contextlib.suppress(KeyError):
                _MEMOS.popitem(last=False)
    else:
        with contextlib.suppress(KeyError):
            _MEMOS.move_to_end(key)
    return memo


def clear() -> None:
    """Forget every memo (tests; a long-lived process whose settings files changed keys them anew anyway)."""
    _MEMOS.clear()
