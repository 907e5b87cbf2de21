"""The output folder as one site: its state folder and manifest, and the hashes of what each page is made from.

:mod:`.state` is the state folder ``DIR/.polybrief/`` (the site lock, stale
temp files, where the manifest lives), :mod:`.manifest` the manifest's
schema and how it is written, :mod:`.manifest_read` reads it back and
:mod:`.records` checks every record it holds; :mod:`.inputs` hashes what each
page is made from.  What a run *does* with the site (merging its pages, the
index, pages to render again, ``site remove``) is publishing:
:mod:`polybrief.publishing`.
"""

from __future__ import annotations

from .manifest import (
    BriefRecord,
    PageRecord,
    SiteManifest,
)
from .manifest_read import load_manifest
from .state import LEGACY_MANIFEST_NAME, MANIFEST_NAME, STATE_DIR

__all__ = ["MANIFEST_NAME", "LEGACY_MANIFEST_NAME", "STATE_DIR", "BriefRecord", "PageRecord", "SiteManifest",
           "load_manifest"]
