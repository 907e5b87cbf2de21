"""printf-style format tokens: ``%s``, ``%d``, ``%1$s``, ``%(name)s``, and what a translation did with them.

A format token shown to readers is template debris; one lost from a
translation loses the value it stood for.  C's positional form (``%2$s``)
lets a translator reorder arguments, so tokens are compared as multisets of
(name, conversion): ``%2$s … %1$s`` keeps both ``%s`` of ``%s … %s``.

Two things look like format tokens and are not:

* a percentage (``50%`` before a word, ``50 % done``): a ``%`` after a digit
  or followed by a space never starts a token here, and ``%%`` is a literal
  percent sign;
* a ``strftime`` date format (``%a %l:%M %p``): translators reorder and
  replace its fields (``%m/%d/%y`` → ``%d/%m/%Y``) on purpose, so a text with
  a field only ``strftime`` has (:data:`STRFTIME_ONLY`) is not compared.

Integer tokens are what a plural message's singular form may spell out
("%d file" → "один файл", "دقيقة واحدة"), so :func:`compare` tells them apart.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import NamedTuple

__all__ = ["PRINTF", "FormatCheck", "compare", "tokens"]

#: One printf token: an optional ``n$`` position or ``(name)``, flags, width, precision, length, conversion.
PRINTF = re.compile(
    r"(?<![%\d])%(?:(?P<pos>[1-9]\d?)\$|\((?P<name>\w{1,40})\))?[-#0+']*(?:\d{1,3}|\*)?(?:\.(?:\d{1,3}|\*))?"
    r"(?:hh|ll|[hlLqjzt]|I64|I32|I)?(?P<conv>[diouxXeEfFgGcsaAp])(?![0-9])"
)
#: LibreOffice's ``%PRODUCTNAME`` and the like, taken out before printf tokens are read (``%F`` is not one).
_NAMED = re.compile(r"%[A-Z][A-Z0-9_]{2,}%?")
#: A ``strftime`` field no printf conversion has: such a text is a date format.
STRFTIME_ONLY = re.compile(r"%[-_0^#]?[EO]?[YmHMSbBPlkejZzyIACDFGghnrRtTuUVwW](?![a-z])")
_DOUBLE = re.compile("%%")
_INTEGER = frozenset("diouxXc")


class FormatCheck(NamedTuple):
    """What a translation lost and gained of its source's format tokens, each as written."""

    missing: list[str]
    """Tokens of the source the translation has fewer of (string tokens first)."""
    missing_counts: list[str]
    """Of those, the integer ones (``%d``): a singular form may spell them out."""
    extra: list[str]
    """Tokens the source lacks."""


def _key(m: re.Match[str]) -> tuple[str, str]:
    conv = m.group("conv")
    kind = "d" if conv in _INTEGER else "f" if conv in "eEfFgGaA" else conv
    return (m.group("name") or "", kind)


@functools.lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[tuple[tuple[str, str], str], ...]:
    """Every format token of ``text``: its (name, kind) and how it is written; none for a date format."""
    if "%" not in text or STRFTIME_ONLY.search(text):
        return ()
    text = _NAMED.sub(" ", _DOUBLE.sub("  ", text))
    return tuple((_key(m), m.group(0)) for m in PRINTF.finditer(text))


def compare(source: str, target: str) -> FormatCheck:
    """Which format tokens ``target`` lost or gained against ``source``."""
    src = tokens(source)
    if "%" not in target and not src:
        return FormatCheck([], [], [])
    if STRFTIME_ONLY.search(target):
        return FormatCheck([], [], [])
    tgt = tokens(target)
    have = Counter(key for key, _ in tgt)
    want = Counter(key for key, _ in src)
    shown = {key: text for key, text in src}
    missing = [shown[key] for key, n in want.items() if have[key] < n and key[1] != "d"]
    counts = [shown[key] for key, n in want.items() if have[key] < n and key[1] == "d"]
    extra = list(dict.fromkeys(text for key, text in tgt if want[key] < have[key]))
    return FormatCheck(missing, counts, extra)
