"""``polybrief translate`` and ``polybrief models …``: machine translation from the command line.

``translate`` writes machine drafts into a brief's catalogs.  ``models
install`` takes one of three things, decided by its arguments: a
``.argosmodel`` file, a CTranslate2 model folder (OPUS-MT/NLLB conversions,
the only way to get Armenian), or a language pair to fetch from an Argos
package index.  Everything is done by :mod:`polybrief.mt.store` (where models
live, what is installed), :mod:`polybrief.mt.routes`, :mod:`polybrief.mt.install`
and :mod:`polybrief.mt.index`; this module only parses arguments and prints
results.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .options import (
    add_catalogs_option,
    add_mt_options,
    add_packages_dir_option,
    limits_from_args,
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
    _register_models(subparsers)


def _translate(args: argparse.Namespace) -> int:
    from ..mt.pipeline import engine_for, translate_catalogs

    from ..session import Session

    session = Session(project_from_args(args))
    source = session.open_brief(args.brief)
    locales = [session.locale(tag) for tag in split_locales(args.locales)]
    filled = translate_catalogs(source, locales, engine_for(session.project), session=session,
                                retry_rejected=args.retry_rejected)
    missing = {target: source for source, target in filled.missing_pairs}
    for tag, count in filled.items():
        if tag in missing:
            print(f"{tag:>8}  no model for {missing[tag]}→{tag}: nothing sent, nothing recorded "
                  f"(install one with 'polybrief models install {missing[tag]} {tag}' or a model folder, "
                  "then run translate again)")
            continue
        summary = filled.summary(tag)
        line = f"{tag:>8}  {count} machine draft(s) written as fuzzy"
        if summary is not None and summary.rejected:
            line += f"; {summary.rejected_count} rejected and recorded in the catalog: {summary.reasons()}"
        print(line)
    return 0


def _register_models(subparsers: Any) -> None:
    """Add the ``models`` command group to the ``polybrief`` parser."""
    models = subparsers.add_parser("models", help="list and install offline translation models")

    def usage(args: argparse.Namespace) -> int:
        models.print_help(sys.stderr)
        return 2

    models.set_defaults(handler=usage)
    sub = models.add_subparsers(dest="models_command", metavar="SUBCOMMAND")

    listing = sub.add_parser("list", help="installed models, and the language pairs they cover")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    add_packages_dir_option(listing)
    listing.set_defaults(handler=list_handler)

    install = sub.add_parser(
        "install",
        help="install a .argosmodel file, a CTranslate2 model folder, or FROM TO from the Argos index",
        description=(
            "polybrief models install FILE.argosmodel | FOLDER [--from en --to hy --target-prefix hye_Armn] "
            "| FROM TO [--index-url URL].  Argos has no Armenian model: convert OPUS-MT or NLLB with "
            "CTranslate2 and install the folder (see docs/mt.md)."
        ),
    )
    install.add_argument(
        "what", nargs="+", metavar="PATH|FROM TO", help="package file, model folder, or a language pair",
    )
    install.add_argument("--from", dest="from_code", metavar="LANG", help="source language of a model folder")
    install.add_argument("--to", dest="to_code", metavar="LANG", help="target language of a model folder")
    install.add_argument(
        "--target-prefix", metavar="TOKEN", help="target language token of a multilingual model (NLLB: hye_Armn)",
    )
    install.add_argument("--source-prefix", metavar="TOKEN", help="source language token (inferred for NLLB)")
    install.add_argument("--name", help="name of the installed model folder")
    install.add_argument(
        "--index-url", metavar="URL", help="Argos-format package index (default: $POLYBRIEF_INDEX_URL or Argos's)",
    )
    install.add_argument("--timeout", type=float, default=30.0,
                         help="seconds to wait for each network read (default: 30); a whole download is bounded "
                              "by --limit download_seconds=N (default 3600)")
    add_packages_dir_option(install)
    install.set_defaults(handler=install_handler)


def list_handler(args: argparse.Namespace) -> int:
    from ..mt.routes import list_routes
    from ..mt.store import list_models, packages_root

    packages_dir = packages_root(args.packages_dir)
    models = list_models(packages_dir)
    routes = list_routes(models)
    if args.json:
        payload = {
            "packages_dir": str(packages_dir),
            "models": [m.to_dict() for m in models],
            "pairs": [
                {"source": r.source, "target": r.target, "route": r.kind, "via": r.via, "models": list(r.labels)}
                for r in routes
            ],
        }
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return 0
    out = sys.stdout
    out.write(f"models in {packages_dir}:\n")
    if not models:
        out.write("  (none) — install one with 'polybrief models install FROM TO' or a model folder\n")
        return 0
    for model in models:
        prefix = f"  target prefix {' '.join(model.target_prefix)}" if model.target_prefix else ""
        out.write(f"  {model.label:<32} {model.layout:<8} {model.path.name}{prefix}\n")
    out.write("pairs:\n")
    for route in routes:
        how = "direct" if route.kind == "direct" else f"via {route.via}"
        out.write(f"  {route.source}→{route.target:<6} {how:<8} {' + '.join(route.labels)}\n")
    return 0


def install_handler(args: argparse.Namespace) -> int:
    from ..mt.folders import install_folder
    from ..mt.index import install_from_index
    from ..mt.install import install_package

    what: list[str] = args.what
    limits = limits_from_args(args)
    if len(what) == 2:
        if args.from_code or args.to_code or args.target_prefix:
            raise UsageError("--from/--to/--target-prefix are for model folders, not FROM TO")
        model = install_from_index(
            what[0], what[1], index_url=args.index_url, packages_dir=args.packages_dir, timeout=args.timeout,
            limits=limits,
        )
    elif len(what) == 1:
        path = Path(what[0])
        if path.is_dir():
            model = install_folder(
                path, from_code=args.from_code, to_code=args.to_code, target_prefix=args.target_prefix,
                source_prefix=args.source_prefix, name=args.name, packages_dir=args.packages_dir, limits=limits,
            )
        elif path.exists() or path.suffix == ".argosmodel":
            model = install_package(path, packages_dir=args.packages_dir, limits=limits)
        else:
            raise UsageError(
                f"{what[0]!r} is neither a file nor a folder",
                hint="give a .argosmodel file, a model folder, or a language pair such as 'en az'",
            )
    else:
        raise UsageError(
            f"expected PATH or FROM TO, got {len(what)} arguments",
            hint="e.g. 'polybrief models install en az' or "
            "'polybrief models install ./opus-mt-en-hy --from en --to hy'",
        )
    sys.stdout.write(f"installed {model.label} in {model.path}\n")
    return 0
