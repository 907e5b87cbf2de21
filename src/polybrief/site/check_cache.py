"""The check cache, ``DIR/.polybrief/checks.json``: each translated page's findings, by what they were made from.

When a UI catalog entry or a template changes, every page of the locale is
rendered again, but its brief, catalog and settings did not change, and
neither would its findings: checking them again was most of such a run.
So each translated page's findings are kept here under the page's check key
(:func:`polybrief.site.check_key.page_check_key`: a hash of every input of
every check), and a page whose key is unchanged takes them instead of
checking again.  The findings are kept whole (warnings too), so the report,
the quality gate and the exit code are those of a fresh check.

The state folder is written by whoever can write the output folder, so an
entry is trusted only if *this user's* polybrief wrote it: each one carries
an HMAC-SHA256 of its key and findings under a secret kept outside the site,
in ``$XDG_CACHE_HOME/polybrief/state-key`` (by default
``~/.cache/polybrief/state-key``, created on first use, readable by its
owner only).  An entry whose findings were edited (an error removed), copied
from another machine, or written for another key is a miss: the page is
checked again.  A file that is not what polybrief writes (a link, too large,
not JSON, an unknown shape) is ignored with a warning; nothing in it can stop
a run or skip a check.  Without a usable secret (no writable cache folder,
a key file others could read) nothing is cached and every page is checked.

The file holds one entry per translated page on record (pages no longer on
the site are dropped when it is written), is written only when an entry
changed, staged and renamed like the manifest and before it, and is never
read by a cold run: a new site has none, and ``--force`` (and ``--mt``)
check every page again.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..fs import user_cache_dir
from ..provenance import Provenance
from ..qa.report import Finding, Severity
from .state import STATE_DIR

__all__ = ["CHECKS_NAME", "SECRET_NAME", "CachedCheck", "CheckCache", "cache_secret"]

log = logging.getLogger(__name__)

#: The check cache, relative to the output folder.
CHECKS_NAME = f"{STATE_DIR}/checks.json"
#: The secret's file name in ``$XDG_CACHE_HOME/polybrief``.
SECRET_NAME = "state-key"

_FORMAT = 1
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_ADDRESS = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}/[A-Za-z0-9_-]{1,64}$")
_SEVERITIES = {s.value: s for s in Severity}
_PROVENANCES = {p.value: p for p in Provenance}
#: Most findings one page's entry may hold (a page has a few hundred segments at most).
_MAX_FINDINGS = 10_000
#: Longest text of one finding's field.
_MAX_TEXT = 100_000


@dataclass(frozen=True, slots=True)
class CachedCheck:
    """One page's findings (as :func:`~polybrief.qa.gate.check_localised` returned them) and their key."""

    key: str
    findings: tuple[Finding, ...]


def cache_secret() -> bytes | None:
    """This user's secret for the check cache (created on first use); None when there is no usable one."""
    folder = user_cache_dir()
    path = folder / SECRET_NAME
    found = _read_secret(path)
    if found is not None:
        return found or None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = folder / f".{SECRET_NAME}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            os.write(fd, secrets.token_hex(32).encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # never replaces a secret another run made meanwhile
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    except OSError as exc:
        log.debug("no check cache: cannot create %s: %s", path, exc)
        return None
    return _read_secret(path) or None


def _read_secret(path: Path) -> bytes | None:
    """The secret in ``path``; None: no such file; b"": a file that must not be trusted (warned)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("the check cache is off: cannot read its key %s: %s", path, exc.strerror or exc)
        return b""
    try:
        info = os.fstat(fd)
        text = os.read(fd, 200) if stat.S_ISREG(info.st_mode) else b""
    finally:
        os.close(fd)
    owner = getattr(os, "geteuid", None)
    if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077 or (owner is not None and info.st_uid != owner()) \
            or not _HEX64.match(text.decode("ascii", "replace")):
        log.warning("the check cache is off: its key %s is not a 64-digit hex file only its owner can read "
                    "(delete it; polybrief makes a new one)", path)
        return b""
    return bytes.fromhex(text.decode("ascii"))


def _finding_row(finding: Finding) -> list[Any]:
    return [finding.check, finding.severity.value, finding.locale, finding.path, finding.message,
            None if finding.provenance is None else finding.provenance.value]


def _mac(secret: bytes, key: str, rows: list[list[Any]]) -> str:
    text = json.dumps([key, rows], ensure_ascii=False, separators=(",", ":"))
    return hmac.new(secret, text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


class _Unusable(Exception):
    """The cache file is not what polybrief writes."""


def _text(value: Any, *, optional: bool = False) -> Any:
    if (value is None and optional) or (isinstance(value, str) and len(value) <= _MAX_TEXT):
        return value
    raise _Unusable("a finding with a field that is not a string")


def _findings(rows: Any) -> tuple[Finding, ...]:
    if not isinstance(rows, list) or len(rows) > _MAX_FINDINGS:
        raise _Unusable("findings that are not a list")
    out = []
    for row in rows:
        if not isinstance(row, list) or len(row) != 6 or row[1] not in _SEVERITIES \
                or (row[5] is not None and row[5] not in _PROVENANCES):
            raise _Unusable("a finding that is not a list of six fields")
        out.append(Finding(_text(row[0]), _SEVERITIES[row[1]], _text(row[2]), _text(row[3]), _text(row[4]),
                           None if row[5] is None else _PROVENANCES[row[5]]))
    return tuple(out)


def _document(raw: bytes) -> dict[str, tuple[str, str, list[Any]]]:
    """The entries of a check cache file's bytes, each of the shape polybrief writes (MACs checked on use)."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise _Unusable("not JSON") from None
    if not isinstance(data, dict) or set(data) != {"polybrief-checks", "pages"} \
            or data["polybrief-checks"] != _FORMAT or not isinstance(data["pages"], dict):
        raise _Unusable("not a check cache polybrief writes")
    out: dict[str, tuple[str, str, list[Any]]] = {}
    for address, entry in data["pages"].items():
        if not _ADDRESS.match(address) or not isinstance(entry, list) or len(entry) != 3 \
                or not all(isinstance(v, str) and _HEX64.match(v) for v in entry[:2]) \
                or not isinstance(entry[2], list):
            raise _Unusable(f"the entry of {json.dumps(address)[:80]} is not one polybrief writes")
        out[address] = (entry[0], entry[1], entry[2])
    return out


class CheckCache:
    """The check cache of one output folder for one run: entries read (verified), and entries to write."""

    def __init__(self, out: Path, secret: bytes | None, *, max_bytes: int) -> None:
        self.out = Path(out)
        self.path = self.out / CHECKS_NAME
        self.secret = secret
        self.max_bytes = max_bytes
        self._read: dict[str, tuple[str, str, list[Any]]] | None = None
        self._tags: dict[str, list[str]] = {}
        self._new: dict[str, CachedCheck] = {}
        self._untrusted: set[str] = set()
        """Entries read that failed their check: rewritten even when the page's key is the same."""

    @property
    def enabled(self) -> bool:
        return self.secret is not None

    # -- reading ---------------------------------------------------------------------------------

    def _entries(self) -> dict[str, tuple[str, str, list[Any]]]:
        if self._read is None:
            self._read = {}
            if self.secret is not None:
                try:
                    self._read = self._load()
                except _Unusable as exc:
                    log.warning("ignoring the check cache %s: %s (every page is checked again)", self.path, exc)
            for address in self._read:
                brief_id, tag = address.split("/")
                self._tags.setdefault(brief_id, []).append(tag)
        return self._read

    def _load(self) -> dict[str, tuple[str, str, list[Any]]]:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(self.path, flags)
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise _Unusable("a symbolic link" if exc.errno == errno.ELOOP else (exc.strerror or str(exc))) from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise _Unusable("not a regular file")
            if info.st_size > self.max_bytes:
                raise _Unusable(f"{info.st_size} bytes, more than the {self.max_bytes} of --limit manifest_bytes")
            os.set_blocking(fd, True)
        except BaseException:
            os.close(fd)
            raise
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(self.max_bytes + 1)
        return _document(raw)


    def get(self, address: str) -> CachedCheck | None:
        """The verified entry of the page ``<brief id>/<locale tag>`` (None: none, or one not to be trusted)."""
        found = self._entries().get(address)
        if found is None or self.secret is None:
            return None
        key, mac, rows = found
        try:
            findings = _findings(rows)
        except _Unusable as exc:
            self._untrusted.add(address)
            log.warning("ignoring the check cache's entry of %s: %s", address, exc)
            return None
        if not hmac.compare_digest(mac, _mac(self.secret, key, rows)):
            self._untrusted.add(address)
            log.warning("ignoring the check cache's entry of %s: it was not written by this user's polybrief "
                        "(edited, or copied from elsewhere); the page is checked again", address)
            return None
        return CachedCheck(key, findings)

    def for_brief(self, brief_id: str, tags: Mapping[str, object] | None = None) -> dict[str, CachedCheck]:
        """The verified entries of a brief's pages, by locale tag (``tags``: only those)."""
        self._entries()
        out = {}
        for tag in self._tags.get(brief_id, ()):
            if tags is None or tag in tags:
                found = self.get(f"{brief_id}/{tag}")
                if found is not None:
                    out[tag] = found
        return out

    # -- writing ---------------------------------------------------------------------------------

    def put(self, address: str, check: CachedCheck) -> None:
        """Remember a page's findings (written by :meth:`chunks` when something changed)."""
        if self.secret is not None:
            self._new[address] = check

    def changed(self) -> bool:
        """Whether an entry is new or has another key (and the file may be replaced: it is one, or absent)."""
        try:
            mode = os.lstat(self.path).st_mode
        except FileNotFoundError:
            mode = stat.S_IFREG
        except OSError:
            return False
        if stat.S_ISDIR(mode):
            return False  # never replaced (warned when read)
        entries = self._entries()
        return any(entries.get(a, ("",))[0] != c.key or a in self._untrusted for a, c in self._new.items())

    def chunks(self, pages: Iterator[str]) -> Iterator[str]:
        """The file's text for the translated pages ``pages`` on record (``<brief id>/<tag>``), one per line."""
        assert self.secret is not None
        entries = self._entries()
        yield '{"polybrief-checks": 1, "pages": {'
        first = True
        for address in pages:
            new = self._new.get(address)
            if new is not None:
                rows = [_finding_row(f) for f in new.findings]
                entry: list[Any] = [new.key, _mac(self.secret, new.key, rows), rows]
            elif address in entries:
                entry = list(entries[address])
            else:
                continue
            yield ("\n" if first else ",\n") + json.dumps(address) + ": " + json.dumps(entry, ensure_ascii=False)
            first = False
        yield "\n}}\n"
