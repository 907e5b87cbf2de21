"""The brief as a typed, immutable object.

Pydantic v2 (frozen models) rather than dataclasses: a brief arrives from a
hand-edited YAML or JSON file, so validation with precise field paths
(``sections[0].items[3].text``), coercion of YAML dates and the JSON Schema
export (``polybrief schema``) are the bulk of the work, and pydantic does all
three from one declaration.  Models are frozen so a localised or translated
brief can never be mutated behind a renderer's back.

Text fields hold plain text, never markup: content is data and is escaped by
the renderers.  Key figures are validated in :mod:`polybrief.figures` and the
shared field types live in :mod:`polybrief.modeltypes`; both are re-exported
here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar, Literal

from pydantic import AwareDatetime, Field, model_validator

from .fields import Translatable, iter_nodes
from .figures import Figure, FigureKind
from .modeltypes import SLUG, URL, FrozenModel, Key, LanguageTag, Slug, Text, WebURL

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


class Dateline(FrozenModel):
    """Where and on which day the brief was filed: the place is translated, the date formatted per locale.

    >>> page = polybrief.localise("examples/nagorno-karabakh.yaml", "hy")
    >>> page.dateline_place.text, page.dateline_date
    ('Նյու Դելի', '2023 թ. սեպտեմբերի 19')
    """

    place: Annotated[Text, Translatable("Dateline: the place the brief was filed from")]
    date: date


class Item(FrozenModel):
    """One labelled key update, e.g. ``Civilian Casualties: AFP reported ...``.

    Its catalog entries are keyed by its ``key`` (by default a slug of its label), not by its
    position, so moving an item never hands its translation to another:

    >>> brief = polybrief.load("examples/nagorno-karabakh.yaml")
    >>> brief.sections[0].items[0].label
    'Civilian Casualties'
    >>> polybrief.translation_units(brief)[9].path
    'items[civilian-casualties].text'
    """

    key_from: ClassVar[tuple[str, ...]] = ("label",)

    key: Key | None = None
    label: Annotated[Text, Translatable("Label of a key update")]
    text: Annotated[Text, Translatable("Text of a key update")]
    source: str | None = Field(default=None, description="Name of an entry in the brief's sources.")
    time: AwareDatetime | None = Field(default=None, description=(
        "When this update was posted, with its UTC offset (a live brief's key updates): shown as a <time> "
        "in each locale's format."))


class Section(FrozenModel):
    """A heading and its labelled items (at least one), keyed like an :class:`Item` by its heading.

    >>> item = polybrief.Item(label="Roads", text="The coast road is closed until Monday.")
    >>> polybrief.Section(heading="Transport", items=[item]).items[0].label
    'Roads'
    """

    key_from: ClassVar[tuple[str, ...]] = ("heading",)

    key: Key | None = None
    heading: Annotated[Text, Translatable("Section heading")]
    items: list[Item] = Field(min_length=1)


class Quote(FrozenModel):
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


class Source(FrozenModel):
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


class Author(FrozenModel):
    """A byline: a person (or a desk) who wrote or compiled the brief.

    A person's name is shown as written, like a source's proper name;
    ``translatable`` marks a name that is a phrase ("World Desk").  ``role``
    ("Caucasus correspondent") is translated.

    >>> polybrief.Author(name="Anna Petrosyan", role="Caucasus correspondent").kind
    'person'
    >>> page = polybrief.localise("examples/nagorno-karabakh.yaml", "ru")   # the example's desk, by name
    >>> [(author.name.text, author.model.kind) for author in page.authors]
    [('Отдел международных новостей', 'organization')]
    """

    key_from: ClassVar[tuple[str, ...]] = ("name",)

    key: Key | None = None
    name: Annotated[Text, Translatable("Name of an author (a desk's name)", when="translatable")]
    url: WebURL | None = Field(default=None, description="The author's page (http or https).")
    role: Annotated[Text | None, Translatable("Role of an author, shown after the name")] = None
    kind: Literal["person", "organization"] = Field(default="person", description=(
        "person (the default) or organization (a desk or an agency): what schema.org calls the author."))
    translatable: bool = False


class Image(FrozenModel):
    """The brief's lead image: shown under the headline and named in its page metadata.

    Its alternative text and caption are translated; the credit is shown as written.

    >>> image = polybrief.Image(url="https://example.org/bridge.jpg", alt="The reopened bridge at dawn",
    ...                         credit="A. Hakobyan")
    >>> [unit.path for unit in polybrief.translation_units(polybrief.Brief(
    ...     id="bridge", headline="Bridge reopens", published="2024-03-05T09:30:00+04:00", image=image,
    ...     dateline=polybrief.Dateline(place="Yerevan", date="2024-03-05"), lead=["It reopened."]))]
    ['headline', 'dateline.place', 'image.alt', 'lead[it-reopened]']
    """

    url: WebURL = Field(description="Absolute http(s) address of the image.")
    alt: Annotated[Text, Translatable("Alternative text of the lead image: what it shows, for readers who "
                                      "cannot see it")]
    caption: Annotated[Text | None, Translatable("Caption of the lead image")] = None
    credit: Text | None = Field(default=None, description="Who made the image (shown as written).")
    width: int | None = Field(default=None, ge=1, le=100_000, description="Width in pixels (page metadata).")
    height: int | None = Field(default=None, ge=1, le=100_000, description="Height in pixels (page metadata).")


class Correction(FrozenModel):
    """An editor's correction or note, shown at the foot of every language version with its time.

    Its default key comes from its time (``correction-20230919-2130``), not its first words: corrections
    tend to start alike ("An earlier version of this brief …"), and a slug shared by two of them would
    be told apart by a hash of the text, so adding the second would unattach the first one's reviewed
    translations; and editing a correction's text then keeps its translation, as a draft to review.

    >>> page = polybrief.localise("examples/nagorno-karabakh.yaml", "hy")
    >>> correction = page.corrections[0]
    >>> correction.path, correction.date_text
    ('corrections[correction-20230919-2130]', '2023 թ. սեպ 19, 21:30 GMT+05:30')
    """

    key_from: ClassVar[tuple[str, ...]] = ("stamp",)

    key: Key | None = None
    date: AwareDatetime = Field(description="When the correction was made, with its UTC offset.")
    text: Annotated[Text, Translatable("Correction: what was wrong and what the brief says now")]

    @property
    def stamp(self) -> str:
        """What the default key is made from: the correction's local date and time, as digits."""
        return self.date.strftime("%Y%m%d %H%M")


class Brief(FrozenModel):
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
