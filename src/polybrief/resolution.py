"""Which text each field of a localised page shows, and where it came from: one field at a time.

The resolution order of :mod:`polybrief.localisation`, per field: a reviewed
catalog entry → a fuzzy entry (only when the policy includes drafts; one
written by ``polybrief translate`` is disclosed as a machine draft) → machine
translation made for this run that passed its checks → the source text, with
a note saying why when there is one (a stale catalog entry, a rejected machine
translation).  A figure phrase whose translation lost ``{count}`` falls back to
the source: the figure would have no number.  Kept apart from the tree that
:mod:`polybrief.localisation` rebuilds so that each module has one job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .cldr import LocaleInfo
from .errors import UntranslatedError
from .fields import COUNT_PLACEHOLDER, Unit, keeps_count
from .provenance import MachineTranslation, Provenance, Segment, TranslationPolicy

if TYPE_CHECKING:
    from .catalogs.brief import BriefCatalog, CatalogEntry, PluralForms

__all__ = ["Resolved", "FieldResolver", "published_plural_forms"]


@dataclass(frozen=True, slots=True)
class Resolved:
    """A field's segment and every form of its text (several for a plural unit)."""

    segment: Segment
    forms: tuple[str, ...]
    unit: Unit


class FieldResolver:
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


def _lookup(catalog: BriefCatalog, unit: Unit) -> CatalogEntry | None:
    """The catalog's translation of ``unit``; for an exact figure's phrase whose catalog still keys it by
    the bare unit (:attr:`~polybrief.fields.Unit.legacy`), that entry with ``{count} `` before each form:
    what the page showed before exact figures became phrases."""
    entry = catalog.lookup(unit)
    if entry is None and unit.legacy is not None:
        entry = catalog.lookup(Unit(unit.path, unit.legacy[0], plural=unit.legacy[1]))
        if entry is not None:
            entry = replace(entry, forms=tuple(f"{COUNT_PLACEHOLDER} {form}" for form in entry.forms))
    return entry


def _resolve_one(
    unit: Unit,
    locale: LocaleInfo,
    catalog: BriefCatalog | None,
    policy: TranslationPolicy,
    machine: Mapping[str, MachineTranslation] | None,
) -> Resolved | None:
    if catalog is not None:
        entry = _lookup(catalog, unit)
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


def published_plural_forms(resolved: Mapping[str, Resolved], catalog: BriefCatalog,
                  policy: TranslationPolicy) -> dict[str, PluralForms]:
    """Every plural field's catalog forms that the policy would publish (drafts only when included)."""
    out: dict[str, PluralForms] = {}
    for path, r in resolved.items():
        if r.unit.is_plural:
            forms = catalog.plural_forms(r.unit)
            if forms is not None and (not forms.fuzzy or policy.include_drafts):
                out[path] = forms
    return out
