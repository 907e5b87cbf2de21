"""Numbers spelled out, cardinal and ordinal, in every language the checks read: CLDR first, tables where it is silent.

A translation may write "2" as ``двое``, ``ორი``, ``دو``, the Arabic dual
``مدنيان``, "2nd" as ``второй``, ``İkinci``, ``الثاني``, "12th tab" as
``On ikinci``.  :func:`has_number_word` says whether a text has a word (or
words) for a value, so the ``numbers`` check reports such a number as spelled
out (a warning) rather than missing (an error).

Where the words come from
-------------------------
1. **CLDR's rule-based number formats (RBNF)**, through ``unicode-rbnf``, a
   maintained pure-Python reader of CLDR's RBNF data (MIT).  It spells every
   cardinal in all seven measured languages, with every gender and case in
   Russian, and the ordinals of ru, az and ar.  PyICU would give the same
   data through ICU, but it has no wheel for Python 3.11 on PyPI (``pip
   download pyicu --only-binary=:all:`` finds none; building it needs
   ``libicu-dev``), so it is not a dependency.
2. **num2words** (LGPL) for what CLDR lacks in Ukrainian: the case forms of
   cardinals (``двох``, ``п'ятьма``) and the ordinals (``п'ятий``).
3. **Tables here** only where neither has the words, each checked against
   what the library said:

   * Armenian, Georgian and Persian ordinals: CLDR has no ordinal rules for
     hy, ka or fa, num2words has no hy or ka, and its Persian ordinal of 30
     is ``سیم`` (checked with num2words 0.5.14), which is not a word; Persian
     writes ``سی‌ام``.  The rules are regular: hy cardinal + ``երորդ``
     (``հինգերորդ``; 1–4 are irregular), ka ``მე`` + stem + ``ე``
     (``მეხუთე``), fa cardinal + ``م``/``مین``.
   * Collective numerals, which neither library has: ru ``двое``…``десятеро``,
     uk ``двоє``…``десятеро``.
   * The Arabic dual: "two civilians" is one word, ``مدنيان``/``مدنيين``; no
     number word exists to find, so for 2 a dual ending counts.

Matching
--------
Words are compared casefolded — with the Turkic rule for az and tr, where
``İki`` folds to ``iki`` (Python's ``"İ".lower()`` is ``i̇``, which matched
nothing) — and with Arabic letter variants folded (``إثنان`` = ``اثنان``).
Inflected forms are matched by stem: a case ending after the last word in
agglutinative languages (``beşinci``-``dən``, ``ათას``-``ზე``), an
adjective ending on Slavic ordinals, Arabic's ``ال``/``و``/``ب`` prefixes.
The libraries are imported on the first missing number only.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["has_number_word", "spellings", "turkic_fold"]

#: Languages whose case endings follow the last word of a number (suffix up to six letters).
_AGGLUTINATIVE = frozenset({"hy", "az", "tr", "ka", "kk", "ky", "uz", "tk", "tt", "ba", "fi", "et", "hu", "fa"})
#: Slavic languages: ordinals and collectives decline like adjectives.
_SLAVIC = frozenset({"ru", "uk", "be", "bg", "pl", "cs", "sk", "sl", "hr", "sr", "bs", "mk"})
_TURKIC = frozenset({"az", "tr", "kk", "tt", "crh", "gag"})
#: Case endings of Slavic numerals and ordinals (второй → второго, not вторник, Tuesday).
_SLAVIC_ENDINGS = frozenset(
    "ый ой ий ая яя ое ее ые ие ого его ому ему ым им ом ем ых их ыми ими ую юю ей ью ю а я у е и ь "
    "ої ій ім ою ої ього ьому ьох ьом ьма ьма ох ом ома ої оє".split())
#: Languages whose spellings are matched as written (no inflection to read off).
_EXACT: frozenset[str] = frozenset()
#: The Arabic prefixes a number word may carry: "and", "then", "with", "for", "like", then "the".
_AR_PREFIX = re.compile(r"^(?:[وف])?(?:[بلك])?(?:ال)?")
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None,
                          "\u064b": None, "\u064c": None, "\u064d": None, "\u064e": None, "\u064f": None,
                          "\u0650": None, "\u0651": None, "\u0652": None})
_APOSTROPHES = str.maketrans({"ʼ": "'", "’": "'", "`": "'"})
#: A word: letters, with apostrophes inside (uk п'ять); hyphens and ZWNJ split words (سه‌بعدی, მე-5).
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")

_RU_COLLECTIVE = {2: "двое двоих двоим двоими", 3: "трое троих троим троими", 4: "четверо четверых четверым",
                  5: "пятеро пятерых пятерым", 6: "шестеро шестерых", 7: "семеро семерых", 8: "восьмеро восьмерых",
                  9: "девятеро девятерых", 10: "десятеро десятерых"}
_UK_COLLECTIVE = {2: "двоє двох двом двома", 3: "троє трьох трьом трьома", 4: "четверо чотирьох",
                  5: "п'ятеро п'ятьох п'ятьом", 6: "шестеро шістьох", 7: "семеро сімох", 8: "восьмеро вісьмох",
                  9: "дев'ятеро дев'ятьох", 10: "десятеро десятьох"}
_HY_ORDINAL = {1: "առաջին", 2: "երկրորդ", 3: "երրորդ", 4: "չորրորդ"}
_FA_ORDINAL = {1: ("اول", "یکم", "نخست", "نخستین", "اولین"), 2: ("دوم", "دومین"), 3: ("سوم", "سومین")}


def turkic_fold(text: str) -> str:
    """Casefolding with the Turkic dotted and dotless i: ``İki`` → ``iki``, ``IRAQ`` → ``ıraq``."""
    return text.replace("İ", "i").replace("I", "ı").lower()


def _fold(text: str, language: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    if language in _TURKIC:
        return turkic_fold(text)
    if language in ("ar", "fa", "ur", "ps"):
        text = text.translate(_AR_FOLD)
    return text.casefold()


@functools.lru_cache(maxsize=4096)
def _words(text: str, language: str) -> tuple[str, ...]:
    words = _WORD.findall(_fold(text.replace("\u200c", " "), language))
    if language == "ar":
        words = [_AR_PREFIX.sub("", w) if len(w) > 3 else w for w in words]
    return tuple(words)


def _rbnf(language: str, value: int, *, ordinal: bool = False) -> list[str]:
    """Every spelling CLDR's rule-based formats give ``value`` in ``language`` (cardinals or ordinals)."""
    engine = _engine(language)
    if engine is None:
        return []
    from unicode_rbnf import FormatPurpose
    from unicode_rbnf.engine import RbnfError

    purpose = FormatPurpose.ORDINAL if ordinal else FormatPurpose.CARDINAL
    try:
        return list(engine.format_number(value, purpose).text_by_ruleset.values())  # type: ignore[attr-defined]
    except (RbnfError, ValueError, KeyError, IndexError, RecursionError, TypeError):
        return []  # no rules of that purpose in this language


@functools.lru_cache(maxsize=16)
def _engine(language: str) -> object | None:
    try:
        from unicode_rbnf import RbnfEngine
    except ImportError:  # pragma: no cover - a core dependency
        return None
    try:
        return RbnfEngine.for_language(language)
    except (ValueError, FileNotFoundError, KeyError, OSError):
        return None


def _num2words(language: str, value: int, *, ordinal: bool = False) -> list[str]:
    """Ukrainian case forms or ordinals from num2words (CLDR has neither)."""
    if language != "uk":
        return []
    try:
        from num2words import num2words
    except ImportError:  # pragma: no cover - a core dependency
        return []
    calls: list[dict[str, str]] = [{"to": "ordinal"}] if ordinal else [
        {"case": case, "gender": gender} for case in ("nominative", "genitive", "dative", "accusative",
                                                      "instrumental", "locative")
        for gender in ("masculine", "feminine", "neuter")]
    out = []
    for kwargs in calls:
        try:
            out.append(num2words(value, lang="uk", **kwargs))
        except (TypeError, ValueError, KeyError, IndexError, NotImplementedError, OverflowError):
            continue  # num2words 0.5.14 has no Ukrainian ordinal of 0
    return out


def _ordinals_by_rule(language: str, cardinals: Iterable[str], value: int) -> list[str]:
    """hy, ka and fa ordinals from the cardinal (see the module docstring)."""
    out: list[str] = []
    for cardinal in cardinals:
        if language == "hy":
            if value in _HY_ORDINAL:
                out.append(_HY_ORDINAL[value])
            elif cardinal.endswith("ը"):
                out.append(cardinal[:-1] + "ներորդ")  # ինը → իններորդ, տասը → տասներորդ
            else:
                out.append(cardinal + "երորդ")
        elif language == "ka":
            if value == 1:
                out.append("პირველი")
                continue
            head, sep, last = cardinal.rpartition("და")
            last = last if last and sep else cardinal
            head = head + sep if sep else ""
            out.append(head + "მე" + (last[:-1] if last.endswith(("ი", "ა")) else last) + "ე")
        elif language == "fa":
            out.extend(_FA_ORDINAL.get(value, ()))
            if value not in _FA_ORDINAL:
                joiner = "\u200cا" if cardinal.endswith("ی") else ""
                out += [cardinal + joiner + "م", cardinal + joiner + "مین"]
    return out


@functools.lru_cache(maxsize=2048)
def spellings(language: str, value: int, *, ordinal: bool = False) -> tuple[tuple[str, ...], ...]:
    """Every way ``language`` spells ``value`` as words (its ordinals with ``ordinal``), folded; each
    spelling a tuple of words."""
    cardinals = list(dict.fromkeys(_rbnf(language, value)))
    if ordinal:
        texts = _rbnf(language, value, ordinal=True) + _num2words(language, value, ordinal=True)
        texts += _ordinals_by_rule(language, cardinals[:1], value)
    else:
        texts = cardinals + _num2words(language, value)
        texts += {"ru": _RU_COLLECTIVE, "uk": _UK_COLLECTIVE}.get(language, {}).get(value, "").split()
    one = _rbnf(language, 1)[:1]
    out: dict[tuple[str, ...], None] = {}
    for text in texts:
        words = _words(text, language)
        if not words:
            continue
        out[words] = None
        if one and len(words) > 1 and words[0] in _words(one[0], language):
            out[words[1:]] = None  # "one thousand" is "thousand" (bir min → min)
        elif one and len(words[0]) > len(one[0]) and words[0].startswith(one[0]):
            out[(words[0][len(one[0]):], *words[1:])] = None  # hy մեկհարյուր → հարյուր
    return tuple(out)


def _matches(word: str, spelled: str, language: str, last: bool) -> bool:
    if word == spelled:
        return True
    if not last or len(spelled) < 2 or language in _EXACT:
        return False
    if language in _AGGLUTINATIVE:
        stem = spelled[:-1] if language == "ka" and spelled.endswith(("ი", "ა")) else spelled
        return word.startswith(stem) and len(word) - len(stem) <= 6
    if language in _SLAVIC and len(spelled) >= 5:
        return word.startswith(spelled[:-2]) and word[len(spelled) - 2:] in _SLAVIC_ENDINGS
    if language == "ar":  # a feminine or construct form: ثمانية → ثمان, ستة → ست
        return (word.startswith(spelled) and len(word) - len(spelled) <= 2) or (
            len(word) >= 3 and spelled in (word + "ه", word + "يه"))
    return False


def _dual(words: tuple[str, ...]) -> bool:
    """An Arabic dual (مدنيان, مدنيين, الطائرتين): what "two" is in Arabic when nothing else says it."""
    return any(len(w) >= 5 and w.endswith(("ان", "ين")) for w in words)


@functools.lru_cache(maxsize=32)
def _day_names(language: str) -> frozenset[str]:
    """The language's weekday names, folded: never number words, though many are built on one (ორშაბათი,
    երկուշաբթի, вторник)."""
    from babel.dates import get_day_names

    names: set[str] = set()
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            try:
                names |= {w for name in get_day_names(width, context, language).values() for w in _words(name, language)}
            except (ValueError, LookupError):
                continue
    return frozenset(names)


def has_number_word(text: str, language: str, value: int, *, exact_cardinals: bool = False) -> bool:
    """Whether ``text`` has a word (or words) for ``value`` in ``language``, cardinal or ordinal, in any case.

    ``exact_cardinals``: cardinals only as CLDR writes them, no ending read
    off (for languages whose inflected cardinals a table of their own lists:
    a stem would take ``երկուշաբթի``, Monday, for ``երկու``, or ``altında``,
    "under", for ``altı``).  Ordinals always take endings: theirs are
    distinctive (``-երորդ``, ``-inci``).
    """
    if value < 0 or value > 10**12:
        return False
    days = _day_names(language)
    words = tuple(w for w in _words(text, language) if w not in days)
    if not words:
        return False
    if language == "ar" and value == 2 and _dual(words):
        return True
    for ordinal in (False, True):
        loose = ordinal or not exact_cardinals
        for spelled in spellings(language, value, ordinal=ordinal):
            n = len(spelled)
            for start in range(len(words) - n + 1):
                if all(words[start + k] == spelled[k] or (loose and _matches(words[start + k], spelled[k], language,
                                                                                   k == n - 1))
                       for k in range(n)):
                    return True
    return False
