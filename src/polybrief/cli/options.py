"""Option groups shared by the commands, and the one place a :class:`~polybrief.Project` is built.

Each option is defined once here (``--catalogs`` used to be defined six
times); a command adds the groups it needs, and :func:`project_from_args`
turns whatever the command parsed into the run's frozen project, so no
library module ever sees an ``argparse.Namespace``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import LocaleError, UsageError

if TYPE_CHECKING:
    from ..glossary import Glossary
    from ..limits import Limits
    from ..project import Project
    from ..provenance import TranslationPolicy
    from ..session import Session
    from .config import Config

__all__ = [
    "split_locales",
    "split_formats",
    "add_catalogs_option",
    "add_locale_data_option",
    "add_template_option",
    "add_policy_options",
    "add_mt_options",
    "add_site_options",
    "report_missing_ui_catalogs",
    "add_jobs_option",
    "add_packages_dir_option",
    "add_glossary_option",
    "project_from_args",
    "limits_from_args",
    "add_config_option",
    "locales_from_args",
    "formats_from_args",
]


def split_locales(value: str) -> list[str]:
    """``hy,az,ru`` -> ``["hy", "az", "ru"]`` (each checked against CLDR)."""
    from ..cldr import get_locale

    tags = [part.strip() for part in value.split(",") if part.strip()]
    if not tags:
        raise LocaleError("no locales given", hint="use e.g. --locales hy,az,ru")
    return [get_locale(tag).tag for tag in tags]


def split_formats(value: str) -> list[str]:
    """``html,text`` -> ``["html", "text"]``; anything else is a usage error."""
    formats = [f.strip() for f in value.split(",") if f.strip()]
    bad = [f for f in formats if f not in ("html", "text")]
    if bad or not formats:
        raise UsageError(f"unknown format(s) {bad or formats}", hint="use --formats html,text")
    return formats


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="the site's settings (default: the nearest polybrief.toml above the brief)")


def locales_from_args(args: argparse.Namespace, *, table: str = "publish") -> list[str]:
    """``--locales``, else the configuration's ``[check]`` (for ``check``) or ``[publish]`` locales."""
    from .config import settings_of

    if getattr(args, "locales", None):
        return split_locales(args.locales)
    config = settings_of(args)
    tags = (config.get(table, "locales") if table != "publish" else None) or config.get("publish", "locales")
    if not tags:
        raise UsageError("no locales given", hint="use e.g. --locales hy,az,ru, or set locales under [publish] "
                                                  "in polybrief.toml (polybrief init writes one)")
    return split_locales(",".join(tags))


def formats_from_args(args: argparse.Namespace) -> list[str]:
    """``--formats``, else the configuration's ``[publish] formats``, else html and text."""
    from .config import settings_of

    if getattr(args, "formats", None):
        return split_formats(args.formats)
    return split_formats(",".join(settings_of(args).get("publish", "formats") or ["html", "text"]))


def add_catalogs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalogs", type=Path, metavar="DIR",
                        help="catalog folder (default: <brief dir>/locales)")


def add_locale_data_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--locale-data`` and ``--digits``: where locale data comes from, and how numbers are written."""
    parser.add_argument("--locale-data", type=Path, action="append", default=[], metavar="DIR",
                        help="folder of UI catalogs and quotation-marks.toml searched first (repeatable)")
    parser.add_argument("--digits", choices=("locale", "latin"), default=None,
                        help="digits of figures, dates and times: the locale's CLDR default (Persian "
                             "digits in fa) or always Latin 0-9 (default: locale)")


def add_template_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument("--templates", type=Path, action="append", default=[], metavar="DIR",
                        help="folder of templates searched before the built-in ones (repeatable)")
    parser.add_argument("--sandbox-templates", action="store_true",
                        help="render templates in Jinja's sandbox (for templates that are not trusted code)")


def add_policy_options(parser: argparse.ArgumentParser, *, strict: bool = True) -> None:
    parser.add_argument("--drafts", choices=("include", "exclude"), default=None,
                        help="use fuzzy (draft) catalog entries? (default: exclude)")
    parser.add_argument("--disable-check", action="append", default=[], metavar="NAME",
                        help="do not run this quality check (repeatable; names as in `polybrief check` output)")
    parser.add_argument("--check-severity", action="append", default=[], metavar="NAME=LEVEL",
                        help="report a quality check as error or warning (repeatable), e.g. length=error")
    if strict:
        parser.add_argument("--strict", action="store_true",
                            help="fail when any segment would fall back to the source text")


def add_mt_options(parser: argparse.ArgumentParser, *, flag: bool = True, glossary: bool = True) -> None:
    group = parser.add_argument_group("machine translation (needs polybrief[mt])")
    if flag:
        group.add_argument("--mt", action="store_true", help="machine-translate what the catalogs lack")
    if glossary:
        add_glossary_option(group)
    add_packages_dir_option(group)
    group.add_argument("--device", choices=("cpu", "cuda", "auto"), default=None,
                       help="where models run (default: cpu; with --ray: auto, i.e. GPUs when the cluster has them)")
    group.add_argument("--beam-size", type=int, default=None)
    group.add_argument("--compute-type", default=None, help="CTranslate2 compute type (default int8 on CPU)")
    group.add_argument("--threads", type=int, default=None, help="intra-op threads per translator")
    group.add_argument("--ray", metavar="ADDRESS", default=None,
                       help="run the models on a Ray cluster (needs polybrief[ray]): 'auto' (the cluster this "
                            "machine joined), 'local' (start one here) or HOST:PORT; see docs/scale.md")
    group.add_argument("--ray-actors", type=int, default=None, metavar="N",
                       help="Ray actors translating at once (default: one per GPU, or per --threads CPUs)")


def add_packages_dir_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument("--packages-dir", type=Path, metavar="DIR",
                        help="models folder (default: $ARGOS_PACKAGES_DIR or Argos Translate's own)")


def add_glossary_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument("--glossary", type=Path, metavar="FILE", help="glossary (CSV or TBX)")


def add_jobs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                        help="worker processes (default: the number of usable cores: os.process_cpu_count(), else "
                             "the CPUs in this process's affinity mask, else os.cpu_count(); 1 builds in this "
                             "process); the output is the same for any N")


def add_site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", metavar="URL",
                        help="absolute URL the output folder is served at (canonical and hreflang links)")
    parser.add_argument("--allow-qa-errors", action="store_true",
                        help="publish locales even when quality checks report errors")
    parser.add_argument("--index-threshold", type=float, default=None, metavar="SHARE",
                        help="share of a page's segments that must be reviewed for it to be a full language "
                             "version, in hreflang links, sitemaps and feeds and indexed by search engines "
                             "(default: [site] index_threshold in polybrief.toml, else 1.0); below it a page is "
                             "published as partly translated, with noindex")


def limits_from_args(args: argparse.Namespace) -> Limits:
    """The run's :class:`~polybrief.limits.Limits`: the defaults with every ``--limit NAME=VALUE`` applied."""
    from ..limits import DEFAULT_LIMITS

    return DEFAULT_LIMITS.with_settings(getattr(args, "limit", None) or ())


def project_from_args(args: argparse.Namespace, *, check: bool = False) -> Project:
    """The run's :class:`~polybrief.Project` from the options a command parsed, then its ``polybrief.toml``
    (:mod:`.config`), then the defaults (``check``: the ``[check]`` table's draft policy comes first)."""
    from ..project import Project
    from .config import settings_of

    config = settings_of(args)
    if getattr(args, "ray", None) is not None and hasattr(args, "mt") and not args.mt:
        raise UsageError("--ray runs machine translation on a cluster, but --mt was not given",
                         hint="add --mt, or leave --ray out")
    if getattr(args, "ray", None) is not None and not getattr(args, "verbose", 0):
        # Ray Data logs every run's progress at INFO on stderr when that is not a terminal; the
        # command line keeps to warnings unless -v (RAY_DATA_LOG_LEVEL set by the user wins).
        os.environ.setdefault("RAY_DATA_LOG_LEVEL", "WARNING")
    limits = limits_from_args(args)
    catalogs = getattr(args, "catalogs", None) or config.get("translation", "catalogs")
    uses_site = hasattr(args, "base_url")
    return Project(
        template_dirs=tuple(getattr(args, "templates", ()) or config.get("translation", "templates") or ()),
        locale_dirs=tuple(getattr(args, "locale_data", ()) or config.get("translation", "locale_data") or ()),
        catalogs_dir=Path(catalogs) if catalogs else None,
        glossary=_glossary(args, config, limits),
        policy=_policy(args, config, check=check),
        models_dir=getattr(args, "packages_dir", None),
        engine_options=_engine_options(args) if hasattr(args, "device") else None,
        base_url=getattr(args, "base_url", None) or (config.get("site", "base_url") if uses_site else None),
        digits=getattr(args, "digits", None) or config.get("translation", "digits") or "locale",
        limits=limits,
        sandboxed_templates=bool(getattr(args, "sandbox_templates", False)),
        ray_address=getattr(args, "ray", None),
        ray_actors=getattr(args, "ray_actors", None),
        newsroom=config.newsroom(),
        index_threshold=_index_threshold(args, config),
        checks=check_settings_from_args(args),
    )


def _policy(args: argparse.Namespace, config: Config, *, check: bool) -> TranslationPolicy:
    """The translation policy: each flag given, else ``[translation]`` (``[check]`` drafts for ``check``)."""
    from ..provenance import TranslationPolicy

    def flag(name: str) -> bool:
        return hasattr(args, name) and (bool(getattr(args, name)) or bool(config.get("translation", name, False)))

    drafts: Literal["include", "exclude"] = getattr(args, "drafts", None) \
        or (config.get("check", "drafts") if check else None) or config.get("translation", "drafts") or "exclude"
    return TranslationPolicy(drafts=drafts, strict=flag("strict"), allow_qa_errors=flag("allow_qa_errors"),
                             allow_mt_failure=flag("allow_mt_failure"))


def _index_threshold(args: argparse.Namespace, config: Config) -> float:
    """``--index-threshold``, else ``[site] index_threshold``, else 1.0 (only fully reviewed pages are full)."""
    given = getattr(args, "index_threshold", None)
    if given is None:  # every command that renders pages (site remove too) claims languages alike
        given = config.get("site", "index_threshold")
    return float(given) if given is not None else 1.0


def _glossary(args: argparse.Namespace, config: Config, limits: Limits) -> Glossary | None:
    """``--glossary``, else ``[translation] glossary`` for the commands that take one."""
    path = getattr(args, "glossary", None)
    if path is None and hasattr(args, "glossary"):
        path = config.get("translation", "glossary")
    if path is None:
        return None
    from ..glossary import load_glossary

    return load_glossary(Path(path), limits=limits)


def check_settings_from_args(args: argparse.Namespace):  # noqa: ANN201 - CheckSettings is imported lazily
    """The run's :class:`~polybrief.project.CheckSettings`: ``polybrief.toml``'s ``[check]`` ``disable`` and
    ``severity``, then ``--disable-check`` (added) and ``--check-severity`` (replacing the file's severity for
    that check, and running it even if the file disables it)."""
    from ..project import DEFAULT_CHECKS, CheckSettings
    from ..qa.settings import validate_settings
    from .config import settings_of

    config = settings_of(args)
    file_disabled: list[str] = list(config.get("check", "disable") or ())
    file_levels: dict[str, str] = dict(config.get("check", "severity") or {})
    _validate_file_names(config, file_disabled, file_levels)
    given: dict[str, str] = {}
    for item in getattr(args, "check_severity", None) or ():
        name, sep, level = item.partition("=")
        if not sep:
            raise UsageError(f"--check-severity {item!r} is not NAME=LEVEL", hint="e.g. --check-severity length=error")
        given[name.strip()] = level.strip()
    levels = file_levels | given
    disabled = {name for name in file_disabled if name not in given} | set(getattr(args, "disable_check", None) or ())
    if not disabled and not levels:
        return DEFAULT_CHECKS
    return validate_settings(CheckSettings(frozenset(disabled), tuple(levels.items())))


def _validate_file_names(config: Config, disabled: list[str], levels: dict[str, str]) -> None:
    """Refuse a check name in ``[check]`` that no check declares, naming the file and the key."""
    from ..project import CheckSettings
    from ..qa.settings import validate_settings

    for key, names in (("check.disable", disabled), ("check.severity", list(levels))):
        for name in names:
            try:
                validate_settings(CheckSettings(frozenset({name})))
            except UsageError as exc:
                raise UsageError(exc.message, file=config.path, field=key if key == "check.disable" else
                                 f"{key}.{name}", hint=exc.hint) from None


def _engine_options(args: argparse.Namespace):  # noqa: ANN202 - EngineOptions is imported lazily
    from ..project import EngineOptions

    options: dict[str, object] = {}
    if getattr(args, "device", None) is None and getattr(args, "ray", None) is not None:
        options["device"] = "auto"  # on a cluster, use its GPUs when it has them
    for name in ("device", "beam_size", "compute_type"):
        value = getattr(args, name, None)
        if value is not None:
            options[name] = value
    if getattr(args, "threads", None):
        options["intra_threads"] = args.threads
    return EngineOptions(**options)  # type: ignore[arg-type]


def report_missing_ui_catalogs(session: Session, locales: Sequence[str], brief_root: Path | None = None) -> None:
    """Say on stderr which target locales have no UI catalog: how many interface strings their pages show
    in English, and the command that starts one (``polybrief locale add``)."""
    missing = session.renderer.ui.missing(
        [session.locale(tag) for tag in locales], brief_root)
    for info, count in missing:
        print(f"polybrief: note: no UI catalog for {info.tag}: {count} interface strings (headings, labels, "
              f"the notice) will be in English; start one with `polybrief locale add {info.tag}`",
              file=sys.stderr)
