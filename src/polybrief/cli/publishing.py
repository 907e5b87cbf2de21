"""``polybrief render``, ``publish`` and ``schema``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .options import (
    add_catalogs_option,
    add_config_option,
    formats_from_args,
    locales_from_args,
    add_jobs_option,
    add_locale_data_option,
    add_mt_options,
    add_policy_options,
    add_site_options,
    add_template_option,
    project_from_args,
    report_missing_ui_catalogs,
)

from ..errors import UsageError
from .shards import add_shard_options, publish_sharded, sharded

if TYPE_CHECKING:
    from ..project import Project
    from ..publishing import MachineProvider, PublishReport
    from ..session import Session

__all__ = ["register"]


def register(subparsers: Any) -> None:
    render = subparsers.add_parser("render", help="render one brief in one locale")
    render.add_argument("brief", type=Path, help="brief file (.yaml, .yml or .json)")
    render.add_argument("--locale", required=True, help="BCP 47 locale tag, e.g. hy")
    render.add_argument("--format", choices=("text", "html"), default="html")
    render.add_argument("-o", "--output", type=Path, help="write here instead of standard output")
    for add in (add_catalogs_option, add_policy_options, add_template_option, add_locale_data_option,
                add_mt_options, add_config_option):
        add(render)
    render.set_defaults(handler=_render)

    publish = subparsers.add_parser("publish", help="publish briefs in their language and every target locale")
    publish.add_argument("briefs", type=Path, nargs="+", metavar="BRIEF")
    publish.add_argument("--locales", type=str,
                         help="comma-separated targets, e.g. hy,az,ru (default: [publish] locales in polybrief.toml)")
    publish.add_argument("--formats", default=None,
                         help="comma-separated: html,text (default: polybrief.toml's, else both)")
    publish.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: [site] out in polybrief.toml)")
    for add in (add_site_options, add_catalogs_option, add_policy_options, add_template_option,
                add_locale_data_option, add_mt_options, add_config_option):
        add(publish)
    publish.add_argument("--allow-mt-failure", action="store_true",
                         help="with --mt: publish a locale even when none of its machine translations was "
                              "accepted (default: fail, naming every such locale and why)")
    add_jobs_option(publish)
    add_shard_options(publish)
    publish.add_argument("--force", action="store_true",
                         help="build every page again, even those whose inputs did not change since they were "
                              "published into DIR")
    publish.set_defaults(handler=_publish)

    schema = subparsers.add_parser("schema", help="print the JSON Schema of brief files")
    schema.add_argument("-o", "--output", type=Path)
    schema.set_defaults(handler=_schema)


def _machine(args: argparse.Namespace, project: Project, session: Session | None = None) -> MachineProvider | None:
    if not getattr(args, "mt", False):
        return None
    from ..mt.pipeline import engine_for, machine_provider

    return machine_provider(engine_for(project), project=project, session=session)


def _render(args: argparse.Namespace) -> int:
    from ..session import Session

    session = Session(project_from_args(args))
    session.renderer.check_templates([args.format])
    source = session.open_brief(args.brief)
    locale = session.locale(args.locale)
    catalog = session.catalog(source, locale)
    machine = _machine(args, session.project, session)
    mt = None
    if machine is not None:
        mt = machine([(source, locale, catalog)]).get((source.brief.id, locale.tag))
    localised = session.localise(source, locale, catalog=catalog, machine=mt)
    _emit(session.renderer.render(localised, format=args.format), args.output)
    return 0


def _publish(args: argparse.Namespace) -> int:
    from ..publishing import publish
    from ..session import Session
    from .config import settings_of
    from .console import ProgressBars, locale_summaries, withheld_lines

    formats = formats_from_args(args)
    config = settings_of(args)
    out = args.out or (Path(config.get("site", "out")) if config.get("site", "out") else None)
    if out is None:
        raise UsageError("no output folder given", hint="use --out DIR, or set out under [site] in polybrief.toml")
    jobs = args.jobs if args.jobs is not None else config.get("publish", "jobs")
    locales = locales_from_args(args)
    if sharded(args):
        return publish_sharded(args, out=out, locales=locales, formats=formats, jobs=jobs)
    project = project_from_args(args)
    session = Session(project)
    for root in dict.fromkeys(session.repository.brief_root(Path(b)) for b in args.briefs):
        report_missing_ui_catalogs(session, locales, root)
    bars = ProgressBars() if sys.stderr.isatty() else None
    try:
        report = publish(args.briefs, locales=locales, out_dir=out, formats=formats,  # type: ignore[arg-type]
                         project=project, machine=_machine(args, project), jobs=jobs, force=args.force,
                         keep_localised=False, progress=bars)
    finally:
        if bars is not None:
            bars.close()
    if args.verbose:
        _page_lines(report)
    else:
        written: dict[str, int] = {}
        for file in (*report.files, *report.refreshed):
            written[file.locale] = written.get(file.locale, 0) + 1
        for line in locale_summaries(report, written):
            print(line)
    if report.machine:
        print("machine translation:")
        for mt in report.machine:
            print(f"{mt.locale:>8}  {mt.line()}")
    for line in withheld_lines(report.withheld, verbose=bool(args.verbose)):
        print(line)
    return 0


def _page_lines(report: PublishReport) -> None:
    """``-v``: one line per page built, then what was written."""
    for page in report.pages:
        if not page.built:
            continue
        counts = page.provenance
        summary = "original" if page.original else ", ".join(f"{k} {v}" for k, v in counts.items() if v)
        print(f"{page.locale:>8}  {page.brief_id}  ({summary})")
    for again in report.refreshed:
        print(f"{again.locale:>8}  {again.brief_id}  ({again.format}: language links updated)")
    wrote = f"wrote {len(report.files) + len(report.refreshed)} files"
    if report.unchanged:
        wrote += f" ({report.unchanged} unchanged)"
    extra = [str(report.index)] if report.index_written else []
    if report.site_files:
        extra.append(f"{len(report.site_files)} site files (indexes, feeds, sitemaps)")
    print(f"{wrote} and {' and '.join(extra)}" if extra else wrote)


def _schema(args: argparse.Namespace) -> int:
    from ..brief_io import brief_json_schema

    _emit(json.dumps(brief_json_schema(), indent=2, ensure_ascii=False) + "\n", args.output)
    return 0


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from ..fs import atomic_write_text

    atomic_write_text(output, text)
