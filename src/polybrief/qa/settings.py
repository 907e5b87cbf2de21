"""A project's check settings made concrete: which checks run, under which severity.

:class:`~polybrief.project.CheckSettings` lives with the project (settings
only, below this package), so it cannot know the check names;
:func:`validate_settings` refuses a name no check declares, naming the
closest ones, before a run starts.  :func:`active_checks` is what every gate
runs: the built-in checks (:data:`~polybrief.qa.suite.ALL_CHECKS`), then the
plugins' (:mod:`polybrief.qa.plugins`).
"""

from __future__ import annotations

import difflib

from ..errors import UsageError
from ..project import CheckSettings
from .plugins import plugin_checks
from .registry import Check
from .suite import ALL_CHECKS, MODULE_NAMES

__all__ = ["active_checks", "known_names", "validate_settings"]


def active_checks() -> tuple[Check, ...]:
    """The built-in checks in report order, then the plugins' checks."""
    return ALL_CHECKS + plugin_checks(MODULE_NAMES)


def known_names() -> tuple[str, ...]:
    """Every check name a finding may carry, plugins' included."""
    return tuple(name for found in active_checks() for name in found.names)


def validate_settings(settings: CheckSettings) -> CheckSettings:
    """``settings`` when every name it mentions is a check's; a :class:`UsageError` naming the unknown one."""
    known = known_names()
    for name in sorted(settings.names):
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3)
            raise UsageError(f"unknown quality check {name!r}",
                             hint=f"did you mean {', '.join(close)}?" if close else
                             "the check names are those `polybrief check` prints (README: The quality gate)")
    return settings
