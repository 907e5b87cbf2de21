"""What a publish run returns: :class:`PublishReport`, with a record of every file and page."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..brief_io import BriefSource
from ..cldr import LocaleInfo
from ..localisation import LocalisedBrief
from ..provenance import MachineTranslation
from .tasks import page_path

if TYPE_CHECKING:
    from ..catalogs.brief import BriefCatalog
    from ..mt.summary import MachineSummary
    from ..qa.report import QAReport

__all__ = ["PublishedFile", "PageSummary", "PublishReport", "MachineProvider"]


@dataclass(frozen=True, slots=True)
class PublishedFile:
    """A file a run wrote: one format of one brief in one locale, and what its text came from.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as out:
    ...     report = polybrief.publish(["examples/nagorno-karabakh.yaml"], locales=["hy"], out_dir=out)
    >>> [(file.locale, file.format, file.path.name) for file in report.files][2:]
    [('hy', 'html', 'nagorno-karabakh.html'), ('hy', 'text', 'nagorno-karabakh.txt')]
    >>> report.files[2].provenance["reviewed"]
    52
    """

    brief_id: str
    locale: str
    format: str
    provenance: Mapping[str, int]
    out_dir: Path
    """The site it was written in (one object for every file of a run: a ``Path`` per file is kept only
    when asked for, so a report of 80,000 files stays small)."""

    @property
    def path(self) -> Path:
        """Where the file is: ``<out_dir>/<locale>/<brief id>.<ext>``."""
        return self.out_dir / page_path(self.brief_id, self.locale, self.format)


@dataclass(frozen=True, slots=True)
class PageSummary:
    """One page (a brief in a locale) of a run: what it shows, and whether the run built it.

    A second run with nothing changed builds nothing:

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as out:
    ...     first = polybrief.publish(["examples/nagorno-karabakh.yaml"], locales=["hy"], out_dir=out)
    ...     again = polybrief.publish(["examples/nagorno-karabakh.yaml"], locales=["hy"], out_dir=out)
    >>> [(page.locale, page.built) for page in first.pages], [(page.locale, page.built) for page in again.pages]
    ([('en', True), ('hy', True)], [('en', False), ('hy', False)])
    """

    brief_id: str
    locale: str
    provenance: Mapping[str, int]
    original: bool
    built: bool = True


@dataclass(frozen=True)
class PublishReport:
    """Everything a publish run did (see :func:`polybrief.publish`).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as out:
    ...     report = polybrief.publish(["examples/nagorno-karabakh.yaml"], locales=["hy", "ru"], out_dir=out)
    >>> len(report.files), report.index.name, report.qa
    (6, 'index.html', QAReport(findings={'hy': (), 'ru': ()}, silenced={}))
    """

    out_dir: Path
    files: list[PublishedFile] = field(default_factory=list)
    """Files of the run's pages written by this run."""
    index: Path | None = None
    localised: list[LocalisedBrief] = field(default_factory=list, repr=False)
    """The briefs localised by this run (with ``keep_localised``; pages left unchanged are not localised)."""
    qa: QAReport | None = None
    machine: list[MachineSummary] = field(default_factory=list)
    """Per target locale: machine translation sent, accepted and rejected (empty without ``machine``)."""
    refreshed: list[PublishedFile] = field(default_factory=list)
    """Pages of earlier runs rendered again because their language links changed."""
    manifest: Path | None = None
    pages: list[PageSummary] = field(default_factory=list, repr=False)
    """Every page of the run, built or left unchanged, in run order."""
    unchanged: int = 0
    """Files of the run's pages left as they were: nothing they are made from changed."""
    index_written: bool = False
    site_files: list[Path] = field(default_factory=list)
    """The site's own files this run wrote: language indexes, the 404 page, feeds, sitemaps, robots.txt."""
    withheld: list[tuple[str, str]] = field(default_factory=list)
    """(brief id, locale tag) of every page the run did not publish because not one of its segments is
    translated: an all-English page is never published as another language."""

    def provenance(self, brief_id: str, locale: str) -> Mapping[str, int]:
        """How many segments of each provenance the page of ``brief_id`` in ``locale`` shows."""
        for page in self.pages:
            if page.brief_id == brief_id and page.locale == locale:
                return page.provenance
        raise KeyError((brief_id, locale))


MachineProvider = Callable[[Sequence[tuple[BriefSource, LocaleInfo, "BriefCatalog | None"]]],
                           Mapping[tuple[str, str], Mapping[str, MachineTranslation]]]
"""Given every (brief, locale, catalog) of a run, returns machine translations keyed by
``(brief id, locale tag)`` then field path — one call, so an engine can batch across briefs."""
