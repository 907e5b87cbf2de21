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

import functools
import math
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .cldr import LANGUAGE_TAG, fraction_digits
from .fields import Translatable, check_key, iter_nodes
from .plurals import PLURAL_CATEGORIES

__all__ = [
    "SLUG",
    "Brief",
    "Author",
    "Image",
    "Correction",
    "Dateline",
    "Section",
    "Item",
    "Figure",
    "FigureKind",
    "Quote",
    "Source",
]

_URL_SCHEMES = ("http://", "https://", "mailto:")


def _no_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only whitespace")
    return value


def _safe_url(value: str) -> str:
    if not value.lower().startswith(_URL_SCHEMES) or any(c.isspace() for c in value):
        raise ValueError("must be an http://, https:// or mailto: link without spaces")
    return value


def _web_url(value: str) -> str:
    if not value.lower().startswith(("http://", "https://")) or any(c.isspace() for c in value):
        raise ValueError("must be an absolute http:// or https:// address without spaces")
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


def _not_negative(value: int | Decimal) -> int | Decimal:
    """A key figure is a count or an amount: "at least -5 civilians" is nonsense, and a minus sign is
    easy to lose or misplace in translation and in right-to-left text."""
    if value < 0:
        raise ValueError("must not be negative: state a decrease in the label (e.g. 'Fall in exports')")
    return value


Text = Annotated[str, AfterValidator(_no_blank)]
"""A non-blank line or paragraph of plain text."""

#: What a brief id is (it names files: ``<locale>/<id>.html``); the site manifest holds its ids to it too.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
Slug = Annotated[str, StringConstraints(pattern=SLUG.pattern, max_length=120)]
LanguageTag = Annotated[str, StringConstraints(pattern=LANGUAGE_TAG.pattern)]
URL = Annotated[str, AfterValidator(_safe_url)]
WebURL = Annotated[str, AfterValidator(_web_url)]
PluralForms = Annotated[dict[str, str], AfterValidator(_plural_forms)]
Key = Annotated[str, AfterValidator(check_key), Field(
    description="Stable name of this element, unique among the brief's elements of its kind (every item of "
                "every section), used as its translation catalog key (default: a slug of its first words, "
                "made unique in the brief). Set it to keep translations attached when you rename the element.")]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


class Dateline(_Frozen):
    """Where and on which day the brief was filed: the place is translated, the date formatted per locale.

    >>> page = polybrief.localise("examples/nagorno-karabakh.yaml", "hy")
    >>> page.dateline_place.text, page.dateline_date
    ('Նյու Դելի', '2023 թ. սեպտեմբերի 19')
    """

    place: Annotated[Text, Translatable("Dateline: the place the brief was filed from")]
    date: date


class Item(_Frozen):
    """One labelled key update, e.g. ``Civilian Casualties: AFP reported ...``.

    Its catalog entries are keyed by its ``key`` (by default a slug of its label), not by its
    position, so moving an item never hands its translation to another:

    >>> brief = polybrief.load("examples/nagorno-karabakh.yaml")
    >>> brief.sections[0].items[0].label
    'Civilian Casualties'
    >>> polybrief.translation_units(brief)[8].path
    'sections[key-updates-in-the-azerbaijan].items[civilian-casualties].text'
    """

    key_from: ClassVar[tuple[str, ...]] = ("label",)

    key: Key | None = None
    label: Annotated[Text, Translatable("Label of a key update")]
    text: Annotated[Text, Translatable("Text of a key update")]
    source: str | None = Field(default=None, description="Name of an entry in the brief's sources.")
    time: AwareDatetime | None = Field(default=None, description=(
        "When this update was posted, with its UTC offset (a live brief's key updates): shown as a <time> "
        "in each locale's format."))


class Section(_Frozen):
    """A heading and its labelled items (at least one), keyed like an :class:`Item` by its heading.

    >>> item = polybrief.Item(label="Roads", text="The coast road is closed until Monday.")
    >>> polybrief.Section(heading="Transport", items=[item]).items[0].label
    'Roads'
    """

    key_from: ClassVar[tuple[str, ...]] = ("heading",)

    key: Key | None = None
    heading: Annotated[Text, Translatable("Section heading")]
    items: list[Item] = Field(min_length=1)


FigureKind = Literal["count", "percent", "currency", "decimal"]
"""What a figure's value is: a whole number of ``unit`` (count), a percentage, an amount
of money, or a measurement with a unit and a precision (decimal)."""

#: ASCII digits only: ``\d`` would also take ``١٠٠`` (Arabic-Indic) or ``１００`` (full-width) and read them
#: as 100, and the rule for a figure's value is "digits as a machine reads them", written once.
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")


@functools.lru_cache(maxsize=1)
def _non_currencies() -> frozenset[str]:
    """ISO 4217 codes that are not money: ``XXX`` (no currency), ``XTS`` (testing), gold, silver and the other
    metals, the bond-market and accounting units — the X codes CLDR lists as legal tender in no territory,
    ever (``XAF``, ``XOF``, ``XCD``, ``XPF`` are tender and stay allowed)."""
    from babel.core import get_global

    tender = {code for entries in get_global("territory_currencies").values()
              for code, _start, _end, is_tender in entries if is_tender}
    from babel.numbers import list_currencies

    return frozenset(code for code in list_currencies() if code.startswith("X") and code not in tender)
_MAX_PRECISION = 6


def _figure_value(value: Any, info: ValidationInfo) -> Any:
    """A figure's value as a number: YAML floats exactly as written, numeric strings, ``84.5%``.

    Strings other than plain numbers are refused with what to write instead:
    ``$97 million`` or ``1,000`` in a brief file is a typing habit, and
    guessing what it means is how a figure goes wrong.
    """
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return Decimal(repr(value))  # 84.5 stays 84.5 (Decimal(84.5) would not be exact)
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.endswith(("%", "\u066a")):
        kind = info.data.get("kind", "count")
        if kind != "percent":
            raise ValueError(f"{value!r} is a percentage: write kind: percent and value: {text[:-1].strip()}")
        text = text[:-1].strip()
    if not _PLAIN_NUMBER.match(text):
        raise ValueError(
            f"{value!r} is not a plain number: write the digits 0-9 with a '.' for decimals and no thousands "
            "separators, units or currency signs (e.g. value: 97000000 with kind: currency, currency: USD)"
        )
    return Decimal(text) if "." in text else int(text)


class Figure(_Frozen):
    """A key figure: a number that must reach every language unchanged.

    ``kind`` says what the number is:

    * ``count`` (the default): a whole number of ``unit`` ("at least 2 civilians");
    * ``percent``: ``value`` per cent, ``84.5`` → ``84.5%`` / ``84,5 %`` / ``۸۴٫۵٪``; no unit;
    * ``currency``: an amount of ``currency`` (ISO 4217), optionally ``compact``
      ("$97M", "97 млн $"); no unit;
    * ``decimal``: a measurement with an optional ``unit`` and ``precision``
      ("2.50 km").

    ``unit`` holds the source-language plural forms by CLDR category
    (``{one: civilian, other: civilians}``); each target language's forms
    come from its catalog and are chosen by that language's plural rules.
    ``qualifier`` keeps "at least" and "about" apart from exact counts,
    which matters for casualty figures.  A qualified figure's unit is
    translated as one phrase with the number in it ("at least {count}
    civilians"), because the qualifier decides the unit's grammatical case
    in many languages ("не менее 2 мирных жителей", not "жителя").

    Formatting never rounds: a value with more decimal places than
    ``precision`` (or, for money, than the currency has) is refused.

    >>> page = polybrief.localise("examples/nagorno-karabakh.yaml", "ru")
    >>> figure = page.figures[0]                  # "at least 2 civilians"
    >>> figure.model.qualifier, figure.number, figure.phrase.text
    ('at-least', '2', 'не менее {count} мирных жителей')
    >>> turnout = polybrief.Figure(label="Turnout", kind="percent", value="84.5")
    >>> polybrief.get_locale("fa").format_percent(turnout.value)
    '۸۴٫۵٪'
    """

    key_from: ClassVar[tuple[str, ...]] = ("label",)

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False, json_schema_extra={
        "allOf": [
            {"if": {"required": ["kind"], "properties": {"kind": {"const": "currency"}}},
             "then": {"required": ["currency"], "properties": {"unit": {"type": "null"}}}},
            {"if": {"required": ["kind"], "properties": {"kind": {"const": "percent"}}},
             "then": {"properties": {"unit": {"type": "null"}, "currency": {"type": "null"},
                                     "compact": {"const": False}}}},
            {"if": {"required": ["kind"], "properties": {"kind": {"const": "decimal"}}},
             "then": {"properties": {"currency": {"type": "null"}, "compact": {"const": False}}}},
            {"if": {"not": {"required": ["kind"]}},
             "then": {"properties": {"currency": {"type": "null"}, "compact": {"const": False},
                                     "precision": {"type": "null"}, "value": {"type": ["integer", "string"]}}}},
        ]})

    key: Key | None = None
    label: Annotated[Text, Translatable("Label of a key figure; keep numbers unchanged")]
    kind: FigureKind = Field(default="count", description=(
        "count: a whole number of `unit` (the default); percent: `value` per cent (84.5 means 84.5%), no unit; "
        "currency: an amount of `currency`, no unit; decimal: a measurement with an optional `unit` and "
        "`precision`."))
    value: Annotated[int | Decimal, BeforeValidator(_figure_value), AfterValidator(_not_negative)] = Field(
        description=(
        "The number, written plainly (120000, 84.5): no thousands separators, units or currency signs. "
            "`84.5%` is read as a percent figure. A count is a whole number. Never negative: state a "
            "decrease in the label."))
    unit: Annotated[PluralForms | None, Translatable(
        "Unit counted by a key figure (value {value}); give every plural form", plural=True, count="shown_value",
        phrase="unit_phrase")] = Field(default=None, validate_default=True, description=(
            "Source-language plural forms of what a count or decimal measures, by CLDR category."))
    currency: str | None = Field(default=None, validate_default=True, description=(
        "ISO 4217 code of a currency figure (USD, EUR, AMD); required for kind currency, refused otherwise."))
    compact: bool = Field(default=False, description=(
        "Currency figures only: CLDR's short compact form ($97M, 97 млн $); never rounds, a value that "
        "would need rounding is written in full."))
    precision: int | None = Field(default=None, ge=0, le=_MAX_PRECISION, validate_default=True, description=(
        "Decimal places shown (decimal, percent and currency figures): 2 shows 2.5 as 2.50. A value with "
        "more decimal places is refused, never rounded."))
    qualifier: Literal["exact", "at-least", "about", "up-to"] = "exact"
    source: str | None = Field(default=None, description="Name of an entry in the brief's sources.")

    @model_validator(mode="before")
    @classmethod
    def _percent_value_means_percent(cls, data: Any) -> Any:
        """``value: 84.5%`` with no ``kind`` is a percent figure."""
        if isinstance(data, dict) and "kind" not in data:
            value = data.get("value")
            if isinstance(value, str) and value.strip().endswith(("%", "\u066a")):
                return {**data, "kind": "percent"}
        return data

    @field_validator("value")
    @classmethod
    def _value_fits_kind(cls, value: int | Decimal, info: ValidationInfo) -> int | Decimal:
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError("must be a finite number")
        if info.data.get("kind", "count") == "count" and fraction_digits(value) > 0:
            raise ValueError(f"a count is a whole number, not {value}; for a measurement use kind: decimal "
                             "(with a unit and a precision), for a share kind: percent")
        if isinstance(value, Decimal) and fraction_digits(value) == 0 and value == value.to_integral_value():
            return int(value)
        return value

    @field_validator("unit")
    @classmethod
    def _unit_fits_kind(cls, unit: dict[str, str] | None, info: ValidationInfo) -> dict[str, str] | None:
        kind = info.data.get("kind")
        if unit is not None and kind in ("percent", "currency"):
            what = "the % sign" if kind == "percent" else "the currency"
            raise ValueError(f"a {kind} figure has no unit ({what} comes from the locale); say what it is "
                             "a share or an amount of in the label")
        return unit

    @field_validator("currency")
    @classmethod
    def _currency_fits_kind(cls, currency: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if kind == "currency" and currency is None:
            raise ValueError("a currency figure needs its ISO 4217 code, e.g. currency: USD")
        if currency is not None and kind not in ("currency", None):
            raise ValueError(f"only a currency figure has a currency; this one is kind: {kind} "
                             "(write kind: currency)")
        if currency is not None:
            from babel.numbers import is_currency

            if not (len(currency) == 3 and currency.isascii() and currency.isupper() and is_currency(currency)):
                hint = f"; did you mean {currency.upper()}?" if is_currency(currency.upper()) else ""
                raise ValueError(f"{currency!r} is not an ISO 4217 currency code such as USD, EUR or AMD{hint}")
            if currency in _non_currencies():
                raise ValueError(f"{currency!r} is an ISO 4217 code but not money anyone pays with (no currency, a "
                                 "test code, a precious metal or a unit of account); it would be shown as "
                                 "'¤100' — give the currency the amount is in, such as USD, EUR or AMD")
        return currency

    @field_validator("compact")
    @classmethod
    def _compact_fits_kind(cls, compact: bool, info: ValidationInfo) -> bool:
        kind = info.data.get("kind")
        if compact and kind not in ("currency", None):
            raise ValueError(f"compact applies to currency figures only; this one is kind: {kind}")
        return compact

    @field_validator("precision")
    @classmethod
    def _precision_fits_value(cls, precision: int | None, info: ValidationInfo) -> int | None:
        kind, value = info.data.get("kind"), info.data.get("value")
        if precision is not None and kind == "count":
            raise ValueError("a count is a whole number and has no precision; use kind: decimal for a measurement")
        if value is None or kind is None:
            return precision
        places = fraction_digits(value)
        if precision is not None and places > precision:
            raise ValueError(f"the value {value} has {places} decimal places but precision is {precision}; "
                             "polybrief never rounds a figure: give the value as it is to be shown, or raise "
                             "the precision")
        currency = info.data.get("currency")
        if precision is None and kind == "currency" and isinstance(currency, str):
            from babel.numbers import get_currency_precision

            allowed = get_currency_precision(currency)
            if places > allowed:
                raise ValueError(f"amounts of {currency} have {allowed} decimal places, the value {value} has "
                                 f"{places}; set precision to show them all")
        return precision

    @property
    def shown_value(self) -> int | Decimal:
        """The value as it is shown, with ``precision`` decimal places: what chooses the unit's
        plural form (CLDR counts visible decimals: "1.0 kilometres", not "kilometre")."""
        if self.precision is None or not self.precision:
            return self.value
        return Decimal(self.value).quantize(Decimal(1).scaleb(-self.precision))

    def unit_phrase(self, language: str | None) -> str | None:
        """The source-language phrase a qualified figure's unit is translated in
        (``at least {count} {unit}``), or None for an exact figure (its unit alone)."""
        if self.qualifier == "exact":
            return None
        from .phrases import qualified_unit_template

        return qualified_unit_template(self.qualifier, language or "en")


class Quote(_Frozen):
    """Words attributed to a person, shown in the locale's quotation marks (never typed in the text).

    >>> quote = polybrief.Quote(text="We left everything behind.", speaker="A resident")
    >>> polybrief.get_locale("de").quotes.quote(quote.text)
    '„We left everything behind.“'
    """

    key_from: ClassVar[tuple[str, ...]] = ("text",)

    key: Key | None = None
    text: Annotated[Text, Translatable("Quotation; marks are added by polybrief, do not type them")]
    speaker: Annotated[Text, Translatable("Name of the person quoted, in its established form")]
    source: str | None = Field(default=None, description="Name of an entry in the brief's sources.")


class Source(_Frozen):
    """A source the brief cites.  ``translatable`` marks names that are phrases
    ("Human Rights Ombudsman of Nagorno-Karabakh") rather than proper names ("AFP").

    >>> page = polybrief.localise("examples/nagorno-karabakh.yaml", "ru")
    >>> [source.name.text for source in page.sources[:3]]
    ['AFP', 'Министерство обороны Азербайджана', 'Омбудсмен по правам человека Нагорного Карабаха']
    """

    key_from: ClassVar[tuple[str, ...]] = ("name",)

    key: Key | None = None
    name: Annotated[Text, Translatable("Name of a cited source", when="translatable")]
    url: URL | None = None
    translatable: bool = False


class Author(_Frozen):
    """A byline: a person (or a desk) who wrote or compiled the brief.

    A person's name is shown as written, like a source's proper name;
    ``translatable`` marks a name that is a phrase ("World Desk").  ``role``
    ("Caucasus correspondent") is translated.
    """

    key_from: ClassVar[tuple[str, ...]] = ("name",)

    key: Key | None = None
    name: Annotated[Text, Translatable("Name of an author (a desk's name)", when="translatable")]
    url: WebURL | None = Field(default=None, description="The author's page (http or https).")
    role: Annotated[Text | None, Translatable("Role of an author, shown after the name")] = None
    kind: Literal["person", "organization"] = Field(default="person", description=(
        "person (the default) or organization (a desk or an agency): what schema.org calls the author."))
    translatable: bool = False


class Image(_Frozen):
    """The brief's lead image: shown under the headline and named in its page metadata."""

    url: WebURL = Field(description="Absolute http(s) address of the image.")
    alt: Annotated[Text, Translatable("Alternative text of the lead image: what it shows, for readers who "
                                      "cannot see it")]
    caption: Annotated[Text | None, Translatable("Caption of the lead image")] = None
    credit: Text | None = Field(default=None, description="Who made the image (shown as written).")
    width: int | None = Field(default=None, ge=1, le=100_000, description="Width in pixels (page metadata).")
    height: int | None = Field(default=None, ge=1, le=100_000, description="Height in pixels (page metadata).")


class Correction(_Frozen):
    """An editor's correction or note, shown at the foot of every language version with its time.

    Its default key comes from its time (``correction-20230919-2130``), not its first words: corrections
    tend to start alike ("An earlier version of this brief …"), and a slug shared by two of them would
    be told apart by a hash of the text, so adding the second would unattach the first one's reviewed
    translations; and editing a correction's text then keeps its translation, as a draft to review.
    """

    key_from: ClassVar[tuple[str, ...]] = ("stamp",)

    key: Key | None = None
    date: AwareDatetime = Field(description="When the correction was made, with its UTC offset.")
    text: Annotated[Text, Translatable("Correction: what was wrong and what the brief says now")]

    @property
    def stamp(self) -> str:
        """What the default key is made from: the correction's local date and time, as digits."""
        return self.date.strftime("%Y%m%d %H%M")


class Brief(_Frozen):
    """A news or situation brief, written once in its source ``language``.

    Usually read from a file (:func:`~polybrief.load`); built in Python it is checked the same way.  A brief
    built in memory has no catalogs beside it, so it localises to its source text unless given one:

    >>> import datetime
    >>> brief = polybrief.Brief(
    ...     id="storm-update", headline="Storm closes the coast road",
    ...     dateline=polybrief.Dateline(place="Batumi", date=datetime.date(2024, 3, 1)),
    ...     published="2024-03-01T09:00:00+04:00", lead=["The coast road is closed until Monday."])
    >>> brief.language
    'en'
    >>> polybrief.localise(brief, "ru").headline.provenance
    <Provenance.SOURCE: 'source'>
    """

    id: Slug
    language: LanguageTag = "en"
    headline: Annotated[Text, Translatable("Headline")]
    standfirst: Annotated[Text | None, Translatable("Standfirst (summary under the headline)")] = None
    dateline: Dateline
    published: AwareDatetime
    updated: AwareDatetime | None = Field(default=None, description=(
        "When the brief was last revised, with its UTC offset (a live brief is revised through the day); "
        "not earlier than `published`."))
    authors: list[Author] = Field(default_factory=list)
    image: Image | None = None
    lead: Annotated[list[Text], Translatable("Lead paragraph"), Field(min_length=1)]
    sections: list[Section] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    closing: Annotated[list[Text], Translatable("Closing paragraph")] = Field(default_factory=list)
    corrections: list[Correction] = Field(default_factory=list)
    tags: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _times_are_in_order(self) -> Brief:
        if self.updated is not None and self.updated < self.published:
            raise FieldValueError("updated", f"{self.updated.isoformat()} is earlier than published "
                                             f"({self.published.isoformat()})")
        for index, correction in enumerate(self.corrections):
            if correction.date < self.published:
                raise FieldValueError(f"corrections[{index}].date", "a correction cannot be earlier than "
                                      f"the brief's publication ({self.published.isoformat()})")
            if self.updated is not None and correction.date > self.updated:
                raise FieldValueError(f"corrections[{index}].date", "a correction is a revision: set updated "
                                      f"to its time or later (updated is {self.updated.isoformat()})")
        return self

    @property
    def last_modified(self) -> datetime:
        """When the source text last changed: ``updated``, else the latest correction, else ``published``."""
        if self.updated is not None:
            return self.updated
        return max([self.published, *(c.date for c in self.corrections)])

    @model_validator(mode="after")
    def _sources_are_declared(self) -> Brief:
        names = [s.name for s in self.sources]
        seen: set[str] = set()
        for index, name in enumerate(names):
            if name in seen:
                raise FieldValueError(f"sources[{index}].name", f"duplicate source name {name!r}")
            seen.add(name)
        keys: dict[str, dict[str, str]] = {}  # list field name -> explicit key -> where: unique in the brief
        for path, node in iter_nodes(self):
            for name in type(node).model_fields:
                elements = getattr(node, name)
                if isinstance(elements, list):
                    _keys_are_unique(f"{path}.{name}" if path else name, elements, keys.setdefault(name, {}))
            # Every node with a ``source`` field cites a source by name.
            cited = getattr(node, "source", None) if "source" in type(node).model_fields else None
            if cited is not None and cited not in seen:
                raise FieldValueError(f"{path}.source", f"cites {cited!r}, which is not listed under 'sources'")
        return self

    def source_named(self, name: str) -> Source:
        """The declared source called ``name`` (validation guarantees it exists)."""
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)


def _keys_are_unique(path: str, elements: list[object], seen: dict[str, str]) -> None:
    """Two elements of one kind with one explicit key would share catalog entries: refuse it (positional path,
    for authors).  Keys are unique in the brief, not only in their list: an item's key does not depend on its
    section (``seen`` holds the keys of every list of this name so far)."""
    for index, element in enumerate(elements):
        key = getattr(element, "key", None)
        if key is None:
            continue
        if key in seen:
            raise FieldValueError(f"{path}[{index}].key",
                              f"key {key!r} is already used by {seen[key]}; keys must differ within a brief")
        seen[key] = f"{path}[{index}]"


class FieldValueError(ValueError):
    """A cross-field validation failure that knows its own field path."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
