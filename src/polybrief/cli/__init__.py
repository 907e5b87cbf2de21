"""The ``polybrief`` command line: a thin layer over the Python API.

Each group of subcommands lives in its own module of this package exposing
``register(subparsers)``; options shared between commands are defined once in
:mod:`.options`, which also builds the run's :class:`~polybrief.Project`.  A
handler takes the parsed arguments and returns an exit status.

:func:`main` is the one boundary between polybrief and its user:

* a :class:`~polybrief.errors.PolybriefError` (bad input, with file, line,
  field and what to do) becomes one line on stderr and exit status 2;
* anything else is a bug in polybrief: one line saying so and asking for a
  report, exit status 70 (``EX_SOFTWARE``), and the traceback only with
  ``-v``;
* never a multi-line message: newlines inside a message are folded, and
  control and bidirectional characters (from a file name, a field name, a
  value) are shown as ``<U+001B>``, never sent to the terminal;
* a usage error found by argparse (``--jobs abc``) is one line too, exit 2;
* a run cut short from outside (a worker process killed by a signal) is one
  line naming the signal, exit status 75 (``EX_TEMPFAIL``: run it again).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from typing import NoReturn

from .._version import __version__
from ..controls import neutralise_controls
from ..errors import InterruptedRunError, PolybriefError

__all__ = ["main", "build_parser", "EXIT_BAD_INPUT", "EXIT_INTERNAL", "EXIT_INTERRUPTED"]

#: Exit status for bad input (any :class:`PolybriefError`).
EXIT_BAD_INPUT = 2
#: Exit status for an internal error (a bug): ``EX_SOFTWARE`` from sysexits.h.
EXIT_INTERNAL = 70
#: Exit status for a run cut short from outside (:class:`InterruptedRunError`): ``EX_TEMPFAIL``.
EXIT_INTERRUPTED = 75

#: Modules contributing subcommands, in the order ``--help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "polybrief.cli.config",
    "polybrief.cli.publishing",
    "polybrief.cli.catalogs",
    "polybrief.cli.mt",
    "polybrief.cli.qa",
    "polybrief.cli.site",
)


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on usage errors already; its message is made one line (no usage block)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"polybrief: error: {_one_line(message)} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="polybrief",
        description="Publish one news or situation brief in many languages.",
    )
    parser.add_argument("--version", action="version", version=f"polybrief {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="more log output (repeat for debug); shows the traceback of an internal error")
    parser.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE",
                        help="change one bound on inputs, e.g. brief_bytes=64MiB (repeatable; "
                             "see the README's Security model)")
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
    from .console import install_folding

    folding = install_folding(logging.WARNING - 10 * min(args.verbose, 2))
    try:
        return _run(args)
    finally:
        folding.flush_summary()


def _run(args: argparse.Namespace) -> int:
    try:
        from .options import limits_from_args

        limits_from_args(args)  # a bad --limit is a usage error for every command, even those that read nothing
        return int(args.handler(args) or 0)
    except PolybriefError as exc:
        for problem in exc.problems:  # one line each: file:line: field: message (hint)
            print(f"polybrief: error: {_one_line(problem.describe())}", file=sys.stderr)
        return EXIT_INTERRUPTED if isinstance(exc, InterruptedRunError) else EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("polybrief: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except MemoryError:
        print("polybrief: internal error: out of memory (an input may be larger than the limits "
              "assume; please report this)", file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as exc:  # the boundary: a bug, never a traceback unless asked for
        if args.verbose:
            import traceback

            traceback.print_exc(file=sys.stderr)
        print(f"polybrief: internal error: {type(exc).__name__}: {_one_line(str(exc))[:500]} — this is a bug "
              "in polybrief, please report it with the command you ran (run with -v for the traceback)", file=sys.stderr)
        return EXIT_INTERNAL


def _one_line(text: str) -> str:
    """``text`` on one line, with every control or bidirectional character made visible."""
    return neutralise_controls(" ".join(text.split()))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
