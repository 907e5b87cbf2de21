"""``polybrief extract``, ``update``, ``stats`` and ``locale add``: the catalog round trip.

``extract``, ``update`` and ``stats`` take any number of briefs (one process
for a newsroom's 300, not 300), each line of output naming its brief; an
error names the brief file it came from.  ``update`` creates the catalogs a
new brief needs (the way to start one: no copying of another brief's files),
and when a brief's id changed it starts from the catalogs of the id it
replaces: ``--from OLD_ID``, or the site manifest's record of the file
(``--out DIR``, or ``[site] out`` in ``polybrief.toml``), instead of
silently starting empty ones.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import PolybriefError, UsageError
from .options import add_catalogs_option, add_config_option, locales_from_args, project_from_args

if TYPE_CHECKING:
    from ..brief_io import BriefSource
    from ..session import Session

__all__ = ["register"]


def register(subparsers: Any) -> None:
    extract = subparsers.add_parser("extract", help="write each brief's translation template (.pot)")
    extract.add_argument("briefs", type=Path, nargs="+", metavar="BRIEF")
    add_catalogs_option(extract)
    add_config_option(extract)
    extract.set_defaults(handler=_extract)

    update = subparsers.add_parser("update", help="create or update each brief's .po files")
    update.add_argument("briefs", type=Path, nargs="+", metavar="BRIEF")
    update.add_argument("--locales", help="comma-separated, e.g. hy,az,ru (default: polybrief.toml's)")
    update.add_argument("--from", dest="replaces", metavar="OLD_ID",
                        help="the id the brief had before: its catalogs are the starting point of the new ones")
    update.add_argument("--out", type=Path, metavar="DIR",
                        help="a site the briefs were published into: its manifest says which id a brief file had "
                             "(default: [site] out in polybrief.toml)")
    add_catalogs_option(update)
    add_config_option(update)
    update.set_defaults(handler=_update)

    stats = subparsers.add_parser("stats", help="translated / fuzzy / untranslated counts per brief and locale")
    stats.add_argument("briefs", type=Path, nargs="+", metavar="BRIEF")
    stats.add_argument("--locales", help="comma-separated, e.g. hy,az,ru (default: polybrief.toml's)")
    add_catalogs_option(stats)
    add_config_option(stats)
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


def _sources(args: argparse.Namespace) -> tuple[Session, list[tuple[BriefSource, Path]]]:
    """The session and every brief with its catalog folder (a brief opened from a path always has one).

    Every brief is read before anything is written, so a bad brief among many stops the command with
    nothing changed; its error names its file."""
    from ..session import Session

    session = Session(project_from_args(args))
    out = []
    for path in args.briefs:
        source = session.open_brief(path)
        assert source.catalog_root is not None
        out.append((source, source.catalog_root))
    return session, out


def _named(source: BriefSource, error: PolybriefError) -> PolybriefError:
    """``error`` naming the brief file it came from when it names no file itself."""
    if error.file is None and source.path is not None:
        error.file = str(source.path)
    return error


def _extract(args: argparse.Namespace) -> int:
    from ..catalogs.merge import write_template

    _, sources = _sources(args)
    for source, root in sources:
        try:
            print(f"wrote {write_template(source.brief, root)}")
        except PolybriefError as exc:
            raise _named(source, exc) from None
    return 0


def _update(args: argparse.Namespace) -> int:
    from ..catalogs.brief import catalog_stats, check_writable_catalog, load_brief_catalog
    from ..catalogs.merge import update_catalog, write_template
    from ..catalogs.repository import po_path

    session, sources = _sources(args)
    if args.replaces is not None and len(sources) > 1:
        raise UsageError("--from names the old id of one brief", hint="update briefs that changed id one at a time")
    project = session.project
    locales = [session.locale(tag) for tag in locales_from_args(args)]
    replaced = {source.path: args.replaces or _recorded_id(args, source) for source, _ in sources}
    for source, root in sources:  # a bad or unwritable catalog stops the run before anything is written
        try:
            for locale in locales:
                load_brief_catalog(source.brief, locale, root, limits=project.limits)
                check_writable_catalog(po_path(root, locale, source.brief.id))
        except PolybriefError as exc:
            raise _named(source, exc) from None
    several = len(sources) > 1
    for source, root in sources:
        brief = source.brief
        old = replaced.get(source.path)
        write_template(brief, root)
        for locale in locales:
            new = not po_path(root, locale, brief.id).exists()
            path = update_catalog(brief, locale, root, limits=project.limits, replaces=old)
            (stats,) = catalog_stats(brief, [locale], root, limits=project.limits)
            started = f" (from {old}'s catalog)" if new and old and po_path(root, locale, old).exists() else ""
            name = f"  {brief.id}" if several else ""
            print(f"{locale.tag:>8}{name}  {path}  translated {stats.translated}, fuzzy {stats.fuzzy}, "
                  f"untranslated {stats.untranslated}{started}")
    return 0


def _recorded_id(args: argparse.Namespace, source: BriefSource) -> str | None:
    """The id the site manifest last published this brief file under, when it was another one."""
    from ..site.manifest_read import load_manifest
    from .config import settings_of

    out = args.out or settings_of(args).get("site", "out")
    if out is None or source.path is None or not Path(out).is_dir():
        return None
    manifest = load_manifest(Path(out))
    stored = manifest.store_path(source.path)
    record = manifest.brief_at(stored) if stored is not None else None
    return record.id if record is not None and record.id != source.brief.id else None


def _stats(args: argparse.Namespace) -> int:
    from ..catalogs.brief import catalog_stats

    session, sources = _sources(args)
    locales = [session.locale(tag) for tag in locales_from_args(args)]
    rows = []
    for source, root in sources:
        for row in catalog_stats(source.brief, locales, root, limits=session.project.limits):
            rows.append((source.brief.id, row))
    if args.json:
        if len(sources) == 1:
            print(json.dumps([asdict(r) for _, r in rows], ensure_ascii=False, indent=2))
        else:
            print(json.dumps([{"brief": bid, **asdict(r)} for bid, r in rows], ensure_ascii=False, indent=2))
        return 0
    several = len(sources) > 1
    brief_column = f"  {'brief':<20}" if several else ""
    print(f"{'locale':>8}{brief_column}  {'translated':>10}  {'fuzzy':>5}  {'untranslated':>12}  {'obsolete':>8}  catalog")
    for brief_id, r in rows:
        where = r.path if r.exists else f"{r.path} (missing: run polybrief update)"
        name = f"  {brief_id:<20}" if several else ""
        print(f"{r.locale:>8}{name}  {r.translated:>10}  {r.fuzzy:>5}  {r.untranslated:>12}  {r.obsolete:>8}  {where}")
    return 0


def _locale_add(args: argparse.Namespace) -> int:
    from ..catalogs.ui import add_locale

    result = add_locale(args.tag, args.dir)
    verb = "created" if result.created else "exists"
    print(f"{verb} {result.path}: {result.untranslated} of {result.total} strings left to translate")
    for msgid in result.untranslated_ids:
        print(f"  - {msgid}")
    return 0
