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

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from .matching import bracket_problem, is_name_like, quote_pairs, quote_problem, term_in
from .numbers import (
    has_number_word,
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
from .report import Finding, Severity
from .scripts import SCRIPT_DENSITY, SCRIPT_FAMILIES, letter_script, locale_script

if TYPE_CHECKING:
    from ..cldr import LocaleInfo
    from ..glossary import TermRule
    from ..provenance import Provenance

__all__ = [
    "CHECKS",
    "INFLECTING_LANGUAGES",
    "LENGTH_BOUNDS",
    "LENGTH_MIN_CHARS",
    "SCRIPT_MIN_LETTERS",
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
                 target_locale: LocaleInfo, rules: Sequence[TermRule], provenance: Provenance | None) -> None:
        self.source = source
        self.target = target
        self.path = path
        self.src = source_locale
        self.tgt = target_locale
        self.rules = rules
        self.provenance = provenance
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


def _without_links(text: str) -> str:
    """``text`` with URLs, e-mail addresses and MT placeholders blanked out (their own checks cover them)."""
    return blank_spans(text, (URL, EMAIL, MT_PLACEHOLDER))


# -- the checks, in report order --------------------------------------------------------


@check("empty", Severity.ERROR, "The translation is empty or only whitespace.", stops=True)
def empty(pair: Pair) -> None:
    """An empty or whitespace-only target for a non-empty source; the other checks are then skipped."""
    if not pair.target.strip():
        pair.add("empty", "the translation is empty")


@check("numbers", Severity.ERROR, "Every number of the source appears in the translation with the same value, "
       "read in each locale's own number format.",
       also=[Also("numbers-format", Severity.WARNING, "A number appears only in the source locale's format "
                  "(120,000 in a Russian text), which readers of the target may misread."),
             Also("numbers-spelled", Severity.WARNING, "A number is spelled out on one side and not found as "
                  "digits on the other (two civilians / двое).")])
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
    text = _without_links(pair.target)
    for rule in pair.rules:
        if rule.keep:
            text = re.sub(r"(?<!\w)" + re.escape(rule.source) + r"(?!\w)", " ", text, flags=re.IGNORECASE)
    counts: dict[str | None, int] = {}
    total = 0
    for ch in text:
        if unicodedata.category(ch).startswith("L"):
            code = letter_script(ch)
            counts[code] = counts.get(code, 0) + 1
            total += 1
    if total < SCRIPT_MIN_LETTERS:
        return
    own = sum(n for code, n in counts.items() if code in accepted)
    if own * 2 < total:
        others = sorted(((n, code) for code, n in counts.items() if code not in accepted and code), reverse=True)
        main = others[0][1] if others else "another script"
        pair.add("script", f"only {own} of {total} letters are in the {expected} script expected for "
                 f"{pair.tgt.tag}; most are {main}")


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
