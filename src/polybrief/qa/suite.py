"""Every quality check, in report order: the factual checks, then the style checks.

The two check modules register their functions with
:func:`polybrief.qa.registry.check` and import nothing of each other.  This
module imports both and fixes the order checks run and are reported in —
:mod:`.checks` first (the errors that can change what a reader believes),
then :mod:`.style_checks` (typographic warnings) — by module, whatever the
order in which Python happened to import them.  :data:`CHECKS`, the table
the README's check list follows (a test compares), is derived from that
order.
"""

from __future__ import annotations

from types import ModuleType

from . import checks, content_checks, language_checks, style_checks, unicode_checks
from .registry import Check, CheckInfo, declared, registered

__all__ = ["ALL_CHECKS", "CHECKS", "MODULE_NAMES"]

#: The modules whose checks run, in report order.
_MODULES: tuple[ModuleType, ...] = (checks, content_checks, language_checks, unicode_checks, style_checks)

#: The modules of the built-in checks, by name (a plugin's checks are the others).
MODULE_NAMES: frozenset[str] = frozenset(module.__name__ for module in _MODULES)

#: Every check in report order (what :meth:`~polybrief.qa.registry.Pair.run` is given).
ALL_CHECKS: tuple[Check, ...] = tuple(
    found for module in _MODULES for found in registered() if found.function.__module__ == module.__name__
)

#: Every check by its stable name, in report order (the README table follows it; a test compares).
CHECKS: dict[str, CheckInfo] = {name: declared(name) for found in ALL_CHECKS for name in found.names}
