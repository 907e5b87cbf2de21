"""Live machine translation in a publish run (``publish --mt``): one call for every page of the run.

The provider is given every (brief, locale, catalog) of the run at once, so
an engine batches across briefs; what it returns is gated per locale (a
locale that asked for machine translation and got nothing usable stops the
run unless the policy allows it) and handed to the plan as each page's
machine results.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from ..brief_io import BriefSource
from ..catalogs.brief import BriefCatalog
from ..cldr import LocaleInfo
from ..errors import PolybriefError
from ..mt.summary import MachineSummary, require_accepted, summarise
from ..provenance import TranslationPolicy
from ..session import BriefLike, Session
from .report import MachineProvider
from .tasks import MachineResults

__all__ = ["run_machine", "machine_summaries", "page_locales"]

log = logging.getLogger(__name__)


def page_locales(session: Session, language: str, targets: Sequence[LocaleInfo]) -> list[LocaleInfo]:
    """The brief's own locale, then each target (a target in the brief's own language once)."""
    return list({info.tag: info for info in (session.locale(language), *targets)}.values())


def run_machine(session: Session, briefs: Sequence[BriefLike], targets: Sequence[LocaleInfo],
                machine: MachineProvider) -> tuple[list[BriefSource], Mapping[tuple[str, str], MachineResults]]:
    """Open every brief and ask ``machine`` for every page's missing translations, in one call."""
    sources = [session.open_brief(b) for b in briefs]
    _check_unique_ids(sources)
    work: list[tuple[BriefSource, LocaleInfo, BriefCatalog | None]] = []
    for source in sources:
        for info in page_locales(session, source.brief.language, targets):
            work.append((source, info, session.catalog(source, info)))
    return sources, machine(work)


def machine_summaries(results: Mapping[tuple[str, str], MachineResults], order: Sequence[str],
                      policy: TranslationPolicy) -> list[MachineSummary]:
    """Per-locale machine translation summary; fails when a locale got nothing usable (policy permitting)."""
    summaries = summarise(results, locales=order)
    for summary in summaries:
        log.info("machine translation %s: %s", summary.locale, summary.line())
    if not policy.allow_mt_failure:
        require_accepted(summaries)
    return summaries


def _check_unique_ids(sources: Sequence[BriefSource]) -> None:
    seen: dict[str, BriefSource] = {}
    for source in sources:
        other = seen.get(source.brief.id)
        if other is not None:
            raise PolybriefError(
                f"two briefs share the id {source.brief.id!r}",
                file=source.path, field="id",
                hint=f"also used by {other.path or 'another brief'}; ids name the output files and must differ",
            )
        seen[source.brief.id] = source
