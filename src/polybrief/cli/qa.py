"""``polybrief check``: run the quality checks on a brief's translations.

Exit status 1 when any locale has an error-level finding (so CI can gate on
it), 0 otherwise, 2 for bad input (through :func:`polybrief.cli.main`).  The
catalogs are checked as ``publish`` would use them: reviewed entries always,
drafts only with ``--drafts include``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .options import (
    add_catalogs_option,
    add_config_option,
    add_jobs_option,
    add_glossary_option,
    add_locale_data_option,
    add_policy_options,
    locales_from_args,
    project_from_args,
    report_missing_ui_catalogs,
)

__all__ = ["register"]


def register(subparsers: Any) -> None:
    check = subparsers.add_parser(
        "check", help="run the quality checks on a brief's translations (exit 1 on errors)",
        description="Check every translated segment (numbers, glossary terms, links, script, ...) "
                    "and report per locale.  Exit status 1 when any error-level finding exists.",
    )
    check.add_argument("briefs", type=Path, nargs="+", metavar="BRIEF", help="brief file(s) (.yaml, .yml or .json)")
    check.add_argument("--locales", help="comma-separated targets, e.g. hy,az,ru (default: polybrief.toml's)")
    check.add_argument("--json", action="store_true", help="machine-readable report on standard output")
    add_catalogs_option(check)
    add_policy_options(check, strict=False)
    add_glossary_option(check)
    add_locale_data_option(check)
    add_jobs_option(check)
    add_config_option(check)
    check.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    from ..checking import check_files

    from ..session import Session

    project = project_from_args(args, check=True)
    locales = locales_from_args(args, table="check")
    session = Session(project)
    for root in dict.fromkeys(session.repository.brief_root(Path(b)) for b in args.briefs):
        report_missing_ui_catalogs(session, locales, root)
    report, outcomes = check_files(args.briefs, locales, project=project, jobs=args.jobs)
    if args.json:
        sys.stdout.write(report.to_json() + "\n")
        return 1 if report.has_errors else 0
    several = len(args.briefs) > 1
    skipped = [f"{o.locale} ({o.brief_id})" if several else o.locale for o in outcomes if o.original]
    for tag in report.locales:
        errors, warnings = report.errors(tag), report.warnings(tag)
        quiet = report.silenced.get(tag, 0)
        silenced = f" ({_count(quiet, 'finding')} silenced by ignore-* flags)" if quiet else ""
        if not errors and not warnings:
            print(f"{tag}: no problems{silenced}")
            continue
        print(f"{tag}: {_count(len(errors), 'error')}, {_count(len(warnings), 'warning')}{silenced}")
        for finding in report.findings[tag]:
            print(f"  {finding.severity.value:<7}  {finding.check:<19}  {finding.message}")
    for tag in skipped:
        print(f"{tag}: the brief's own language, nothing to check")
    return 1 if report.has_errors else 0


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
