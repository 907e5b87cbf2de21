"""Checks on characters a reader cannot see or cannot tell apart: invisible marks, bidi controls, look-alikes, digits.

None of these change a word a reviewer reads in a PO editor, which is why
they pass review and every lexical check:

* ``invisible``: a zero-width space, word joiner, byte-order mark, soft
  hyphen or invisible filler the source does not have breaks search, copy
  and line breaking.  The zero-width non-joiner and joiner are letters'
  business in Persian, Arabic and Indic scripts (``می‌شود``), so they count
  only in targets of other scripts.
* ``bidi-controls``: an embedding, override or isolate (U+202A–202E,
  U+2066–2068) left open runs the direction of everything after it —
  on a page, the rest of the paragraph.
* ``confusables``: a word of the target's script with a letter of another
  script that looks the same (a Latin ``a`` in ``Кaрабах``), found with the
  TR39 confusables data of Unicode through ``confusable-homoglyphs``; the
  word cannot be found by search and a screen reader spells it.
  ``mixed-script`` is a word of two scripts where no letter is a look-alike.
* ``numerals``: one number written with digits of two systems (``۱2۳``,
  Persian ``۴`` among Arabic-Indic ``٤``): it reads as nothing.
* ``orthography``: Arabic ``ي``/``ك`` in a Persian text (Persian writes
  ``ی``/``ک``), Persian ``ی``/``ک`` in an Arabic one.

The cheap test comes first everywhere: a text whose characters are all
ASCII or of one script (almost all) is looked at once, in C.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from ..text.scripts import letter_script, locale_script, script_counts
from .names import blank_placeholders
from .registry import Also, Pair, check
from .report import Severity

__all__ = ["INVISIBLE", "JOINER_SCRIPTS", "bidi_problem", "mixed_words", "mixed_numerals"]

#: Invisible characters that belong in no translation unless the source has them.
INVISIBLE = frozenset("\u200b\u2060\ufeff\u180e\u00ad\u2061\u2062\u2063\u2064\u034f\u115f\u1160\u3164\uffa0")
#: Scripts whose spelling uses the zero-width non-joiner and joiner.
JOINER_SCRIPTS = frozenset({"Arab", "Deva", "Beng", "Taml", "Thaa", "Syrc", "Mong", "Khmr", "Sinh", "Mlym", "Telu",
                            "Knda", "Gujr", "Guru", "Orya"})
_JOINERS = frozenset("\u200c\u200d")
_OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
            "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\n]")
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Every character of :data:`INVISIBLE` and :data:`_JOINERS`.
_SILENT = re.compile("[" + "".join(sorted(INVISIBLE | _JOINERS)) + "]")
_WORD = re.compile(r"[^\W\d_]{2,}")
#: A digit other than 0–9 (the engine skips ahead to digits, then looks behind).
_OTHER_DIGIT = re.compile(r"\d(?<![0-9])")
_NUMBER = re.compile(r"\d+(?:[.,٫٬\u066b\u066c]\d+)*")
_NAMES = {"\u200b": "zero-width space", "\u2060": "word joiner", "\ufeff": "zero-width no-break space (BOM)",
          "\u00ad": "soft hyphen", "\u200c": "zero-width non-joiner", "\u200d": "zero-width joiner"}
_FA_ARABIC = {"ي": "ی", "ك": "ک"}
_AR_PERSIAN = {"ی": "ي", "ک": "ك"}


def _name(ch: str) -> str:
    return _NAMES.get(ch) or unicodedata.name(ch, f"U+{ord(ch):04X}").lower()


def bidi_problem(text: str) -> str | None:
    """Why the bidi embeddings and isolates of ``text`` are unbalanced, or None.

    A paragraph break closes everything (as the Unicode bidi algorithm
    does), so only what is left open at a line's end counts, or a closer
    with nothing open.
    """
    stack: list[str] = []
    for ch in _BIDI.findall(text):
        if ch == "\n":
            if stack:
                break
            continue
        if ch in _OPENERS:
            stack.append(ch)
        elif stack and _OPENERS[stack[-1]] == ch:
            stack.pop()
        elif ch == "\u2069" and "\u2069" in (_OPENERS[c] for c in stack):
            while stack and _OPENERS[stack.pop()] != "\u2069":
                pass  # PDI closes every embedding inside its isolate
        else:
            return f"{_name(ch)} closes nothing"
    if stack:
        return f"{_name(stack[-1])} is never closed"
    return None


@functools.lru_cache(maxsize=8192)
def _word_scripts(word: str) -> tuple[str | None, ...]:
    return tuple(dict.fromkeys(letter_script(ch) for ch in word))


@functools.lru_cache(maxsize=8192)
def _known_scripts(word: str) -> frozenset[str]:
    """The known scripts of ``word``'s letters (one look-up per word of a text: words come back)."""
    return frozenset(s for s in _word_scripts(word) if s is not None)


def mixed_words(text: str) -> list[str]:
    """Words of two or more scripts (``Кaрабах``), each once, in order."""
    if text.isascii() or sum(1 for code in script_counts(text) if code) < 2:
        return []
    out = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        if not word.isascii() and len(_known_scripts(word)) > 1 and word not in out:
            out.append(word)
    return out


def mixed_numerals(text: str) -> list[str]:
    """Numbers written with digits of two numeral systems (``۱2۳``)."""
    out: list[str] = []
    if text.isascii() or _OTHER_DIGIT.search(text) is None:
        return out  # every digit an ASCII one: no number can mix two systems
    for m in _NUMBER.finditer(text):
        token = m.group(0)
        zeros = {ord(ch) - unicodedata.digit(ch) for ch in token if ch.isdigit()}
        if len(zeros) > 1:
            out.append(token)
    return out


@functools.lru_cache(maxsize=4096)
def _look_alike(ch: str, script: str) -> bool:
    """Whether letter ``ch`` has a TR39 confusable among the letters of ``script``."""
    from confusable_homoglyphs import confusables

    return any(letter_script(h["c"][0]) == script for h in confusables.confusables_data.get(ch, ())
               if len(h["c"]) == 1)


def _confusable(word: str, script: str) -> bool:
    """Whether ``word`` is a word of ``script`` with one or two letters of another script that look the same
    (``Cтрока``): not a name glued to a prefix (``وSimpleX``) or two words without a space (``файлуJSON``)."""
    others = [ch for ch in word if letter_script(ch) not in (script, None)]
    if not others or len(others) > 2 or len(others) * 2 >= len(word):
        return False
    return all(_look_alike(ch, script) for ch in others)


@check("invisible", Severity.ERROR, "No invisible character the source lacks: zero-width space, word joiner, "
       "byte-order mark, soft hyphen (and the zero-width joiners outside the scripts that spell with them).",
       also=[Also("bidi-controls", Severity.ERROR, "Every bidi isolate (U+2066–2069) is closed on its line, and "
                  "none closes what was never opened."),
             Also("bidi-embedding", Severity.WARNING, "A bidi embedding or override (U+202A–202E) is left open or "
                  "closes nothing (GNOME's Persian catalogs leave one open to the end of a message).")])
def invisible(pair: Pair) -> None:
    """Invisible characters added to the translation, and bidi controls left open (see the module docstring)."""
    target = pair.target
    if target.isascii():
        return
    found = set(_SILENT.findall(target))  # (a set of the text's characters cost a string per character)
    if found:
        if found & _JOINERS and locale_script(pair.tgt) in JOINER_SCRIPTS:
            found -= _JOINERS
        for ch in sorted(found - set(pair.source)):
            pair.add("invisible", f"the translation has a {_name(ch)} (U+{ord(ch):04X}) that the source does not "
                     "have")
    if _BIDI_CONTROL.search(target) and bidi_problem(pair.source) is None:
        problem = bidi_problem(target)
        if problem is None:
            return
        if _isolate(problem):
            pair.add("bidi-controls", f"a bidi isolate is unbalanced: {problem}")
        else:
            pair.add("bidi-embedding", f"a bidi embedding is unbalanced: {problem}")


def _isolate(problem: str) -> bool:
    return "isolate" in problem


@check("confusables", Severity.ERROR, "No word of the target's script holds a look-alike letter of another "
       "script (a Latin a in Кaрабах), per Unicode's TR39 confusables.",
       also=[Also("mixed-script", Severity.WARNING, "A word mixes letters of two scripts (none a look-alike)."),
             Also("numerals", Severity.ERROR, "No number is written with digits of two numeral systems (۱2۳, "
                  "Persian ۴ among Arabic-Indic ٤)."),
             Also("orthography", Severity.WARNING, "Persian text uses Persian ی and ک, not Arabic ي and ك, and "
                  "the reverse in Arabic.")])
def confusables(pair: Pair) -> None:
    """Mixed-script words, look-alike letters, mixed numeral systems and Arabic-script orthography."""
    target = pair.target
    if target.isascii():
        return
    expected = locale_script(pair.tgt)
    source_words = pair.fact("mixed", lambda: set(mixed_words(blank_placeholders(pair.source))))
    for word in mixed_words(blank_placeholders(target)):
        if word in source_words:
            continue
        scripts = {s for s in _word_scripts(word) if s is not None}
        if expected is not None and expected in scripts and _confusable(word, expected):
            pair.add("confusables", f"the word {word!r} mixes scripts ({', '.join(sorted(scripts))}) with a "
                     "look-alike letter")
        else:
            pair.add("mixed-script", f"the word {word!r} mixes scripts ({', '.join(sorted(scripts))})")
    source_numbers = set(mixed_numerals(pair.source))
    for number in mixed_numerals(target):
        if number not in source_numbers:
            pair.add("numerals", f"the number {number!r} mixes digits of two numeral systems")
    wrong = {"fa": _FA_ARABIC, "ar": _AR_PERSIAN}.get(pair.tgt.language)
    if wrong:
        letters = sorted(set(target) & set(wrong))
        if letters:
            pair.add("orthography", f"{pair.tgt.tag} text uses {', '.join(letters)} where {pair.tgt.tag} writes "
                     f"{', '.join(wrong[ch] for ch in letters)}")
