"""Where the checks meet briefs: one segment, a localised brief, a publish run, machine output.

Errors block publishing (:func:`publish_gate`) and make machine translations
fall back to the source (:func:`gate_machine`); warnings are shown to
reviewers (``polybrief check``, :func:`check_briefs`).

Locales are never resolved here: they come from the caller
(:class:`~polybrief.localisation.LocalisedBrief` carries both), because a
locale resolved again from its tag would lose the user's locale-data folders
(custom quotation marks, for one), and the ``quotes`` check would then judge
a translation by other marks than the page shows.  Only :func:`gate_machine`
still accepts tags, for callers written before it took ``source_locale``.

The source text of each field path comes from
:func:`polybrief.fields.translation_units` in :func:`_source_texts`; which
source form of a plural unit stands where is :class:`~polybrief.fields.Unit`'s
business (``shown_source`` for a page, ``mt_text`` for machine output).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..cldr import LocaleInfo
from ..errors import QualityGateError
from ..provenance import MachineTranslation, Provenance
from .memo import findings_memo
from .registry import Pair
from .report import Finding, QAReport
from .settings import active_checks
from .suite import ALL_CHECKS

if TYPE_CHECKING:
    from ..fields import Unit
    from ..glossary import Glossary, TermRule
    from ..localisation import LocalisedBrief
    from ..model import Brief
    from ..project import CheckSettings

__all__ = ["MACHINE_ERRORS", "check_briefs", "check_localised", "check_segment", "gate_findings", "gate_machine",
           "publish_gate", "split_ignored"]

log = logging.getLogger(__name__)

#: Warnings that reject a machine translation all the same: a short text in the wrong script or
#: language.  A reviewer's short label may keep a name (hence warnings), but no one reviewed a model's,
#: and a rejected result falls back to the source, disclosed.
MACHINE_ERRORS = frozenset({"script-short", "language-short", "language-variant-short", "untranslated-short"})




def _rules(glossary: Glossary | None, target_locale: LocaleInfo) -> list[TermRule]:
    if glossary is None:
        return []
    return glossary.rules_for(target_locale.tag)


def check_segment(
    source_text: str,
    target_text: str,
    *,
    path: str,
    source_locale: LocaleInfo,
    target_locale: LocaleInfo,
    glossary: Glossary | None = None,
    provenance: Provenance | None = None,
    settings: CheckSettings | None = None,
    ignore: Iterable[str] = (),
) -> list[Finding]:
    """Every finding of every check on one translated segment (empty list: all good).

    Each finding has ``.check`` (its stable name), ``.severity`` and
    ``.message``.  ``settings``: the project's check settings (checks
    switched off, severities overridden); ``ignore``: check names a reviewer
    silenced for this segment (a catalog entry's ``ignore-<check>`` flags).
    """
    pair = Pair(source_text, target_text, path=path, source_locale=source_locale, target_locale=target_locale,
                rules=_rules(glossary, target_locale), provenance=provenance, settings=settings)
    kept, _ = split_ignored(pair.run(active_checks()), frozenset(ignore))
    return kept


def split_ignored(findings: list[Finding], ignored: frozenset[str]) -> tuple[list[Finding], list[Finding]]:
    """(findings kept, findings silenced) for a segment whose entry says ``ignore-<check>`` for ``ignored``.

    ``ignore-numbers`` silences ``numbers`` and the names it reports beside it
    (``numbers-spelled``…): the reviewer judged the number, not one wording.
    """
    if not ignored or not findings:
        return findings, []
    kept: list[Finding] = []
    silenced: list[Finding] = []
    for finding in findings:
        name = finding.check
        hit = name in ignored or any(name.startswith(f"{flag}-") for flag in ignored)
        (silenced if hit else kept).append(finding)
    return kept, silenced


def _source_texts(brief: Brief, plural: Callable[[Unit], str]) -> dict[str, str]:
    """Source text of every translatable field by field path; ``plural`` picks a figure unit's form.

    A figure's unit has several source forms; which one a translation is
    compared with depends on the caller (the form for the figure's value on
    a page, the plural form that machine translation starts from).
    """
    from ..fields import translation_units

    return {unit.path: unit.text if unit.plural is None else plural(unit) for unit in translation_units(brief)}


def check_localised(localised: LocalisedBrief, *, glossary: Glossary | None = None,
                    facts: dict[tuple[str, str], dict[str, Any]] | None = None,
                    settings: CheckSettings | None = None, silenced: list[Finding] | None = None) -> list[Finding]:
    """Check every translated segment of a localised brief.

    Segments shown in the source language (provenance ``source``) and the
    original-language page are skipped: there is no translation to check.
    The exception is a plural field whose catalog entry has a form left
    empty: it falls back to the source, and the translator's forms are checked
    (``plural-forms`` says why the entry is not shown).

    ``facts`` (one dict per brief, passed to the check of each of its
    locales) keeps what the checks found in each source text, so a brief
    checked in three locales reads its source once.  A segment whose catalog
    entry has ``ignore-<check>`` flags (:attr:`~polybrief.provenance.Segment.ignored_checks`)
    loses those findings: they go to ``silenced`` when a list is given, so a
    report can say how many a reviewer silenced.
    """
    if localised.is_original:
        return []
    units = localised.units
    if units is None:
        from ..fields import translation_units

        units = {unit.path: unit for unit in translation_units(localised.brief)}
    rules = _rules(glossary, localised.locale)
    findings: list[Finding] = []
    checks = active_checks()
    # A segment repeated word for word across a site's briefs (a byline, a heading) is checked once.
    memo = findings_memo((localised.source_locale, localised.locale, tuple(rules), settings), checks, ALL_CHECKS)
    for segment in localised.segments():
        unit = units.get(segment.path)
        if unit is None:
            continue
        plural = localised.plurals.get(segment.path)
        text, provenance = segment.text, segment.provenance
        if provenance is Provenance.SOURCE:
            if plural is None:
                continue
            # An incomplete plural entry is not published, but the translator's forms are still checked.
            text = next(form for form in plural.forms if form.strip())
            provenance = Provenance.DRAFT if plural.fuzzy else Provenance.REVIEWED
        source = unit.shown_source(localised.source_locale)
        key = (segment.path, source, text, provenance, plural,
               None if unit.forms is None else tuple(unit.forms.items()))
        found = None if memo is None else memo.get(key)
        if found is None:
            shared = None
            if facts is not None:
                shared = facts.setdefault((source, localised.source_locale.tag), {})
            pair = Pair(source, text, path=segment.path, source_locale=localised.source_locale,
                        target_locale=localised.locale, rules=rules, provenance=provenance, plural=plural,
                        plural_source=unit.forms, facts=shared, settings=settings)
            found = tuple(pair.run(checks))
            if memo is not None:
                memo.put(key, found)
        kept, quiet = split_ignored(list(found), segment.ignored_checks)
        findings.extend(kept)
        if silenced is not None:
            silenced.extend(quiet)
    return findings


def check_briefs(localised: Iterable[LocalisedBrief], *, glossary: Glossary | None = None,
                 settings: CheckSettings | None = None) -> QAReport:
    """A :class:`QAReport` over many localised briefs, grouped by locale (original pages skipped).

    When the briefs are more than one, each message starts with its brief's
    id, since field paths alone no longer say where a finding is.

    >>> pages = [polybrief.localise("examples/nagorno-karabakh.yaml", tag) for tag in ("en", "hy", "ru")]
    >>> report = polybrief.check_briefs(pages)          # the English original is not checked
    >>> report.locales, report.has_errors
    (('hy', 'ru'), False)
    """
    items = [item for item in localised if not item.is_original]
    several = len({item.brief.id for item in items}) > 1
    findings: list[Finding] = []
    silenced: list[Finding] = []
    facts: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
    for item in items:
        for finding in check_localised(item, glossary=glossary, facts=facts.setdefault(item.brief.id, {}),
                                       settings=settings, silenced=silenced):
            findings.append(replace(finding, message=f"{item.brief.id}: {finding.message}") if several else finding)
    return QAReport.from_findings(findings, locales=list(dict.fromkeys(item.locale.tag for item in items)),
                                  silenced=silenced)


def _resolve_tag(tag: str) -> LocaleInfo:
    """Backward compatibility only: a locale from its bare tag, without the user's locale-data folders."""
    from ..cldr import get_locale

    return get_locale(tag)


def gate_machine(
    machine: Mapping[str, MachineTranslation],
    brief: Brief,
    target_locale: str | LocaleInfo,
    glossary: Glossary | None = None,
    *,
    source_locale: LocaleInfo | None = None,
    settings: CheckSettings | None = None,
) -> dict[str, MachineTranslation]:
    """``machine`` with every result that fails an error-level check (or :data:`MACHINE_ERRORS`) marked as a problem.

    The replaced result keeps its text (for logs and review) and gets a
    ``problem`` naming the failing checks, so the localiser falls back to the
    source text and says why.  Results that already have a problem are kept.

    Pass the :class:`LocaleInfo` objects the run uses (``source_locale`` for
    the brief's language); a tag, or no ``source_locale``, is resolved without
    the user's locale-data folders.
    """
    target = target_locale if isinstance(target_locale, LocaleInfo) else _resolve_tag(target_locale)
    source_locale = source_locale if source_locale is not None else _resolve_tag(brief.language)
    # Machine translation of a figure's unit starts from its plural source form.
    sources = _source_texts(brief, lambda unit: unit.mt_text)
    rules = _rules(glossary, target)
    checks = active_checks()
    out: dict[str, MachineTranslation] = {}
    for path, result in machine.items():
        source = sources.get(path)
        if not result.ok or source is None:
            out[path] = result
            continue
        pair = Pair(source, result.text, path=path, source_locale=source_locale, target_locale=target,
                    rules=rules, provenance=Provenance.MACHINE, settings=settings)
        errors = [f for f in pair.run(checks) if f.is_error or f.check in MACHINE_ERRORS]
        if errors:
            names = ", ".join(dict.fromkeys(f.check for f in errors))
            detail = "; ".join(f.message.removeprefix(f"{f.path}: ") for f in errors[:3])
            log.debug("machine translation of %s rejected: %s", path, detail)
            out[path] = replace(result, problem=f"failed quality checks ({names}): {detail}")
        else:
            out[path] = result
    return out


def publish_gate(
    localised_list: Sequence[LocalisedBrief],
    glossary: Glossary | None = None,
    allow_errors: bool = False,
    settings: CheckSettings | None = None,
) -> QAReport:
    """Check everything a publish run is about to write; refuse errors unless ``allow_errors``.

    Raises :class:`~polybrief.errors.QualityGateError` naming the first
    failing locale, field and check (and how many more there are).  Only
    counts are logged above DEBUG: findings quote brief content.
    """
    return gate_findings(check_briefs(localised_list, glossary=glossary, settings=settings), allow_errors=allow_errors)


def gate_findings(report: QAReport, *, allow_errors: bool = False) -> QAReport:
    """:func:`publish_gate` on findings already made (a publish run checks each brief as it goes)."""
    errors = report.errors()
    if not errors:
        return report
    locales = report.locales_with_errors()
    if allow_errors:
        log.warning("publishing despite %d quality error(s) in %s (--allow-qa-errors)", len(errors),
                    ", ".join(locales))
        for finding in errors:
            log.debug("%s %s: %s", finding.locale, finding.check, finding.message)
        return report
    first = errors[0]
    more = len(errors) - 1
    detail = first.message.removeprefix(f"{first.path}: ")
    message = f"quality check {first.check!r} failed for {first.locale}: {detail}"
    if more:
        message += f" (and {more} more error{'s' if more > 1 else ''} in {', '.join(locales)})"
    raise QualityGateError(
        message,
        field=first.path,
        hint="fix the translation; if it is right, add the flag ignore-" + first.check + " to its catalog entry "
             "(`#, ignore-" + first.check + "`); see `polybrief check` for every finding",
    )
