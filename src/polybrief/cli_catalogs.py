"""``polybrief extract``, ``update``, ``stats`` and ``locale add``: the catalog round trip."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    extract = subparsers.add_parser("extract", help="write the brief's translation template (.pot)")
    extract.add_argument("brief", type=Path)
    extract.add_argument("--catalogs", type=Path, metavar="DIR", help="catalog folder (default: <brief dir>/locales)")
    extract.set_defaults(handler=_extract)

    update = subparsers.add_parser("update", help="create or update the brief's .po files")
    update.add_argument("brief", type=Path)
    update.add_argument("--locales", required=True)
    update.add_argument("--catalogs", type=Path, metavar="DIR")
    update.set_defaults(handler=_update)

    stats = subparsers.add_parser("stats", help="translated / fuzzy / untranslated counts per locale")
    stats.add_argument("brief", type=Path)
    stats.add_argument("--locales", required=True)
    stats.add_argument("--catalogs", type=Path, metavar="DIR")
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    stats.set_defaults(handler=_stats)

    translate = subparsers.add_parser(
        "translate", help="fill untranslated catalog entries with machine-translated fuzzy drafts")
    translate.add_argument("brief", type=Path)
    translate.add_argument("--locales", required=True)
    translate.add_argument("--catalogs", type=Path, metavar="DIR")
    translate.add_argument("--retry-rejected", action="store_true",
                           help="send again fields whose machine translation was rejected before")
    from .cli_core import add_mt_options

    add_mt_options(translate, flag=False)
    translate.set_defaults(handler=_translate)

    locale = subparsers.add_parser("locale", help="manage polybrief's UI catalogs")
    locale_sub = locale.add_subparsers(dest="locale_command", metavar="ACTION", required=True)
    add = locale_sub.add_parser("add", help="scaffold a UI catalog for a new locale from the template")
    add.add_argument("tag", help="locale tag, e.g. ka")
    add.add_argument("--dir", type=Path, default=Path("locales"),
                     help="locale folder to write into (default: ./locales); use it later with --locale-data")
    add.set_defaults(handler=_locale_add)


def _root(args: argparse.Namespace) -> Path:
    from .catalogs import catalogs_root

    return catalogs_root(args.brief, args.catalogs)


def _extract(args: argparse.Namespace) -> int:
    from .brief_io import load
    from .catalogs import write_template

    path = write_template(load(args.brief), _root(args))
    print(f"wrote {path}")
    return 0


def _update(args: argparse.Namespace) -> int:
    from .brief_io import load
    from .catalogs import catalog_stats, load_brief_catalog, update_catalog, write_template
    from .cli_core import split_locales
    from .cldr import get_locale

    brief = load(args.brief)
    root = _root(args)
    locales = [get_locale(tag) for tag in split_locales(args.locales)]
    for locale in locales:
        load_brief_catalog(brief, locale, root)  # a bad catalog stops the run before anything is written
    write_template(brief, root)
    for locale in locales:
        path = update_catalog(brief, locale, root)
        (stats,) = catalog_stats(brief, [locale], root)
        print(f"{locale.tag:>8}  {path}  translated {stats.translated}, fuzzy {stats.fuzzy}, "
              f"untranslated {stats.untranslated}")
    return 0


def _stats(args: argparse.Namespace) -> int:
    from .brief_io import load
    from .catalogs import catalog_stats
    from .cli_core import split_locales

    rows = catalog_stats(load(args.brief), split_locales(args.locales), _root(args))
    if args.json:
        print(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return 0
    print(f"{'locale':>8}  {'translated':>10}  {'fuzzy':>5}  {'untranslated':>12}  {'obsolete':>8}  catalog")
    for r in rows:
        where = r.path if r.exists else f"{r.path} (missing: run polybrief update)"
        print(f"{r.locale:>8}  {r.translated:>10}  {r.fuzzy:>5}  {r.untranslated:>12}  {r.obsolete:>8}  {where}")
    return 0


def _translate(args: argparse.Namespace) -> int:
    from .brief_io import load
    from .cli_core import split_locales
    from .cldr import get_locale
    from .machine import engine_from_args, translate_catalogs

    brief = load(args.brief)
    locales = [get_locale(tag) for tag in split_locales(args.locales)]
    engine, glossary = engine_from_args(args)
    filled = translate_catalogs(brief, locales, _root(args), engine, glossary=glossary,
                                retry_rejected=args.retry_rejected)
    for tag, count in filled.items():
        print(f"{tag:>8}  {count} machine draft(s) written as fuzzy")
    return 0


def _locale_add(args: argparse.Namespace) -> int:
    from .ui_catalogs import add_ui_locale

    result = add_ui_locale(args.tag, args.dir)
    verb = "created" if result.created else "exists"
    print(f"{verb} {result.path}: {result.untranslated} of {result.total} strings left to translate")
    for msgid in result.untranslated_ids:
        print(f"  - {msgid}")
    return 0
