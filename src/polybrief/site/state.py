"""The output folder's state folder, ``DIR/.polybrief/``: the site manifest and the site lock, never deployed.

Until 0.1 the manifest was ``DIR/.polybrief-site.json``, in the web root, so
a deploy published the brief and catalog paths of the publishing machine;
and the site lock lived in the system's temp folder under a hash of the
folder's *absolute* path, so two runs naming one folder through a symbolic
link, or with different ``TMPDIR`` values, did not exclude each other (a red
team lost a brief from the manifest and the index in 6 and 7 rounds of 8,
both runs exiting 0).  Now:

* **One state folder.** ``DIR/.polybrief/`` holds ``site.json`` (the
  manifest, :mod:`polybrief.site.manifest`), ``checks.json`` (the check
  cache, :mod:`polybrief.site.check_cache`) and, while a run works,
  ``lock``; more files may join them (it is a folder so that they can).  The README's deploy recipe,
  ``rsync -a --exclude='.*' DIR/ host:/srv/www/``, leaves out every hidden
  name: the state folder and the staged temp files of a killed run.
* **One lock per real folder.** The lock is the file ``lock`` in the state
  folder of the output folder's real path (``realpath``), so every spelling
  of one folder — a symbolic link, a relative path, any ``TMPDIR`` — finds
  the same file.  It is an advisory ``flock``, which the kernel releases
  when a run dies: a killed run never leaves a site locked.  The state folder
  and the lock file are opened with ``O_NOFOLLOW`` (a symbolic link planted
  in their place is an error, never followed), the file is created with
  ``O_EXCL`` when absent and must otherwise be a regular file (a folder, a
  FIFO or a link there is one clear error, not ``ELOOP`` and exit 70); and
  once the lock is held the run checks that the file it locked is still the
  one at that path.  A run removes the lock file before it lets go of it, so
  the state folder holds only the manifest and check cache between runs, and a run that was
  waiting on the removed file takes the next one: never two at once.
* **A failed run leaves no trace.** A run that created the output folder
  (or its state folder) and fails removes them again.
* **Killed runs are cleaned up.** Staged pages of a run killed before its
  renames (``.<name>.<pid>-<n>.tmp``, see :mod:`polybrief.fs`) are removed by
  the next run into the folder, under the lock, when no other run can be
  writing one.
* **Old sites keep working.** A manifest at the old place is read, and the
  next run that writes the manifest writes it here and deletes the old file.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..cldr import LANGUAGE_TAG
from ..errors import OutputError

__all__ = [
    "STATE_DIR",
    "MANIFEST_NAME",
    "LEGACY_MANIFEST_NAME",
    "LOCK_NAME",
    "STAGED_TEMP",
    "SiteLock",
    "site_lock",
    "remove_stale_temps",
    "has_manifest",
]

#: The state folder inside an output folder.
STATE_DIR = ".polybrief"
#: The manifest, relative to the output folder.
MANIFEST_NAME = f"{STATE_DIR}/site.json"
#: Where versions up to 0.1 kept the manifest (in the web root); read and moved.
LEGACY_MANIFEST_NAME = ".polybrief-site.json"
#: The site lock, relative to the output folder.
LOCK_NAME = f"{STATE_DIR}/lock"
#: A file staged by :func:`polybrief.fs.stage_bytes`: ``.<name>.<pid>-<n>.tmp``.
STAGED_TEMP = re.compile(r"^\..+\.\d+-\d+\.tmp$")

_LOCK_FILE = "lock"
_HINT = f"remove it; polybrief creates {LOCK_NAME} itself as a regular file"


def has_manifest(root: Path) -> bool:
    """Whether ``root`` holds a site manifest, at its place or the old one."""
    return any(os.path.lexists(root / name) for name in (MANIFEST_NAME, LEGACY_MANIFEST_NAME))


@dataclass(frozen=True, slots=True)
class SiteLock:
    """A held site lock: the output folder, its real path, and what taking the lock created."""

    root: Path
    real: Path
    created_root: bool
    """The output folder did not exist: a failed run removes it again."""
    created_state: bool


@contextmanager
def site_lock(root: Path | str, *, timeout: float = 300.0) -> Iterator[SiteLock]:
    """Hold the lock of the output folder ``root`` for the ``with`` block (creating the folder if needed).

    Another process publishing into the same real folder waits (up to
    ``timeout`` seconds, then an :class:`~polybrief.errors.OutputError`).  If
    the block raises, the output folder and state folder are removed again
    when taking the lock created them (and are empty but for the lock).
    """
    root = Path(root)
    real = Path(os.path.realpath(root))
    created_root = _make_folder(real, root)
    deadline = time.monotonic() + timeout
    while True:
        state_fd, created_state = _open_state(real)
        try:
            fd = _open_lock(state_fd, real)
        except BaseException:
            os.close(state_fd)
            raise
        try:
            _acquire(fd, root, deadline)
            if _still_there(fd, state_fd, real):
                break
        except BaseException:
            os.close(fd)
            os.close(state_fd)
            raise
        os.close(fd)  # a run removed the file we waited on: take the one there now
        os.close(state_fd)
    lock = SiteLock(root, real, created_root, created_state)
    failed = False
    try:
        yield lock
    except BaseException:
        failed = True
        raise
    finally:
        _remove_lock_file(fd, state_fd)
        if failed:
            _undo(lock)
        _release(fd)
        os.close(state_fd)


def _make_folder(real: Path, given: Path) -> bool:
    """Create the output folder (and parents); whether it was created."""
    if real.is_dir():
        return False
    try:
        real.mkdir(parents=True)
        return True
    except FileExistsError:
        if real.is_dir():
            return False
        raise OutputError("exists and is not a folder", file=given) from None
    except OSError as exc:
        raise OutputError(f"cannot create folder: {exc.strerror or exc}", file=given,
                          hint="choose an output folder you can write to") from None


def _open_state(real: Path) -> tuple[int, bool]:
    """The state folder opened without following a link (created if absent); whether it was created."""
    state = real / STATE_DIR
    created = False
    try:
        os.mkdir(state, 0o755)
        created = True
    except FileExistsError:
        pass
    except OSError as exc:
        raise OutputError(f"cannot create the state folder: {exc.strerror or exc}", file=state,
                          hint="choose an output folder you can write to") from None
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(state, flags), created
    except OSError as exc:
        what = "is a symbolic link" if state.is_symlink() else \
            "is not a folder" if exc.errno == errno.ENOTDIR else f"cannot be opened: {exc.strerror or exc}"
        raise OutputError(f"the state folder {STATE_DIR} {what}", file=state,
                          hint=f"remove it; polybrief creates {STATE_DIR} itself as a folder") from None


def _open_lock(state_fd: int, real: Path) -> int:
    """The lock file, created exclusively when absent, never through a link; a regular file."""
    path = real / LOCK_NAME
    flags = (os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
             | getattr(os, "O_CLOEXEC", 0))
    for _ in range(100):
        try:
            fd = os.open(_LOCK_FILE, flags | os.O_CREAT | os.O_EXCL, 0o644, dir_fd=state_fd)
            break
        except FileExistsError:
            pass
        except OSError as exc:
            raise OutputError(f"cannot create the lock file: {exc.strerror or exc}", file=path,
                              hint="choose an output folder you can write to") from None
        try:
            fd = os.open(_LOCK_FILE, flags, dir_fd=state_fd)
            break
        except FileNotFoundError:
            continue  # removed in between: create it
        except OSError as exc:
            raise OutputError(f"the lock file {LOCK_NAME} {_why(exc, state_fd)}", file=path, hint=_HINT) from None
    else:  # pragma: no cover - a file appearing and vanishing a hundred times
        raise OutputError("cannot open the lock file", file=path, hint=_HINT)
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise OutputError(f"the lock file {LOCK_NAME} is not a regular file", file=path, hint=_HINT)
    return fd


def _why(exc: OSError, state_fd: int) -> str:
    try:
        mode = os.stat(_LOCK_FILE, dir_fd=state_fd, follow_symlinks=False).st_mode
    except OSError:
        mode = 0
    if stat.S_ISLNK(mode) or exc.errno == errno.ELOOP:
        return "is a symbolic link"
    if stat.S_ISDIR(mode) or exc.errno == errno.EISDIR:
        return "is a folder"
    if mode and not stat.S_ISREG(mode):
        return "is not a regular file"
    return f"cannot be opened: {exc.strerror or exc}"


def _acquire(fd: int, root: Path, deadline: float) -> None:
    if sys.platform == "win32":  # pragma: no cover - msvcrt locks the first byte
        import msvcrt

        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                return
            except OSError:
                _wait(root, deadline)
    else:
        import fcntl

        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                _wait(root, deadline)
            except OSError as exc:
                raise OutputError(f"cannot lock the site: {exc.strerror or exc}", file=root / LOCK_NAME) from None


def _wait(root: Path, deadline: float) -> None:
    if time.monotonic() > deadline:
        raise OutputError("the output folder is being published by another polybrief process", file=root,
                          hint="wait for it to finish")
    time.sleep(0.05)


def _still_there(fd: int, state_fd: int, real: Path) -> bool:
    """Whether the locked file is the one at ``<real>/.polybrief/lock`` (and that folder the one opened)."""
    held, folder = os.fstat(fd), os.fstat(state_fd)
    try:
        current = os.stat(_LOCK_FILE, dir_fd=state_fd, follow_symlinks=False)
        named = os.stat(real / STATE_DIR, follow_symlinks=False)
    except OSError:
        return False
    return (current.st_dev, current.st_ino) == (held.st_dev, held.st_ino) and \
        (named.st_dev, named.st_ino) == (folder.st_dev, folder.st_ino)


def _release(fd: int) -> None:
    if sys.platform != "win32":
        import fcntl

        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        except OSError:  # pragma: no cover - closing releases it anyway
            pass
    os.close(fd)


def _remove_lock_file(fd: int, state_fd: int) -> None:
    """Unlink the lock file we hold (still holding it): a run waiting on it finds it gone and takes the
    next one (see :func:`_still_there`), and the state folder keeps only what the site needs."""
    try:
        held, current = os.fstat(fd), os.stat(_LOCK_FILE, dir_fd=state_fd, follow_symlinks=False)
        if (held.st_dev, held.st_ino) == (current.st_dev, current.st_ino):
            os.unlink(_LOCK_FILE, dir_fd=state_fd)
    except OSError:
        pass


def _undo(lock: SiteLock) -> None:
    """After a failed run: remove the state folder and output folder if taking the lock created them
    (and they are empty)."""
    folders = ([lock.real / STATE_DIR] if lock.created_state or lock.created_root else []) + \
        ([lock.real] if lock.created_root else [])
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            pass


def remove_stale_temps(root: Path) -> list[Path]:
    """Remove the staged temp files killed runs left in the output folder, its locale folders and its
    state folder (call it holding the site lock: then no live run has any); the files removed."""
    folders = [root, root / STATE_DIR]
    try:
        with os.scandir(root) as entries:
            folders += [Path(e.path) for e in entries
                        if LANGUAGE_TAG.match(e.name) and e.is_dir(follow_symlinks=False)]
    except OSError:
        return []
    removed = []
    for folder in folders:
        try:
            with os.scandir(folder) as entries:
                stale = [Path(e.path) for e in entries
                         if STAGED_TEMP.match(e.name) and not e.is_dir(follow_symlinks=False)]
        except OSError:
            continue
        for path in stale:
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass
    return removed
