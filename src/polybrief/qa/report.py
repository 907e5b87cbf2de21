"""What the quality checks produce: severities, findings and per-locale reports.

These types are kept apart from the checks so that code which only *reads*
results — the CLI printing a report, ``publish`` storing one, a JSON
consumer — does not import the checker, Babel or the number tables.  A
finding names its check by the stable string of
:data:`polybrief.qa.suite.CHECKS` rather than by an object, because that
string is what reports, JSON and the README table show.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ..provenance import Provenance

__all__ = ["Finding", "QAReport", "Severity"]


class Severity(str, Enum):
    """How bad a finding is: errors block publishing, warnings inform reviewers.

    >>> [str(severity) for severity in polybrief.Severity]      # as reports and JSON spell them
    ['error', 'warning']
    """

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem one check found in one segment of one locale.

    ``message`` starts with the field path so it can be shown on its own;
    ``provenance`` says whether a reviewer, a draft or a machine wrote the
    text, which decides who has to fix it.

    A machine translation that changed a casualty figure (11 wounded in the source):

    >>> wrong = polybrief.MachineTranslation(
    ...     "Азербайджанские силы начали обстрел, по меньшей мере двое мирных жителей погибли и 12 ранены.",
    ...     score=-0.5, engine="argos", models=("en→ru 1.9",))
    >>> page = polybrief.localise("examples/nagorno-karabakh.yaml", "ru", catalog=None,
    ...                           machine={"lead[azerbaijani-forces-reportedly]": wrong})
    >>> finding = polybrief.check_briefs([page]).errors("ru")[0]
    >>> finding.check, finding.severity, finding.provenance
    ('numbers', <Severity.ERROR: 'error'>, <Provenance.MACHINE: 'machine'>)
    >>> finding.message
    'lead[azerbaijani-forces-reportedly]: the number 11 of the source is missing from the translation (in ru it is written 11)'
    """

    check: str
    severity: Severity
    locale: str
    path: str
    message: str
    provenance: Provenance | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "severity": self.severity.value,
            "locale": self.locale,
            "path": self.path,
            "message": self.message,
            "provenance": None if self.provenance is None else self.provenance.value,
        }


@dataclass(frozen=True)
class QAReport:
    """Findings per locale, in the order the locales were checked.

    A locale with no findings is still listed (with an empty tuple) so a
    report can say "hy: no problems" rather than leave readers guessing.

    >>> report = polybrief.check_briefs([polybrief.localise("examples/nagorno-karabakh.yaml", "hy")])
    >>> report
    QAReport(findings={'hy': ()}, silenced={})
    >>> print(report.to_json(indent=None))
    {"has_errors": false, "locales": {"hy": {"errors": 0, "warnings": 0, "silenced": 0, "findings": []}}}
    """

    findings: Mapping[str, tuple[Finding, ...]] = field(default_factory=dict)
    #: Per locale, how many findings reviewers silenced with ``ignore-<check>`` flags on catalog entries.
    silenced: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_findings(cls, findings: Iterable[Finding], *, locales: Iterable[str] = (),
                      silenced: Iterable[Finding] = ()) -> QAReport:
        grouped: dict[str, list[Finding]] = {tag: [] for tag in locales}
        for finding in findings:
            grouped.setdefault(finding.locale, []).append(finding)
        quiet: dict[str, int] = {}
        for finding in silenced:
            grouped.setdefault(finding.locale, [])
            quiet[finding.locale] = quiet.get(finding.locale, 0) + 1
        return cls({tag: tuple(items) for tag, items in grouped.items()}, quiet)

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(self.findings)

    def all(self) -> Iterator[Finding]:
        for items in self.findings.values():
            yield from items

    def errors(self, locale: str | None = None) -> list[Finding]:
        return [f for f in self._of(locale) if f.severity is Severity.ERROR]

    def warnings(self, locale: str | None = None) -> list[Finding]:
        return [f for f in self._of(locale) if f.severity is Severity.WARNING]

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.all())

    def locales_with_errors(self) -> list[str]:
        return [tag for tag, items in self.findings.items() if any(f.is_error for f in items)]

    def merged(self, other: QAReport) -> QAReport:
        combined = {tag: tuple(items) for tag, items in self.findings.items()}
        for tag, items in other.findings.items():
            combined[tag] = combined.get(tag, ()) + tuple(items)
        quiet = dict(self.silenced)
        for tag, n in other.silenced.items():
            quiet[tag] = quiet.get(tag, 0) + n
        return QAReport(combined, quiet)

    def to_dict(self) -> dict[str, Any]:
        return {
            "has_errors": self.has_errors,
            "locales": {
                tag: {
                    "errors": sum(1 for f in items if f.is_error),
                    "warnings": sum(1 for f in items if not f.is_error),
                    "silenced": self.silenced.get(tag, 0),
                    "findings": [f.to_dict() for f in items],
                }
                for tag, items in self.findings.items()
            },
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON text (UTF-8 friendly: non-ASCII kept as is)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def _of(self, locale: str | None) -> Iterable[Finding]:
        return self.all() if locale is None else self.findings.get(locale, ())
