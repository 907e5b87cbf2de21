"""Localising a brief: resolve every field's text for a locale, and format
everything polybrief owns (dates, numbers, figures) with CLDR data.

Resolution order per field: reviewed catalog entry → fuzzy entry (only when
the policy includes drafts) → machine translation (when one was produced for
this run and passed its checks) → the source text.  Each resolved field is a
:class:`~polybrief.provenance.Segment` that knows where its text came from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UntranslatedError
from .cldr import LocaleInfo, get_locale
from .model import Brief, Figure
from .provenance import Provenance, Segment, TranslationPolicy
from .units import Unit, translation_units

if TYPE_CHECKING:
    from .catalogs import BriefCatalog
    from .mt.base import MachineTranslation

__all__ = [
    "LocalisedBrief",
    "LocalisedSection",
    "LocalisedItem",
    "LocalisedFigure",
    "LocalisedQuote",
    "LocalisedSource",
    "localise",
    "resolve_segments",
]


@dataclass(frozen=True, slots=True)
class LocalisedSource:
    name: Segment
    url: str | None


@dataclass(frozen=True, slots=True)
class LocalisedItem:
    label: Segment
    text: Segment
    source: LocalisedSource | None


@dataclass(frozen=True, slots=True)
class LocalisedSection:
    heading: Segment
    items: list[LocalisedItem]


@dataclass(frozen=True, slots=True)
class LocalisedFigure:
    """A key figure: its number formatted for the locale and its unit in the right plural form."""

    label: Segment
    value: int | Decimal
    number: str
    unit: Segment | None
    qualifier: str
    source: LocalisedSource | None


@dataclass(frozen=True, slots=True)
class LocalisedQuote:
    text: Segment
    speaker: Segment
    source: LocalisedSource | None


@dataclass(frozen=True)
class LocalisedBrief:
    """A brief ready to render in one locale: every field resolved, every format applied."""

    brief: Brief
    locale: LocaleInfo
    source_locale: LocaleInfo
    headline: Segment
    standfirst: Segment | None
    dateline_place: Segment
    dateline_date: str
    published: datetime
    published_date: str
    published_time: str
    lead: list[Segment]
    sections: list[LocalisedSection]
    figures: list[LocalisedFigure]
    quotes: list[LocalisedQuote]
    sources: list[LocalisedSource]
    closing: list[Segment]
    tags: list[str]
    segments_by_path: dict[str, Segment] = field(repr=False)

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

    @property
    def has_machine(self) -> bool:
        return not self.is_original and any(s.provenance is Provenance.MACHINE for s in self.segments())

    @property
    def has_untranslated(self) -> bool:
        return not self.is_original and any(s.provenance is Provenance.SOURCE for s in self.segments())

    @property
    def has_drafts(self) -> bool:
        return not self.is_original and any(s.provenance is Provenance.DRAFT for s in self.segments())

    @property
    def needs_notice(self) -> bool:
        """Whether readers must be told that part of the page is machine-translated or untranslated."""
        return self.has_machine or self.has_untranslated

    def untranslated_paths(self) -> list[str]:
        return [s.path for s in self.segments() if s.provenance is Provenance.SOURCE]


@dataclass(frozen=True, slots=True)
class _Resolved:
    segment: Segment
    forms: tuple[str, ...]


def resolve_segments(
    brief: Brief,
    locale: LocaleInfo,
    *,
    catalog: BriefCatalog | None = None,
    policy: TranslationPolicy = TranslationPolicy(),
    machine: Mapping[str, MachineTranslation] | None = None,
) -> dict[str, _Resolved]:
    """Resolve every translatable field of ``brief`` for ``locale`` (see module docstring)."""
    source_lang = get_locale(brief.language).tag
    original = locale.language == get_locale(brief.language).language
    out: dict[str, _Resolved] = {}
    for unit in translation_units(brief):
        source_forms = (unit.text, unit.plural) if unit.plural is not None else (unit.text,)
        if original:
            out[unit.path] = _Resolved(Segment(unit.path, unit.text, Provenance.SOURCE, locale.tag), source_forms)
            continue
        resolved = _resolve_one(unit, locale, catalog, policy, machine)
        if resolved is None:
            note = None
            if catalog is not None and catalog.is_stale(unit):
                note = "the catalog translates an older source text; run `polybrief update`"
            mt = machine.get(unit.path) if machine else None
            if mt is not None and not mt.ok:
                note = f"machine translation rejected: {mt.problem}"
            resolved = _Resolved(Segment(unit.path, unit.text, Provenance.SOURCE, source_lang, note=note), source_forms)
        out[unit.path] = resolved
    if policy.strict and not original:
        missing = [path for path, r in out.items() if r.segment.provenance is Provenance.SOURCE]
        if missing:
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            raise UntranslatedError(
                f"{len(missing)} segment(s) would fall back to the source text: {shown}",
                field=missing[0],
                hint=f"translate them in the {locale.tag} catalog (polybrief update / stats), or drop --strict",
            )
    return out


def _resolve_one(
    unit: Unit,
    locale: LocaleInfo,
    catalog: BriefCatalog | None,
    policy: TranslationPolicy,
    machine: Mapping[str, MachineTranslation] | None,
) -> _Resolved | None:
    if catalog is not None:
        entry = catalog.lookup(unit)
        if entry is not None and (not entry.fuzzy or policy.include_drafts):
            provenance = Provenance.DRAFT if entry.fuzzy else Provenance.REVIEWED
            return _Resolved(Segment(unit.path, entry.text, provenance, locale.tag), entry.forms)
    mt = machine.get(unit.path) if machine else None
    if mt is not None and mt.ok:
        segment = Segment(unit.path, mt.text, Provenance.MACHINE, locale.tag, engine=mt.engine, models=mt.models)
        return _Resolved(segment, (mt.text,))
    return None


def localise(
    brief: Brief,
    locale: str | LocaleInfo,
    *,
    catalog: BriefCatalog | None = None,
    policy: TranslationPolicy = TranslationPolicy(),
    machine: Mapping[str, MachineTranslation] | None = None,
    locale_dirs: Sequence[Path] = (),
) -> LocalisedBrief:
    """Localise ``brief`` for ``locale``.

    ``catalog`` supplies reviewed and draft translations of the brief's own
    text, ``machine`` machine translations keyed by field path; without either,
    the brief's text stays in its source language while dates, numbers,
    figures and quotation marks are localised.
    """
    info = locale if isinstance(locale, LocaleInfo) else get_locale(locale, data_dirs=locale_dirs)
    source_locale = get_locale(brief.language, data_dirs=locale_dirs)
    resolved = resolve_segments(brief, info, catalog=catalog, policy=policy, machine=machine)
    seg = {path: r.segment for path, r in resolved.items()}

    sources_by_name: dict[str, LocalisedSource] = {}
    sources: list[LocalisedSource] = []
    for n, source in enumerate(brief.sources):
        # A proper name (AFP) is not a translatable unit: shown as written, never counted as untranslated.
        name = seg.get(f"sources[{n}].name") or Segment(f"sources[{n}].name", source.name, Provenance.SOURCE, info.tag)
        localised_source = LocalisedSource(name=name, url=source.url)
        sources.append(localised_source)
        sources_by_name[source.name] = localised_source

    def cite(name: str | None) -> LocalisedSource | None:
        return sources_by_name[name] if name is not None else None

    figures = [
        _figure(f, figure, resolved, seg, info, source_locale, catalog, cite(figure.source))
        for f, figure in enumerate(brief.figures)
    ]
    sections = [
        LocalisedSection(
            heading=seg[f"sections[{s}].heading"],
            items=[
                LocalisedItem(seg[f"sections[{s}].items[{i}].label"], seg[f"sections[{s}].items[{i}].text"],
                              cite(item.source))
                for i, item in enumerate(section.items)
            ],
        )
        for s, section in enumerate(brief.sections)
    ]
    quotes = [
        LocalisedQuote(seg[f"quotes[{q}].text"], seg[f"quotes[{q}].speaker"], cite(quote.source))
        for q, quote in enumerate(brief.quotes)
    ]
    return LocalisedBrief(
        brief=brief,
        locale=info,
        source_locale=source_locale,
        headline=seg["headline"],
        standfirst=seg.get("standfirst"),
        dateline_place=seg["dateline.place"],
        dateline_date=info.format_date(brief.dateline.date, "long"),
        published=brief.published,
        published_date=info.format_date(brief.published, "long"),
        published_time=info.format_time(brief.published, "short"),
        lead=[seg[f"lead[{i}]"] for i in range(len(brief.lead))],
        sections=sections,
        figures=figures,
        quotes=quotes,
        sources=sources,
        closing=[seg[f"closing[{i}]"] for i in range(len(brief.closing))],
        tags=list(brief.tags),
        segments_by_path=seg,
    )


def _figure(
    f: int,
    figure: Figure,
    resolved: Mapping[str, _Resolved],
    seg: Mapping[str, Segment],
    info: LocaleInfo,
    source_locale: LocaleInfo,
    catalog: BriefCatalog | None,
    source: LocalisedSource | None,
) -> LocalisedFigure:
    unit_segment: Segment | None = None
    if figure.unit is not None:
        r = resolved[f"figures[{f}].unit"]
        base = r.segment
        if base.provenance in (Provenance.REVIEWED, Provenance.DRAFT) and catalog is not None:
            text = r.forms[min(catalog.plural_index(figure.value), len(r.forms) - 1)]
        elif base.provenance is Provenance.MACHINE:
            text = r.forms[0]
        else:
            category = source_locale.plural_category(figure.value)
            text = figure.unit.get(category, figure.unit["other"])
        unit_segment = Segment(base.path, text, base.provenance, base.lang, base.engine, base.models, base.note)
    return LocalisedFigure(
        label=seg[f"figures[{f}].label"],
        value=figure.value,
        number=info.format_number(figure.value),
        unit=unit_segment,
        qualifier=figure.qualifier,
        source=source,
    )
