"""Which script a locale is written in, and which script a letter belongs to.

The ``script`` check (a Russian page that came back in Latin letters is an
error), the ``length`` check (Chinese needs far fewer characters than
English) and number reading (Arabic-script locales mix Arabic-Indic digits
with Latin ones, :mod:`polybrief.text.numbers`) all need a locale's script.  Letters are classified by their
Unicode character names through :mod:`unicodedata` rather than a script
property table, so there is no extra dependency; the locale's script comes
from CLDR likely subtags through Babel (hy → Armn, ru → Cyrl, az → Latn),
so new locales need no table here.

Why a memo and a counter, not a call per letter
-----------------------------------------------
Classifying every letter of every segment by its character name was 32 % of
a publish run (1.28 M Python-level calls for 100 briefs).  A text uses a
small alphabet, so :func:`script_counts` counts the characters once in C
(:class:`collections.Counter`) and classifies each *distinct* character once
per process (:data:`_CHAR_SCRIPT`, a memo of a pure function of the Unicode
database, like :func:`functools.lru_cache`).  Scanning the whole Unicode
range up front instead would cost 0.17 s at every start.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from ..cldr import LocaleInfo

__all__ = ["SCRIPT_DENSITY", "SCRIPT_FAMILIES", "letter_script", "locale_script", "script_counts"]

#: ISO 15924 code -> words in Unicode character names that identify the script.
_SCRIPT_WORDS: dict[str, tuple[str, ...]] = {
    "Latn": ("LATIN",), "Cyrl": ("CYRILLIC",), "Armn": ("ARMENIAN",), "Arab": ("ARABIC",),
    "Geor": ("GEORGIAN",), "Hebr": ("HEBREW",), "Grek": ("GREEK",), "Deva": ("DEVANAGARI",),
    "Beng": ("BENGALI",), "Taml": ("TAMIL",), "Thai": ("THAI",), "Ethi": ("ETHIOPIC",),
    "Hani": ("CJK",), "Hira": ("HIRAGANA",), "Kana": ("KATAKANA",), "Hang": ("HANGUL",),
    "Mong": ("MONGOLIAN",), "Syrc": ("SYRIAC",), "Thaa": ("THAANA",), "Khmr": ("KHMER",),
}
#: Scripts written with more than one ISO code (Japanese mixes kanji, hiragana and katakana).
SCRIPT_FAMILIES: dict[str, frozenset[str]] = {
    "Hans": frozenset({"Hani"}), "Hant": frozenset({"Hani"}), "Jpan": frozenset({"Hani", "Hira", "Kana"}),
    "Kore": frozenset({"Hang", "Hani"}),
}
#: Characters per unit of meaning relative to alphabetic scripts (for the length check).
SCRIPT_DENSITY: dict[str, float] = {"Hans": 0.35, "Hant": 0.35, "Hani": 0.35, "Jpan": 0.45, "Kore": 0.5}


@functools.lru_cache(maxsize=64)  # asked for a dozen times per segment; a LocaleInfo keeps its hash
def locale_script(locale: LocaleInfo) -> str | None:
    """The ISO 15924 script ``locale`` is written in: its own, or CLDR's likely subtag."""
    if locale.babel.script:
        return locale.babel.script
    return _likely_script(locale.identifier, locale.language)


@functools.lru_cache(maxsize=256)
def _likely_script(identifier: str, language: str) -> str | None:
    """CLDR's likely script for a locale identifier (a pure function of Babel's data, so cached)."""
    from babel.core import get_global, parse_locale

    likely = get_global("likely_subtags")
    for key in (identifier, language):
        full = likely.get(key)
        if full:
            try:
                return parse_locale(full)[2]
            except ValueError:
                continue
    return None


@functools.lru_cache(maxsize=8192)
def letter_script(ch: str) -> str | None:
    """The ISO 15924 code of letter ``ch`` (``Cyrl`` for ``ж``), or None when unknown."""
    words = unicodedata.name(ch, "").split()
    for code, keys in _SCRIPT_WORDS.items():
        if any(key in words for key in keys):
            return code
    return None


#: Marks a character that is not a letter in :data:`_CHAR_SCRIPT`.
_NOT_LETTER: Final = "-"
#: Each character seen so far: its script code, None (a letter of no known script) or :data:`_NOT_LETTER`.
_CHAR_SCRIPT: dict[str, str | None] = {}


def _classify(ch: str) -> str | None:
    code = letter_script(ch) if unicodedata.category(ch).startswith("L") else _NOT_LETTER
    _CHAR_SCRIPT[ch] = code
    return code


@functools.lru_cache(maxsize=4096)
def script_counts(text: str) -> Mapping[str | None, int]:
    """How many letters of ``text`` are in each script (None: letters of no known script).

    One C-level count of the characters, then one dictionary look-up per
    distinct character (see the module docstring).  Cached, since several
    checks count the same text (read it, never change it).
    """
    counts: dict[str | None, int] = {}
    table = _CHAR_SCRIPT
    for ch, n in Counter(text).items():
        code = table[ch] if ch in table else _classify(ch)
        if code != _NOT_LETTER:
            counts[code] = counts.get(code, 0) + n
    return counts
