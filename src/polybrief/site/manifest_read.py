"""Reading the site manifest (:mod:`polybrief.site.manifest`) back: line by line, whole, or upgraded from version 1.

Its own module because reading is where the manifest meets whatever is on
disk: a site of 10,000 briefs is read one brief per line (the layout
:func:`~polybrief.site.manifest.manifest_chunks` writes) rather than parsed
as one 50 MB JSON tree; anything else that is valid JSON (an older version,
a file reformatted by hand) is read whole; a version-1 manifest is upgraded
in memory; and a damaged file is one :class:`~polybrief.errors.OutputError`
that says how to rebuild it, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ..errors import OutputError
from .manifest import (
    FIRST_LINE,
    MANIFEST_KEY,
    MANIFEST_NAME,
    PROVENANCE_KINDS,
    SCHEMA_VERSION,
    BriefRecord,
    FileRecord,
    PageRecord,
    SiteManifest,
    context_id,
)

__all__ = ["load_manifest"]

_intern = sys.intern


def _damaged(path: Path, detail: str) -> OutputError:
    hint = "it is written by polybrief publish; delete it and publish every brief again to rebuild it"
    return OutputError(detail, file=path, hint=hint)


def load_manifest(root: Path) -> SiteManifest:
    """The manifest of the output folder ``root`` (an empty one when there is none yet).

    A manifest in the layout :func:`manifest_chunks` writes is read line by
    line (one brief at a time); anything else that is valid JSON (an older
    version, a file reformatted by hand) is read whole.
    """
    root = Path(root)
    path = root / MANIFEST_NAME
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return SiteManifest(root)
    except OSError as exc:
        raise OutputError(f"cannot read the site manifest: {exc.strerror or exc}", file=path) from None
    with handle:
        first = handle.readline()
        if first.rstrip(b"\r\n") == FIRST_LINE.encode("ascii"):
            try:
                return _read_lines(root, path, handle)
            except _NotLineLayout:
                pass
        handle.seek(0)
        try:
            raw = handle.read()
        except OSError as exc:
            raise OutputError(f"cannot read the site manifest: {exc.strerror or exc}", file=path) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _damaged(path, f"the site manifest is not valid JSON: {exc}") from None
    del raw
    return _from_document(root, path, data)


class _NotLineLayout(Exception):
    """The file is not in the one-entry-per-line layout: read it whole instead."""


_SECTIONS = ("contexts", "briefs", "stat")


def _read_lines(root: Path, path: Path, handle: Any) -> SiteManifest:
    manifest = SiteManifest(root)
    section: str | None = None
    try:
        for raw in handle:
            line = raw.decode("utf-8").rstrip("\r\n")
            if section is None:
                if line.endswith("{") and line[:-1].rstrip().rstrip(":").strip().strip('"') in _SECTIONS:
                    section = line[:-1].rstrip().rstrip(":").strip().strip('"')
                    continue
                if line == "}":
                    break
                key, value = _entry(line)
                if key == "base_url":
                    manifest.base_url = value
                elif key == "index":
                    manifest.index = value
                elif key == "site_files" and isinstance(value, dict):
                    manifest.site_files = {str(k): str(v) for k, v in value.items()}
                continue
            closing = line.strip()
            if closing in ("}", "},", "}}"):
                section = None
                if closing == "}}":
                    break
                continue
            key, value = _entry(line)
            if section == "contexts":
                manifest.contexts[key] = value
            elif section == "briefs":
                manifest.briefs[key] = BriefRecord.from_json(key, value, manifest.contexts)
            else:
                manifest.stat[_intern(key)] = value
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
        raise _NotLineLayout(str(exc)) from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise _damaged(path, f"the site manifest is damaged ({type(exc).__name__}: {exc})") from None
    return manifest


def _entry(line: str) -> tuple[str, Any]:
    """``"key": value,`` (one member of an object on one line) as (key, value)."""
    text = line.strip()
    if text.endswith(","):
        text = text[:-1]
    data = json.loads("{" + text + "}")
    if len(data) != 1:
        raise ValueError("one member per line expected")
    ((key, value),) = data.items()
    return str(key), value


def _from_document(root: Path, path: Path, data: Any) -> SiteManifest:
    version = data.get(MANIFEST_KEY) if isinstance(data, dict) else None
    if version not in (1, SCHEMA_VERSION):
        raise _damaged(path, f"not a polybrief site manifest of version {SCHEMA_VERSION} (found {version!r})")
    try:
        if version == 1:
            return _upgrade_v1(root, data)
        manifest = SiteManifest(root, base_url=data.get("base_url"), index=data.get("index"),
                                site_files={str(k): str(v) for k, v in (data.get("site_files") or {}).items()},
                                contexts={str(k): dict(v) for k, v in (data.get("contexts") or {}).items()},
                                stat={str(k): list(v) for k, v in (data.get("stat") or {}).items()})
        manifest.briefs = {str(bid): BriefRecord.from_json(str(bid), value, manifest.contexts)
                           for bid, value in data["briefs"].items()}
        return manifest
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise _damaged(path, f"the site manifest is damaged ({type(exc).__name__}: {exc})") from None


def _upgrade_v1(root: Path, data: dict[str, Any]) -> SiteManifest:
    """A version-1 manifest in memory: each page keeps its record and settings; what it was made from is
    unknown to version 2 (no context), so its brief's next publish rebuilds it."""
    manifest = SiteManifest(root, base_url=data.get("base_url"))
    for bid, value in data["briefs"].items():
        pages: dict[str, PageRecord] = {}
        for tag, page in (value.get("pages") or {}).items():
            context = {"legacy": 1, "locale": str(tag), "settings": dict(page.get("settings") or {})}
            cid = context_id(context)
            manifest.contexts.setdefault(cid, context)
            inputs = page.get("inputs") or {}
            catalog = inputs.get("catalog")
            pages[str(tag)] = PageRecord(
                locale=str(tag), name=str(page["name"]), dir=str(page["dir"]), headline=str(page["headline"]),
                headline_lang=str(page["headline_lang"]), standfirst=page.get("standfirst"),
                standfirst_lang=page.get("standfirst_lang"), published_date=None,
                provenance={k: int((page.get("provenance") or {}).get(k, 0)) for k in PROVENANCE_KINDS},
                settings=manifest.contexts[cid]["settings"],
                machine={str(k): dict(v) for k, v in (page.get("machine") or {}).items()},
                alternates=[str(t) for t in page.get("alternates") or []], base_url=page.get("base_url"),
                brief_sha256=inputs.get("brief"),
                catalog=(str(catalog["path"]), catalog.get("sha256")) if catalog else None,
                files={str(fmt): FileRecord(entry.get("sha256"), cid) for fmt, entry in (page.get("files") or {}).items()},
            )
        manifest.briefs[str(bid)] = BriefRecord(
            id=str(bid), language=str(value["language"]), published=str(value["published"]),
            path=value.get("path"), catalog_root=value.get("catalog_root"), pages=pages)
    return manifest
