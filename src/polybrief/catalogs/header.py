"""What a PO file's header says, read as msgfmt reads it: its language, and its plural rule checked against CLDR.

msgfmt compiles a catalog whatever its ``Language`` says, whatever dates its
header holds, and with an empty or bare ``Plural-Forms`` when no entry has a
plural; polybrief reads the same files (the charset is the reader's business,
:mod:`polybrief.catalogs.reader`):

* ``Language`` is normalised (:func:`language_tag`): POSIX locale names as
  Sphinx and Debian write them (``zh_TW.Big5``, ``ru_RU.UTF-8``, ``sr@latin``)
  become tags; a value that is no tag at all is ignored with a warning (the
  catalog's folder says which language it is for);
* dates are not read at all (only ``PO-Revision-Date`` is ever rewritten);
* ``Plural-Forms`` is checked only when an entry has a plural
  (:func:`check_fields`), for what would exhaust memory or crash a reader:
  ``nplurals`` must be a number from 1 to 20 and ``plural=`` present.

Whether a catalog's plural rule can serve its language (:func:`plural_verdict`)
is judged against CLDR's categories for that language on 0–1000 and on
large and edge numbers (10^k − 1, 10^k, 10^k + 1 up to 10^9, round
millions, and the brief's own figures), so a rule that goes wrong above
1000 is caught.  A rule is *refused* when it gives a number a form outside
``0..nplurals-1``, or when it gives one form to numbers of two CLDR
categories and is neither Babel's rule for the language nor GNU gettext's
traditional one (``msginit``'s table: French and Brazilian Portuguese
``(n > 1)``, Spanish, Italian, Portuguese and Hebrew ``(n != 1)``...).  A
rule with *more* forms than Babel's is fine when every category keeps its
own forms: Django's and Transifex's four-form Russian and Ukrainian, whose
fourth form is CLDR's ``other`` (fractions).  Where an accepted rule merges
categories (GNU's two-form French puts CLDR's ``many``, 1000000, with
``other``), a warning says which form is shown for which numbers.  Zero
alone is not counted: ``(n != 1)`` for Armenian or ``(n > 1)`` for French put
0 where CLDR does not, and briefs rarely count zero.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CatalogError
from ..limits import DEFAULT_LIMITS, Limits
from ..plurals import check_raw_plural_forms, cldr_rule, compile_plural

if TYPE_CHECKING:
    from babel import Locale

    from .reader import Record

__all__ = ["language_tag", "check_fields", "complete_rule", "plural_verdict", "GNU_PLURAL_RULES", "SAMPLE_COUNTS"]

log = logging.getLogger(__name__)

_TAG = re.compile(r"^[A-Za-z]{2,8}(?:_[A-Za-z0-9]{1,8})*$")

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

#: The counts every plural rule is checked on: 0–1000, then powers of ten and their neighbours, round millions.
SAMPLE_COUNTS: tuple[int, ...] = tuple(sorted(
    {*range(1001)}
    | {10 ** k + d for k in range(3, 10) for d in (-1, 0, 1)}
    | {m * 10 ** 6 for m in (1, 2, 5, 21)} | {1_000_001, 1_500_000, 120_000, 10_000_000}
))


def language_tag(value: str) -> str | None:
    """A header's ``Language`` value as a tag (``zh_TW.Big5`` -> ``zh_TW``, ``pt-BR`` -> ``pt_BR``), or None.

    The codeset and a ``@modifier`` (``sr@latin``) are dropped: only the
    language and region are compared with the catalog's locale.
    """
    tag = value.strip().split("@", 1)[0].split(".", 1)[0].replace("-", "_")
    return tag if _TAG.match(tag) else None


def check_fields(metadata: Mapping[str, str], records: Sequence[Record], path: Path | None, *,
                 locale: str | Locale | None = None, limits: Limits = DEFAULT_LIMITS) -> None:
    """What every reader needs from a header: a readable ``Plural-Forms`` when an entry has a plural."""
    lowered = {key.strip().lower(): value for key, value in metadata.items()}
    language = lowered.get("language", "")
    if language.strip() and language_tag(language) is None:
        log.warning("%s: header Language %r is not a locale tag; ignored", path, language)
    value = lowered.get("plural-forms")
    if any(rec.msgid_plural for rec in records) or (value is not None and complete_rule(value)):
        check_raw_plural_forms(value, path or Path("-"), locale, limits)
    elif value is not None and "nplurals" in value.lower():
        number = re.search(r"nplurals\s*=\s*([^;\s]*)", value, re.I)
        if number is None or not re.fullmatch(r"\d{1,2}", number.group(1)) or not 1 <= int(number.group(1)) <= 20:
            check_raw_plural_forms(value, path or Path("-"), locale, limits)  # raises, naming the value


def complete_rule(value: str) -> bool:
    """Whether a ``Plural-Forms`` value states a whole rule (``nplurals=N; plural=EXPR``): only such a rule is
    judged in a catalog with no plural entry (msgfmt ignores an empty or bare one there)."""
    return re.search(r"nplurals\s*=", value, re.I) is not None and re.search(r"plural\s*=\s*[^;\s]", value) is not None


def plural_verdict(nplurals: int, expr: str, locale: Locale, *, max_chars: int = DEFAULT_LIMITS.plural_expr_chars,
                   counts: Iterable[int] = ()) -> tuple[str | None, str | None]:
    """``(problem, warning)`` for a catalog rule serving ``locale`` (see the module docstring); both None: fine.

    ``counts`` are numbers the rule must also get right (a brief's figures).
    """
    reference = cldr_rule(locale)
    if nplurals == reference.nplurals and " ".join(expr.split()) == " ".join(reference.expression.split()):
        return None, None
    problem, warning = _judge(nplurals, expr, locale, max_chars, counts)
    if problem is not None and nplurals != reference.nplurals:
        problem = f"header declares nplurals={nplurals}, but {locale} has {reference.nplurals} plural forms: {problem}"
    return problem, warning


def _judge(nplurals: int, expr: str, locale: Locale, max_chars: int, counts: Iterable[int]
           ) -> tuple[str | None, str | None]:
    try:
        func = compile_plural(expr, max_chars=max_chars)
    except ValueError as exc:
        return f"Plural-Forms expression {expr!r} is not a valid gettext expression: {exc}", None
    sample = sorted({*SAMPLE_COUNTS, *(abs(int(c)) for c in counts)})
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
        return (f"Plural-Forms 'nplurals={nplurals}; plural={expr}' gives {n1} (CLDR {first!r}) and {n2} "
                f"(CLDR {second!r}) the same form {index}, but {locale} writes them differently"), None
    return None, _describe(nplurals, indices, merged, locale)


def _merged_categories(indices: Mapping[int, int], locale: Locale
                       ) -> list[tuple[int, tuple[str, int], tuple[str, int]]]:
    """Forms given to numbers of two CLDR categories: ``(form, (category, n), (other category, m))``, one per form."""
    owner: dict[int, tuple[str, int]] = {}
    merged: dict[int, tuple[int, tuple[str, int], tuple[str, int]]] = {}
    for n, index in indices.items():
        if n == 0:
            continue  # see the module docstring
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
            rules.append(cldr_rule(locale)._replace(nplurals=count, expression=expression))
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
