"""The typographic and style checks (warnings), in report order after the factual checks of :mod:`.checks`.

Sentence counts, doubled words, negation, white space, end punctuation,
brackets, quotation marks, untranslated text and length: things a reviewer
should look at, which rarely change what a reader believes.  Why each decides
as it does is in its docstring.
"""

from __future__ import annotations

from ..text.numbers import without_scale_periods
from ..text.patterns import WORD, without_links
from ..text.scripts import SCRIPT_DENSITY, locale_script
from .negation import has_negation, source_negations
from .matching import (
    bracket_problem,
    foreign_quote_marks,
    is_name_like,
    quote_pairs,
    quote_problem,
)
from .content_checks import expected_length
from .names import latin_names
from .registry import Also, Pair, check
from .report import Severity
from .sentences import (
    doubled_word,
    end_mark,
    ending_marks,
    sentences,
)

__all__ = ["LENGTH_BOUNDS", "LENGTH_MIN_CHARS", "sentence_tolerance"]

#: Length-ratio bounds (target/source, after script density correction).
LENGTH_BOUNDS: tuple[float, float] = (0.4, 2.5)
#: Sources shorter than this are too short for a meaningful length ratio.
LENGTH_MIN_CHARS = 20
#: A sentence fewer and less than this share of the expected length: a sentence dropped (an error).
DROPPED_BELOW = 0.7
#: A sentence more and more than this share of the expected length: a sentence invented (an error).
ADDED_ABOVE = 1.6


def sentence_tolerance(count: int) -> int:
    """Sentences a translation may merge or split before ``sentences`` speaks, for a source of ``count``.

    None for up to three sentences (every shipped catalog keeps the count
    exactly, and a dropped sentence in a short paragraph is the case to
    catch), then one per four: long paragraphs are where translators merge.
    """
    return 0 if count <= 3 else count // 4


@check("sentences", Severity.WARNING, "The translation has as many sentences as the source, give or take what "
       "merging and splitting explain (none for up to three sentences, one per four above).",
       also=[Also("sentences-dropped", Severity.ERROR, "The translation has fewer sentences than the source, is under "
                  "70 % of its expected length and lacks a name of the source while keeping others: a sentence "
                  "holding a name was dropped, not merged."),
             Also("sentences-added", Severity.ERROR, "The translation has more sentences than the source, is over 160 % "
                  "of its expected length and names what the source does not: a sentence was invented.")])
def sentence_count(pair: Pair) -> None:
    """Sentence counts compared with the MT segmenter (:func:`~polybrief.qa.sentences.sentences`).

    A dropped sentence that held no number passes every other check.
    Translators merge and split sentences, hence :func:`sentence_tolerance`;
    the shipped hy/az/ru/uk catalogs keep the count in every segment.
    """
    src = pair.fact("sentences", lambda: sentences(without_scale_periods(without_links(pair.source), pair.src),
                                                   pair.src.language))
    tgt = sentences(without_scale_periods(without_links(pair.target), pair.tgt), pair.tgt.language)
    if abs(len(src) - len(tgt)) <= sentence_tolerance(len(src)):
        return
    ratio = len(pair.target.strip()) / max(expected_length(pair), 1.0)
    lost, kept = _names_lost(pair)
    if len(tgt) < len(src) and ratio < DROPPED_BELOW and lost and kept:
        pair.add("sentences-dropped", f"the translation has {len(tgt)} sentence(s), the source {len(src)}, is "
                 f"{ratio:.0%} of the expected length and lacks {lost[0]!r}: a sentence is missing")
    elif len(tgt) > len(src) and ratio > ADDED_ABOVE and _names_added(pair):
        pair.add("sentences-added", f"the translation has {len(tgt)} sentence(s), the source {len(src)}, is "
                 f"{ratio:.0%} of the expected length and names {_names_added(pair)[0]!r}: a sentence was added")
    else:
        pair.add("sentences", f"the translation has {len(tgt)} sentence(s), the source {len(src)}; "
                 "is one missing, added or merged?")


def _names_lost(pair: Pair) -> tuple[list[str], list[str]]:
    """The source's names (:func:`~polybrief.qa.names.latin_names`) the translation lacks, and those it keeps."""
    names = pair.fact("names", lambda: latin_names(pair.source))
    target = pair.target.casefold()
    lost = [n for n in names if n.casefold() not in target]
    return lost, [n for n in names if n.casefold() in target]


def _names_added(pair: Pair) -> list[str]:
    """Names of the translation the source does not have (a figure added is ``numbers-added``'s)."""
    source = pair.source.casefold()
    return [n for n in latin_names(pair.target) if n.casefold() not in source]


@check("doubled-words", Severity.WARNING, "No word is written twice in a row (the the) unless the source does so.")
def doubled_words(pair: Pair) -> None:
    """The same word twice, separated only by white space; a warning (some languages reduplicate)."""
    word = doubled_word(pair.target)
    if word is not None and pair.fact("doubled", lambda: doubled_word(pair.source)) is None:
        pair.add("doubled-words", f"the word {word!r} is written twice in a row")


@check("negation", Severity.WARNING, "When the source negates (not, never, no), the translation has a word that "
       "can carry a negation.")
def negation(pair: Pair) -> None:
    """A dropped "not" reverses a fact and passes every other check (:mod:`polybrief.qa.language`).

    Only target languages with a marker table are judged, and only the total
    absence of a marker is reported: a warning, since the tables are lexical.
    """
    if pair.fact("negations", lambda: source_negations(pair.source, pair.src.language)) \
            and has_negation(pair.target, pair.tgt.language) is False:
        pair.add("negation", "the source negates but the translation has no negation; check the meaning")


@check("whitespace", Severity.WARNING, "The translation starts and ends with white space exactly where the "
       "source does.")
def whitespace(pair: Pair) -> None:
    """Leading or trailing white space added or lost: invisible in a PO editor, visible in text output."""
    for edge, src, tgt in (("starts", pair.source[:1], pair.target[:1]), ("ends", pair.source[-1:],
                                                                           pair.target[-1:])):
        if src.isspace() != tgt.isspace():
            state = "with" if tgt.isspace() else "without"
            pair.add("whitespace", f"the translation {edge} {state} white space, unlike the source")


@check("end-punctuation", Severity.WARNING, "The translation ends like the source: sentences with the target "
       "language's own full stop, question or exclamation mark (։ in Armenian), headings without one.")
def end_punctuation(pair: Pair) -> None:
    """End marks compared by kind, in the target language's marks (:data:`~polybrief.qa.sentences.FULL_STOPS`)."""
    src = end_mark(pair.source)
    tgt = end_mark(pair.target)
    stops, questions, exclamations = ending_marks(pair.tgt.language)
    if src is None:
        if tgt is not None and tgt != "…":
            pair.add("end-punctuation", f"the translation ends with {tgt!r}; the source has no end punctuation")
        return
    if tgt is None:
        pair.add("end-punctuation", f"the translation has no end punctuation; the source ends with {src!r} "
                 f"({pair.tgt.tag}: {stops[0]!r})")
        return
    src_stops, src_questions, src_exclamations = ending_marks(pair.src.language)
    expected = (stops if src in src_stops else questions if src in src_questions
                else exclamations if src in src_exclamations else stops + questions + exclamations)
    if tgt not in expected:
        pair.add("end-punctuation", f"the translation ends with {tgt!r} where {pair.tgt.tag} ends this sentence "
                 f"with {expected[0]!r}")


@check("brackets", Severity.WARNING, "Brackets are balanced (when they are in the source).")
def brackets(pair: Pair) -> None:
    """Round, square and curly brackets are balanced in the target when they are in the source.

    A warning, not an error: an unbalanced mark does not change a fact and
    content is always escaped, so it cannot break a page, while false alarms
    are common (list markers "1)").
    """
    if pair.fact("brackets", lambda: bracket_problem(pair.source)) is None:
        problem = bracket_problem(pair.target)
        if problem is not None:
            pair.add("brackets", f"brackets are not balanced in the translation ({problem})")


@check("quotes", Severity.WARNING, "Quotation marks are balanced, in the target locale's marks or ASCII "
       "pairs (when they are in the source).")
def quotes(pair: Pair) -> None:
    """Quotation marks are balanced in the target when they are in the source.

    Accepted pairs: the target locale's primary and secondary marks
    (:attr:`LocaleInfo.quotes`), the source locale's, and ASCII ``"``.  A
    warning for the same reasons as ``brackets`` (quotations spanning
    paragraphs, inch marks).  Single marks (’ ‘ ' ‚) are not checked because
    they double as apostrophes.
    """
    src_pairs = [*quote_pairs(pair.src), ('"', '"')]
    if pair.fact("quotes", lambda: quote_problem(pair.source, src_pairs)) is not None:
        return
    pairs = [*quote_pairs(pair.tgt), *quote_pairs(pair.src), ('"', '"')]
    problem = quote_problem(pair.target, list(dict.fromkeys(pairs)))
    if problem is not None:
        marks = f"{pair.tgt.quotes.start.strip()}…{pair.tgt.quotes.end.strip()}"
        pair.add("quotes", f"quotation marks are not balanced in the translation ({problem}; "
                 f"{pair.tgt.tag} quotes with {marks})")


@check("quotes-style", Severity.WARNING, "Quotation marks are the target locale's own (« » in Russian and "
       "Armenian, “ ” in Azerbaijani), not another language's.")
def quotes_style(pair: Pair) -> None:
    """Double quotation marks outside the target locale's primary and secondary pairs (:attr:`LocaleInfo.quotes`).

    Straight ``"`` counts as foreign where the locale's marks are typographic:
    readers of Russian expect ``«…»``.  Single marks are not judged (they
    double as apostrophes).
    """
    wrong = foreign_quote_marks(pair.target, pair.tgt)
    if wrong:
        marks = pair.tgt.quotes
        pair.add("quotes-style", f"quotation marks {' '.join(wrong)} are not {pair.tgt.tag}'s; it quotes with "
                 f"{marks.start.strip()}…{marks.end.strip()} ({marks.alt_start.strip()}…{marks.alt_end.strip()} "
                 "inside)")


@check("length", Severity.WARNING, "The translation's length is far from the source's (ratio below 0.4 or "
       "above 2.5 for sources of 20+ characters).")
def length(pair: Pair) -> None:
    """The target/source length ratio is outside :data:`LENGTH_BOUNDS` for sources of :data:`LENGTH_MIN_CHARS`+.

    The ratio is corrected for scripts that need fewer characters (CJK,
    :data:`~polybrief.text.scripts.SCRIPT_DENSITY`).  The shipped hy/az/ru
    translations range from 0.72 to 2.24; far outside that, something was
    probably dropped or added.
    """
    source = pair.source.strip()
    target = pair.target.strip()
    if len(source) < LENGTH_MIN_CHARS:
        return
    src_script = locale_script(pair.src) or ""
    tgt_script = locale_script(pair.tgt) or ""
    density = SCRIPT_DENSITY.get(tgt_script, 1.0) / SCRIPT_DENSITY.get(src_script, 1.0)
    ratio = len(target) / len(source) / density
    low, high = LENGTH_BOUNDS
    if ratio < low or ratio > high:
        pair.add("length", f"the translation is {len(target)} characters for a source of {len(source)} "
                 f"(ratio {ratio:.2f}, expected {low}–{high}); is something missing or added?")
