"""Gettext catalogs: PO reading and writing, brief catalogs, UI catalogs, and where they live.

* :mod:`.reader` — PO bytes to entries, as msgfmt reads them, every defect named by its line;
* :mod:`.header` — a PO header's language and plural rule, checked against CLDR;
* :mod:`.po` — the PO file boundary (parsed catalogs for briefs, Babel catalogs for the UI);
* :mod:`.notes` — polybrief's notes in translator comments;
* :mod:`.repository` — the one place that knows where catalogs live;
* :mod:`.entry` — one catalog entry's translation state and its transitions;
* :mod:`.brief` — a brief's catalog as publishing reads it;
* :mod:`.merge` — creating and updating a brief's catalogs (the merge rules);
* :mod:`.drafts` — machine drafts written into catalogs;
* :mod:`.ui` — polybrief's own UI strings.
"""

from __future__ import annotations

from .brief import (
    BriefCatalog,
    CatalogEntry,
    CatalogStats,
    catalog_stats,
    load_brief_catalog,
)
from .drafts import fill_machine_drafts
from .entry import Entry, EntryState
from .merge import extract_template, update_catalog, write_template
from .repository import CatalogRepository, catalogs_root
from .ui import AddedLocale, UiCatalogs, add_locale

__all__ = [
    "AddedLocale",
    "BriefCatalog",
    "CatalogEntry",
    "CatalogRepository",
    "CatalogStats",
    "Entry",
    "EntryState",
    "UiCatalogs",
    "add_locale",
    "catalog_stats",
    "catalogs_root",
    "extract_template",
    "fill_machine_drafts",
    "load_brief_catalog",
    "update_catalog",
    "write_template",
]
