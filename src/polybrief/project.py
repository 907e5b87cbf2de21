"""The configuration of one run, built once and passed down: :class:`Project`.

Everything a run is configured with — template folders, locale-data folders,
the catalogs folder, the glossary, the translation policy, the models folder
and engine options, the output base URL — lives in one frozen object, as
httpx passes one ``Timeout``/``Limits`` to a client instead of threading
loose keyword arguments through every layer.  Before it existed,
``locale_dirs`` went CLI → publish → localise → get_locale and was dropped
on the way in six places, so one locale tag could get two different sets of
quotation marks in one run; now ``project.locale(tag)`` resolves each tag
once per run, and the glossary is parsed once.

The caches (locales, the renderer) belong to the object, never to a module,
so two projects in one process cannot see each other's settings.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .catalogs.repository import CatalogRepository
from .cldr import Digits, LocaleInfo, get_locale
from .errors import CatalogError, LocaleError, TemplateError, UsageError
from .limits import DEFAULT_LIMITS, Limits
from .model import Brief
from .provenance import TranslationPolicy

if TYPE_CHECKING:
    from .catalogs.brief import BriefCatalog
    from .glossary import Glossary
    from .mt.argos import EngineOptions
    from .render import Renderer

__all__ = ["Project", "BriefSource"]


@dataclass(frozen=True, slots=True)
class BriefSource:
    """A brief, the file it came from, and the folder its catalogs live in.

    ``sha256`` is the hash of the bytes the brief was parsed from (None for a
    brief built in memory): the site manifest records it.
    """

    brief: Brief
    path: Path | None = None
    catalog_root: Path | None = None
    sha256: str | None = field(default=None, compare=False)


class _State:
    """A project's caches: mutable, owned by one project, never shared."""

    def __init__(self) -> None:
        self.locales: dict[str, LocaleInfo] = {}
        self.renderer: Renderer | None = None


def _folders(values: Iterable[str | os.PathLike[str]] | None) -> tuple[Path, ...]:
    return tuple(Path(v) for v in (values or ()))


@dataclass(frozen=True, kw_only=True)
class Project:
    """Everything one run is configured with.  Build it once; pass it to every step.

    ``template_dirs`` are searched before polybrief's own templates;
    ``locale_dirs`` (``--locale-data``) before the brief's own ``locales/``
    folder and polybrief's for UI catalogs and ``quotation-marks.toml``;
    ``catalogs_dir`` (``--catalogs``) replaces each brief's ``locales/``
    folder for brief catalogs.  ``digits="latin"`` (``--digits latin``)
    writes figures, dates and times in Latin digits where the locale's CLDR
    default numbering system is another (Persian digits in ``fa``).  A named
    folder that does not exist is an error, so a typo cannot silently publish
    everything as source text.  ``limits`` bounds every input the run reads
    (:mod:`polybrief.limits`); ``sandboxed_templates`` renders templates in
    Jinja's sandbox, for templates that are not trusted code.
    """

    template_dirs: tuple[Path, ...] = ()
    locale_dirs: tuple[Path, ...] = ()
    catalogs_dir: Path | None = None
    glossary: Glossary | None = None
    policy: TranslationPolicy = TranslationPolicy()
    models_dir: Path | None = None
    engine_options: EngineOptions | None = None
    base_url: str | None = None
    digits: Digits = "locale"
    limits: Limits = DEFAULT_LIMITS
    sandboxed_templates: bool = False
    #: Run the MT models on a Ray cluster (``"auto"``, ``"local"`` or an address); None: in this process.
    ray_address: str | None = None
    #: Size of the Ray actor pool (None: one per GPU, or per ``intra_threads`` CPUs, of the cluster).
    ray_actors: int | None = None
    _state: _State = field(default_factory=_State, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "template_dirs", _folders(self.template_dirs))
        object.__setattr__(self, "locale_dirs", _folders(self.locale_dirs))
        if self.catalogs_dir is not None:
            object.__setattr__(self, "catalogs_dir", Path(self.catalogs_dir))
        if self.models_dir is not None:
            object.__setattr__(self, "models_dir", Path(self.models_dir))
        for folder in self.template_dirs:
            if not folder.is_dir():
                raise TemplateError("template folder does not exist", file=folder,
                                    hint="pass an existing folder holding brief.html.j2 / brief.txt.j2")
        for folder in self.locale_dirs:
            if not folder.is_dir():
                raise LocaleError("locale-data folder does not exist", file=folder,
                                  hint="pass an existing folder holding <lang>/LC_MESSAGES/polybrief.po "
                                       "or quotation-marks.toml")
        if self.catalogs_dir is not None and not self.catalogs_dir.is_dir():
            raise CatalogError("catalogs folder does not exist", file=self.catalogs_dir,
                               hint="pass the folder holding <lang>/LC_MESSAGES/<brief-id>.po, "
                                    "or leave --catalogs out to use the brief's own locales/ folder")
        if self.digits not in ("locale", "latin"):
            raise UsageError(f"unknown digits setting {self.digits!r}", hint="use locale or latin")
        if self.ray_address is not None and not self.ray_address.strip():
            raise UsageError("empty Ray address", hint="use --ray auto, --ray local or --ray HOST:6379")
        if self.ray_actors is not None and self.ray_actors < 1:
            raise UsageError(f"--ray-actors must be at least 1, not {self.ray_actors}")
        if self.ray_actors is not None and self.ray_address is None:
            raise UsageError("--ray-actors needs --ray", hint="e.g. --ray local --ray-actors 2")
        if self.base_url is not None:
            from urllib.parse import urlsplit

            parts = urlsplit(self.base_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise UsageError(f"base URL {self.base_url!r} is not an absolute http(s) URL",
                                 hint="e.g. --base-url https://news.example.org/briefs/")
            if not self.base_url.endswith("/"):
                object.__setattr__(self, "base_url", self.base_url + "/")

    # -- derived -----------------------------------------------------------------

    @property
    def repository(self) -> CatalogRepository:
        """Where this run's catalogs live."""
        return CatalogRepository(locale_dirs=self.locale_dirs, catalogs_dir=self.catalogs_dir)

    def locale(self, tag: str | LocaleInfo) -> LocaleInfo:
        """The one :class:`LocaleInfo` of ``tag`` in this run (with this project's quotation marks)."""
        key = tag.tag if isinstance(tag, LocaleInfo) else str(tag)
        info = self._state.locales.get(key)
        if info is None:
            info = get_locale(key, data_dirs=self.locale_dirs, digits=self.digits)
            info = self._state.locales.setdefault(info.tag, info)  # "hy_AM" and "hy-AM": one object
            self._state.locales[key] = info
        return info

    @property
    def renderer(self) -> Renderer:
        """The run's renderer (one Jinja environment per locale and UI catalog, built on demand)."""
        if self._state.renderer is None:
            from .render import Renderer

            self._state.renderer = Renderer(self)
        return self._state.renderer

    # -- briefs and their catalogs ----------------------------------------------------

    def open_brief(self, item: str | os.PathLike[str] | Brief | BriefSource, *,
                   catalog_root: Path | None = None) -> BriefSource:
        """A path, a :class:`Brief` or a :class:`BriefSource`, with its catalog folder resolved
        (``catalog_root``: this folder instead of the project's rule, for a page on record)."""
        if isinstance(item, BriefSource):
            return item
        if isinstance(item, Brief):
            from .brief_io import check_brief_limits

            check_brief_limits(item, self.limits)
            return BriefSource(item, None, catalog_root or self.repository.brief_root(None))
        from .brief_io import load_with_digest

        path = Path(item)
        brief, digest = load_with_digest(path, limits=self.limits)
        return BriefSource(brief, path, catalog_root or self.repository.brief_root(path), sha256=digest)

    def catalog_path(self, source: BriefSource, locale: LocaleInfo) -> Path | None:
        """The file :meth:`catalog` reads for ``locale`` (None when it reads none)."""
        if source.catalog_root is None or locale.language == self.locale(source.brief.language).language:
            return None
        from .catalogs.repository import find_po

        return find_po([source.catalog_root], locale, source.brief.id)

    def catalog(self, source: BriefSource, locale: LocaleInfo, *, path: Path | None = None) -> BriefCatalog | None:
        """The brief's checked catalog for ``locale`` (None for its own language or when there is none);
        ``path``: the file :meth:`catalog_path` found for it (not looked up again)."""
        if source.catalog_root is None or locale.language == self.locale(source.brief.language).language:
            return None
        from .catalogs.brief import load_brief_catalog

        return load_brief_catalog(source.brief, locale, source.catalog_root, limits=self.limits, path=path)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without its caches (a ``--jobs`` worker builds its own)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.init}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_state", _State())

    def with_options(self, **changes: Any) -> Project:
        """A copy with some settings changed (and fresh caches)."""
        from dataclasses import fields, replace

        known = {f.name for f in fields(self) if f.init}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise TypeError(f"unknown Project settings: {unknown}")
        return replace(self, **changes)
