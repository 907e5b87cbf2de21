"""``polybrief.toml``: a site's settings in one file, and ``polybrief init``, which writes a commented one.

A newsroom repeats the same options on every run (``--base-url``,
``--locales``, ``--out``, the policy); the file says them once.  It is found
by walking up from the first brief named on the command line (from the
current folder for commands without one), or given with ``--config FILE``;
it is read when a command runs, never on import.  Every command-line option
overrides it, and it maps onto the frozen :class:`~polybrief.Project` (settings
only) through :func:`~polybrief.cli.options.project_from_args`, so library
code never sees the file.  Paths in it are relative to its folder.

Tables and keys (all optional)::

    [site]         name, base_url, out, favicon, publisher, publisher_url, logo, index_threshold
    [publish]      locales, formats, jobs
    [translation]  drafts, strict, allow_qa_errors, allow_mt_failure, glossary, catalogs,
                   locale_data, templates, digits
    [check]        locales, drafts, disable, severity (a table: check name = "error" or "warning")
    [feeds]        entries
    [sitemaps]     max_urls, news_hours, news_name

``[check]``'s ``locales`` and ``drafts`` are the ``check`` command's; its
``disable`` and ``severity`` are the site's check settings
(:class:`~polybrief.project.CheckSettings`), used by every command that runs
the quality checks (``check``, ``render``, ``publish``), so a page is
published under the checks ``polybrief check`` ran.  ``--disable-check`` adds
to ``disable``; ``--check-severity NAME=LEVEL`` replaces the file's severity
for that check and runs it even if ``disable`` names it.

An unknown table or key, or a value of the wrong type, is an error naming
the file, the line (for TOML syntax) and the key, so a typo cannot silently
publish with a default; an unknown check name is refused the same way when a
command runs.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError

__all__ = ["CONFIG_NAME", "Config", "find_config", "load_config", "settings_of", "register", "TEMPLATE"]

CONFIG_NAME = "polybrief.toml"

_KEYS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "site": {"name": str, "base_url": str, "out": str, "favicon": str, "publisher": str, "publisher_url": str,
             "logo": str, "index_threshold": (int, float)},
    "publish": {"locales": list, "formats": list, "jobs": int},
    "translation": {"drafts": str, "strict": bool, "allow_qa_errors": bool, "allow_mt_failure": bool,
                    "glossary": str, "catalogs": str, "locale_data": list, "templates": list, "digits": str},
    "check": {"locales": list, "drafts": str, "disable": list, "severity": dict},
    "feeds": {"entries": int},
    "sitemaps": {"max_urls": int, "news_hours": int, "news_name": str},
}
_PATHS = {("site", "out"), ("translation", "glossary"), ("translation", "catalogs"),
          ("translation", "locale_data"), ("translation", "templates")}
_CHOICES = {("translation", "drafts"): ("include", "exclude"), ("check", "drafts"): ("include", "exclude"),
            ("translation", "digits"): ("locale", "latin")}


@dataclass(frozen=True)
class Config:
    """A loaded ``polybrief.toml`` (``path`` None: no file, every value a default)."""

    path: Path | None = None
    values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def get(self, table: str, key: str, default: Any = None) -> Any:
        return self.values.get(table, {}).get(key, default)

    def newsroom(self) -> Any:
        """The :class:`~polybrief.newsroom.Newsroom` the file describes."""
        from ..newsroom import Newsroom

        options: dict[str, Any] = {
            "site_name": self.get("site", "name"), "publisher": self.get("site", "publisher"),
            "publisher_url": self.get("site", "publisher_url"), "logo": self.get("site", "logo"),
            "favicon": self.get("site", "favicon"), "news_name": self.get("sitemaps", "news_name"),
        }
        for name, (table, key) in {"feed_entries": ("feeds", "entries"), "sitemap_urls": ("sitemaps", "max_urls"),
                                   "news_hours": ("sitemaps", "news_hours")}.items():
            if self.get(table, key) is not None:
                options[name] = self.get(table, key)
        try:
            return Newsroom(**options)
        except UsageError as exc:
            raise UsageError(exc.message, file=self.path, field=exc.field, hint=exc.hint) from None


def find_config(start: Path) -> Path | None:
    """The nearest ``polybrief.toml`` in ``start`` (a folder or a file's folder) or any folder above it."""
    folder = start if start.is_dir() else start.parent
    folder = Path(os.path.abspath(folder))
    for candidate in (folder, *folder.parents):
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path
    return None


def load_config(path: Path) -> Config:
    """Read and check ``path`` (see the module docstring for its tables and keys)."""
    import tomllib

    from ..fs import read_regular_file

    data = read_regular_file(path, max_bytes=1 << 20, error=UsageError, what="configuration file",
                             limit_name="brief_bytes")
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UsageError("the configuration file is not UTF-8", file=path) from None
    except tomllib.TOMLDecodeError as exc:
        import re

        found = re.search(r"\(at line (\d+)", str(exc))
        raise UsageError(f"not valid TOML: {exc}", file=path, line=int(found.group(1)) if found else None,
                         hint="see the file `polybrief init` writes") from None
    values: dict[str, dict[str, Any]] = {}
    for table, entries in document.items():
        known = _KEYS.get(table)
        if known is None or not isinstance(entries, dict):
            raise UsageError(f"unknown table [{table}]", file=path, field=table,
                             hint=f"known tables: {', '.join(_KEYS)}")
        values[table] = {key: _checked(path, table, key, value, known) for key, value in entries.items()}
    return Config(path, values)


def _checked(path: Path, table: str, key: str, raw: object, known: Mapping[str, type | tuple[type, ...]]) -> Any:
    where = f"{table}.{key}"
    wanted = known.get(key)
    if wanted is None:
        raise UsageError("unknown setting", file=path, field=where, hint=f"[{table}] knows {', '.join(known)}")
    if not isinstance(raw, wanted) or (isinstance(raw, bool) and wanted is not bool):
        name = "table" if wanted is dict else getattr(wanted, "__name__", None) or "number"
        raise UsageError(f"must be a {name}, not {type(raw).__name__}",
                         file=path, field=where)
    value: Any = raw
    if wanted is list and not all(isinstance(v, str) for v in value):
        raise UsageError("must be a list of strings", file=path, field=where)
    if wanted is dict:
        return _levels(path, where, value)
    choices = _CHOICES.get((table, key))
    if choices is not None and value not in choices:
        raise UsageError(f"{value!r} is not one of {', '.join(choices)}", file=path, field=where)
    if (table, key) in _PATHS:
        folder = path.parent
        value = [str(folder / v) for v in value] if isinstance(value, list) else str(folder / value)
    return value


def _levels(path: Path, where: str, table: Mapping[str, object]) -> dict[str, str]:
    """``[check.severity]``: each check name mapped to ``"error"`` or ``"warning"``."""
    for name, level in table.items():
        if level not in ("error", "warning"):
            raise UsageError(f"{level!r} is not one of error, warning", file=path, field=f"{where}.{name}",
                             hint=f'write {name} = "error" or {name} = "warning"')
    return {name: str(level) for name, level in table.items()}


def settings_of(args: argparse.Namespace) -> Config:
    """The configuration of a parsed command: ``--config FILE``, else the nearest ``polybrief.toml`` above the
    first brief (or the current folder), else none; loaded once per command."""
    found = getattr(args, "_config", None)
    if isinstance(found, Config):
        return found
    given = getattr(args, "config", None)
    if given is not None:
        if not Path(given).is_file():
            raise UsageError("configuration file does not exist", file=given,
                             hint="write one with polybrief init, or leave --config out")
        config = load_config(Path(given))
    else:
        # ``render``'s one brief file; ``site remove --brief`` names brief ids, not files
        brief = getattr(args, "brief", None)
        briefs = getattr(args, "briefs", None) or ([brief] if isinstance(brief, Path) else [])
        start = Path(briefs[0]) if briefs else Path.cwd()
        path = find_config(start)
        config = load_config(path) if path is not None else Config()
    args._config = config
    return config


TEMPLATE = '''\
# polybrief.toml: this site's settings, read by every polybrief command run on a brief
# in this folder or below it (or named with --config).  Options given on the command line
# override what is here.  Paths are relative to this file.  Delete what you do not need.

[site]
# The site's name (feed titles, og:site_name) and where it is served.  Feeds, sitemaps and
# robots.txt need an absolute base URL; without one only pages and indexes are written.
name = "{name}"
# base_url = "https://news.example.org/briefs/"
out = "dist"                          # publish's output folder (--out)
# favicon = "favicon.ico"             # a path on the site, or an absolute URL
# The publisher named in every page's schema.org metadata (Google's NewsArticle guidance).
# publisher = "Example News"
# publisher_url = "https://news.example.org/"
# logo = "https://news.example.org/logo.png"
# A translation is a full language version (in hreflang links, sitemaps and feeds, indexed by
# search engines) once this share of its passages is reviewed; below it, it is published as
# partly translated, with noindex (--index-threshold).
# index_threshold = 1.0

[publish]
locales = ["hy", "az", "ru"]          # --locales: the languages every brief is published in
formats = ["html", "text"]            # --formats
# jobs = 4                            # --jobs: worker processes (default: every CPU)

[translation]
drafts = "exclude"                    # "include" shows translators' fuzzy entries, disclosed
strict = false                        # true: refuse to publish a page with untranslated passages
allow_qa_errors = false
allow_mt_failure = false
# glossary = "glossary.csv"
# catalogs = "locales"                # default: the locales/ folder beside each brief
# locale_data = ["my-locales"]        # UI catalogs and quotation-marks.toml searched first
# templates = ["my-templates"]
# digits = "locale"                   # or "latin"

[check]
# locales = ["hy", "az", "ru"]        # default: [publish] locales
# drafts = "include"                  # check translators' drafts too
# The site's quality checks, for check, render and publish alike (names as `polybrief check`
# prints them).  --disable-check adds to disable; --check-severity NAME=LEVEL wins over the
# file for that check (and runs it even if disable names it).
# disable = ["length"]                # checks that do not run
# [check.severity]                    # a check's findings reported as "error" or "warning"
# numbers-minor = "error"

[feeds]
entries = 50                          # entries of each language's Atom feed, newest first

[sitemaps]
max_urls = 50000                      # addresses per sitemap file (more: a sitemap index)
news_hours = 48                       # the Google News sitemap lists briefs revised this recently
# news_name = "Example News"          # the publication's name there (default: publisher, else name)
'''


def register(subparsers: Any) -> None:
    init = subparsers.add_parser("init", help=f"write a commented {CONFIG_NAME} for a site")
    init.add_argument("--dir", type=Path, default=Path("."), help="folder to write it in (default: .)")
    init.add_argument("--name", default="Briefs", help="the site's name")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    init.set_defaults(handler=_init)


def _init(args: argparse.Namespace) -> int:
    from ..fs import atomic_write_text

    path = args.dir / CONFIG_NAME
    if path.exists() and not args.force:
        raise UsageError(f"{CONFIG_NAME} already exists", file=path, hint="edit it, or pass --force to replace it")
    text = TEMPLATE.format(name=args.name.replace("\\", "\\\\").replace('"', '\\"'))
    load_config_text_check(text)
    atomic_write_text(path, text)
    print(f"wrote {path}")
    return 0


def load_config_text_check(text: str) -> None:
    """The file ``init`` writes must load (a guard against a template edit that breaks it)."""
    import tomllib

    tomllib.loads(text)
