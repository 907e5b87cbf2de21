"""Atomic file writes, and bounded reads of regular files.

Writes: a reader sees the old file or the new one, never half of one
(:func:`atomic_write_bytes`; :func:`stage_bytes` and :func:`commit_staged`
split it in two so a caller can stage many files before replacing any).

Reads: :func:`read_regular_file` opens without blocking and checks with
``fstat`` that it got a regular file of bounded size before reading a byte,
so a brief or catalog that is a FIFO (which would block forever, holding the
catalog lock), a device such as ``/dev/zero`` (endless) or a folder is one
clear error.
"""

from __future__ import annotations

import errno
import itertools
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import OutputError, PolybriefError

__all__ = [
    "user_cache_dir",
    "atomic_write_bytes",
    "atomic_write_text",
    "ensure_dir",
    "read_regular_file",
    "stage_bytes",
    "stage_chunks",
    "sync_staged",
    "commit_staged",
    "discard_staged",
    "exclusive_lock",
]


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular_file(
    path: Path, *, max_bytes: int, error: type[PolybriefError], what: str, limit_name: str,
) -> bytes:
    """The bytes of ``path`` if it is a regular file (symbolic links followed) of at most ``max_bytes``.

    Opened with ``O_NONBLOCK`` so that opening a FIFO cannot block, then
    checked with ``fstat`` on the open descriptor (no race with a rename).
    Every failure is an ``error`` naming the file; ``limit_name`` is the
    :class:`~polybrief.limits.Limits` setting named in the hint.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise error(f"cannot read {what}: no such file", file=path) from None
    except IsADirectoryError:
        raise error(f"is a folder, not a {what}", file=path) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise error("symbolic link loop", file=path) from None
        raise error(f"cannot read {what}: {exc.strerror or exc}", file=path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"is {_kind(info.st_mode)}, not a {what}", file=path,
                        hint=f"give the path of a regular {what} file")
        if info.st_size > max_bytes:
            raise error(f"{what} is {info.st_size} bytes, more than the {max_bytes} allowed", file=path,
                        hint=f"raise the limit with --limit {limit_name}=SIZE if the file is genuine")
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:  # it grew while being read
                raise error(f"{what} is more than the {max_bytes} bytes allowed", file=path,
                            hint=f"raise the limit with --limit {limit_name}=SIZE if the file is genuine")
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"cannot read {what}: {exc.strerror or exc}", file=path) from None
    finally:
        os.close(fd)


def ensure_dir(path: Path) -> None:
    """Create ``path`` (and parents), turning OS failures into an :class:`OutputError`."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create folder: {exc.strerror or exc}",
            file=path,
            hint="choose an output folder you can write to",
        ) from None
    if not path.is_dir():
        raise OutputError("exists and is not a folder", file=path)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same folder and ``os.replace``.

    The temp file is flushed and fsynced before the rename so a crash or a kill
    at any moment leaves either the previous file or the complete new one.
    """
    path = Path(path)
    commit_staged(stage_bytes(path, data), path)


_TEMP_NUMBERS = itertools.count()


def _open_temp(path: Path) -> tuple[int, str]:
    """Create ``.<name>.<pid>-<n>.tmp`` beside ``path`` (exclusively, mode 0666 less the umask): a name
    no other process or call uses, without ``mkstemp``'s random names (a third of staging a page)."""
    for _ in range(100):
        tmp = os.path.join(path.parent, f".{path.name}.{os.getpid()}-{next(_TEMP_NUMBERS)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666), tmp
        except FileExistsError:
            continue  # left by a killed run of a process with the same pid
        except (FileNotFoundError, NotADirectoryError):
            ensure_dir(path.parent)  # creates it, or says why it cannot be a folder
        except OSError as exc:
            raise OutputError(f"cannot write here: {exc.strerror or exc}", file=path.parent,
                              hint="choose an output folder you can write to") from None
    raise OutputError("cannot create a temporary file", file=path.parent, hint="remove stale .tmp files")


def staged_target(tmp: str | os.PathLike[str]) -> str:
    """The file a temp file of :func:`stage_bytes` (``<folder>/.<name>.<pid>-<n>.tmp``) is renamed to, read
    back from its name: a run of 10,000 briefs stages 80,000 files and keeps only their temp names."""
    folder, name = os.path.split(os.fspath(tmp))
    parts = name[1:].rsplit(".", 2)
    if not name.startswith(".") or len(parts) != 3 or parts[2] != "tmp" or not parts[0]:
        raise ValueError(f"not the name of a staged file: {name!r}")
    return os.path.join(folder, parts[0])


def stage_bytes(path: Path, data: bytes, *, sync: bool = True) -> Path:
    """Write ``data`` to a hidden, fsynced temp file beside ``path`` (with ``path``'s permissions);
    :func:`commit_staged` renames it over ``path``, :func:`discard_staged` removes it.

    ``sync=False`` leaves the fsync to one :func:`sync_staged` call over many staged files."""
    return _stage(Path(path), lambda handle: handle.write(data), binary=True, sync=sync)


def stage_chunks(path: Path, chunks: Iterator[str], *, sync: bool = True) -> Path:
    """:func:`stage_bytes` for text produced piece by piece (an index of 10,000 briefs is never one string)."""
    def write(handle: IO[Any]) -> None:
        for chunk in chunks:
            handle.write(chunk)

    return _stage(Path(path), write, binary=False, sync=sync)


def _stage(path: Path, write: Callable[[IO[Any]], object], *, binary: bool, sync: bool) -> Path:
    """The temp file of :func:`stage_bytes` / :func:`stage_chunks`, removed again if anything fails."""
    fd, tmp = _open_temp(path)
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")) as handle:
            write(handle)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        _permissions(Path(tmp), path)
    except OSError as exc:
        _discard(tmp)
        raise OutputError(f"cannot write file: {exc.strerror or exc}", file=path) from None
    except BaseException:
        _discard(tmp)
        raise
    return Path(tmp)


def _permissions(tmp: Path, path: Path) -> None:
    """Give a staged file ``path``'s permissions (a new file keeps the umask's, set when it was created)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    try:
        os.chmod(tmp, mode & 0o777)
    except OSError:
        pass


def sync_staged(paths: Iterable[str | os.PathLike[str]]) -> None:
    """Make staged files durable before they are renamed into place, as ``stage_bytes(sync=True)`` does.

    On Linux one ``syncfs`` per file system flushes every staged file at once:
    16,000 pages fsynced one by one took 5.6 s here (each fsync waits for a
    journal commit), one ``syncfs`` after writing them all 0.1 s.  Elsewhere
    (or if ``syncfs`` is missing) each file is fsynced.
    """
    remaining: list[str | os.PathLike[str]] = []  # as given: a run of 10,000 briefs stages 80,000 files
    devices: dict[int, str | os.PathLike[str]] = {}
    for path in paths:
        try:
            device = os.stat(path).st_dev
        except OSError as exc:
            raise OutputError(f"staged file is gone: {exc.strerror or exc}", file=path) from None
        if device not in devices:
            devices[device] = os.path.dirname(os.path.abspath(path))
        remaining.append(path)
    syncfs = _syncfs()
    if syncfs is not None:
        for folder in devices.values():
            fd = os.open(folder, os.O_RDONLY)
            try:
                if syncfs(fd) != 0:
                    break
            finally:
                os.close(fd)
        else:
            return
    for path in remaining:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        except OSError as exc:
            raise OutputError(f"cannot write file: {exc.strerror or exc}", file=path) from None
        finally:
            os.close(fd)


def _syncfs() -> Callable[[int], int] | None:
    """libc's ``syncfs(fd)`` on Linux, else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int
    return function


def commit_staged(tmp: str | os.PathLike[str], path: str | os.PathLike[str]) -> None:
    """Rename a file from :func:`stage_bytes` over ``path`` (removing it if the rename fails)."""
    try:
        os.replace(tmp, path)
    except OSError as exc:
        _discard(str(tmp))
        raise OutputError(f"cannot write file: {exc.strerror or exc}", file=path) from None


def discard_staged(tmp: str | os.PathLike[str]) -> None:
    """Remove a staged temp file that will not be committed."""
    _discard(str(tmp))


def atomic_write_text(path: Path, text: str) -> None:
    """:func:`atomic_write_bytes` for UTF-8 text (``\\n`` line endings, as written)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


@contextmanager
def exclusive_lock(lock_path: Path, *, timeout: float, error: type[PolybriefError], busy: str, owner: Path,
                   busy_hint: str) -> Iterator[None]:
    """Hold ``lock_path`` (a filelock, across processes) for the ``with`` block.

    filelock opens the lock file with ``O_NOFOLLOW``, so a symbolic link
    planted in its place cannot redirect the write; it is reported as one
    clear ``error`` instead of ``OSError: [Errno 40]``.  ``busy`` (about
    ``owner``) is the error when another process holds the lock for longer
    than ``timeout`` seconds.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise error(busy, file=owner, hint=busy_hint) from None
    except OSError as exc:
        what = "is a symbolic link" if lock_path.is_symlink() else f"cannot be opened: {exc.strerror or exc}"
        raise error(f"the lock file {lock_path.name} {what}", file=lock_path,
                    hint="remove it; polybrief creates it as a regular file") from None
    try:
        yield
    finally:
        lock.release()


def user_cache_dir() -> Path:
    """polybrief's folder in this user's cache: ``$XDG_CACHE_HOME/polybrief``, by default ``~/.cache/polybrief``.

    One definition for everything kept between runs (catalog locks, the check cache's secret, compiled
    templates), read when asked and never at import: a run with another ``XDG_CACHE_HOME`` or ``HOME`` (a
    benchmark's fresh home, a CI job) finds nothing an earlier run left.  Nothing is created here."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "polybrief"
