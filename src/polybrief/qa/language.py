"""Which language a sentence is in, and whether a text still says "not".

Language identification
-----------------------
The ``language`` check asks one question of each target sentence: is it
still in the source language?  Script checks cannot answer it when source and
target share a script (English left in an Azerbaijani paragraph), and a
single English sentence in an Armenian paragraph does not tip the majority of
letters.  The detector is :mod:`lingua` (``lingua-language-detector``),
restricted to the two languages of the pair, in low-accuracy mode.

Measured by ``python -m bench.qa_langid`` on the sentences of the shipped
hy/az/ru/uk catalogs and their English sources (418 sentence/language
decisions), plus their first 2, 3 and 4 words (876 short texts), on this
2-core machine shared with other jobs (so per-text times are rough):

=====================================  ========  ========  ============  ==================  ================
detector (two-language decision)       full      short     per text      first use           wheel
=====================================  ========  ========  ============  ==================  ================
py3langid 0.4.0, rank of the pair      99.8 %    99.3 %    0.05–0.2 ms   0.6–1.0 s, +92 MB   4.6 MB + numpy
                                                                         RSS                 (16 MB)
lingua 2.1.1, high accuracy            100 %     99.7 %    0.6–0.8 ms    0.9–1.0 s, +96 MB   96 MB
lingua 2.1.1, low accuracy (chosen)    99.8 %    99.0 %    0.01–0.14 ms  0.02–0.13 s, +9 MB  96 MB
=====================================  ========  ========  ============  ==================  ================

On the hy/az/ru part, every miss of every detector was a proper name
(``Henrix Mxitaryan``, ``The Kremlin``), which the check removes before
asking.  Asked over all their languages instead of the pair, both were far
worse on short text (py3langid 79 %, lingua 90.5 %), which is why the question is always "source
or target?".  So accuracy does not decide; cost does.  py3langid decompresses
its whole 97-language model on first use (0.6–1 s and 92 MB in every process
that checks a Latin-script sentence, against a 0.5 s publish of the example
and a memory budget of 300 MB for 10 000 briefs), and scores in Python per
byte; lingua's low-accuracy mode loads only the two trigram models it needs
(0.02–0.13 s, 9 MB) and scores in Rust.  lingua's larger wheel (96 MB on disk,
all models) is paid once per install, not per run.

Sentences are only asked about when they could be in the source language:
two or more words that are not names (capitalised inside the sentence, all
capitals, camel case), numbers or do-not-translate glossary terms, and at
least half of their letters in the source language's script (an Armenian
sentence is never sent to the detector).  Answers are cached per (sentence,
source, target).

Negation
--------
A translation that drops "not" says the opposite of its source and passes
every other check.  :data:`NEGATION_MARKERS` lists, per target language,
what can carry a negation (ru ``не``/``ни``/``нет`` and ``ни``-pronouns,
hy ``չ``-verbs and ``ոչ``, az verb forms in ``-ma``/``-mə``/``-mır`` and
``deyil``/``yox``, uk ``не``/``ні``); it errs towards *more* markers (any
Armenian word in ``չ``, ``չորս`` (four) included), so a missing marker is a
strong sign and a present one proves nothing.  Two negations in the source
and one in the translation go unseen.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import TYPE_CHECKING, Any

from ..text.scripts import script_counts

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["NEGATION_MARKERS", "SOURCE_NEGATIONS", "candidate_words", "has_negation", "source_negations",
           "still_in_language"]

log = logging.getLogger(__name__)

#: Words that negate an English sentence.
SOURCE_NEGATIONS: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"(?<![\w'’-])(?:not|never|no|none|nobody|nothing|neither|nor|cannot|without)(?![\w'’-])"
                     r"|\w(?:n't|n’t)(?!\w)", re.IGNORECASE),
}
#: What can carry a negation in a target language (see the module docstring: generous on purpose).
NEGATION_MARKERS: dict[str, re.Pattern[str]] = {
    # Whole words (and ни-/ні- pronouns), lower or sentence case only: ``Никол`` is a name, not ``ни``.
    "ru": re.compile(r"(?<!\w)(?:[Нн]е|[Нн]и|[Нн]ет|[Бб]ез|[Нн]ельзя)(?!\w)"
                     r"|(?<!\w)[Нн]и(?:кто|что|чего|чем|кого|кому|когда|где|куда|откуда|как|какой|какая|какое"
                     r"|какие|каких|сколько)\w*"),
    "uk": re.compile(r"(?<!\w)(?:[Нн]е|[Нн]і|[Нн]ема|[Нн]емає|[Бб]ез)(?!\w)"
                     r"|(?<!\w)[Нн]і(?:хто|що|чого|чим|кого|кому|коли|де|куди|звідки|як|який|яка|яке|які|яких"
                     r"|скільки)\w*"),
    "be": re.compile(r"(?<!\w)(?:[Нн]е|[Нн]і|[Нн]яма|[Бб]ез)(?!\w)|(?<!\w)[Нн]і(?:хто|што|чога|калі|дзе|як)\w*"),
    "bg": re.compile(r"(?<!\w)(?:[Нн]е|[Нн]и|[Нн]яма|[Бб]ез)(?!\w)|(?<!\w)[Нн]и(?:кой|що|кога|къде|как)\w*"),
    "hy": re.compile(r"(?<!\w)(?:չ|ոչ|մի(?!\w)|առանց|ոչ\w*)", re.IGNORECASE),
    # Verb negation is a suffix in az and tr (etmədi, gəlmir, olmaz); the infinitive (etmək, olmağa)
    # and -məli (must) are not negations, and -mən- is in erməni (Armenian), so m+k/q/ğ/l/n are left out.
    "az": re.compile(r"(?<!\w)(?:deyil|yox|heç|qeyri|olmadan)|\w+?m[aə](?:y|d|z|s|m)\w*|\w+?m[ıiuü](?:r|y)\w*",
                     re.IGNORECASE),
    "tr": re.compile(r"(?<!\w)(?:değil|yok|hiç)|\w+?m[ae](?:y|d|z|s|m)\w*|\w+?m[ıiuü](?:r|y)\w*", re.IGNORECASE),
    "ka": re.compile(r"(?<!\w)(?:არ|ვერ|ნუ|არა|არც|ვერც|ნურც|უ\w+ოდ|გარეშე)(?!\w)|(?<!\w)არა\w*|(?<!\w)ვერა\w*"),
    "de": re.compile(r"(?<!\w)(?:nicht|kein\w*|nie\w*|ohne|weder)(?!\w)", re.IGNORECASE),
    "fr": re.compile(r"(?<!\w)(?:ne|n'|n’|pas|jamais|aucun\w*|sans|ni)(?!\w)", re.IGNORECASE),
    "es": re.compile(r"(?<!\w)(?:no|nunca|ningun\w*|nadie|nada|sin|ni)(?!\w)", re.IGNORECASE),
}


def source_negations(text: str, language: str) -> int:
    """How many negations ``text`` has in ``language`` (0 when the language has no table)."""
    pattern = SOURCE_NEGATIONS.get(language)
    return len(pattern.findall(text)) if pattern is not None else 0


def has_negation(text: str, language: str) -> bool | None:
    """Whether ``text`` has something that can carry a negation; None when the language has no table."""
    pattern = NEGATION_MARKERS.get(language)
    if pattern is None:
        return None
    return pattern.search(text) is not None


_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def candidate_words(sentence: str, keep_terms: Iterable[str] = ()) -> list[str]:
    """The words of ``sentence`` that could show its language: not names, numbers or kept terms.

    A capitalised word counts only as the sentence's first word (English
    names are capitalised, and so is every word of a title); all-capital and
    camel-case words and words with digits are names or codes.
    """
    kept = {t.casefold() for term in keep_terms for t in term.split()}
    out = []
    for index, m in enumerate(_WORD.finditer(sentence)):
        word = m.group(0)
        if any(ch.isdigit() for ch in word) or word.casefold() in kept:
            continue
        if word[0].isupper() and (index > 0 or any(ch.isupper() for ch in word[1:])):
            continue
        out.append(word)
    return out


@functools.lru_cache(maxsize=16384)
def still_in_language(sentence: str, language: str, other: str, *, script: str | None,
                      keep_terms: tuple[str, ...] = ()) -> bool:
    """The ``language`` check's question for one sentence, cached per sentence and pair.

    Cheapest test first: the script (no detector for an Armenian sentence),
    then the words that are not names, then the detector.
    """
    if script is not None:
        counts = script_counts(sentence)
        total = sum(counts.values())
        if not total or counts.get(script, 0) * 2 < total:
            return False
    if len(candidate_words(sentence, keep_terms)) < 2:
        return False
    return _detect(sentence, language, other)


@functools.lru_cache(maxsize=16384)
def _detect(sentence: str, language: str, other: str) -> bool:
    detector = _detector(language, other)
    if detector is None:
        return False
    found = detector.detect_language_of(sentence)
    return found is not None and found.iso_code_639_1.name.lower() == language


@functools.lru_cache(maxsize=32)
def _detector(language: str, other: str) -> Any:
    """A lingua detector for exactly two languages (None when lingua lacks one of them)."""
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder
    except ImportError:  # pragma: no cover - lingua is a core dependency
        log.warning("lingua is not installed: the language check is skipped")
        return None
    try:
        codes = [IsoCode639_1.from_str(language), IsoCode639_1.from_str(other)]
    except ValueError:
        log.debug("no language model for %s or %s: the language check is skipped", language, other)
        return None
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()
