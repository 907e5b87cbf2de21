"""One brief's pages, start to finish: the unit of work of a publish run (and of each ``--jobs`` worker).

:func:`build_brief` loads a brief (when given its path), and for each of its
locales localises it, runs the quality checks, and — when the page passed —
renders every format and *stages* it: the bytes go to a hidden temp file
beside the page's path, nothing is renamed.  It returns what the parent
process needs and nothing bigger: the page records for the manifest, the
staged files, the findings and the strict-mode failures.  So a run holds one
brief in memory at a time, whether it runs in one process or in many, and
the quality gate still holds: :func:`polybrief.publish.publish` renames the
staged files into place only when every page of every brief has passed
(and removes them otherwise).

Everything a task needs travels with it or in the :class:`RunContext`
(picklable: the project's caches are rebuilt in each worker), so a worker's
pages are byte-identical to the ones one process makes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import OutputError, UntranslatedError
from .manifest import FileRecord, PageRecord, SiteManifest, sha256_bytes

if TYPE_CHECKING:
    from ..localise import LocalisedBrief
    from ..mt.base import MachineTranslation
    from ..project import BriefSource, Project
    from ..provenance import TranslationPolicy
    from ..qa.report import Finding

__all__ = ["Version", "RunContext", "BriefTask", "StagedFile", "PageOutcome", "BriefOutcome", "build_brief",
           "merged_versions", "page_path", "EXTENSIONS", "encode_page", "discard"]

log = logging.getLogger(__name__)

EXTENSIONS: dict[str, str] = {"html": "html", "text": "txt"}

#: Written at the start of every ``.txt`` page (see :func:`encode_page`).
UTF8_BOM = "\ufeff"


def page_path(brief_id: str, tag: str, fmt: str) -> str:
    """A page's path inside the output folder: ``<locale>/<brief id>.<ext>``."""
    return f"{tag}/{brief_id}.{EXTENSIONS[fmt]}"


def encode_page(text: str, fmt: str) -> bytes:
    """A rendered page as the bytes written to disk: UTF-8, and for plain text with a byte-order mark.

    A plain static server (Python's ``http.server``, many S3-style hosts, a
    default nginx) sends ``.txt`` as ``text/plain`` without a charset, and
    browsers then decode it as windows-1252: Armenian and Russian become
    mojibake.  HTML declares its encoding itself (``<meta charset>``); plain
    text has no such place except the byte-order mark, which every browser
    honours ahead of any guess (the WHATWG Encoding standard's BOM sniffing)
    and which editors and ``less`` ignore.  The renderer's output
    (``polybrief render``, :meth:`~polybrief.Renderer.render`) stays without
    one; only files written by ``publish`` carry it.
    """
    if fmt == "text" and not text.startswith(UTF8_BOM):
        text = UTF8_BOM + text
    return text.encode("utf-8")


@dataclass(frozen=True, slots=True)
class Version:
    """A language version of a brief as its pages' language links see it."""

    tag: str
    name: str
    formats: tuple[str, ...]


def merged_versions(recorded: Sequence[Version], language: str, run: Sequence[Version]) -> list[Version]:
    """The versions of a brief after a run: those on record with the run's added or replaced (a replaced
    version keeps its place and the formats the run did not make), the source language first."""
    versions = {v.tag: v for v in recorded}
    for version in run:
        old = versions.get(version.tag)
        kept = tuple(f for f in (old.formats if old else ()) if f not in version.formats)
        versions[version.tag] = replace(version, formats=(*kept, *version.formats))
    first = [v for tag, v in versions.items() if tag == language]
    return first + [v for tag, v in versions.items() if tag != language]


@dataclass(frozen=True)
class RunContext:
    """What every task of one run shares (sent once to each worker)."""

    out: Path
    formats: tuple[str, ...]
    targets: tuple[str, ...]
    base_url: str | None
    recorded: Mapping[str, tuple[Version, ...]]
    """Every brief on record: its versions, in site order."""
    contexts: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    """The manifest's contexts (so a worker need not parse templates to know their references)."""
    several: bool = False
    """More than one brief: quality findings start with the brief id."""
    keep_localised: bool = False
    stage: bool = True


@dataclass(frozen=True)
class BriefTask:
    """One brief to build: its file (loaded by the worker) or a source in memory, and which pages."""

    index: int
    source: Path | BriefSource
    only: Mapping[str, tuple[str, ...]] | None = None
    """Locale tag -> formats to render; None: every locale of the run in every format."""
    machine: Mapping[str, Mapping[str, MachineTranslation]] | None = None
    """Locale tag -> field path -> machine translation (``publish --mt``)."""
    policy: TranslationPolicy | None = None
    """A page on record rendered again keeps the policy it was published with (None: the run's)."""
    catalog_root: Path | None = None
    """For a page on record: the catalog folder it was published with."""
    expect_id: str | None = None
    """For a page on record: the brief id its file must still hold."""
    versions: tuple[Version, ...] | None = None
    """For a page on record: the brief's versions after the run (its language links)."""


@dataclass(slots=True)
class StagedFile:
    fmt: str
    path: Path
    tmp: Path
    sha256: str
    signature: list[int]
    context: str


@dataclass(slots=True)
class PageOutcome:
    tag: str
    record: PageRecord
    original: bool
    staged: list[StagedFile] = field(default_factory=list)


@dataclass(slots=True)
class BriefOutcome:
    """What building one brief produced (see the module docstring)."""

    index: int
    brief_id: str = ""
    language: str = ""
    published: str = ""
    path: str | None = None
    catalog_root: str | None = None
    pages: list[PageOutcome] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    untranslated: list[tuple[str, UntranslatedError]] = field(default_factory=list)
    stat: dict[str, list[Any]] = field(default_factory=dict)
    contexts: dict[str, dict[str, Any]] = field(default_factory=dict)
    created: list[Path] = field(default_factory=list)
    localised: list[LocalisedBrief] = field(default_factory=list)

    @property
    def staged(self) -> list[StagedFile]:
        return [s for page in self.pages for s in page.staged]

    failed: bool = False
    """A page failed the quality checks (and errors are not allowed): the run will not be written."""
    allow_qa_errors: bool = False

    @property
    def blocked(self) -> bool:
        return self.failed or bool(self.untranslated)


class _Worker:
    """A process's state for building pages: the run's project (one per policy) and input hasher."""

    def __init__(self, project: Project, run: RunContext) -> None:
        from .inputs import InputHasher

        self.project = project
        self.run = run
        self.projects: dict[TranslationPolicy, Project] = {project.policy: project}
        light = SiteManifest(run.out, contexts={k: dict(v) for k, v in run.contexts.items()})
        self.hasher = InputHasher(project, light)
        self.sent_contexts: set[str] = set()

    def project_for(self, policy: TranslationPolicy | None) -> Project:
        if policy is None:
            return self.project
        found = self.projects.get(policy)
        if found is None:
            found = self.projects[policy] = self.project.with_options(policy=policy)
            found._state.locales.update(self.project._state.locales)  # the same locales, resolved once
            found._state.renderer = self.project.renderer  # rendering does not depend on the policy
        return found


_WORKER: _Worker | None = None


def init_worker(project: Project, run: RunContext) -> None:
    """Pool initializer: this process's state (also used in-process)."""
    global _WORKER
    _WORKER = _Worker(project, run)


def worker_task(task: BriefTask) -> BriefOutcome:
    """Pool entry point: :func:`build_brief` with this process's state."""
    assert _WORKER is not None, "init_worker was not called"
    return build_brief(task, _WORKER)


def build_brief(task: BriefTask, worker: _Worker) -> BriefOutcome:
    """Build the pages of ``task`` (see the module docstring); staged files are removed if it fails."""
    outcome = BriefOutcome(task.index)
    try:
        _build(task, worker, outcome)
    except BaseException:
        discard(outcome)
        raise
    return outcome


def discard(outcome: BriefOutcome) -> None:
    """Remove an outcome's staged files and the folders created for them (when left empty)."""
    from ..fs import discard_staged

    for staged in outcome.staged:
        discard_staged(staged.tmp)
    for folder in reversed(outcome.created):
        try:
            folder.rmdir()
        except OSError:
            pass


def _open(task: BriefTask, worker: _Worker, outcome: BriefOutcome) -> BriefSource:
    from ..project import BriefSource

    project = worker.project
    hasher = worker.hasher
    if not isinstance(task.source, BriefSource):
        path = Path(task.source)
        try:
            st: os.stat_result | None = os.stat(path)  # before reading: a later edit changes it
        except OSError:
            st = None
        root = task.catalog_root if task.catalog_root is not None else project.repository.brief_root(path)
        source = project.open_brief(path, catalog_root=root)
        if source.sha256 is not None:
            outcome.stat[str(hasher.manifest.store_path(path))] = hasher.entry(source.sha256, st)
        if task.expect_id is not None and source.brief.id != task.expect_id:
            from ..errors import BriefError

            raise BriefError(f"cannot re-render the pages of {task.expect_id!r}: the file now holds brief "
                             f"{source.brief.id!r}", file=path, field="id",
                             hint=f"publish {task.expect_id} again, or take it off the site: "
                                  f"polybrief site remove {worker.run.out} --brief {task.expect_id}")
        return source
    return project.open_brief(task.source)


def _build(task: BriefTask, worker: _Worker, outcome: BriefOutcome) -> None:
    from ..localise import localise
    from ..qa.gate import check_localised

    run = worker.run
    project = worker.project_for(task.policy)
    hasher = worker.hasher
    manifest = hasher.manifest
    outcome.allow_qa_errors = project.policy.allow_qa_errors
    source = _open(task, worker, outcome)
    brief = source.brief
    own = project.locale(brief.language)
    outcome.brief_id, outcome.language = brief.id, own.tag
    outcome.published = brief.published.isoformat()
    outcome.path = manifest.store_path(source.path) if source.path is not None else None
    outcome.catalog_root = manifest.store_path(source.catalog_root) if source.catalog_root is not None else None
    brief_sha = source.sha256 or hasher.brief(source)

    infos = []
    seen: set[str] = set()
    for tag in (own.tag, *run.targets) if task.policy is None else tuple(task.only or ()):
        info = project.locale(tag)
        if info.tag not in seen:
            seen.add(info.tag)
            infos.append(info)
    if task.versions is not None:
        versions = list(task.versions)
    else:
        run_versions = [Version(info.tag, info.name, run.formats) for info in infos]
        versions = merged_versions(run.recorded.get(brief.id, ()), own.tag, run_versions)
    facts: dict[Any, Any] = {}  # what the checks found in each source text, shared by the brief's locales
    for info in infos:
        formats = run.formats if task.only is None else task.only.get(info.tag)
        if not formats:
            continue
        catalog_path = project.catalog_path(source, info)
        try:
            st = os.stat(catalog_path) if catalog_path is not None else None
        except OSError:
            st = None
        catalog = project.catalog(source, info, path=catalog_path) if catalog_path is not None else None
        catalog_entry: tuple[str, str | None] | None = None
        if catalog is not None and catalog.path is not None:
            stored = str(manifest.store_path(catalog.path))
            digest = sha256_bytes(catalog.document.text.encode("utf-8"))
            outcome.stat[stored] = hasher.entry(digest, st)
            catalog_entry = (stored, digest)
        machine = task.machine.get(info.tag) if task.machine else None
        try:
            item = localise(source, info, project=project, catalog=catalog, machine=machine)
        except UntranslatedError as exc:
            outcome.untranslated.append((info.tag, exc))
            continue
        findings = check_localised(item, glossary=project.glossary, facts=facts) if not item.is_original else []
        if run.several and findings:
            findings = [replace(f, message=f"{brief.id}: {f.message}") for f in findings]
        outcome.findings.extend(findings)
        if any(f.is_error for f in findings) and not project.policy.allow_qa_errors:
            outcome.failed = True
        record = _record(item, info, brief_sha, catalog_entry, machine, versions, run.base_url)
        page = PageOutcome(info.tag, record, item.is_original)
        outcome.pages.append(page)
        if run.keep_localised:
            outcome.localised.append(item)
        if not run.stage or outcome.blocked:
            continue  # the run will fail: rendering would be wasted
        for fmt in formats:
            cid, context = hasher.context(info, fmt, source.catalog_root, original=item.is_original,
                                          project=project)
            if cid not in worker.sent_contexts:  # each context travels back once per worker
                worker.sent_contexts.add(cid)
                outcome.contexts[cid] = context
            record.settings = context["settings"]
            alternates = _alternates(brief.id, info.tag, versions, run.base_url) if fmt == "html" else []
            page.staged.append(_stage(worker, outcome, page, item, fmt, alternates, cid))


def _record(item: LocalisedBrief, info: Any, brief_sha: str, catalog: tuple[str, str | None] | None,
            machine: Mapping[str, MachineTranslation] | None, versions: Sequence[Version],
            base_url: str | None) -> PageRecord:
    from ..provenance import Provenance

    kept = {path: {"text": m.text, "score": m.score, "engine": m.engine, "models": list(m.models)}
            for path, m in (machine or {}).items()
            if path in item.segments_by_path and item.segments_by_path[path].provenance is Provenance.MACHINE}
    return PageRecord(
        locale=info.tag, name=info.name, dir=info.direction,
        headline=item.headline.text, headline_lang=item.headline.lang,
        standfirst=item.standfirst.text if item.standfirst is not None else None,
        standfirst_lang=item.standfirst.lang if item.standfirst is not None else None,
        published_date=item.published_date, provenance=item.provenance_counts(), machine=kept,
        alternates=[v.tag for v in versions if "html" in v.formats], base_url=base_url,
        brief_sha256=brief_sha, catalog=catalog,
    )


def _alternates(brief_id: str, current: str, versions: Sequence[Version], base_url: str | None) -> list[Any]:
    from ..render import Alternate

    ext = EXTENSIONS["html"]
    return [Alternate(tag=v.tag, name=v.name, href=f"../{v.tag}/{brief_id}.{ext}", current=v.tag == current,
                      url=f"{base_url}{page_path(brief_id, v.tag, 'html')}" if base_url else None)
            for v in versions if "html" in v.formats]


def _stage(worker: _Worker, outcome: BriefOutcome, page: PageOutcome, item: LocalisedBrief, fmt: str,
           alternates: list[Any], context: str) -> StagedFile:
    from ..fs import stage_bytes

    renderer = worker.project.renderer
    text = renderer.render(item, format=fmt, alternates=alternates)  # type: ignore[arg-type]
    data = encode_page(text, fmt)
    target = worker.run.out / page_path(item.brief.id, item.locale.tag, fmt)
    folder = target.parent
    if not folder.is_dir():
        _make_folders(folder, outcome)
    if target.is_dir() and not target.is_symlink():
        raise OutputError("a folder stands where a page must be written; no page was replaced", file=target,
                          hint="remove or rename the folder")
    tmp = stage_bytes(target, data, sync=False)
    st = os.stat(tmp)
    record_file = FileRecord(sha256_bytes(data), context)
    page.record.files[fmt] = record_file
    return StagedFile(fmt, target, tmp, record_file.sha256 or "", [st.st_size, st.st_mtime_ns, st.st_ino], context)


def _make_folders(folder: Path, outcome: BriefOutcome) -> None:
    """Create ``folder`` and its missing parents, remembering which were created (removed if the run fails)."""
    from ..fs import ensure_dir

    missing = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    ensure_dir(folder)
    outcome.created.extend(reversed(missing))
