"""Install a language pair from an Argos-format package index.

This is the only part of the model machinery that touches the network, so it
is kept apart: the index is fetched (``http``, ``https`` or ``file`` URLs
only, size-capped), the newest package for the pair is chosen, and the
download goes to a hidden temp file in the packages folder and through
:func:`polybrief.mt.install.install_package`'s checks like any other file.

Trust follows the index: an index fetched over http(s) may only link to
http(s) (an http index linking ``file:///dev/zero`` or ``file:///etc/passwd``
used to be followed), redirects may only lead to http(s), and the package
must be for the pair the index listed.  Every transfer goes through
:func:`polybrief.mt.fetch.fetch`: an overall deadline
(``Limits.download_seconds``), a slowest acceptable average rate after a
grace period (``download_min_rate``) and a size cap (``download_bytes``,
``index_bytes``), holding from the first byte (connecting, headers, body),
bounded headers, and URLs with control characters refused unread.
The index format is Argos Translate's own (a JSON list of package
metadata), so a mirror of Argos's index — or a plain folder served over
HTTP — works unchanged.  Argos has never carried some languages (Armenian);
asking for them is answered with advice, without a network round trip.
"""

from __future__ import annotations

import io
import logging
import os
import re
import tempfile
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..cldr import primary_subtag
from ..errors import (
    ModelPackageError,
    NetworkError,
    OutputError,
    TranslationEngineError,
)
from ..fs import ensure_dir
from ..limits import DEFAULT_LIMITS, Limits
from .fetch import SCHEMES, WEB_SCHEMES, TooLarge, fetch, unsafe_url
from .install import DOWNLOAD_PREFIX, install_package
from .store import InstalledModel, check_lang, packages_root

__all__ = [
    "ARGOS_MISSING_LANGUAGES",
    "DEFAULT_INDEX_URL",
    "INDEX_URL_ENV",
    "IndexEntry",
    "default_index_url",
    "fetch_index",
    "install_from_index",
    "read_index",
]

logger = logging.getLogger(__name__)

#: Where Argos Translate itself reads its package index.
DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
#: Environment variable that points polybrief at another index (a mirror, a file:// URL).
INDEX_URL_ENV = "POLYBRIEF_INDEX_URL"
#: Languages the Argos index has never carried; asking for them needs no network round trip.
ARGOS_MISSING_LANGUAGES: frozenset[str] = frozenset({"hy"})

MAX_INDEX_BYTES = DEFAULT_LIMITS.index_bytes
_SCHEMES = SCHEMES
_WEB = WEB_SCHEMES
_INDEX_HINT = f"check the index URL (--index-url or ${INDEX_URL_ENV})"
_MIRROR_HINT = (f"use a mirror with --index-url / ${INDEX_URL_ENV}, or install a downloaded file with "
                "'polybrief models install FILE.argosmodel'")


def default_index_url() -> str:
    """``$POLYBRIEF_INDEX_URL`` if set, else Argos's public index."""
    return os.environ.get(INDEX_URL_ENV) or DEFAULT_INDEX_URL


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One translation package listed in an Argos-format index."""

    from_code: str
    to_code: str
    package_version: str
    links: tuple[str, ...]
    code: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def pair(self) -> tuple[str, str]:
        return (primary_subtag(self.from_code), primary_subtag(self.to_code))


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(n[-18:]) for n in re.findall(r"\d+", version[:100]))


def read_index(data: bytes, *, url: str, limits: Limits = DEFAULT_LIMITS) -> list[IndexEntry]:
    """Parse an Argos index (a JSON list of package metadata); entries that are not translation packages are skipped."""
    from ..jsonio import load_json

    value = load_json(data, file=url, error=ModelPackageError, limits=limits, invalid="the model index is not valid JSON")
    if not isinstance(value, list):
        raise ModelPackageError("the model index must be a JSON list of packages", file=url, hint=_INDEX_HINT)
    entries = []
    for position, item in enumerate(value):
        entry = _index_entry(item)
        if entry is not None:
            entries.append(entry)
        elif isinstance(item, dict) and item.get("type", "translate") == "translate":
            logger.debug("index %s: skipping malformed entry %d", url, position)
    return entries


def _index_entry(item: Any) -> IndexEntry | None:
    """The entry for one translation package, or None for other packages and malformed entries."""
    if not isinstance(item, dict) or item.get("type", "translate") != "translate":
        return None
    links = item.get("links")
    version = item.get("package_version", "")
    if not (isinstance(item.get("from_code"), str) and isinstance(item.get("to_code"), str)
            and isinstance(links, list) and all(isinstance(x, str) for x in links)
            and isinstance(version, (str, int, float)) and not isinstance(version, bool) and len(str(version)) <= 64):
        return None
    return IndexEntry(
        from_code=item["from_code"], to_code=item["to_code"],
        package_version=str(item.get("package_version", "")), links=tuple(links),
        code=str(item.get("code", "")), raw=item,
    )


def fetch_index(url: str | None = None, *, timeout: float = 30.0, limits: Limits = DEFAULT_LIMITS) -> list[IndexEntry]:
    """Download and parse an Argos-format package index."""
    url = url or default_index_url()
    buffer = io.BytesIO()
    try:
        fetch(url, buffer, timeout=timeout, max_bytes=limits.index_bytes, limits=limits, what="the model index",
              hint=_MIRROR_HINT)
    except TooLarge:
        raise ModelPackageError(f"the model index is implausibly large (over {limits.index_bytes} bytes)",
                                file=url) from None
    return read_index(buffer.getvalue(), url=url, limits=limits)


def _no_argos_model(
    from_code: str, to_code: str, *, url: str, entries: Sequence[IndexEntry] | None,
) -> TranslationEngineError:
    """The error for a pair the index lacks, with the advice that fits (bring a model, or go through English)."""
    src, tgt = primary_subtag(from_code), primary_subtag(to_code)
    note = " (Argos Translate has no Armenian models)" if "hy" in ARGOS_MISSING_LANGUAGES & {src, tgt} else ""
    hint = (
        "bring a CTranslate2 model instead: convert OPUS-MT or NLLB with ct2-transformers-converter "
        f"and run 'polybrief models install FOLDER --from {from_code} --to {to_code}"
        + (" --target-prefix hye_Armn' for NLLB" if tgt == "hy" else "'")
        + "; see docs/mt.md"
    )
    pairs = {e.pair for e in entries or ()}
    if (src, "en") in pairs and ("en", tgt) in pairs:
        hint = (f"install '{from_code} en' and 'en {to_code}': polybrief translates through English "
                f"when no direct model exists")
    return TranslationEngineError(
        f"the Argos package index has no {from_code}→{to_code} model{note}", file=url, hint=hint,
    )


def install_from_index(
    from_code: str,
    to_code: str,
    *,
    index_url: str | None = None,
    packages_dir: Path | None = None,
    timeout: float = 30.0,
    max_bytes: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> InstalledModel:
    """Download the newest ``from_code → to_code`` package listed in an Argos index and install it.

    Links are tried in order (``ipfs://`` ones skipped); relative links are
    resolved against the index URL so a mirror can be a plain folder served
    over HTTP.  The download goes to a hidden temp file in the packages
    folder and through :func:`install_package`'s checks.  An index fetched
    over http(s) may only link to http(s); ``max_bytes`` defaults to
    ``limits.download_bytes``.
    """
    url = index_url or default_index_url()
    max_bytes = limits.download_bytes if max_bytes is None else max_bytes
    check_lang(from_code, what="from_code", file=None)
    check_lang(to_code, what="to_code", file=None)
    if ARGOS_MISSING_LANGUAGES & {primary_subtag(from_code), primary_subtag(to_code)}:
        raise _no_argos_model(from_code, to_code, url=url, entries=None)
    links = _download_links(fetch_index(url, timeout=timeout, limits=limits), from_code, to_code, url=url)
    root = packages_root(packages_dir)
    ensure_dir(root)
    errors: list[str] = []
    for link in links:
        model = _download_and_install(link, root, timeout=timeout, max_bytes=max_bytes, errors=errors,
                                      limits=limits, pair=(from_code, to_code))
        if model is not None:
            return model
    raise NetworkError(f"could not download the {from_code}→{to_code} package: {'; '.join(errors)}", file=url)


def _download_links(entries: Sequence[IndexEntry], from_code: str, to_code: str, *, url: str) -> list[str]:
    """The usable download links of the newest package for the pair, relative ones resolved against ``url``."""
    pair = (primary_subtag(from_code), primary_subtag(to_code))
    matching = [e for e in entries if e.pair == pair]
    if not matching:
        raise _no_argos_model(from_code, to_code, url=url, entries=entries)
    entry = max(matching, key=lambda e: _version_key(e.package_version))
    # A link holding a control or invisible character is refused as it stands (urljoin would drop CR/LF).
    unsafe = [link for link in entry.links if unsafe_url(link)]
    links = [urllib.parse.urljoin(url, link) for link in entry.links if not unsafe_url(link)]
    # Trust follows the index: a web index may only send us to the web, never to local files.
    allowed = _WEB if urllib.parse.urlsplit(url).scheme in _WEB else _SCHEMES
    refused = [link for link in links if urllib.parse.urlsplit(link).scheme not in (*allowed, "ipfs")]
    for link in refused:
        logger.warning("index %s: refusing link %s (an http(s) index may only link to http(s))", url, link)
    links = [link for link in links if urllib.parse.urlsplit(link).scheme in allowed]
    for link in unsafe:
        logger.warning("index %s: refusing link %s (it holds a control or invisible character)", url, ascii(link))
    if not links:
        reasons = ([f"refused {', '.join(refused)}: an http(s) index may only link to http(s)"] if refused else []) \
            + ([f"refused {', '.join(ascii(u)[:200] for u in unsafe)}: a link holding a control, space or "
                "invisible character"] if unsafe else [])
        raise TranslationEngineError(
            f"the index lists no usable download for {from_code}→{to_code}"
            + (f" ({'; '.join(reasons)})" if reasons else ""), file=url)
    return links


def _download_and_install(
    link: str, root: Path, *, timeout: float, max_bytes: int, errors: list[str], limits: Limits = DEFAULT_LIMITS,
    pair: tuple[str, str] | None = None,
) -> InstalledModel | None:
    """Install the package at ``link`` into ``root``; None (the reason added to ``errors``) if it cannot be downloaded.

    Only download failures are collected so that the next link is tried; a
    package that downloads but is refused stops the install.
    """
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=DOWNLOAD_PREFIX, suffix=".argosmodel", dir=root)
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror or exc}", file=root) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                _download(link, out, timeout=timeout, max_bytes=max_bytes, limits=limits)
            except (NetworkError, TranslationEngineError) as exc:
                errors.append(str(exc))
                return None
        return install_package(tmp, packages_dir=root, limits=limits, expect_pair=pair)
    finally:
        tmp.unlink(missing_ok=True)


def _download(url: str, out: IO[bytes], *, timeout: float, max_bytes: int, limits: Limits = DEFAULT_LIMITS) -> None:
    logger.info("downloading %s", url)
    try:
        fetch(url, out, timeout=timeout, max_bytes=max_bytes, limits=limits, what="the model package",
              hint=_MIRROR_HINT)
    except TooLarge:
        raise NetworkError(f"download larger than {max_bytes} bytes", file=url,
                           hint="raise --limit download_bytes=SIZE if the package is genuine") from None
