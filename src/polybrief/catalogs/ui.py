"""UI catalogs: polybrief's own strings (labels, notices) in each locale.

``<dir>/<lang>/LC_MESSAGES/polybrief.po`` is found through the
:class:`~polybrief.catalogs.repository.CatalogRepository` (``--locale-data``
folders, then the brief's own catalog folder, then polybrief's built-in
``locales/``), read with Babel, checked, and compiled in memory, so a stale
``.mo`` can never shadow a fresh review.  A locale without a catalog, or a
string missing from one, falls back to English, never to a blank.
``polybrief locale add`` scaffolds a new one from the template.
"""

from __future__ import annotations

import gettext
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..cldr import LocaleInfo, LocaleLike, as_locale
from ..errors import CatalogError
from ..fs import atomic_write_bytes
from ..limits import DEFAULT_LIMITS, Limits
from .po import (
    brace_format_names,
    check_header,
    forms_of,
    is_translated,
    message_label,
    plain_id,
    po_bytes,
    python_format_names,
    read_po_file,
    translations_from_catalog,
)
from .repository import UI_DOMAIN, CatalogRepository, po_path, ui_template_path

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

__all__ = ["UI_DOMAIN", "UiCatalogs", "check_ui_catalog", "AddedLocale", "add_locale"]


def _placeholders(text: str) -> tuple[set[str], set[str]]:
    """``{name}`` and ``%(name)s`` placeholder names of ``text`` (ValueError when braces are malformed)."""
    return brace_format_names(text), python_format_names(text)


def check_ui_catalog(catalog: Catalog, path: Path) -> None:
    """Refuse translations that drop, add or misspell a placeholder of their msgid.

    Placeholders are ``{name}`` (polybrief's own messages) or ``%(name)s`` (a
    user's template may use either); a translation with unbalanced braces or a
    ``{name.attr}`` / ``{name!r}`` / ``{name:spec}`` field is refused too, as
    it would fail or leak when the page is rendered.
    """
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        try:
            shapes = [_placeholders(i) for i in ids]
        except ValueError:
            continue  # a msgid that is not a brace template: its translation is not checked for fields
        expected = [set().union(*(shape[k] for shape in shapes)) for k in (0, 1)]
        optional = {"num"} if len(ids) > 1 else set()
        for form in forms_of(message):
            if not form:
                continue
            try:
                found = _placeholders(form)
            except ValueError as exc:
                raise CatalogError(
                    f"translation is not a valid message template: {exc}",
                    file=path, line=message.lineno, field=message_label(message),
                    hint="keep every {name} of the English text as it is; write a literal brace as {{ or }}",
                ) from None
            added = (found[0] - expected[0]) | (found[1] - expected[1])
            dropped = ((expected[0] - optional) - found[0]) | ((expected[1] - optional) - found[1])
            if added or dropped:
                what = (f"adds {sorted(added)}" if added else "") + (" and " if added and dropped else "") + (
                    f"drops {sorted(dropped)}" if dropped else "")
                raise CatalogError(
                    f"translation {what} template variables",
                    file=path, line=message.lineno, field=message_label(message),
                    hint="keep every {name} (or %(name)s) of the English text, spelled the same",
                )


def _read_ui_catalog(path: Path, locale: LocaleInfo, limits: Limits = DEFAULT_LIMITS) -> Catalog:
    catalog = read_po_file(path, locale=locale.babel, domain=UI_DOMAIN, limits=limits)
    check_header(catalog, path, locale.babel, limits=limits)
    check_ui_catalog(catalog, path)
    return catalog


class UiCatalogs:
    """Loads and caches the UI translations of each locale (the cache lives on the object).

    Cached by the catalog file found, so two briefs whose folders hold
    different UI catalogs for one locale each get their own.
    """

    def __init__(self, repository: CatalogRepository | None = None, *, limits: Limits = DEFAULT_LIMITS) -> None:
        self.repository = repository or CatalogRepository()
        self.limits = limits
        self._cache: dict[Path | None, gettext.NullTranslations] = {}
        self._paths: dict[tuple[str, Path | None], Path | None] = {}

    def catalog_path(self, locale: LocaleInfo, brief_root: Path | None = None) -> Path | None:
        """The UI catalog file of ``locale`` for a brief whose catalogs are in ``brief_root``.

        Looked up once per locale and folder: a page asks for it on every
        render, and each look-up tests every candidate file (4 ms of every
        brief of a publish run before it was kept).
        """
        key = (locale.identifier, brief_root)
        if key not in self._paths:
            self._paths[key] = self.repository.find_ui_catalog(locale, brief_root)
        return self._paths[key]

    def translations(self, locale: LocaleInfo, brief_root: Path | None = None) -> gettext.NullTranslations:
        path = self.catalog_path(locale, brief_root)
        if path not in self._cache:
            self._cache[path] = (
                gettext.NullTranslations() if path is None
                else translations_from_catalog(_read_ui_catalog(path, locale, self.limits))
            )
        return self._cache[path]


@dataclass(frozen=True)
class AddedLocale:
    """What ``polybrief locale add`` did: the catalog, whether it is new, and what is left to translate.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     added = polybrief.add_locale("ka", folder)
    >>> added.path.parts[-3:], added.created, added.untranslated == added.total
    (('ka', 'LC_MESSAGES', 'polybrief.po'), True, True)
    """

    path: Path
    created: bool
    total: int
    untranslated: int
    untranslated_ids: list[str] = field(default_factory=list)


def add_locale(tag: LocaleLike, locales_dir: str | os.PathLike[str]) -> AddedLocale:
    """Start polybrief's UI catalog for a new locale: ``<locales_dir>/<lang>/LC_MESSAGES/polybrief.po``,
    made from the UI template, for a translator to fill in (``polybrief locale add``).

    An existing catalog is never overwritten: it is checked and reported on.  Pass ``locales_dir``
    to :class:`~polybrief.Project` as ``locale_dirs`` (``--locale-data``), or use the brief's own
    ``locales/`` folder, where it is found without any option.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     added = polybrief.add_locale("ka", folder)
    ...     again = polybrief.add_locale("ka", folder)         # kept, and reported on
    ...     html = polybrief.render("examples/nagorno-karabakh.yaml", "ka",
    ...                             project=polybrief.Project(locale_dirs=[folder]))
    >>> added.created, again.created, added.untranslated > 0
    (True, False, True)
    """
    from babel.messages.catalog import Catalog

    locale = as_locale(tag)
    path = po_path(Path(locales_dir), locale, UI_DOMAIN)
    template = read_po_file(ui_template_path(), domain=UI_DOMAIN)
    created = False
    if path.exists():
        catalog = _read_ui_catalog(path, locale)
    else:
        catalog = Catalog(locale=locale.babel, domain=UI_DOMAIN, project="polybrief", version="0.1", fuzzy=False,
                          header_comment=f"# polybrief user-interface strings, {locale.english_name}.")
        catalog.update(template)
        for message in catalog:
            if message.id and isinstance(message.id, (tuple, list)):
                message.string = tuple([""] * catalog.num_plurals)
        atomic_write_bytes(path, po_bytes(catalog))
        created = True
    if not any(m.id for m in catalog):
        raise CatalogError("UI template has no messages", file=ui_template_path(), hint="run make catalogs")
    pending = [m for m in catalog if m.id and (m.fuzzy or not is_translated(m))]
    return AddedLocale(path=path, created=created, total=sum(1 for m in catalog if m.id),
                       untranslated=len(pending), untranslated_ids=[plain_id(m) for m in pending])
