"""Which fields of a brief are translated, declared once on the model and walked generically.

A field is translatable when its type carries a :class:`Translatable` marker
in its ``Annotated`` metadata (see :mod:`polybrief.model`).  Everything that
needs "the translatable parts of a brief" goes through this module: the
catalog template and merge (one PO message per :class:`Unit`), machine
translation (what to send), the quality checks (source text per field) and
localisation (which rebuilds the brief's tree with each translatable value
replaced by a :class:`~polybrief.provenance.Segment`, :func:`rebuild`).  Adding
a translatable field to the brief therefore means editing the model and the
templates, nothing else — as Sphinx walks document nodes instead of listing
them.

A unit is what a translator sees as one PO message: ``msgctxt`` is the field
path (``sections[0].items[3].text``), ``msgid`` the source text.  Keeping the
brief's own structure (not sentences) means an edit to one item touches one
message; sentence splitting is the MT engine's business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from .cldr import LocaleInfo

__all__ = [
    "Translatable",
    "Unit",
    "translation_units",
    "iter_nodes",
    "rebuild",
    "field_path",
    "UNIT_PLURAL_SOURCE",
    "COUNT_PLACEHOLDER",
]

#: Source-language plural categories used as ``msgid`` / ``msgid_plural`` of a
#: plural unit (English and most source languages have these two).
UNIT_PLURAL_SOURCE = ("one", "other")

#: Where the number goes in a figure phrase ("at least {count} civilians").
COUNT_PLACEHOLDER = "{count}"


@dataclass(frozen=True, slots=True)
class Translatable:
    """Marks a model field (or each element of a list field) as translated text.

    ``comment`` is shown to translators in the PO file; ``{name}`` in it is
    replaced by the value of the model's field ``name`` (a figure's unit names
    the value it counts).  ``plural`` marks a
    mapping of CLDR plural categories to source forms (a figure's unit): it
    becomes one ``msgid``/``msgid_plural`` message.  ``when`` names a boolean
    field of the same model that must be true for the field to be translated
    (a source's name is translated only when it is a phrase, not a proper
    name).  ``count`` names the field whose value chooses a plural field's
    form (a figure's ``value``).  ``phrase`` names a method of the model that
    takes the brief's language and returns a source phrase the plural forms
    are set in (``at least {count} {unit}``), or None: the message is then
    the whole phrase with a ``{count}`` placeholder, so a translator can give
    the unit the case the phrase requires ("не менее {count} мирных жителей").
    """

    comment: str
    plural: bool = False
    when: str | None = None
    count: str | None = None
    phrase: str | None = None


@dataclass(frozen=True, slots=True)
class Unit:
    """One translatable value of a brief.

    ``text`` is the ``msgid``; for a plural unit ``plural`` is the
    ``msgid_plural``, ``forms`` keeps every source form by CLDR category and
    ``count`` is the number that chooses among them.  The rules for which
    source form stands where (catalog, machine translation, the page) are
    these properties, and nowhere else.
    ``has_count`` marks a phrase whose translation must keep the ``{count}``
    placeholder (where the number goes).
    """

    path: str
    text: str
    plural: str | None = None
    comment: str = ""
    forms: Mapping[str, str] | None = field(default=None, compare=False)
    count: int | Decimal | None = None

    @property
    def is_plural(self) -> bool:
        return self.plural is not None

    @property
    def has_count(self) -> bool:
        """Whether the source holds the ``{count}`` placeholder (a whole figure phrase)."""
        return COUNT_PLACEHOLDER in self.text or (self.plural is not None and COUNT_PLACEHOLDER in self.plural)

    @property
    def mt_text(self) -> str:
        """What machine translation receives: a plural unit's general (``other``) form."""
        return self.plural if self.plural is not None else self.text

    def source_form(self, category: str) -> str:
        """The source text for a CLDR plural ``category`` (``other`` when the source lacks it)."""
        if self.forms is None:
            return self.text
        return self.forms.get(category, self.forms["other"])

    def shown_source(self, source_locale: LocaleInfo) -> str:
        """The source text as the source-language page shows it: a plural unit in the form its count takes."""
        if self.forms is None or self.count is None:
            return self.text
        return self.source_form(source_locale.plural_category(self.count))


def field_path(loc: tuple[Any, ...]) -> str:
    """``('sections', 0, 'items', 3, 'text')`` -> ``'sections[0].items[3].text'``.

    The one place field paths are spelled, for catalog keys and error messages alike.
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _marker(model: BaseModel, name: str) -> Translatable | None:
    info = type(model).model_fields[name]
    for meta in info.metadata:
        if isinstance(meta, Translatable):
            return meta
    return None


def _unit(path: str, value: Any, marker: Translatable, model: BaseModel, language: str | None) -> Unit:
    comment = marker.comment
    if "{" in comment:
        comment = comment.format_map({name: getattr(model, name) for name in type(model).model_fields})
    if marker.plural:
        forms: dict[str, str] = dict(value)
        template = getattr(model, marker.phrase)(language) if marker.phrase else None
        if template is not None:
            forms = {category: template.replace("{unit}", form) for category, form in forms.items()}
            comment += (f"; translate the whole phrase and put {COUNT_PLACEHOLDER} where the number goes, "
                        "giving the unit the case the phrase needs")
        count = getattr(model, marker.count) if marker.count else None
        return Unit(path, forms.get("one", forms["other"]), plural=forms["other"], comment=comment, forms=forms,
                    count=count)
    return Unit(path, str(value), comment=comment)


def rebuild(
    model: BaseModel,
    *,
    leaf: Callable[[Unit], Any],
    node: Callable[[BaseModel, str, dict[str, Any]], Any],
    loc: tuple[Any, ...] = (),
    language: str | None = None,
) -> Any:
    """Rebuild ``model``'s tree bottom-up: every translatable value through ``leaf``,
    every model through ``node(model, path, fields)``.

    ``language`` is the brief's source language (phrases are in it); by
    default the ``language`` field of ``model`` itself, as on a brief.

    ``fields`` maps each field name to its rebuilt value: the result of
    ``leaf`` (or a list of them) for translatable fields, rebuilt nodes for
    nested models, and the value itself otherwise.  A translatable field whose
    ``when`` condition is false, or whose value is None, is left as it is.
    """
    if language is None and isinstance(getattr(model, "language", None), str):
        language = model.language  # type: ignore[attr-defined]
    fields: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        here = (*loc, name)
        marker = _marker(model, name)
        if marker is not None and value is not None and (marker.when is None or getattr(model, marker.when)):
            if isinstance(value, list):
                fields[name] = [leaf(_unit(field_path((*here, i)), v, marker, model, language))
                                for i, v in enumerate(value)]
            else:
                fields[name] = leaf(_unit(field_path(here), value, marker, model, language))
        elif isinstance(value, BaseModel):
            fields[name] = rebuild(value, leaf=leaf, node=node, loc=here, language=language)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            fields[name] = [rebuild(v, leaf=leaf, node=node, loc=(*here, i), language=language)
                            for i, v in enumerate(value)]
        else:
            fields[name] = value
    return node(model, field_path(loc), fields)


def translation_units(model: BaseModel) -> list[Unit]:
    """Every translatable value of ``model`` (a brief), in document order."""
    units: list[Unit] = []
    rebuild(model, leaf=units.append, node=lambda m, p, f: None)
    return units


def iter_nodes(model: BaseModel, loc: tuple[Any, ...] = ()) -> Iterator[tuple[str, BaseModel]]:
    """Every model node under ``model`` (itself first) with its field path."""
    yield field_path(loc), model
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from iter_nodes(value, (*loc, name))
        elif isinstance(value, list):
            for i, element in enumerate(value):
                if isinstance(element, BaseModel):
                    yield from iter_nodes(element, (*loc, name, i))
