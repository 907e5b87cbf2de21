"""The services of one run: :class:`Session`, and the convenient entry points built on it.

A :class:`~polybrief.Project` is settings only.  What a run *does* with
them — open brief files, find each brief's catalogs, resolve each locale tag
once (with the project's quotation marks and digits), compile templates —
needs state: caches that must not outlive the run, and must never be shared
by two runs with different settings.  That state lives here, one layer above
the configuration, as Jinja2 keeps loaders and caches on objects above its
``Environment`` and Sphinx keeps its ``CatalogRepository`` apart from
``Config``.

So a caller builds the project once and a session per run::

    session = Session(Project(locale_dirs=["my-locales"]))
    page = session.render(session.localise("brief.yaml", "hy"))

and the module-level :func:`localise` and :func:`render` do the same in one
call, finding the catalogs beside a brief file exactly as the command line
does: ``polybrief.localise("brief.yaml", "hy")`` shows the reviewed Armenian
text of ``locales/hy/LC_MESSAGES/<id>.po``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from .brief_io import BriefSource, check_brief_limits, load_with_digest
from .catalogs.brief import BriefCatalog, load_brief_catalog
from .catalogs.repository import CatalogRepository, find_po
from .cldr import LocaleInfo, LocaleLike, get_locale
from .fields import Unit, translation_units
from .localisation import LocalisedBrief, localise_brief
from .model import Brief
from .project import Project
from .provenance import MachineTranslation, TranslationPolicy

if TYPE_CHECKING:
    from .rendering import Alternate, OutputFormat, Renderer

__all__ = ["Session", "BriefLike", "FIND", "localise", "render"]

BriefLike = str | os.PathLike[str] | Brief | BriefSource
"""A brief as every public function takes it: a file path, a :class:`~polybrief.Brief` built in
Python, or a :class:`~polybrief.BriefSource` (a brief with its file and catalog folder)."""


class _Find:
    """The default of ``catalog=``: find the catalog beside the brief (``FIND``)."""

    _instance: _Find | None = None

    def __new__(cls) -> _Find:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "FIND"


FIND: Final = _Find()
"""``catalog=FIND`` (the default): use the brief's catalog for the locale, found as the command line
finds it (``--catalogs``, else the ``locales/`` folder beside the brief file); a brief built in
memory has none.  Pass a :class:`~polybrief.BriefCatalog` to use that one, or None for none.

>>> polybrief.localise("examples/nagorno-karabakh.yaml", "hy", catalog=polybrief.FIND).headline.provenance
<Provenance.REVIEWED: 'reviewed'>
>>> polybrief.localise("examples/nagorno-karabakh.yaml", "hy", catalog=None).headline.provenance
<Provenance.SOURCE: 'source'>
"""

CatalogChoice = BriefCatalog | _Find | None


class Session:
    """The services of one run under one :class:`~polybrief.Project`: the project holds the settings,
    the session the state that must not outlive the run (opened briefs, found catalogs, locales, templates).

    Every locale tag resolves to one :class:`~polybrief.LocaleInfo` per
    session (``"hy_AM"`` and ``"hy-AM"`` are the same object), catalogs are
    found by the project's :class:`~polybrief.CatalogRepository`, and the
    :class:`~polybrief.Renderer` is built on first use.  A session is cheap
    to make; make a new one when the files it caches (templates, UI catalogs,
    quotation marks) may have changed.

    >>> session = polybrief.Session(polybrief.Project(digits="latin"))
    >>> session.locale("hy_AM") is session.locale("hy-AM")
    True
    >>> page = session.localise("examples/nagorno-karabakh.yaml", "hy")
    >>> html = session.render(page)              # the session's renderer, built once
    """

    def __init__(self, project: Project | None = None) -> None:
        self.project: Final = project if project is not None else Project()
        self.repository: Final = CatalogRepository(locale_dirs=self.project.locale_dirs,
                                                   catalogs_dir=self.project.catalogs_dir)
        self._locales: dict[str, LocaleInfo] = {}
        self._renderer: Renderer | None = None
        self._last_units: tuple[Brief, tuple[Unit, ...]] | None = None

    def __repr__(self) -> str:
        return f"Session({self.project!r})"

    @property
    def policy(self) -> TranslationPolicy:
        return self.project.policy

    # -- locales ---------------------------------------------------------------------------

    def locale(self, tag: LocaleLike) -> LocaleInfo:
        """The one :class:`~polybrief.LocaleInfo` of ``tag`` in this session, with the project's
        quotation marks (``locale_dirs``) and digits (a :class:`~polybrief.LocaleInfo` passed in is
        used as it is, unless the session already has one for its tag)."""
        if isinstance(tag, LocaleInfo):  # already resolved: the session's own object for it wins
            return self._locales.setdefault(tag.tag, tag)
        key = str(tag)
        info = self._locales.get(key)
        if info is None:
            info = get_locale(key, data_dirs=self.project.locale_dirs, digits=self.project.digits)
            info = self._locales.setdefault(info.tag, info)  # "hy_AM" and "hy-AM": one object
            self._locales[key] = info
        return info

    def share_locales(self, other: Session) -> None:
        """Use ``other``'s resolved locales (a session for another policy of the same run)."""
        self._locales.update(other._locales)

    # -- rendering -------------------------------------------------------------------------

    @property
    def renderer(self) -> Renderer:
        """The session's renderer (one Jinja environment per locale and UI catalog, built on demand)."""
        if self._renderer is None:
            from .rendering import Renderer

            self._renderer = Renderer(self.project, locale=self.locale)
        return self._renderer

    def render(self, item: LocalisedBrief | BriefLike, locale: LocaleLike | None = None, *,
               format: OutputFormat = "html", alternates: Sequence[Alternate] = ()) -> str:
        """A page: ``item`` localised (or a brief localised for ``locale`` first) as HTML or text."""
        if not isinstance(item, LocalisedBrief):
            if locale is None:
                raise TypeError("render() needs a locale when given a brief rather than a localised brief")
            item = self.localise(item, locale)
        return self.renderer.render(item, format=format, alternates=alternates)

    # -- briefs and their catalogs -------------------------------------------------------------

    def open_brief(self, item: BriefLike, *, catalog_root: str | os.PathLike[str] | None = None) -> BriefSource:
        """A path, a :class:`~polybrief.Brief` or a :class:`~polybrief.BriefSource`, with its catalog folder
        resolved (``catalog_root``: this folder instead of the project's rule)."""
        root = Path(catalog_root) if catalog_root is not None else None
        if isinstance(item, BriefSource):
            return item
        if isinstance(item, Brief):
            check_brief_limits(item, self.project.limits)
            return BriefSource(item, None, root or self.repository.brief_root(None))
        path = Path(item)
        brief, digest = load_with_digest(path, limits=self.project.limits)
        return BriefSource(brief, path, root or self.repository.brief_root(path), sha256=digest)

    def catalog_path(self, source: BriefSource, locale: LocaleLike) -> Path | None:
        """The file :meth:`catalog` reads for ``locale`` (None when it reads none)."""
        info = self.locale(locale)
        if source.catalog_root is None or info.language == self.locale(source.brief.language).language:
            return None
        return find_po([source.catalog_root], info, source.brief.id)

    def catalog(self, source: BriefLike, locale: LocaleLike, *, path: Path | None = None) -> BriefCatalog | None:
        """The brief's checked catalog for ``locale`` (None for its own language or when there is none);
        ``path``: the file :meth:`catalog_path` found for it (not looked up again)."""
        source = self.open_brief(source)
        info = self.locale(locale)
        if source.catalog_root is None or info.language == self.locale(source.brief.language).language:
            return None
        return load_brief_catalog(source.brief, info, source.catalog_root, limits=self.project.limits, path=path,
                                  units=self._units(source.brief))

    def _units(self, brief: Brief) -> tuple[Unit, ...]:
        """The translation units of ``brief``, worked out once for all its locales' catalogs (only the last
        brief's are kept: a run opens one brief's catalogs one after another, and memory stays flat)."""
        last = self._last_units
        if last is None or last[0] is not brief:
            last = self._last_units = (brief, tuple(translation_units(brief)))
        return last[1]

    def localise(self, brief: BriefLike, locale: LocaleLike, *, catalog: CatalogChoice = FIND,
                 policy: TranslationPolicy | None = None,
                 machine: Mapping[str, MachineTranslation] | None = None) -> LocalisedBrief:
        """``brief`` localised for ``locale``: its catalog found beside it (``catalog=FIND``, the default)
        or the one given, under ``policy`` (default: the project's)."""
        source = self.open_brief(brief)
        info = self.locale(locale)
        found = self.catalog(source, info) if isinstance(catalog, _Find) else catalog
        return localise_brief(source, info, catalog=found, policy=policy or self.project.policy,
                              machine=machine, source_locale=self.locale(source.brief.language))


def localise(brief: BriefLike, locale: LocaleLike, *, catalog: CatalogChoice = FIND,
             policy: TranslationPolicy | None = None, machine: Mapping[str, MachineTranslation] | None = None,
             project: Project | None = None, session: Session | None = None) -> LocalisedBrief:
    """Localise a brief for one locale, finding its catalog as the command line does.

    ``brief`` is a file path, a :class:`~polybrief.Brief` or a
    :class:`~polybrief.BriefSource`; ``locale`` a tag, a Babel ``Locale`` or a
    :class:`~polybrief.LocaleInfo`.  The catalog is the brief's
    ``<locales>/<lang>/LC_MESSAGES/<id>.po`` (``catalog=FIND``), or the
    :class:`~polybrief.BriefCatalog` passed, or none (``catalog=None``).
    ``policy`` overrides the project's :class:`~polybrief.TranslationPolicy`;
    ``machine`` adds machine translations keyed by field path.

    >>> page = polybrief.localise("examples/nagorno-karabakh.yaml", "hy")
    >>> page.provenance_counts()["reviewed"]      # every field from the reviewed catalog
    52
    >>> page.headline.text
    'Ադրբեջանը «հակաահաբեկչական» հարձակում է սկսել Լեռնային Ղարաբաղում'
    """
    session = session if session is not None else Session(project)
    return session.localise(brief, locale, catalog=catalog, policy=policy, machine=machine)


def render(brief: LocalisedBrief | BriefLike, locale: LocaleLike | None = None, *,
           format: OutputFormat = "html", alternates: Sequence[Alternate] = (),
           project: Project | None = None, session: Session | None = None) -> str:
    """One page as HTML or plain text: a :class:`~polybrief.LocalisedBrief`, or a brief (path,
    :class:`~polybrief.Brief` or :class:`~polybrief.BriefSource`) localised for ``locale`` first, its
    catalog found as :func:`localise` finds it.

    >>> html = polybrief.render("examples/nagorno-karabakh.yaml", "ru")
    >>> '<html lang="ru" dir="ltr">' in html
    True
    >>> text = polybrief.render(polybrief.localise("examples/nagorno-karabakh.yaml", "hy"), format="text")
    """
    session = session if session is not None else Session(project)
    return session.render(brief, locale, format=format, alternates=alternates)
