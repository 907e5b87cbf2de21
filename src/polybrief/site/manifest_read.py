"""Reading the site manifest (:mod:`polybrief.site.manifest`) back: line by line, whole, or upgraded from version 1.

Its own module because reading is where the manifest meets whatever is on
disk, and whoever can write the output folder can write it: a site of
10,000 briefs is read one brief per line (the layout
:func:`~polybrief.site.manifest.manifest_chunks` writes) rather than parsed
as one 50 MB JSON tree; anything else that is valid JSON (an older version,
a file reformatted by hand) is read whole; a version-1 manifest, or one at
the old place in the web root, is upgraded in memory.  The file must be a
regular file (not a link, a FIFO or a device) of at most
``Limits.manifest_bytes``, nesting deep enough to exhaust the JSON parser
is one error (a 100,000-deep line used to be a ``RecursionError``
traceback), and every record is checked as it is read
(:mod:`polybrief.site.records`), which bounds its depth to the shape
polybrief writes.  Anything
wrong is one :class:`~polybrief.errors.OutputError` naming the manifest, the
line and the field, never a traceback.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..limits import DEFAULT_LIMITS, Limits
from .manifest import FIRST_LINE, MANIFEST_KEY, SCHEMA_VERSION, SiteManifest
from .records import (
    Invalid,
    base_url,
    brief_record,
    context_record,
    index_record,
    legacy_brief_record,
    site_files_record,
    stat_entry,
)
from .state import LEGACY_MANIFEST_NAME, MANIFEST_NAME

__all__ = ["load_manifest"]

#: The manifest's records nest 7 levels deep: anything deeper is refused by their checks
#: (:mod:`.records`), and anything deep enough to exhaust the JSON parser's recursion (a 100,000-deep line
#: was a ``RecursionError`` traceback) is this one line.
_TOO_DEEP = "the site manifest is nested too deeply (its records are at most 7 levels deep)"

_HINT = "it is written by polybrief publish; delete it and publish every brief again to rebuild it"


def _damaged(path: Path, detail: str, *, line: int | None = None, field: str | None = None) -> OutputError:
    return OutputError(detail, file=path, line=line, field=field, hint=_HINT)


def load_manifest(root: Path, *, limits: Limits = DEFAULT_LIMITS) -> SiteManifest:
    """The manifest of the output folder ``root`` (an empty one when there is none yet).

    It is read from ``DIR/.polybrief/site.json``, or from the old place
    (``DIR/.polybrief-site.json``, marked :attr:`~SiteManifest.legacy` so
    that the next write moves it).  A manifest in the layout
    :func:`manifest_chunks` writes is read line by line (one brief at a
    time); anything else that is valid JSON is read whole.
    """
    root = Path(root)
    legacy = False
    path = root / MANIFEST_NAME
    handle = _open(path, limits)
    if handle is None:
        path = root / LEGACY_MANIFEST_NAME
        handle = _open(path, limits)
        legacy = True
        if handle is None:
            return SiteManifest(root)
    with handle:
        first = handle.readline(len(FIRST_LINE) + 4)
        if first.rstrip(b"\r\n") == FIRST_LINE.encode("ascii"):
            try:
                manifest = _read_lines(root, path, _lines(handle, path, limits, first=len(first)))
                manifest.legacy = legacy
                return manifest
            except _NotLineLayout:
                pass
        handle.seek(0)
        try:
            raw = handle.read(limits.manifest_bytes + 1)
        except OSError as exc:
            raise OutputError(f"cannot read the site manifest: {exc.strerror or exc}", file=path) from None
    if len(raw) > limits.manifest_bytes:
        raise _too_large(path, limits)
    data = _parse(raw, path)
    del raw
    manifest = _from_document(root, path, data)
    manifest.legacy = legacy
    return manifest


def _open(path: Path, limits: Limits) -> Any:
    """The manifest opened for reading (None: there is none), after checking it is a regular file of bounded
    size: opened without following a link and without blocking, then checked with ``fstat``."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _damaged(path, "the site manifest is a symbolic link") from None
        if exc.errno == errno.ENOTDIR:
            raise _damaged(path, "the site's state folder is not a folder") from None
        raise OutputError(f"cannot read the site manifest: {exc.strerror or exc}", file=path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _damaged(path, "the site manifest is not a regular file")
        if info.st_size > limits.manifest_bytes:
            raise _too_large(path, limits)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _too_large(path: Path, limits: Limits) -> OutputError:
    return OutputError(f"the site manifest is more than the {limits.manifest_bytes} bytes allowed", file=path,
                       hint="raise the limit with --limit manifest_bytes=SIZE if the site is genuinely that large")


def _lines(handle: Any, path: Path, limits: Limits, *, first: int) -> Iterator[tuple[int, bytes]]:
    """(line number, line) from the second line on, within the size limit."""
    size = first
    for number, raw in enumerate(handle, start=2):
        size += len(raw)
        if size > limits.manifest_bytes:
            raise _too_large(path, limits)
        yield number, raw


def _parse(raw: bytes | str, path: Path, line: int | None = None) -> Any:
    """JSON text, nested at most :data:`MAX_DEPTH` deep; anything else a one-line error."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise _damaged(path, f"the site manifest is not UTF-8 (byte {exc.start})", line=line) from None
    try:
        return json.loads(text)
    except RecursionError:
        raise _damaged(path, _TOO_DEEP, line=line) from None
    except json.JSONDecodeError as exc:
        raise _damaged(path, f"the site manifest is not valid JSON: {exc}", line=line) from None
    except ValueError as exc:
        raise _damaged(path, f"the site manifest is not valid JSON: {type(exc).__name__}", line=line) from None


class _NotLineLayout(Exception):
    """The file is not in the one-entry-per-line layout: read it whole instead."""


_SECTIONS = ("contexts", "briefs", "stat")


def _read_lines(root: Path, path: Path, lines: Iterator[tuple[int, bytes]]) -> SiteManifest:
    manifest = SiteManifest(root)
    section: str | None = None
    for number, raw in lines:
        try:
            line = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            raise _NotLineLayout() from None
        if section is None:
            name = line[:-1].rstrip().rstrip(":").strip().strip('"') if line.endswith("{") else None
            if name in _SECTIONS:
                section = name
                continue
            if line == "}":
                break
            key, value = _entry(line, path, number)
            try:
                if key == "base_url":
                    manifest.base_url = base_url(value)
                elif key == "index":
                    manifest.index = index_record(value)
                elif key == "site_files":
                    manifest.site_files = site_files_record(value)
            except Invalid as exc:
                raise _damaged(path, exc.message, line=number, field=exc.field) from None
            continue
        closing = line.strip()
        if closing in ("}", "},", "}}"):
            section = None
            if closing == "}}":
                break
            continue
        key, value = _entry(line, path, number)
        try:
            if section == "contexts":
                cid, context = context_record(key, value)
                manifest.contexts[cid] = context
            elif section == "briefs":
                record = brief_record(key, value, manifest.contexts)
                manifest.briefs[record.id] = record
            else:
                stored, entry = stat_entry(key, value)
                manifest.stat[stored] = entry
        except Invalid as exc:
            raise _damaged(path, exc.message, line=number, field=exc.field) from None
    return manifest


def _entry(line: str, path: Path, number: int) -> tuple[str, Any]:
    """``"key": value,`` (one member of an object on one line) as (key, value)."""
    text = line.strip()
    if text.endswith(","):
        text = text[:-1]
    if not text.startswith('"'):
        raise _NotLineLayout()
    try:
        data = json.loads("{" + text + "}")
    except RecursionError:
        raise _damaged(path, _TOO_DEEP, line=number) from None
    except (json.JSONDecodeError, ValueError):
        raise _NotLineLayout() from None
    if len(data) != 1:
        raise _NotLineLayout()
    ((key, value),) = data.items()
    return str(key), value


def _from_document(root: Path, path: Path, data: Any) -> SiteManifest:
    version = data.get(MANIFEST_KEY) if isinstance(data, dict) else None
    if version not in (1, SCHEMA_VERSION) or isinstance(version, bool):
        shown = version if isinstance(version, (int, type(None))) else type(version).__name__
        raise _damaged(path, f"not a polybrief site manifest of version {SCHEMA_VERSION} (found {shown!r})")
    try:
        manifest = SiteManifest(root, base_url=base_url(data.get("base_url")))
        briefs = data.get("briefs")
        if not isinstance(briefs, dict):
            raise Invalid("briefs", "expected an object")
        if version == 1:
            for key, value in briefs.items():
                record = legacy_brief_record(key, value, manifest.contexts)
                manifest.briefs[record.id] = record
            return manifest
        manifest.index = index_record(data.get("index"))
        manifest.site_files = site_files_record(data.get("site_files") or {})
        contexts, stats = data.get("contexts") or {}, data.get("stat") or {}
        if not isinstance(contexts, dict) or not isinstance(stats, dict):
            raise Invalid("contexts" if not isinstance(contexts, dict) else "stat", "expected an object")
        for key, value in contexts.items():
            cid, context = context_record(key, value)
            manifest.contexts[cid] = context
        for key, value in briefs.items():
            record = brief_record(key, value, manifest.contexts)
            manifest.briefs[record.id] = record
        for key, value in stats.items():
            stored, entry = stat_entry(key, value)
            manifest.stat[stored] = entry
        return manifest
    except Invalid as exc:
        raise _damaged(path, exc.message, field=exc.field) from None
