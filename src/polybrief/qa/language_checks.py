"""The checks that ask which language a translation is in: script, language, language variant, untranslated.

Each judges only what the translator wrote in their own words
(:func:`polybrief.qa.names.own_text`: names, codes, placeholders and words
copied from the source taken out), and speaks at error level only when the
evidence is long enough to be sure: fewer own words than
:data:`ERROR_MIN_WORDS` give a warning at most.  A sentence copied whole from
the source is judged on its own terms: it *is* the source language.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..provenance import Provenance
from ..text.patterns import without_links
from ..text.scripts import SCRIPT_FAMILIES, locale_script, script_counts
from .language import ALPHABETS, MARGIN, confidence, letter_evidence, siblings
from .names import accelerators_removed, blank_placeholders, name_like, own_text, vocabulary
from .registry import Also, Pair, check
from .report import Severity
from .sentences import sentences

if TYPE_CHECKING:
    from ..glossary import TermRule

__all__ = ["ERROR_MIN_WORDS", "SCRIPT_MIN_LETTERS"]

#: Own letters below which ``script`` does not judge a translation ("AFP", "TikTok").
SCRIPT_MIN_LETTERS = 8
#: Own words a translation needs before ``script``, ``language`` or ``language-variant`` may block it.
ERROR_MIN_WORDS = 4
#: Letters of own words a text needs before a detector is asked about it at all.
DETECT_MIN_LETTERS = 12
_WORDS = re.compile(r"[^\W\d_]+")
#: GNOME's message for the translators' names: a list of names and addresses in any script.
_CREDITS = re.compile(r"translator[-_ ]credits|translator_credits|TRANSLATORS?", re.IGNORECASE)


def _keep_terms(rules: Sequence[TermRule]) -> tuple[str, ...]:
    return tuple(rule.source for rule in rules if rule.keep)


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


@check("script", Severity.ERROR, "The translator's own words (names, codes, placeholders and words copied from "
       "the source aside) are mostly in the target language's script: Armenian for hy, Cyrillic for ru.",
       also=[Also("script-short", Severity.WARNING, "A few of the translator's own words (fewer than four) are "
                  "mostly in another script than the target language's.")])
def script(pair: Pair) -> None:
    """Fewer than half of the own letters in the target locale's script (:mod:`polybrief.text.scripts`).

    A text with fewer than :data:`SCRIPT_MIN_LETTERS` own letters is not
    judged, and one with fewer than :data:`ERROR_MIN_WORDS` own words is a
    warning (``script-short``): "و_سيط HTTPS" keeps a protocol's name.  A
    translation with *no* letter in the target's script, made of the
    source's own words, is the source left in, however the words were
    copied (``[ru] Key figures``): names stand beside a translation, not for it.
    """
    expected = locale_script(pair.tgt)
    if expected is None or _CREDITS.fullmatch(pair.source.strip()):
        return
    accepted = SCRIPT_FAMILIES.get(expected, frozenset({expected}))
    if _no_target_letters(pair, accepted):
        return
    if locale_script(pair.src) not in accepted and all(
            code in accepted for code in script_counts(accelerators_removed(blank_placeholders(pair.target)))):
        # Own words are taken from these letters (counted above): with none of another script, never fewer than
        # half.  (Not where the source shares the script, as az: ``language`` works out its own words anyway.)
        return
    own = own_text(pair.target, pair.source, _keep_terms(pair.rules))
    counts = script_counts(own)
    total = sum(counts.values())
    if total < SCRIPT_MIN_LETTERS:
        return
    mine = sum(n for code, n in counts.items() if code in accepted)
    if mine * 2 >= total:
        return
    others = sorted(((n, code) for code, n in counts.items() if code not in accepted and code), reverse=True)
    main = others[0][1] if others else "another script"
    name = "script" if len(own.split()) >= ERROR_MIN_WORDS else "script-short"
    pair.add(name, f"only {mine} of {total} letters of the translator's own words are in the {expected} script "
             f"expected for {pair.tgt.tag}; most are {main}")


def _no_target_letters(pair: Pair, accepted: frozenset[str]) -> bool:
    """Report (and say so) a translation of another script than the source's with no letter in its own
    script, whose words are the source's: from a translator, only prose (three words or more with a
    function word); from a model, anything.  Identical texts are ``untranslated``'s."""
    src_script = locale_script(pair.src)
    if src_script is None or src_script in accepted or pair.target.strip() == pair.source.strip():
        return False
    text = accelerators_removed(blank_placeholders(pair.target))
    counts = script_counts(text)
    if any(code in accepted for code in counts) or counts.get(src_script, 0) < SCRIPT_MIN_LETTERS:
        return False
    copied = vocabulary(pair.source)
    words = [w for w in _WORDS.findall(text) if len(w) > 2]
    if not words or sum(1 for w in words if w.casefold() in copied) * 3 < len(words) * 2:
        return False
    if pair.provenance is not Provenance.MACHINE and _prose_words(text, pair.src.language) < 3:
        return False  # a translator keeps names whole ("GNU General Public License", "Active Server Pages")
    name = "script" if len(words) >= ERROR_MIN_WORDS else "script-short"
    pair.add(name, f"no letter of the translation is in the {next(iter(sorted(accepted)))} script expected for "
             f"{pair.tgt.tag}: it is the source's words ({_clip(pair.target)})")
    return True


def _norm(sentence: str) -> str:
    return " ".join(w.casefold() for w in _WORDS.findall(accelerators_removed(sentence)))


#: Words every sentence of prose has in a language: a text without one is a list of names, codes or
#: transliterations (``_ba/va, ha/fa``), not a sentence left untranslated.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the a an of to in on at for with from by and or not no is are was were be been has have had "
                    "this that these those it its you your we our they their can will would should must may do does "
                    "if when which who what as all any".split()),
}


@functools.lru_cache(maxsize=8192)
def _prose_words(sentence: str, language: str = "en") -> int:
    """Words of ``sentence`` that read as prose (lower-case words of two letters or more, not names or codes);
    0 when none is a function word of ``language`` (:data:`FUNCTION_WORDS`)."""
    words = [w for w in _WORDS.findall(accelerators_removed(sentence)) if len(w) > 1 and not name_like(w)
             and not w[0].isupper()]
    function = FUNCTION_WORDS.get(language)
    if function is not None and not any(w.casefold() in function for w in words):
        return 0
    return len(words)


def _copied(pair: Pair) -> list[str]:
    """Target sentences that hold a source sentence, or a run of its words, copied as it is.

    A whole sentence of four or more words (three of prose), or a run of
    :data:`ERROR_MIN_WORDS` or more source words in a row with two function
    words among them ("issued a statement condemning the military
    escalation"): what a model that gave up leaves.  Names copied one or two
    at a time never make such a run.
    """
    shared = _shared_words(pair)
    if len(shared) < 3:
        return []  # no sentence of the source can be in the translation (nearly every pair)
    src = pair.fact("copied", lambda: frozenset(
        _norm(s) for s in sentences(without_links(pair.source), pair.src.language)
        if _prose_words(s, pair.src.language) >= 3))
    function = FUNCTION_WORDS.get(pair.src.language)
    out = []
    for sentence in sentences(without_links(pair.target), pair.tgt.language):
        if _norm(sentence) in src and len(_WORDS.findall(sentence)) >= ERROR_MIN_WORDS:
            out.append(sentence)
        elif function is not None and _copied_run(sentence, shared, function):
            out.append(sentence)
    return out


#: Every character of a word (what ``[^\W\d_]`` matches) whose casefold is ASCII: the ASCII letters, ß and ẞ
#: (ss), the long s, the Kelvin sign and the Latin ligatures ﬀ to ﬆ (a test scans all of Unicode for more).
_ASCII_FOLDING = "A-Za-z\u00df\u017f\u1e9e\u212a\ufb00-\ufb06"
#: A word of such characters only (no other word character beside it): starts with one, so the engine skips
#: ahead to them in C; ``*+`` gives nothing back, since a character given back is a word's and ends no match.
_ASCII_FOLDING_WORD = re.compile(f"[{_ASCII_FOLDING}](?<![^\\W\\d_][{_ASCII_FOLDING}])[{_ASCII_FOLDING}]*+(?![^\\W\\d_])")


def _shared_words(pair: Pair) -> frozenset[str]:
    """The words (casefolded) the translation shares with its source: ``vocabulary(source) & vocabulary(target)``.

    When every word of the source folds to ASCII (an English source), only a
    word of the translation that folds to ASCII can be one of them, and
    those are looked for alone (in a Cyrillic or Armenian translation, a few
    names), not every word of the translation.
    """
    source_words = vocabulary(pair.source)
    if not pair.fact("vocabulary-ascii", lambda: all(map(str.isascii, source_words))):
        return source_words & vocabulary(pair.target)
    text = accelerators_removed(blank_placeholders(pair.target))
    return source_words & frozenset(map(str.casefold, _ASCII_FOLDING_WORD.findall(text)))


def _copied_run(sentence: str, shared: frozenset[str], function: frozenset[str]) -> bool:
    """Whether ``sentence`` has :data:`ERROR_MIN_WORDS` words of ``shared`` in a row, two of them function words."""
    run = grammar = 0
    for word in _WORDS.findall(accelerators_removed(sentence)):
        folded = word.casefold()
        if folded in shared:
            run += 1
            grammar += folded in function
            if run >= ERROR_MIN_WORDS and grammar >= 2:
                return True
        else:
            run = grammar = 0
    return False


@check("language", Severity.ERROR, "No sentence is still in the source language: copied from the source, or "
       "four or more of the translator's own words that a language identifier reads as the source language by a "
       "clear margin.",
       also=[Also("language-short", Severity.WARNING, "Two or three of the translator's own words in a sentence read "
                  "as the source language.")])
def language(pair: Pair) -> None:
    """Each target sentence: copied from the source, or the source language by :data:`~polybrief.qa.language.MARGIN`.

    This is what catches one English sentence left in an Azerbaijani or
    Russian paragraph: the script check passes (az is Latin; the rest of a
    Russian text is Cyrillic).  A target identical to its source is left to
    ``untranslated``.  The detector sees only own words
    (:func:`~polybrief.qa.names.own_text`), so "NetworkManager не запущен" or
    "Доклад Amnesty International" is never English.
    """
    if pair.src.language == pair.tgt.language or pair.target.strip() == pair.source.strip():
        return
    copied = _copied(pair)
    for sentence in copied:
        pair.add("language", f"a sentence is still in {pair.src.english_name}, copied from the source: "
                 f"{_clip(sentence)}")
    if _CREDITS.fullmatch(pair.source.strip()):
        return
    src_script = locale_script(pair.src)
    if src_script is not None and src_script != locale_script(pair.tgt) and not script_counts(
            accelerators_removed(blank_placeholders(pair.target))).get(src_script):
        return  # own words are taken from these letters (counted by ``script``): none in the source's script
    keep = _keep_terms(pair.rules)
    if len(_foreign(own_text(pair.target, pair.source, keep), src_script)) < 2:
        return  # not two own words in the source's script in the whole translation
    languages = (pair.src.language, pair.tgt.language)
    for sentence in sentences(without_links(pair.target), pair.tgt.language):
        if sentence in copied:
            continue
        own = own_text(sentence, pair.source, keep)
        # A capitalised word other than the first is a name (English capitalises names; Henrix Mxitaryan).
        words = [w for i, w in enumerate(_foreign(own, src_script)) if i == 0 or not w[0].isupper()]
        if len(words) < 2 or sum(map(len, words)) < DETECT_MIN_LETTERS:
            continue
        if src_script is not None and sum(map(len, words)) * 2 < sum(script_counts(own).values()):
            continue  # mostly the target's own script: a few foreign words in a translated sentence
        scores = confidence(" ".join(words), languages)
        if scores.get(pair.src.language, 0.0) >= MARGIN:
            name = "language" if len(words) >= ERROR_MIN_WORDS else "language-short"
            pair.add(name, f"a sentence is still in {pair.src.english_name}: {_clip(sentence)}")


def _foreign(own: str, script: str | None) -> list[str]:
    """The words of ``own`` of two letters or more in ``script`` (all of them when it is None)."""
    if script is None:
        return [w for w in own.split() if len(w) > 1]
    return _words_in(own, script)


def _words_in(own: str, script: str) -> list[str]:
    """The words of ``own`` of two letters or more mostly in ``script`` (:func:`_in_script`).

    Own words are letters (and the odd numeric sign such as ``²``), so an
    ASCII one is Latin through and through.  The letters of the whole text
    decide most words at once (:func:`~polybrief.text.scripts.script_counts`,
    counted once per text): none in ``script``, no word is; all in it, a
    word of letters only is.
    """
    counts = script_counts(own)
    if not counts.get(script):
        return []
    if len(counts) == 1:  # every letter of the text in ``script``
        return [w for w in own.split() if len(w) > 1 and (w.isalpha() or _in_script(w, script))]
    latin = script == "Latn"
    return [w for w in own.split() if len(w) > 1 and (latin if w.isascii() else _in_script(w, script))]


@functools.lru_cache(maxsize=16384)
def _in_script(word: str, script: str) -> bool:
    counts = script_counts(word)
    return counts.get(script, 0) * 2 > sum(counts.values())


@check("language-variant", Severity.ERROR, "The translation is not in a language of the same script that readers "
       "and models confuse with the target's (Russian in a Ukrainian catalog, Arabic in a Persian one).",
       also=[Also("language-variant-short", Severity.WARNING, "A short translation (fewer than four own words) reads "
                  "as a language of the same script rather than the target's.")])
def language_variant(pair: Pair) -> None:
    """The target language's confidence compared with its script siblings' (:data:`~polybrief.qa.language.SCRIPT_SIBLINGS`).

    Only the translator's own words in the target's script are asked about,
    and only when there are :data:`DETECT_MIN_LETTERS` letters of them; a
    sibling must win by :data:`~polybrief.qa.language.MARGIN`.
    """
    others = siblings(pair.tgt.language)
    if not others or pair.src.language in others or pair.src.language == pair.tgt.language:
        return
    expected = locale_script(pair.tgt)
    if _no_sibling_letters(accelerators_removed(blank_placeholders(pair.target)), pair.tgt.language, others):
        return  # no own words could point to a sibling: no need to work them out
    own = own_text(pair.target, pair.source, _keep_terms(pair.rules))
    words = [w for w in own.split() if len(w) > 1] if expected is None else _words_in(own, expected)
    if len(words) < 2 or sum(map(len, words)) < DETECT_MIN_LETTERS:
        return
    text = " ".join(words)
    if not any(letter_evidence(text, pair.tgt.language, other) for other in others):
        return  # the letters say the target language: no need to ask the detector
    scores = confidence(text, (pair.tgt.language, *others))
    if not scores:
        return
    best = max(scores, key=lambda code: scores[code])
    if best != pair.tgt.language and scores[best] >= MARGIN and letter_evidence(text, pair.tgt.language, best):
        name = "language-variant" if len(words) >= ERROR_MIN_WORDS else "language-variant-short"
        pair.add(name, f"the translation reads as {best}, not {pair.tgt.tag}: {_clip(pair.target)}")


def _no_sibling_letters(text: str, language: str, others: tuple[str, ...]) -> bool:
    """Whether no words taken from ``text`` (own words: some of its words, in order, joined by single spaces)
    can have :func:`~polybrief.qa.language.letter_evidence` for any of ``others``: none of a sibling's own
    letters is in ``text`` lower-cased, or, for a sibling without letters of its own, ``text`` is too short.

    Lower-casing goes character by character but for the capital sigma (final or not by its place), which
    sends a text the slow way; a test compares with the evidence of own words worked out.
    """
    if "\u03a3" in text:
        return False
    lowered = text.lower()
    for other in others:
        theirs = ALPHABETS.get(other, frozenset()) - ALPHABETS.get(language, frozenset())
        # (a substring search per letter: ``isdisjoint`` of a text hashed its every character)
        if any(letter in lowered for letter in theirs) if theirs else len(lowered) >= 40:
            return False
    return True


@check("untranslated", Severity.ERROR, "The translation is the source text itself, four or more words of prose in "
       "the source language (names, numbers, codes and do-not-translate terms excepted).",
       also=[Also("untranslated-short", Severity.WARNING, "The translation is identical to a source text of fewer "
                  "words of prose (Civilian Casualties), which may be a name or a title kept on purpose.")])
def untranslated(pair: Pair) -> None:
    """The target equals the source, in a different language.

    Not reported when the source is one word ("TikTok", "AFP", "2023"), only
    names, codes and numbers, or a do-not-translate glossary term: those are
    the same in every language.  Four or more words of prose that a language
    identifier reads as the source language (a Latin target such as az) or
    that are not in the target's script are an error; two or three a warning.
    """
    if pair.target.strip() != pair.source.strip() or pair.src.language == pair.tgt.language:
        return
    text = pair.source.strip()
    if any(rule.keep and rule.source.lower() == text.lower() for rule in pair.rules):
        return
    words = _WORDS.findall(accelerators_removed(text))
    if len(text.split()) < 2 or not words or all(name_like(w) for w in words):
        return  # one token, or only names, codes and numbers: the same in every language
    prose = _prose_words(text, pair.src.language)
    name = "untranslated-short"
    if prose >= ERROR_MIN_WORDS:
        src_script, tgt_script = locale_script(pair.src), locale_script(pair.tgt)
        if src_script != tgt_script or confidence(text, (
                pair.src.language, pair.tgt.language)).get(pair.src.language, 0.0) >= MARGIN:
            name = "untranslated"
    pair.add(name, "the translation is identical to the source text")
