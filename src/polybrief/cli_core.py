"""``polybrief render``, ``publish`` and ``schema``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import LocaleError, OutputError

__all__ = ["register", "split_locales", "add_policy_options", "add_resource_options"]


def split_locales(value: str) -> list[str]:
    """``hy,az,ru`` -> ``["hy", "az", "ru"]`` (each checked against CLDR)."""
    from .cldr import get_locale

    tags = [part.strip() for part in value.split(",") if part.strip()]
    if not tags:
        raise LocaleError("no locales given", hint="use e.g. --locales hy,az,ru")
    return [get_locale(tag).tag for tag in tags]


def add_policy_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalogs", type=Path, metavar="DIR",
                        help="catalog folder (default: <brief dir>/locales)")
    parser.add_argument("--drafts", choices=("include", "exclude"), default="exclude",
                        help="publish fuzzy (draft) catalog entries? (default: exclude)")
    parser.add_argument("--strict", action="store_true",
                        help="fail when any segment would fall back to the source text")


def add_resource_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--templates", type=Path, action="append", default=[], metavar="DIR",
                        help="folder of templates searched before the built-in ones (repeatable)")
    parser.add_argument("--locale-data", type=Path, action="append", default=[], metavar="DIR",
                        help="folder of UI catalogs and quotation-marks.toml searched first (repeatable)")


def add_mt_options(parser: argparse.ArgumentParser, *, flag: bool = True) -> None:
    group = parser.add_argument_group("machine translation (needs polybrief[mt])")
    if flag:
        group.add_argument("--mt", action="store_true", help="machine-translate what the catalogs lack")
    group.add_argument("--glossary", type=Path, metavar="FILE", help="glossary (CSV or TBX)")
    group.add_argument("--packages-dir", type=Path, metavar="DIR",
                       help="models folder (default: $ARGOS_PACKAGES_DIR or Argos Translate's own)")
    group.add_argument("--device", choices=("cpu", "cuda", "auto"), default="cpu")
    group.add_argument("--beam-size", type=int, default=None)
    group.add_argument("--compute-type", default=None, help="CTranslate2 compute type (default int8 on CPU)")
    group.add_argument("--threads", type=int, default=None, help="intra-op threads per translator")


def register(subparsers: argparse._SubParsersAction) -> None:
    render = subparsers.add_parser("render", help="render one brief in one locale")
    render.add_argument("brief", type=Path, help="brief file (.yaml, .yml or .json)")
    render.add_argument("--locale", required=True, help="BCP 47 locale tag, e.g. hy")
    render.add_argument("--format", choices=("text", "html"), default="html")
    render.add_argument("-o", "--output", type=Path, help="write here instead of standard output")
    add_policy_options(render)
    add_resource_options(render)
    add_mt_options(render)
    render.set_defaults(handler=_render)

    publish = subparsers.add_parser("publish", help="publish briefs in their language and every target locale")
    publish.add_argument("briefs", type=Path, nargs="+", metavar="BRIEF")
    publish.add_argument("--locales", required=True, type=str, help="comma-separated targets, e.g. hy,az,ru")
    publish.add_argument("--formats", default="html,text", help="comma-separated: html,text (default both)")
    publish.add_argument("--out", type=Path, required=True, metavar="DIR")
    publish.add_argument("--allow-qa-errors", action="store_true",
                         help="publish locales even when quality checks report errors")
    add_policy_options(publish)
    add_resource_options(publish)
    add_mt_options(publish)
    publish.set_defaults(handler=_publish)

    schema = subparsers.add_parser("schema", help="print the JSON Schema of brief files")
    schema.add_argument("-o", "--output", type=Path)
    schema.set_defaults(handler=_schema)


def _policy(args: argparse.Namespace):  # noqa: ANN202
    from .provenance import TranslationPolicy

    return TranslationPolicy(drafts=args.drafts, strict=args.strict)


def _machine(args: argparse.Namespace):  # noqa: ANN202
    if not getattr(args, "mt", False):
        return None
    from .machine import machine_provider_from_args

    return machine_provider_from_args(args)


def _glossary(args: argparse.Namespace):  # noqa: ANN202
    if getattr(args, "glossary", None) is None:
        return None
    from .glossary import load_glossary

    return load_glossary(args.glossary)


def _render(args: argparse.Namespace) -> int:
    from .publish import open_brief
    from .localise import localise
    from .cldr import get_locale
    from .render import Renderer

    renderer = Renderer(template_dirs=args.templates, locale_dirs=args.locale_data)
    renderer.check_templates([args.format])
    source = open_brief(args.brief, catalogs_dir=args.catalogs)
    locale = get_locale(args.locale, data_dirs=args.locale_data)
    catalog = source.catalog(locale)
    machine = _machine(args)
    mt = None
    if machine is not None:
        mt = machine([(source, locale, catalog)]).get((source.brief.id, locale.tag))
    localised = localise(source.brief, locale, catalog=catalog, policy=_policy(args), machine=mt,
                         locale_dirs=tuple(args.locale_data))
    text = renderer.render(localised, format=args.format)
    _emit(text, args.output)
    return 0


def _publish(args: argparse.Namespace) -> int:
    from .publish import publish
    from .render import Renderer

    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    bad = [f for f in formats if f not in ("html", "text")]
    if bad or not formats:
        raise OutputError(f"unknown format(s) {bad or formats}", hint="use --formats html,text")
    renderer = Renderer(template_dirs=args.templates, locale_dirs=args.locale_data)
    report = publish(
        args.briefs, locales=split_locales(args.locales), out_dir=args.out, formats=formats,
        renderer=renderer, policy=_policy(args), catalogs_dir=args.catalogs,
        locale_dirs=args.locale_data, machine=_machine(args),
        glossary=_glossary(args), quality_gate=not args.allow_qa_errors,
    )
    for item in report.localised:
        counts = item.provenance_counts()
        summary = "original" if item.is_original else ", ".join(f"{k} {v}" for k, v in counts.items() if v)
        print(f"{item.locale.tag:>8}  {item.brief.id}  ({summary})")
    print(f"wrote {len(report.files)} files and {report.index} " if report.index else f"wrote {len(report.files)} files")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .brief_io import brief_json_schema

    _emit(json.dumps(brief_json_schema(), indent=2, ensure_ascii=False) + "\n", args.output)
    return 0


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from .fs import atomic_write_text

    atomic_write_text(output, text)
