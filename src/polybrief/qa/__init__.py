"""Quality checks on translated segments: the gate between a translation and readers.

Every translated segment — reviewed, draft or machine alike — is compared
with its source text by a set of small checks.  Errors block publishing and
make machine translations fall back to the source; warnings are shown to
reviewers.  The package is split by job:

:mod:`~polybrief.qa.report`
    :class:`Severity`, :class:`Finding`, :class:`QAReport` — what checks produce.
:mod:`~polybrief.qa.checks`
    The check registry (:data:`CHECKS`) and the checks themselves, each with
    the reasoning behind it.
:mod:`~polybrief.qa.gate`
    Running the checks on a segment, a localised brief, a publish run or
    machine output.
:mod:`~polybrief.qa.patterns`
    URL, e-mail and placeholder patterns, shared with
    :mod:`polybrief.mt.protect` so both agree on what must survive translation.
:mod:`~polybrief.qa.numbers`, :mod:`~polybrief.qa.scripts`, :mod:`~polybrief.qa.matching`
    Reading numbers per locale, telling scripts apart, matching terms and marks.

Importing this package loads nothing: the names below are resolved on first
use through module ``__getattr__``, so :mod:`polybrief.mt.protect` can import
:mod:`polybrief.qa.patterns` without pulling in the checker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:
    from .checks import (
        CHECKS,
        INFLECTING_LANGUAGES,
        LENGTH_BOUNDS,
        LENGTH_MIN_CHARS,
        SCRIPT_MIN_LETTERS,
        CheckInfo,
    )
    from .gate import (
        check_briefs,
        check_localised,
        check_segment,
        gate_machine,
        publish_gate,
    )
    from .report import Finding, QAReport, Severity

__all__ = [
    "Severity",
    "CheckInfo",
    "CHECKS",
    "Finding",
    "QAReport",
    "check_segment",
    "check_localised",
    "check_briefs",
    "gate_machine",
    "publish_gate",
    "LENGTH_BOUNDS",
    "LENGTH_MIN_CHARS",
    "SCRIPT_MIN_LETTERS",
    "INFLECTING_LANGUAGES",
]

_LAZY = {
    "Severity": "report",
    "Finding": "report",
    "QAReport": "report",
    "CheckInfo": "checks",
    "CHECKS": "checks",
    "LENGTH_BOUNDS": "checks",
    "LENGTH_MIN_CHARS": "checks",
    "SCRIPT_MIN_LETTERS": "checks",
    "INFLECTING_LANGUAGES": "checks",
    "check_segment": "gate",
    "check_localised": "gate",
    "check_briefs": "gate",
    "gate_machine": "gate",
    "publish_gate": "gate",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)

