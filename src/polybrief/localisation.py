"""Localising a brief: resolve every field's text for a locale, and format
everything polybrief owns (dates, numbers, figures) with CLDR data.

Resolution order per field: reviewed catalog entry → fuzzy entry (only when
the policy includes drafts) → machine translation (when one was produced for
this run and passed its checks) → the source text.  Each resolved field is a
:class:`~polybrief.provenance.Segment` that knows where its text came from.

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
from dataclasses import dataclass, replace
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .brief_io import BriefSource
from .cldr import LocaleInfo, LocaleLike, as_locale
from .errors import UntranslatedError
from .fields import (
    COUNT_PLACEHOLDER,
    ListKey,
    Unit,
    keeps_count,
    list_keys,
    rebuild,
)
from .model import Brief, Figure, Source
from .provenance import DEFAULT_POLICY, MachineTranslation, Provenance, Segment, TranslationPolicy

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
    """

    __slots__ = ("brief", "locale", "source_locale", "source", "segments_by_path", "plurals", "units")

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
        counts = {p.value: 0 for p in Provenance}
        for segment in self.segments():
            counts[segment.provenance.value] += 1
        return counts

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
        first use, joined for display (``en→hy opus-mt 1.0, en→hy nllb``); ``?`` when none is named."""
        kind = Provenance(provenance)
        names = dict.fromkeys(s.model for s in self.segments() if s.provenance is kind and s.model)
        return ", ".join(name for name in names if name) or "?"


@dataclass(frozen=True, slots=True)
class Resolved:
    """A field's segment and every form of its text (several for a plural unit)."""

    segment: Segment
    forms: tuple[str, ...]
    unit: Unit


class _Resolver:
    """Resolves one unit at a time (so :func:`localise` walks the brief once); :meth:`check_strict` after."""

    def __init__(self, locale: LocaleInfo, source_locale: LocaleInfo, catalog: BriefCatalog | None,
                 policy: TranslationPolicy, machine: Mapping[str, MachineTranslation] | None) -> None:
        self.locale = locale
        self.source_locale = source_locale
        self.catalog = catalog
        self.policy = policy
        self.machine = machine
        self.original = locale.language == source_locale.language

    def __call__(self, unit: Unit) -> Resolved:
        locale, catalog, machine = self.locale, self.catalog, self.machine
        source_forms = (unit.text, unit.plural) if unit.plural is not None else (unit.text,)
        if self.original:
            return Resolved(Segment(unit.path, unit.text, Provenance.SOURCE, locale.tag), source_forms, unit)
        resolved = _resolve_one(unit, locale, catalog, self.policy, machine)
        if resolved is not None and not _keeps_count(unit, resolved, catalog):
            note = f"the translation does not keep {COUNT_PLACEHOLDER}, where the figure's number goes"
            segment = Segment(unit.path, unit.text, Provenance.SOURCE, self.source_locale.tag, note=note)
            resolved = Resolved(segment, source_forms, unit)
        elif resolved is None:
            note = None
            if catalog is not None and catalog.is_stale(unit):
                note = "the catalog translates an older source text; run `polybrief update`"
            mt = machine.get(unit.path) if machine else None
            if mt is not None and not mt.ok:
                note = f"machine translation rejected: {mt.problem}"
            segment = Segment(unit.path, unit.text, Provenance.SOURCE, self.source_locale.tag, note=note)
            resolved = Resolved(segment, source_forms, unit)
        return resolved

    def check_strict(self, resolved: Mapping[str, Resolved]) -> None:
        """Under ``--strict``, refuse a translated page with any field in the source language."""
        if not self.policy.strict or self.original:
            return
        missing = [path for path, r in resolved.items() if r.segment.provenance is Provenance.SOURCE]
        if missing:
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            raise UntranslatedError(
                f"{len(missing)} segment(s) would fall back to the source text: {shown}",
                field=missing[0],
                hint=f"translate them in the {self.locale.tag} catalog (polybrief update / stats), or allow fallbacks to the source text (no --strict; TranslationPolicy(strict=False))",
            )


def _keeps_count(unit: Unit, resolved: Resolved, catalog: BriefCatalog | None) -> bool:
    """Every form of a figure phrase's translation can show the number (:func:`~polybrief.fields.keeps_count`).

    Only a catalog's plural forms may spell out the number of a form shown for
    one number; machine output has no forms to rely on."""
    if not unit.has_count:
        return True
    samples: tuple[tuple[int, ...], ...] = ()
    if catalog is not None and unit.is_plural and resolved.segment.provenance is not Provenance.MACHINE:
        samples = catalog.form_samples()
    return all(keeps_count(form, samples[index] if index < len(samples) else None)
               for index, form in enumerate(resolved.forms))


def _resolve_one(
    unit: Unit,
    locale: LocaleInfo,
    catalog: BriefCatalog | None,
    policy: TranslationPolicy,
    machine: Mapping[str, MachineTranslation] | None,
) -> Resolved | None:
    if catalog is not None:
        entry = catalog.lookup(unit)
        if entry is not None and (not entry.fuzzy or policy.include_drafts):
            quiet = entry.ignored
            if not entry.fuzzy:
                return Resolved(Segment(unit.path, entry.text, Provenance.REVIEWED, locale.tag, ignored_checks=quiet),
                                entry.forms, unit)
            if entry.machine:  # written by `polybrief translate`: disclosed as machine output, with its model
                segment = Segment(unit.path, entry.text, Provenance.MACHINE_DRAFT, locale.tag,
                                  engine=entry.engine, models=entry.models, ignored_checks=quiet)
                return Resolved(segment, entry.forms, unit)
            return Resolved(Segment(unit.path, entry.text, Provenance.DRAFT, locale.tag, ignored_checks=quiet),
                            entry.forms, unit)
    mt = machine.get(unit.path) if machine else None
    if mt is not None and mt.ok:
        segment = Segment(unit.path, mt.text, Provenance.MACHINE, locale.tag, engine=mt.engine, models=mt.models)
        return Resolved(segment, (mt.text,), unit)
    return None


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
    resolver = _Resolver(info, source_info, catalog, policy, machine)
    builder = _Builder(model, info, source_info, resolver, catalog)
    localised = builder.build(source)
    resolver.check_strict(builder.resolved)
    if catalog is not None and not localised.is_original:
        localised.plurals = _plural_forms(builder.resolved, catalog, policy)
    return localised


def _plural_forms(resolved: Mapping[str, Resolved], catalog: BriefCatalog,
                  policy: TranslationPolicy) -> dict[str, PluralForms]:
    """Every plural field's catalog forms that the policy would publish (drafts only when included)."""
    out: dict[str, PluralForms] = {}
    for path, r in resolved.items():
        if r.unit.is_plural:
            forms = catalog.plural_forms(r.unit)
            if forms is not None and (not forms.fuzzy or policy.include_drafts):
                out[path] = forms
    return out


class _Builder:
    """Rebuilds one brief's tree for one locale (see the module docstring), resolving each field as it goes."""

    def __init__(self, brief: Brief, locale: LocaleInfo, source_locale: LocaleInfo,
                 resolver: _Resolver, catalog: BriefCatalog | None) -> None:
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
            segment = replace(unit, text=text)
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
