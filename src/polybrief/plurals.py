"""Plural rules in one place: a language's gettext rule, a catalog's ``Plural-Forms``, and which counts show which form.

A plural message (a figure's unit) has one catalog form per gettext index;
the catalog's ``Plural-Forms`` expression picks the index for a count, and
CLDR (through Babel) names the category of a count in a language (``one``,
``few``, ``many``, ...).  What polybrief does with the two is here, so the
catalog readers (:mod:`polybrief.catalogs.header`, :mod:`~polybrief.catalogs.po`,
:mod:`~polybrief.catalogs.brief`), localisation and the quality checks ask
one module instead of each re-deriving a rule:

* :func:`cldr_rule` and :func:`expected_plural_forms`: the rule Babel writes
  for a language (its ``Plural-Forms`` header);
* :func:`check_raw_plural_forms` and :func:`plural_rule`: the header of a
  catalog, read as text;
* :func:`compile_plural`: an expression compiled once per distinct text, not
  once per catalog;
* :func:`plural_verdict` (and :func:`plural_forms_problem`, its refusal alone):
  whether a catalog's rule can serve a language, and what to warn about;
* :func:`form_samples` and :func:`form_categories`: which counts, and so which
  CLDR categories, each form index is shown for ("the form shown for 5");
* :func:`form_index`: the form a number *as written* takes (below).

The CLDR category of a single number is
:meth:`polybrief.cldr.LocaleInfo.plural_category` (a locale's data, like its
digits); :func:`form_categories` asks it through Babel for whole sets of
counts.  Whether a form *reads* like its category is a heuristic of the
quality checks (:mod:`polybrief.qa.plurals`), which take their data from here.

Which form a number takes
------------------------
A gettext expression sees only whole numbers, but a figure is shown as
written: "2,93", "1,5", "1,0".  CLDR's plural rules count the visible
fraction digits (operands ``v`` and ``f``), so ``1.0`` is not ``1``: in
Russian every number with visible decimals is ``other`` ("2,93 миллиона",
"1,0 километра"), while Belarusian keeps ``1.0`` in ``one``.  :func:`form_index`
therefore takes the form from the expression only for a number written without
decimals, and otherwise from CLDR's category of the number as written:

1. the form whose whole numbers CLDR puts in that category (English ``other``
   for 1.5: the form of 2; Persian ``one`` for 0.5);
2. else a form no whole number reaches: the extra form of catalogs that carry
   CLDR's full set of categories, as Django and Transifex write Russian,
   Ukrainian and Polish (``nplurals=4; plural=(n % 1 == 0 && ...) ? ... : 3``,
   the fourth form for fractions);
3. else, in a three-form Russian, Ukrainian or Belarusian catalog (GNU's rule,
   which has no form for fractions), the ``few`` form: with a fraction these
   languages take the genitive singular ("2,5 километра", "1,5 миллиона"),
   which is the word of the ``few`` form ("2 километра");
4. else the last form (what polybrief did for every fraction before, kept for
   languages without a documented choice: give such a catalog CLDR's full set).

Why the header is read here and not in ``catalogs``
---------------------------------------------------
``Plural-Forms`` is the rule itself written as text (``nplurals=3;
plural=...;``), not a property of the PO file format: a catalog reader only
hands the header's value over.  Keeping its parsing beside the evaluator
means there is one place where a catalog's text is evaluated as an
expression, and this module needs nothing above :mod:`polybrief.errors`,
:mod:`polybrief.limits` and Babel, so every layer may use it.

Checking a header
-----------------
Before any PO library sees the header, :func:`check_raw_plural_forms`
refuses what Babel gets wrong: it raises a bare ``ValueError`` for a
non-numeric ``nplurals`` and allocates ``nplurals`` forms per plural entry
(``nplurals=99999999999999`` exhausts memory).

:func:`plural_verdict` then validates the plural expression with the
standard library's own safe evaluator (:func:`gettext.c2py`, which accepts
only ``n``, integers, C operators and parentheses, and compiles nothing
else): at most ``Limits.plural_expr_chars`` characters (unless it is the
expression Babel writes for the language), and for every n in 0..1000,
around every power of ten up to 10^18, round millions and a brief's own
figures an index below ``nplurals`` (no division by zero), with no two of
CLDR's plural categories for the language sharing one form -- unless the
expression picks the same forms as Babel's rule or GNU gettext's traditional
one for the language (then a warning says which numbers share a form).  A bad
header is one error naming the file, with the expected header in the message.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .errors import CatalogError
from .limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from babel import Locale

    from .cldr import LocaleInfo

__all__ = [
    "LARGE_SAMPLES",
    "PLURAL_CATEGORIES",
    "PluralRule",
    "check_raw_plural_forms",
    "cldr_rule",
    "compile_plural",
    "expected_plural_forms",
    "form_categories",
    "form_index",
    "form_samples",
    "FRACTION_FALLBACK",
    "GNU_PLURAL_RULES",
    "plural_forms_problem",
    "plural_rule",
    "plural_verdict",
    "SAMPLE_COUNTS",
]

#: CLDR plural categories, in CLDR's own order.
PLURAL_CATEGORIES: tuple[str, ...] = ("zero", "one", "two", "few", "many", "other")


class PluralRule(NamedTuple):
    """A gettext plural rule: how many forms, and the expression that picks one for ``n``."""

    nplurals: int
    expression: str

    @property
    def header(self) -> str:
        """The rule as a ``Plural-Forms`` header value, written as Babel writes it."""
        return f"nplurals={self.nplurals}; plural={self.expression};"


@functools.lru_cache(maxsize=256)
def cldr_rule(locale: Locale) -> PluralRule:
    """The rule Babel writes for ``locale`` (from CLDR, or its own table where that predates CLDR)."""
    from babel.messages.plurals import get_plural

    reference = get_plural(locale)
    return PluralRule(reference.num_plurals, reference.plural_expr)


def expected_plural_forms(locale: str | Locale | None) -> str | None:
    """The ``Plural-Forms`` header Babel writes for ``locale`` (None when it is not known)."""
    if locale is None:
        return None
    from babel.messages.catalog import Catalog as _Catalog

    try:
        return _Catalog(locale=locale).plural_forms
    except (ValueError, TypeError):
        return None


def _plural_hint(locale: str | Locale | None) -> str:
    expected = expected_plural_forms(locale)
    if expected:
        return f"use 'Plural-Forms: {expected}'"
    return "use the header GNU gettext gives for the language, e.g. 'Plural-Forms: nplurals=2; plural=(n != 1);'"


def check_raw_plural_forms(value: str | None, path: Path, locale: str | Locale | None, limits: Limits) -> None:
    """What Babel would crash on or choke on: a non-numeric or huge ``nplurals``, a missing or huge ``plural``."""
    if value is None:
        return
    params: dict[str, str] = {}
    for part in value.split(";"):
        name, sep, setting = part.partition("=")
        if sep:
            params[name.strip().lower()] = setting.strip()
    nplurals, expr = params.get("nplurals"), params.get("plural")
    problem = None
    if nplurals is None or expr is None:
        problem = "Plural-Forms header needs both nplurals= and plural="
    elif not re.fullmatch(r"\d{1,2}", nplurals) or not 1 <= int(nplurals) <= 20:
        problem = f"Plural-Forms header has nplurals={nplurals!r}, not a number of forms from 1 to 20"
    if problem:
        raise CatalogError(problem, file=path, field="Plural-Forms", hint=_plural_hint(locale))


_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
_PLURAL = re.compile(r"plural\s*=\s*([^;]+)")


def plural_rule(plural_forms: str | None, locale: LocaleInfo) -> tuple[int, str]:
    """``(nplurals, expression)`` from a ``Plural-Forms`` header, else the locale's CLDR rule."""
    reference = cldr_rule(locale.babel)
    if not plural_forms:
        return reference.nplurals, reference.expression
    count, expression = _NPLURALS.search(plural_forms), _PLURAL.search(plural_forms)
    if count is None or expression is None:
        raise CatalogError(f"cannot read Plural-Forms {plural_forms!r}", field="Plural-Forms",
                           hint=f"use 'Plural-Forms: {reference.header}'")
    return int(count.group(1)), expression.group(1).strip()


def compile_plural(expr: str, *, max_chars: int = 1000) -> Callable[[int], int]:
    """``expr`` compiled by :func:`gettext.c2py` (only ``n``, integers, C operators); ``ValueError`` if refused.

    Compiled once per distinct expression (every catalog of a language has
    the same one, and a publish run opens hundreds of catalogs).
    """
    if len(expr) > max_chars:
        raise ValueError(f"the expression is {len(expr)} characters long, more than the {max_chars} allowed")
    return _compiled(expr)


@functools.lru_cache(maxsize=64)
def _compiled(expr: str) -> Callable[[int], int]:
    """:func:`gettext.c2py` of ``expr``, cached: the function it returns keeps no state."""
    try:
        return gettext.c2py(expr)
    except RecursionError:
        raise ValueError("the expression is nested too deeply") from None
    except SyntaxError as exc:  # pragma: no cover - c2py turns syntax errors into ValueError
        raise ValueError(str(exc)) from None


#: Counts every ``Plural-Forms`` expression is checked on besides 0..1000: 10^k - 1, 10^k and 10^k + 1 up to
#: 10^18 (beyond the largest figure a brief may hold), so a rule that is CLDR's up to 1000 and something else
#: above (``n>1000 ? 0 : <the ru rule>`` wrote "120 000 мирный житель") is caught.
LARGE_SAMPLES: tuple[int, ...] = tuple(sorted({10**k + d for k in range(3, 19) for d in (-1, 0, 1)} - set(range(1001))))

#: Every count a rule is judged on: 0–1000, :data:`LARGE_SAMPLES`, and round figures briefs print (millions).
SAMPLE_COUNTS: tuple[int, ...] = tuple(sorted(
    {*range(1001), *LARGE_SAMPLES}
    | {m * 10 ** 6 for m in (1, 2, 5, 21)} | {1_000_001, 1_500_000, 120_000, 10_000_000}
))

#: GNU gettext's traditional rules (``msginit``, gettext 0.21; Catalan as Poedit writes it) for the languages
#: where they give one form to numbers of two CLDR categories (every other language's ``msginit`` rule keeps
#: CLDR's categories apart): accepted as they are, with a warning naming the merged numbers.
GNU_PLURAL_RULES: Mapping[str, tuple[int, str]] = {
    "fr": (2, "(n > 1)"),
    "pt_BR": (2, "(n > 1)"),
    "es": (2, "(n != 1)"),
    "it": (2, "(n != 1)"),
    "pt": (2, "(n != 1)"),
    "ca": (2, "(n != 1)"),
    "he": (2, "(n != 1)"),
    "lv": (3, "(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2)"),
    "ga": (3, "n==1 ? 0 : n==2 ? 1 : 2"),
}


def plural_verdict(nplurals: int, expr: str, locale: Locale, *, max_chars: int = DEFAULT_LIMITS.plural_expr_chars,
                   counts: Iterable[int] = ()) -> tuple[str | None, str | None]:
    """``(problem, warning)`` for a catalog rule serving ``locale``; both None: fine.

    The rule is evaluated on :data:`SAMPLE_COUNTS` and on ``counts`` (a
    brief's own figures).  It is *refused* when it fails or gives a form
    outside ``0..nplurals-1`` for one of them, or when it gives one form to
    numbers of two CLDR categories (n = 0 aside: GNU's and Poedit's
    ``(n != 1)`` for Armenian or ``(n > 1)`` for French put 0 where CLDR
    does not, and briefs rarely count zero) and picks neither the forms of
    Babel's rule for the language nor those of GNU gettext's traditional one
    (:data:`GNU_PLURAL_RULES`).  A rule with *more* forms than Babel's is
    fine when every category keeps its own forms: Django's and Transifex's
    four-form Russian and Ukrainian, whose fourth form is CLDR's ``other``
    (fractions, see :func:`form_index`).  Where an accepted rule merges
    categories (GNU's two-form French puts CLDR's ``many``, 1000000, with
    ``other``), the warning says which form is shown for which numbers.
    Babel's own expression is accepted whatever its length (Breton's and
    Cornish's are 326 and 472 characters); any other is held to ``max_chars``.
    """
    reference = cldr_rule(locale)
    if nplurals == reference.nplurals and " ".join(expr.split()) == " ".join(reference.expression.split()):
        return None, None
    problem, warning = _judge(nplurals, expr, locale, max_chars, counts)
    if problem is not None and nplurals != reference.nplurals:
        problem = f"header declares nplurals={nplurals}, but {locale} has {reference.nplurals} plural forms: {problem}"
    return problem, warning


def plural_forms_problem(nplurals: int, expr: str, locale: Locale, *,
                         max_chars: int = DEFAULT_LIMITS.plural_expr_chars, counts: Iterable[int] = ()) -> str | None:
    """Why ``nplurals``/``expr`` cannot serve ``locale``, or None (the problem of :func:`plural_verdict`)."""
    return plural_verdict(nplurals, expr, locale, max_chars=max_chars, counts=counts)[0]


def _judge(nplurals: int, expr: str, locale: Locale, max_chars: int, counts: Iterable[int]
           ) -> tuple[str | None, str | None]:
    try:
        func = compile_plural(expr, max_chars=max_chars)
    except ValueError as exc:
        return f"Plural-Forms expression {expr!r} is not a valid gettext expression: {exc}", None
    extra = {abs(int(n)) for n in counts} - set(SAMPLE_COUNTS)
    sample = (*SAMPLE_COUNTS, *sorted(extra))
    indices: dict[int, int] = {}
    for n in sample:
        try:
            index = func(n)
        except (ArithmeticError, ValueError) as exc:
            return f"Plural-Forms expression {expr!r} fails for n={n}: {exc}", None
        if not 0 <= index < nplurals:
            return f"Plural-Forms expression {expr!r} gives form {index} for n={n}, outside 0..{nplurals - 1}", None
        indices[n] = index
    merged = _merged_categories(indices, locale)
    if not merged:
        return None, None
    if not _traditional(nplurals, indices, locale):
        index, (first, n1), (second, n2) = merged[0]
        return (f"Plural-Forms expression {expr!r} gives {n1} (CLDR {first!r}) and {n2} (CLDR {second!r}) "
                f"the same form {index}, but {locale} writes them differently"), None
    return None, _describe(nplurals, indices, merged, locale)


def _merged_categories(indices: Mapping[int, int], locale: Locale
                       ) -> list[tuple[int, tuple[str, int], tuple[str, int]]]:
    """Forms given to numbers of two CLDR categories: ``(form, (category, n), (other category, m))``, one per form."""
    owner: dict[int, tuple[str, int]] = {}
    merged: dict[int, tuple[int, tuple[str, int], tuple[str, int]]] = {}
    for n, index in indices.items():
        if n == 0:
            continue  # see plural_verdict
        category = _category(locale, n)
        first = owner.setdefault(index, (category, n))
        if first[0] != category and index not in merged:
            merged[index] = (index, first, (category, n))
    return list(merged.values())


@functools.lru_cache(maxsize=65536)
def _category(locale: Locale, n: int) -> str:
    return str(locale.plural_form(n))


def _traditional(nplurals: int, indices: Mapping[int, int], locale: Locale) -> bool:
    """Whether the rule picks the forms Babel's or GNU gettext's own rule for the language picks, on the sample."""
    rules = [cldr_rule(locale)]
    for name in (str(locale), locale.language):
        if name in GNU_PLURAL_RULES:
            count, expression = GNU_PLURAL_RULES[name]
            rules.append(PluralRule(count, expression))
            break
    for rule in rules:
        if rule.nplurals != nplurals:
            continue
        reference = compile_plural(rule.expression, max_chars=1 << 16)
        if all(reference(n) == index for n, index in indices.items()):
            return True
    return False


def _describe(nplurals: int, indices: Mapping[int, int], merged: Sequence[tuple[int, tuple[str, int],
              tuple[str, int]]], locale: Locale) -> str:
    """Which form the rule shows for which numbers, and which CLDR categories share a form."""
    by_form: dict[int, list[int]] = {}
    for n, index in indices.items():
        by_form.setdefault(index, []).append(n)
    parts = []
    for index in range(nplurals):
        numbers = by_form.get(index, [])
        shown = ", ".join(str(n) for n in numbers[:4]) + (", …" if len(numbers) > 4 else "")
        parts.append(f"form {index} for {shown or 'no number'}")
    shared = "; ".join(f"form {index} serves CLDR {a!r} ({na}) and {b!r} ({nb})" for index, (a, na), (b, nb)
                       in merged)
    return (f"Plural-Forms has {nplurals} forms where CLDR's rule for {locale} has "
            f"{cldr_rule(locale).nplurals}: {'; '.join(parts)} ({shared})")


@functools.lru_cache(maxsize=64)
def form_samples(expression: str) -> tuple[tuple[int, ...], ...]:
    """The counts 0–120 that ``expression`` shows each form index for (worked out once per expression).

    ``samples[i]`` lists the counts of form ``i`` (ru: ``(1, 21, 31, ...)``,
    ``(2, 3, 4, 22, ...)``, ``(0, 5, ..., 20, 25, ...)``); an index no count
    reaches has no counts.  The expression must already have been checked
    (:func:`plural_verdict`).
    """
    plural = _compiled(expression)
    samples: dict[int, list[int]] = {}
    for n in range(121):
        index = int(plural(n))
        if index >= 0:
            samples.setdefault(index, []).append(n)
    return tuple(tuple(samples.get(i, ())) for i in range(max(samples, default=-1) + 1))


def form_categories(samples: tuple[tuple[int, ...], ...], locale: LocaleInfo) -> tuple[tuple[str, ...], ...]:
    """The CLDR categories (in first-seen order) each form index is shown for in ``locale``.

    With ``samples`` from :func:`form_samples`: ru's ``(1, 21, ...)`` is
    ``one``, ``(2, 3, 4, ...)`` ``few`` and ``(0, 5, ...)`` ``many``, so a
    check can say "the form shown for 5".
    """
    return _form_categories(samples, locale.babel)


@functools.lru_cache(maxsize=256)
def _form_categories(samples: tuple[tuple[int, ...], ...], babel_locale: Locale) -> tuple[tuple[str, ...], ...]:
    # Cached: every figure of every brief asks the same question (Babel's rules are slow to evaluate).
    return tuple(tuple(dict.fromkeys(babel_locale.plural_form(n) for n in counts)) for counts in samples)


#: The CLDR category whose form a catalog without a form for fractions shows a fraction in (rule 3 of
#: "Which form a number takes"): East Slavic languages put a fraction's noun in the genitive singular.
FRACTION_FALLBACK: dict[str, str] = {"ru": "few", "uk": "few", "be": "few"}


def written_decimals(value: int | Decimal | float) -> int:
    """How many fraction digits ``value`` shows as written (``Decimal("1.0")`` → 1, ``2`` → 0)."""
    if isinstance(value, int):
        return 0
    exponent = Decimal(repr(value) if isinstance(value, float) else value).as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def form_index(value: int | Decimal | float, nplurals: int, expression: str, locale: LocaleInfo) -> int:
    """The catalog form (0..nplurals-1) that ``value``, as written, is shown in (see "Which form a number
    takes" above); a whole number (``2``, ``Decimal("120000")``) gets the expression's form, unchecked
    here: the caller checks it against the catalog (the expression was only evaluated up to 1000)."""
    if not written_decimals(value):
        return int(_compiled(expression)(abs(int(value))))
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    category = locale.plural_category(abs(number))
    categories = form_categories(form_samples(expression), locale)
    for index in range(nplurals):
        if index < len(categories) and category in categories[index]:
            return index
    for index in range(nplurals):
        if index >= len(categories) or not categories[index]:
            return index  # a form no whole number reaches: the catalog's form for fractions
    fallback = FRACTION_FALLBACK.get(locale.language)
    for index, shown in enumerate(categories[:nplurals]):
        if fallback in shown:
            return index
    return nplurals - 1
