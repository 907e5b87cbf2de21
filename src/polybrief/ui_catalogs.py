"""Scaffolding UI catalogs for new locales (``polybrief locale add ka``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CatalogError
from .fs import atomic_write_bytes
from .cldr import get_locale
from .po import check_header, po_bytes, read_po_file
from .resources import builtin_locales_dir
from .ui import UI_DOMAIN, check_ui_catalog

if TYPE_CHECKING:
    from babel.messages.catalog import Message

__all__ = ["AddedLocale", "add_ui_locale", "ui_template_path"]


def ui_template_path() -> Path:
    return builtin_locales_dir() / f"{UI_DOMAIN}.pot"


@dataclass(frozen=True)
class AddedLocale:
    path: Path
    created: bool
    total: int
    untranslated: int
    untranslated_ids: list[str] = field(default_factory=list)


def add_ui_locale(tag: str, locales_dir: Path) -> AddedLocale:
    """Create ``<locales_dir>/<lang>/LC_MESSAGES/polybrief.po`` from the UI template.

    An existing catalog is never overwritten: it is checked and reported on.
    """
    from babel.messages.catalog import Catalog

    locale = get_locale(tag)
    path = Path(locales_dir) / locale.identifier / "LC_MESSAGES" / f"{UI_DOMAIN}.po"
    template = read_po_file(ui_template_path(), domain=UI_DOMAIN)
    created = False
    if path.exists():
        catalog = read_po_file(path, domain=UI_DOMAIN)
        check_header(catalog, path, locale.babel)
        check_ui_catalog(catalog, path)
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
    pending = [m for m in catalog if m.id and (m.fuzzy or not _translated(m))]
    ids = [m.id[0] if isinstance(m.id, (tuple, list)) else m.id for m in pending]
    return AddedLocale(path=path, created=created, total=sum(1 for m in catalog if m.id),
                       untranslated=len(pending), untranslated_ids=ids)


def _translated(message: Message) -> bool:
    string = message.string
    if isinstance(string, (tuple, list)):
        return all(string)
    return bool(string)
