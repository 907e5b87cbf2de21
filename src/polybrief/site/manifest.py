"""The site manifest: ``DIR/.polybrief-site.json``, what an output folder holds and how each page was made.

Publishing used to know only the briefs and locales of the current run, so
publishing a subset rewrote ``index.html`` and the language menus with that
subset only: the other pages stayed on disk but vanished from the index, and
hreflang stopped being reciprocal.  The manifest is the site's memory.  Every
run reads it, adds or replaces the records of the pages it publishes, rebuilds
the index and every page's alternates from the union, and writes it back
atomically (temp file + rename) after the pages.

Schema (``"polybrief-site": 1``)::

    {
      "polybrief-site": 1,
      "generator": "polybrief 0.1.0",
      "base_url": "https://news.example.org/briefs/" | null,
      "briefs": {
        "<brief id>": {
          "path": "../examples/nagorno-karabakh.yaml" | null,   # relative to DIR when possible
          "catalog_root": "../examples/locales" | null,
          "language": "en",
          "published": "2023-09-19T18:00:00+05:30",
          "pages": {
            "<locale tag>": {
              "locale": "hy", "name": "Հայերեն", "dir": "ltr",
              "headline": "…", "headline_lang": "hy", "standfirst": "…" | null, "standfirst_lang": "hy" | null,
              "provenance": {"reviewed": 50, "draft": 0, "machine-draft": 0, "machine": 0, "source": 0},
              "settings": {"drafts": "exclude", "strict": false, "allow_qa_errors": false,
                           "templates": [...], "locale_data": [...], "glossary": "…" | null},
              "machine": {"<field path>": {"text": "…", "score": -0.3, "engine": "argos", "models": ["en→hy …"]}},
              "alternates": ["en", "hy", "az", "ru"],       # the language versions the html page links
              "base_url": null,                             # the base URL the html page was rendered with
              "inputs": {                                   # content hashes (sha256) of everything the page read
                "polybrief": "0.1.0", "babel": "2.17.0",
                "brief": "<sha256>",
                "catalog": {"path": "…", "sha256": "…"} | null,
                "ui_catalog": {"path": "…", "sha256": "…"} | null,
                "locale_data": {"<path>": "<sha256>", …},
                "glossary": {"path": "…", "sha256": "…"} | null
              },
              "files": {
                "html": {"path": "hy/nagorno-karabakh.html", "sha256": "…",
                         "templates": {"brief.html.j2": {"path": "…", "sha256": "…"}, …}},
                "text": {…}
              }
            }
          }
        }
      }
    }

A page (one brief in one locale) records *everything needed to render it
again* — where its brief and catalog are, the policy and folders it was
published with, and the machine translations it showed (kept, because an
engine cannot be replayed) — so a later run that changes the brief's set of
languages can re-render it with new alternates, and ``polybrief site remove``
can re-render what remains.  The ``inputs`` and per-file ``templates`` hashes
are what an incremental build compares to decide what changed; this module
only records them.

Paths inside the manifest are stored relative to ``DIR`` (so the output folder
and its sources can move together) and the file holds local paths: leave it
out when you deploy (``rsync --exclude .polybrief-site.json``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..fs import atomic_write_text

__all__ = [
    "MANIFEST_NAME",
    "SCHEMA_VERSION",
    "PageRecord",
    "BriefRecord",
    "SiteManifest",
    "load_manifest",
    "save_manifest",
    "manifest_text",
    "site_lock",
    "sha256_file",
    "sha256_bytes",
]

MANIFEST_NAME = ".polybrief-site.json"
SCHEMA_VERSION = 1
_KEY = "polybrief-site"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    """The file's sha256, or None when it cannot be read (gone, a folder)."""
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None


@dataclass
class PageRecord:
    """One brief in one locale, as published (every format of it)."""

    locale: str
    name: str
    dir: str
    headline: str
    headline_lang: str
    standfirst: str | None = None
    standfirst_lang: str | None = None
    provenance: dict[str, int] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    machine: dict[str, dict[str, Any]] = field(default_factory=dict)
    alternates: list[str] = field(default_factory=list)
    base_url: str | None = None
    inputs: dict[str, Any] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "locale": self.locale, "name": self.name, "dir": self.dir,
            "headline": self.headline, "headline_lang": self.headline_lang,
            "standfirst": self.standfirst, "standfirst_lang": self.standfirst_lang,
            "provenance": dict(self.provenance), "settings": dict(self.settings),
            "machine": {k: dict(v) for k, v in sorted(self.machine.items())},
            "alternates": list(self.alternates), "base_url": self.base_url,
            "inputs": self.inputs, "files": {k: dict(v) for k, v in sorted(self.files.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageRecord:
        return cls(
            locale=str(data["locale"]), name=str(data["name"]), dir=str(data["dir"]),
            headline=str(data["headline"]), headline_lang=str(data["headline_lang"]),
            standfirst=data.get("standfirst"), standfirst_lang=data.get("standfirst_lang"),
            provenance=dict(data.get("provenance") or {}), settings=dict(data.get("settings") or {}),
            machine={str(k): dict(v) for k, v in (data.get("machine") or {}).items()},
            alternates=[str(t) for t in data.get("alternates") or []], base_url=data.get("base_url"),
            inputs=dict(data.get("inputs") or {}),
            files={str(k): dict(v) for k, v in (data.get("files") or {}).items()},
        )


@dataclass
class BriefRecord:
    """One brief of the site and its published language versions (source language first)."""

    id: str
    language: str
    published: str
    path: str | None = None
    catalog_root: str | None = None
    pages: dict[str, PageRecord] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "catalog_root": self.catalog_root, "language": self.language,
            "published": self.published, "pages": {tag: page.to_json() for tag, page in self.pages.items()},
        }

    @classmethod
    def from_json(cls, brief_id: str, data: dict[str, Any]) -> BriefRecord:
        return cls(
            id=brief_id, language=str(data["language"]), published=str(data["published"]),
            path=data.get("path"), catalog_root=data.get("catalog_root"),
            pages={str(tag): PageRecord.from_json(page) for tag, page in (data.get("pages") or {}).items()},
        )


@dataclass
class SiteManifest:
    """Everything an output folder holds, keyed by brief id then locale tag."""

    root: Path
    base_url: str | None = None
    briefs: dict[str, BriefRecord] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.root / MANIFEST_NAME

    def pages(self) -> Iterator[tuple[BriefRecord, PageRecord]]:
        for brief in self.briefs.values():
            for page in brief.pages.values():
                yield brief, page

    # -- paths stored relative to the output folder ------------------------------------------

    def store_path(self, path: Path | None) -> str | None:
        if path is None:
            return None
        absolute = Path(os.path.abspath(path))
        try:
            return os.path.relpath(absolute, os.path.abspath(self.root))
        except ValueError:  # another drive on Windows
            return str(absolute)

    def resolve_path(self, stored: str | None) -> Path | None:
        if stored is None:
            return None
        path = Path(stored)
        return path if path.is_absolute() else Path(os.path.normpath(self.root / path))

    def to_json(self) -> dict[str, Any]:
        from .. import __version__

        return {
            _KEY: SCHEMA_VERSION,
            "generator": f"polybrief {__version__}",
            "base_url": self.base_url,
            "briefs": {bid: self.briefs[bid].to_json() for bid in sorted(self.briefs)},
        }


def load_manifest(root: Path) -> SiteManifest:
    """The manifest of the output folder ``root`` (an empty one when there is none yet)."""
    root = Path(root)
    path = root / MANIFEST_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return SiteManifest(root)
    except OSError as exc:
        raise OutputError(f"cannot read the site manifest: {exc.strerror or exc}", file=path) from None
    hint = "it is written by polybrief publish; delete it and publish every brief again to rebuild it"
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OutputError(f"the site manifest is not valid JSON: {exc}", file=path, hint=hint) from None
    if not isinstance(data, dict) or data.get(_KEY) != SCHEMA_VERSION:
        found = data.get(_KEY) if isinstance(data, dict) else None
        raise OutputError(f"not a polybrief site manifest of version {SCHEMA_VERSION} (found {found!r})",
                          file=path, hint=hint)
    try:
        briefs = {str(bid): BriefRecord.from_json(str(bid), value) for bid, value in data["briefs"].items()}
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise OutputError(f"the site manifest is damaged ({type(exc).__name__}: {exc})", file=path,
                          hint=hint) from None
    return SiteManifest(root, base_url=data.get("base_url"), briefs=briefs)


def manifest_text(manifest: SiteManifest) -> str:
    """The manifest as written (briefs sorted, pages in site order: the same site gives the same bytes)."""
    return json.dumps(manifest.to_json(), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def save_manifest(manifest: SiteManifest) -> Path:
    """Write the manifest atomically."""
    atomic_write_text(manifest.path, manifest_text(manifest))
    return manifest.path


@contextmanager
def site_lock(root: Path) -> Iterator[None]:
    """Serialise publish runs into one output folder across processes (read, render, write the manifest).

    The lock file lives in the system's temp folder, named after the output
    folder's absolute path, not in the output folder: a site is deployed as
    it is, and a failed run must leave a new output folder uncreated.
    """
    import tempfile

    from filelock import FileLock, Timeout

    key = hashlib.sha256(os.path.abspath(root).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    lock = FileLock(os.path.join(tempfile.gettempdir(), f"polybrief-site-{key}.lock"), timeout=300)
    try:
        with lock:
            yield
    except Timeout:
        raise OutputError("the output folder is being published by another polybrief process", file=root,
                          hint="wait for it to finish") from None
