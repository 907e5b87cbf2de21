"""Plural rules in one place: a language's gettext rule, a catalog's ``Plural-Forms``, and which counts show which form.

A plural message (a figure's unit) has one catalog form per gettext index;
the catalog's ``Plural-Forms`` expression picks the index for a count, and
CLDR (through Babel) names the category of a count in a language (``one``,
``few``, ``many``, ...).  What polybrief does with the two is here, so the
catalog readers (:mod:`polybrief.catalogs.lint`, :mod:`~polybrief.catalogs.po`,
:mod:`~polybrief.catalogs.brief`), localisation and the quality checks ask
one module instead of each re-deriving a rule:

* :func:`cldr_rule` and :func:`expected_plural_forms`: the rule Babel writes
  for a language (its ``Plural-Forms`` header);
* :func:`check_raw_plural_forms` and :func:`plural_rule`: the header of a
  catalog, read as text;
* :func:`compile_plural`: an expression compiled once per distinct text, not
  once per catalog;
* :func:`plural_forms_problem`: whether a catalog's rule can serve a language;
* :func:`form_samples` and :func:`form_categories`: which counts, and so which
  CLDR categories, each form index is shown for ("the form shown for 5").

The CLDR category of a single number is
:meth:`polybrief.cldr.LocaleInfo.plural_category` (a locale's data, like its
digits); :func:`form_categories` asks it through Babel for whole sets of
counts.  Whether a form *reads* like its category is a heuristic of the
quality checks (:mod:`polybrief.qa.plurals`), which take their data from here.

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

:func:`plural_forms_problem` then validates the plural expression with the
standard library's own safe evaluator (:func:`gettext.c2py`, which accepts
only ``n``, integers, C operators and parentheses, and compiles nothing
else): at most ``Limits.plural_expr_chars`` characters (unless it is the
expression Babel writes for the language), and for every n in 0..1000,
around every power of ten up to 10^18 and for a brief's own figures an
index below ``nplurals`` (no division by zero), with no two of CLDR's
plural categories for the language sharing one form — unless the expression
picks the same forms as the one Babel writes for the language.  A bad header
is one error naming the file, with the expected header in the message.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Callable, Iterable
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
    "form_samples",
    "plural_forms_problem",
    "plural_rule",
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


def plural_forms_problem(nplurals: int, expr: str, locale: Locale, *,
                         max_chars: int = DEFAULT_LIMITS.plural_expr_chars, counts: Iterable[int] = ()) -> str | None:
    """Why ``nplurals``/``expr`` cannot serve ``locale``, or None.

    Evaluated for every n in 0..1000, for 10^k - 1, 10^k and 10^k + 1 up to
    10^18 (:data:`LARGE_SAMPLES`) and for ``counts`` (a brief's own figures):
    each index must lie in 0..nplurals-1 (a division by zero is a problem
    too), and numbers of two different CLDR plural categories of the language
    must never get one form (n = 0 aside: ``(n != 1)`` is the common gettext
    rule for languages where CLDR puts 0 with 1) — unless the
    expression picks exactly the forms Babel's own expression for the
    language picks (Babel's table predates CLDR for a few languages).
    Babel's own expression is accepted whatever its length (Breton's and
    Cornish's are 326 and 472 characters); any other is held to ``max_chars``.
    """
    reference = cldr_rule(locale)
    if nplurals == reference.nplurals and " ".join(expr.split()) == " ".join(reference.expression.split()):
        return None
    try:
        func = compile_plural(expr, max_chars=max_chars)
    except ValueError as exc:
        return f"Plural-Forms expression {expr!r} is not a valid gettext expression: {exc}"
    extra = sorted({n for n in counts if isinstance(n, int) and n > 1000} - set(LARGE_SAMPLES))
    samples = (*range(1001), *LARGE_SAMPLES, *extra)
    indices: list[int] = []
    for n in samples:
        try:
            index = func(n)
        except (ArithmeticError, ValueError) as exc:
            return f"Plural-Forms expression {expr!r} fails for n={n}: {exc}"
        if not 0 <= index < nplurals:
            return f"Plural-Forms expression {expr!r} gives form {index} for n={n}, outside 0..{nplurals - 1}"
        indices.append(index)
    owner: dict[int, tuple[str, int]] = {}
    for n, index in zip(samples, indices):
        if n == 0:
            # Zero is where gettext traditions and CLDR part most often (GNU's and Poedit's
            # ``(n != 1)`` for Armenian, French or Portuguese puts 0 with the plural, CLDR with
            # "one"), and a brief's figures are rarely zero: that difference alone is accepted.
            continue
        category = locale.plural_form(n)
        first = owner.setdefault(index, (category, n))
        if first[0] != category:
            ref = _compiled(reference.expression)
            if reference.nplurals == nplurals and all(ref(m) == i for m, i in zip(samples, indices)):
                return None
            return (f"Plural-Forms expression {expr!r} gives {first[1]} (CLDR {first[0]!r}) and {n} "
                    f"(CLDR {category!r}) the same form {index}, but {locale} writes them differently")
    return None


@functools.lru_cache(maxsize=64)
def form_samples(expression: str) -> tuple[tuple[int, ...], ...]:
    """The counts 0–120 that ``expression`` shows each form index for (worked out once per expression).

    ``samples[i]`` lists the counts of form ``i`` (ru: ``(1, 21, 31, ...)``,
    ``(2, 3, 4, 22, ...)``, ``(0, 5, ..., 20, 25, ...)``); an index no count
    reaches has no counts.  The expression must already have been checked
    (:func:`plural_forms_problem`).
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
