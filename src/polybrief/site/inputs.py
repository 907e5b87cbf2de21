"""Content hashes of everything one page is made from, for the site manifest and incremental builds.

A page of brief B in locale L reads: B's file, B's catalog for L, the UI
catalog found for L, the templates of its format (the main one and every
template it includes or imports, resolved through the same search path as
the renderer), L's quotation marks (from the ``quotation-marks.toml`` files
of the ``--locale-data`` folders and polybrief's own), the glossary rules for
L that the quality gate applied, the run's settings (policy, folders, digits,
limits) and the versions of polybrief and Babel (whose CLDR data formats
dates and numbers).  Everything but the brief and its catalog is the page's
*context* (:func:`~polybrief.site.manifest.context_id`), shared by the pages
of one locale and format.

Hashing is cheap when nothing changed: like git's index, the manifest keeps
each input file's hash with its size, modification and change times and
inode (``stat``), and a file whose ``stat`` matches is not read again.  The
change time cannot be set by programs (``touch -d``, ``rsync -t`` and
``cp -p`` set the modification time, never the change time) and a replaced
file has a new inode, so an edit is always seen.  A file whose change time is
within two seconds of the moment it was hashed could still be edited within
the clock's granularity without a visible change; its hash is kept without a
signature and it is hashed again by the next run ("racily clean", as git
calls it).
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .._version import __version__
from ..brief_io import BriefSource
from ..cldr import QUOTES_FILE, LocaleInfo
from ..errors import TemplateError
from ..project import Project
from ..rendering import TEMPLATE_NAMES, template_file
from ..rendering.messages import Message, page_messages, template_messages, translations_digest
from ..resources import builtin_locales_dir, builtin_templates_dir
from ..session import Session
from .manifest import SiteManifest, canonical, context_id, sha256_bytes, sha256_file

__all__ = ["InputHasher", "RACY_NS", "file_signature", "page_signature", "canonical", "run_settings"]

#: A file changed less than this long before it was hashed is hashed again next time (see the module docstring).
RACY_NS = 2_000_000_000


def file_signature(st: os.stat_result) -> list[int]:
    """What says an input file is unchanged: size, modification and change times, inode."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def page_signature(st: os.stat_result) -> list[int]:
    """What says a written page is still the one written: size, modification time, inode (a rename that
    put it in place changed its change time, so that is not part of it)."""
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def run_settings(project: Project, store: Any) -> dict[str, Any]:
    """Everything of a run's configuration that can change a page's bytes or whether it passes."""
    policy = project.policy
    glossary = project.glossary
    limits = {k: (str(v) if not isinstance(v, (int, float, str, bool)) or isinstance(v, float) else v)
              for k, v in asdict(project.limits).items()}
    return {
        "drafts": policy.drafts, "strict": policy.strict, "allow_qa_errors": policy.allow_qa_errors,
        "allow_mt_failure": policy.allow_mt_failure,
        "templates": [store(p) for p in project.template_dirs],
        "locale_data": [store(p) for p in project.locale_dirs],
        "glossary": store(Path(glossary.file)) if glossary is not None and glossary.file else None,
        "digits": project.digits, "sandboxed_templates": project.sandboxed_templates, "limits": limits,
        "newsroom": asdict(project.newsroom),
    }


class InputHasher:
    """Hashes a run's inputs once each, through the manifest's ``stat`` cache; builds page contexts.

    ``manifest.stat`` is updated in place with what was hashed.  Paths are
    recorded relative to the output folder.
    """

    def __init__(self, session: Session, manifest: SiteManifest) -> None:
        self.session = session
        self.project = session.project
        self.manifest = manifest
        self.started_ns = time.time_ns()
        self._hashes: dict[str, str | None] = {}
        self._settings: dict[tuple[Any, bool], dict[str, Any]] = {}
        self._contexts: dict[tuple[Any, ...], tuple[str, dict[str, Any]]] = {}
        self._templates: dict[str, dict[str, dict[str, Any]]] = {}
        self._messages: dict[str, list[Message] | None] = {}
        self._locale_data: dict[str, str] | None = None
        #: Some file was read and hashed (its ``stat`` changed or was not known).
        self.rehashed = False

    # -- files --------------------------------------------------------------------------------

    def sha(self, path: Path | None) -> str | None:
        """The sha256 of the file at ``path`` (None: no such file), read only when its ``stat`` changed.

        The result is kept for the run and in the manifest's ``stat``.
        """
        if path is None:
            return None
        stored = self.manifest.store_path(path)
        assert stored is not None
        if stored in self._hashes:
            return self._hashes[stored]
        try:
            st = os.stat(path)
        except OSError:
            self._hashes[stored] = None
            self.manifest.stat.pop(stored, None)
            return None
        entry = self.manifest.stat.get(stored)
        if entry is not None and len(entry) == 5 and entry[1:] == file_signature(st):
            digest: str | None = entry[0]
        else:
            digest = sha256_file(path)
            self.rehashed = True
            if digest is not None:
                self.manifest.stat[stored] = self.entry(digest, st)
        self._hashes[stored] = digest
        return digest

    def entry(self, digest: str, st: os.stat_result | None) -> list[Any]:
        """The ``stat`` entry of a file that had hash ``digest`` when it had ``st`` (taken before reading it)."""
        if st is None or st.st_ctime_ns >= time.time_ns() - RACY_NS:
            return [digest]
        return [digest, *file_signature(st)]

    def brief(self, source: BriefSource) -> str:
        if source.path is not None:
            digest = self.sha(source.path)
            if digest is not None:
                return digest
        # A Brief object passed in memory: the hash of its canonical JSON.
        return sha256_bytes(source.brief.model_dump_json().encode("utf-8"))

    # -- contexts -----------------------------------------------------------------------------

    def settings(self, project: Project | None = None) -> dict[str, Any]:
        """:func:`run_settings` of ``project`` (the run's by default), one shared dict per policy."""
        project = project or self.project
        key = (project.policy, project.sandboxed_templates)
        found = self._settings.get(key)
        if found is None:
            found = self._settings[key] = run_settings(project, self.manifest.store_path)
        return found

    def locale_data(self) -> dict[str, str]:
        """Hash of every ``quotation-marks.toml`` the run's locales are resolved from."""
        if self._locale_data is None:
            out: dict[str, str] = {}
            for folder in (*self.project.locale_dirs, builtin_locales_dir()):
                path = folder / QUOTES_FILE
                digest = self.sha(path)
                if digest is not None:
                    out[str(self.manifest.store_path(path))] = digest
            self._locale_data = out
        return self._locale_data

    def context(self, locale: LocaleInfo, fmt: str, brief_root: Path | None, *, original: bool,
                project: Project | None = None) -> tuple[str, dict[str, Any]]:
        """``(id, context)`` of a page of ``locale`` in ``fmt`` whose brief's catalogs are in ``brief_root``.

        ``original``: the brief's own language (no glossary rules apply to it);
        ``project``: the run's project with another policy (a page on record).
        """
        project = project or self.project
        ui = self.session.renderer.ui.catalog_path(locale, brief_root)
        key = (locale.tag, fmt, original, ui, project.policy, project.sandboxed_templates)
        cached = self._contexts.get(key)
        if cached is not None:
            return cached
        import babel

        glossary = self.project.glossary
        rules = None
        if glossary is not None and not original:
            rules = {
                "path": self.manifest.store_path(Path(glossary.file)) if glossary.file else None,
                "sha256": self.sha(Path(glossary.file)) if glossary.file else None,
                "rules": sha256_bytes(canonical([[r.source, r.target, r.keep, r.ignore_case]
                                                 for r in glossary.rules_for(locale.tag)]).encode("utf-8")),
            }
        name = TEMPLATE_NAMES.get(fmt, f"{fmt}.html.j2")
        templates = self.templates(name)
        messages = self._messages[name]
        ui_file = self._file_entry(ui)
        context: dict[str, Any] = {
            "polybrief": __version__, "babel": babel.__version__, "locale": locale.tag, "format": fmt,
            "settings": self.settings(project),
            "quotes": [locale.quotes.start, locale.quotes.end, locale.quotes.alt_start, locale.quotes.alt_end],
            "ui_catalog": self._ui_entry(locale, brief_root, ui_file, messages),
            "ui_file": ui_file,
            "ui_messages": messages,
            "glossary": rules,
            "templates": templates,
            "locale_data": self.locale_data(),
        }
        cid = context_id(context)
        known = self.manifest.contexts.get(cid)
        if known is not None:  # the same pages; the files' current hashes
            known["locale_data"], known["ui_file"] = context["locale_data"], context["ui_file"]
            context = known
        self._contexts[key] = (cid, context)
        return cid, context

    def index_context(self) -> tuple[str, dict[str, Any]]:
        """The context of ``index.html`` (English UI, the index template)."""
        locale = self.session.locale("en")
        return self.context(locale, "index", None, original=True)

    def _ui_entry(self, locale: LocaleInfo, brief_root: Path | None, ui_file: dict[str, Any] | None,
                  messages: list[Message] | None) -> dict[str, Any] | None:
        """What a page takes from its UI catalog: the translations of the messages it can show (the whole
        file where its templates can show any); see :mod:`polybrief.rendering.messages`.

        The catalog is read only when its file is not the one a context on
        record hashed for the same messages: a run where nothing changed
        reads no UI catalog."""
        if ui_file is None or messages is None:
            return ui_file
        if ui_file.get("sha256") is not None:
            for known in self.manifest.contexts.values():
                entry = known.get("ui_catalog")
                if (known.get("ui_file") == ui_file and known.get("ui_messages") == messages
                        and isinstance(entry, dict) and isinstance(entry.get("entries"), str)):
                    return {"path": ui_file["path"], "entries": entry["entries"]}
        translations = self.session.renderer.ui.translations(locale, brief_root)
        return {"path": ui_file["path"], "entries": translations_digest(translations, messages)}

    def _file_entry(self, path: Path | None) -> dict[str, Any] | None:
        if path is None:
            return None
        return {"path": self.manifest.store_path(path), "sha256": self.sha(path)}

    def templates(self, name: str) -> dict[str, dict[str, Any]]:
        """``name`` and every template it references, each with the file the search path resolves it to.

        The references are read from the templates (parsed, never rendered)
        unless a context on record lists the same main template with every
        template it referenced resolving to the same, unchanged files: their
        references are then the same too.
        """
        cached = self._templates.get(name)
        if cached is not None:
            return cached
        folders = [*self.project.template_dirs, builtin_templates_dir()]
        confined = self.project.sandboxed_templates

        def resolve(template: str) -> Path | None:
            import jinja2

            try:  # sandboxed: a link leading out of its folder is a TemplateError, as the renderer says
                return template_file(folders, template, confined=confined)
            except jinja2.TemplateNotFound:
                return None

        for context in self.manifest.contexts.values():
            recorded = context.get("templates")
            if not recorded or name not in recorded:
                continue
            try:  # the names come from the manifest: one the sandbox refuses just means "not the same"
                current = {n: self._file_entry(resolve(n)) or {"path": None, "sha256": None} for n in recorded}
            except TemplateError:
                continue
            if current == recorded and "ui_messages" in context:
                self._templates[name], self._messages[name] = recorded, context["ui_messages"]
                return recorded
        self._templates[name], self._messages[name] = self._parse_templates(name, resolve)
        return self._templates[name]

    def _parse_templates(self, name: str, resolve: Any) -> tuple[dict[str, dict[str, Any]], list[Message] | None]:
        """The templates of ``name`` (see :meth:`templates`) and the UI messages they can show."""
        import jinja2
        from jinja2 import meta

        env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
        out: dict[str, dict[str, Any]] = {}
        messages: list[list[Message] | None] = []
        pending = [name]
        while pending:
            current = pending.pop()
            if current in out:
                continue
            path = resolve(current)
            out[current] = self._file_entry(path) or {"path": None, "sha256": None}
            if path is None:
                continue
            try:
                parsed = env.parse(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, jinja2.TemplateSyntaxError):
                messages.append(None)  # the renderer reports unreadable templates; the hash is what matters here
                continue
            messages.append(template_messages(parsed))
            references = list(meta.find_referenced_templates(parsed))
            if any(not isinstance(ref, str) for ref in references):
                messages.append(None)  # a template named at run time: its messages cannot be known
            pending.extend(ref for ref in references if isinstance(ref, str))
        return dict(sorted(out.items())), page_messages(messages)
