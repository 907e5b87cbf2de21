"""Rendering localised briefs through Jinja2 templates, to HTML and plain text.

One :class:`jinja2.Environment` per locale, built by a factory and never
mutated afterwards: Jinja's ``overlay()`` shares globals, so installing "ru"
translations on one overlay and "hy" on another would make both render
Armenian.  Brief content is passed as data and autoescaped in HTML; it is
never compiled as a template.
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .errors import PolybriefError, TemplateError
from .locales import LocaleInfo, get_locale
from .provenance import Provenance, Segment
from .resources import builtin_templates_dir
from .ui import UiCatalogs

if TYPE_CHECKING:
    import jinja2

    from .localise import LocalisedBrief

__all__ = ["Renderer", "Alternate", "OutputFormat", "TEMPLATE_NAMES", "wrap_text"]

OutputFormat = Literal["html", "text"]
TEMPLATE_NAMES: dict[str, str] = {"html": "brief.html.j2", "text": "brief.txt.j2"}
TEXT_WIDTH = 72


@dataclass(frozen=True, slots=True)
class Alternate:
    """Another language version of the same brief, for ``hreflang`` links."""

    tag: str
    name: str
    href: str
    current: bool = False


def wrap_text(text: object, width: int = TEXT_WIDTH, indent: str = "", first_indent: str | None = None) -> str:
    """Wrap ``text`` at ``width`` terminal cells, counting wide and combining
    characters correctly in every script (wcwidth, not ``len``)."""
    import wcwidth

    lines = wcwidth.wrap(
        str(text),
        width,
        initial_indent=indent if first_indent is None else first_indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
        control_codes="ignore",
    )
    return "\n".join(lines)


def _segment_attrs(segment: Segment | None, page_lang: str, page_dir: str) -> Any:
    """HTML attributes marking a segment's provenance (and its language when it differs)."""
    from markupsafe import Markup, escape

    if segment is None:
        return Markup("")
    attrs = f' data-provenance="{escape(segment.provenance.value)}"'
    if segment.lang != page_lang:
        attrs += f' lang="{escape(segment.lang)}"'
        seg_dir = get_locale(segment.lang).direction
        if seg_dir != page_dir:
            attrs += f' dir="{seg_dir}"'
    if segment.provenance is Provenance.MACHINE and segment.model:
        attrs += f' data-model="{escape(segment.model)}"'
    return Markup(attrs)


class Renderer:
    """Renders :class:`~polybrief.localise.LocalisedBrief` objects.

    ``template_dirs`` are searched before polybrief's own templates (a
    ``ChoiceLoader``), so a file named ``brief.html.j2`` there overrides ours;
    ``locale_dirs`` are searched for UI catalogs before ours.
    """

    def __init__(self, *, template_dirs: Sequence[Path] = (), locale_dirs: Sequence[Path] = ()) -> None:
        self.template_dirs = tuple(Path(d) for d in template_dirs)
        for folder in self.template_dirs:
            if not folder.is_dir():
                raise TemplateError("template folder does not exist", file=folder,
                                    hint="pass an existing folder holding brief.html.j2 / brief.txt.j2")
        self.ui = UiCatalogs(locale_dirs=locale_dirs)
        self._environments: dict[str, jinja2.Environment] = {}

    # -- environments -------------------------------------------------------------

    def environment(self, locale: LocaleInfo) -> jinja2.Environment:
        """The (cached) environment for ``locale``, with its UI translations installed."""
        key = locale.identifier
        if key not in self._environments:
            self._environments[key] = self._build_environment(locale, self.ui.translations(locale))
        return self._environments[key]

    def _build_environment(self, locale: LocaleInfo, translations: gettext.NullTranslations) -> jinja2.Environment:
        import jinja2

        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d)) for d in self.template_dirs]
        loaders.append(jinja2.FileSystemLoader(str(builtin_templates_dir())))
        env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=lambda name: bool(name) and (".html" in name or ".xml" in name),
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        env.filters["wrap"] = wrap_text
        env.filters["quoted"] = lambda text, nested=False: locale.quotes.quote(str(text), nested=nested)
        env.globals["seg_attrs"] = lambda segment: _segment_attrs(segment, locale.tag, locale.direction)
        env.globals["format_number"] = locale.format_number
        return env

    def template(self, locale: LocaleInfo, name: str) -> jinja2.Template:
        import jinja2

        try:
            return self.environment(locale).get_template(name)
        except jinja2.TemplateNotFound:
            searched = ", ".join(str(d) for d in (*self.template_dirs, builtin_templates_dir()))
            raise TemplateError(f"template {name!r} not found", hint=f"searched {searched}") from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"template does not compile: {exc.message}", file=exc.filename or name,
                                line=exc.lineno) from None

    def check_templates(self, formats: Sequence[OutputFormat] = ("html", "text")) -> None:
        """Compile the templates ``formats`` need, so a broken override fails before anything is written."""
        locale = get_locale("en")
        for fmt in formats:
            self.template(locale, TEMPLATE_NAMES[fmt])

    # -- rendering ----------------------------------------------------------------

    def render(
        self,
        localised: LocalisedBrief,
        *,
        format: OutputFormat = "html",
        alternates: Sequence[Alternate] = (),
    ) -> str:
        """Render one localised brief as a standalone HTML page or as plain text."""
        if format not in TEMPLATE_NAMES:
            raise TemplateError(f"unknown output format {format!r}", hint="use html or text")
        template = self.template(localised.locale, TEMPLATE_NAMES[format])
        return self._render(template, brief=localised, locale=localised.locale, alternates=list(alternates))

    def render_index(self, entries: Sequence[dict[str, Any]], *, title: str = "polybrief") -> str:
        """The ``index.html`` linking every published version."""
        locale = get_locale("en")
        return self._render(self.template(locale, "index.html.j2"), entries=list(entries), title=title,
                            locale=locale)

    def _render(self, template: jinja2.Template, **context: Any) -> str:
        import jinja2

        try:
            return template.render(**context)
        except PolybriefError:
            raise
        except Exception as exc:  # a user's template may fail in any way; report it, no traceback
            line = getattr(exc, "lineno", None)
            raise TemplateError(f"template failed to render: {type(exc).__name__}: {exc}",
                                file=template.filename or template.name, line=line) from None
