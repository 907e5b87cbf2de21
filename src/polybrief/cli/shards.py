"""``polybrief publish --shard K/N`` / ``--shards N`` and ``polybrief site merge``: a site in shards.

Without these options ``publish`` is unchanged.  ``--shard K/N --out FOLDER``
publishes one shard's briefs into a shard folder (no Ray: run it on N
machines by hand); ``site merge SITE FOLDER...`` makes the site of the N
folders; ``--shards N`` does both on a Ray cluster (``--ray ADDRESS``,
default ``local``) with one task per shard.  See docs/scale.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError

if TYPE_CHECKING:
    from ..publishing import PublishReport

__all__ = ["add_shard_options", "sharded", "publish_sharded", "register_merge"]


def add_shard_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("a site beyond one machine (docs/scale.md)")
    group.add_argument("--shard", metavar="K/N", default=None,
                       help="publish only the briefs of shard K of N into --out, a shard folder (give every "
                            "machine the same briefs); then: polybrief site merge SITE SHARD-FOLDER...")
    group.add_argument("--shards", type=int, default=None, metavar="N",
                       help="publish in N shards, one Ray task each, on the cluster --ray names (default: local), "
                            "and merge them into --out (needs polybrief[ray] and one file system shared by the "
                            "nodes); --jobs is then the worker processes (and Ray CPUs) of each task (default 1)")


def sharded(args: argparse.Namespace) -> bool:
    """Whether ``publish`` was asked for a shard or for shards (else it runs as always)."""
    return getattr(args, "shard", None) is not None or getattr(args, "shards", None) is not None


def _check(args: argparse.Namespace) -> None:
    if args.shard is not None and args.shards is not None:
        raise UsageError("--shard K/N publishes one shard, --shards N all of them: give one", field="--shard")
    if args.mt:
        raise UsageError("--mt cannot be combined with --shard or --shards",
                         hint="write the machine drafts into the catalogs first (polybrief translate), then publish "
                              "in shards")
    if args.shard is not None and args.ray is not None:
        raise UsageError("--ray runs the shards of --shards N; --shard K/N publishes one shard here",
                         hint="leave --ray out, or use --shards N")
    if args.shards is not None and args.shards < 1:
        raise UsageError(f"--shards {args.shards}: at least one shard", field="--shards")


def publish_sharded(args: argparse.Namespace, *, out: Path, locales: list[str], formats: list[str],
                    jobs: int | None) -> int:
    """``publish`` with ``--shard`` or ``--shards`` (the options were parsed by ``publish``)."""
    from .options import project_from_args

    _check(args)
    ray = args.ray
    args.ray = None  # --ray names where the shards run, not an MT engine
    project = project_from_args(args)
    if args.shard is not None:
        from ..publishing.shards import parse_shard, publish_shard

        report = publish_shard(args.briefs, shard=parse_shard(args.shard), locales=locales, out_dir=out,
                               project=project, formats=formats, jobs=jobs, force=args.force)  # type: ignore[arg-type]
        _summary(report, verbose=bool(args.verbose))
        print(f"shard {args.shard} in {out}: merge every shard with polybrief site merge SITE SHARD-FOLDER...")
        return 0
    from ..publishing.distributed import publish_distributed

    def shard_line(summary: Any) -> None:
        print(f"shard {summary.number}/{summary.count}: {summary.briefs} brief(s), {summary.files} file(s) on "
              f"{summary.node} in {summary.seconds:.1f} s (CPU {summary.cpu_seconds:.1f} s)")

    result = publish_distributed(args.briefs, locales=locales, out_dir=out, shards=args.shards,
                                 address=ray or "local", project=project, formats=formats,  # type: ignore[arg-type]
                                 jobs=args.jobs or 1, on_shard=shard_line)
    _summary(result.report, verbose=bool(args.verbose))
    print(f"{args.shards} shard(s) merged in {result.merge_seconds:.1f} s; {result.seconds:.1f} s in all")
    return 0


def _summary(report: PublishReport, *, verbose: bool) -> None:
    from .console import locale_summaries, withheld_lines

    written: dict[str, int] = {}
    for file in (*report.files, *report.refreshed):
        written[file.locale] = written.get(file.locale, 0) + 1
    for line in locale_summaries(report, written):
        print(line)
    for line in withheld_lines(report.withheld, verbose=verbose):
        print(line)


def register_merge(sub: Any) -> None:
    """``polybrief site merge SITE SHARD...`` (a subcommand of ``site``)."""
    from .options import add_config_option, add_glossary_option, add_locale_data_option, add_template_option

    merge = sub.add_parser(
        "merge", help="make one site of shard folders (polybrief publish --shard K/N)",
        description="polybrief site merge SITE SHARD-FOLDER...: every shard of one partition, once each; the "
                    "pages are moved into SITE with one manifest, and the index, language indexes, feeds and "
                    "sitemaps are made once.  Nothing is replaced unless every shard is whole.")
    merge.add_argument("out", type=Path, metavar="SITE")
    merge.add_argument("shard_folders", type=Path, nargs="+", metavar="SHARD-FOLDER")
    group = merge.add_argument_group("the site's own pages (and pages on record rendered again) use these")
    add_template_option(group)
    add_locale_data_option(group)
    add_glossary_option(group)
    add_config_option(merge)
    merge.set_defaults(handler=_merge)


def _merge(args: argparse.Namespace) -> int:
    from ..publishing.merge import merge_shards
    from .console import ProgressBars
    from .options import project_from_args

    bars = ProgressBars() if sys.stderr.isatty() else None
    try:
        report = merge_shards(args.out, args.shard_folders, project=project_from_args(args), progress=bars)
    finally:
        if bars is not None:
            bars.close()
    _summary(report, verbose=bool(args.verbose))
    print(f"merged {len(args.shard_folders)} shard(s) into {args.out}")
    return 0
