"""``polybrief site list``, ``polybrief site remove`` and ``site merge``: the output folder as one site."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .options import add_glossary_option, add_locale_data_option, add_template_option
from .shards import register_merge

__all__ = ["register"]


def register(subparsers: Any) -> None:
    site = subparsers.add_parser("site", help="list or remove what a publish folder holds")

    def usage(args: argparse.Namespace) -> int:
        site.print_help(sys.stderr)
        return 2

    site.set_defaults(handler=usage)
    sub = site.add_subparsers(dest="site_command", metavar="SUBCOMMAND")

    listing = sub.add_parser("list", help="briefs and language versions on record in DIR")
    listing.add_argument("out", type=Path, metavar="DIR")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(handler=_list)

    remove = sub.add_parser(
        "remove", help="take briefs or locales off the site; the remaining pages and the index are updated",
        description="polybrief site remove DIR --brief ID (every page of a brief) | --locale TAG (that locale "
                    "of every brief) | both (those locales of those briefs).  Publishing never deletes pages.")
    remove.add_argument("out", type=Path, metavar="DIR")
    remove.add_argument("--brief", action="append", default=[], metavar="ID", help="brief id (repeatable)")
    remove.add_argument("--locale", action="append", default=[], metavar="TAG", help="locale tag (repeatable)")
    group = remove.add_argument_group(
        "pages rendered again (their language links change) use these, which must be what they were published "
        "with; the folders named in the manifest are never used")
    add_template_option(group)
    add_locale_data_option(group)
    add_glossary_option(group)
    remove.set_defaults(handler=_remove)
    register_merge(sub)


def _list(args: argparse.Namespace) -> int:
    from ..errors import OutputError
    from ..site.manifest_read import load_manifest
    from ..site.state import MANIFEST_NAME, has_manifest
    from .options import limits_from_args

    if not has_manifest(args.out):
        raise OutputError(f"not a polybrief site (no {MANIFEST_NAME})", file=args.out)
    manifest = load_manifest(args.out, limits=limits_from_args(args))
    if args.json:
        sys.stdout.write(json.dumps(manifest.to_json(), ensure_ascii=False, indent=1) + "\n")
        return 0
    for record in manifest.briefs.values():
        print(f"{record.id}  ({record.language}, published {record.published})")
        for page in record.pages.values():
            counts = ", ".join(f"{k} {v}" for k, v in page.provenance.items() if v)
            formats = ",".join(page.files)
            print(f"  {page.locale:>8}  {formats:<10} {counts}")
    if manifest.base_url:
        print(f"base URL: {manifest.base_url}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from ..cldr import get_locale
    from ..publishing.remove import remove_from_site
    from .options import project_from_args

    locales = [get_locale(tag).tag for tag in args.locale]
    report = remove_from_site(args.out, briefs=args.brief, locales=locales, project=project_from_args(args))
    for path in report.removed:
        print(f"removed {path}")
    for path in report.refreshed:
        print(f"updated {path}")
    print(f"rebuilt {report.index}")
    return 0
