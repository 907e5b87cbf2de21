"""Which language a text is in: the source language left in, or a neighbour of the target's.

The detector
------------
:mod:`lingua` (``lingua-language-detector``), in low-accuracy mode, is asked
about a *few* languages at a time: the pair's two ("is this still English?")
or the target and its script siblings (:data:`SCRIPT_SIBLINGS`: "Russian, or
Ukrainian?").  Measured by ``python -m bench.qa_langid`` on the shipped
catalogs' sentences (418 decisions) and their first 2–4 words (876 short
texts), on a 2-core machine shared with other jobs:

=====================================  ========  ========  ============  ==================  ================
detector (two-language decision)       full      short     per text      first use           wheel
=====================================  ========  ========  ============  ==================  ================
py3langid 0.4.0, rank of the pair      99.8 %    99.3 %    0.05–0.2 ms   0.6–1.0 s, +92 MB   4.6 MB + numpy
                                                                         RSS                 (16 MB)
lingua 2.1.1, high accuracy            100 %     99.7 %    0.6–0.8 ms    0.9–1.0 s, +96 MB   96 MB
lingua 2.1.1, low accuracy (chosen)    99.8 %    99.0 %    0.01–0.14 ms  0.02–0.13 s, +9 MB  96 MB
=====================================  ========  ========  ============  ==================  ================

Every miss was a proper name, which is why the checks never ask about raw
text: they ask about the translator's own words
(:func:`polybrief.qa.names.own_text`).  lingua's low-accuracy mode loads
only the trigram models it needs (9 MB) and scores in Rust; py3langid
decompresses its whole 97-language model on first use.

A clear margin
--------------
A two-word Azerbaijani label ("Hərbi polis", "Zip arxivi") can look English
to any detector.  So :func:`confidence` returns lingua's relative confidence
and the checks decide only above :data:`MARGIN`, and only on texts with
enough letters; shorter texts get a warning at most.  Answers are cached per
(text, languages).
"""

from __future__ import annotations

import functools
import logging
from typing import Any

__all__ = ["ALPHABETS", "MARGIN", "SCRIPT_SIBLINGS", "confidence", "letter_evidence", "siblings"]

log = logging.getLogger(__name__)

#: The confidence another language must have before a check calls a text that language.
MARGIN = 0.9
#: Languages written in the same script that readers (and models) confuse with the target.
SCRIPT_SIBLINGS: dict[str, tuple[str, ...]] = {
    "ru": ("uk", "be"), "uk": ("ru", "be"), "be": ("ru", "uk"),
    "fa": ("ar", "ur"), "ar": ("fa", "ur"), "ur": ("fa", "ar"),
    "az": ("tr",), "tr": ("az",),
}
#: Letters that tell script siblings apart (each language's distinctive letters; what two languages do
#: not share is evidence): Russian ы э ъ ё against Ukrainian і ї є ґ, Persian پ چ ژ گ and its own
#: ی ک against Arabic ة ي ك ى, Azerbaijani ə q x against Turkish.
ALPHABETS: dict[str, frozenset[str]] = {
    "ru": frozenset("ыэъёищ"), "uk": frozenset("іїєґищ"), "be": frozenset("ыэёіў"),
    "fa": frozenset("پچژگیک"), "ar": frozenset("ةيكى"), "ur": frozenset("پچژگیکےٹڈڑںھ"),
    "az": frozenset("əqxçğıöşü"), "tr": frozenset("çğıöşü"),
}


def siblings(language: str) -> tuple[str, ...]:
    """The script siblings of ``language`` (none for a language without any)."""
    return SCRIPT_SIBLINGS.get(language, ())


def letter_evidence(text: str, language: str, sibling: str) -> bool:
    """Whether the letters of ``text`` point to ``sibling`` rather than ``language``.

    A letter only ``sibling`` has and none only ``language`` has;
    where ``sibling`` has no letter of its own (Turkish beside Azerbaijani),
    no letter only ``language`` has in a text of forty letters or more (short
    Azerbaijani labels often lack ``ə``).
    """
    own = ALPHABETS.get(language, frozenset())
    other = ALPHABETS.get(sibling, frozenset())
    lowered = text.lower()
    # (a substring search per letter, in C: ``isdisjoint`` of the text hashed its every character)
    if any(letter in lowered for letter in own - other):
        return False
    theirs = other - own
    if theirs:
        return any(letter in lowered for letter in theirs)
    return len(lowered) >= 40 and sum(map(str.isalpha, lowered)) >= 40


@functools.lru_cache(maxsize=32768)
def confidence(text: str, languages: tuple[str, ...]) -> dict[str, float]:
    """lingua's relative confidence that ``text`` is in each of ``languages`` (empty when it cannot say)."""
    detector = _detector(languages)
    if detector is None:
        return {}
    return {value.language.iso_code_639_1.name.lower(): value.value
            for value in detector.compute_language_confidence_values(text)}


@functools.lru_cache(maxsize=64)
def _detector(languages: tuple[str, ...]) -> Any:
    """A lingua detector for exactly ``languages`` (None when lingua lacks one of them)."""
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder
    except ImportError:  # pragma: no cover - lingua is a core dependency
        log.warning("lingua is not installed: the language checks are skipped")
        return None
    try:
        codes = [IsoCode639_1.from_str(language) for language in languages]
    except ValueError:
        log.debug("no language model for one of %s: not asked", ", ".join(languages))
        return None
    if len(set(codes)) < 2:
        return None
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()
