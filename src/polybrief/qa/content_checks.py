"""Checks that a translation says what its source says: dates, currencies, percentages, its whole length.

Each compares one kind of fact the ``numbers`` check cannot see, because the
digits survive: a date with day and month swapped or the month renamed
(:mod:`polybrief.qa.dates`), dollars turned into euros or a percent sign
dropped (:mod:`polybrief.qa.symbols`), a translation cut off half-way.  All
are errors, because each changes what a reader believes and each is
reported only on evidence from both sides: a date the source gives whose
month the translation names otherwise, a currency the translation replaces
with another, a percentage with no percent sign or word left.
"""

from __future__ import annotations

import re

from ..text.scripts import SCRIPT_DENSITY, locale_script
from .dates import dates_in
from .names import blank_placeholders, latin_names, name_like
from .registry import Also, Pair, check
from .report import Severity
from .symbols import CODES, currencies, has_percent, names_currency, percents

__all__ = ["EXPECTED_RATIO", "TRUNCATED_BELOW"]

#: The usual length of a translation relative to its English source, by language (the median measured on
#: the reviewed catalogs of bench/real_corpus.py: 0.80 for Arabic, 0.95 for Persian, 0.98–1.04 elsewhere).
EXPECTED_RATIO: dict[str, float] = {"ar": 0.8, "fa": 0.95, "he": 0.8}
#: A translation shorter than this share of its expected length, which also lost the source's final
#: full stop, is cut off.
TRUNCATED_BELOW = 0.55
_NUMERIC_DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@check("dates", Severity.ERROR, "Every date of the source has the same month in the translation, and the same day "
       "where both give one (no day and month swapped, no month renamed).")
def dates(pair: Pair) -> None:
    """Dates compared as (day, month, year) read in each locale (:func:`~polybrief.qa.dates.dates_in`).

    Only dates both sides give are compared: a source month that the
    translation does not name at all is left to the ``numbers`` check (its
    day and year are numbers); a translation whose dates name *other*
    months, or the source's month with another day, is an error.
    """
    source = pair.fact("dates", lambda: dates_in(pair.source, pair.src.language, pair.src.identifier))
    if not source:
        return
    copied = pair.fact("numeric-dates", lambda: _NUMERIC_DATE.findall(pair.source))
    text = pair.target
    for date in copied:  # a numeric date kept exactly as the source writes it is the source's date
        text = text.replace(date, " ")
    target = dates_in(text, pair.tgt.language, pair.tgt.identifier)
    if not target:
        return
    months = {d.month for d in target}
    for date in source:
        name = _MONTHS[date.month - 1]
        if date.month not in months:
            other = ", ".join(_MONTHS[m - 1] for m in sorted(months))
            pair.add("dates", f"the source's date in {name} reads as {other} in the translation "
                     "(day and month swapped, or the month changed?)")
            return
        days = {d.day for d in target if d.month == date.month and d.day is not None}
        if date.day is not None and days and date.day not in days:
            pair.add("dates", f"the source's {name} {date.day} reads as {name} {min(days)} in the translation")
            return


@check("currency", Severity.ERROR, "Every currency the source names next to an amount ($, €, USD, dollars) is the "
       "currency of the translation, not another one.",
       also=[Also("currency-missing", Severity.WARNING, "A currency the source names is not named in the "
                  "translation at all (no symbol, code or name).")])
def currency(pair: Pair) -> None:
    """Currencies by ISO code (:mod:`polybrief.qa.symbols`): replaced by another is an error, gone a warning."""
    wanted = pair.fact("currencies", lambda: currencies(pair.source))
    if not wanted:
        return
    target = pair.target
    identifier = pair.tgt.identifier
    for code in wanted:
        if names_currency(target, code, identifier) or names_currency(target, code, "en"):
            continue
        others = [c for c in CODES if c not in wanted and names_currency(target, c, identifier)]
        if others:
            pair.add("currency", f"the source's {code} is {others[0]} in the translation")
        else:
            pair.add("currency-missing", f"the source's {code} is not named in the translation")


@check("percent", Severity.ERROR, "Where the source gives a percentage (84.5%), the translation keeps a percent "
       "sign or the language's word for percent.")
def percent(pair: Pair) -> None:
    """A percentage without its sign reads as a count (:func:`~polybrief.qa.symbols.has_percent`)."""
    if not pair.fact("percents", lambda: percents(blank_placeholders(pair.source))):
        return
    if not has_percent(blank_placeholders(pair.target), pair.tgt.identifier, pair.tgt.language):
        pair.add("percent", "the source gives a percentage; the translation has no percent sign or word")


def expected_length(pair: Pair) -> float:
    """How long the translation of ``pair.source`` is expected to be, in characters."""
    density = SCRIPT_DENSITY.get(locale_script(pair.tgt) or "", 1.0) / SCRIPT_DENSITY.get(
        locale_script(pair.src) or "", 1.0)
    return len(pair.source.strip()) * density * EXPECTED_RATIO.get(pair.tgt.language, 1.0)


#: What ends a sentence, and the closing marks that may follow it.
_MARKS = frozenset(".!?։。؟…۔")
_CLOSERS = "\"'»”’)]"


def _ends_sentence(text: str) -> bool:
    """Whether ``text`` ends with a sentence mark, closing marks and white space after it aside: what
    ``[.!?։。؟…۔]["'»”’)\\]]*\\s*$`` finds, read from the end instead of tried at every mark of the text."""
    return text.rstrip().rstrip(_CLOSERS)[-1:] in _MARKS


def _truncatable(source: str) -> bool:
    """Whether ``source`` is a sentence long enough for ``truncated`` to judge (once per source text)."""
    source = source.strip()
    return len(source) >= 40 and len(source.split()) >= 6 and _ends_sentence(source)


@check("truncated", Severity.ERROR, "The translation is not cut off: a sentence of the source (40 characters or "
       "more, ending in a full stop) is not translated by less than 55 % of its expected length without its own "
       "full stop.")
def truncated(pair: Pair) -> None:
    """A translation far shorter than expected that lost the source's final mark (:data:`TRUNCATED_BELOW`).

    The expected length corrects for script density and for languages that
    are shorter than English (:data:`EXPECTED_RATIO`); on the reviewed
    catalogs fewer than one correct translation in a thousand is that short
    *and* lost its final mark.
    """
    if not pair.fact("truncatable", lambda: _truncatable(pair.source)):
        return
    source = pair.source.strip()
    target = pair.target.strip()
    if _ends_sentence(target) or len(target) >= TRUNCATED_BELOW * expected_length(pair):
        return
    pair.add("truncated", f"the translation is {len(target)} characters for a source of {len(source)} and has no "
             "final full stop; is it cut off?")


#: A word of four or more ASCII letters.  It starts with a letter and looks behind it (``(?<!\w.)``: no word
#: character before that letter), so the engine skips ahead to ASCII letters in C; a lookbehind first was tried
#: at every character.  ``{3,}+`` gives nothing back: a letter given back is a word character, which ends no match.
_LATIN_WORD = re.compile(r"[A-Za-z](?<!\w[A-Za-z])[A-Za-z]{3,}+(?!\w)")


def _one_edit(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one letter changed, dropped, added or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@check("names", Severity.ERROR, "A name the source writes in Latin letters (OpenDocument, Mbochi) is not misspelled "
       "in the translation: no Latin word one letter away from it stands where it is missing.")
def names(pair: Pair) -> None:
    """A Latin word of the translation one edit away from a source name the translation lacks.

    In a target of another script, every Latin word of the source counts (a
    Latin word there is copied); in a Latin target only acronyms and camel
    case (:func:`~polybrief.qa.names.latin_names`; az writes ``Helvetika``).
    A word that starts with the whole name is an inflection (``Firefoxda``),
    not a typo.
    """
    if _LATIN_WORD.search(pair.target) is None:
        return  # no Latin word in the translation: none can be a misspelled name
    if locale_script(pair.tgt) == "Latn":  # Latin targets adapt plain names (Helvetica → Helvetika): codes only
        wanted = [n for n in pair.fact("names", lambda: latin_names(pair.source)) if name_like(n)]
    else:  # any Latin word of a Cyrillic or Arabic translation is copied from the source: every source word counts
        wanted = pair.fact("latin-words", lambda: list(dict.fromkeys(_LATIN_WORD.findall(pair.source))))
    if not wanted:
        return
    target = pair.target
    lowered = target.casefold()
    missing = [n for n in wanted if len(n) >= 4 and n.casefold() not in lowered]
    if not missing:
        return
    source = pair.source.casefold()
    for m in _LATIN_WORD.finditer(target):
        word = m.group(0)
        if word.casefold() in source:
            continue
        for name in missing:
            if not word.startswith(name) and _one_edit(name.casefold(), word.casefold()):
                pair.add("names", f"{word!r} in the translation looks like the source's {name!r} misspelled")
                return
