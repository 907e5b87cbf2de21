"""Check an ``.argosmodel`` archive before extracting it, then extract it safely.

An ``.argosmodel`` file is a zip archive from the network, so nothing in it
is trusted: ``zipfile.extractall`` — what Argos uses — writes wherever member
names point.  :func:`check_package` looks at the whole archive *before* one
byte is extracted (member count, declared size, absolute paths, ``..``,
symbolic links, special and encrypted members, names no file system can
hold — a component over 255 bytes, a file that is also a folder —, a
compression ratio above ``Limits.archive_ratio`` (a 3.2 MB zip bomb used to
unpack to 3 GiB), one package folder with a complete ``metadata.json``, a
model with vocabulary and SentencePiece), and :func:`extract` then counts
the bytes actually written, because declared sizes can lie, while the zip
CRCs catch corruption.  This module knows
nothing of the packages folder: :mod:`polybrief.mt.install` decides where
the files go and stages them.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import ModelPackageError
from ..limits import DEFAULT_LIMITS
from .layout import VOCABULARY_SUFFIXES
from .store import MAX_METADATA_BYTES, check_lang, parse_metadata

__all__ = ["MAX_MEMBERS", "MAX_TOTAL_BYTES", "MAX_RATIO", "CheckedPackage", "check_package", "extract",
           "open_archive"]

MAX_MEMBERS = DEFAULT_LIMITS.archive_members
MAX_TOTAL_BYTES = DEFAULT_LIMITS.archive_bytes
MAX_RATIO = DEFAULT_LIMITS.archive_ratio
_CHUNK = 1024**2
#: Members smaller than this are not held to the compression ratio (a text file compresses well).
_RATIO_FLOOR = 1024**2
_NAME_MAX = 255


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckedPackage:
    """An archive that passed :func:`check_package`: what to extract, and what it says about itself."""

    archive: Path
    members: tuple[zipfile.ZipInfo, ...]
    #: The folder inside the archive that holds the package (``""`` or ``"name/"``).
    root: str
    from_code: str
    to_code: str
    version: str


def check_package(
    zf: zipfile.ZipFile, *, archive: Path, max_members: int = MAX_MEMBERS, max_total_bytes: int = MAX_TOTAL_BYTES,
    max_ratio: float = MAX_RATIO,
) -> CheckedPackage:
    """Everything that can be checked without extracting; a :class:`ModelPackageError` for the first problem."""
    members = _safe_members(zf, archive=archive, max_members=max_members, max_total_bytes=max_total_bytes)
    _check_ratio(members, archive=archive, max_ratio=max_ratio)
    names = {i.filename for i in members}
    _check_file_folder_clash(names, archive=archive)
    root = _package_root(names, archive=archive)
    from_code, to_code, version = _check_metadata(zf, root, archive=archive)
    _check_contents(names, root, archive=archive)
    return CheckedPackage(
        archive=archive, members=tuple(members), root=root, from_code=from_code, to_code=to_code, version=version,
    )


def open_archive(archive: Path) -> zipfile.ZipFile:
    if archive.exists() and not archive.is_file():  # opening a FIFO would block until a writer comes
        raise ModelPackageError("not a regular file", file=archive, hint="give a .argosmodel file or a model folder")
    try:
        return zipfile.ZipFile(archive)
    except FileNotFoundError:
        raise ModelPackageError("no such file", file=archive) from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise ModelPackageError(
            f"not a readable .argosmodel (zip) file: {exc}", file=archive,
            hint="the download may be truncated; fetch it again",
        ) from None


def _safe_members(
    zf: zipfile.ZipFile, *, archive: Path, max_members: int, max_total_bytes: int,
) -> list[zipfile.ZipInfo]:
    """The members worth extracting, once every member is known to be safe and the total size plausible."""
    infos = zf.infolist()
    if len(infos) > max_members:
        raise ModelPackageError(f"{len(infos)} members, more than the {max_members} allowed", file=archive)
    declared = 0
    for info in infos:
        problem = _member_problem(info)
        if problem:
            raise ModelPackageError(f"unsafe member {info.filename!r}: {problem}", file=archive)
        declared += info.file_size
    if declared > max_total_bytes:
        raise ModelPackageError(f"unpacks to {declared} bytes, more than the {max_total_bytes} allowed", file=archive)
    return [i for i in infos if not i.filename.startswith("__MACOSX/")]


def _check_ratio(members: list[zipfile.ZipInfo], *, archive: Path, max_ratio: float) -> None:
    """Refuse a zip bomb: the archive, or any large member, unpacking to ``max_ratio`` times its packed size."""
    try:
        packed = archive.stat().st_size
    except OSError:
        packed = sum(i.compress_size for i in members)
    unpacked = sum(i.file_size for i in members)
    if unpacked > _RATIO_FLOOR and unpacked > max_ratio * max(packed, 1):
        raise ModelPackageError(
            f"unpacks to {unpacked} bytes from {packed}, a ratio above the {max_ratio:g} allowed (a zip bomb?)",
            file=archive, hint="raise --limit archive_ratio=N only for a package you trust")
    for info in members:
        if info.file_size > _RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise ModelPackageError(
                f"member {info.filename!r} unpacks to {info.file_size} bytes from {info.compress_size}, "
                f"a ratio above the {max_ratio:g} allowed (a zip bomb?)", file=archive)


def _check_file_folder_clash(names: set[str], *, archive: Path) -> None:
    """Refuse ``pkg/extra`` as a file beside ``pkg/extra/inner.txt``: extraction would fail half-way."""
    folders = {str(PurePosixPath(name).parent) for name in names}
    for name in sorted(names):
        if not name.endswith("/") and name.rstrip("/") in folders:
            raise ModelPackageError(f"member {name!r} is both a file and a folder", file=archive)


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a zip member must not be extracted, or None."""
    name = info.filename
    if not name or "\x00" in name:
        return "has an empty or invalid name"
    if any(len(part.encode("utf-8", "surrogateescape")) > _NAME_MAX for part in name.split("/")):
        return f"has a name part longer than {_NAME_MAX} bytes"
    if len(name) > 4 * _NAME_MAX:
        return "has an implausibly long path"
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "has an absolute path"
    if "\\" in name:
        return "uses backslashes in its path"
    if ".." in PurePosixPath(name).parts:
        return "climbs out of the package with '..'"
    return _member_kind_problem(info)


def _member_kind_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a member's file type or encryption rules it out, or None."""
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        return "is a symbolic link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "is not a regular file or folder"
    if info.flag_bits & 0x1:
        return "is encrypted"
    return None


def _package_root(names: set[str], *, archive: Path) -> str:
    """The folder inside the archive that holds ``metadata.json`` (``""`` or ``"name/"``), and holds everything."""
    candidates = [n for n in sorted(names) if n == "metadata.json" or re.fullmatch(r"[^/]+/metadata\.json", n)]
    if not candidates:
        raise ModelPackageError("not an Argos model package: no metadata.json", file=archive)
    if len(candidates) > 1:
        raise ModelPackageError("more than one metadata.json", file=archive)
    root = candidates[0][: -len("metadata.json")]
    outside = [n for n in names if not n.startswith(root) and n.rstrip("/") + "/" != root]
    if outside:
        raise ModelPackageError(f"member {min(outside)!r} lies outside the package folder", file=archive)
    return root


def _check_metadata(zf: zipfile.ZipFile, root: str, *, archive: Path) -> tuple[str, str, str]:
    """``(from_code, to_code, package_version)`` from the package's ``metadata.json``."""
    file = f"{archive}!{root}metadata.json"
    info = zf.getinfo(root + "metadata.json")
    if info.file_size > MAX_METADATA_BYTES:
        raise ModelPackageError("metadata.json is too large", file=file)
    try:
        metadata = parse_metadata(zf.read(info), file=file)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise ModelPackageError(f"corrupt archive: {exc}", file=archive) from None
    missing = [key for key in ("from_code", "to_code", "package_version") if not metadata.get(key)]
    if missing:
        raise ModelPackageError(
            f"metadata.json lacks {', '.join(missing)}", file=file, field=missing[0],
            hint="an Argos package names its language pair and version in metadata.json",
        )
    kind = metadata.get("type", "translate")
    if kind != "translate":
        raise ModelPackageError(f"a {kind!r} package, not a translation model", file=file, field="type")
    from_code = check_lang(metadata["from_code"], what="from_code", file=file)
    to_code = check_lang(metadata["to_code"], what="to_code", file=file)
    version = metadata["package_version"]
    if not isinstance(version, (str, int, float)):
        raise ModelPackageError("package_version must be a string", file=file, field="package_version")
    return from_code, to_code, str(version)


def _check_contents(names: set[str], root: str, *, archive: Path) -> None:
    def has(rel: str) -> bool:
        return root + rel in names

    problems = []
    if not has("model/model.bin"):
        problems.append("model/model.bin")
    if not any(has(f"model/{stem}{suffix}") for stem in ("shared_vocabulary", "source_vocabulary")
               for suffix in VOCABULARY_SUFFIXES):
        problems.append("a vocabulary (model/shared_vocabulary.txt)")
    if not (has("sentencepiece.model") or (has("source.spm") and has("target.spm"))):
        problems.append("a SentencePiece model (sentencepiece.model)")
    if problems:
        raise ModelPackageError(f"incomplete package: missing {', '.join(problems)}", file=archive)


def extract(zf: zipfile.ZipFile, package: CheckedPackage, target: Path, *, max_total_bytes: int) -> None:
    """Extract the package's members (minus its folder) into ``target``, refusing any that would escape it."""
    written = 0
    base = target.resolve()
    for info in package.members:
        rel = info.filename[len(package.root):]
        if not rel:
            continue
        try:
            dest = (target / rel).resolve()
            if base not in dest.parents:
                raise ModelPackageError(f"unsafe member {info.filename!r}", file=package.archive)
            if info.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            written += _extract_member(zf, info, dest, archive=package.archive, budget=max_total_bytes - written)
        except ModelPackageError:
            raise
        except OSError as exc:  # a name the file system refuses, a disk that is full
            raise ModelPackageError(f"cannot extract member {info.filename!r}: {exc.strerror or exc}",
                                    file=package.archive) from None


def _extract_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, *, archive: Path, budget: int) -> int:
    """Write one member to ``dest`` (which must not exist); the bytes written, at most ``budget``."""
    size = 0
    try:
        with zf.open(info) as src, dest.open("xb") as out:
            while chunk := src.read(_CHUNK):
                size += len(chunk)
                if size > info.file_size or size > budget:
                    raise ModelPackageError(f"member {info.filename!r} unpacks to more than it declares", file=archive)
                out.write(chunk)
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, ValueError) as exc:
        raise ModelPackageError(
            f"corrupt archive at {info.filename!r}: {exc}", file=archive,
            hint="the download may be truncated; fetch it again",
        ) from None
    except FileExistsError:
        raise ModelPackageError(f"member {info.filename!r} appears twice", file=archive) from None
    return size
