"""Merging shard folders into one site: one manifest, the pages moved in, the site's own pages made once.

:func:`merge_shards` (``polybrief site merge SITE SHARD...``) takes the shard
folders of :mod:`.shards`, checks that they are every shard of one partition
(:func:`~.shards.check_shards`: none missing or given twice, the same
locales, formats, base URL and threshold, no brief id in two of them), and
then works as the last stages of a ``publish`` run under the site's lock:

1. each shard's manifest is read as data (every record checked) and its
   records become the outcomes a run's workers would have sent back
   (:class:`~.tasks.BriefOutcome`), with every path it stores — brief and
   catalog files, templates, UI catalogs, glossary, locale data, ``stat``
   keys — moved from the shard folder's point of view to the site's (so the
   contexts get the ids a plain run gives them, and the next ``publish`` into
   the site is incremental);
2. each page is *staged* beside its place in the site: a hard link to the
   shard's file when both are on one file system (a copy otherwise), after
   checking its bytes against the hash its shard recorded;
3. the run merges them into the site's manifest (:class:`~.sitebuild.SiteBuild`),
   renders again the pages on record whose language links changed, and
   commits (:mod:`.commit`): the index, language indexes, 404 page, feeds and
   sitemaps are made once from the merged manifest, everything is renamed
   into place, the manifest last.

Anything wrong — a shard missing, a page gone or changed, a brief already on
the site whose shard did not know its other language versions — fails
before the first rename, and the staged links are removed: the site is left
as it was.  The result is byte for byte what one ``publish`` of every brief
writes (tests/test_shards.py compares them).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OutputError
from ..fs import stage_bytes
from ..site.check_cache import CheckCache, cache_secret
from ..site.manifest import Context, PageRecord, context_id, sha256_file
from ..site.state import SiteLock, remove_stale_temps, site_lock
from .commit import commit, discard_run
from .plan import Plan
from .run import Progress, Run
from .shards import Shard, check_shards, read_shard
from .sitebuild import SiteBuild
from .stages import make_folders
from .tasks import BriefOutcome, PageOutcome, StagedFile, page_path
from .worker import discard

if TYPE_CHECKING:
    from ..project import Project
    from ..session import Session
    from .report import PublishReport

__all__ = ["merge_shards", "merge_into", "rebase_context"]

_NUMBERS = itertools.count()


def merge_shards(
    out_dir: str | os.PathLike[str],
    shards: Sequence[str | os.PathLike[str]],
    *,
    project: Project | None = None,
    write_index: bool = True,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> PublishReport:
    """Merge the shard folders ``shards`` into the site ``out_dir`` (see the module docstring).

    ``project`` gives the templates, locale data and settings of the site's own pages (and of pages on
    record rendered again); without a base URL of its own it takes the shards', and the threshold of a full
    language version (``--index-threshold``) is always theirs."""
    from ..project import Project
    from ..session import Session

    project = project or Project()
    read = [read_shard(folder, project) for folder in shards]
    check_shards(read)
    if project.index_threshold != read[0].threshold:  # the shards' pages made their claims under theirs
        project = project.with_options(index_threshold=read[0].threshold)
    if project.base_url is None and read[0].base_url is not None:
        project = project.with_options(base_url=read[0].base_url)
    with site_lock(Path(out_dir)) as lock:
        return merge_into(lock, read, Session(project), write_index=write_index, now=now, progress=progress)


def merge_into(lock: SiteLock, shards: Sequence[Shard], session: Session, *, write_index: bool = True,
               now: datetime | None = None, progress: Progress | None = None) -> PublishReport:
    """:func:`merge_shards` for a caller that holds the site's lock already (shards checked)."""
    out = lock.root
    remove_stale_temps(out)
    site = SiteBuild(out, session)
    first = shards[0]
    targets = [session.locale(tag) for tag in first.locales]
    run = Run(site, formats=first.formats, targets=targets, jobs=1, keep_localised=False,
              inputs=[], new_folder=lock.created_root)
    run.check_cache()
    try:
        taken: list[tuple[str, str]] = []
        for shard in shards:
            taken += _take_shard(run, shard)
        _check_links(site, taken)
        run.build(Plan(), progress)
        return commit(run, write_index=write_index, summaries=[], now=now, progress=progress)
    except BaseException:
        discard_run(run)
        raise


def _rebaser(shard: Shard, site: SiteBuild) -> Callable[[str | None], str | None]:
    """A path stored relative to the shard folder (where it was published), stored relative to the site."""
    cache: dict[str, str | None] = {}

    def rebase(stored: str | None) -> str | None:
        if stored is None or os.path.isabs(stored):
            return stored
        found = cache.get(stored)
        if found is None:
            found = cache[stored] = site.manifest.store_path(os.path.normpath(os.path.join(shard.root, stored)))
        return found

    return rebase


def rebase_context(context: Context, rebase: Callable[[str | None], str | None]) -> Context:
    """A copy of a recorded context with every path it stores passed through ``rebase``."""
    out = dict(context)
    settings = context.get("settings")
    if isinstance(settings, dict):
        settings = dict(settings)
        for name in ("templates", "locale_data"):
            if isinstance(settings.get(name), list):
                settings[name] = [rebase(p) for p in settings[name]]
        settings["glossary"] = rebase(settings.get("glossary"))
        out["settings"] = settings
    for name in ("ui_catalog", "ui_file", "glossary"):
        entry = context.get(name)
        if isinstance(entry, dict):
            out[name] = {**entry, "path": rebase(entry.get("path"))}
    if isinstance(context.get("templates"), dict):
        out["templates"] = {name: {**entry, "path": rebase(entry.get("path"))} if isinstance(entry, dict) else entry
                            for name, entry in context["templates"].items()}
    if isinstance(context.get("locale_data"), dict):
        out["locale_data"] = {rebase(path): digest for path, digest in context["locale_data"].items()}
    return out


def _take_shard(run: Run, shard: Shard) -> list[tuple[str, str]]:
    """Every brief of ``shard`` taken into the run as an outcome (its pages staged); the pages taken."""
    site = run.site
    rebase = _rebaser(shard, site)
    manifest = shard.manifest
    ids: dict[str, tuple[str, Context]] = {}
    for cid, context in manifest.contexts.items():
        moved = rebase_context(context, rebase)
        ids[cid] = (context_id(moved), moved)
    pages = {page_path(record.id, page.locale, fmt) for record, page in manifest.pages() for fmt in page.files}
    stat = {str(rebase(key)): entry for key, entry in manifest.stat.items() if key not in pages}
    taken = []
    #: The shard's verified check results travel with its pages (an entry another user's polybrief signed is a
    #: miss, as on any site), so the merged site's next UI edit does not check every page again.
    checks = CheckCache(Path(shard.root), cache_secret(), max_bytes=site.session.project.limits.manifest_bytes)
    for record in manifest.briefs.values():
        outcome = BriefOutcome(len(run.ids), brief_id=record.id, language=record.language,
                               published=record.published, modified=record.modified or "",
                               authors=list(record.authors), path=rebase(record.path),
                               catalog_root=rebase(record.catalog_root), stat=stat)
        stat = {}
        own = site.session.locale(record.language).language
        try:
            for tag, page in record.pages.items():
                _take_page(run, shard, record.id, page, ids, outcome, rebase,
                           original=site.session.locale(tag).language == own)
                outcome.pages[-1].check = checks.get(f"{record.id}/{tag}") if checks.enabled else None
                taken.append((record.id, tag))
        except BaseException:
            discard(outcome)  # the run's discard removes what it has taken; this brief is not taken yet
            raise
        run.take(outcome)
    return taken


def _take_page(run: Run, shard: Shard, brief_id: str, page: PageRecord, ids: dict[str, tuple[str, Context]],
               outcome: BriefOutcome, rebase: Callable[[str | None], str | None], *, original: bool) -> None:
    """One page of a shard's brief into ``outcome``: its record rebased, its files staged in the site."""
    if page.catalog is not None:
        page.catalog = (str(rebase(page.catalog[0])), page.catalog[1])
    result = PageOutcome(page.locale, page, original)
    outcome.pages.append(result)  # first: a failure below discards what was staged
    for fmt, file in page.files.items():
        if file.context is None or file.context not in ids:
            raise OutputError(f"{shard.name}: the {page.locale} page of {brief_id!r} names no context on record",
                              file=shard.folder / ".polybrief" / "site.json", hint="publish the shard again")
        cid, context = ids[file.context]
        file.context = cid
        outcome.contexts[cid] = context
        page.settings = context.get("settings") or {}
        name = page_path(brief_id, page.locale, fmt)
        tmp, signature = _stage_copy(shard.folder / name, run.site.out / name, file.sha256, outcome.created, shard)
        result.staged.append(StagedFile(fmt, run.site.out / name, tmp, file.sha256 or "", signature, cid))


def _stage_copy(source: Path, target: Path, sha256: str | None, created: list[Path], shard: Shard) -> tuple[Path, list[int]]:
    """Stage the shard's page ``source`` beside ``target``: a hard link, or a copy across file systems."""
    if sha256 is None or sha256_file(source) != sha256:
        what = "is missing" if not source.is_file() else "is not the page its shard recorded"
        raise OutputError(f"{shard.name}: a page {what}", file=source,
                          hint="publish the shard again (or copy its whole folder again)")
    folder = target.parent
    if not folder.is_dir():
        make_folders(folder, created)
    if target.is_dir() and not target.is_symlink():
        raise OutputError("a folder stands where a page must be written; no page was replaced", file=target,
                          hint="remove or rename the folder")
    tmp = folder / f".{target.name}.{os.getpid()}-m{next(_NUMBERS)}.tmp"
    try:
        os.link(source, tmp)
    except FileExistsError:
        return _stage_copy(source, target, sha256, created, shard)
    except OSError:  # another file system, or no hard links there: copy the bytes
        tmp = stage_bytes(target, source.read_bytes(), sync=False)
    st = os.stat(tmp)
    return tmp, [st.st_size, st.st_mtime_ns, st.st_ino]


def _check_links(site: SiteBuild, taken: list[tuple[str, str]]) -> None:
    """Fail when a page of a shard links other language versions than its brief has on the merged site: the
    brief was on the site already with versions its shard did not build, or the base URL differs."""
    for brief_id, tag in taken:
        page = site.manifest.briefs[brief_id].pages[tag]
        if site.links_stale(brief_id, page):
            raise OutputError(
                f"the {tag} page of {brief_id!r} was built by its shard with other language links than the site "
                f"now gives it ({', '.join(page.alternates)} for "
                f"{', '.join(p.locale for p in site.versions(brief_id, partial=False))}, base URL "
                f"{page.base_url or 'none'} for {site.base_url or 'none'})", file=site.out,
                hint="publish briefs already on the site with their other locales too (or with polybrief publish), "
                     "and every shard with the site's --base-url")
