"""Rendering localised briefs through Jinja2 templates, to HTML and plain text.

One :class:`jinja2.Environment` per locale, built by a factory and never
mutated afterwards: Jinja's ``overlay()`` shares globals, so installing "ru"
translations on one overlay and "hy" on another would make both render
Armenian.  Brief content is passed as data and autoescaped in HTML; it is
never compiled as a template.

Invisible control characters in content
---------------------------------------
Brief text comes from editors, translators and machine translation, and may
carry characters that change how *other* text is displayed.  Every string a
template outputs goes through :func:`neutralise_controls` (the environment's
``finalize``, and :func:`wrap_text` before measuring), in HTML and text alike:

* explicit bidi embeddings, overrides and isolates (U+202A–U+202E,
  U+2066–U+2069) are shown as ``<U+202E>`` instead of being obeyed.  An
  override reverses characters — it can make a casualty figure "120" read
  "021" while every check still sees "120" — and an unterminated one leaks
  into the text after its segment (in plain text, to the end of the line; in
  HTML, across inline elements).  Escaping them visibly stops both and shows
  reviewers that something odd was in the source, which silently deleting
  would hide.  Markup gives direction in HTML (``lang``/``dir`` per segment),
  so legitimate content never needs these characters.
* U+FEFF (a stray byte-order mark), C0/C1 control characters other than tab
  and newline (a terminal escape sequence in a ``.txt`` page, a carriage
  return that overwrites a line, NUL) and Unicode noncharacters are shown the
  same way; HTML forbids most of them anyway.
* the marks scripts need are kept as they are: LRM/RLM/ALM (U+200E, U+200F,
  U+061C) fix neutral characters in Arabic and Persian text, ZWNJ (U+200C) is
  part of Persian spelling, ZWJ (U+200D) of emoji and Indic scripts, and ZWSP
  (U+200B) marks line-break opportunities in Thai or Khmer.  None of them can
  reorder text beyond its neighbours.

The isolates and marks polybrief adds itself (:mod:`polybrief.bidi`) are
added after neutralising, so they are the only ones a page holds.

UI messages: whole phrases with named placeholders
--------------------------------------------------
Every UI string that combines parts is one message with ``{name}``
placeholders (``{label}: {text}``, ``Published: {datetime}``,
``(Source: {name})``), so a translator can reorder the parts and choose the
punctuation: no separator between localised parts is written by a template.
``_()`` and ``ngettext()`` fill them with ``str.format`` semantics after
looking the message up; in HTML the message is escaped and every value not
already markup is escaped and neutralised.  ``{name}`` rather than
``%(name)s`` because Babel marks any msgid with ``%`` and a letter as
``python-format`` (and ``msgfmt --check`` then rejects "84,5 %"), and
because the values are markup that must not be escaped twice.  ``{num}``
in a plural message is the count in the locale's digits.

A message the locale's catalog lacks falls back to English.  In HTML such
a fallback is marked ``lang="en"`` (and ``dir="ltr"`` on a right-to-left
page, which isolates it), and each value inside it is isolated again in the
page's language and direction, so "Published: ۳۰ سپتامبر ۲۰۲۳" reads in
order on a Persian page.  A message without words (``{place}, {date}``)
has nothing to mark and is used as it is.

UI strings are data too
-----------------------
Translators write ``polybrief.po`` as they write brief catalogs, so its
strings are treated like brief content: Jinja's new-style ``gettext`` would
mark whatever the catalog returns as safe markup, letting a ``<script>`` in
a UI catalog reach the page raw (and a U+202E past ``finalize``, which
leaves markup alone).  ``UiMessages`` neutralises controls in every
translation and escapes it in HTML before filling in the values.

Templates, unlike content, are trusted code: Jinja runs them with the
rights of the process.  ``Project(sandboxed_templates=True)``
(``--sandbox-templates``) renders them in :class:`jinja2.sandbox.SandboxedEnvironment`
for templates from elsewhere, and loads them through a confined loader
(:func:`template_file`): Jinja's sandbox stops attribute access, not file
reads, and its ``FileSystemLoader`` follows symbolic links, so a template
folder holding ``_footer.j2 → ~/key`` and ``{% include '_footer.j2' %}``
published the key.  A sandboxed template is read only if its real path lies
inside the folder it was found in and it is a regular file.

Long words
----------
Both wrappers behind :func:`wrap_text` are quadratic in the longest unbroken
word (wcwidth: 80,000 characters took 30 s; the stdlib: 4 MB took 3 s), so
runs longer than ``Limits.wrap_token_chars`` are cut into line-sized pieces
first, in linear time.

Neutralised once
----------------
Every printed value is neutralised, but none twice: a segment when it is
made (:attr:`~polybrief.provenance.Segment.shown`), a filled-in UI message
and a wrapped paragraph (its indents too) when they are made, which
``finalize`` then passes as they are (``Clean``); a fixed UI string once
per environment.  Only plain strings (dates, numbers, a user template's own
values) are neutralised as ``finalize`` prints them.

The package: :mod:`.ui` (``_()`` and ``ngettext()``), :mod:`.filters`
(``finalize``, ``bidi``, ``fill``, ``wrap``, ``href``, ``mark``, ``join_list``, ``quoted`` and
the ``seg_attrs``/``marker`` globals, filters too), :mod:`.hyphens` (``hyphenate``: soft
hyphens from pyphen's dictionaries), :mod:`.text` (:func:`wrap_text`); the
:class:`Renderer` and its environments here.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..cldr import LocaleInfo, get_locale
from ..controls import VISIBLE_CONTROLS, neutralise_controls
from ..errors import PolybriefError, TemplateError
from ..resources import builtin_templates_dir
from .filters import (
    TEXT_MARKS,
    bidi_filter,
    fill_filter,
    finalize,
    join_list_filter,
    mark_function,
    marker_function,
    note_function,
    quoted_filter,
    segment_attr_writer,
    wrap_filter,
    safe_href,
)
from .hyphens import hyphenate_filter
from .metadata import Alternate, page_meta
from .text import TEXT_WIDTH, wrap_text
from .ui import UiMessages

if TYPE_CHECKING:
    import jinja2

    from ..catalogs.ui import UiCatalogs
    from ..localisation import LocalisedBrief
    from ..project import Project

__all__ = ["Renderer", "Alternate", "OutputFormat", "TEMPLATE_NAMES", "TEXT_MARKS", "TEXT_WIDTH", "wrap_text",
           "neutralise_controls", "safe_href", "template_file", "MAX_TEMPLATE_BYTES"]

OutputFormat = Literal["html", "text"]
TEMPLATE_NAMES: dict[str, str] = {"html": "brief.html.j2", "text": "brief.txt.j2"}


#: Characters shown as ``<U+XXXX>`` rather than output (see the module docstring).
_VISIBLE_CONTROLS = VISIBLE_CONTROLS

#: Largest template file a sandboxed environment reads.
MAX_TEMPLATE_BYTES = 4 * 1024 * 1024


def template_file(folders: Sequence[Path], name: str, *, confined: bool) -> Path | None:
    """The file template ``name`` is loaded from: the first of ``folders`` holding it (None: none does).

    ``confined`` (sandboxed templates): the file's real path must lie inside
    the real path of the folder it was found in and be a regular file, else a
    :class:`~polybrief.errors.TemplateError`; the real path is returned, so
    what is read is what was checked.  Otherwise the first regular file
    found, links followed, as Jinja's ``FileSystemLoader`` finds it.
    """
    import os
    import stat

    from jinja2.loaders import split_template_path

    pieces = split_template_path(name)  # TemplateNotFound for '..'
    for folder in folders:
        candidate = os.path.join(folder, *pieces)
        if not confined:
            if os.path.isfile(candidate):
                return Path(candidate)
            continue
        if not os.path.lexists(candidate):
            continue
        root, real = os.path.realpath(folder), os.path.realpath(candidate)
        if os.path.commonpath([root, real]) != root:
            raise TemplateError(f"template {name!r} leads outside its folder (a symbolic link); a sandboxed "
                                "template may only read files inside its folder", file=candidate,
                                hint="replace the link with the file itself, or trust the templates "
                                     "(leave out --sandbox-templates)")
        try:
            mode = os.stat(real).st_mode
        except OSError:
            continue
        if not stat.S_ISREG(mode):
            raise TemplateError(f"template {name!r} is not a regular file", file=candidate)
        return Path(real)
    return None


def _confined_loader(folders: Sequence[Path]) -> jinja2.BaseLoader:
    """A loader for sandboxed templates that reads only what :func:`template_file` allows."""
    import os

    import jinja2

    class _Confined(jinja2.BaseLoader):
        def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
            path = template_file(folders, template, confined=True)
            if path is None:
                raise jinja2.TemplateNotFound(template)
            flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
            try:
                fd = os.open(path, flags)
                with os.fdopen(fd, "rb") as handle:
                    data = handle.read(MAX_TEMPLATE_BYTES + 1)
            except OSError as exc:
                raise TemplateError(f"cannot read template {template!r}: {exc.strerror or exc}", file=path) from None
            if len(data) > MAX_TEMPLATE_BYTES:
                raise TemplateError(f"template {template!r} is larger than {MAX_TEMPLATE_BYTES} bytes", file=path)
            try:
                source = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise TemplateError(f"template {template!r} is not UTF-8 (byte {exc.start})", file=path) from None
            return source, str(path), lambda: True

    return _Confined()


class Renderer:
    """Renders :class:`~polybrief.localisation.LocalisedBrief` objects for one :class:`~polybrief.Project`.

    The project's ``template_dirs`` are searched before polybrief's own
    templates (a ``ChoiceLoader``), so a file named ``brief.html.j2`` there
    overrides ours.  UI catalogs are found by the project's catalog
    repository: ``--locale-data`` folders, the brief's own ``locales/``
    folder, then polybrief's.  Usually reached as ``session.renderer``
    (:class:`~polybrief.Session`), whose ``locale`` resolves each tag once per run.

    >>> renderer = polybrief.Renderer(polybrief.Project())
    >>> page = polybrief.localise("examples/nagorno-karabakh.yaml", "hy")
    >>> print(renderer.render(page, format="text").splitlines()[0])
    Ադրբեջանը «հակաահաբեկչական» հարձակում է սկսել Լեռնային Ղարաբաղում
    """

    def __init__(self, project: Project | None = None, *,
                 locale: Callable[[str], LocaleInfo] | None = None) -> None:
        from ..catalogs.repository import CatalogRepository
        from ..catalogs.ui import UiCatalogs
        from ..project import Project

        self.project = project or Project()
        #: Resolves a tag to its LocaleInfo (a session's, so one tag is one object in a run).
        self.locale: Callable[[str], LocaleInfo] = locale or self._own_locale
        self._locales: dict[str, LocaleInfo] = {}
        self.template_dirs = self.project.template_dirs
        repository = CatalogRepository(locale_dirs=self.project.locale_dirs, catalogs_dir=self.project.catalogs_dir)
        self.ui: UiCatalogs = UiCatalogs(repository, limits=self.project.limits)
        self._environments: dict[tuple[str, str, Path | None], jinja2.Environment] = {}
        self._compiled: dict[bool, Any] = {}  # html?: a bytecode cache shared by the environments of a format

    def _own_locale(self, tag: str) -> LocaleInfo:
        info = self._locales.get(tag)
        if info is None:
            info = self._locales[tag] = get_locale(tag, data_dirs=self.project.locale_dirs, digits=self.project.digits)
        return info

    # -- environments -------------------------------------------------------------

    def environment(self, locale: LocaleInfo, brief_root: Path | None = None, *,
                    format: OutputFormat = "html") -> jinja2.Environment:
        """The (cached) environment for ``locale`` and ``format``, with its UI translations installed.

        ``brief_root`` is the brief's catalog folder, searched for a UI catalog
        after ``--locale-data``; environments are shared by every brief whose
        lookup finds the same UI catalog file.  HTML and text get one
        environment each, autoescaping everything or nothing: a partial shared
        by both (``_macros.j2``) used to be compiled without autoescape, and
        Jinja marks a macro's output safe when an HTML template calls it, so a
        translator's markup in a UI string reached the page raw.
        """
        key = (format, locale.identifier, self.ui.catalog_path(locale, brief_root))
        if key not in self._environments:
            self._environments[key] = self._build_environment(locale, self.ui.translations(locale, brief_root),
                                                              html=format == "html")
        return self._environments[key]

    def _build_environment(self, locale: LocaleInfo, translations: gettext.NullTranslations, *,
                           html: bool = True) -> jinja2.Environment:
        import jinja2
        import jinja2.sandbox

        folders = [*self.template_dirs, builtin_templates_dir()]
        loader: jinja2.BaseLoader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in folders])
        factory = jinja2.sandbox.SandboxedEnvironment if self.project.sandboxed_templates else jinja2.Environment
        if self.project.sandboxed_templates:
            loader = _confined_loader(folders)
        env = factory(
            loader=loader,
            autoescape=html,
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=finalize,
            # One run renders with the templates it compiled: no stat of every template file per page.
            auto_reload=False,
            bytecode_cache=self._bytecode_cache(html),
        )
        from .compiled import HTML_OUTPUT, OutputCodeGenerator, html_output

        env.code_generator_class = OutputCodeGenerator
        setattr(env, HTML_OUTPUT, html_output)  # what its compiled HTML templates print values with
        ui = UiMessages(translations, locale)
        env.install_gettext_callables(  # type: ignore[attr-defined]
            jinja2.pass_eval_context(lambda ctx, *a, **k: ui.gettext(ctx, *a, **k)),
            jinja2.pass_eval_context(lambda ctx, *a, **k: ui.ngettext(ctx, *a, **k)), newstyle=False)
        # ``_`` is the extension's alias that looks ``gettext`` up and calls it through the context again:
        # two of Jinja's calls for each of a page's 25 UI strings.  The same callable, one call.
        env.globals["_"] = env.globals["gettext"]
        direction_of = self._direction_of
        bidi = bidi_filter(locale, direction_of, note_function(locale, direction_of, ui.html))
        env.filters["wrap"] = wrap_filter(locale, direction_of, self.project.limits.wrap_token_chars)
        env.filters["bidi"] = bidi
        env.filters["fill"] = fill_filter(bidi)
        env.filters["href"] = safe_href
        env.filters["join_list"] = join_list_filter(locale)
        env.filters["quoted"] = quoted_filter(locale)
        env.filters["hyphenate"] = hyphenate_filter(locale.tag)
        # Globals for templates written for them; polybrief's own use the filters: a filter is called
        # directly, a global through the context's ``call`` (its argument inspection, 2 µs a segment).
        env.globals["seg_attrs"] = env.filters["seg_attrs"] = segment_attr_writer(locale.tag, locale.direction,
                                                                                   direction_of)
        env.globals["marker"] = env.filters["marker"] = marker_function()
        env.filters["mark"] = mark_function()
        env.globals["format_number"] = locale.format_number
        return env

    def _bytecode_cache(self, html: bool) -> Any:
        """Compiled templates shared by every locale's environment of one format, and kept between runs.

        Each locale has its own environment (see the module docstring), and
        Jinja compiles a template once per environment: eight compilations of
        the same files for four locales, 0.4 s of every publish run.  The
        environments of one format differ only in what they are given at run
        time (translations, filters, globals), not in how a template
        compiles, so they share the code (``rendering/compiled.py``); HTML and text
        never do (autoescape changes the code).
        """
        cache = self._compiled.get(html)
        if cache is None:
            from .compiled import TemplateCodeCache

            cache = self._compiled[html] = TemplateCodeCache(html=html, sandboxed=self.project.sandboxed_templates)
        return cache

    def _direction_of(self, tag: str) -> str:
        return self.locale(tag).direction

    def template(self, locale: LocaleInfo, name: str, brief_root: Path | None = None) -> jinja2.Template:
        import jinja2

        fmt: OutputFormat = "html" if (".html" in name or ".xml" in name) else "text"
        try:
            return self.environment(locale, brief_root, format=fmt).get_template(name)
        except jinja2.TemplateNotFound:
            searched = ", ".join(str(d) for d in (*self.template_dirs, builtin_templates_dir()))
            raise TemplateError(f"template {name!r} not found", hint=f"searched {searched}") from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"template does not compile: {exc.message}", file=exc.filename or name,
                                line=exc.lineno) from None

    def check_templates(self, formats: Sequence[OutputFormat] = ("html", "text")) -> None:
        """Compile the templates ``formats`` need, so a broken override fails before anything is written."""
        locale = self.locale("en")
        for fmt in formats:
            self.template(locale, TEMPLATE_NAMES[fmt])

    # -- rendering ----------------------------------------------------------------

    def render(
        self,
        localised: LocalisedBrief,
        *,
        format: OutputFormat = "html",
        alternates: Sequence[Alternate] = (),
        text_alternate: str | None = None,
        favicon: str | None = None,
        base_url: str | None = None,
    ) -> str:
        """Render one localised brief as a standalone HTML page or as plain text.

        ``text_alternate``: the address of the page's own ``.txt`` version (a ``rel=alternate`` link);
        ``favicon``: the site's icon, as the page reaches it; ``base_url``: the site's (default: the project's).
        """
        if format not in TEMPLATE_NAMES:
            raise TemplateError(f"unknown output format {format!r}", hint="use html or text")
        root = localised.source.catalog_root if localised.source is not None else None
        template = self.template(localised.locale, TEMPLATE_NAMES[format], root)
        meta = page_meta(localised, alternates, newsroom=self.project.newsroom,
                         base_url=base_url or self.project.base_url, text_alternate=text_alternate,
                         favicon=favicon, threshold=self.project.index_threshold)
        return self._render(template, brief=localised, locale=localised.locale, alternates=list(alternates),
                            meta=meta)

    def render_index(self, entries: Sequence[dict[str, Any]], *, title: str = "") -> str:
        """The ``index.html`` linking every published version (``title`` empty: the template's own)."""
        locale = self.locale("en")
        return self._render(self.template(locale, "index.html.j2"), entries=list(entries), title=title,
                            locale=locale)

    def render_index_chunks(self, entries: Iterable[dict[str, Any]], *, title: str = "",
                            languages: Sequence[dict[str, str]] = ()) -> Iterator[str]:
        """:meth:`render_index` piece by piece, for an index too big to hold as one string
        (``languages``: each language's own index page, ``tag``, ``name`` and ``href``)."""
        locale = self.locale("en")
        template = self.template(locale, "index.html.j2")
        with _reported(template):
            yield from template.generate(entries=entries, title=title, locale=locale, languages=list(languages))

    def render_site_page(self, name: str, locale: LocaleInfo, **context: Any) -> str:
        """A page of the site itself (a language's index, the 404 page) in ``locale``'s environment."""
        return self._render(self.template(locale, name), locale=locale, **context)

    def render_site_page_chunks(self, name: str, locale: LocaleInfo, **context: Any) -> Iterator[str]:
        """:meth:`render_site_page` piece by piece: a language's index of a large site is never one string."""
        template = self.template(locale, name)
        with _reported(template):
            yield from template.generate(locale=locale, **context)

    def _render(self, template: jinja2.Template, **context: Any) -> str:
        with _reported(template):
            return template.render(**context)


def _template_line(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line a runtime error came from: Jinja rewrites the traceback so that
    its frames name the template and line (the innermost one is where it failed, maybe an include)."""
    where: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            where = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return where


@contextmanager
def _reported(template: jinja2.Template) -> Iterator[None]:
    """A user's template may fail in any way: one :class:`TemplateError` naming it and the line, no traceback."""
    try:
        yield
    except PolybriefError:
        raise
    except Exception as exc:
        file, line = _template_line(exc)
        raise TemplateError(f"template failed to render: {type(exc).__name__}: {exc}",
                            file=file or template.filename or template.name,
                            line=getattr(exc, "lineno", None) or line) from None
