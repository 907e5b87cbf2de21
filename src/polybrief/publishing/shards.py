"""Shards: a site's briefs split into N parts that can be published apart (other processes, other machines).

A site too large for one machine is published in *shards* (see docs/scale.md):
every brief file belongs to exactly one shard, decided by its file name alone
(:func:`shard_of`: a stable hash of the name, modulo N), so every machine
that is given the same list — in any order, spelled with any folder — picks
the same briefs without reading one.  A shard is published by the ordinary
pipeline (:func:`publish_shard`, ``polybrief publish --shard K/N``) into its
own *shard folder*: the pages, that folder's manifest, and
``.polybrief/shard.json`` saying which shard it is and what it was made
with, but none of the site's own pages (index, language indexes, feeds,
sitemaps, 404), which depend on every brief.  :mod:`.merge` puts the shards
together into one site; :mod:`.distributed` runs the shards as Ray tasks.

A page depends only on its own brief, catalogs, templates and settings (its
language links name the versions of its own brief), so a shard's pages are
the bytes one ``polybrief publish`` of every brief would have written; the
site's pages are made once, from the merged manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import OutputError, UsageError
from ..site.manifest import SiteManifest
from ..site.manifest_read import load_manifest
from ..site.state import STATE_DIR, has_manifest

if TYPE_CHECKING:
    from ..cldr import LocaleLike
    from ..project import Project
    from ..rendering import OutputFormat
    from .report import PublishReport

__all__ = ["SHARD_FILE", "Shard", "shard_of", "parse_shard", "split", "publish_shard", "read_shard", "check_shards"]

#: What a shard folder says about itself, relative to the folder.
SHARD_FILE = f"{STATE_DIR}/shard.json"
_KEY = "polybrief-shard"
_VERSION = 1


def shard_of(brief: str | os.PathLike[str], count: int) -> int:
    """The shard (1 to ``count``) a brief file belongs to: a stable hash of its file name, modulo ``count``.

    The name, not the path: machines that mount the briefs at different
    places, or are given them relative to different folders, agree.  Two
    files with one name in two folders go to the same shard, which is
    where a clash of their ids (the usual reason for one name) is found."""
    name = os.path.basename(os.fspath(brief)).encode("utf-8", "surrogateescape")
    return int.from_bytes(hashlib.sha256(name).digest()[:8], "big") % count + 1


def parse_shard(text: str) -> tuple[int, int]:
    """``"K/N"`` (``--shard 2/4``) as ``(K, N)``, with 1 <= K <= N."""
    number, _, count = text.partition("/")
    try:
        k, n = int(number), int(count)
    except ValueError:
        k = n = 0
    if not 1 <= k <= n:
        raise UsageError(f"--shard {text!r} is not K/N with 1 <= K <= N", field="--shard",
                         hint="e.g. --shard 2/4: the second of four shards")
    return k, n


def split(briefs: Sequence[str | os.PathLike[str]], count: int) -> list[list[str | os.PathLike[str]]]:
    """``briefs`` in ``count`` shards (:func:`shard_of`), each in the order given."""
    if count < 1:
        raise UsageError(f"a site is published in at least one shard, not {count}", field="shards")
    parts: list[list[str | os.PathLike[str]]] = [[] for _ in range(count)]
    for brief in briefs:
        if not isinstance(brief, (str, os.PathLike)):
            raise UsageError("sharded publishing takes brief files, not briefs in memory", field="briefs",
                             hint="write the briefs to files (each shard reads its own), or publish them in one run")
        parts[shard_of(brief, count) - 1].append(brief)
    return parts


@dataclass(frozen=True)
class Shard:
    """A shard folder as read back: what ``shard.json`` says, and its manifest."""

    folder: Path
    root: str
    """The folder's absolute path when it was published: the paths its manifest stores are relative to it."""
    number: int
    count: int
    locales: tuple[str, ...]
    formats: tuple[str, ...]
    briefs: tuple[str, ...]
    """The brief files given to the shard (absolute paths)."""
    base_url: str | None
    threshold: float
    manifest: SiteManifest

    @property
    def name(self) -> str:
        return f"shard {self.number}/{self.count}"


def publish_shard(
    briefs: Sequence[str | os.PathLike[str]],
    *,
    shard: tuple[int, int],
    locales: Sequence[LocaleLike],
    out_dir: str | os.PathLike[str],
    project: Project | None = None,
    formats: Sequence[OutputFormat] = ("html", "text"),
    jobs: int | None = 1,
    force: bool = False,
) -> PublishReport:
    """Publish the briefs of shard ``K`` of ``N`` (``shard=(K, N)``) into the shard folder ``out_dir``.

    The others of ``briefs`` are left to the other shards; each machine is given the same list.  The
    folder gets the pages and their manifest, as ``publish`` writes them, and ``.polybrief/shard.json``;
    :func:`~polybrief.publishing.merge.merge_shards` makes a site of all N folders.  Publishing the same
    shard again into its folder is incremental, like ``publish``."""
    from ..cldr import get_locale
    from ..fs import atomic_write_text
    from ..project import Project
    from .run import publish

    number, count = shard
    if not 1 <= number <= count:
        raise UsageError(f"shard {number} of {count} does not exist", field="shard")
    out = Path(out_dir)
    _check_folder(out, number, count)
    mine = split(briefs, count)[number - 1]
    project = project or Project()
    tags = [get_locale(tag).tag for tag in locales]
    report = publish(mine, locales=tags, out_dir=out, project=project, formats=formats, write_index=False,
                     jobs=jobs, force=force, keep_localised=False)
    info = {_KEY: _VERSION, "shard": number, "of": count, "root": os.path.abspath(out), "locales": tags,
            "formats": list(formats), "briefs": [os.path.abspath(b) for b in mine],
            "base_url": project.base_url, "index_threshold": project.index_threshold}
    atomic_write_text(out / SHARD_FILE, json.dumps(info, ensure_ascii=False, indent=1) + "\n")
    return report


def _check_folder(out: Path, number: int, count: int) -> None:
    """A shard is published into a new folder or its own folder of an earlier run, never into a site."""
    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        return
    if not (out / SHARD_FILE).exists():
        if has_manifest(out):
            raise OutputError("this folder is a site, not a shard folder", file=out,
                              hint="publish each shard into a folder of its own, then: polybrief site merge SITE "
                                   "SHARD...")
        return
    shard = _info(out)
    if (shard.get("shard"), shard.get("of")) != (number, count):
        raise OutputError(f"this folder holds shard {shard.get('shard')}/{shard.get('of')}, not {number}/{count}",
                          file=out, hint="publish each shard into a folder of its own")


def _info(folder: Path) -> dict[str, Any]:
    path = folder / SHARD_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OutputError(f"not a shard folder (no {SHARD_FILE})", file=folder,
                          hint="make one with: polybrief publish BRIEF... --shard K/N --out FOLDER") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise OutputError(f"cannot read the shard's description: {exc}", file=path,
                          hint="publish the shard again") from None
    if not isinstance(data, dict) or data.get(_KEY) != _VERSION:
        raise OutputError(f"not a shard description of this polybrief ({_KEY}: {_VERSION})", file=path,
                          hint="publish the shard again with this version") from None
    return data


def read_shard(folder: str | os.PathLike[str], project: Project | None = None) -> Shard:
    """The shard folder ``folder`` (its ``shard.json``, every field checked, and its manifest)."""
    from ..limits import DEFAULT_LIMITS

    folder = Path(folder)
    data = _info(folder)
    path = folder / SHARD_FILE

    def field(name: str, kind: type | tuple[type, ...]) -> Any:
        value = data.get(name)
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise OutputError(f"shard description: {name} is missing or not what polybrief writes", file=path,
                              field=name, hint="publish the shard again")
        return value

    number, count = field("shard", int), field("of", int)
    if not 1 <= number <= count:
        raise OutputError(f"shard description: shard {number} of {count} does not exist", file=path, field="shard")
    lists = {name: tuple(field(name, list)) for name in ("locales", "formats", "briefs")}
    for name, values in lists.items():
        if not all(isinstance(v, str) for v in values):
            raise OutputError(f"shard description: {name} must be strings", file=path, field=name)
    root = field("root", str)
    if not os.path.isabs(root):
        raise OutputError("shard description: root is not an absolute path", file=path, field="root")
    base_url = data.get("base_url")
    if base_url is not None and not isinstance(base_url, str):
        raise OutputError("shard description: base_url is not a string", file=path, field="base_url")
    limits = project.limits if project is not None else DEFAULT_LIMITS
    manifest = load_manifest(folder, limits=limits)
    return Shard(folder=folder, root=root, number=number, count=count, locales=lists["locales"],
                 formats=lists["formats"], briefs=lists["briefs"], base_url=base_url,
                 threshold=float(field("index_threshold", (int, float))), manifest=manifest)


def check_shards(shards: Sequence[Shard]) -> None:
    """Fail unless ``shards`` are every shard of one partition, once each, made with the same settings,
    each holding only its own briefs, and no brief id in two of them."""
    if not shards:
        raise UsageError("no shard folders to merge", hint="polybrief site merge SITE SHARD...")
    first = shards[0]
    seen: dict[int, Shard] = {}
    for shard in shards:
        if shard.count != first.count:
            raise OutputError(f"{shard.name} and {first.name} are shards of different partitions",
                              file=shard.folder, hint="merge the shards of one run, all published with the same N")
        if shard.number in seen:
            raise OutputError(f"{shard.name} is given twice: {seen[shard.number].folder} and {shard.folder}",
                              file=shard.folder, hint="give each shard folder once")
        seen[shard.number] = shard
        for name in ("locales", "formats", "base_url", "threshold"):
            if getattr(shard, name) != getattr(first, name):
                raise OutputError(f"{shard.name} was published with other {name} than {first.name}: "
                                  f"{getattr(shard, name)!r}, not {getattr(first, name)!r}", file=shard.folder,
                                  hint="publish every shard with the same options")
        for brief in shard.briefs:
            if shard_of(brief, shard.count) != shard.number:
                raise OutputError(f"{shard.name} holds a brief of shard {shard_of(brief, shard.count)}",
                                  file=brief, hint="publish each shard with the same list of briefs")
    missing = [str(k) for k in range(1, first.count + 1) if k not in seen]
    if missing:
        raise OutputError(f"shard(s) {', '.join(missing)} of {first.count} are missing: the site would lack "
                          "their briefs", hint="publish them (polybrief publish ... --shard K/N) and merge them all")
    owner: dict[str, Shard] = {}
    for shard in shards:
        for brief_id in shard.manifest.briefs:
            other = owner.setdefault(brief_id, shard)
            if other is not shard:
                raise OutputError(f"brief {brief_id!r} is in {other.name} and in {shard.name}",
                                  file=shard.folder, field="id",
                                  hint="two brief files share the id; ids name the output files and must differ")
