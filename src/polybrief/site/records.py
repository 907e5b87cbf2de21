"""Manifest records read back as data: every id, locale tag, format, path and value checked before use.

The manifest lives in the output folder, and whoever can write that folder
(a shared folder, a restored backup, a CI cache) can write the manifest.  So
nothing in it is authority: a brief id is a slug and a locale key a locale
tag, as on the command line (a planted id ``../../../victim/evil`` used to
make ``site remove`` delete ``victim/evil.html``, and an absolute locale key
``/abs/path/x.html``); a format is one polybrief writes (``"exe"`` used to be
a ``KeyError``); a date is an ISO date with its time zone (a garbage
``published`` in another brief's record was a ``ValueError`` in every later
run); a stored path is relative; a hash is a hash; and every record has the
shape polybrief writes, so no value deeper or stranger than that is kept.

A problem is an :class:`Invalid` naming the field (``briefs["x"].pages["hy"]
.files["exe"]``, keys escaped as JSON strings so that no control character
reaches a terminal); :mod:`.manifest_read` adds the file and line.  What a
record may *do* is limited elsewhere too: page paths are built from the
checked id, tag and format only (:func:`polybrief.publishing.tasks.page_path`),
and the folders a page is rendered with come from the current run, never
from a record (:mod:`polybrief.publishing.sitebuild`).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..cldr import LANGUAGE_TAG
from ..model import SLUG
from ..project import check_base_url
from ..errors import UsageError
from .manifest import (
    HISTORY_KEYS,
    PROVENANCE_KINDS,
    BriefRecord,
    Context,
    FileRecord,
    HistoryEntry,
    PageRecord,
    StatEntry,
    shared,
)

__all__ = ["Invalid", "FORMATS", "brief_record", "context_record", "stat_entry", "index_record", "base_url",
           "legacy_brief_record", "key_text", "site_files_record"]

#: The formats a page is published in (the keys of a page's ``files``).
FORMATS = frozenset({"html", "text"})

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_CONTEXT_ID = re.compile(r"^[0-9a-f]{8,64}$")
_MAX_TEXT = 16 * 1024 * 1024  # a type check: the file's size is bounded by Limits.manifest_bytes
_DIRECTIONS = frozenset({"ltr", "rtl"})
_SETTINGS_BOOLS = ("strict", "allow_qa_errors", "allow_mt_failure", "sandboxed_templates")
_intern = sys.intern


class Invalid(Exception):
    """A manifest value that is not what polybrief writes there."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def key_text(key: object) -> str:
    """A key as it appears in a field path: a JSON string, escaped, cut to a readable length."""
    key = str(key)
    if len(key) <= 58 and key.isascii() and key.isprintable() and '"' not in key and "\\" not in key:
        return f'"{key}"'  # the common case, without json.dumps: paths are built for every record read
    text = json.dumps(key)
    return text if len(text) <= 60 else text[:56] + '…"'


# -- values -------------------------------------------------------------------------------------


def _dict(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(field, f"expected an object, found {_kind(value)}")
    return value


def _list(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise Invalid(field, f"expected a list, found {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number")


def _text(value: Any, field: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > _MAX_TEXT:
        raise Invalid(field, f"expected a string, found {_kind(value)}" if not isinstance(value, str)
                      else f"a string of {len(value)} characters, more than {_MAX_TEXT}")
    return value


_TAGS: set[str] = set()  # tags already checked (a site has a few, on every page)


def _tag(value: Any, field: str) -> str:
    if isinstance(value, str) and value in _TAGS:
        return value
    if not isinstance(value, str) or len(value) > 40 or not LANGUAGE_TAG.match(value):
        raise Invalid(field, f"{_show(value)} is not a locale tag")
    value = _intern(value)
    if len(_TAGS) < 10_000:
        _TAGS.add(value)
    return value


def _slug(value: Any, field: str) -> str:
    if not isinstance(value, str) or len(value) > 120 or not SLUG.match(value):
        raise Invalid(field, f"brief id {_show(value)} is not a slug (lower-case letters, digits and hyphens)")
    return value


def _show(value: Any) -> str:
    return key_text(value) if isinstance(value, str) else _kind(value)


def _sha(value: Any, field: str, *, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not _SHA256.match(value):
        raise Invalid(field, f"{_show(value)} is not a sha256 hash")
    return _intern(value)


def _context_id(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _CONTEXT_ID.match(value):
        raise Invalid(field, f"{_show(value)} is not a context id")
    return _intern(value)


def stored_path(value: Any, field: str, *, optional: bool = True) -> str | None:
    """A path as the manifest stores it: a non-empty string, relative, without control characters."""
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value or len(value) > 4096:
        raise Invalid(field, f"{_show(value)} is not a stored path")
    if value.startswith(("/", "\\")) or _DRIVE.match(value) or _CONTROL.search(value):
        raise Invalid(field, f"{_show(value)} is not a relative path")
    return _intern(value)


def _int(value: Any, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 1 << 63:
        raise Invalid(field, f"expected a whole number, found {_show(value)}")
    return value


def _published(value: Any, field: str) -> str:
    if not isinstance(value, str) or len(value) > 64:
        raise Invalid(field, f"{_show(value)} is not an ISO date and time")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(field, f"{_show(value)} is not an ISO date and time") from None
    if parsed.tzinfo is None:
        raise Invalid(field, f"{_show(value)} has no time zone")
    return value


def _choice(value: Any, field: str, choices: frozenset[str] | tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise Invalid(field, f"{_show(value)} is not one of {', '.join(sorted(choices))}")
    return _intern(value)


def _bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise Invalid(field, f"expected true or false, found {_show(value)}")
    return value


def _known(data: Mapping[str, Any], field: str, keys: frozenset[str]) -> None:
    if keys.issuperset(data):
        return
    unknown = [k for k in data if k not in keys]
    if unknown:
        raise Invalid(f"{field}.{key_text(unknown[0])}", "not a field polybrief writes")


# -- the site ---------------------------------------------------------------------------------


def base_url(value: Any, field: str = "base_url") -> str | None:
    """The site's base URL, held to the rules of ``--base-url``."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid(field, f"expected a string, found {_kind(value)}")
    try:
        return check_base_url(value)
    except UsageError as exc:
        raise Invalid(field, exc.message) from None


def index_record(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    data = _dict(value, "index")
    _known(data, "index", frozenset({"fingerprint", "sha256", "context"}))
    return {"fingerprint": _sha(data.get("fingerprint"), "index.fingerprint"),
            "sha256": _sha(data.get("sha256"), "index.sha256"),
            "context": _context_id(data.get("context"), "index.context")}


def stat_entry(key: Any, value: Any) -> tuple[str, StatEntry]:
    """One ``stat`` cache entry: ``[sha256]``, ``[sha256, size, mtime, ctime, inode]`` or ``[size, mtime, inode]``."""
    field = f"stat[{key_text(key)}]"
    path = stored_path(key, field, optional=False)
    assert path is not None
    entry = _list(value, field)
    if len(entry) in (1, 5):
        return path, [_sha(entry[0], field, optional=False), *(_int(v, field) for v in entry[1:])]
    if len(entry) == 3:
        return path, [_int(v, field) for v in entry]
    raise Invalid(field, f"a list of {len(entry)} values, not 1, 3 or 5")


# -- contexts ---------------------------------------------------------------------------------

_CONTEXT_KEYS = frozenset({"polybrief", "babel", "locale", "format", "settings", "quotes", "ui_catalog", "ui_file",
                           "ui_messages", "glossary", "templates", "locale_data", "legacy"})
#: The most UI messages a context may list (polybrief's own templates show about 60).
_UI_MESSAGES = 10_000
_SETTINGS_KEYS = frozenset({"drafts", *_SETTINGS_BOOLS, "templates", "locale_data", "glossary", "digits", "limits",
                            "newsroom"})
#: A run's :class:`~polybrief.newsroom.Newsroom` as recorded (for the context id only: a page is rendered
#: again with the run's own newsroom, never with what a manifest says).
_NEWSROOM_TEXT = ("site_name", "publisher", "publisher_url", "logo", "favicon", "news_name")
_NEWSROOM_COUNTS = ("feed_entries", "sitemap_urls", "news_hours")


def settings_record(value: Any, field: str) -> dict[str, Any]:
    """A run's recorded settings (see :func:`polybrief.site.inputs.run_settings`); missing ones are defaults."""
    data = _dict(value, field)
    _known(data, field, _SETTINGS_KEYS)
    out: dict[str, Any] = {"drafts": _choice(data.get("drafts", "exclude"), f"{field}.drafts", ("include", "exclude"))}
    for name in _SETTINGS_BOOLS:
        out[name] = _bool(data.get(name, False), f"{field}.{name}")
    for name in ("templates", "locale_data"):
        out[name] = [stored_path(p, f"{field}.{name}[{n}]", optional=False)
                     for n, p in enumerate(_list(data.get(name, []), f"{field}.{name}"))]
    out["glossary"] = stored_path(data.get("glossary"), f"{field}.glossary")
    out["digits"] = _choice(data.get("digits", "locale"), f"{field}.digits", ("locale", "latin"))
    limits = _dict(data.get("limits", {}), f"{field}.limits")
    for name, limit in limits.items():
        if not isinstance(name, str) or len(name) > 64 or isinstance(limit, (dict, list)) or limit is None \
                or (isinstance(limit, float) and not math.isfinite(limit)):
            raise Invalid(f"{field}.limits[{key_text(name)}]", "not a limit setting")
    out["limits"] = dict(limits)
    if "newsroom" in data:
        out["newsroom"] = _newsroom(data["newsroom"], f"{field}.newsroom")
    return out


def _newsroom(value: Any, field: str) -> dict[str, Any]:
    data = _dict(value, field)
    _known(data, field, frozenset({*_NEWSROOM_TEXT, *_NEWSROOM_COUNTS}))
    out: dict[str, Any] = {name: _text(data.get(name), f"{field}.{name}", optional=True) for name in _NEWSROOM_TEXT}
    out.update({name: _int(data[name], f"{field}.{name}") for name in _NEWSROOM_COUNTS if name in data})
    return out


def _file_entry(value: Any, field: str, *, rules: bool = False, entries: bool = False) -> dict[str, Any] | None:
    if value is None:
        return None
    data = _dict(value, field)
    if entries and "entries" in data:  # a UI catalog as the translations of the messages its pages show
        _known(data, field, frozenset({"path", "entries"}))
        return {"path": stored_path(data.get("path"), f"{field}.path"), "entries": _sha(data["entries"], f"{field}.entries")}
    _known(data, field, frozenset({"path", "sha256", "rules"} if rules else {"path", "sha256"}))
    out = {"path": stored_path(data.get("path"), f"{field}.path"), "sha256": _sha(data.get("sha256"), f"{field}.sha256")}
    if rules:
        out["rules"] = _sha(data.get("rules"), f"{field}.rules")
    return out


def context_record(key: Any, value: Any) -> tuple[str, Context]:
    """One context: versions, settings, quotation marks and the files a page of one locale and format read."""
    field = f"contexts[{key_text(key)}]"
    cid = _context_id(key, field)
    assert cid is not None
    data = _dict(value, field)
    _known(data, field, _CONTEXT_KEYS)
    out: dict[str, Any] = {}
    for name, raw in data.items():
        where = f"{field}.{name}"
        if name in ("polybrief", "babel"):
            out[name] = _text(raw, where)
        elif name == "locale":
            out[name] = _tag(raw, where)
        elif name == "format":
            out[name] = _choice(raw, where, FORMATS | {"index"})
        elif name == "settings":
            out[name] = settings_record(raw, where)
        elif name == "quotes":
            out[name] = [_text(q, where) for q in _list(raw, where)][:8]
        elif name in ("ui_catalog", "glossary", "ui_file"):
            out[name] = _file_entry(raw, where, rules=name == "glossary", entries=name == "ui_catalog")
        elif name == "ui_messages":
            out[name] = _ui_messages(raw, where)
        elif name == "templates":
            out[name] = {_text(t, f"{where}[{key_text(t)}]"): _file_entry(e, f"{where}[{key_text(t)}]")
                         or {"path": None, "sha256": None} for t, e in _dict(raw, where).items()}
        elif name == "locale_data":
            out[name] = {stored_path(p, f"{where}[{key_text(p)}]", optional=False): _sha(h, f"{where}[{key_text(p)}]")
                         for p, h in _dict(raw, where).items()}
        else:  # legacy
            out[name] = _int(raw, where)
    return cid, out


def _ui_messages(value: Any, field: str) -> list[Any] | None:
    """The UI messages a context's pages can show (see :mod:`polybrief.rendering.messages`), or None: any."""
    if value is None:
        return None
    messages = _list(value, field)
    if len(messages) > _UI_MESSAGES:
        raise Invalid(field, f"{len(messages)} messages, more than {_UI_MESSAGES}")
    out: list[Any] = []
    for n, message in enumerate(messages):
        if isinstance(message, list) and len(message) == 2:
            out.append([_text(m, f"{field}[{n}]") for m in message])
        else:
            out.append(_text(message, f"{field}[{n}]"))
    return out


# -- the site's own files --------------------------------------------------------------------

#: What a site file's name may look like: ``robots.txt``, ``sitemap-2.xml``, ``hy/feed.xml``, ``sr-Latn/index.html``:
#: one or two plain components, never ``..``, a name polybrief writes (a planted ``../../victim.html`` would be
#: deleted as "no longer needed" otherwise).
_SITE_FILE = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9_@-]*/)?[A-Za-z0-9][A-Za-z0-9_-]*\.(?:xml|txt|html)$")


def site_files_record(value: Any, field: str = "site_files") -> dict[str, str]:
    """The site's own files (language indexes, 404 page, feeds, sitemaps, robots.txt) and their sha256."""
    out: dict[str, str] = {}
    for name, digest in _dict(value, field).items():
        where = f"{field}[{key_text(name)}]"
        if not isinstance(name, str) or not _SITE_FILE.match(name):
            raise Invalid(where, f"{_show(name)} is not a site file polybrief writes")
        out[_intern(name)] = str(_sha(digest, where, optional=False))
    return out


# -- briefs and pages -------------------------------------------------------------------------

_PAGE_KEYS = frozenset({"name", "dir", "headline", "headline_lang", "standfirst", "standfirst_lang", "published_date",
                        "provenance", "machine", "alternates", "base_url", "inputs", "files", "modified", "full",
                        "history"})
_BRIEF_KEYS = frozenset({"path", "catalog_root", "language", "published", "pages", "modified", "authors"})
#: Most entries a page's history keeps (the writer keeps 20).
MAX_HISTORY = 100


def brief_record(key: Any, value: Any, contexts: Mapping[str, Context]) -> BriefRecord:
    """One brief and its pages, every value checked (see the module docstring)."""
    field = f"briefs[{key_text(key)}]"
    brief_id = _slug(key, field)
    data = _dict(value, field)
    _known(data, field, _BRIEF_KEYS)
    pages: dict[str, PageRecord] = {}
    for tag, page in _dict(data.get("pages") or {}, f"{field}.pages").items():
        where = f"{field}.pages[{key_text(tag)}]"
        pages[_tag(tag, where)] = _page(tag, page, where, contexts)
    return BriefRecord(
        id=brief_id, language=_tag(data.get("language"), f"{field}.language"),
        published=_published(data.get("published"), f"{field}.published"),
        path=stored_path(data.get("path"), f"{field}.path"),
        catalog_root=stored_path(data.get("catalog_root"), f"{field}.catalog_root"),
        pages=pages,
        modified=_published(data["modified"], f"{field}.modified") if data.get("modified") is not None else None,
        authors=[str(_text(a, f"{field}.authors[{n}]")) for n, a in enumerate(_list(data.get("authors") or [],
                                                                                  f"{field}.authors"))],
    )


def _page(tag: str, value: Any, field: str, contexts: Mapping[str, Context]) -> PageRecord:
    data = _dict(value, field)
    _known(data, field, _PAGE_KEYS)
    files: dict[str, FileRecord] = {}
    for fmt, entry in _dict(data.get("files") or {}, f"{field}.files").items():
        where = f"{field}.files[{key_text(fmt)}]"
        fmt = _choice(fmt, where, FORMATS)
        entry = _dict(entry, where)
        _known(entry, where, frozenset({"sha256", "context"}))
        files[fmt] = FileRecord(_sha(entry.get("sha256"), f"{where}.sha256"),
                                _context_id(entry.get("context"), f"{where}.context"))
    settings: dict[str, Any] = {}
    for entry in files.values():
        context = contexts.get(entry.context or "")
        if context is not None:
            settings = context.get("settings") or {}
            break
    inputs = _dict(data.get("inputs") or {}, f"{field}.inputs")
    _known(inputs, f"{field}.inputs", frozenset({"brief", "catalog"}))
    catalog = _file_entry(inputs.get("catalog"), f"{field}.inputs.catalog")
    if catalog is not None and catalog["path"] is None:
        raise Invalid(f"{field}.inputs.catalog.path", "a catalog on record needs its path")
    standfirst_lang = data.get("standfirst_lang")
    return PageRecord(
        locale=_intern(tag), name=_intern(str(_text(data.get("name"), f"{field}.name"))),
        dir=_choice(data.get("dir"), f"{field}.dir", _DIRECTIONS),
        headline=str(_text(data.get("headline"), f"{field}.headline")),
        headline_lang=_tag(data.get("headline_lang"), f"{field}.headline_lang"),
        standfirst=_text(data.get("standfirst"), f"{field}.standfirst", optional=True),
        standfirst_lang=_tag(standfirst_lang, f"{field}.standfirst_lang") if standfirst_lang is not None else None,
        published_date=_text(data.get("published_date"), f"{field}.published_date", optional=True),
        provenance=shared(_provenance(data.get("provenance") or {}, f"{field}.provenance")),
        settings=settings,
        machine=shared(_machine(data.get("machine") or {}, f"{field}.machine")),
        alternates=shared([_tag(t, f"{field}.alternates[{n}]")
                           for n, t in enumerate(_list(data.get("alternates") or [], f"{field}.alternates"))]),
        base_url=_text(data.get("base_url"), f"{field}.base_url", optional=True),
        brief_sha256=_sha(inputs.get("brief"), f"{field}.inputs.brief"),
        catalog=(catalog["path"], catalog["sha256"]) if catalog is not None else None,
        files=files,
        modified=_published(data["modified"], f"{field}.modified") if data.get("modified") is not None else None,
        full=_bool(data["full"], f"{field}.full") if data.get("full") is not None else None,
        history=_history(data.get("history") or [], f"{field}.history"),
    )


def _history(value: Any, field: str) -> list[HistoryEntry]:
    """A page's history: ``{"modified": <ISO time>, "source": <ISO time>}`` entries, oldest first."""
    entries = _list(value, field)
    if len(entries) > MAX_HISTORY:
        raise Invalid(field, f"{len(entries)} entries, more than the {MAX_HISTORY} polybrief keeps")
    out: list[HistoryEntry] = []
    for n, entry in enumerate(entries):
        where = f"{field}[{n}]"
        data = _dict(entry, where)
        _known(data, where, frozenset(HISTORY_KEYS))
        modified, source = (_published(data[key], f"{where}.{key}") if key in data else None for key in HISTORY_KEYS)
        out.append((modified, source))
    return out


def _provenance(value: Any, field: str) -> dict[str, int]:
    data = _dict(value, field)
    _known(data, field, frozenset(PROVENANCE_KINDS))
    return {kind: _int(data.get(kind, 0), f"{field}.{kind}") for kind in PROVENANCE_KINDS}


def _machine(value: Any, field: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path, entry in _dict(value, field).items():
        where = f"{field}[{key_text(path)}]"
        data = _dict(entry, where)
        _known(data, where, frozenset({"text", "score", "engine", "models"}))
        score = data.get("score", 0.0)
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not math.isfinite(score):
            raise Invalid(f"{where}.score", f"expected a number, found {_show(score)}")
        out[str(_text(path, where))] = {
            "text": _text(data.get("text"), f"{where}.text"), "score": score,
            "engine": _text(data.get("engine", ""), f"{where}.engine"),
            "models": [_text(m, f"{where}.models") for m in _list(data.get("models", []), f"{where}.models")],
        }
    return out


def legacy_brief_record(key: Any, value: Any, contexts: dict[str, Context]) -> BriefRecord:
    """A brief of a version-1 manifest (settings per page, no contexts): each page gets a context of its own
    settings, so its brief's next publish rebuilds it."""
    from .manifest import context_id

    field = f"briefs[{key_text(key)}]"
    data = _dict(value, field)
    pages = _dict(data.get("pages") or {}, f"{field}.pages")
    upgraded: dict[str, Any] = {}
    for tag, page in pages.items():
        where = f"{field}.pages[{key_text(tag)}]"
        page = dict(_dict(page, where))
        context = {"legacy": 1, "locale": _tag(tag, where),
                   "settings": settings_record(page.pop("settings", None) or {}, f"{where}.settings")}
        cid = context_id(context)
        contexts.setdefault(cid, context)
        files = _dict(page.get("files") or {}, f"{where}.files")
        page["files"] = {fmt: {"sha256": _dict(e, f"{where}.files").get("sha256"), "context": cid}
                         for fmt, e in files.items()}
        page.pop("published_date", None)
        upgraded[tag] = page
    return brief_record(key, {**data, "pages": upgraded}, contexts)
