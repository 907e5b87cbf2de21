"""Where catalogs live: the one place that spells ``<root>/<lang>/LC_MESSAGES/<domain>.po``.

Two kinds of catalogs share the standard gettext tree:

* brief catalogs, ``<root>/<lang>/LC_MESSAGES/<brief-id>.po`` (and the
  template ``<root>/<brief-id>.pot``), where ``<root>`` is ``--catalogs DIR``
  or else the ``locales/`` folder beside the brief;
* UI catalogs (polybrief's own labels), ``<dir>/<lang>/LC_MESSAGES/polybrief.po``,
  searched in the ``--locale-data`` folders, then in the brief's own catalog
  folder (so ``polybrief locale add fa --dir <brief dir>/locales`` is found
  without any option), then in polybrief's built-in ``locales/``.

Like Sphinx's ``CatalogRepository``, everything else asks this module instead
of building paths, so a lookup rule (say, falling back from ``az_Latn`` to
``az``) is the same for reading, writing and statistics.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..cldr import locale_candidates
from ..errors import CatalogError
from ..resources import builtin_locales_dir

if TYPE_CHECKING:
    from ..cldr import LocaleInfo

__all__ = [
    "UI_DOMAIN",
    "CatalogRepository",
    "catalogs_root",
    "po_path",
    "template_path",
    "find_po",
    "ui_template_path",
]

UI_DOMAIN = "polybrief"
"""The gettext domain of polybrief's own UI strings."""


_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_@.-]*$")


def _safe(name: str, what: str) -> str:
    """``name`` if it is one path component (no separator, no ``..``): catalog paths never leave their root."""
    if not _SAFE_NAME.match(name) or ".." in name:
        raise CatalogError(f"{what} {name!r} cannot name a catalog folder or file",
                           hint="use a plain locale tag such as hy, sr_Latn or sr@latin")
    return name


def po_path(root: Path, locale: LocaleInfo, domain: str) -> Path:
    """``<root>/<locale identifier>/LC_MESSAGES/<domain>.po``: where a catalog is written."""
    return Path(root) / _safe(locale.identifier, "locale") / "LC_MESSAGES" / f"{_safe(domain, 'domain')}.po"


def find_po(roots: Sequence[Path], locale: LocaleInfo, domain: str) -> Path | None:
    """The most specific existing ``<domain>.po`` for ``locale`` (az_Latn_AZ, az_Latn, az_AZ, az),
    in the first of ``roots`` that has one for the most specific identifier.

    A path that exists but is not a regular file (a folder, a FIFO, a device)
    is an error rather than silently skipped: the user put something there.
    """
    name = f"{_safe(domain, 'domain')}.po"
    for ident in _candidates(locale):
        for root in roots:
            text = os.path.join(root, ident, "LC_MESSAGES", name)
            try:
                if stat.S_ISREG(os.stat(text).st_mode):
                    return Path(text)
            except OSError:
                if not os.path.islink(text):
                    continue  # the usual case: no such file
            path = Path(text)
            if path.exists() or path.is_symlink():
                if not path.exists():
                    raise CatalogError("catalog is a symbolic link to nothing", file=path,
                                       hint="remove the link or restore its target")
                raise CatalogError("catalog path exists but is not a regular file", file=path,
                                   hint="replace it with a PO file, or remove it")
    return None


@functools.lru_cache(maxsize=256)
def _candidates(locale: LocaleInfo) -> tuple[str, ...]:
    """:func:`~polybrief.cldr.locale_candidates`, checked as folder names once per locale."""
    return tuple(_safe(ident, "locale") for ident in locale_candidates(locale.babel))


def template_path(root: Path, domain: str) -> Path:
    """``<root>/<domain>.pot``."""
    return Path(root) / f"{domain}.pot"


def ui_template_path() -> Path:
    """polybrief's own UI template, ``locales/polybrief.pot``."""
    return template_path(builtin_locales_dir(), UI_DOMAIN)


def catalogs_root(brief_path: str | os.PathLike[str] | None,
                  catalogs_dir: str | os.PathLike[str] | None = None) -> Path:
    """``catalogs_dir`` (``--catalogs DIR``) if given, else ``<brief dir>/locales``.

    >>> import pathlib
    >>> polybrief.catalogs_root(pathlib.Path("examples/nagorno-karabakh.yaml")).parts[-2:]
    ('examples', 'locales')
    >>> polybrief.catalogs_root(None, pathlib.Path("translations"))
    PosixPath('translations')
    """
    if catalogs_dir is not None:
        return Path(catalogs_dir)
    if brief_path is None:
        raise CatalogError("no catalog folder: the brief has no file path", hint="pass catalogs_dir / --catalogs DIR")
    path = Path(brief_path)
    if path.is_symlink():
        return path.resolve().parent / "locales"  # the folder of the file the link points to
    return _resolved_folder(os.path.abspath(path.parent)) / "locales"


@functools.lru_cache(maxsize=1024)
def _resolved_folder(folder: str) -> Path:
    """``folder`` resolved (once per folder: a publish run asks for every brief in it)."""
    return Path(folder).resolve()


@dataclass(frozen=True)
class CatalogRepository:
    """Knows every folder a run reads catalogs from.

    ``locale_dirs`` are the ``--locale-data`` folders (UI catalogs and
    quotation marks, searched first); ``catalogs_dir`` overrides every brief's
    own ``locales/`` folder.  The one place that knows the folder layout, as
    Sphinx's ``CatalogRepository``; usually a :class:`~polybrief.Session`'s ``repository``.

    >>> import pathlib
    >>> repository = polybrief.CatalogRepository(catalogs_dir=pathlib.Path("translations"))
    >>> repository.brief_root(pathlib.Path("examples/nagorno-karabakh.yaml"))
    PosixPath('translations')
    """

    locale_dirs: tuple[Path, ...] = ()
    catalogs_dir: Path | None = None

    def brief_root(self, brief_path: Path | None) -> Path | None:
        """The catalog folder of a brief at ``brief_path`` (None for a brief with no file and no override)."""
        if self.catalogs_dir is None and brief_path is None:
            return None
        return catalogs_root(brief_path, self.catalogs_dir)

    def ui_dirs(self, brief_root: Path | None = None) -> tuple[Path, ...]:
        """Folders searched for UI catalogs, first wins: ``--locale-data``, the brief's catalog folder, built-in."""
        dirs = [*self.locale_dirs]
        if brief_root is not None:
            dirs.append(Path(brief_root))
        dirs.append(builtin_locales_dir())
        return tuple(dict.fromkeys(dirs))

    def find_ui_catalog(self, locale: LocaleInfo, brief_root: Path | None = None) -> Path | None:
        return find_po(self.ui_dirs(brief_root), locale, UI_DOMAIN)
