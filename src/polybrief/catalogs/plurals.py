"""The ``Plural-Forms`` header: what a catalog for a language must declare, and whether it does.

Its own module because the rule is shared by every catalog polybrief reads
(the raw-text check in :mod:`polybrief.catalogs.lint`, Babel-read UI
catalogs in :func:`polybrief.catalogs.po.check_header`, brief catalogs in
:mod:`polybrief.catalogs.brief`) and is the one place a catalog's text is
evaluated as an expression.

Before any PO library sees the header, :func:`check_raw_plural_forms`
refuses what Babel gets wrong: it raises a bare ``ValueError`` for a
non-numeric ``nplurals`` and allocates ``nplurals`` forms per plural entry
(``nplurals=99999999999999`` exhausts memory).

:func:`plural_forms_problem` then validates the plural expression with the
standard library's own safe evaluator (:func:`gettext.c2py`, which accepts
only ``n``, integers, C operators and parentheses, and compiles nothing
else): at most ``Limits.plural_expr_chars`` characters (unless it is the
expression Babel writes for the language), and for every n in 0..1000 an
index below ``nplurals`` (no division by zero), with no two of CLDR's
plural categories for the language sharing one form — unless the expression
picks the same forms as the one Babel writes for the language.  A bad header
is one error naming the file, with the expected header in the message.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CatalogError
from ..limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from babel import Locale

__all__ = ["expected_plural_forms", "check_raw_plural_forms", "compile_plural", "plural_forms_problem"]


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


def compile_plural(expr: str, *, max_chars: int = 1000) -> Callable[[int], int]:
    """``expr`` compiled by :func:`gettext.c2py` (only ``n``, integers, C operators); ``ValueError`` if refused."""
    if len(expr) > max_chars:
        raise ValueError(f"the expression is {len(expr)} characters long, more than the {max_chars} allowed")
    try:
        return gettext.c2py(expr)
    except RecursionError:
        raise ValueError("the expression is nested too deeply") from None
    except SyntaxError as exc:  # pragma: no cover - c2py turns syntax errors into ValueError
        raise ValueError(str(exc)) from None


def plural_forms_problem(nplurals: int, expr: str, locale: Locale, *,
                         max_chars: int = DEFAULT_LIMITS.plural_expr_chars) -> str | None:
    """Why ``nplurals``/``expr`` cannot serve ``locale``, or None.

    Evaluated for every n in 0..1000: each index must lie in 0..nplurals-1
    (a division by zero is a problem too), and numbers of two different CLDR
    plural categories of the language must never get one form (n = 0 aside:
    ``(n != 1)`` is the common gettext rule for languages where CLDR puts 0
    with 1) — unless the
    expression picks exactly the forms Babel's own expression for the
    language picks (Babel's table predates CLDR for a few languages).
    Babel's own expression is accepted whatever its length (Breton's and
    Cornish's are 326 and 472 characters); any other is held to ``max_chars``.
    """
    from babel.messages.catalog import Catalog as _Catalog

    reference = _Catalog(locale=locale)
    if nplurals == reference.num_plurals and " ".join(expr.split()) == " ".join(reference.plural_expr.split()):
        return None
    try:
        func = compile_plural(expr, max_chars=max_chars)
    except ValueError as exc:
        return f"Plural-Forms expression {expr!r} is not a valid gettext expression: {exc}"
    indices: list[int] = []
    for n in range(1001):
        try:
            index = func(n)
        except (ArithmeticError, ValueError) as exc:
            return f"Plural-Forms expression {expr!r} fails for n={n}: {exc}"
        if not 0 <= index < nplurals:
            return f"Plural-Forms expression {expr!r} gives form {index} for n={n}, outside 0..{nplurals - 1}"
        indices.append(index)
    owner: dict[int, tuple[str, int]] = {}
    for n, index in enumerate(indices):
        if n == 0:
            # Zero is where gettext traditions and CLDR part most often (GNU's and Poedit's
            # ``(n != 1)`` for Armenian, French or Portuguese puts 0 with the plural, CLDR with
            # "one"), and a brief's figures are rarely zero: that difference alone is accepted.
            continue
        category = locale.plural_form(n)
        first = owner.setdefault(index, (category, n))
        if first[0] != category:
            ref = gettext.c2py(reference.plural_expr)
            if reference.num_plurals == nplurals and all(ref(m) == i for m, i in enumerate(indices)):
                return None
            return (f"Plural-Forms expression {expr!r} gives {first[1]} (CLDR {first[0]!r}) and {n} "
                    f"(CLDR {category!r}) the same form {index}, but {locale} writes them differently")
    return None
