"""``polybrief extract``, ``update``, ``stats`` and ``locale add``: the catalog round trip."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .options import add_catalogs_option, project_from_args, report_missing_ui_catalogs, split_locales

if TYPE_CHECKING:
    from ..brief_io import BriefSource
    from ..session import Session

__all__ = ["register"]


def register(subparsers: Any) -> None:
    extract = subparsers.add_parser("extract", help="write the brief's translation template (.pot)")
    extract.add_argument("brief", type=Path)
    add_catalogs_option(extract)
    extract.set_defaults(handler=_extract)

    update = subparsers.add_parser("update", help="create or update the brief's .po files")
    update.add_argument("brief", type=Path)
    update.add_argument("--locales", required=True)
    add_catalogs_option(update)
    update.set_defaults(handler=_update)

    stats = subparsers.add_parser("stats", help="translated / fuzzy / untranslated counts per locale")
    stats.add_argument("brief", type=Path)
    stats.add_argument("--locales", required=True)
    add_catalogs_option(stats)
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    stats.set_defaults(handler=_stats)

    locale = subparsers.add_parser("locale", help="manage polybrief's UI catalogs")
    locale_sub = locale.add_subparsers(dest="locale_command", metavar="ACTION", required=True)
    add = locale_sub.add_parser("add", help="scaffold a UI catalog for a new locale from the template")
    add.add_argument("tag", help="locale tag, e.g. ka")
    add.add_argument("--dir", type=Path, default=Path("locales"),
                     help="locale folder to write into (default: ./locales); a brief's own locales/ "
                          "folder is found by publish without any option, others with --locale-data")
    add.set_defaults(handler=_locale_add)


def _source(args: argparse.Namespace) -> tuple[Session, BriefSource, Path]:
    """The session, the brief and its catalog folder (a brief opened from a path always has one)."""
    from ..session import Session

    session = Session(project_from_args(args))
    source = session.open_brief(args.brief)
    root = source.catalog_root
    assert root is not None
    return session, source, root


def _extract(args: argparse.Namespace) -> int:
    from ..catalogs.merge import write_template

    _, source, root = _source(args)
    print(f"wrote {write_template(source.brief, root)}")
    return 0


def _update(args: argparse.Namespace) -> int:
    from ..catalogs.brief import (
        catalog_stats,
        check_writable_catalog,
        load_brief_catalog,
    )
    from ..catalogs.merge import update_catalog, write_template
    from ..catalogs.repository import po_path

    session, source, root = _source(args)
    project = session.project
    brief = source.brief
    locales = [session.locale(tag) for tag in split_locales(args.locales)]
    for locale in locales:  # a bad or unwritable catalog stops the run before anything is written
        load_brief_catalog(brief, locale, root, limits=project.limits)
        check_writable_catalog(po_path(root, locale, brief.id))
    write_template(brief, root)
    report_missing_ui_catalogs(session, [locale.tag for locale in locales], root)
    for locale in locales:
        path = update_catalog(brief, locale, root, limits=project.limits)
        (stats,) = catalog_stats(brief, [locale], root, limits=project.limits)
        print(f"{locale.tag:>8}  {path}  translated {stats.translated}, fuzzy {stats.fuzzy}, "
              f"untranslated {stats.untranslated}")
    return 0


def _stats(args: argparse.Namespace) -> int:
    from ..catalogs.brief import catalog_stats

    session, source, root = _source(args)
    locales = [session.locale(tag) for tag in split_locales(args.locales)]
    rows = catalog_stats(source.brief, locales, root, limits=session.project.limits)
    if args.json:
        print(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return 0
    print(f"{'locale':>8}  {'translated':>10}  {'fuzzy':>5}  {'untranslated':>12}  {'obsolete':>8}  catalog")
    for r in rows:
        where = r.path if r.exists else f"{r.path} (missing: run polybrief update)"
        print(f"{r.locale:>8}  {r.translated:>10}  {r.fuzzy:>5}  {r.untranslated:>12}  {r.obsolete:>8}  {where}")
    return 0


def _locale_add(args: argparse.Namespace) -> int:
    from ..catalogs.ui import add_locale

    result = add_locale(args.tag, args.dir)
    verb = "created" if result.created else "exists"
    print(f"{verb} {result.path}: {result.untranslated} of {result.total} strings left to translate")
    for msgid in result.untranslated_ids:
        print(f"  - {msgid}")
    return 0
