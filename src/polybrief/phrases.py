"""The source-language phrases a figure's unit is translated in.

"at least 2 civilians" cannot be assembled from a translated "at least" and
a translated "civilians": in Russian "не менее" governs the genitive, so the
unit's form depends on the qualifier as well as on the number ("не менее 2
мирных жителей", "не менее 21 мирного жителя", where the plain count says
"2 мирных жителя", "21 мирный житель").  So a qualified figure's unit is
one message in the brief's catalog, the whole phrase with a ``{count}``
placeholder (``at least {count} civilian`` / ``at least {count}
civilians``), and each plural form of the translation is the whole phrase
for numbers of that form.  The qualifier being part of the msgid also means
that changing it marks the translation fuzzy, so no reviewed unit keeps a
case its new qualifier does not take.

An exact figure is a phrase too (``{count} civilian`` / ``{count} civilians``):
Arabic writes one and two with the noun alone, the noun's singular and dual
*being* the number ("شخص واحد", "شخصان"), so its forms for one and two drop
``{count}`` (see :func:`polybrief.fields.keeps_count`) and the page prints no
"1 شخص واحد".  Catalogs written before this keyed an exact figure's unit by
the bare unit (``civilian``); :attr:`polybrief.fields.Unit.legacy` names
that source, so such a reviewed entry is still published (localisation) and
``update`` carries it over reviewed with ``{count} `` in front of each form
(:mod:`polybrief.catalogs.merge`), which is exactly what its page showed.

The templates below are polybrief UI messages (extracted into
``locales/polybrief.pot``).  A brief written in another language than
English gets its phrase from the translation in polybrief's own UI catalog
for that language when there is one (English otherwise); the same template
builds the msgid and the source-language page, so they always agree.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from .cldr import primary_subtag
from .errors import CatalogError
from .fields import COUNT_PLACEHOLDER
from .resources import builtin_locales_dir

__all__ = ["QUALIFIED_UNIT", "EXACT_UNIT", "qualified_unit_template"]

log = logging.getLogger(__name__)


def N_(message: str) -> str:
    """Mark ``message`` for extraction into the UI template without translating it here."""
    return message


#: Source phrase of each qualifier; ``{unit}`` is replaced by the brief's plural form.
QUALIFIED_UNIT: dict[str, str] = {
    # Translators: the phrase an exact figure's unit is set in, for briefs written in your language.
    "exact": N_("{count} {unit}"),
    # Translators: the phrase a figure's unit is set in, for briefs written in your language.
    "at-least": N_("at least {count} {unit}"),
    # Translators: the phrase a figure's unit is set in, for briefs written in your language.
    "about": N_("about {count} {unit}"),
    # Translators: the phrase a figure's unit is set in, for briefs written in your language.
    "up-to": N_("up to {count} {unit}"),
}


#: The English phrase of an exact figure: the unit after the number (what catalogs before exact phrases
#: showed, through the UI message of the same text).
EXACT_UNIT = QUALIFIED_UNIT["exact"]


def qualified_unit_template(qualifier: str, language: str) -> str:
    """The phrase template for ``qualifier`` in ``language`` (English when polybrief has none)."""
    english = QUALIFIED_UNIT[qualifier]
    if primary_subtag(language) == "en":
        return english
    path = builtin_locales_dir() / primary_subtag(language) / "LC_MESSAGES" / "polybrief.po"
    try:
        stat = path.stat()
    except OSError:
        return english
    translated = _translations(str(path), stat.st_mtime_ns, stat.st_size).get(english, "")
    if COUNT_PLACEHOLDER in translated and "{unit}" in translated:
        return translated
    return english


@functools.lru_cache(maxsize=8)
def _translations(path_text: str, mtime_ns: int, size: int) -> dict[str, str]:
    """The reviewed singular translations of one built-in UI catalog (cached per file version).

    Read with Babel directly, not through :mod:`polybrief.catalogs`: the
    file is polybrief's own (shipped with it and checked by its tests, never
    a user's), and this module sits below the catalogs layer, since the
    model asks it for a figure's source phrase.
    """
    from babel.messages.pofile import PoFileError, read_po

    path = Path(path_text)
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True, charset="utf-8")
    except (OSError, PoFileError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise CatalogError(f"polybrief's own UI catalog cannot be read: {' '.join(str(exc).split())}", file=path,
                           hint="reinstall polybrief") from None
    return {m.id: m.string for m in catalog
            if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string and not m.fuzzy}
