"""Quality checks on translated segments: the gate between a translation and readers.

Every translated segment — reviewed, draft or machine alike — is compared
with its source text by a set of small checks.  Errors block publishing and
make machine translations fall back to the source; warnings are shown to
reviewers.  The package is split by job:

:mod:`~polybrief.qa.report`
    :class:`Severity`, :class:`Finding`, :class:`QAReport` — what checks produce.
:mod:`~polybrief.qa.registry`
    The :func:`check` decorator and what a check is given (:class:`Pair`); a
    package registers its own checks with it through the ``polybrief.checks``
    entry point (:mod:`~polybrief.qa.plugins`).
:mod:`~polybrief.qa.checks`, :mod:`~polybrief.qa.style_checks`
    The checks themselves, each with the reasoning behind it.
:mod:`~polybrief.qa.suite`
    Both in report order (:data:`CHECKS`).
:mod:`~polybrief.qa.gate`
    Running the checks on a segment, a localised brief, a publish run or
    machine output.
:mod:`~polybrief.qa.numbers`, :mod:`~polybrief.qa.plurals`, :mod:`~polybrief.qa.matching`, ...
    What only the checks need: number words, plural-form endings, terms and marks.

What the checks share with machine translation and rendering (URL and
placeholder patterns, sentence splitting, reading numbers, scripts) is
:mod:`polybrief.text`; this package never imports :mod:`polybrief.mt`.
Importing it loads nothing: the names below are resolved on first use
through module ``__getattr__``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:
    from .checks import INFLECTING_LANGUAGES
    from .language_checks import SCRIPT_MIN_LETTERS
    from .gate import (
        check_briefs,
        check_localised,
        check_segment,
        gate_machine,
        publish_gate,
    )
    from .registry import Also, CheckInfo, Pair, check
    from .report import Finding, QAReport, Severity
    from .style_checks import LENGTH_BOUNDS, LENGTH_MIN_CHARS
    from .suite import CHECKS

__all__ = [
    "Severity",
    "CheckInfo",
    "check",
    "Also",
    "Pair",
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
    "CheckInfo": "registry",
    "check": "registry",
    "Also": "registry",
    "Pair": "registry",
    "CHECKS": "suite",
    "LENGTH_BOUNDS": "style_checks",
    "LENGTH_MIN_CHARS": "style_checks",
    "SCRIPT_MIN_LETTERS": "language_checks",
    "INFLECTING_LANGUAGES": "checks",
    "check_segment": "gate",
    "check_localised": "gate",
    "check_briefs": "gate",
    "gate_machine": "gate",
    "publish_gate": "gate",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)

