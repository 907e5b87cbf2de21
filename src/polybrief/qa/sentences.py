"""Sentences, repetitions, edges and end punctuation: what the sentence-level checks compare.

A translation is compared with its source sentence by sentence, with the
segmenter machine translation uses (:func:`polybrief.text.sentences.plan_segment`,
sentencex), so a segment is cut the same way for a model and for its checks,
and the Armenian full stop ``։`` ends a sentence as ``.`` does.  Splitting is
cached per (text, language): publishing checks the same texts in several
passes (catalog, machine output, page) and briefs repeat sentences.

End punctuation
---------------
:data:`FULL_STOPS` says what ends a declarative sentence in a language:
``։`` in Armenian (a Latin ``.`` at the end of an Armenian sentence is the
classic slip of keyboards and models), ``.`` or the Urdu-style ``۔`` in
Persian, ``。`` in Chinese and Japanese, ``।`` in Hindi and Bengali, and
``.`` everywhere else.  :data:`QUESTION_MARKS` and :data:`EXCLAMATION_MARKS`
do the same for the other endings (Greek asks with ``;``, Arabic-script
languages with ``؟``; Armenian marks questions and exclamations on a word
and still ends with ``։``).  An ellipsis ends a sentence in every language.
Closing quotation marks and brackets after the mark are skipped, so
``"stable."`` ends with a full stop.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from ..text.sentences import plan_segment, sentence_cores

__all__ = [
    "EXCLAMATION_MARKS",
    "FULL_STOPS",
    "QUESTION_MARKS",
    "doubled_word",
    "end_mark",
    "ending_marks",
    "looped_phrase",
    "repeated_sentences",
    "sentences",
]

#: What ends a declarative sentence, by language (``.`` for languages not listed).
FULL_STOPS: dict[str, str] = {
    "hy": "։", "fa": ".۔", "ur": "۔", "zh": "。.", "ja": "。.", "hi": "।.", "bn": "।", "mr": ".।", "ne": "।.",
    "am": "።", "ti": "።", "my": "။", "bo": "།", "th": ".",
}
#: Question marks by language (``?`` for languages not listed).
QUESTION_MARKS: dict[str, str] = {
    "hy": "։?՞", "ar": "؟?", "fa": "؟?", "ur": "؟?", "ps": "؟?", "el": ";;?", "zh": "？?", "ja": "？?", "am": "፧?",
}
#: Exclamation marks by language (``!`` for languages not listed).
EXCLAMATION_MARKS: dict[str, str] = {"hy": "։!՜", "zh": "！!", "ja": "！!"}
_ELLIPSIS = "…"
#: Every mark that ends a sentence in some language (to tell "ends with the wrong mark" from "ends with none").
_ANY_END = ".!?։。！？।۔።၊။؟;;…՞՜"
#: What may follow the end mark: closing quotation marks, brackets and spaces.
_CLOSERS = "\"'»”’“›)]}」』 \t\n\u00a0\u202f"
_WORDS = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
#: What is not a letter of a word of :data:`_WORDS` (every letter is in one): two sentences with the same
#: words casefolded have the same letters casefolded once these are taken out, a cheaper test to run first.
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_TOKENS = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
#: The same word twice in a row, separated by white space only (``the the``).  (The possessive ``{2,}+`` and
#: ``++`` give nothing back: a letter is never white space, nor white space the start of a word, so backtracking
#: into them never found a match; it only re-read every word letter by letter.)
_DOUBLED = re.compile(r"(?<![\w-])([^\W\d_]{2,}+)\s++(\1)(?![\w-])", re.IGNORECASE)


@functools.lru_cache(maxsize=2048)  # a brief's texts in every language (see names.TEXT_CACHE)
def sentences(text: str, language: str) -> tuple[str, ...]:
    """The sentences of ``text`` that have letters or digits, as the MT segmenter cuts them
    (:func:`~polybrief.text.sentences.plan_segment`'s parts; the others are white space)."""
    cores = sentence_cores(text, lang=language)
    if all(any(map(str.isalpha, core)) for core in cores):
        return tuple(cores)  # every core a sentence of the plan, the rest white space (the usual case)
    plan = plan_segment(text, lang=language)  # a core without letters is layout, merged with what is beside it
    return tuple(part for is_sentence, part in plan.parts if part.strip() and any(ch.isalnum() for ch in part))


def ending_marks(language: str) -> tuple[str, str, str]:
    """The full stops, question marks and exclamation marks of ``language`` (each with the ellipsis)."""
    return (FULL_STOPS.get(language, ".") + _ELLIPSIS, QUESTION_MARKS.get(language, "?") + _ELLIPSIS,
            EXCLAMATION_MARKS.get(language, "!") + _ELLIPSIS)


def end_mark(text: str) -> str | None:
    """The sentence-ending mark ``text`` ends with (closing quotes and brackets skipped), or None."""
    core = text.rstrip(_CLOSERS)
    if core.endswith("..."):
        return _ELLIPSIS
    if core and core[-1] in _ANY_END:
        return core[-1]
    return None


def _norm(sentence: str) -> str:
    return " ".join(map(str.casefold, _WORDS.findall(sentence)))


def repeated_sentences(items: tuple[str, ...]) -> list[str]:
    """Sentences (of two or more words) that occur more than once, compared by their words."""
    if len(items) < 2:
        return []
    firsts = [_first_word(item) for item in items]
    if len(set(firsts)) == len(firsts):
        return []  # no two sentences with the same first word, so none with the same words (the usual case)
    letters = [_NOT_LETTERS.sub("", item).casefold() for item in items]
    if len(set(letters)) == len(letters):
        return []  # no two sentences with the same letters, so none with the same words (the usual case)
    norms = dict(zip(items, map(_norm, items)))  # each sentence's words once (a sentence twice: the same)
    counts = Counter(n for n in map(norms.__getitem__, items) if n.count(" ") >= 1)
    return [s for s, n in norms.items() if counts.get(n, 0) > 1]


def _first_word(sentence: str) -> str:
    """The first word of :func:`_norm`'s (casefolded; no letter casefolds to a space), "" for none: a search
    that stops at it, where taking out every character but letters read the whole sentence."""
    m = _WORDS.search(sentence)
    return "" if m is None else m.group(0).casefold()


def looped_phrase(text: str, *, min_words: int = 3) -> str | None:
    """A run of words a decoder caught in a loop repeats: ``min_words`` or more words twice back to
    back (``in the region in the region``), or one or two words three times (``через кілька через
    кілька через кілька``).  Translators do neither; a word said twice is :func:`doubled_word`'s.
    """
    words = _folded_tokens(text)  # numbers count: "value 1, value 2" is no loop
    n = len(words)
    if len(set(zip(words, words[1:]))) == max(n - 1, 0):
        return None  # no pair of words occurs twice: nothing can repeat (the usual case)
    for size, starts in _repeat_starts(words):
        times = 2 if size >= min_words else 3
        for start in starts:
            if start > n - times * size:
                break
            run = words[start:start + size]
            if all(words[start + k * size:start + (k + 1) * size] == run for k in range(1, times)):
                return " ".join(run)
    return None


#: The one character that casefolds to a single character of another kind for :data:`_TOKENS` (a word
#: character, a joining mark or neither): U+0345, a combining mark, folds to the letter ι (a test scans Unicode).
_FOLDS_ACROSS = "\u0345"


def _folded_tokens(text: str) -> list[str]:
    """The words of :data:`_TOKENS` in ``text``, each casefolded.

    Casefolding goes character by character and never drops one, so where
    the folded text is as long as the text, each character folded to one
    character of the same kind, and the words of the folded text are the
    words of the text folded: one casefold and one search in C instead of a
    casefold per word.
    """
    folded = text.casefold()
    if len(folded) == len(text) and _FOLDS_ACROSS not in text:
        return _TOKENS.findall(folded)
    return list(map(str.casefold, _TOKENS.findall(text)))


def _repeat_starts(words: list[str]) -> list[tuple[int, list[int]]]:
    """(size, starts) in increasing order, for every start whose word comes back ``size`` words on.

    A run repeats only where its first word comes back, so :func:`looped_phrase` tries those
    starts alone, in the order it would try every start (by size, then start).
    """
    positions: dict[str, list[int]] = {}
    for index, word in enumerate(words):
        positions.setdefault(word, []).append(index)
    limit = len(words) // 2
    starts: dict[int, list[int]] = {}
    for found in positions.values():
        for i, first in enumerate(found):
            for later in found[i + 1:]:
                if later - first > limit:
                    break
                starts.setdefault(later - first, []).append(first)
    return [(size, sorted(starts[size])) for size in sorted(starts)]


def doubled_word(text: str) -> str | None:
    """A word written twice in a row (``the the``), or None.  Words of one letter are not counted."""
    m = _DOUBLED.search(text)
    return m.group(1) if m else None
