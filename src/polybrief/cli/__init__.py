"""The ``polybrief`` command line: a thin layer over the Python API.

Each group of subcommands lives in its own module of this package exposing
``register(subparsers)``; options shared between commands are defined once in
:mod:`.options`, which also builds the run's :class:`~polybrief.Project`.  A
handler takes the parsed arguments and returns an exit status.  Any :class:`~polybrief.errors.PolybriefError` becomes one line on
stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import PolybriefError

__all__ = ["main", "build_parser"]

#: Modules contributing subcommands, in the order ``--help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "polybrief.cli.publishing",
    "polybrief.cli.catalogs",
    "polybrief.cli.mt",
    "polybrief.cli.qa",
    "polybrief.cli.site",
)


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on usage errors already; keep its one-line form."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="polybrief",
        description="Publish one news or situation brief in many languages.",
    )
    parser.add_argument("--version", action="version", version=f"polybrief {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (repeat for debug)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2),
        format="polybrief: %(levelname)s: %(message)s",
    )
    try:
        return int(args.handler(args) or 0)
    except PolybriefError as exc:
        print(f"polybrief: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("polybrief: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
