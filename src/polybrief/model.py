"""The brief as a typed, immutable object.

Pydantic v2 (frozen models) rather than dataclasses: a brief arrives from a
hand-edited YAML or JSON file, so validation with precise field paths
(``sections[0].items[3].text``), coercion of YAML dates and the JSON Schema
export (``polybrief schema``) are the bulk of the work, and pydantic does all
three from one declaration.  Models are frozen so a localised or translated
brief can never be mutated behind a renderer's back.

Text fields hold plain text, never markup: content is data and is escaped by
the renderers.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from .cldr import LANGUAGE_TAG
from .fields import Translatable, iter_nodes

__all__ = [
    "Brief",
    "Dateline",
    "Section",
    "Item",
    "Figure",
    "Quote",
    "Source",
    "PLURAL_CATEGORIES",
]

#: CLDR plural categories, in CLDR's own order.
PLURAL_CATEGORIES: tuple[str, ...] = ("zero", "one", "two", "few", "many", "other")

_URL_SCHEMES = ("http://", "https://", "mailto:")


def _no_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only whitespace")
    return value


def _safe_url(value: str) -> str:
    if not value.lower().startswith(_URL_SCHEMES) or any(c.isspace() for c in value):
        raise ValueError("must be an http://, https:// or mailto: link without spaces")
    return value


def _plural_forms(value: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(value) - set(PLURAL_CATEGORIES))
    if unknown:
        raise ValueError(
            f"unknown plural categories {unknown}; use CLDR categories {list(PLURAL_CATEGORIES)}"
        )
    if "other" not in value:
        raise ValueError("needs at least the 'other' form (and 'one' for English)")
    for category, form in value.items():
        _no_blank(form)
    return value


def _count_value(value: object) -> object:
    """A figure's value: a number, never ``true`` (pydantic would read it as 1), never negative.

    A key figure is a count or an amount.  "At least -5 civilians" is
    nonsense, and a minus sign is easy to lose or misplace in translation and
    in right-to-left text; a fall is stated in the label ("Fall in exports").
    """
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    return value


def _not_negative(value: int | Decimal) -> int | Decimal:
    if value < 0:
        raise ValueError("must not be negative: state a decrease in the label (e.g. 'Fall in exports')")
    return value


Text = Annotated[str, AfterValidator(_no_blank)]
"""A non-blank line or paragraph of plain text."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]
LanguageTag = Annotated[str, StringConstraints(pattern=LANGUAGE_TAG.pattern)]
URL = Annotated[str, AfterValidator(_safe_url)]
PluralForms = Annotated[dict[str, str], AfterValidator(_plural_forms)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


class Dateline(_Frozen):
    """Where and on which day the brief was filed."""

    place: Annotated[Text, Translatable("Dateline: the place the brief was filed from")]
    date: date


class Item(_Frozen):
    """One labelled key update, e.g. ``Civilian Casualties: AFP reported ...``."""

    label: Annotated[Text, Translatable("Label of a key update")]
    text: Annotated[Text, Translatable("Text of a key update")]
    source: str | None = Field(default=None, description="Name of an entry in the brief's sources.")


class Section(_Frozen):
    """A heading and its labelled items."""

    heading: Annotated[Text, Translatable("Section heading")]
    items: list[Item] = Field(min_length=1)


class Figure(_Frozen):
    """A key figure: a number that must reach every language unchanged.

    ``unit`` holds the source-language plural forms by CLDR category
    (``{one: civilian, other: civilians}``); each target language's forms
    come from its catalog and are chosen by that language's plural rules.
    ``qualifier`` keeps "at least" and "about" apart from exact counts,
    which matters for casualty figures.
    """

    label: Annotated[Text, Translatable("Label of a key figure; keep numbers unchanged")]
    value: Annotated[int | Decimal, BeforeValidator(_count_value), AfterValidator(_not_negative)]
    unit: Annotated[PluralForms | None, Translatable(
        "Unit counted by a key figure (value {value}); give every plural form", plural=True, count="value")] = None
    qualifier: Literal["exact", "at-least", "about", "up-to"] = "exact"
    source: str | None = Field(default=None, description="Name of an entry in the brief's sources.")


class Quote(_Frozen):
    """Words attributed to a person, shown in the locale's quotation marks."""

    text: Annotated[Text, Translatable("Quotation; marks are added by polybrief, do not type them")]
    speaker: Annotated[Text, Translatable("Name of the person quoted, in its established form")]
    source: str | None = Field(default=None, description="Name of an entry in the brief's sources.")


class Source(_Frozen):
    """A source the brief cites.  ``translatable`` marks names that are phrases
    ("Human Rights Ombudsman of Nagorno-Karabakh") rather than proper names ("AFP")."""

    name: Annotated[Text, Translatable("Name of a cited source", when="translatable")]
    url: URL | None = None
    translatable: bool = False


class Brief(_Frozen):
    """A news or situation brief, written once in its source ``language``."""

    id: Slug
    language: LanguageTag = "en"
    headline: Annotated[Text, Translatable("Headline")]
    standfirst: Annotated[Text | None, Translatable("Standfirst (summary under the headline)")] = None
    dateline: Dateline
    published: AwareDatetime
    lead: Annotated[list[Text], Translatable("Lead paragraph"), Field(min_length=1)]
    sections: list[Section] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    closing: Annotated[list[Text], Translatable("Closing paragraph")] = Field(default_factory=list)
    tags: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sources_are_declared(self) -> Brief:
        names = [s.name for s in self.sources]
        seen: set[str] = set()
        for index, name in enumerate(names):
            if name in seen:
                raise _FieldError(f"sources[{index}].name", f"duplicate source name {name!r}")
            seen.add(name)
        for path, node in iter_nodes(self):
            # Every node with a ``source`` field cites a source by name.
            cited = getattr(node, "source", None) if "source" in type(node).model_fields else None
            if cited is not None and cited not in seen:
                raise _FieldError(f"{path}.source", f"cites {cited!r}, which is not listed under 'sources'")
        return self

    def source_named(self, name: str) -> Source:
        """The declared source called ``name`` (validation guarantees it exists)."""
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)


class _FieldError(ValueError):
    """A cross-field validation failure that knows its own field path."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
