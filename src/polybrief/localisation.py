"""Localising a brief: resolve every field's text for a locale, and format
everything polybrief owns (dates, numbers, figures) with CLDR data.

Resolution order per field: reviewed catalog entry → fuzzy entry (only when
the policy includes drafts) → machine translation (when one was produced for
this run and passed its checks) → the source text (:mod:`polybrief.resolution`).
Each resolved field is a :class:`~polybrief.provenance.Segment` that knows
where its text came from.

The localised brief is rebuilt from the brief by the same walker that lists
its translatable fields (:func:`polybrief.fields.rebuild`): every
translatable value becomes its Segment and every other value stays as it is,
so a field added to the model reaches the templates with no change here.
What localisation adds on top is per kind of node: a figure's number (in the
locale's format and digits, per the figure's kind) and the plural form of its
unit, and the cited source of an item, figure or quote.

A figure's unit resolves to either ``unit`` (a bare form: "мирных жителей",
which the template sets next to the number with the UI message
``{count} {unit}``) or ``phrase`` (a whole phrase with ``{count}`` where the
number goes: "не менее {count} мирных жителей").  A qualified figure's
source is always a phrase (see :mod:`polybrief.phrases`); a translation of
a phrase that lost its ``{count}`` is never published — the figure would
have no number — and falls back to the source like an untranslated field
(a plural form shown for one number only may spell it out: see
:func:`~polybrief.fields.keeps_count`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .brief_io import BriefSource
from .cldr import LocaleInfo, LocaleLike, as_locale
from .fields import (
    COUNT_PLACEHOLDER,
    ListKey,
    Unit,
    list_keys,
    rebuild,
)
from .model import Author, Brief, Figure, Source
from .provenance import DEFAULT_POLICY, MachineTranslation, Provenance, Segment, TranslationPolicy, is_full_version
from .resolution import FieldResolver, Resolved, published_plural_forms

if TYPE_CHECKING:
    from .catalogs.brief import BriefCatalog, PluralForms

__all__ = ["LocalisedNode", "LocalisedBrief", "localise_brief"]


def _class_names(cls: type) -> frozenset[str]:
    """Every attribute name ``cls`` defines (slots, properties, methods), through its bases."""
    names = _CLASS_NAMES.get(cls)
    if names is None:
        names = _CLASS_NAMES[cls] = frozenset(name for klass in cls.__mro__ for name in vars(klass))
    return names


_CLASS_NAMES: dict[type, frozenset[str]] = {}


class LocalisedNode:
    """A node of the brief (an item, a figure, a source...) ready to render in one locale.

    Attribute access mirrors the model: a translatable field gives its
    :class:`~polybrief.provenance.Segment`, a nested model another node, any
    other field its value.  ``model`` is the node of the source brief.

    >>> section = polybrief.localise("examples/nagorno-karabakh.yaml", "ru").sections[0]
    >>> section
    <LocalisedNode Section sections[key-updates-in-the-azerbaijan]>
    >>> section.items[0].label.text, section.model.items[0].label
    ('Жертвы среди мирного населения', 'Civilian Casualties')
    """

    __slots__ = ("model", "path", "_fields", "__dict__")

    def __init__(self, model: BaseModel, path: str, fields: Mapping[str, Any]) -> None:
        self.model = model
        self.path = path
        self._fields = dict(fields)
        # Templates read these attributes hundreds of times a page: an instance attribute is found
        # directly, where ``__getattr__`` is reached only after a failed lookup.  What the class
        # itself defines (``path``, ``model``, properties, methods) still wins, as before.
        shadowed = _class_names(type(self))
        if shadowed.isdisjoint(self._fields):  # the usual case: no field is named like an attribute
            self.__dict__.update(self._fields)
        else:
            self.__dict__.update({k: v for k, v in self._fields.items() if k not in shadowed})

    def __getattr__(self, name: str) -> Any:
        if name in LocalisedNode.__slots__:  # not set yet: ``pickle`` and ``copy`` look before ``__init__`` runs
            raise AttributeError(name)
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(f"{type(self.model).__name__} has no field {name!r}") from None

    def node_fields(self) -> Mapping[str, Any]:
        """Every field of this node by name, as templates see them (read-only)."""
        return MappingProxyType(self._fields)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {type(self.model).__name__} {self.path or '(root)'}>"


class LocalisedBrief(LocalisedNode):
    """A brief ready to render in one locale: every field resolved, every format applied.

    Besides the brief's own fields (``headline``, ``lead``, ``sections``,
    ``figures``, ...) it carries the locale, the source locale, the
    :class:`BriefSource` it came from, and the formatted dates.

    >>> page = polybrief.localise("examples/nagorno-karabakh.yaml", "hy")
    >>> page.locale.tag, page.source_locale.tag, page.published_date
    ('hy', 'en', '2023 թ. սեպտեմբերի 19')
    >>> page.provenance_counts()
    {'reviewed': 52, 'draft': 0, 'machine-draft': 0, 'machine': 0, 'source': 0}
    """

    __slots__ = ("brief", "locale", "source_locale", "source", "segments_by_path", "plurals", "units", "revised")

    # The brief's own fields, for readers and type checkers (values come from the rebuilt tree).
    headline: Segment
    standfirst: Segment | None
    lead: list[Segment]
    closing: list[Segment]
    sections: list[LocalisedNode]
    figures: list[LocalisedNode]
    quotes: list[LocalisedNode]
    sources: list[LocalisedNode]
    tags: list[str]
    published: datetime
    authors: list[LocalisedNode]
    image: LocalisedNode | None
    corrections: list[LocalisedNode]

    def __init__(self, brief: Brief, locale: LocaleInfo, source_locale: LocaleInfo, source: BriefSource | None,
                 fields: Mapping[str, Any], segments: dict[str, Segment],
                 plurals: Mapping[str, PluralForms] | None = None) -> None:
        super().__init__(brief, "", fields)
        self.brief = brief
        self.locale = locale
        self.source_locale = source_locale
        self.source = source
        self.segments_by_path = segments
        #: Every catalog form of each plural field, by path, for the quality checks (the page
        #: shows one form per count; an incomplete entry is not shown but is still checked).
        self.plurals: Mapping[str, PluralForms] = plurals or {}
        #: Every translatable field's :class:`~polybrief.fields.Unit` by path (the checks read the source
        #: texts from it instead of walking the brief again); None for a brief localised elsewhere.
        self.units: Mapping[str, Unit] | None = None
        #: When the translation was last revised (its catalog's ``PO-Revision-Date``); None: unknown or none.
        self.revised: datetime | None = None

    # -- formatted parts ---------------------------------------------------------------

    @property
    def dateline_place(self) -> Segment:
        place: Segment = self.dateline.place
        return place

    # Formatted once per localised brief (its HTML and text pages both print them).

    @functools.cached_property
    def dateline_date(self) -> str:
        return self.locale.format_date(self.brief.dateline.date, "long")

    @functools.cached_property
    def published_date(self) -> str:
        return self.locale.format_date(self.brief.published, "long")

    @functools.cached_property
    def published_time(self) -> str:
        return self.locale.format_time(self.brief.published, "short")

    @functools.cached_property
    def published_datetime(self) -> str:
        """Date, time and UTC offset of publication, joined by the locale's CLDR date-time pattern."""
        return self.locale.format_datetime(self.brief.published, "long")

    # -- a live brief: revisions, and how far a translation lags behind -----------------------

    @property
    def source_modified(self) -> datetime:
        """When the source text last changed (:attr:`~polybrief.Brief.last_modified`)."""
        return self.brief.last_modified

    @property
    def modified(self) -> datetime:
        """When this page last changed *in its own language* (its ``dateModified``).

        The original: when the source last changed.  A translation: when its
        catalog was last revised (``PO-Revision-Date``), never before
        publication; a source edit its translators have not caught up with does
        not make the translation newer (the page says so instead, :attr:`lags`).
        """
        if self.is_original:
            return self.source_modified
        published = self.brief.published
        return self.revised if self.revised is not None and self.revised > published else published

    @functools.cached_property
    def pending_count(self) -> int:
        """Passages of a translated page that no translator has reviewed (drafts, machine text, source)."""
        if self.is_original:
            return 0
        return sum(1 for s in self.segments() if s.provenance is not Provenance.REVIEWED)

    @property
    def lags(self) -> bool:
        """The source was revised (``updated``) and this translation has passages pending since: the page
        says "Updated in English at {time}; {n} passages of this translation are pending"."""
        return not self.is_original and self.brief.updated is not None and self.pending_count > 0

    @functools.cached_property
    def updated_datetime(self) -> str | None:
        """The source's last revision, formatted like :attr:`published_datetime` (None: never revised)."""
        if self.brief.updated is None:
            return None
        return self.locale.format_datetime(self.brief.updated, "long")

    @functools.cached_property
    def modified_datetime(self) -> str:
        return self.locale.format_datetime(self.modified, "long")

    # -- provenance ----------------------------------------------------------------------

    @property
    def is_original(self) -> bool:
        """True on the source-language page (nothing to translate, nothing to disclose)."""
        return self.locale.language == self.source_locale.language

    @property
    def source_language_name(self) -> str:
        """The source language named in the page's language ("английский" on a Russian page)."""
        return self.source_locale.babel.get_display_name(self.locale.babel) or self.source_locale.tag

    def segments(self) -> Iterator[Segment]:
        return iter(self.segments_by_path.values())

    def provenance_counts(self) -> dict[str, int]:
        return dict(self._counts)

    @functools.cached_property
    def _counts(self) -> dict[str, int]:
        """Segments by provenance, counted once (each page asks several times; callers get a copy)."""
        counts = {p.value: 0 for p in Provenance}
        for segment in self.segments():
            counts[segment.provenance.value] += 1
        return counts

    @property
    def translated_count(self) -> int:
        """Segments shown in a translation of any kind (reviewed, draft, machine): 0 on a page that is
        all source text, which is never published as a translation (see :mod:`polybrief.publishing`)."""
        return sum(1 for s in self.segments() if s.provenance is not Provenance.SOURCE)

    def full_version(self, threshold: float = 1.0) -> bool:
        """Whether this page is a full language version under ``threshold`` (``--index-threshold``): the
        original, or at least that share of its segments reviewed (:func:`~polybrief.provenance.is_full_version`,
        the one definition; a partial page is ``noindex`` and out of hreflang, sitemaps and feeds)."""
        return is_full_version(self.provenance_counts(), threshold, original=self.is_original)

    def _has(self, provenance: Provenance) -> bool:
        return not self.is_original and provenance in self._shown_kinds

    @functools.cached_property
    def _shown_kinds(self) -> frozenset[Provenance]:
        """Every provenance on this page, gathered once (each page asks several times)."""
        return frozenset(s.provenance for s in self.segments())

    @property
    def has_machine(self) -> bool:
        return self._has(Provenance.MACHINE)

    @property
    def has_untranslated(self) -> bool:
        return self._has(Provenance.SOURCE)

    @property
    def has_drafts(self) -> bool:
        """A translator's draft (fuzzy, not machine-made) is shown."""
        return self._has(Provenance.DRAFT)

    @property
    def has_machine_drafts(self) -> bool:
        """A machine draft from the catalog (``polybrief translate``) is shown."""
        return self._has(Provenance.MACHINE_DRAFT)

    @property
    def disclosed(self) -> list[Provenance]:
        """Every kind of unreviewed segment on this page, in the order the notice lists them."""
        return [kind for kind in (Provenance.DRAFT, Provenance.MACHINE_DRAFT, Provenance.MACHINE, Provenance.SOURCE)
                if self._has(kind)]

    @property
    def needs_notice(self) -> bool:
        """Whether readers must be told that part of the page is not reviewed: a translator's draft,
        a machine draft, live machine translation, or text left in the source language."""
        return bool(self.disclosed)

    def models(self, provenance: Provenance | str) -> str:
        """The machine translation models behind segments of ``provenance`` on this page, in order of
        first use, joined as the page's language lists things (CLDR's list pattern: ``en→hy opus-mt 1.0
        և en→hy nllb``, with the Arabic comma on a Persian page); ``?`` when none is named."""
        from babel.lists import format_list

        kind = Provenance(provenance)
        names = [name for name in dict.fromkeys(s.model for s in self.segments() if s.provenance is kind and s.model)
                 if name]
        if len(names) < 2:
            return names[0] if names else "?"
        try:
            return format_list(names, locale=self.locale.babel)
        except (KeyError, ValueError):  # a locale without list patterns
            return ", ".join(names)


def localise_brief(
    brief: Brief | BriefSource,
    locale: LocaleLike,
    *,
    catalog: BriefCatalog | None = None,
    policy: TranslationPolicy = DEFAULT_POLICY,
    machine: Mapping[str, MachineTranslation] | None = None,
    source_locale: LocaleLike | None = None,
) -> LocalisedBrief:
    """Localise ``brief`` for ``locale`` from exactly what it is given.

    ``catalog`` supplies reviewed and draft translations of the brief's own
    text, ``machine`` machine translations keyed by field path; without
    either, the brief's text stays in its source language while dates,
    numbers, figures and quotation marks are localised.  ``policy`` decides
    which drafts may be used and whether a fallback is an error.  Nothing is
    looked up: :func:`polybrief.localise` (and
    :meth:`polybrief.Session.localise`) find the catalog beside a brief file
    and call this.  A locale given as a tag is resolved with polybrief's own
    locale data (pass :class:`~polybrief.cldr.LocaleInfo` objects resolved by a
    session to use a project's).
    """
    source = brief if isinstance(brief, BriefSource) else None
    model = brief.brief if isinstance(brief, BriefSource) else brief
    info = as_locale(locale)
    source_info = as_locale(source_locale if source_locale is not None else model.language)
    resolver = FieldResolver(info, source_info, catalog, policy, machine)
    builder = _Builder(model, info, source_info, resolver, catalog)
    localised = builder.build(source)
    resolver.check_strict(builder.resolved)
    if catalog is not None and not localised.is_original:
        localised.revised = catalog.revised
    if catalog is not None and not localised.is_original:
        localised.plurals = published_plural_forms(builder.resolved, catalog, policy)
    return localised


class _Builder:
    """Rebuilds one brief's tree for one locale (see the module docstring), resolving each field as it goes."""

    def __init__(self, brief: Brief, locale: LocaleInfo, source_locale: LocaleInfo,
                 resolver: FieldResolver, catalog: BriefCatalog | None) -> None:
        self.brief = brief
        self.locale = locale
        self.source_locale = source_locale
        self.resolver = resolver
        self.resolved: dict[str, Resolved] = {}
        """Every field resolved, in document order (the order :func:`translation_units` lists them)."""
        self._known: dict[str, Resolved] = {}
        self.catalog = catalog
        self.sources: dict[str, LocalisedNode] = {}

    def build(self, source: BriefSource | None) -> LocalisedBrief:
        # Sources first: items, figures and quotes cite them by name.
        keys = list_keys(self.brief.sources, field="sources")
        for n, (key, model) in enumerate(zip(keys, self.brief.sources)):
            self.sources[model.name] = rebuild(model, leaf=self._leaf, node=self._node,
                                               loc=("sources", ListKey(key)), pos=("sources", n),
                                               language=self.brief.language)
        self.resolved = {}  # the walk of the whole brief below lists every field in document order
        fields = rebuild(self.brief, leaf=self._leaf, node=self._node)
        segments = {path: r.segment for path, r in self.resolved.items()}
        localised = LocalisedBrief(self.brief, self.locale, self.source_locale, source, fields, segments)
        localised.units = {path: r.unit for path, r in self.resolved.items()}
        return localised

    def _leaf(self, unit: Unit) -> Segment:
        resolved = self._known.get(unit.path)
        if resolved is None:
            resolved = self._known[unit.path] = self.resolver(unit)
        self.resolved[unit.path] = resolved
        return resolved.segment

    def _node(self, model: BaseModel, path: str, fields: dict[str, Any]) -> Any:
        if model is self.brief:
            return fields  # the root becomes the LocalisedBrief itself
        if isinstance(model, Source):
            cached = self.sources.get(model.name)
            if cached is not None:
                return cached
            if not isinstance(fields["name"], Segment):
                # A proper name (AFP) is not a translatable unit: shown as written, in the brief's
                # language (so a Latin name on a Persian page is marked and isolated), never counted.
                fields["name"] = Segment(f"{path}.name", model.name, Provenance.SOURCE, self.source_locale.tag,
                                         proper_name=True)
        if isinstance(model, Author) and not isinstance(fields["name"], Segment):
            # A person's name is shown as written, like a source's proper name (marked with its language).
            fields["name"] = Segment(f"{path}.name", model.name, Provenance.SOURCE, self.source_locale.tag,
                                     proper_name=True)
        for name in ("time", "date"):  # a key update's time, a correction's: in the locale's format
            value = fields.get(name)
            if isinstance(value, datetime) and value.tzinfo is not None:
                fields[f"{name}_text"] = self.locale.format_datetime(value, "medium")
        if "source" in type(model).model_fields:
            name = getattr(model, "source")
            fields["source"] = self.sources[name] if name is not None else None
        if isinstance(model, Figure):
            fields.update(self._figure(model, path, fields))
        return LocalisedNode(model, path, fields)

    def _figure(self, figure: Figure, path: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """A figure's number in the locale's format and its unit (or phrase) in the right plural form."""
        extra: dict[str, Any] = {"number": self._figure_number(figure), "phrase": None}
        unit = fields.get("unit")
        if isinstance(unit, Segment):
            r = self.resolved[unit.path]
            if unit.provenance in (Provenance.REVIEWED, Provenance.DRAFT, Provenance.MACHINE_DRAFT) \
                    and self.catalog is not None:
                text = r.forms[min(self.catalog.plural_index(figure.shown_value), len(r.forms) - 1)]
            elif unit.provenance is Provenance.MACHINE:
                text = r.forms[0]
            else:
                text = r.unit.shown_source(self.source_locale)
            segment = unit.with_text(text)
            if COUNT_PLACEHOLDER in text or r.unit.has_count:  # a phrase, even a form that spells out its one number
                extra["phrase"], extra["unit"] = segment, None
            else:
                extra["unit"] = segment
        return extra

    def _figure_number(self, figure: Figure) -> str:
        """The figure's value as the locale writes it for the figure's kind (never rounded)."""
        if figure.kind == "percent":
            return self.locale.format_percent(figure.value, precision=figure.precision)
        if figure.kind == "currency":
            assert figure.currency is not None  # validation: a currency figure has its code
            return self.locale.format_currency(figure.value, figure.currency, compact=figure.compact,
                                               precision=figure.precision)
        return self.locale.format_number(figure.value, precision=figure.precision)
