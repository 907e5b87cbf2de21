"""UI catalogs: polybrief's own strings (labels, notices) in each locale.

``locales/<lang>/LC_MESSAGES/polybrief.po`` is read with Babel, checked, and
compiled in memory.  A locale without a catalog, or a string missing from one,
falls back to English, never to a blank.
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CatalogError
from .cldr import LocaleInfo, locale_candidates
from .po import check_header, message_label, python_format_names, read_po_file, translations_from_catalog
from .resources import builtin_locales_dir

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

__all__ = ["UI_DOMAIN", "UiCatalogs", "find_ui_catalog", "check_ui_catalog"]

UI_DOMAIN = "polybrief"


def find_ui_catalog(locale: LocaleInfo, dirs: Sequence[Path]) -> Path | None:
    """The most specific ``polybrief.po`` for ``locale`` in ``dirs`` (first folder wins)."""
    for ident in locale_candidates(locale.babel):
        for folder in dirs:
            path = Path(folder) / ident / "LC_MESSAGES" / f"{UI_DOMAIN}.po"
            if path.is_file():
                return path
    return None


def check_ui_catalog(catalog: Catalog, path: Path) -> None:
    """Refuse translations that drop or add a ``%(name)s`` variable of their msgid."""
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        expected = set().union(*(python_format_names(i) for i in ids))
        for form in strings:
            if not form:
                continue
            found = python_format_names(form)
            optional = {"num"} if len(ids) > 1 else set()
            added, dropped = found - expected, (expected - optional) - found
            if added or dropped:
                what = (f"adds {sorted(added)}" if added else "") + (" and " if added and dropped else "") + (
                    f"drops {sorted(dropped)}" if dropped else "")
                raise CatalogError(
                    f"translation {what} template variables",
                    file=path, line=message.lineno, field=message_label(message),
                    hint="keep every %(name)s of the English text, spelled the same",
                )


class UiCatalogs:
    """Loads and caches the UI translations of each locale (cache lives on the object)."""

    def __init__(self, *, locale_dirs: Sequence[Path] = ()) -> None:
        self.dirs: tuple[Path, ...] = (*(Path(d) for d in locale_dirs), builtin_locales_dir())
        self._cache: dict[str, gettext.NullTranslations] = {}

    def translations(self, locale: LocaleInfo) -> gettext.NullTranslations:
        key = locale.identifier
        if key not in self._cache:
            self._cache[key] = self._load(locale)
        return self._cache[key]

    def catalog_path(self, locale: LocaleInfo) -> Path | None:
        return find_ui_catalog(locale, self.dirs)

    def _load(self, locale: LocaleInfo) -> gettext.NullTranslations:
        path = self.catalog_path(locale)
        if path is None:
            return gettext.NullTranslations()
        catalog = read_po_file(path, domain=UI_DOMAIN)
        check_header(catalog, path, locale.babel)
        check_ui_catalog(catalog, path)
        return translations_from_catalog(catalog)
