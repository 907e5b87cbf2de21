"""Bounds on every input polybrief reads: one frozen :class:`Limits`, passed down like httpx's ``Limits``.

A brief, a catalog, a model package or a package index comes from people
and programs polybrief does not control.  Each bound below turns an input
that would take unbounded time or memory (a 30 KB YAML file whose aliases
expand to millions of values, a FIFO, ``/dev/zero``, a 250,000-character
word, a zip bomb, a server trickling one byte every two seconds) into one
clear error, and each is a setting: ``Project(limits=Limits(brief_bytes=...))``
in Python, ``polybrief --limit brief_bytes=64MiB ...`` on the command line.
The defaults are far above anything a real brief, catalog or model needs
(the example brief is 9 KB with 180 values; the largest Argos package
unpacks to 1 GiB at a compression ratio under 2), so they only ever stop
hostile or broken input.

Nothing here reads the environment or the disk: a :class:`Limits` is built
from its defaults, from keyword arguments, or from ``NAME=VALUE`` strings
(:meth:`Limits.with_settings`), by whoever builds the project.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation

from ._repr import settings_repr
from .errors import UsageError

__all__ = ["Limits", "DEFAULT_LIMITS", "parse_size"]

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class Limits:
    """Every bound polybrief puts on its inputs (see the README's "Security model").

    The defaults only stop hostile or broken input; lower one to refuse large inputs early.

    >>> small = polybrief.Limits(brief_values=100)
    >>> small                                         # only what differs from the defaults
    Limits(brief_values=100)
    >>> polybrief.load("examples/nagorno-karabakh.yaml", limits=small)
    Traceback (most recent call last):
    polybrief.errors.BriefError: examples/nagorno-karabakh.yaml:81: expands to more than 100 values (...)
    """

    # -- briefs ----------------------------------------------------------------------
    brief_bytes: int = 8 * MiB
    """Largest brief file read (YAML or JSON)."""
    brief_values: int = 200_000
    """Most values (scalars, lists, mappings) a brief may hold *after* YAML aliases are expanded."""
    nesting_depth: int = 64
    """Deepest nesting of lists and mappings in YAML and JSON files: briefs, metadata.json,
    polybrief-model.json, config.json, vocabularies, package indexes."""
    figure_max: Decimal = Decimal(10) ** 15
    """Largest magnitude of a figure's value (Babel cannot format 10**25 and more)."""
    figure_digits: int = 30
    """Most significant digits of a figure's value."""
    number_digits: int = 100
    """Most digits of an integer literal in any YAML or JSON file (Python refuses to parse 4,301)."""

    # -- text ------------------------------------------------------------------------
    wrap_token_chars: int = 200
    """Unbroken runs longer than this are cut into line-sized pieces before text pages are wrapped,
    and a catalog holding one is written without line wrapping (both wrappers are quadratic in it)."""

    # -- catalogs --------------------------------------------------------------------
    po_bytes: int = 32 * MiB
    """Largest PO file read (brief catalogs and UI catalogs)."""
    glossary_bytes: int = 32 * MiB
    """Largest glossary file read (CSV or TBX)."""
    plural_expr_chars: int = 400
    """Longest ``plural=`` expression of a ``Plural-Forms`` header, unless it is the one Babel writes for the
    language (most are under 130 characters; Django's Ukrainian is 230 and its Breton 299, the longest of 2,510
    real files; Breton's and Cornish's as Babel writes them, 326 and 472, are accepted as Babel's)."""

    # -- the site --------------------------------------------------------------------
    manifest_bytes: int = 1 * GiB
    """Largest site manifest read (``DIR/.polybrief/site.json``: about 5.5 KB per brief, 54 MiB for 10,000)."""

    # -- model downloads -------------------------------------------------------------
    download_seconds: float = 3600.0
    """Deadline for one model download, however the server paces its bytes."""
    download_min_rate: int = 16 * KiB
    """Slowest average rate (bytes per second) accepted once a download has run for ``download_grace`` seconds."""
    download_grace: float = 30.0
    """Seconds a download may take before its average rate is held to ``download_min_rate``."""
    download_bytes: int = 4 * GiB
    """Largest model download (the biggest Argos packages are under 1 GiB)."""
    index_bytes: int = 32 * MiB
    """Largest package index."""

    # -- model archives --------------------------------------------------------------
    archive_bytes: int = 8 * GiB
    """Most bytes an ``.argosmodel`` archive may unpack to."""
    archive_members: int = 10_000
    """Most members an archive may hold."""
    archive_ratio: float = 50.0
    """Highest ratio of unpacked to packed bytes, for the archive and for any member over 1 MiB
    (CTranslate2 weights barely compress; a zip bomb compresses a thousandfold)."""
    metadata_bytes: int = 1 * MiB
    """Largest metadata.json, polybrief-model.json or config.json."""
    vocabulary_bytes: int = 256 * MiB
    """Largest vocabulary file of a model (NLLB's 256,000 tokens take 4 MB)."""

    def __repr__(self) -> str:
        return settings_repr(self, "DEFAULT_LIMITS")

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "figure_max" and not isinstance(value, Decimal):
                try:
                    object.__setattr__(self, f.name, Decimal(str(value)))
                except InvalidOperation:
                    raise UsageError(f"limit {f.name} must be a number, not {value!r}") from None
                value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
                raise UsageError(f"limit {f.name} must be a number, not {value!r}")
            finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
            if not finite or not value > 0:
                raise UsageError(f"limit {f.name} must be a finite positive number, not {value}",
                                 hint=f"e.g. --limit {f.name}={f.default}")

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def with_settings(self, settings: Iterable[str]) -> Limits:
        """A copy with ``NAME=VALUE`` settings applied (``brief_bytes=64MiB``, ``download_seconds=600``)."""
        changes: dict[str, object] = {}
        known = {f.name: f for f in fields(self)}
        for setting in settings:
            name, sep, raw = setting.partition("=")
            name = name.strip().replace("-", "_")
            if not sep or name not in known:
                raise UsageError(f"unknown limit {setting!r}",
                                 hint=f"use NAME=VALUE with NAME one of {', '.join(known)}")
            current = getattr(self, name)
            try:
                if isinstance(current, Decimal):
                    changes[name] = Decimal(raw.strip())
                elif isinstance(current, float):
                    changes[name] = float(raw.strip())
                else:
                    changes[name] = parse_size(raw)
            except (ValueError, InvalidOperation):
                raise UsageError(f"limit {name}: {raw!r} is not a number",
                                 hint="e.g. brief_bytes=64MiB or download_seconds=600") from None
        return replace(self, **changes)  # type: ignore[arg-type]


_SIZE = re.compile(r"^\s*(\d+)\s*(|k|ki|kib|kb|m|mi|mib|mb|g|gi|gib|gb)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": KiB, "m": MiB, "g": GiB}


def parse_size(text: str) -> int:
    """``"64MiB"`` → 67108864; plain numbers are counts or bytes.  ``ValueError`` otherwise."""
    match = _SIZE.match(text)
    if match is None or len(match.group(1)) > 18:
        raise ValueError(text)
    return int(match.group(1)) * _UNITS[match.group(2)[:1].lower()]


DEFAULT_LIMITS = Limits()
"""The limits of a :class:`~polybrief.Project` built without any."""
