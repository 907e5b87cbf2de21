"""Short ``repr`` for settings objects: the defaults print as their names.

``help(polybrief)`` and every signature print default values with their
``repr``; a dataclass's own repr spells out every field, so each signature
naming ``limits: Limits = DEFAULT_LIMITS`` printed some forty fields.  A
settings object equal to its default prints as the default's name, and any
other prints only the fields that differ (``Limits(po_bytes=1048576)``).
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any

__all__ = ["settings_repr"]


def settings_repr(obj: Any, default_name: str | None = None) -> str:
    """``default_name`` when ``obj`` has every field at its default, else ``Cls(changed=...)``."""
    changed = []
    for f in fields(obj):
        if not f.repr:
            continue
        default = f.default if f.default is not MISSING else (
            f.default_factory() if f.default_factory is not MISSING else MISSING)
        value = getattr(obj, f.name)
        if default is MISSING or value != default:
            changed.append(f"{f.name}={value!r}")
    if not changed and default_name:
        return default_name
    return f"{type(obj).__name__}({', '.join(changed)})"
