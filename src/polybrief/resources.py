"""Where polybrief's own templates and locale data live.

In a wheel they are package data (``polybrief/data/...``); in a source checkout
(or an editable install) they are the repository's top-level ``templates/``
and ``locales/`` folders.  Resolved on each call, never at import time.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["builtin_templates_dir", "builtin_locales_dir"]

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    packaged = _PACKAGE_DIR / "data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent.parent / name


def builtin_templates_dir() -> Path:
    """The folder holding ``brief.html.j2``, ``brief.txt.j2`` and ``index.html.j2``."""
    return _data_dir("templates")


def builtin_locales_dir() -> Path:
    """The folder holding UI catalogs (``<lang>/LC_MESSAGES/polybrief.po``) and quotation marks."""
    return _data_dir("locales")
