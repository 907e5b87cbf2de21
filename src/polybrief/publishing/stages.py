"""The stages of one brief's pages: open → localise → check → render → stage.

Each is a function from one typed value of :mod:`.tasks` to the next, run by
a :class:`~polybrief.publishing.worker.Worker` (in this process or in a
``--jobs`` worker process); :func:`~polybrief.publishing.worker.build_brief`
chains them for every page of a brief.  The later stages of a run, gate and
commit, happen once every brief is built (:mod:`.commit`): a page is staged
beside its target here and renamed into place only when the whole run passed.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping, MutableMapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..brief_io import BriefSource
from ..cldr import LocaleInfo
from ..errors import BriefError, OutputError
from ..newsroom import absolute_url
from ..provenance import Provenance
from ..rendering import Alternate
from ..site.check_cache import CachedCheck
from ..site.manifest import FileRecord, PageRecord, StatEntry, sha256_bytes, sha256_file, shared
from .tasks import (
    EXTENSIONS,
    BriefTask,
    CheckedPage,
    LocalisedPage,
    OpenedBrief,
    RenderedPage,
    RunContext,
    StagedFile,
    Version,
    encode_page,
    merged_versions,
    page_path,
)

if TYPE_CHECKING:
    from .worker import Worker

SourceFacts = dict[tuple[str, str], dict[str, Any]]
"""What the checks found in each source text (by field path and text), shared by a brief's locales."""

__all__ = ["open_task", "localise_page", "with_claims", "check_page", "page_record", "render_page", "stage_page",
           "alternates_of", "make_folders"]


# -- open ---------------------------------------------------------------------------------------


def open_task(task: BriefTask, worker: Worker) -> OpenedBrief:
    """Load the task's brief (a file is ``stat``-ed before it is read: a later edit changes its entry)
    and work out its locales and language links."""
    session = worker.session_for(task.policy, sandboxed=task.sandboxed)
    stat: dict[str, StatEntry] = {}
    if isinstance(task.source, BriefSource):
        source = session.open_brief(task.source)
    else:
        source = _open_file(task, worker, stat)
    digest = source.sha256 or worker.hasher.brief(source)
    own = session.locale(source.brief.language)
    tags = (own.tag, *worker.run.targets) if task.policy is None else tuple(task.only or ())
    locales = tuple({info.tag: info for info in (session.locale(t) for t in tags)}.values())
    if task.versions is not None:
        versions = task.versions
    else:
        run_versions = [Version(info.tag, info.name, worker.run.formats) for info in locales]
        versions = tuple(merged_versions(worker.run.recorded.get(source.brief.id, ()), own.tag, run_versions))
    return OpenedBrief(task, source, session, digest, locales, versions, stat)


def _open_file(task: BriefTask, worker: Worker, stat: MutableMapping[str, StatEntry]) -> BriefSource:
    assert not isinstance(task.source, BriefSource)
    session = worker.session_for(task.policy, sandboxed=task.sandboxed)
    path = Path(task.source)
    try:
        st: os.stat_result | None = os.stat(path)
    except OSError:
        st = None
    if task.expect_sha256 is not None and sha256_file(path) not in task.expect_sha256:  # before parsing it
        raise BriefError("cannot render pages of this brief again: its file is not the one they were published "
                         "from (it was edited since, or the site manifest names another file)",
                         file=path, hint=f"publish it again, or take it off the site: polybrief site remove "
                                         f"{shlex.quote(str(worker.run.out))} --brief {task.expect_id}")
    root = task.catalog_root if task.catalog_root is not None else session.repository.brief_root(path)
    source = session.open_brief(path, catalog_root=root)
    if source.sha256 is not None:
        stat[str(worker.hasher.manifest.store_path(path))] = worker.hasher.entry(source.sha256, st)
    if task.expect_id is not None and source.brief.id != task.expect_id:
        raise BriefError(f"cannot re-render the pages of {task.expect_id!r}: the file now holds brief "
                         f"{source.brief.id!r}", file=path, field="id",
                         hint=f"publish {task.expect_id} again, or take it off the site: "
                              f"polybrief site remove {shlex.quote(str(worker.run.out))} --brief {task.expect_id}")
    return source


# -- localise -----------------------------------------------------------------------------------


def localise_page(opened: OpenedBrief, info: LocaleInfo, formats: tuple[str, ...], worker: Worker) -> LocalisedPage:
    """One page's brief localised; raises :class:`~polybrief.errors.UntranslatedError` under ``--strict``."""
    session, source = opened.session, opened.source
    catalog_path = session.catalog_path(source, info)
    try:
        st = os.stat(catalog_path) if catalog_path is not None else None
    except OSError:
        st = None
    catalog = session.catalog(source, info, path=catalog_path) if catalog_path is not None else None
    entry: tuple[str, str | None] | None = None
    stat: dict[str, StatEntry] = {}
    if catalog is not None and catalog.path is not None:
        stored = str(worker.hasher.manifest.store_path(catalog.path))
        digest = sha256_bytes(catalog.document.text.encode("utf-8"))
        stat[stored] = worker.hasher.entry(digest, st)
        entry = (stored, digest)
    machine = opened.task.machine.get(info.tag) if opened.task.machine else None
    item = session.localise(source, info, catalog=catalog, machine=machine)
    return LocalisedPage(opened, info, formats, item, entry, machine, stat)


def with_claims(opened: OpenedBrief, pages: list[LocalisedPage], withheld: list[str], run: RunContext) -> OpenedBrief:
    """``opened`` with the language versions its pages may claim (see "Honest language claims" in
    :mod:`polybrief.publishing`): a withheld locale is no version unless an earlier run published it, and
    a page of the run below ``--index-threshold`` of reviewed segments is a partial one."""
    built = {page.locale.tag: page.item for page in pages}
    versions = []
    for version in opened.versions:
        item = built.get(version.tag)
        if item is not None:
            version = replace(version, partial=not item.full_version(run.threshold))
        elif version.tag in withheld and not any(v.tag == version.tag
                                                 for v in run.recorded.get(opened.brief_id, ())):
            continue
        versions.append(version)
    return replace(opened, versions=tuple(versions))


# -- check --------------------------------------------------------------------------------------


def check_page(page: LocalisedPage, facts: SourceFacts, *, several: bool, keyed: bool = False,
               cached: CachedCheck | None = None) -> CheckedPage:
    """The quality findings of a translated page (an original has none); ``facts``: what the checks
    found in each source text, shared by the brief's locales.

    ``keyed``: work out the page's check key (:mod:`polybrief.site.check_key`); ``cached``: the page's
    entry in the check cache, whose findings are taken instead of checking again when its key is the
    page's (the same inputs of every check, the same checks)."""
    from ..qa.gate import check_localised
    from ..site import check_key

    item = page.item
    if item.is_original:
        return CheckedPage(page, (), False)
    session = page.brief.session
    project = session.project
    version = check_key.checks_version() if keyed else None
    key = None if version is None else check_key.page_check_key(
        item, glossary=project.glossary, settings=project.checks, policy=session.policy, version=version)
    if cached is not None and key is not None and cached.key == key:
        made = cached.findings
    else:
        made = tuple(check_localised(item, glossary=project.glossary, facts=facts, settings=project.checks))
    findings = [replace(f, message=f"{page.brief.brief_id}: {f.message}") for f in made] if several else list(made)
    blocked = any(f.is_error for f in findings) and not session.policy.allow_qa_errors
    return CheckedPage(page, tuple(findings), blocked, None if key is None else CachedCheck(key, made))


def page_record(checked: CheckedPage, base_url: str | None) -> PageRecord:
    """What the site manifest remembers of a page (its files are added as they are staged)."""
    page = checked.page
    item, info = page.item, page.locale
    kept = {path: {"text": m.text, "score": m.score, "engine": m.engine, "models": list(m.models)}
            for path, m in (page.machine or {}).items()
            if path in item.segments_by_path and item.segments_by_path[path].provenance is Provenance.MACHINE}
    return PageRecord(
        locale=info.tag, name=info.name, dir=info.direction,
        headline=item.headline.text, headline_lang=item.headline.lang,
        standfirst=item.standfirst.text if item.standfirst is not None else None,
        standfirst_lang=item.standfirst.lang if item.standfirst is not None else None,
        published_date=item.published_date, provenance=shared(item.provenance_counts()), machine=shared(kept),
        alternates=shared([v.tag for v in page.brief.versions if "html" in v.formats and not v.partial]),
        base_url=base_url,
        brief_sha256=page.brief.digest, catalog=page.catalog, modified=item.modified.isoformat(),
        full=not any(v.partial for v in page.brief.versions if v.tag == info.tag),
    )


# -- render -------------------------------------------------------------------------------------


def alternates_of(brief_id: str, current: str, versions: tuple[Version, ...], base_url: str | None) -> list[Alternate]:
    """The language links of a brief's HTML page in ``current``."""
    ext = EXTENSIONS["html"]
    return [Alternate(tag=v.tag, name=v.name, href=f"../{v.tag}/{brief_id}.{ext}", current=v.tag == current,
                      url=f"{base_url}{page_path(brief_id, v.tag, 'html')}" if base_url else None, partial=v.partial)
            for v in versions if "html" in v.formats and (not v.partial or v.tag == current)]


def site_address(address: str | None, base_url: str | None, *, depth: int) -> str | None:
    """A site-wide address (the favicon) as a page ``depth`` folders below the site's root reaches it:
    absolute with a base URL, else relative (``../favicon.ico``)."""
    if not address:
        return None
    absolute = absolute_url(address, base_url)
    if absolute is not None:
        return absolute
    return "../" * depth + address.lstrip("/")


def render_page(checked: CheckedPage, fmt: str, context: str, worker: Worker) -> RenderedPage:
    """One format of a page, rendered with the run's templates (the renderer does not depend on the policy)."""
    page = checked.page
    item = page.item
    run = worker.run
    alternates = alternates_of(page.brief.brief_id, page.locale.tag, page.brief.versions, run.base_url) \
        if fmt == "html" else []
    text_alternate = favicon = None
    if fmt == "html":
        version = next((v for v in page.brief.versions if v.tag == page.locale.tag), None)
        if version is not None and "text" in version.formats:
            text_alternate = (f"{run.base_url}{page_path(item.brief.id, item.locale.tag, 'text')}" if run.base_url
                              else f"{item.brief.id}.{EXTENSIONS['text']}")
        favicon = site_address(worker.session.project.newsroom.favicon, run.base_url, depth=1)
    renderer = worker.renderer_for(page.brief.session)
    text = renderer.render(item, format=fmt, alternates=alternates,  # type: ignore[arg-type]
                           text_alternate=text_alternate, favicon=favicon, base_url=run.base_url)
    target = run.out / page_path(item.brief.id, item.locale.tag, fmt)
    return RenderedPage(checked, fmt, encode_page(text, fmt), context, target)


# -- stage --------------------------------------------------------------------------------------


def stage_page(rendered: RenderedPage, created: list[Path]) -> StagedFile:
    """Write a rendered page to a temp file beside its target (folders made are added to ``created``)."""
    from ..fs import stage_bytes

    target = rendered.target
    if not target.parent.is_dir():
        make_folders(target.parent, created)
    if target.is_dir() and not target.is_symlink():
        raise OutputError("a folder stands where a page must be written; no page was replaced", file=target,
                          hint="remove or rename the folder")
    tmp = stage_bytes(target, rendered.data, sync=False)
    st = os.stat(tmp)
    return StagedFile(rendered.fmt, target, tmp, sha256_bytes(rendered.data),
                      [st.st_size, st.st_mtime_ns, st.st_ino], rendered.context)


def file_record(staged: StagedFile) -> FileRecord:
    return FileRecord(staged.sha256, staged.context)


def make_folders(folder: Path, created: list[Path]) -> None:
    """Create ``folder`` and its missing parents, remembering which were created (removed if the run fails)."""
    from ..fs import ensure_dir

    missing = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    ensure_dir(folder)
    created.extend(reversed(missing))
