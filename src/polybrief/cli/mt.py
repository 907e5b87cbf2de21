"""``polybrief translate``: machine drafts into a brief's catalogs.

(``polybrief models …``, which installs and lists the models, is in :mod:`polybrief.cli_mt`.)
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .options import (
    add_catalogs_option,
    add_mt_options,
    project_from_args,
    split_locales,
)

__all__ = ["register"]


def register(subparsers: Any) -> None:
    translate = subparsers.add_parser(
        "translate", help="fill untranslated catalog entries with machine-translated fuzzy drafts")
    translate.add_argument("brief", type=Path)
    translate.add_argument("--locales", required=True)
    add_catalogs_option(translate)
    translate.add_argument("--retry-rejected", action="store_true",
                           help="send again fields whose machine translation was rejected before")
    add_mt_options(translate, flag=False)
    translate.set_defaults(handler=_translate)


def _translate(args: argparse.Namespace) -> int:
    from ..mt.pipeline import engine_for, translate_catalogs

    project = project_from_args(args)
    source = project.open_brief(args.brief)
    locales = [project.locale(tag) for tag in split_locales(args.locales)]
    filled = translate_catalogs(source, locales, engine_for(project), project=project,
                                retry_rejected=args.retry_rejected)
    for tag, count in filled.items():
        print(f"{tag:>8}  {count} machine draft(s) written as fuzzy")
    return 0
