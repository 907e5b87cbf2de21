"""Publishing: many briefs × many locales × formats, into one folder (a site).

The layout is ``DIR/<locale>/<brief-id>.html`` (and ``.txt``) for the source
language and every target, plus ``DIR/index.html`` and the site manifest
``DIR/.polybrief/site.json`` (:mod:`polybrief.site`), which makes the index and
every page's language links cover the whole site, not only the briefs and
locales of the current run.

A run is a pipeline of typed stages (the values are in :mod:`.tasks`)::

    plan → open → localise → check → render → stage → commit

1. *Plan* (:mod:`.plan`): a brief whose file, catalogs, templates, locale
   data and settings are unchanged since it was published here is not even
   loaded; only its stale pages are built (incremental builds; ``force``
   builds everything).  ``publish --mt`` asks the engine first, for every
   page at once (:mod:`.machine`).
2. *Open, localise, check, render, stage* (:mod:`.stages`, chained per brief
   by :func:`.worker.build_brief`, in this process or on ``jobs`` worker
   processes): each brief is loaded, localised, checked and rendered, and
   each page is *staged* as a temp file beside its target.  Only small
   records come back, so memory does not grow with the number of briefs.
   A page rendered again whose every check input is unchanged (only its UI
   catalog or a template changed) takes its findings from the check cache
   (:mod:`polybrief.site.check_cache`) instead of being checked again.
3. *Commit* (:mod:`.commit`): when every brief is done, strict-mode failures
   (all of them, in one error) and quality errors stop the run; the staged
   files are removed and nothing is replaced.  Otherwise the staged files
   are made durable (one ``syncfs``) and renamed into place, then the index
   (only when what it shows changed), the check cache and the manifest, last.  A kill between
   two renames leaves each page old or new, never half-written.

Honest language claims
----------------------
A page says what language it is in (``lang``, ``og:locale``, JSON-LD
``inLanguage``), so it must not claim a language it does not hold:

* a locale into which not one segment of a brief is translated (reviewed,
  draft or machine) is not published as that language at all: the run lists
  it (:attr:`~.report.PublishReport.withheld`) and succeeds, or fails under
  ``--strict`` as every untranslated segment does;
* a partly translated page is published with its disclosure and
  ``<meta name="robots" content="noindex">``, left out of the other pages'
  language links and ``hreflang``, the sitemaps and the feeds (so search
  engines do not offer it as the brief in that language), and the indexes
  list it as partly translated;
* once at least ``--index-threshold`` of its segments are reviewed (default
  1.0: every one; :attr:`polybrief.Project.index_threshold`) it is a full
  language version.  One function decides it for all of these,
  :func:`polybrief.provenance.is_full_version`.  The default is 1.0 rather than 0.9 because the ten per
  cent left may be the headline, and a search result shows the headline.

:mod:`.shards`, :mod:`.merge` and :mod:`.distributed` publish a site too large for one machine in
shards (by hand, or as Ray tasks) and merge them into the site (docs/scale.md).

:mod:`.sitebuild` merges the run with the site on record (alternates, pages
of earlier runs to render again, the index); :mod:`.remove` takes briefs or
locales off a site.  Every check of the old in-memory pipeline still holds: a
bad catalog, a broken template or a strict-mode failure stops the run before
any file is replaced, and a page path that is a folder or a locale folder
that cannot be created fails the run with no page replaced.
"""

from __future__ import annotations

from .distributed import DistributedReport, ShardSummary, publish_distributed
from .merge import merge_shards
from .remove import RemoveReport, remove_from_site
from .report import MachineProvider, PageSummary, PublishedFile, PublishReport
from .run import publish
from .shards import publish_shard

__all__ = ["publish", "PublishReport", "PublishedFile", "PageSummary", "MachineProvider", "remove_from_site",
           "RemoveReport", "publish_shard", "merge_shards", "publish_distributed", "DistributedReport",
           "ShardSummary"]
