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

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    check = subparsers.add_parser(
        "check", help="run the quality checks on a brief's translations (exit 1 on errors)",
        description="Check every translated segment (numbers, glossary terms, links, script, ...) "
                    "and report per locale.  Exit status 1 when any error-level finding exists.",
    )
    check.add_argument("brief", type=Path, help="brief file (.yaml, .yml or .json)")
    check.add_argument("--locales", required=True, help="comma-separated targets, e.g. hy,az,ru")
    check.add_argument("--json", action="store_true", help="machine-readable report on standard output")
    check.add_argument("--catalogs", type=Path, metavar="DIR", help="catalog folder (default: <brief dir>/locales)")
    check.add_argument("--drafts", choices=("include", "exclude"), default="exclude",
                       help="check fuzzy (draft) entries as publish --drafts include would use them")
    check.add_argument("--glossary", type=Path, metavar="FILE", help="glossary (CSV or TBX)")
    check.add_argument("--locale-data", type=Path, action="append", default=[], metavar="DIR",
                       help="folder of quotation-marks.toml searched first (repeatable)")
    check.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    from .cli_core import split_locales
    from .cldr import get_locale
    from .localise import localise
    from .provenance import TranslationPolicy
    from .publish import open_brief
    from .qa import check_briefs

    tags = split_locales(args.locales)
    source = open_brief(args.brief, catalogs_dir=args.catalogs)
    glossary = None
    if args.glossary is not None:
        from .glossary import load_glossary

        glossary = load_glossary(args.glossary, source_language=source.brief.language)
    policy = TranslationPolicy(drafts=args.drafts)
    localised = []
    for tag in tags:
        locale = get_locale(tag, data_dirs=args.locale_data)
        localised.append(localise(source.brief, locale, catalog=source.catalog(locale), policy=policy,
                                  locale_dirs=tuple(args.locale_data)))
    report = check_briefs(localised, glossary=glossary)
    if args.json:
        sys.stdout.write(report.to_json() + "\n")
        return 1 if report.has_errors else 0
    skipped = [item.locale.tag for item in localised if item.is_original]
    for tag in report.locales:
        errors, warnings = report.errors(tag), report.warnings(tag)
        if not errors and not warnings:
            print(f"{tag}: no problems")
            continue
        print(f"{tag}: {_count(len(errors), 'error')}, {_count(len(warnings), 'warning')}")
        for finding in report.findings[tag]:
            print(f"  {finding.severity.value:<7}  {finding.check:<15}  {finding.message}")
    for tag in skipped:
        print(f"{tag}: the brief's own language, nothing to check")
    return 1 if report.has_errors else 0


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
