"""The typed values that pass between the publishing stages, and where a page lives in the site.

A run is ``plan → open → localise → check → render → stage → commit``
(:mod:`polybrief.publishing`); each stage is a function from one of these
values to the next, so what crosses a stage (or a process boundary, for a
``--jobs`` worker) is spelled out here and nowhere is it ``Any``:

* :class:`BriefTask` (planned) → :class:`OpenedBrief` (loaded, its locales and language links known)
* → :class:`LocalisedPage` (one locale, every field resolved) → :class:`CheckedPage` (its findings)
* → :class:`RenderedPage` (one format's bytes) → :class:`StagedFile` (a temp file beside its target)
* and per brief, :class:`BriefOutcome`: what a worker sends back (records, findings, staged files).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..brief_io import BriefSource
from ..cldr import LocaleInfo
from ..errors import UntranslatedError
from ..localisation import LocalisedBrief
from ..provenance import MachineTranslation, TranslationPolicy
from ..site.check_cache import CachedCheck
from ..site.manifest import Context, PageRecord, StatEntry

if TYPE_CHECKING:
    from ..qa.report import Finding
    from ..session import Session

__all__ = [
    "EXTENSIONS", "UTF8_BOM", "page_path", "encode_page", "Version", "merged_versions", "RunContext",
    "BriefTask", "OpenedBrief", "LocalisedPage", "CheckedPage", "RenderedPage", "StagedFile", "PageOutcome",
    "BriefOutcome", "MachineResults",
]

EXTENSIONS: dict[str, str] = {"html": "html", "text": "txt"}

#: Written at the start of every ``.txt`` page (see :func:`encode_page`).
UTF8_BOM = "\ufeff"

MachineResults = Mapping[str, MachineTranslation]
"""One page's machine translations, by field path."""


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
    """A language version of a brief as its pages' language links see it.

    ``partial``: published with its disclosure but not a full alternate (below the run's
    ``--index-threshold`` of reviewed segments): out of other pages' links and hreflang."""

    tag: str
    name: str
    formats: tuple[str, ...]
    partial: bool = False


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
    contexts: Mapping[str, Context] = field(default_factory=dict)
    """The manifest's contexts (so a worker need not parse templates to know their references)."""
    several: bool = False
    """More than one brief: quality findings start with the brief id."""
    keep_localised: bool = False
    stage: bool = True
    threshold: float = 1.0
    """``--index-threshold``: the reviewed share that makes a page a full language version."""
    check_cache: bool = False
    """Pages' check keys are worked out (:mod:`polybrief.site.check_cache`): the run keeps findings by key."""


@dataclass(frozen=True, slots=True)
class BriefTask:
    """One brief to build: its file (loaded by the worker) or a source in memory, and which pages."""

    index: int
    source: Path | BriefSource
    only: Mapping[str, tuple[str, ...]] | None = None
    """Locale tag -> formats to render; None: every locale of the run in every format."""
    machine: Mapping[str, MachineResults] | None = None
    """Locale tag -> field path -> machine translation (``publish --mt``)."""
    policy: TranslationPolicy | None = None
    """A page on record rendered again keeps the policy it was published with (None: the run's)."""
    catalog_root: Path | None = None
    """For a page on record: the catalog folder it was published with."""
    expect_id: str | None = None
    """For a page on record: the brief id its file must still hold."""
    expect_sha256: tuple[str, ...] | None = None
    """For a page on record: the hashes its brief file may have (those on record for the brief's pages; the
    run's own pages record the current one) — a file the manifest names is never published on its say."""
    versions: tuple[Version, ...] | None = None
    """For a page on record: the brief's versions after the run (its language links)."""
    sandboxed: bool = False
    """For a page on record: it was published with sandboxed templates, so it is rendered in the sandbox
    whatever the run's setting (the sandbox can only become stricter)."""
    checked: Mapping[str, CachedCheck] | None = None
    """Locale tag -> the page's findings on record in the check cache, verified (used when its key matches)."""


@dataclass(frozen=True, slots=True)
class OpenedBrief:
    """Stage *open*: a task's brief loaded, with the session of its policy and the pages to build."""

    task: BriefTask
    source: BriefSource
    session: Session
    digest: str
    """The sha256 of the brief (its file's bytes, or its canonical JSON for a brief in memory)."""
    locales: tuple[LocaleInfo, ...]
    """The brief's own locale first, then each target of the task."""
    versions: tuple[Version, ...]
    """The brief's language versions after the run (its pages' language links)."""
    stat: Mapping[str, StatEntry]
    """``stat`` cache entries of the files read (brief), for the manifest."""

    @property
    def brief_id(self) -> str:
        return self.source.brief.id

    def formats(self, tag: str, run: RunContext) -> tuple[str, ...]:
        """The formats to build for the page in ``tag`` (none: the page is not built)."""
        if self.task.only is None:
            return run.formats
        return tuple(self.task.only.get(tag, ()))


@dataclass(frozen=True, slots=True)
class LocalisedPage:
    """Stage *localise*: one page's brief, every field resolved for its locale."""

    brief: OpenedBrief
    locale: LocaleInfo
    formats: tuple[str, ...]
    item: LocalisedBrief
    catalog: tuple[str, str | None] | None
    """The catalog it read: (path as stored in the manifest, sha256), or None."""
    machine: MachineResults | None
    stat: Mapping[str, StatEntry]
    """``stat`` cache entries of the files read (the catalog)."""


@dataclass(frozen=True, slots=True)
class CheckedPage:
    """Stage *check*: a localised page with its quality findings."""

    page: LocalisedPage
    findings: tuple[Finding, ...]
    blocked: bool
    """An error-level finding, and the policy does not allow them: the run will not be written."""
    check: CachedCheck | None = None
    """The page's check key and its findings as the checks made them (for the check cache), when keyed."""


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """Stage *render*: one format of a checked page, as the bytes to write."""

    page: CheckedPage
    fmt: str
    data: bytes
    context: str
    """The id of the context it was rendered in (templates, UI catalog, settings, versions)."""
    target: Path


@dataclass(slots=True)
class StagedFile:
    """Stage *stage*: a rendered page written to a temp file beside its target, not yet renamed."""

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
    check: CachedCheck | None = None


@dataclass(slots=True)
class BriefOutcome:
    """What building one brief produced: the records, findings and staged files a worker sends back."""

    index: int
    brief_id: str = ""
    language: str = ""
    published: str = ""
    modified: str = ""
    """When the source last changed (:attr:`~polybrief.Brief.last_modified`)."""
    authors: list[str] = field(default_factory=list)
    path: str | None = None
    catalog_root: str | None = None
    pages: list[PageOutcome] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    untranslated: list[tuple[str, UntranslatedError]] = field(default_factory=list)
    stat: dict[str, StatEntry] = field(default_factory=dict)
    contexts: dict[str, Context] = field(default_factory=dict)
    created: list[Path] = field(default_factory=list)
    localised: list[LocalisedBrief] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    """Locales not published: not one segment of the brief is translated into them."""
    failed: bool = False
    """A page failed the quality checks (and errors are not allowed): the run will not be written."""
    allow_qa_errors: bool = False

    @property
    def staged(self) -> list[StagedFile]:
        return [s for page in self.pages for s in page.staged]

    @property
    def blocked(self) -> bool:
        return self.failed or bool(self.untranslated)
