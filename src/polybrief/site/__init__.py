"""The output folder as one site: its manifest, and the hashes of what each page is made from.

:mod:`.manifest` is the file (``DIR/.polybrief-site.json``: schema, atomic
save, lock) and :mod:`.manifest_read` reads it back; :mod:`.inputs` hashes
what each page is made from.  What a run *does* with the site (merging its
pages, the index, pages to render again, ``site remove``) is publishing:
:mod:`polybrief.publishing`.
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
