"""The quality checks: each registered once, with its name, severity and description.

A crisis brief is mostly numbers, names and attributions; the checks that can
change what a reader believes are errors, the typographic ones warnings.
Every check has a stable name (used in reports, JSON and the README table),
a fixed :class:`~polybrief.qa.report.Severity` and an English message that
names the field path.

Why a registry
--------------
The list of checks used to live in three places that had to agree: a
``CHECKS`` table, the order in which a ``run`` method called the check
methods, and method bodies that reported under names of their own.  Now a
check is a function registered by the :func:`check` decorator (as
translate-toolkit does), which declares every name the function reports
under.  :data:`CHECKS` is derived from the registrations, :meth:`Pair.run`
iterates them, and :meth:`Pair.add` refuses a name the running check did not
declare, so a finding under an unknown name cannot happen.  Registration
order is report order, and the README table follows it.

Why each check decides as it does is in each check function's docstring.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from .language import has_negation, source_negations, still_in_language
from .matching import bracket_problem, foreign_quote_marks, is_name_like, quote_pairs, quote_problem, term_in
from .numbers import (
    has_number_word,
    informal_decimals,
    looks_like_figure,
    number_format,
    read_numbers,
    spelled_source_numbers,
)
from .patterns import (
    EMAIL,
    MT_PLACEHOLDER,
    TEMPLATE_PLACEHOLDER,
    URL,
    WORD,
    blank_spans,
    emails,
    urls,
)
from .plurals import form_categories, misplaced_forms
from .report import Finding, Severity
from .scripts import SCRIPT_DENSITY, SCRIPT_FAMILIES, locale_script, script_counts
from .sentences import doubled_word, end_mark, ending_marks, looped_phrase, repeated_sentences, sentences
from .tokens import debris, missing_markup

if TYPE_CHECKING:
    from ..catalogs.brief import PluralForms
    from ..cldr import LocaleInfo
    from ..glossary import TermRule
    from ..provenance import Provenance

__all__ = [
    "CHECKS",
    "INFLECTING_LANGUAGES",
    "LENGTH_BOUNDS",
    "LENGTH_MIN_CHARS",
    "SCRIPT_MIN_LETTERS",
    "sentence_tolerance",
    "Also",
    "Check",
    "CheckInfo",
    "Pair",
    "check",
]

#: Length-ratio bounds (target/source, after script density correction).
LENGTH_BOUNDS: tuple[float, float] = (0.4, 2.5)
#: Sources shorter than this are too short for a meaningful length ratio.
LENGTH_MIN_CHARS = 20
#: Targets with fewer letters than this are not script-checked ("AFP", "TikTok").
SCRIPT_MIN_LETTERS = 8
#: Target languages whose glossary terms are matched by stem (see :func:`glossary`).
INFLECTING_LANGUAGES: frozenset[str] = frozenset({
    "hy", "az", "ru", "uk", "be", "bg", "ka", "tr", "kk", "ky", "uz", "tk", "tt", "ba",
    "fi", "et", "hu", "pl", "cs", "sk", "sl", "hr", "sr", "bs", "lt", "lv", "el", "de", "is",
})


def sentence_tolerance(count: int) -> int:
    """Sentences a translation may merge or split before ``sentences`` speaks, for a source of ``count``.

    None for up to three sentences (every shipped catalog keeps the count
    exactly, and a dropped sentence in a short paragraph is the case to
    catch), then one per four: long paragraphs are where translators merge.
    """
    return 0 if count <= 3 else count // 4


# -- the registry ---------------------------------------------------------------------


class CheckInfo(NamedTuple):
    """What a check verifies (one English sentence) and how severe its findings are."""

    description: str
    severity: Severity


class Also(NamedTuple):
    """A further name a check function reports under, declared when it is registered."""

    name: str
    severity: Severity
    description: str


CheckFunction = Callable[["Pair"], None]


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check function and the names it may report under, its own first.

    ``stops``: when the function reports anything, the remaining checks are
    skipped (an empty translation would otherwise fail every check).
    """

    function: CheckFunction
    names: tuple[str, ...]
    stops: bool = False


#: Every registered check, in report order.
_REGISTRY: list[Check] = []

#: Every check by its stable name, in report order (the README table follows it; a test compares).
#: Filled by :func:`check`, one entry per declared name; never edited by hand.
CHECKS: dict[str, CheckInfo] = {}


def check(name: str, severity: Severity, description: str, *, also: Sequence[Also] = (),
          stops: bool = False) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as check ``name``; ``also`` declares further names it reports under.

    Raises :class:`ValueError` for a name registered twice or a description
    that is not one sentence ending in a full stop (it goes into the README).
    """
    declared = [(name, CheckInfo(description, severity)), *((a.name, CheckInfo(a.description, a.severity))
                                                              for a in also)]

    def register(function: CheckFunction) -> CheckFunction:
        for declared_name, info in declared:
            if declared_name in CHECKS:
                raise ValueError(f"quality check {declared_name!r} is registered twice")
            if not info.description.endswith("."):
                raise ValueError(f"the description of quality check {declared_name!r} must end with a full stop")
        CHECKS.update(declared)
        _REGISTRY.append(Check(function, tuple(n for n, _ in declared), stops))
        return function

    return register


class Pair:
    """One source text and its translation, with what every check needs to judge them.

    A small object rather than arguments so check functions share one
    signature and helpers (glossary rules, locales) travel together.
    """

    def __init__(self, source: str, target: str, *, path: str, source_locale: LocaleInfo,
                 target_locale: LocaleInfo, rules: Sequence[TermRule], provenance: Provenance | None,
                 plural: PluralForms | None = None, plural_source: Mapping[str, str] | None = None) -> None:
        self.source = source
        self.target = target
        self.path = path
        self.src = source_locale
        self.tgt = target_locale
        self.rules = rules
        self.provenance = provenance
        #: A plural field's catalog forms and the source's forms by CLDR category (None otherwise).
        self.plural = plural
        self.plural_source = plural_source
        self.findings: list[Finding] = []
        self._running: Check | None = None

    def add(self, name: str, message: str) -> None:
        """Record a finding of the running check under ``name``, which it must have declared."""
        running = self._running
        if running is None or name not in running.names:
            owner = "no check" if running is None else f"check {running.function.__name__!r}"
            raise ValueError(f"{owner} may not report under {name!r}; declare it when registering the check")
        self.findings.append(Finding(name, CHECKS[name].severity, self.tgt.tag, self.path,
                                     f"{self.path}: {message}", self.provenance))

    def run(self) -> list[Finding]:
        """Every finding of every registered check, in registry order (none for an empty source)."""
        if not self.source.strip():
            return []
        for registered in _REGISTRY:
            before = len(self.findings)
            self._running = registered
            try:
                registered.function(self)
            finally:
                self._running = None
            if registered.stops and len(self.findings) > before:
                break
        return self.findings


@functools.lru_cache(maxsize=4096)
def _without_links(text: str) -> str:
    """``text`` with URLs, e-mail addresses and MT placeholders blanked out (their own checks cover them).

    Cached: half a dozen checks ask for the same text.
    """
    return blank_spans(text, (URL, EMAIL, MT_PLACEHOLDER))


def _clip(text: str, limit: int = 60) -> str:
    """``text`` quoted for a message, shortened to ``limit`` characters."""
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


def _counts(samples: Sequence[int]) -> str:
    """Sample counts for a message: ``1, 21, 31…``."""
    shown = [n for n in samples if n][:3] or list(samples[:1])
    return ", ".join(map(str, shown)) + ("…" if len(samples) > len(shown) else "")


def _without_kept_terms(text: str, rules: Sequence[TermRule]) -> str:
    """``text`` without do-not-translate glossary terms (they stay in their own script)."""
    for rule in rules:
        if rule.keep:
            text = re.sub(r"(?<!\w)" + re.escape(rule.source) + r"(?!\w)", " ", text, flags=re.IGNORECASE)
    return text


# -- the checks, in report order --------------------------------------------------------


@check("empty", Severity.ERROR, "The translation is empty or only whitespace.", stops=True)
def empty(pair: Pair) -> None:
    """An empty or whitespace-only target for a non-empty source; the other checks are then skipped."""
    if not pair.target.strip():
        pair.add("empty", "the translation is empty")


@check("mt-tokens", Severity.ERROR, "No model or pipeline debris that the source lacks: SentencePiece's ⁇ and ▁, "
       "<unk>, <s>, @@ joiners, HTML entities such as &quot;, the replacement character �.")
def mt_tokens(pair: Pair) -> None:
    """Tokens a model or pipeline leaves behind (:mod:`polybrief.qa.tokens`); never text a reader should see."""
    for token in debris(pair.source, pair.target):
        pair.add("mt-tokens", f"the translation contains {token!r}, left over by a model or a text pipeline")


@check("numbers", Severity.ERROR, "Every number of the source appears in the translation with the same value, "
       "read in each locale's own number format.",
       also=[Also("numbers-format", Severity.WARNING, "A number appears only in the source locale's format "
                  "(120,000 in a Russian text), which readers of the target may misread."),
             Also("numbers-spelled", Severity.WARNING, "A number is spelled out on one side and not found as "
                  "digits on the other (two civilians / двое)."),
             Also("numbers-informal", Severity.WARNING, "A number is written with the target language's informal "
                  "decimal mark (Persian ۵/۲ for 5.2) rather than CLDR's.")])
def numbers(pair: Pair) -> None:
    """Every number of the source is in the target *as a value* (see :mod:`polybrief.qa.numbers`).

    One function for three names because each source number gets exactly one
    verdict, in this order: found (fine); found only when the target is read
    in the *source* locale's format (``numbers-format``, a warning: ``120,000``
    left as is in a Russian text reads as 120 with three decimals); spelled
    out in the target (``numbers-spelled``, a warning: "2" → "двое" is normal
    style in many languages); otherwise missing (``numbers``, an error).
    Then a number the source spells out ("two civilians") that the target has
    neither in digits nor as a number word is a ``numbers-spelled`` warning.
    A decimal written with a locale-valid informal mark (Persian ``۵/۲``,
    :data:`~polybrief.qa.numbers.INFORMAL_DECIMALS`) is the same value, so it
    is a ``numbers-informal`` warning, not a missing number.

    The comparison is by set, not count: "2 killed and 2 wounded" needs one
    "2".  Numbers inside URLs, e-mail addresses and placeholders are left to
    those checks.
    """
    source = _without_links(pair.source)
    target = _without_links(pair.target)
    src_fmt = number_format(pair.src, source=True)
    tgt_fmt = number_format(pair.tgt, source=False)
    target_values: set[Decimal] = set()
    for number in read_numbers(target, tgt_fmt, pair.tgt):
        target_values |= number.values
    alt_values: set[Decimal] = set()
    if (src_fmt.groups, src_fmt.decimals) != (tgt_fmt.groups, tgt_fmt.decimals):
        for number in read_numbers(target, number_format(pair.src, source=False), pair.src):
            alt_values |= number.values
    informal = {number.value for number in informal_decimals(target, pair.tgt)}
    digit_values: set[Decimal] = set()
    reported: set[Decimal] = set()
    for number in read_numbers(source, src_fmt, pair.src):
        digit_values |= number.values
        if number.values & target_values or number.value in reported:
            continue
        reported.add(number.value)
        if number.values & alt_values:
            pair.add("numbers-format", f"the number {number.text} is written in the source's format; "
                     f"in {pair.tgt.tag} write {pair.tgt.format_number(number.value)}")
            continue
        if number.value in informal:
            pair.add("numbers-informal", f"the number {number.text} is written with an informal decimal mark; "
                     f"in {pair.tgt.tag} CLDR writes {pair.tgt.format_number(number.value)}")
            continue
        if number.value == number.value.to_integral_value() and has_number_word(
                pair.target, pair.tgt.language, int(number.value)):
            pair.add("numbers-spelled", f"the number {number.text} is spelled out in the translation; "
                     "check it is the same number")
            continue
        pair.add("numbers", f"the number {number.text} of the source is missing from the translation "
                 f"(in {pair.tgt.tag} it is written {pair.tgt.format_number(number.value)})")
    for word, value in spelled_source_numbers(source, pair.src.language):
        dec = Decimal(value)
        if dec in digit_values or dec in target_values or dec in reported:
            continue
        if has_number_word(pair.target, pair.tgt.language, value):
            continue
        reported.add(dec)
        pair.add("numbers-spelled", f"the source spells out {word!r} ({value}); the translation has "
                 "neither the digits nor a number word for it")


@check("numbers-added", Severity.ERROR, "The translation has a figure (a count or amount) that the source does "
       "not have.",
       also=[Also("numbers-added-minor", Severity.WARNING, "The translation has a number the source does not "
                  "have that reads as a year, an ordinal or 0 or 1.")])
def numbers_added(pair: Pair) -> None:
    """The other direction of ``numbers``: a value in the target that no source number or number word has.

    A figure that appears from nowhere (``710 დაღუპული``) is as wrong as one
    that is lost.  Accepted: any value a source number may stand for (scale
    words included: ``120 тысяч``), numbers the source spells out ("two" →
    ``2``), identifiers glued to letters (``G7``), numbers written in the
    source's format (``numbers-format`` reports those) and informal
    decimals (``numbers-informal``).  A year, an ordinal or inflected number
    and 0 or 1 are warnings (:func:`~polybrief.qa.numbers.looks_like_figure`):
    translators add them for grammar.  When ``numbers`` already found a
    source number missing, an extra number is most likely that number changed
    (``12 000`` for 120,000), which is reported once, as missing.
    """
    if any(finding.check == "numbers" for finding in pair.findings):
        return
    source = _without_links(pair.source)
    target = blank_spans(_without_links(pair.target), (TEMPLATE_PLACEHOLDER,))
    allowed: set[Decimal] = set()
    for number in read_numbers(source, number_format(pair.src, source=False), pair.src):
        allowed |= number.values
    allowed |= {Decimal(value) for _, value in spelled_source_numbers(source, pair.src.language)}
    covered = [(n.start, n.end) for n in informal_decimals(target, pair.tgt)]
    covered += [(n.start, n.end) for n in read_numbers(target, number_format(pair.src, source=True), pair.src)
                if n.values & allowed]
    seen: set[Decimal] = set()
    for number in read_numbers(target, number_format(pair.tgt, source=True), pair.tgt):
        if number.values & allowed or number.value in seen:
            continue
        if any(start < number.end and number.start < end for start, end in covered):
            continue
        seen.add(number.value)
        if looks_like_figure(number, target):
            pair.add("numbers-added", f"the number {number.text} of the translation is not in the source")
        else:
            pair.add("numbers-added-minor", f"the number {number.text} of the translation is not in the source "
                     "(a year, an ordinal or 0/1: check it belongs there)")


@check("glossary", Severity.ERROR, "Glossary terms found in the source have their required translation, and "
       "do-not-translate terms are unchanged.")
def glossary(pair: Pair) -> None:
    """For every glossary rule whose source term occurs in the source text, the target has its term.

    A do-not-translate term must appear unchanged, a required target term must
    appear.  Source matching follows :class:`~polybrief.glossary.TermRule`
    (case-insensitive for all-lowercase terms), as machine translation does.
    Target matching is case-insensitive and, for inflecting target languages
    (:data:`INFLECTING_LANGUAGES`), by stem (:func:`~polybrief.qa.matching.term_in`),
    so ``Нагорный Карабах`` accepts ``в Нагорном Карабахе``.
    """
    for rule in pair.rules:
        flags = re.IGNORECASE if rule.ignore_case else 0
        if not re.search(r"(?<!\w)" + re.escape(rule.source) + r"(?!\w)", pair.source, flags):
            continue
        if rule.keep:
            if not term_in(pair.target, rule.source, stem=False):
                pair.add("glossary", f"the term {rule.source!r} must stay as written and is missing")
        elif not term_in(pair.target, rule.target, stem=pair.tgt.language in INFLECTING_LANGUAGES):
            pair.add("glossary", f"the term {rule.source!r} must be translated as {rule.target!r}, "
                     "which is missing")


@check("urls", Severity.ERROR, "Every URL of the source appears unchanged.")
def links(pair: Pair) -> None:
    """Links are identical in the target (:data:`~polybrief.qa.patterns.URL` decides what a link is)."""
    target_urls = set(urls(pair.target))
    for url in dict.fromkeys(urls(pair.source)):
        if url not in target_urls and url not in pair.target:
            pair.add("urls", f"the link {url} is missing or changed")


@check("emails", Severity.ERROR, "Every e-mail address of the source appears unchanged.")
def addresses(pair: Pair) -> None:
    """E-mail addresses are in the target, compared case-insensitively (domains ignore case)."""
    target_mails = {e.lower() for e in emails(pair.target)}
    for address in dict.fromkeys(emails(pair.source)):
        if address.lower() not in target_mails:
            pair.add("emails", f"the address {address} is missing or changed")


@check("placeholders", Severity.ERROR, "No machine-translation placeholder ({1}) or template leftover "
       "(%(name)s, {0}, ⟦…⟧) that the source lacks.")
def placeholders(pair: Pair) -> None:
    """Tokens of MT protection (``{1}``, ``{ 1 }``, ``｛1｝``) or other templates the source does not have.

    Such a token in front of readers means a restore went wrong; tokens the
    source itself has (a quoted template) are fine.  Each leftover is reported once.
    """
    seen: set[str] = set()
    for pattern in (MT_PLACEHOLDER, TEMPLATE_PLACEHOLDER):
        source_tokens = {re.sub(r"\s", "", m.group(0)) for m in pattern.finditer(pair.source)}
        for m in pattern.finditer(pair.target):
            token = re.sub(r"\s", "", m.group(0))
            if token in source_tokens or token in seen:
                continue
            seen.add(token)
            pair.add("placeholders", f"leftover placeholder {m.group(0)!r} in the translation")


@check("markup", Severity.ERROR, "Every HTML tag, template expression ({{ … }}, {% … %}) and format "
       "placeholder (%(name)s, {0}) of the source appears in the translation.")
def markup(pair: Pair) -> None:
    """The other direction of ``placeholders``: literal markup of the source kept (:mod:`polybrief.qa.tokens`).

    Brief text is escaped, so ``<b>UPDATE</b>`` or ``{{ arrivals_total }}``
    in a source is text the author shows on purpose; a translation without it
    shows something else.
    """
    for token in missing_markup(pair.source, pair.target):
        pair.add("markup", f"{token!r} of the source is missing from the translation")


@check("script", Severity.ERROR, "Most letters are in the target language's script (Armenian for hy, "
       "Cyrillic for ru, Latin for az).")
def script(pair: Pair) -> None:
    """Fewer than half of the target's letters are in the target locale's script: an error.

    URLs, e-mail addresses, placeholders and do-not-translate terms are
    ignored, and targets with fewer than :data:`SCRIPT_MIN_LETTERS` letters
    are not judged; the script comes from :mod:`polybrief.qa.scripts`.
    """
    expected = locale_script(pair.tgt)
    if expected is None:
        return
    accepted = SCRIPT_FAMILIES.get(expected, frozenset({expected}))
    counts = script_counts(_without_kept_terms(_without_links(pair.target), pair.rules))
    total = sum(counts.values())
    if total < SCRIPT_MIN_LETTERS:
        return
    own = sum(n for code, n in counts.items() if code in accepted)
    if own * 2 < total:
        others = sorted(((n, code) for code, n in counts.items() if code not in accepted and code), reverse=True)
        main = others[0][1] if others else "another script"
        pair.add("script", f"only {own} of {total} letters are in the {expected} script expected for "
                 f"{pair.tgt.tag}; most are {main}")

@check("language", Severity.ERROR, "No sentence of two or more words (names, numbers and do-not-translate terms "
       "aside) is still in the source language.")
def language(pair: Pair) -> None:
    """Each target sentence is asked "source language or target language?" (:mod:`polybrief.qa.language`).

    This is what catches one English sentence left in an Azerbaijani or
    Russian paragraph: the script check passes (az is Latin; the rest of a
    Russian text is Cyrillic).  A target identical to its source is left to
    ``untranslated``, which knows when that is fine (titles, names).
    """
    if pair.src.language == pair.tgt.language or pair.target.strip() == pair.source.strip():
        return
    keep = tuple(rule.source for rule in pair.rules if rule.keep)
    src_script = locale_script(pair.src)
    for sentence in sentences(_without_links(pair.target), pair.tgt.language):
        if still_in_language(sentence, pair.src.language, pair.tgt.language, script=src_script, keep_terms=keep):
            pair.add("language", f"a sentence is still in {pair.src.english_name}: {_clip(sentence)}")


@check("plural-forms", Severity.ERROR, "Every plural form of a figure's unit is filled in and written in the target "
       "language's script.",
       also=[Also("plural-untranslated", Severity.WARNING, "A plural form is the source's own form (civilians left "
                  "in English)."),
             Also("plural-order", Severity.WARNING, "A plural form reads as another CLDR category than the counts "
                  "it is shown for (Russian's one form shown for 5).")])
def plural_forms(pair: Pair) -> None:
    """Every form of a plural field's catalog entry, each for the counts it is shown for.

    An empty form is an error even though such an entry is never published
    (the field falls back to English, which only ``--strict`` refuses): the
    translator's work is silently not shown.  A form mostly in another script
    is an error like ``script``, judged from two letters (units are short).
    A form equal to a source form is a warning, and a form whose word endings
    say it belongs to another category (:func:`~polybrief.qa.plurals.misplaced_forms`)
    is a warning, because the endings are a heuristic.
    """
    plural = pair.plural
    if plural is None:
        return
    expected = locale_script(pair.tgt)
    accepted = SCRIPT_FAMILIES.get(expected, frozenset({expected})) if expected else frozenset()
    sources = {s.strip().casefold() for s in (pair.plural_source or {}).values()}
    for index, form in enumerate(plural.forms):
        shown = f"plural form {index} (shown for {_counts(plural.samples[index])})"
        if not form.strip():
            pair.add("plural-forms", f"{shown} is empty, so the whole entry is not published")
            continue
        counts = script_counts(_without_kept_terms(form, pair.rules))
        total = sum(counts.values())
        if expected and total >= 2 and sum(n for code, n in counts.items() if code in accepted) * 2 < total:
            pair.add("plural-forms", f"{shown} {form!r} is not in the {expected} script of {pair.tgt.tag}")
        elif (pair.src.language != pair.tgt.language and form.strip().casefold() in sources
              and not all(is_name_like(w) for w in WORD.findall(form))):
            pair.add("plural-untranslated", f"{shown} {form!r} is the source's own form")
    categories = form_categories(plural.samples, pair.tgt)
    for index, own, better in misplaced_forms(plural.forms, categories, pair.tgt.language):
        pair.add("plural-order", f"plural form {index} {plural.forms[index]!r} is shown for "
                 f"{_counts(plural.samples[index])} ({own}) but reads as the {better} form")


@check("sentences", Severity.WARNING, "The translation has as many sentences as the source, give or take what "
       "merging and splitting explain (none for up to three sentences, one per four above).")
def sentence_count(pair: Pair) -> None:
    """Sentence counts compared with the MT segmenter (:func:`~polybrief.qa.sentences.sentences`).

    A dropped sentence that held no number passes every other check.
    Translators merge and split sentences, hence :func:`sentence_tolerance`;
    the shipped hy/az/ru/uk catalogs keep the count in every segment.
    """
    src = sentences(_without_links(pair.source), pair.src.language)
    tgt = sentences(_without_links(pair.target), pair.tgt.language)
    if abs(len(src) - len(tgt)) > sentence_tolerance(len(src)):
        pair.add("sentences", f"the translation has {len(tgt)} sentence(s), the source {len(src)}; "
                 "is one missing, added or merged?")


@check("repeated-text", Severity.ERROR, "No sentence, and no run of three or more words, is repeated where the "
       "source has no such repetition.")
def repeated_text(pair: Pair) -> None:
    """A doubled sentence or a phrase in a loop: what decoders do and translators do not."""
    src = sentences(pair.source, pair.src.language)
    tgt = sentences(pair.target, pair.tgt.language)
    repeated = repeated_sentences(tgt)
    if repeated and len(repeated_sentences(src)) < len(repeated):
        pair.add("repeated-text", f"the sentence {_clip(repeated[0])} appears twice")
        return
    phrase = looped_phrase(pair.target)
    if phrase is not None and looped_phrase(pair.source) is None:
        pair.add("repeated-text", f"the words {phrase!r} are repeated back to back")


@check("doubled-words", Severity.WARNING, "No word is written twice in a row (the the) unless the source does so.")
def doubled_words(pair: Pair) -> None:
    """The same word twice, separated only by white space; a warning (some languages reduplicate)."""
    word = doubled_word(pair.target)
    if word is not None and doubled_word(pair.source) is None:
        pair.add("doubled-words", f"the word {word!r} is written twice in a row")


@check("negation", Severity.WARNING, "When the source negates (not, never, no), the translation has a word that "
       "can carry a negation.")
def negation(pair: Pair) -> None:
    """A dropped "not" reverses a fact and passes every other check (:mod:`polybrief.qa.language`).

    Only target languages with a marker table are judged, and only the total
    absence of a marker is reported: a warning, since the tables are lexical.
    """
    if source_negations(pair.source, pair.src.language) and has_negation(pair.target, pair.tgt.language) is False:
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
    if bracket_problem(pair.source) is None:
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
    if quote_problem(pair.source, src_pairs) is not None:
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


@check("untranslated", Severity.WARNING, "The translation is identical to the source (names, numbers and "
       "do-not-translate terms excepted).")
def untranslated(pair: Pair) -> None:
    """The target equals the source, in a different language.

    Not reported when the source is one token ("TikTok", "AFP", "2023"), only
    acronyms, camel-case names and numbers, or a do-not-translate glossary
    term: those are the same in every language.
    """
    if pair.target.strip() != pair.source.strip() or pair.src.language == pair.tgt.language:
        return
    text = pair.source.strip()
    if not any(ch.isalpha() for ch in text) or len(text.split()) == 1:
        return
    if any(rule.keep and rule.source.lower() == text.lower() for rule in pair.rules):
        return
    words = [w for w in WORD.findall(text) if any(ch.isalpha() for ch in w)]
    if all(is_name_like(w) for w in words):
        return
    pair.add("untranslated", "the translation is identical to the source text")


@check("length", Severity.WARNING, "The translation's length is far from the source's (ratio below 0.4 or "
       "above 2.5 for sources of 20+ characters).")
def length(pair: Pair) -> None:
    """The target/source length ratio is outside :data:`LENGTH_BOUNDS` for sources of :data:`LENGTH_MIN_CHARS`+.

    The ratio is corrected for scripts that need fewer characters (CJK,
    :data:`~polybrief.qa.scripts.SCRIPT_DENSITY`).  The shipped hy/az/ru
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
