"""Checks from other packages, loaded through the ``polybrief.checks`` entry point group.

A package adds checks the way pytest and flake8 take plugins: its
``pyproject.toml`` names a module under ``[project.entry-points."polybrief.checks"]``,
and that module registers its functions with :func:`polybrief.qa.check` on
import::

    [project.entry-points."polybrief.checks"]
    house-style = "newsroom_checks.style"

The entry points are read once per process, the first time checks run (not
on ``import polybrief.qa``: reading every installed distribution's metadata
costs tens of milliseconds), and a plugin's checks run after the built-in
ones, in the order the plugins registered them.  A plugin that fails to
import is an error naming it, since a silently skipped check is a gate that
is not there.  Nothing here imports the plugins statically, so no import
cycle can run through them.
"""

from __future__ import annotations

import functools
from importlib.metadata import entry_points

from ..errors import UsageError
from .registry import Check, registered

__all__ = ["GROUP", "plugin_checks"]

#: The entry point group plugins are found in.
GROUP = "polybrief.checks"


@functools.cache
def plugin_checks(builtin_modules: frozenset[str]) -> tuple[Check, ...]:
    """The checks every installed plugin registers (loaded once), in registration order."""
    for point in entry_points(group=GROUP):
        try:
            point.load()
        except (ImportError, SyntaxError, AttributeError, LookupError, TypeError, ValueError, OSError,
                RuntimeError) as exc:  # what importing a module can raise, a check registered twice included
            raise UsageError(f"the quality-check plugin {point.name!r} ({point.value}) failed to load: {exc}",
                             hint="fix or uninstall the package that declares it") from exc
    return tuple(found for found in registered() if found.function.__module__ not in builtin_modules)
