"""Content hashes of everything one page is made from, for the site manifest.

A page of brief B in locale L reads: B's file, B's catalog for L, the UI
catalog found for L, the templates of its format (the main one and every
template it includes or imports, resolved through the same search path as
the renderer), the locale-data files (``quotation-marks.toml`` in each
``--locale-data`` folder and polybrief's own), the glossary the quality gate
used, and the versions of polybrief and Babel (whose CLDR data formats dates
and numbers).  An incremental build compares these to decide what to
re-render; here they are only computed and recorded.

Each file is hashed once per run (:class:`InputHasher` keeps the digests).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .manifest import SiteManifest, sha256_bytes, sha256_file

if TYPE_CHECKING:
    from ..catalogs.brief import BriefCatalog
    from ..cldr import LocaleInfo
    from ..project import BriefSource, Project

__all__ = ["InputHasher"]


class InputHasher:
    """Hashes a run's inputs once each; paths are recorded relative to the output folder."""

    def __init__(self, project: Project, manifest: SiteManifest) -> None:
        self.project = project
        self.manifest = manifest
        self._files: dict[Path, str | None] = {}
        self._templates: dict[str, dict[str, dict[str, Any]]] = {}

    def file(self, path: Path | None) -> dict[str, Any] | None:
        if path is None:
            return None
        if path not in self._files:
            self._files[path] = sha256_file(path)
        return {"path": self.manifest.store_path(path), "sha256": self._files[path]}

    def brief(self, source: BriefSource) -> str:
        if source.path is not None:
            entry = self.file(source.path)
            if entry is not None and entry["sha256"] is not None:
                return str(entry["sha256"])
        # A Brief object passed in memory: the hash of its canonical JSON.
        return sha256_bytes(source.brief.model_dump_json().encode("utf-8"))

    def page(self, source: BriefSource, locale: LocaleInfo, catalog: BriefCatalog | None) -> dict[str, Any]:
        """The inputs every format of one page shares."""
        import babel

        from .. import __version__
        from ..cldr import QUOTES_FILE
        from ..resources import builtin_locales_dir

        ui = self.project.renderer.ui.catalog_path(locale, source.catalog_root)
        locale_data: dict[str, Any] = {}
        for folder in (*self.project.locale_dirs, builtin_locales_dir()):
            entry = self.file(folder / QUOTES_FILE)
            if entry is not None and entry["sha256"] is not None:
                locale_data[str(entry["path"])] = entry["sha256"]
        glossary = self.project.glossary
        return {
            "polybrief": __version__,
            "babel": babel.__version__,
            "brief": self.brief(source),
            "catalog": self.file(catalog.path) if catalog is not None else None,
            "ui_catalog": self.file(ui),
            "locale_data": locale_data,
            "glossary": self.file(Path(glossary.file)) if glossary is not None and glossary.file else None,
        }

    def templates(self, name: str) -> dict[str, dict[str, Any]]:
        """``name`` and every template it references, each with the file the search path resolves it to."""
        cached = self._templates.get(name)
        if cached is not None:
            return cached
        import jinja2
        from jinja2 import meta

        from ..resources import builtin_templates_dir

        folders = [*self.project.template_dirs, builtin_templates_dir()]
        env = jinja2.Environment()
        out: dict[str, dict[str, Any]] = {}
        pending = [name]
        while pending:
            current = pending.pop()
            if current in out:
                continue
            path = next((folder / current for folder in folders if (folder / current).is_file()), None)
            entry = self.file(path) or {"path": None, "sha256": None}
            out[current] = entry
            if path is None:
                continue
            try:
                parsed = env.parse(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, jinja2.TemplateSyntaxError):
                continue  # the renderer reports unreadable templates; the hash is what matters here
            pending.extend(ref for ref in meta.find_referenced_templates(parsed) if isinstance(ref, str))
        self._templates[name] = dict(sorted(out.items()))
        return self._templates[name]


def canonical(data: Any) -> str:
    """Stable JSON text of ``data`` (for comparing recorded settings)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False)
