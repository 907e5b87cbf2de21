"""Which script a locale is written in, and which script a letter belongs to.

The ``script`` check (a Russian page that came back in Latin letters is an
error), the ``length`` check (Chinese needs far fewer characters than
English) and number reading (Arabic-script locales mix Arabic-Indic digits
with Latin ones, :mod:`polybrief.text.numbers`) all need a locale's script.  Letters are classified by their
Unicode character names through :mod:`unicodedata` rather than a script
property table, so there is no extra dependency; the locale's script comes
from CLDR likely subtags through Babel (hy → Armn, ru → Cyrl, az → Latn),
so new locales need no table here.

Why a memo and substitutions, not a call per letter
---------------------------------------------------
Classifying every letter of every segment by its character name was 32 % of
a publish run (1.28 M Python-level calls for 100 briefs).  Each *distinct*
character is classified once per process (:data:`_CHAR_SCRIPT`, a memo of a
pure function of the Unicode database, like :func:`functools.lru_cache`);
scanning the whole Unicode range up front instead would cost 0.17 s at every
start.  A text is written in one or two scripts, so :func:`script_counts`
counts a whole script at a time: one substitution in C removes every letter
of the script (a pattern of its letters in the blocks of 128 code points
met so far), and the length lost is the count.  Counting every character
(:class:`collections.Counter`, then a look-up per distinct character) cost
twice as much: a string object for every character of a non-Latin text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from ..cldr import LocaleInfo

__all__ = ["SCRIPT_DENSITY", "SCRIPT_FAMILIES", "letter_script", "letters_by_script", "locale_script",
           "script_counts"]

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
    """How many letters of ``text`` are in each script (None: letters of no known script), in no set order.

    The sum of its white-space separated tokens' counts (no letter is white
    space), each token counted once per process (:data:`_TOKEN_COUNTS`):
    words come back in every text of a language, and adding up a few dozen
    tokens' counts costs half what counting the text's letters afresh did.
    Cached, since several checks count the same text (read it, never change it).
    """
    counts: dict[str | None, int] = {}
    known = _TOKEN_COUNTS
    for token in text.split():
        found = known.get(token)
        if found is None:
            found = _token_counts(token)
        for code, n in found:
            counts[code] = counts.get(code, 0) + n
    return counts


#: Each token's letters by script, as :func:`letters_by_script` counts them, for at most
#: :data:`TOKEN_CACHE` tokens of at most :data:`TOKEN_LENGTH` characters (under 2 MB; emptied when full).
_TOKEN_COUNTS: dict[str, tuple[tuple[str | None, int], ...]] = {}
TOKEN_CACHE = 8192
TOKEN_LENGTH = 40


def _token_counts(token: str) -> tuple[tuple[str | None, int], ...]:
    found = tuple(letters_by_script(token).items())
    if len(token) <= TOKEN_LENGTH:
        if len(_TOKEN_COUNTS) >= TOKEN_CACHE:
            _TOKEN_COUNTS.clear()
        _TOKEN_COUNTS[token] = found
    return found


def letters_by_script(text: str) -> dict[str | None, int]:
    """:func:`script_counts` of ``text`` counted afresh, a script at a time, each a substitution in C (see
    the module docstring): the letters left once everything else is taken out, the ASCII ones (Latin),
    then, for the first letter left, every letter of its script (:func:`_script_letters`), and so on
    until none is left."""
    counts: dict[str | None, int] = {}
    rest = _NOT_LETTERS.sub("", text)  # what \W, \d and _ match is never a letter: letters and a few signs stay
    if not rest.isascii():
        left = _ASCII.sub("", rest)
        if len(left) < len(rest):
            counts["Latn"] = len(rest) - len(left)
        rest = left
        while rest:
            ch = rest[0]
            code = _CHAR_SCRIPT[ch] if ch in _CHAR_SCRIPT else _classify(ch)
            pattern = _script_letters(code, ord(ch) >> _CHUNK) if code is not None and code != _NOT_LETTER else None
            left = pattern.sub("", rest) if pattern is not None else rest.replace(ch, "")
            if code != _NOT_LETTER:
                counts[code] = counts.get(code, 0) + len(rest) - len(left)
            rest = left
    elif rest:
        counts["Latn"] = len(rest)
    return counts


#: Characters no letter is: white space, punctuation, symbols, decimal digits and ``_``.
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_ASCII = re.compile(r"[\x00-\x7f]+")
#: Code points are looked at in blocks of 2**_CHUNK when a script's letters are collected.
_CHUNK = 7
#: Each script's letters among the blocks of code points seen so far, and a pattern of them.
_LETTERS_OF: dict[str, tuple[frozenset[int], re.Pattern[str]]] = {}


def _script_letters(code: str, block: int) -> re.Pattern[str]:
    """A pattern of the letters of script ``code`` in ``block`` and in every block seen before for it.

    A text of one script is counted in one substitution; a block's 128
    characters are classified once per process, when a letter of it is
    first met (as :data:`_CHAR_SCRIPT` classifies a character once).
    """
    found = _LETTERS_OF.get(code)
    if found is not None and block in found[0]:
        return found[1]
    blocks = (found[0] if found is not None else frozenset()) | {block}
    letters = [point for b in sorted(blocks) for point in range(b << _CHUNK, (b + 1) << _CHUNK)
               if (_CHAR_SCRIPT[chr(point)] if chr(point) in _CHAR_SCRIPT else _classify(chr(point))) == code]
    pattern = re.compile("[" + "".join(f"\\U{p:08x}" for p in letters) + "]+")
    _LETTERS_OF[code] = (blocks, pattern)
    return pattern
