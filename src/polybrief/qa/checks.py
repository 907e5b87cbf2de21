"""The factual quality checks, in report order; each registered once with :func:`~polybrief.qa.registry.check`.

A crisis brief is mostly numbers, names and attributions; the checks that can
change what a reader believes are errors, the typographic ones warnings.
Every check has a stable name (used in reports, JSON and the README table),
a fixed :class:`~polybrief.qa.report.Severity` and an English message that
names the field path.

Why each check decides as it does is in each check function's docstring.
The typographic checks are in :mod:`polybrief.qa.style_checks`;
:mod:`polybrief.qa.suite` puts the two in report order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ..fields import COUNT_PLACEHOLDER, keeps_count
from ..plurals import form_categories
from ..text.numbers import Number, informal_decimals, number_format, read_numbers
from ..text.patterns import (
    EMAIL,
    MT_PLACEHOLDER,
    TEMPLATE_PLACEHOLDER,
    URL,
    WORD,
    blank_spans,
    emails,
    urls,
    without_links,
)
from ..text.scripts import SCRIPT_FAMILIES, locale_script, script_counts
from .dates import dates_in
from .names import accelerators_removed, blank_placeholders, numeric_text
from .matching import (
    is_name_like,
    term_in,
)
from .numbers import ascii_key, has_number_word, looks_like_figure, may_have_words, spelled_source_numbers, words_hint
from . import printf
from .plurals import misplaced_forms
from .registry import Also, Pair, check
from .report import Severity
from .sentences import (
    looped_phrase,
    repeated_sentences,
    sentences,
)
from .tokens import debris, debris_of, markup_of, missing_markup

if TYPE_CHECKING:
    from ..cldr import LocaleInfo
    from ..glossary import TermRule

__all__ = [
    "INFLECTING_LANGUAGES",
]

def _placeholder_hint(text: str) -> bool:
    """Whether ``text`` has a character every placeholder of either pattern starts with, or ``__PH`` (if not,
    there is no placeholder to look at).  Substring tests in C, cheaper than a pattern tried at every character."""
    return "%" in text or "{" in text or "__PH" in text or "\uff5b" in text or "\u27e6" in text

#: Target languages whose glossary terms are matched by stem (see :func:`glossary`).
INFLECTING_LANGUAGES: frozenset[str] = frozenset({
    "hy", "az", "ru", "uk", "be", "bg", "ka", "tr", "kk", "ky", "uz", "tk", "tt", "ba",
    "fi", "et", "hu", "pl", "cs", "sk", "sl", "hr", "sr", "bs", "lt", "lv", "el", "de", "is",
})


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
    for token in debris(pair.source, pair.target, source_tokens=pair.fact("debris", lambda: debris_of(pair.source))):
        pair.add("mt-tokens", f"the translation contains {token!r}, left over by a model or a text pipeline")


@check("numbers", Severity.ERROR, "Every number of the source appears in the translation with the same value, "
       "read in each locale's own number format.",
       also=[Also("numbers-format", Severity.WARNING, "A number appears only in the source locale's format "
                  "(120,000 in a Russian text), which readers of the target may misread."),
             Also("numbers-spelled", Severity.WARNING, "A number is spelled out on one side and not found as "
                  "digits on the other (two civilians / двое)."),
             Also("numbers-minor", Severity.WARNING, "The number 0 or 1 of the source is not in the translation, "
                  "which may say it with a singular or a negation (Delete 1 user / Удалить пользователя), or a "
                  "single digit ending a label of four words or fewer is (Level 2: software numbers its own labels), "
                  "or a number glued to a word by a hyphen (base-10 logarithm / десятичный логарифм)."),
             Also("numbers-informal", Severity.WARNING, "A number is written with the target language's informal "
                  "decimal mark (Persian ۵/۲ for 5.2) rather than CLDR's.")])
def numbers(pair: Pair) -> None:
    """Every number of the source is in the target *as a value* (see :mod:`polybrief.text.numbers`).

    One function for three names because each source number gets exactly one
    verdict, in this order: found (fine); found only when the target is read
    in the *source* locale's format (``numbers-format``, a warning: ``120,000``
    left as is in a Russian text reads as 120 with three decimals); spelled
    out in the target (``numbers-spelled``, a warning: "2" → "двое" is normal
    style in many languages); otherwise missing (``numbers``, an error).
    Then a number the source spells out ("two civilians") that the target has
    neither in digits nor as a number word is a ``numbers-spelled`` warning.
    A decimal written with a locale-valid informal mark (Persian ``۵/۲``,
    :data:`~polybrief.text.numbers.INFORMAL_DECIMALS`) is the same value, so it
    is a ``numbers-informal`` warning, not a missing number.

    The comparison is by set, not count: "2 killed and 2 wounded" needs one
    "2".  Numbers inside URLs, e-mail addresses and placeholders are left to
    those checks.
    """
    source = pair.fact("numbers-text", lambda: _IDENTIFIER.sub(lambda m: " " * len(m.group(0)), accelerators_removed(
        numeric_text(pair.source))))
    target = numeric_text(pair.target)
    src_fmt = number_format(pair.src, source=True)
    source_numbers = pair.fact("numbers", lambda: read_numbers(source, src_fmt, pair.src))
    spelled = pair.fact("spelled", lambda: spelled_source_numbers(source, pair.src.language))
    if not source_numbers and not spelled:
        return  # no number of the source to look for: what follows reads the target for them only
    target_values = _values(_target_numbers(pair, target, pair.tgt, source=False))
    digit_values: set[Decimal] = set()
    reported: set[Decimal] = set()
    for number in source_numbers:
        digit_values |= number.values
        if number.values & target_values or number.value in reported:
            continue
        reported.add(number.value)
        glued = number.start >= 2 and source[number.start - 1] == "-" and source[number.start - 2].isalpha()
        _missing_number(pair, number, found_as=_found_as(pair, number, target), code=glued,
                        label=len(source.split()) <= 4 and not source[number.end:].strip(" .:)")
                        and not _DIGIT.search(target))
    for word, value in spelled:
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
                  "have that reads as a year, an ordinal, 0 or 1, or a small number (below 10) in a source with no "
                  "number at all (\"Dot Dot Dash\" → \"2 dots\").")])
def numbers_added(pair: Pair) -> None:
    """The other direction of ``numbers``: a value in the target that no source number or number word has.

    A figure that appears from nowhere (``710 დაღუპული``) is as wrong as one
    that is lost.  Accepted: any value a source number may stand for (scale
    words included: ``120 тысяч``), numbers the source spells out ("two" →
    ``2``), identifiers glued to letters (``G7``), numbers written in the
    source's format (``numbers-format`` reports those) and informal
    decimals (``numbers-informal``).  A year, an ordinal or inflected number
    and 0 or 1 are warnings (:func:`~polybrief.qa.numbers.looks_like_figure`):
    translators add them for grammar; so is a number below 10 where the
    source has no digits (translators make "double" or "Dot Dot" explicit),
    and words such as "double" or "dozen" allow their value.  When ``numbers`` already found a
    source number missing, an extra number is most likely that number changed
    (``12 000`` for 120,000), which is reported once, as missing.
    """
    if any(finding.check == "numbers" for finding in pair.findings):
        return
    target = numeric_text(pair.target)
    if _DIGIT.search(target) is None:
        return  # no number in the translation (a number word alone is never reported here)
    source = numeric_text(pair.source)
    allowed = pair.fact("numbers-allowed", lambda: _allowed_values(source, pair))
    covered: list[tuple[int, int]] | None = None  # read only when a number is not allowed (in few translations)
    seen: set[Decimal] = set()
    for number in _target_numbers(pair, target, pair.tgt, source=True):
        if number.values & allowed or number.value in seen:
            continue
        if covered is None:
            covered = [(n.start, n.end) for n in informal_decimals(target, pair.tgt)]
            covered += [(n.start, n.end) for n in _target_numbers(pair, target, pair.src, source=True)
                        if n.values & allowed]
        if any(start < number.end and number.start < end for start, end in covered):
            continue
        seen.add(number.value)
        if looks_like_figure(number, target) and (number.value >= 10 or _DIGIT.search(source)):
            pair.add("numbers-added", f"the number {number.text} of the translation is not in the source")
        else:
            pair.add("numbers-added-minor", f"the number {number.text} of the translation is not in the source "
                     "(a year, an ordinal or 0/1: check it belongs there)")


#: Digits glued to a capital letter in the source: a name, not a count (3D, 4K, 5G, 2FA); a number after
#: ``#`` (``#10 Envelope``), a digit with a side (``Diagonal 2l``) and a region code's number (``SE-10``).
_IDENTIFIER = re.compile(r"(?=[\d#])(?:(?<![^\W_])(?<![.,])\d{1,2}[A-Z]{1,3}(?![\w])|#\d+|(?<![\w.,])\d[lr](?!\w)"
                         r"|(?<=\b[A-Z]{2}-)\d{1,3}\b)")  # (?=…): every alternative starts so; tried only there


_DIGIT = re.compile(r"\d")
#: English words that imply a small number a translator may write in digits ("Dot Dot Dash" → "2 dots").
_IMPLIED = re.compile(r"(?<!\w)(?:double|twice|pair|both|dual|second|half|triple|thrice|third|quadruple|fourth"
                      r"|dozen|decade|century|week|hundred|thousand)(?!\w)", re.IGNORECASE)
_IMPLIED_VALUES = {"double": 2, "twice": 2, "pair": 2, "both": 2, "dual": 2, "second": 2, "half": 2, "triple": 3,
                   "thrice": 3, "third": 3, "quadruple": 4, "fourth": 4, "dozen": 12, "decade": 10, "century": 100,
                   "week": 7, "hundred": 100, "thousand": 1000}
_IMPLIED_HINT = words_hint(_IMPLIED_VALUES, r"(?!\w)")


#: A digit glued to a letter: the pattern starts with the digit, so the engine skips ahead to digits in C
#: and looks behind only there (a lookbehind first was tried at every character).
_GLUED_DIGIT = re.compile(r"\d(?<=[^\W\d_]\d)")


def _glued_digit(text: str) -> bool:
    """Whether a digit of ``text`` follows a letter (``G7``): the one place where a source format reads
    otherwise than a target's.  (A word character other than a digit or "_" before a digit.)"""
    return _GLUED_DIGIT.search(text) is not None


def _values(numbers: list[Number]) -> set[Decimal]:
    """Every value any of ``numbers`` may stand for."""
    values: set[Decimal] = set()
    for number in numbers:
        values |= number.values
    return values


def _target_numbers(pair: Pair, target: str, locale: LocaleInfo, *, source: bool) -> list[Number]:
    """The numbers of ``target`` (the pair's translation) read in ``locale``'s format, once per pair.

    A source format differs from a target format only in skipping digits
    glued to a letter (:func:`~polybrief.text.numbers.number_format`), so in a
    translation without any both read the same numbers, and are read once.
    """
    glued = source and pair.shared(("glued", target), lambda: _glued_digit(target))
    return pair.shared(("numbers", target, locale, glued),
                       lambda: read_numbers(target, number_format(locale, source=glued), locale))


def _found_as(pair: Pair, number: Number, target: str) -> str | None:
    """Where a source number the translation lacks as a value is after all: written in the source's format
    (``"format"``), with an informal decimal mark (``"informal"``), or nowhere (None).

    Asked only for a missing number (most translations have none), so a translation is read in the source's
    format only then; the numbers read stay the pair's, for ``numbers-added``.
    """
    src_fmt = number_format(pair.src, source=True)
    tgt_fmt = number_format(pair.tgt, source=False)
    if (src_fmt.groups, src_fmt.decimals) != (tgt_fmt.groups, tgt_fmt.decimals) and number.values & _values(
            _target_numbers(pair, target, pair.src, source=False)):
        return "format"
    if number.value in {found.value for found in informal_decimals(target, pair.tgt)}:
        return "informal"
    return None


def _missing_number(pair: Pair, number: Number, *, found_as: str | None, label: bool, code: bool) -> None:
    """The one verdict on a source number the target lacks as a value (see :func:`numbers`): ``label``, a
    label ending in it; ``code``, it is part of a name (``base-10``, ``PDF/A-2``), often translated as a word."""
    written = pair.tgt.format_number(number.value)
    if found_as == "format":
        pair.add("numbers-format", f"the number {number.text} is written in the source's format; "
                 f"in {pair.tgt.tag} write {written}")
    elif found_as == "informal":
        pair.add("numbers-informal", f"the number {number.text} is written with an informal decimal mark; "
                 f"in {pair.tgt.tag} CLDR writes {written}")
    elif number.value == number.value.to_integral_value() and has_number_word(
            pair.target, pair.tgt.language, int(number.value)):
        pair.add("numbers-spelled", f"the number {number.text} is spelled out in the translation; "
                 "check it is the same number")
    elif number.value in (0, 1) or code or (label and number.value < 10):
        pair.add("numbers-minor", f"the number {number.text} of the source is not in the translation; "
                 "a singular, a negation or the label's own numbering may say it")
    else:
        pair.add("numbers", f"the number {number.text} of the source is missing from the translation "
                 f"(in {pair.tgt.tag} it is written {written})")


def _allowed_values(source: str, pair: Pair) -> frozenset[Decimal]:
    """Every value a number of the target may stand for: the source's numbers (read as a target reads
    them, glued to letters too) and the numbers it spells out."""
    allowed: set[Decimal] = set()
    for number in read_numbers(source, number_format(pair.src, source=False), pair.src):
        allowed |= number.values
    allowed |= {Decimal(value) for _, value in pair.fact("spelled", lambda: spelled_source_numbers(
        source, pair.src.language))}
    if may_have_words(_IMPLIED_HINT, source):
        allowed |= {Decimal(_IMPLIED_VALUES[ascii_key(m.group(0))]) for m in _IMPLIED.finditer(source)}
    for date in dates_in(source, pair.src.language, pair.src.identifier):  # 12 May → 12.05
        allowed |= {Decimal(date.month)} | ({Decimal(date.year % 100)} if date.year else set())
    return frozenset(allowed)


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
    """Links are identical in the target (:data:`~polybrief.text.patterns.URL` decides what a link is)."""
    source_urls = pair.fact("urls", lambda: list(dict.fromkeys(urls(pair.source))))
    if not source_urls:
        return
    target_urls = set(urls(pair.target))
    for url in source_urls:
        if url not in target_urls and url not in pair.target:
            pair.add("urls", f"the link {url} is missing or changed")


#: Domains reserved for examples (RFC 2606): a translator may localise the person in a sample address.
_EXAMPLE_DOMAIN = re.compile(r"(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost)$")


@check("emails", Severity.ERROR, "Every e-mail address of the source appears unchanged.")
def addresses(pair: Pair) -> None:
    """E-mail addresses are in the target, compared case-insensitively (domains ignore case)."""
    source_mails = pair.fact("emails", lambda: list(dict.fromkeys(emails(pair.source))))
    if not source_mails:
        return
    target_mails = {e.lower() for e in emails(pair.target)}
    domains = {address.rpartition("@")[2] for address in target_mails}
    for address in source_mails:
        domain = address.lower().rpartition("@")[2]
        if domain in domains and _EXAMPLE_DOMAIN.search(domain):
            continue  # a sample address (john.doe@example.org) localised: ivan.ivanov@example.org
        if address.lower() not in target_mails:
            pair.add("emails", f"the address {address} is missing or changed")


@check("placeholders", Severity.ERROR, "No machine-translation placeholder ({1}), printf token (%s, %d, %1$s) or "
       "template leftover (%(name)s, {0}, ⟦…⟧) that the source lacks.",
       also=[Also("placeholders-count", Severity.WARNING, "A count token (%d, %(count)s) the source lacks, where the "
                  "source is a short singular that says \"one\" or \"a\" (a plural message's first form).")])
def placeholders(pair: Pair) -> None:
    """Tokens of MT protection (``{1}``, ``{ 1 }``, ``｛1｝``), printf or other templates the source does not have.

    Such a token in front of readers means a restore went wrong; tokens the
    source itself has (a quoted template) are fine.  Each leftover is reported
    once.  A count token added to a source that says "an hour" or "one file"
    is how a plural message's singular is translated in many languages
    (``%(count)s ساعت دیگر``): ``placeholders-count``, a warning.
    """
    if not _placeholder_hint(pair.target):
        return
    seen: set[str] = set()
    for pattern in (MT_PLACEHOLDER, TEMPLATE_PLACEHOLDER):
        source_tokens = pair.fact(f"placeholders:{pattern.pattern}", lambda: {
            re.sub(r"\s", "", m.group(0)) for m in pattern.finditer(pair.source)})  # noqa: B023 - used at once
        for m in pattern.finditer(pair.target):
            token = re.sub(r"\s", "", m.group(0))
            if token in source_tokens or token in seen or token.startswith("%"):
                continue
            seen.add(token)
            pair.add("placeholders", f"leftover placeholder {m.group(0)!r} in the translation")
    extra = printf.compare(pair.source, pair.target).extra
    if not extra:
        return
    singular = not printf.tokens(pair.source) and len(pair.source.split()) <= 6 and _ONE.search(pair.source) is not None
    for token in extra:
        if singular and _COUNT_TOKEN.fullmatch(token):
            pair.add("placeholders-count", f"the count token {token!r} is not in the source, which says "
                     "\"one\" or \"a\"; check this is a plural message's first form")
        else:
            pair.add("placeholders", f"leftover placeholder {token!r} in the translation")


#: A word of the source that says "one" (a plural message's singular form).
_ONE = re.compile(r"(?<![\w'’])(?:a|an|one|single|1)(?![\w'’])", re.IGNORECASE)
#: A printf token that stands for a count.
_COUNT_TOKEN = re.compile(r"%(?:\d\$)?[-#0+']*\d*[diu]|%(?:l|ll|h|z|I64|j)[diu]|%\((?:\w+_)?(?:count|num|number|n|"
                          r"total|amount|cnt|counter|quantity|size|value|days|hours|minutes|seconds|items)(?:_\w+)?\)[sdi]",
                          re.IGNORECASE)


@check("markup", Severity.ERROR, "Every HTML tag, template expression ({{ … }}, {% … %}) and format "
       "placeholder (%s, %1$s, %(name)s, {0}) of the source appears in the translation.",
       also=[Also("markup-count", Severity.WARNING, "An integer format token of the source (%d) is missing: a "
                  "singular form may spell its number out (\"one file\"); check the number is there.")])
def markup(pair: Pair) -> None:
    """The other direction of ``placeholders``: literal markup of the source kept (:mod:`polybrief.qa.tokens`).

    Brief text is escaped, so ``<b>UPDATE</b>`` or ``{{ arrivals_total }}``
    in a source is text the author shows on purpose; a translation without it
    shows something else.  printf tokens are compared by :mod:`polybrief.qa.printf`
    (positional ``%2$s`` keeps ``%s``); a lost ``%d`` is a warning
    (``markup-count``), since a plural message's singular says "one" in words.
    """
    for token in missing_markup(pair.source, pair.target, source_markup=pair.fact("markup", lambda: markup_of(
            pair.source))):
        pair.add("markup", f"{token!r} of the source is missing from the translation")
    if "%" not in pair.source:
        return
    found = printf.compare(pair.source, pair.target)
    for token in found.missing:
        pair.add("markup", f"{token!r} of the source is missing from the translation")
    for token in found.missing_counts:
        pair.add("markup-count", f"{token!r} of the source is missing from the translation; check the number "
                 "is spelled out")


@check("plural-forms", Severity.ERROR, "Every plural form of a figure's unit is filled in, written in the target "
       "language's script, and keeps a phrase's {count} (a form shown for one number may spell it out).",
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
    is a warning, because the endings are a heuristic.  The endings say
    nothing when a word before the number decides the case (a figure phrase
    such as "не менее {count} мирных жителей", genitive for every count), so
    such phrases are not judged by them.  A phrase's form that loses its
    ``{count}`` (or has it twice) is an error too: the entry is not published,
    since the figure would have no number (:func:`~polybrief.fields.keeps_count`).
    """
    plural = pair.plural
    if plural is None:
        return
    expected = locale_script(pair.tgt)
    accepted = SCRIPT_FAMILIES.get(expected, frozenset({expected})) if expected else frozenset()
    sources = {s.strip().casefold() for s in (pair.plural_source or {}).values()}
    phrase = any(COUNT_PLACEHOLDER in source for source in (pair.plural_source or {}).values())
    for index, form in enumerate(plural.forms):
        shown = f"plural form {index} (shown for {_counts(plural.samples[index])})"
        if not form.strip():
            pair.add("plural-forms", f"{shown} is empty, so the whole entry is not published")
            continue
        if phrase and not keeps_count(form, plural.samples[index]):
            pair.add("plural-forms", f"{shown} {form!r} must hold {COUNT_PLACEHOLDER} once, where the number goes, "
                     "so the whole entry is not published")
            continue
        counts = script_counts(_without_kept_terms(blank_spans(form, (TEMPLATE_PLACEHOLDER,)), pair.rules))
        total = sum(counts.values())
        if expected and total >= 2 and sum(n for code, n in counts.items() if code in accepted) * 2 < total:
            pair.add("plural-forms", f"{shown} {form!r} is not in the {expected} script of {pair.tgt.tag}")
        elif (pair.src.language != pair.tgt.language and form.strip().casefold() in sources
              and not all(is_name_like(w) for w in WORD.findall(form))):
            pair.add("plural-untranslated", f"{shown} {form!r} is the source's own form")
    if any(not source.lstrip().startswith(COUNT_PLACEHOLDER) and COUNT_PLACEHOLDER in source
           for source in (pair.plural_source or {}).values()):
        return  # a qualifier phrase: the qualifier, not the count, decides the unit's case
    categories = form_categories(plural.samples, pair.tgt)
    for index, own, better in misplaced_forms(plural.forms, categories, pair.tgt.language):
        pair.add("plural-order", f"plural form {index} {plural.forms[index]!r} is shown for "
                 f"{_counts(plural.samples[index])} ({own}) but reads as the {better} form")


@check("repeated-text", Severity.ERROR, "No sentence, and no run of three or more words, is repeated where the "
       "source has no such repetition.")
def repeated_text(pair: Pair) -> None:
    """A doubled sentence or a phrase in a loop: what decoders do and translators do not."""
    tgt = sentences(pair.target, pair.tgt.language)
    repeated = repeated_sentences(tgt)
    if repeated and len(pair.fact("repeated", lambda: repeated_sentences(sentences(
            pair.source, pair.src.language)))) < len(repeated):
        pair.add("repeated-text", f"the sentence {_clip(repeated[0])} appears twice")
        return
    phrase = looped_phrase(blank_placeholders(pair.target))
    if phrase is not None and pair.fact("looped", lambda: looped_phrase(blank_placeholders(pair.source))) is None:
        pair.add("repeated-text", f"the words {phrase!r} are repeated back to back")

