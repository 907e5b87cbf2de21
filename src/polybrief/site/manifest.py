"""The site manifest: ``DIR/.polybrief/site.json``, what an output folder holds and how each page was made.

Publishing used to know only the briefs and locales of the current run, so
publishing a subset rewrote ``index.html`` and the language menus with that
subset only: the other pages stayed on disk but vanished from the index, and
hreflang stopped being reciprocal.  The manifest is the site's memory.  Every
run reads it, adds or replaces the records of the pages it publishes, rebuilds
the index and every page's alternates from the union, and writes it last,
after the pages (see :mod:`polybrief.publishing.commit`).

It is also what makes republishing incremental (:mod:`polybrief.publishing.plan`):
each page records the content hash of every input it was made from, so a run
rebuilds only the pages whose inputs changed.

Schema (``"polybrief-site": 2``), one brief, context and stat entry per line
so that a site of 10,000 briefs is read line by line rather than as one
50 MB JSON tree, and so that diffs of the file stay readable::

    {"polybrief-site": 2,
    "generator": "polybrief 0.1.0",
    "base_url": "https://news.example.org/briefs/" | null,
    "index": {"sha256": "…", "fingerprint": "…", "context": "<context id>"} | null,
    "contexts": {
    "<context id>": {"polybrief": "0.1.0", "babel": "2.19.0", "locale": "hy", "format": "html",
                     "settings": {"drafts": "exclude", "strict": false, "allow_qa_errors": false,
                                  "allow_mt_failure": false, "templates": [...], "locale_data": [...],
                                  "glossary": "…" | null, "digits": "locale", "sandboxed_templates": false,
                                  "limits": {...}},
                     "quotes": ["«", "»", "„", "“"],
                     "ui_catalog": {"path": "…", "entries": "<sha256>"} | {"path": "…", "sha256": "…"} | null,
                     "ui_file": {"path": "…", "sha256": "…"} | null,
                     "ui_messages": ["Key figures", ["{num} killed", "{num} killed"], …] | null,
                     "glossary": {"path": "…", "sha256": "…", "rules": "<sha256 of this locale's rules>"} | null,
                     "templates": {"brief.html.j2": {"path": "…", "sha256": "…"}, "_macros.html.j2": {…}, …},
                     "locale_data": {"<path of quotation-marks.toml>": "<sha256>", …}},
    …},
    "briefs": {
    "<brief id>": {"path": "../examples/nagorno-karabakh.yaml" | null, "catalog_root": "../examples/locales" | null,
                   "language": "en", "published": "2023-09-19T18:00:00+05:30",
                   "pages": {"<locale tag>": {
                       "name": "Հայերեն", "dir": "ltr", "headline": "…", "headline_lang": "hy",
                       "standfirst": "…" | null, "standfirst_lang": "hy" | null,
                       "published_date": "2023 թ. սեպտեմբերի 19",
                       "provenance": {"reviewed": 50},                     # kinds with a count of 0 left out
                       "machine": {"<field path>": {"text": "…", "score": -0.3, "engine": "argos",
                                                    "models": ["en→hy …"]}},  # left out when empty
                       "alternates": ["en", "hy", "az", "ru"],             # the versions the html page links
                       "base_url": null,                                   # the base URL it was rendered with
                       "inputs": {"brief": "<sha256>",
                                  "catalog": {"path": "…", "sha256": "…"} | null},
                       "files": {"html": {"sha256": "…", "context": "<context id>"}, "text": {…}},
                       "modified": "2023-09-20T10:15:00+04:00",            # dateModified: in this language
                       "full": true,                                       # published as a full version
                       "history": [{"modified": "…", "source": "…"}, …]}, # each change of the two, oldest first
                   …},
                   "modified": "2023-09-19T23:00:00+05:30",                # the source's last revision
                   "authors": ["…"]},
    …},
    "site_files": {"sitemap.xml": "<sha256>", "hy/feed.xml": "<sha256>", …},
    "stat": {
    "<path>": ["<sha256>", size, mtime_ns, ctime_ns, inode] | ["<sha256>"] | [size, mtime_ns, inode],
    …}}

A page (one brief in one locale) records *everything needed to render it
again* — where its brief and catalog are, the policy and folders it was
published with (its context's ``settings``), and the machine translations it
showed (kept, because an engine cannot be replayed) — so a later run that
changes the brief's set of languages can re-render it with new alternates,
and ``polybrief site remove`` can re-render what remains.  The page file at
``<locale>/<brief id>.<ext>`` is named by the record, not stored.

What a page read is split in two: the brief and its catalog (per page), and
a *context* shared by every page of one locale and format that a run made
alike (versions, settings, the locale's quotation marks, UI catalog,
glossary rules and templates, each with its hash).  A context's id is a hash
of everything in it except the ``locale_data`` file hashes, which are kept
for the record: a page is made again when *its* locale's quotation marks
change, not when another locale's entry in the same file does.  Likewise for
the UI catalog: ``ui_messages`` lists the messages the context's templates
can show (:mod:`polybrief.rendering.messages`), ``ui_catalog.entries`` hashes
their translations, and the whole file's hash is kept apart in ``ui_file``,
so editing a message these pages do not show rebuilds none of them.  Where a
template can show any message (``_(variable)``), ``ui_messages`` is null and
``ui_catalog`` is the whole file's hash.

``stat`` caches the content hash of each input file with its size,
modification and change times and inode (as git's index does), so a run
hashes only files whose ``stat`` changed; a file changed in the two seconds
before it was hashed is kept with its hash alone and hashed again next time
(see :mod:`polybrief.site.inputs`).  For pages it keeps size, mtime and
inode, so a page deleted or edited by hand is written again.

Paths inside the manifest are stored relative to ``DIR`` (so the output folder
and its sources can move together).  The file lives in the state folder
``DIR/.polybrief/`` (:mod:`polybrief.site.state`), which a deploy leaves out
(``rsync -a --exclude='.*'``), and it is *data*, never authority: every
record is checked when it is read (:mod:`polybrief.site.records`), and the
folders a page is rendered with come from the current run.  Version 1
manifests (no contexts) and manifests at the old place (``DIR/.polybrief-site.json``)
are read and upgraded (:mod:`polybrief.site.manifest_read`); the pages of a
version 1 manifest are rebuilt the next time their brief is published.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .._version import __version__
from .state import LEGACY_MANIFEST_NAME, MANIFEST_NAME

__all__ = [
    "MANIFEST_NAME",
    "SCHEMA_VERSION",
    "PROVENANCE_KINDS",
    "FileRecord",
    "PageRecord",
    "BriefRecord",
    "SiteManifest",
    "StatEntry",
    "HistoryEntry",
    "HISTORY_KEYS",
    "Context",
    "manifest_chunks",
    "sha256_file",
    "sha256_bytes",
    "canonical",
    "context_id",
    "shared",
]

SCHEMA_VERSION = 2
_V = TypeVar("_V")
StatEntry = list[Any]
"""A ``stat`` cache entry: ``[sha256, size, mtime_ns, ctime_ns, inode]`` or ``[sha256]`` for an input file
(see :mod:`polybrief.site.inputs`), ``[size, mtime_ns, inode]`` for a written page."""

HistoryEntry = tuple[str | None, str | None]
"""One entry of a page's history: ``(modified, source)``, written ``{"modified": …, "source": …}`` (a value
that is None is left out); a tuple in memory, a quarter of the dict's size on every page of a site."""
HISTORY_KEYS = ("modified", "source")

Context = dict[str, Any]
"""A page context as recorded: JSON describing versions, settings and the hashes of the files a page read."""

MANIFEST_KEY = "polybrief-site"
FIRST_LINE = f'{{"{MANIFEST_KEY}": {SCHEMA_VERSION},'  # how :func:`manifest_chunks` starts; the reader looks for it
PROVENANCE_KINDS = ("reviewed", "draft", "machine-draft", "machine", "source")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    """The file's sha256, or None when it is not a regular file that can be read (gone, a folder, a FIFO
    or a device: a path named by a manifest must not block or read forever)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        os.set_blocking(fd, True)
        digest = hashlib.sha256()
        while block := os.read(fd, 1 << 16):
            digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


def canonical(data: Any) -> str:
    """Stable JSON text of ``data`` (for hashing and comparing recorded settings)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


#: What a context keeps for the record only, out of its id (see above).
_RECORD_ONLY = frozenset({"locale_data", "ui_file"})


def context_id(context: dict[str, Any]) -> str:
    """The id of a context: a hash of everything in it but the ``locale_data`` and UI catalog file hashes
    (see above)."""
    semantic = {k: v for k, v in context.items() if k not in _RECORD_ONLY}
    return hashlib.sha256(canonical(semantic).encode("utf-8")).hexdigest()[:20]


_intern = sys.intern

#: Values of records kept once per distinct value (see :func:`shared`), and how many at most.
_SHARED: dict[tuple[type, Any], Any] = {}
_SHARED_MAX = 8192


def shared(value: _V) -> _V:
    """One object for every equal ``value`` (a tuple, or a list or dict of hashable values): what most
    pages of a site record alike — their provenance counts, their language links, a brief's locales —
    is kept once however many pages record it.  The value must be treated as read-only afterwards
    (records are replaced, never changed in place); past a bound, values are returned as they are."""
    if isinstance(value, dict):
        key: Any = tuple(value.items())
    elif isinstance(value, list):
        key = tuple(value)
    else:
        key = value
    try:
        found = _SHARED.get((type(value), key))
    except TypeError:  # an unhashable item: kept as it is
        return value
    if found is not None:
        return found
    if len(_SHARED) < _SHARED_MAX:
        _SHARED[(type(value), key)] = value
    return value


@dataclass(slots=True)
class FileRecord:
    """One published file of a page: its hash and the context it was rendered in."""

    sha256: str | None = None
    context: str | None = None


@dataclass(slots=True)
class PageRecord:
    """One brief in one locale, as published (every format of it)."""

    locale: str
    name: str
    dir: str
    headline: str
    headline_lang: str
    standfirst: str | None = None
    standfirst_lang: str | None = None
    published_date: str | None = None
    provenance: dict[str, int] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    """The policy and folders the page was published with (its context's ``settings``; shared, read-only)."""
    machine: dict[str, dict[str, Any]] = field(default_factory=dict)
    alternates: list[str] = field(default_factory=list)
    base_url: str | None = None
    brief_sha256: str | None = None
    catalog: tuple[str, str | None] | None = None
    """The catalog it read: (path relative to the output folder, sha256); None for none."""
    files: dict[str, FileRecord] = field(default_factory=dict)
    modified: str | None = None
    """When the page last changed in its own language (its ``dateModified``; ISO 8601)."""
    full: bool | None = None
    """Whether the run that rendered it published it as a full language version (at least that run's
    ``--index-threshold`` of its segments reviewed: :func:`~polybrief.provenance.is_full_version`), so
    what its own head says (indexed, or ``noindex``); None on records written before it was kept.  A
    run decides again from ``provenance`` under its own threshold
    (:meth:`~polybrief.publishing.sitebuild.SiteBuild.partial`) and renders again a page whose
    claim changed, so after a run this agrees with it."""
    history: list[HistoryEntry] = field(default_factory=list)
    """Each change of ``modified`` or of the source revision it follows, oldest first (bounded)."""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name, "dir": self.dir, "headline": self.headline, "headline_lang": self.headline_lang,
            "standfirst": self.standfirst, "standfirst_lang": self.standfirst_lang,
            "published_date": self.published_date,
            "provenance": {k: v for k, v in self.provenance.items() if v},
        }
        if self.machine:
            out["machine"] = {k: dict(v) for k, v in sorted(self.machine.items())}
        out["alternates"] = list(self.alternates)
        if self.base_url is not None:
            out["base_url"] = self.base_url
        out["inputs"] = {"brief": self.brief_sha256,
                         "catalog": {"path": self.catalog[0], "sha256": self.catalog[1]} if self.catalog else None}
        out["files"] = {fmt: {"sha256": f.sha256, "context": f.context} for fmt, f in sorted(self.files.items())}
        if self.modified is not None:
            out["modified"] = self.modified
        if self.full is not None:
            out["full"] = self.full
        if self.history:
            out["history"] = [{key: value for key, value in zip(HISTORY_KEYS, entry) if value is not None}
                              for entry in self.history]
        return out


@dataclass(slots=True)
class BriefRecord:
    """One brief of the site and its published language versions (source language first)."""

    id: str
    language: str
    published: str
    path: str | None = None
    catalog_root: str | None = None
    pages: dict[str, PageRecord] = field(default_factory=dict)
    modified: str | None = None
    """When the source last changed (its ``updated``, else its latest correction or ``published``)."""
    authors: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path, "catalog_root": self.catalog_root, "language": self.language,
            "published": self.published, "pages": {tag: page.to_json() for tag, page in self.pages.items()},
        }
        if self.modified is not None:
            out["modified"] = self.modified
        if self.authors:
            out["authors"] = list(self.authors)
        return out


@dataclass
class SiteManifest:
    """Everything an output folder holds, keyed by brief id then locale tag."""

    root: Path
    base_url: str | None = None
    briefs: dict[str, BriefRecord] = field(default_factory=dict)
    contexts: dict[str, dict[str, Any]] = field(default_factory=dict)
    stat: dict[str, list[Any]] = field(default_factory=dict)
    """Content hashes and stat signatures of input files, stat signatures of pages (see the module docstring)."""
    index: dict[str, Any] | None = None
    """What ``index.html`` was last rendered from (``fingerprint``) and its hash."""
    legacy: bool = False
    """Read from the old place in the web root (``DIR/.polybrief-site.json``): removed once written here."""
    site_files: dict[str, str] = field(default_factory=dict)
    """The site's own files (language indexes, 404 page, feeds, sitemaps, robots.txt) and their sha256."""
    _by_path: dict[str, str] | None = field(default=None, repr=False)
    _folders: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def path(self) -> Path:
        return self.root / MANIFEST_NAME

    @property
    def legacy_path(self) -> Path:
        return self.root / LEGACY_MANIFEST_NAME

    def drop_legacy(self) -> None:
        """Delete a manifest at the old place (after this one was written): it is in the web root."""
        try:
            if not stat.S_ISDIR(os.lstat(self.legacy_path).st_mode):
                os.unlink(self.legacy_path)
        except OSError:
            pass
        self.legacy = False

    def pages(self) -> Iterator[tuple[BriefRecord, PageRecord]]:
        for brief in self.briefs.values():
            for page in brief.pages.values():
                yield brief, page

    def brief_at(self, stored_path: str) -> BriefRecord | None:
        """The record of the brief last published from ``stored_path`` (a path as :meth:`store_path` writes it)."""
        if self._by_path is None:
            self._by_path = {r.path: bid for bid, r in self.briefs.items() if r.path is not None}
        brief_id = self._by_path.get(stored_path)
        record = self.briefs.get(brief_id) if brief_id is not None else None
        return record if record is not None and record.path == stored_path else None

    def forget_paths(self) -> None:
        """Drop the path index (after records changed)."""
        self._by_path = None

    # -- paths stored relative to the output folder ------------------------------------------

    def store_path(self, path: Path | str | None) -> str | None:
        if path is None:
            return None
        folder, name = os.path.split(os.path.abspath(path))
        stored = self._folders.get(folder)
        if stored is None:
            try:
                stored = os.path.relpath(folder, os.path.abspath(self.root))
            except ValueError:  # another drive on Windows
                stored = folder
            self._folders[folder] = stored
        return _intern(name if stored == os.curdir else os.path.join(stored, name))

    def resolve_path(self, stored: str | None) -> Path | None:
        if stored is None:
            return None
        path = Path(stored)
        return path if path.is_absolute() else Path(os.path.normpath(self.root / path))

    def used_contexts(self) -> set[str]:
        used = {f.context for _, page in self.pages() for f in page.files.values() if f.context}
        if self.index and self.index.get("context"):
            used.add(str(self.index["context"]))
        return used

    def to_json(self) -> dict[str, Any]:
        """The whole manifest as one JSON-ready dict (``polybrief site list --json``)."""
        return {
            MANIFEST_KEY: SCHEMA_VERSION,
            "generator": f"polybrief {__version__}",
            "base_url": self.base_url,
            "index": self.index,
            "contexts": {cid: self.contexts[cid] for cid in sorted(self.used_contexts()) if cid in self.contexts},
            "briefs": {bid: self.briefs[bid].to_json() for bid in sorted(self.briefs)},
            "site_files": dict(sorted(self.site_files.items())),
            "stat": {path: self.stat[path] for path in sorted(self.stat)},
        }


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def manifest_chunks(manifest: SiteManifest) -> Iterator[str]:
    """The manifest as written, piece by piece: one context, brief and stat entry per line, each section
    sorted (the same site gives the same bytes, apart from ``stat``)."""
    yield FIRST_LINE + "\n"
    yield f'"generator": {_dump(f"polybrief {__version__}")},\n'
    yield f'"base_url": {_dump(manifest.base_url)},\n'
    yield f'"index": {_dump(manifest.index)},\n'
    yield f'"site_files": {_dump(dict(sorted(manifest.site_files.items())))},\n'
    used = manifest.used_contexts()
    sections: list[tuple[str, list[str], Any]] = [
        ("contexts", sorted(c for c in used if c in manifest.contexts), lambda k: manifest.contexts[k]),
        ("briefs", sorted(manifest.briefs), lambda k: manifest.briefs[k].to_json()),
        ("stat", sorted(manifest.stat), lambda k: manifest.stat[k]),
    ]
    for number, (name, keys, value) in enumerate(sections):
        last_section = number == len(sections) - 1
        yield f'"{name}": {{\n'
        for position, key in enumerate(keys):
            comma = "," if position < len(keys) - 1 else ""
            yield f"{_dump(key)}: {_dump(value(key))}{comma}\n"
        yield "}}\n" if last_section else "},\n"
