"""The output folder as one site: its manifest, the pages it holds, and what keeps them consistent.

:mod:`.manifest` is the file (``DIR/.polybrief-site.json``: schema, atomic
save, lock) and :mod:`.manifest_read` reads it back; :mod:`.inputs` hashes
what each page is made from; :mod:`.build` merges a run with the manifest
(alternates, pages to render again, the index); :mod:`.remove` takes briefs
or locales off a site.
"""

from __future__ import annotations

from .manifest import (
    MANIFEST_NAME,
    BriefRecord,
    PageRecord,
    SiteManifest,
)
from .manifest_read import load_manifest

__all__ = ["MANIFEST_NAME", "BriefRecord", "PageRecord", "SiteManifest", "load_manifest"]
