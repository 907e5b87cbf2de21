"""Which script a locale is written in, and which script a letter belongs to.

The ``script`` check (a Russian page that came back in Latin letters is an
error) and the ``length`` check (Chinese needs far fewer characters than
English) both need the target's script.  Letters are classified by their
Unicode character names through :mod:`unicodedata` rather than a script
property table, so there is no extra dependency; the locale's script comes
from CLDR likely subtags through Babel (hy → Armn, ru → Cyrl, az → Latn),
so new locales need no table here.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..cldr import LocaleInfo

__all__ = ["SCRIPT_DENSITY", "SCRIPT_FAMILIES", "letter_script", "locale_script"]

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


def locale_script(locale: LocaleInfo) -> str | None:
    """The ISO 15924 script ``locale`` is written in: its own, or CLDR's likely subtag."""
    if locale.babel.script:
        return locale.babel.script
    from babel.core import get_global, parse_locale

    likely = get_global("likely_subtags")
    for key in (locale.identifier, locale.language):
        full = likely.get(key)
        if full:
            try:
                return parse_locale(full)[2]
            except ValueError:
                continue
    return None


def letter_script(ch: str) -> str | None:
    """The ISO 15924 code of letter ``ch`` (``Cyrl`` for ``ж``), or None when unknown."""
    words = unicodedata.name(ch, "").split()
    for code, keys in _SCRIPT_WORDS.items():
        if any(key in words for key in keys):
            return code
    return None
