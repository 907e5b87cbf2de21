"""Machine translation in the publishing pipeline: what to send, and where results go.

Used by ``publish --mt`` (live translation of what the catalogs lack) and by
``polybrief translate`` (fuzzy drafts written into the catalogs).  It imports
no MT library itself: the engine is built by :func:`engine_for` only when
asked for.

One call to the engine per language pair for a whole run, whatever the number
of briefs and fields: the engine splits, deduplicates and batches.  Only the
fields the catalogs do not already cover (under the run's policy) are sent.
Results that fail the quality checks are kept with their reason so the
localiser falls back instead of publishing them.
"""

from __future__ import annotations

import logging
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..catalogs.brief import BriefCatalog
from ..catalogs.drafts import fill_machine_drafts
from ..catalogs.entry import NO_MODEL_NOTE
from ..catalogs.merge import update_catalog
from ..brief_io import BriefSource
from ..cldr import LocaleInfo, LocaleLike
from ..errors import TranslationEngineError
from ..fields import Unit, translation_units
from ..model import Brief
from ..project import Project
from ..provenance import TranslationPolicy
from ..session import BriefLike, Session

if TYPE_CHECKING:
    from .base import MachineTranslation, TranslationEngine
    from .summary import MachineSummary

__all__ = ["units_needing_mt", "machine_provider", "translate_catalogs", "engine_for", "Job", "DraftCounts"]

log = logging.getLogger(__name__)

Job = tuple[BriefSource, LocaleInfo, "BriefCatalog | None"]


def units_needing_mt(
    brief: Brief,
    catalog: BriefCatalog | None,
    policy: TranslationPolicy,
    *,
    refresh_stale_drafts: bool = False,
    skip_rejected: bool = False,
) -> list[Unit]:
    """Fields the catalog cannot supply under ``policy`` (so MT may fill them).

    With ``refresh_stale_drafts``, machine drafts of a source text that has
    since changed count as missing too (``polybrief translate`` replaces them);
    with ``skip_rejected``, fields whose current text the engine already
    failed on are left out.
    """
    out = []
    for unit in translation_units(brief):
        entry = catalog.lookup(unit) if catalog is not None else None
        if entry is not None and (not entry.fuzzy or policy.include_drafts):
            if not (refresh_stale_drafts and entry.stale_machine_draft):
                continue
        if skip_rejected and catalog is not None and catalog.machine_rejected(unit):
            continue
        out.append(unit)
    return out


def machine_provider(
    engine: TranslationEngine,
    *,
    project: Project | None = None,
    session: Session | None = None,
    policy: TranslationPolicy | None = None,
    progress: bool | None = None,
    gate: bool = True,
    refresh_stale_drafts: bool = False,
    skip_rejected: bool = False,
) -> Callable[[Sequence[Job]], dict[tuple[str, str], dict[str, MachineTranslation]]]:
    """A provider for :func:`polybrief.publish`: batches every brief of a run per language pair.

    A pair the engine cannot translate yields results whose ``problem`` says
    so (the localiser then falls back and records why) rather than failing the
    whole run; ``--strict`` still refuses to publish the untranslated fields.
    With ``gate``, results that fail the quality checks are marked the same way.
    ``policy`` overrides ``project.policy`` (``translate`` treats drafts as covered); ``session``: the
    run's, so locales resolve as the run's do (default: a session of ``project``).

    With an engine that knows only the headline (:class:`~polybrief.mt.DictionaryEngine`; a real
    run passes :class:`~polybrief.mt.ArgosEngine`), the page shows one disclosed machine segment:

    >>> import tempfile
    >>> from polybrief.mt import DictionaryEngine
    >>> engine = DictionaryEngine({("en", "ru"): {
    ...     'Azerbaijan launches "anti-terrorist" offensive in Nagorno-Karabakh':
    ...     "Азербайджан начал «антитеррористическую» операцию в Нагорном Карабахе"}})
    >>> with tempfile.TemporaryDirectory() as out:
    ...     project = polybrief.Project(catalogs_dir=out)          # no reviewed catalogs here
    ...     report = polybrief.publish(["examples/nagorno-karabakh.yaml"], locales=["ru"], out_dir=out,
    ...                                project=project, machine=polybrief.machine_provider(engine, project=project))
    >>> report.provenance("nagorno-karabakh", "ru")["machine"], report.machine[0].accepted
    (1, 1)
    """
    session = session if session is not None else Session(project)
    policy = policy or session.policy

    def provide(jobs: Sequence[Job]) -> dict[tuple[str, str], dict[str, MachineTranslation]]:
        groups: dict[tuple[str, str], list[tuple[Brief, LocaleInfo, Unit]]] = defaultdict(list)
        for source, locale, catalog in jobs:
            src = session.locale(source.brief.language)
            if src.language == locale.language:
                continue
            for unit in units_needing_mt(source.brief, catalog, policy, refresh_stale_drafts=refresh_stale_drafts,
                                         skip_rejected=skip_rejected):
                groups[(src.tag, locale.tag)].append((source.brief, locale, unit))
        results: dict[tuple[str, str], dict[str, MachineTranslation]] = defaultdict(dict)
        bar = _progress(sum(len(v) for v in groups.values()), progress)
        for (src_tag, tgt_tag), members in groups.items():
            if not engine.supports(src_tag, tgt_tag):
                # Reported in the run's per-locale summary (polybrief.mt.summary), and an error there
                # when the locale gets nothing usable: no separate warning line.
                log.info("no machine translation model for %s→%s; those fields stay untranslated",
                         src_tag, tgt_tag)
                translated = [_unsupported(engine, src_tag, tgt_tag) for _ in members]
            else:
                translated = engine.translate([u.mt_text for _, _, u in members], source=src_tag,
                                              target=tgt_tag)
            if len(translated) != len(members):
                raise TranslationEngineError(
                    f"engine {engine.name!r} returned {len(translated)} results for {len(members)} segments")
            for (brief, locale, unit), mt in zip(members, translated):
                results[(brief.id, locale.tag)][unit.path] = mt
            if bar is not None:
                bar.update(len(members))
        if bar is not None:
            bar.close()
        if not gate:
            return dict(results)
        gated: dict[tuple[str, str], dict[str, MachineTranslation]] = {}
        briefs = {source.brief.id: source.brief for source, _, _ in jobs}
        locales = {locale.tag: locale for _, locale, _ in jobs}
        from ..qa import gate_machine

        for (brief_id, tag), mapping in results.items():
            brief = briefs[brief_id]
            gated[(brief_id, tag)] = dict(gate_machine(mapping, brief, locales[tag], session.project.glossary,
                                                       source_locale=session.locale(brief.language),
                                                       settings=session.project.checks))
        return gated

    return provide


def _unsupported(engine: TranslationEngine, source: str, target: str) -> MachineTranslation:
    from .base import MachineTranslation

    return MachineTranslation(text="", score=0.0, engine=engine.name, models=(),
                              problem=f"{NO_MODEL_NOTE} {source}→{target} (see `polybrief models list`)")


def _progress(total: int, enabled: bool | None):  # noqa: ANN202 - tqdm is optional
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled or total == 0:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="seg", desc="translating", file=sys.stderr, leave=False)


class DraftCounts(dict[str, int]):
    """Machine drafts written per locale tag, the ``(source, target)`` pairs no model covers, and
    a :class:`~polybrief.mt.summary.MachineSummary` per locale (sent, accepted, rejected with reasons).

    A dict (so it compares equal to ``{"ru": 4}``) with ``missing_pairs``:
    the locales of those pairs were not sent to the engine and nothing was
    recorded in their catalogs, because "no model installed" says nothing
    about the text; install a model and run ``translate`` again.
    """

    missing_pairs: tuple[tuple[str, str], ...] = ()
    summaries: tuple[MachineSummary, ...] = ()

    def summary(self, tag: str) -> MachineSummary | None:
        return next((s for s in self.summaries if s.locale == tag), None)


def translate_catalogs(
    brief: BriefLike,
    locales: Sequence[LocaleLike],
    engine: TranslationEngine,
    *,
    project: Project | None = None,
    session: Session | None = None,
    progress: bool | None = None,
    retry_rejected: bool = False,
) -> DraftCounts:
    """Fill the untranslated entries of the brief's catalogs with fuzzy machine drafts.

    Catalogs are created or updated first (so every field has an entry);
    reviewed entries and translators' fuzzy entries are never touched, and a
    machine draft whose source text changed is translated again (so after an
    edit only the edited fields reach the engine).  Output goes through the
    same error-level quality checks as ``publish --mt`` (:func:`polybrief.qa.gate_machine`):
    a draft that would be refused on a page is not stored, and every rejection
    is recorded in the catalog as a ``# machine translation rejected:``
    comment.  Fields whose current text was rejected before are skipped unless
    ``retry_rejected`` — after installing a better model, say.  Returns the
    number of drafts written per locale (:class:`DraftCounts`, with a summary
    per locale); a locale whose pair no installed model covers gets 0 and is
    listed in ``missing_pairs``.

    >>> import tempfile
    >>> from polybrief.mt import DictionaryEngine, TaggingEngine
    >>> engine = DictionaryEngine({("en", "ru"): {
    ...     'Azerbaijan launches "anti-terrorist" offensive in Nagorno-Karabakh':
    ...     "Азербайджан начал «антитеррористическую» операцию в Нагорном Карабахе"}})
    >>> with tempfile.TemporaryDirectory() as root:
    ...     project = polybrief.Project(catalogs_dir=root)
    ...     drafts = polybrief.translate_catalogs("examples/nagorno-karabakh.yaml", ["ru"], engine, project=project)
    ...     tagged = polybrief.translate_catalogs("examples/nagorno-karabakh.yaml", ["ka"], TaggingEngine(),
    ...                                           project=project)
    >>> drafts                            # the one sentence the engine knew
    {'ru': 1}
    >>> tagged, tagged.summary("ka").rejected     # "[ka] Azerbaijan ...": not Georgian, so not stored
    ({'ka': 0}, {'failed quality checks (script, language)': 25, 'failed quality checks (script-short)': 21,
                 'failed quality checks (script)': 5, 'failed quality checks (script-short, language)': 1})
    """
    from ..catalogs.brief import load_brief_catalog
    from ..errors import CatalogError
    from .summary import summarise

    session = session if session is not None else Session(project)
    project = session.project
    source = session.open_brief(brief)
    infos = [session.locale(tag) for tag in locales]
    root = source.catalog_root
    if root is None:
        raise CatalogError("no catalog folder: the brief has no file path",
                           hint="pass Project(catalogs_dir=...) / --catalogs DIR")
    jobs: list[Job] = []
    src = session.locale(source.brief.language)
    missing: list[tuple[str, str]] = []
    for locale in infos:
        update_catalog(source.brief, locale, root, limits=project.limits)
        if locale.language != src.language and not engine.supports(src.tag, locale.tag):
            missing.append((src.tag, locale.tag))
            continue
        jobs.append((source, locale, load_brief_catalog(source.brief, locale, root, limits=project.limits)))
    # Fill only entries with no translation at all: treat fuzzy entries as covered.
    provider = machine_provider(engine, session=session, policy=TranslationPolicy(drafts="include"),
                                progress=progress, gate=True, refresh_stale_drafts=True,
                                skip_rejected=not retry_rejected)
    results = provider(jobs)
    counts = DraftCounts()
    for locale in infos:
        if (src.tag, locale.tag) in missing:
            counts[locale.tag] = 0
            continue
        counts[locale.tag] = fill_machine_drafts(source.brief, locale, root,
                                                 results.get((source.brief.id, locale.tag), {}),
                                                 limits=project.limits)
    counts.missing_pairs = tuple(missing)
    counts.summaries = tuple(summarise(results, locales=[locale.tag for locale in infos]))
    return counts


def engine_for(project: Project) -> TranslationEngine:
    """The offline MT engine a project is configured for: its models folder, options and glossary.

    With ``project.ray_address`` the models run on a Ray cluster's actors
    (:class:`~polybrief.mt.ray_engine.RayEngine`); planning, protection and
    every write stay in this process.
    """
    from . import build_engine

    return build_engine(packages_dir=project.models_dir, glossary=project.glossary,
                        options=project.engine_options, ray_address=project.ray_address,
                        ray_actors=project.ray_actors)
