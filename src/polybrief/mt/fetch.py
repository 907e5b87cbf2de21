"""Fetching one URL within a deadline and a minimum rate that hold from the first byte.

Package indexes and model packages come from servers polybrief does not
control.  ``urllib``'s ``timeout`` bounds each wait for data, not a
transfer: a server sending one byte every two seconds never trips a 10 s
timeout.  Every transfer here has one clock (:class:`Clock`): an overall
deadline (``Limits.download_seconds``) and, after a grace period
(``download_grace``), a slowest acceptable average rate
(``download_min_rate``), and it covers *every* byte — connecting and the
TLS handshake, the status line and the headers, each redirect, and the
body — because the socket's timeout is set before each ``recv`` to what is
left of ``--timeout`` and of the deadline (:class:`_TimedReader`).  The
red team's server sending a header byte every two seconds was never
stopped while the clock started with the body; one sending a header line
per second ran until ``http.client``'s 100-header cap, 100 s later, and
ended in a traceback.  Now headers are capped at 64 KiB
(:data:`MAX_HEADER_BYTES`) and 100 lines, anything that is not valid HTTP
is a :class:`~polybrief.errors.NetworkError`, and a URL holding a control,
space or invisible character is refused before any request (an index link
holding one used to reach ``http.client``'s ``InvalidURL``, exit 70).

The one step no timeout reaches is looking up the host name: the system
resolver has no timeout to give.  Redirects are followed to http(s) only.
"""

from __future__ import annotations

import http.client
import io
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import IO, Any, cast

from ..errors import NetworkError
from ..limits import Limits

__all__ = ["fetch", "TooLarge", "Clock", "MAX_HEADER_BYTES", "unsafe_url", "SCHEMES", "WEB_SCHEMES"]

#: Schemes a URL may have, and those of the web (an index fetched over the web may only link to the web).
SCHEMES = ("http", "https", "file")
WEB_SCHEMES = ("http", "https")
_CHUNK = 1024**2


def unsafe_url(url: str) -> bool:
    """Whether ``url`` holds a control, space or invisible formatting character (refused unread)."""
    return _UNSAFE_URL.search(url) is not None


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only (urllib also follows them to ftp), and never to a URL holding
    control characters."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        if urllib.parse.urlsplit(newurl).scheme not in WEB_SCHEMES or _UNSAFE_URL.search(newurl):
            raise urllib.error.HTTPError(newurl, code, f"redirect to {ascii(newurl)[:200]} refused", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


#: Characters no URL polybrief fetches may hold: C0 and C1 controls, space, DEL, and the invisible
#: formatting and bidirectional characters (an index link holding them used to reach ``http.client``,
#: whose ``InvalidURL`` was a traceback).
_UNSAFE_URL = re.compile("[\x00-\x20\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
#: Most bytes of a response's status line and headers (``http.client`` allows 100 lines of 64 KiB each).
MAX_HEADER_BYTES = 64 * 1024


class Clock:
    """One transfer's deadline and minimum rate, over every byte from the first: connecting, the status
    line and headers, redirects, and the body (see the module docstring)."""

    def __init__(self, url: str, what: str, *, timeout: float, limits: Limits) -> None:
        self.url, self.what, self.timeout, self.limits = url, what, timeout, limits
        self.started = time.monotonic()
        self.received = 0
        self.header_bytes = 0
        self.in_headers = True

    def wait(self) -> float:
        """How long the next network operation may wait: ``timeout``, or less as the deadline nears."""
        self.check()
        remaining = self.limits.download_seconds - (time.monotonic() - self.started)
        return max(0.001, min(self.timeout, remaining))

    def check(self) -> None:
        elapsed = time.monotonic() - self.started
        limits = self.limits
        if elapsed > limits.download_seconds:
            raise NetworkError(
                f"{self.what} took longer than {limits.download_seconds:g} s ({self.received} bytes received)",
                file=self.url, hint="try a mirror, or raise --limit download_seconds=N")
        if elapsed > limits.download_grace and self.received / elapsed < limits.download_min_rate:
            raise NetworkError(
                f"{self.what} is arriving at {self.received / elapsed:.0f} bytes/s, slower than the "
                f"{limits.download_min_rate} allowed", file=self.url,
                hint="try a mirror, or lower --limit download_min_rate=N")

    def count(self, size: int) -> None:
        self.received += size
        if self.in_headers:
            self.header_bytes += size
            if self.header_bytes > MAX_HEADER_BYTES + 16 * 1024:  # a buffer's worth of body may come with them
                raise NetworkError(f"the server sent more than {MAX_HEADER_BYTES} bytes of headers for {self.what}",
                                   file=self.url)
        self.check()


class _TimedReader(io.RawIOBase):
    """The socket's bytes for ``http.client``, each read bounded by the clock (``settimeout`` before every
    ``recv``): a server trickling a header byte every two seconds is stopped by the deadline.

    It reads through the socket's own raw file (``makefile(buffering=0)``), which holds a reference to the
    socket as ``http.client`` expects: urllib closes the connection's socket once the headers are read and
    the response's file keeps it open."""

    def __init__(self, sock: socket.socket, clock: Clock) -> None:
        super().__init__()
        self._sock, self._clock = sock, clock
        self._raw = sock.makefile("rb", buffering=0)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self._sock.settimeout(self._clock.wait())
        try:
            size = self._raw.readinto(buffer) or 0
        except TimeoutError:
            self._clock.check()
            raise NetworkError(f"no data from the server for {self._clock.timeout:g} s while fetching "
                               f"{self._clock.what}", file=self._clock.url,
                               hint="check the network, or raise --timeout") from None
        self._clock.count(size)
        return size

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _TimedSocket:
    """A connected socket whose ``makefile`` reads through :class:`_TimedReader` (all else delegated)."""

    def __init__(self, sock: socket.socket, clock: Clock) -> None:
        self._sock, self._clock = sock, clock

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> IO[bytes]:
        return io.BufferedReader(_TimedReader(self._sock, self._clock))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def _timed_connection(base: type[http.client.HTTPConnection], clock: Clock) -> type[http.client.HTTPConnection]:
    class Timed(base):  # type: ignore[valid-type, misc]
        def connect(self) -> None:
            self.timeout = clock.wait()  # connecting (and the TLS handshake) within the deadline
            super().connect()
            self.sock = cast(Any, _TimedSocket(cast(socket.socket, getattr(self, "sock")), clock))

        def getresponse(self) -> http.client.HTTPResponse:
            clock.in_headers = True
            response = super().getresponse()
            clock.in_headers = False
            return response

    return Timed


class _TimedHTTP(urllib.request.HTTPHandler):
    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self._connection = _timed_connection(http.client.HTTPConnection, clock)

    def http_open(self, req: Any) -> Any:
        return self.do_open(self._connection, req)


class _TimedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self._connection = _timed_connection(http.client.HTTPSConnection, clock)

    def https_open(self, req: Any) -> Any:
        return self.do_open(self._connection, req, context=getattr(self, "_context", None))


def _open_url(url: str, *, clock: Clock, hint: str) -> IO[bytes]:
    """``url`` opened for reading, every byte within ``clock``'s deadline and rate (see :class:`Clock`)."""
    what = clock.what
    if _UNSAFE_URL.search(url):
        raise NetworkError(f"cannot fetch {what} from {ascii(url)[:300]}: the URL holds a control, space or "
                           "invisible character", hint=hint)
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in SCHEMES:
        raise NetworkError(f"cannot fetch {what} from {url!r}: only http, https and file URLs are supported")
    if scheme == "file":
        local = Path(urllib.request.url2pathname(urllib.parse.urlsplit(url).path))
        if local.exists() and not local.is_file():
            raise NetworkError(f"cannot fetch {what}: not a regular file", file=url)
    opener = urllib.request.build_opener(_WebOnlyRedirects(), _TimedHTTP(clock), _TimedHTTPS(clock))
    try:
        return cast(IO[bytes], opener.open(_iri_to_uri(url), timeout=clock.wait()))
    except NetworkError:
        raise
    except urllib.error.HTTPError as exc:
        raise NetworkError(f"cannot fetch {what}: HTTP {exc.code} {exc.reason}", file=url) from None
    except http.client.HTTPException as exc:
        raise NetworkError(f"cannot fetch {what}: the server's response is not valid HTTP "
                           f"({type(exc).__name__}: {str(exc)[:200]})", file=url) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, NetworkError):
            raise reason from None
        raise NetworkError(
            f"cannot reach {what}: {reason}", file=url,
            hint=f"check the network, or {hint}",
        ) from None


def _iri_to_uri(url: str) -> str:
    """A URL with non-ASCII characters percent-encoded (and the host in IDNA): ``http.client`` writes the
    request line in ASCII and used to raise ``UnicodeEncodeError`` for an index link in Cyrillic."""
    if url.isascii():
        return url
    parts = urllib.parse.urlsplit(url)
    try:
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except UnicodeError:
        raise NetworkError(f"cannot fetch {ascii(url)[:300]}: the host name is not valid") from None
    netloc = host + (f":{parts.port}" if parts.port else "")
    safe = "/%:@!$&'()*+,;=~-._"
    return urllib.parse.urlunsplit((parts.scheme, netloc, urllib.parse.quote(parts.path, safe=safe),
                                    urllib.parse.quote(parts.query, safe=safe + "?"), ""))


class TooLarge(Exception):
    """More than ``max_bytes`` arrived (the caller says which limit that is)."""


def fetch(url: str, out: IO[bytes], *, timeout: float, max_bytes: int, limits: Limits, what: str, hint: str) -> int:
    """Copy ``url`` to ``out`` within the deadline, the minimum rate and ``max_bytes``; the bytes copied.

    The deadline and the rate cover every byte from the first (connecting, the status line, the headers
    and the body); ``timeout`` bounds each wait for data; ``what`` names the transfer in messages and
    ``hint`` says where else to get it."""
    clock = Clock(url, what, timeout=timeout, limits=limits)
    size = 0
    with _open_url(url, clock=clock, hint=hint) as response:
        clock.in_headers = False
        read = getattr(response, "read1", None) or response.read
        try:
            while chunk := read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge()
                out.write(chunk)
                if urllib.parse.urlsplit(url).scheme == "file":
                    clock.count(len(chunk))  # a local file is held to the same deadline
        except NetworkError:
            raise
        except (OSError, ValueError, http.client.HTTPException) as exc:
            raise NetworkError(f"reading {what} failed: {type(exc).__name__}: {str(exc)[:200]}", file=url) from None
    return size


