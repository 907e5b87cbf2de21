"""The registry of quality checks: each check registered once, with its name, severity and description.

Why a registry
--------------
The list of checks used to live in three places that had to agree: a
``CHECKS`` table, the order in which a ``run`` method called the check
methods, and method bodies that reported under names of their own.  Now a
check is a function registered by the :func:`check` decorator (as
translate-toolkit does), which declares every name the function reports
under.  :meth:`Pair.run` runs the checks it is given, and :meth:`Pair.add`
refuses a name the running check did not declare, so a finding under an
unknown name cannot happen.

This module is only the decorator and its storage.  The checks are in
:mod:`polybrief.qa.checks` and :mod:`polybrief.qa.style_checks`, which import
this module and nothing of each other; :mod:`polybrief.qa.suite` imports both
and puts their checks in report order (:data:`~polybrief.qa.suite.CHECKS`,
which the README table follows).  So there is no import loop, and nothing
runs a registry seen half-filled: the report order is decided by the suite,
never by which module happened to be imported first.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from .report import Finding, Severity

if TYPE_CHECKING:
    from ..catalogs.brief import PluralForms
    from ..cldr import LocaleInfo
    from ..glossary import TermRule
    from ..project import CheckSettings
    from ..provenance import Provenance

__all__ = ["Also", "Check", "CheckInfo", "Pair", "check", "declared", "registered"]


class CheckInfo(NamedTuple):
    """What a check verifies (one English sentence) and how severe its findings are."""

    description: str
    severity: Severity


class Also(NamedTuple):
    """A further name a check function reports under, declared when it is registered."""

    name: str
    severity: Severity
    description: str


CheckFunction = Callable[["Pair"], None]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check function and the names it may report under, its own first.

    ``stops``: when the function reports anything, the remaining checks are
    skipped (an empty translation would otherwise fail every check).
    """

    function: CheckFunction
    names: tuple[str, ...]
    stops: bool = False


#: Every registered check, in the order its module registered it.
_REGISTRY: list[Check] = []

#: What each declared name verifies and how severe it is.  Filled by :func:`check`, one entry per
#: declared name; never edited by hand.
_DECLARED: dict[str, CheckInfo] = {}


def check(name: str, severity: Severity, description: str, *, also: Sequence[Also] = (),
          stops: bool = False) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as check ``name``; ``also`` declares further names it reports under.

    Raises :class:`ValueError` for a name registered twice or a description
    that is not one sentence ending in a full stop (it goes into the README).
    """
    infos = [(name, CheckInfo(description, severity)), *((a.name, CheckInfo(a.description, a.severity))
                                                           for a in also)]

    def register(function: CheckFunction) -> CheckFunction:
        for declared_name, info in infos:
            if declared_name in _DECLARED:
                raise ValueError(f"quality check {declared_name!r} is registered twice")
            if not info.description.endswith("."):
                raise ValueError(f"the description of quality check {declared_name!r} must end with a full stop")
        _DECLARED.update(infos)
        _REGISTRY.append(Check(function, tuple(n for n, _ in infos), stops))
        return function

    return register


class Pair:
    """One source text and its translation, with what every check needs to judge them.

    A small object rather than arguments so check functions share one
    signature and helpers (glossary rules, locales) travel together.
    """

    def __init__(self, source: str, target: str, *, path: str, source_locale: LocaleInfo,
                 target_locale: LocaleInfo, rules: Sequence[TermRule], provenance: Provenance | None,
                 plural: PluralForms | None = None, plural_source: Mapping[str, str] | None = None,
                 facts: dict[str, Any] | None = None, settings: CheckSettings | None = None) -> None:
        self.source = source
        self.target = target
        self.path = path
        self.src = source_locale
        self.tgt = target_locale
        self.rules = rules
        self.provenance = provenance
        #: A plural field's catalog forms and the source's forms by CLDR category (None otherwise).
        self.plural = plural
        self.plural_source = plural_source
        self.findings: list[Finding] = []
        self._running: Check | None = None
        #: What the checks worked out about the *source* text alone (its numbers, links, sentences...),
        #: shared by every pair with the same source text and source locale: a brief checked in three
        #: target locales reads each source text once (see :func:`~polybrief.qa.gate.check_localised`).
        self.facts: dict[str, Any] = {} if facts is None else facts
        #: What the checks worked out about this pair's own texts (the numbers of the translation read in
        #: one format...), kept for the other checks of the same pair: see :meth:`shared`.
        self._shared: dict[Hashable, Any] = {}
        #: The project's check settings: names switched off, severities overridden.
        self._disabled: frozenset[str] = settings.disabled if settings is not None else frozenset()
        self._severities: dict[str, str] = dict(settings.severities) if settings is not None else {}

    def fact(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()`` — a function of the source text and source locale only — once per source text."""
        facts = self.facts
        if name in facts:
            found: T = facts[name]
            return found
        value = facts[name] = compute()
        return value

    def shared(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` — a function of this pair's texts and locales named by ``key`` — once per pair.

        Several checks read the same thing in a translation (its numbers, in
        the same format); the first computes it, the others find it here.
        """
        shared = self._shared
        if key in shared:
            found: T = shared[key]
            return found
        value = shared[key] = compute()
        return value

    def add(self, name: str, message: str) -> None:
        """Record a finding of the running check under ``name``, which it must have declared."""
        running = self._running
        if running is None or name not in running.names:
            owner = "no check" if running is None else f"check {running.function.__name__!r}"
            raise ValueError(f"{owner} may not report under {name!r}; declare it when registering the check")
        if name in self._disabled:
            return
        override = self._severities.get(name)
        severity = _DECLARED[name].severity if override is None else Severity(override)
        self.findings.append(Finding(name, severity, self.tgt.tag, self.path, f"{self.path}: {message}",
                                     self.provenance))

    def run(self, checks: Sequence[Check]) -> list[Finding]:
        """Every finding of ``checks``, in their order (none for an empty source).

        ``checks`` is :data:`polybrief.qa.suite.ALL_CHECKS` everywhere but in tests of one check.
        """
        if not self.source.strip():
            return []
        findings = self.findings
        disabled = self._disabled
        if disabled:
            checks = [entry for entry in checks if not disabled.issuperset(entry.names)]
        try:  # one try for the whole loop: this runs some 35 checks for every segment of a run
            for entry in checks:
                self._running = entry
                if entry.stops:
                    before = len(findings)
                    entry.function(self)
                    if len(findings) > before:
                        break
                else:
                    entry.function(self)
        finally:
            self._running = None
        return findings


def registered() -> tuple[Check, ...]:
    """Every check registered so far, in registration order (:mod:`polybrief.qa.suite` orders them)."""
    return tuple(_REGISTRY)


def declared(name: str) -> CheckInfo:
    """What the check name ``name`` verifies and its severity (``KeyError`` for a name never declared)."""
    return _DECLARED[name]
