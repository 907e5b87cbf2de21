"""Number words, and whether a number reads as a figure: what the ``numbers`` checks add to reading numbers.

Numbers written in digits are read the way each locale writes them by
:mod:`polybrief.text.numbers`; this module holds what only the checks need.

Number words come from small tables (:data:`NUMBER_WORDS`) for ru and uk
(every case form listed), hy and az (the stem plus case endings, so ``երկուսը``
counts as 2 but ``երկուշաբթի``, Monday, does not) and en.  Spelled ordinals
("first") and "one" (mostly a pronoun: "no one", "one of") are ignored in
the source: the tables are tuned so the checks stay quiet on correct text,
which is why they are the checks' and not a general number reader.
:func:`looks_like_figure` decides whether a number added to a translation is
an error or only a warning.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from ..text.numbers import Number
from ..text.patterns import WORD

__all__ = [
    "NUMBER_WORDS",
    "has_number_word",
    "looks_like_figure",
    "may_have_words",
    "spelled_source_numbers",
    "words_hint",
]

#: English number words (the usual source language).  "one" is left out on purpose.
_EN_UNITS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_EN_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
             "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
            "eighty": 80, "ninety": 90}
_EN_SPELLED = re.compile(
    r"(?<![\w-])(?:(" + "|".join(_EN_TENS) + r")(?:-(one|" + "|".join(_EN_UNITS) + r"))?|("
    + "|".join([*_EN_TEENS, *_EN_UNITS]) + r"))(?![\w-])",
    re.IGNORECASE,
)

#: Armenian case endings after a number word (երկուսը, երեքի, չորսից), but not compounds
#: such as երկուշաբթի (Monday) or երեքշաբթի (Tuesday).
_HY_CASES = "{}(?:ս)?(?:ը|ն|ի|ին|ից|ով|ում|ու)?"
#: Azerbaijani case and possessive endings (ikisi, dördü, üçündən), but not altında ("under").
_AZ_CASES = "{}(?:(?:s[ıiuü]|[ıiuü])(?:n[ıiuü]n|n[aə]|nd[aə]n?|n)?|y?[aə]|d[aə]n?|l[aə]r|nc[ıiuü])?"

#: Number words in target languages, each a regex matched against a whole word
#: (lower-cased).  Inflected forms are listed (ru) or matched by stem (hy, az).
NUMBER_WORDS: dict[str, dict[int, str]] = {
    "ru": {
        1: r"од(?:ин|на|но|ного|ной|ному|ним|ну|ном)",
        2: r"дв(?:а|е|ух|ум|умя|ое|оих|оим|оими)",
        3: r"тр(?:и|[её]х|[её]м|емя|ое|оих|оим|оими)",
        4: r"четыр(?:е|[её]х|[её]м|ьмя)|четвер(?:о|ых|ым|ыми)",
        5: r"пят(?:ь|и|ью|еро|ерых|ерым)",
        6: r"шест(?:ь|и|ью|еро|ерых|ерым)",
        7: r"сем(?:ь|и|ью|еро|ерых|ерым)",
        8: r"(?:восемь|восьми|восемью|восьмеро|восьмерых)",
        9: r"девят(?:ь|и|ью|еро|ерых)",
        10: r"десят(?:ь|и|ью|еро|ерых)",
        11: r"одиннадцат(?:ь|и|ью)", 12: r"двенадцат(?:ь|и|ью)", 13: r"тринадцат(?:ь|и|ью)",
        14: r"четырнадцат(?:ь|и|ью)", 15: r"пятнадцат(?:ь|и|ью)", 16: r"шестнадцат(?:ь|и|ью)",
        17: r"семнадцат(?:ь|и|ью)", 18: r"восемнадцат(?:ь|и|ью)", 19: r"девятнадцат(?:ь|и|ью)",
        20: r"двадцат(?:ь|и|ью)", 30: r"тридцат(?:ь|и|ью)", 40: r"сорок(?:а)?",
        50: r"пят(?:ьдесят|идесяти)", 60: r"шест(?:ьдесят|идесяти)", 70: r"сем(?:ьдесят|идесяти)",
        80: r"восем(?:ьдесят|идесяти)|восьмидесяти", 90: r"девяност(?:о|а)", 100: r"ст(?:о|а)",
    },
    # Ukrainian: 5 and 9 (п'ять, дев'ять) are left out, since words are split at the apostrophe.
    "uk": {
        1: r"од(?:ин|на|но|ного|нієї|ній|ному|ним|ну|ною|ні|них|ними)",
        2: r"дв(?:а|і|ох|ом|ома|оє|ох|оїм|оїх|ома)",
        3: r"тр(?:и|ьох|ьом|ьома|оє|ох|оїм|оїх)",
        4: r"чотир(?:и|ьох|ьом|ма)|четвер(?:о|ох|ом|ьом)",
        6: r"шіст(?:ь|ьох|ьом|ьма)|шестер(?:о|ох|ом)",
        7: r"сім|сем(?:и|ох|ом|ома|еро)",
        8: r"вісім|вос(?:ьми|ьмох|ьмом|ьма|меро)",
        10: r"десят(?:ь|и|ьох|ьом|ьма|еро)",
        11: r"одинадцят(?:ь|и|ьох|ьом|ьма)", 12: r"дванадцят(?:ь|и|ьох|ьом|ьма)",
        20: r"двадцят(?:ь|и|ьох|ьом|ьма)", 30: r"тридцят(?:ь|и|ьох|ьом|ьма)", 40: r"сорок(?:а|ох|ом)?",
        100: r"ст(?:о|а)",
    },
    "hy": {
        value: _HY_CASES.format(base) for value, base in {
            1: "մեկ", 2: "երկու", 3: "երեք", 4: "չորս", 5: "հինգ", 6: "վեց", 7: "յոթ", 8: "ութ", 9: "ին(?:ը|ն)",
            10: "տաս(?:ը|ն)?", 11: "տասնմեկ", 12: "տասներկու", 13: "տասներեք", 14: "տասնչորս", 15: "տասնհինգ",
            16: "տասնվեց", 17: "տասնյոթ", 18: "տասնութ", 19: "տասնինը", 20: "քսան", 30: "երեսուն",
            40: "քառասուն", 50: "հիսուն", 60: "վաթսուն", 70: "յոթանասուն", 80: "ութսուն", 90: "իննսուն",
            100: "հարյուր",
        }.items()
    },
    "az": {
        value: _AZ_CASES.format(base) for value, base in {
            2: "iki", 3: "üç", 4: "dörd", 5: "beş", 6: "altı", 7: "yeddi", 8: "səkkiz", 9: "doqquz",
            20: "iyirmi", 30: "otuz", 40: "qırx", 50: "əlli", 60: "altmış", 70: "yetmiş", 80: "səksən",
            90: "doxsan",
        }.items()
    } | {1: "bir", 10: "on", 100: "yüz"},
    "en": {
        **{v: k for k, v in {**_EN_UNITS, **_EN_TEENS, **_EN_TENS}.items()},
        1: r"one", 100: r"hundred",
    },
}


#: Characters that match an ASCII letter case-insensitively without lower-casing to it (long s, Kelvin sign,
#: dotted and dotless i): where one is, :func:`may_have_words` cannot judge a text by its lower case.
_FOLDS_TO_ASCII = re.compile("[\u017f\u212a\u0130\u0131]")
#: ... and the ASCII letter each one matches.
_TO_ASCII = str.maketrans({"\u017f": "s", "\u212a": "k", "\u0130": "i", "\u0131": "i"})


def ascii_key(word: str) -> str:
    """A word a case-insensitive pattern of ASCII words matched, as its table spells it: lower case, and
    the characters of :data:`_FOLDS_TO_ASCII` as the letters they matched ("ſix" is "six", not a KeyError)."""
    return word.translate(_TO_ASCII).lower()


def words_hint(words: Iterable[str], end: str) -> re.Pattern[str]:
    """A case-sensitive pattern for lower-case ASCII ``words`` followed by ``end`` (the lookahead that ends the
    pattern it stands for: ``(?!\\w)`` or ``(?![\\w-])``), for :func:`may_have_words`."""
    return re.compile("(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")" + end)


def may_have_words(hint: re.Pattern[str], text: str) -> bool:
    """False only where a case-insensitive pattern whose every match ends with one of ``hint``'s ASCII words
    and the same lookahead (:func:`words_hint`) cannot match ``text``.

    Such a pattern opens with a lookbehind, so the engine tries it at every
    character; this search, of literal words in the lower-cased text, skips
    ahead in C.  Exact: case-insensitively an ASCII letter matches only its two
    cases and the characters :data:`_FOLDS_TO_ASCII` holds (those send a text
    the slow way); every other character lower-cases to one character, and
    none that is not a word character (or a hyphen) becomes one (a test checks
    both over every code point).
    """
    return _FOLDS_TO_ASCII.search(text) is not None or hint.search(text.lower()) is not None


_EN_HINT = words_hint([*_EN_TENS, *_EN_TEENS, *_EN_UNITS], r"(?![\w-])")


def spelled_source_numbers(text: str, language: str) -> list[tuple[str, int]]:
    """Numbers the source spells out, as (word, value)."""
    if language == "en":
        found: list[tuple[str, int]] = []
        if not may_have_words(_EN_HINT, text):  # (most texts: a number word ends every match)
            return found
        for m in _EN_SPELLED.finditer(text):
            if m.group(1):
                value = _EN_TENS[ascii_key(m.group(1))] + (
                    (_EN_UNITS.get(ascii_key(m.group(2)), 1)) if m.group(2) else 0)
            else:
                word = ascii_key(m.group(3))
                value = _EN_TEENS.get(word) or _EN_UNITS[word]
            found.append((m.group(0), value))
        return found
    table = NUMBER_WORDS.get(language)
    if not table:
        return []
    found = []
    for word in WORD.findall(text.lower()):
        for value, pattern in table.items():
            if value != 1 and re.fullmatch(pattern, word):
                found.append((word, value))
                break
    return found


def has_number_word(text: str, language: str, value: int) -> bool:
    """Whether ``text`` has a word for ``value`` in ``language``, cardinal or ordinal, in any case form:
    :data:`NUMBER_WORDS` first, then CLDR and the tables of :mod:`polybrief.qa.number_words`."""
    table = NUMBER_WORDS.get(language, {})
    if value in table:
        lowered = text.lower()
        for found in _number_word(language, value).finditer(lowered):
            start = found.start()
            if not start or not (lowered[start - 1].isalnum() or lowered[start - 1] == "_"):
                return True  # a whole word (what ``\w+`` makes a word) of the table's
    from .number_words import has_number_word as spelled

    return spelled(text, language, value, exact_cardinals=bool(table))


@functools.lru_cache(maxsize=256)
def _number_word(language: str, value: int) -> re.Pattern[str]:
    """:data:`NUMBER_WORDS`' pattern for ``value`` ending a word (its start is tested where one is found).

    The table's words are letters only, so one of them that begins and ends a
    run of word characters is a word of ``\\w+``: searching the text for them
    finds what matching every word of the text against them found, at a
    sixth of the cost (the search skips ahead to the words' first letters).
    """
    return re.compile(r"(?:" + NUMBER_WORDS[language][value] + r")(?!\w)")


#: A year on its own (1800–2100, no group or decimal symbol): a date, not a count.
_YEAR = re.compile(r"(?:18|19|20)\d\d|2100")
#: Letters glued to a number by a hyphen or directly: an ordinal or case ending (19-го, 2-ci, 1-ին).
_GLUED_SUFFIX = re.compile(r"[-‐‑]?[^\W\d_]")


def looks_like_figure(number: Number, text: str) -> bool:
    """Whether ``number`` in ``text`` reads as a count or amount rather than a date, year or ordinal.

    A number added to a translation is an error when it looks like a figure
    (``710 dead``, ``1.5``) and a warning otherwise: a year (``2023``), an
    ordinal or inflected number (``19-го``, ``2-ci``) or a bare 0 or 1 are
    often added for grammar or style.
    """
    if _YEAR.fullmatch(number.text):
        return False
    if number.start >= 2 and text[number.start - 1] in "-‐‑" and text[number.start - 2].isascii() \
            and text[number.start - 2].isalpha():
        return False  # part of a code or name: ISO-8859, UTF-8, COVID-19

    if _GLUED_SUFFIX.match(text, number.end) and number.value < 1000:
        return False
    return number.value > 1
