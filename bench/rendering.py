"""Rendering: localised briefs per second, against a bare Jinja2 render of the same templates.

polybrief's side renders the example with its reviewed catalogs
(``examples/locales``) in en, hy, az and ru, as HTML and as text, through
:class:`polybrief.Renderer` — one environment per locale with UI catalogs,
``finalize`` neutralising control characters, provenance attributes,
CLDR-formatted numbers and quotation marks, wcwidth-aware wrapping.  It is
measured twice: rendering an already localised brief, and localising
(catalog lookup, CLDR dates and plurals) plus rendering.

The bare side renders the *same template files* with a stand-in environment
of the same configuration (autoescape, trim/lstrip blocks, the i18n extension)
whose gettext is a stub returning the English string, whose filters are
trivial (``textwrap`` for ``wrap``), and whose context is plain data
(``SimpleNamespace`` objects: Jinja2 would read ``section.items`` of a dict
as the ``dict.items`` method) holding the same text the localised brief holds.  The difference between the
two is what localisation costs.

A diagnostic variant says what limits polybrief's side (it is *not*
polybrief as shipped): text rendered with the ``wrap`` filter swapped for the
bare side's ``textwrap`` (so the cost of wcwidth-aware wrapping shows).
Localisation runs under one :class:`~polybrief.Project`, as ``publish`` does,
so each locale is resolved once.
"""

from __future__ import annotations

import textwrap
import time
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from polybrief import Project, Renderer, Session, load_brief_catalog, localise
from polybrief.rendering import Alternate
from polybrief.resources import builtin_templates_dir

from .corpus import EXAMPLE_LOCALES, example_brief
from .stats import Sample, ratio, rotate

__all__ = ["rendering"]

LOCALES = ("en", "hy", "az", "ru")
FORMATS = ("html", "text")


def _plain(value: Any) -> Any:
    """The plain-data equivalent of a localised object: segments become their text."""
    from polybrief import LocalisedNode
    from polybrief.provenance import Segment

    if isinstance(value, Segment):
        return value.text
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, LocalisedNode):
        return SimpleNamespace(**{name: _plain(v) for name, v in value.node_fields().items()})
    return value


def _plain_brief(localised: Any) -> SimpleNamespace:
    counts = localised.provenance_counts()
    brief = localised.brief
    return SimpleNamespace(**{
        "headline": localised.headline.text,
        "standfirst": localised.standfirst.text if localised.standfirst else None,
        "dateline_place": localised.dateline_place.text,
        "dateline_date": localised.dateline_date,
        "published": localised.published,
        "published_date": localised.published_date,
        "published_time": localised.published_time,
        "published_datetime": localised.published_datetime,
        "lead": [s.text for s in localised.lead],
        "sections": _plain(localised.sections),
        "figures": _plain(localised.figures),
        "quotes": _plain(localised.quotes),
        "sources": _plain(localised.sources),
        "closing": [s.text for s in localised.closing],
        "tags": list(localised.tags),
        "brief": SimpleNamespace(dateline=SimpleNamespace(date=brief.dateline.date)),
        "needs_notice": localised.needs_notice,
        "has_machine": localised.has_machine,
        "has_untranslated": localised.has_untranslated,
        "has_drafts": localised.has_drafts,
        "has_machine_drafts": localised.has_machine_drafts,
        "disclosed": localised.disclosed,
        "is_original": localised.is_original,
        "models": localised.models,
        "source_language_name": localised.source_language_name,
        "provenance_counts": lambda: counts,
    })


def bare_wrap_filter() -> Any:
    """The bare side's ``wrap``: the standard library's ``textwrap`` (counts code points, not cells)."""

    def wrap(text: object, width: int = 72, indent: str = "", first_indent: str | None = None) -> str:
        return textwrap.fill(str(text), width, initial_indent=indent if first_indent is None else first_indent,
                             subsequent_indent=indent, break_on_hyphens=False)

    return wrap


def _bare_environment() -> Any:
    import jinja2
    from markupsafe import Markup, escape

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(builtin_templates_dir())),
        autoescape=lambda name: bool(name) and ".html" in name,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda s, **v: s.format_map(v) if v else s,
        lambda s, p, n, **v: (s if n == 1 else p).format_map({"num": n, **v}), newstyle=False)
    attrs = Markup(' data-provenance="reviewed"')
    env.filters["wrap"] = bare_wrap_filter()
    env.filters["bidi"] = lambda text, lang=None: text  # autoescape escapes it; no isolation
    env.filters["fill"] = lambda text, count="": escape(str(text)).replace("{count}", count)
    env.filters["href"] = str
    env.filters["quoted"] = lambda text, nested=False: f"“{text}”"
    env.filters["hyphenate"] = lambda text: text  # no soft hyphens (polybrief's come from pyphen)
    env.filters["join_list"] = lambda items: ", ".join(map(str, items))
    env.globals["seg_attrs"] = env.filters["seg_attrs"] = lambda segment: attrs
    env.globals["format_number"] = str
    env.filters["mark"] = lambda text: text  # reviewed pages carry no plain-text marks
    env.globals["marker"] = env.filters["marker"] = lambda segment: ""
    return env


@dataclass
class _Workload:
    """The example in en/hy/az/ru, localised once, and the plain data and templates the bare side renders."""

    brief: Any
    project: Project
    infos: list[Any]
    catalogs: dict[str, Any]
    alternates: list[Alternate]
    localised: dict[str, Any]
    bare_templates: dict[str, Any]
    plain: dict[str, SimpleNamespace]
    plain_alternates: list[SimpleNamespace]
    plain_meta: dict[str, Any]

    def bare(self, fmt: str) -> None:
        """One bare Jinja2 render of every locale's page in ``fmt``."""
        for info in self.infos:
            self.bare_templates[fmt].render(brief=self.plain[info.tag],
                                            locale=SimpleNamespace(tag=info.tag, direction="ltr"),
                                            alternates=self.plain_alternates if fmt == "html" else [],
                                            meta=self.plain_meta[info.tag])


def _workload() -> _Workload:
    from polybrief.rendering.metadata import page_meta

    brief = example_brief()
    project = Project()
    session = Session(project)  # one run: each locale resolved once, as publish does
    infos = [session.locale(tag) for tag in LOCALES]
    catalogs = {info.tag: load_brief_catalog(brief, info, EXAMPLE_LOCALES) for info in infos}
    alternates = [Alternate(tag=i.tag, name=i.name, href=f"../{i.tag}/{brief.id}.html") for i in infos]
    localised = {info.tag: localise(brief, info, project=project, catalog=catalogs[info.tag]) for info in infos}
    env = _bare_environment()
    names = {"html": "brief.html.j2", "text": "brief.txt.j2"}
    return _Workload(
        brief=brief, project=project, infos=infos, catalogs=catalogs, alternates=alternates, localised=localised,
        bare_templates={fmt: env.get_template(names[fmt]) for fmt in FORMATS},
        plain={tag: _plain_brief(item) for tag, item in localised.items()},
        plain_alternates=[SimpleNamespace(tag=a.tag, name=a.name, href=a.href, url=None, current=False)
                          for a in alternates],
        # The page's head metadata, as Renderer.render passes it (built once: the bare side does no work for it).
        plain_meta={tag: page_meta(item, alternates) for tag, item in localised.items()},
    )


def bare_pages() -> tuple[Any, int]:
    """``(render, count)``: ``render()`` renders the example's pages (en/hy/az/ru × html/text) through the bare
    environment, with the same plain data :func:`rendering` gives it; ``count`` pages per call."""
    work = _workload()

    def render() -> None:
        for fmt in FORMATS:
            work.bare(fmt)

    return render, len(FORMATS) * len(work.infos)


def rendering(reps: int, rounds: int) -> dict[str, Any]:
    work = _workload()
    brief, project, infos, catalogs = work.brief, work.project, work.infos, work.catalogs
    alternates, localised = work.alternates, work.localised
    renderer = Session(project).renderer

    def render_only(fmt: str) -> None:
        for item in localised.values():
            renderer.render(item, format=fmt, alternates=alternates if fmt == "html" else ())

    def localise_and_render(fmt: str) -> None:
        for info in infos:
            item = localise(brief, info, project=project, catalog=catalogs[info.tag])
            renderer.render(item, format=fmt, alternates=alternates if fmt == "html" else ())

    stdlib_wrap = bare_wrap_filter()
    diag_renderer = Renderer(project)
    for info in infos:
        diag_renderer.environment(info, format="text").filters["wrap"] = stdlib_wrap

    def render_stdlib_wrap(fmt: str) -> None:
        for item in localised.values():
            diag_renderer.render(item, format=fmt, alternates=alternates if fmt == "html" else ())

    sides = {"bare_jinja2": work.bare, "polybrief_render": render_only,
             "polybrief_localise_and_render": localise_and_render,
             "diagnostic_render_stdlib_wrap": render_stdlib_wrap}
    runs = [(name, fmt) for fmt in FORMATS for name in sides
            if not (name == "diagnostic_render_stdlib_wrap" and fmt == "html")]
    for name, fmt in runs:  # compile templates, build environments, fill caches
        sides[name](fmt)
    per_page = {(name, fmt): Sample() for name, fmt in runs}
    for rep in range(reps):
        for key in rotate(runs, rep):
            name, fmt = key
            start = time.perf_counter()
            for _ in range(rounds):
                sides[name](fmt)
            per_page[key].add((time.perf_counter() - start) / (rounds * len(LOCALES)))
    both = {name: Sample([sum(v) / len(FORMATS) for v in zip(*(per_page[(name, f)].values for f in FORMATS))])
            for name in sides if all((name, f) in per_page for f in FORMATS)}
    result: dict[str, Any] = {
        "locales": list(LOCALES), "formats": list(FORMATS), "reps": reps,
        "pages_per_rep": rounds * len(LOCALES) * len(FORMATS),
        "seconds_per_page": {f"{name}/{fmt}": s.to_dict() for (name, fmt), s in per_page.items()},
        "pages_per_second": {name: Sample([1 / v for v in s.values], "pages/s").to_dict() for name, s in both.items()},
        "render_vs_bare": ratio(both["polybrief_render"], both["bare_jinja2"]).to_dict(),
        "localise_and_render_vs_bare": ratio(both["polybrief_localise_and_render"], both["bare_jinja2"]).to_dict(),
    }
    result["diagnostics"] = {
        "text_render_with_stdlib_wrap_vs_bare": ratio(per_page[("diagnostic_render_stdlib_wrap", "text")],
                                                      per_page[("bare_jinja2", "text")]).to_dict(),
    }
    for fmt in FORMATS:
        result[f"render_vs_bare_{fmt}"] = ratio(per_page[("polybrief_render", fmt)],
                                                per_page[("bare_jinja2", fmt)]).to_dict()
        result[f"localise_and_render_vs_bare_{fmt}"] = ratio(per_page[("polybrief_localise_and_render", fmt)],
                                                             per_page[("bare_jinja2", fmt)]).to_dict()
    return result
