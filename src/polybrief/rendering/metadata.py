"""What a newsroom page says about itself in its ``<head>``: links, schema.org JSON-LD, Open Graph.

Built in Python, handed to the template as data, so an overriding template
gets correct metadata by printing it and JSON is produced by ``json`` (and
escaped for a ``<script>`` element by Jinja's ``tojson``), never assembled by
string concatenation in a template.

* **Links.**  With a base URL (``--base-url``) a page has a canonical link and
  absolute ``hreflang`` alternates, plus ``x-default`` pointing at the
  source-language version; without one, alternates stay relative (a folder
  opened from disk or served under any path keeps working) and there is no
  canonical link, which must be absolute.
* **JSON-LD.**  A schema.org ``NewsArticle`` with ``inLanguage``,
  ``headline``, ``description``, ``datePublished``, ``dateline`` (the place),
  ``dateCreated`` (the dateline's date), ``url``;
  a translation names its original with ``translationOfWork`` and the
  original lists its translations with ``workTranslation``.
* **Open Graph.**  ``og:type=article``, title, description, ``og:locale``
  (``ll_TT`` from CLDR's likely subtags) and ``og:locale:alternate``,
  ``og:url`` with a base URL, ``article:published_time``.
* **Partial pages.**  A translation with less than ``--index-threshold`` of its
  segments reviewed says ``noindex`` and links no alternates in its head (see
  "Honest language claims" in :mod:`polybrief.publishing`).
* **Keywords.**  A brief's ``tags`` are not translatable, so keywords
  (``meta keywords``, ``article:tag``, JSON-LD ``keywords``) appear only on
  the source-language page, in the language they were written in; a
  translated page carries none rather than English ones.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..cldr import LocaleInfo, get_locale
from ..controls import neutralise_controls as clean
from ..errors import LocaleError

if TYPE_CHECKING:
    from ..localisation import LocalisedBrief

__all__ = ["Alternate", "PageMeta", "page_meta", "og_locale"]


@dataclass(frozen=True, slots=True)
class Alternate:
    """Another language version of the same brief, for ``hreflang`` links.

    ``href`` is relative (``../hy/<id>.html``: works from a folder, a file
    system or any host); ``url`` is the absolute address when the site has a
    base URL (``--base-url``), for canonical and ``hreflang`` links.

    ``publish`` makes them for every page of a site; given by hand to :func:`~polybrief.render`:

    >>> links = [polybrief.Alternate("en", "English", "../en/nagorno-karabakh.html"),
    ...          polybrief.Alternate("hy", "Հայերեն", "nagorno-karabakh.html", current=True)]
    >>> html = polybrief.render("examples/nagorno-karabakh.yaml", "hy", alternates=links)
    >>> '<link rel="alternate" hreflang="en" href="../en/nagorno-karabakh.html">' in html
    True
    """

    tag: str
    name: str
    href: str
    current: bool = False
    url: str | None = None
    partial: bool = False
    """Published, but not a full language version (see "Honest language claims" in
    :mod:`polybrief.publishing`): never an ``hreflang`` alternate."""


@dataclass(frozen=True, slots=True)
class PageMeta:
    canonical: str | None
    alternates: tuple[Alternate, ...]
    x_default: str | None
    json_ld: dict[str, Any]
    open_graph: tuple[tuple[str, str], ...]
    keywords: tuple[str, ...]
    noindex: bool = False
    """A partly translated page: ``<meta name="robots" content="noindex">``, no ``hreflang`` links."""


@functools.lru_cache(maxsize=256)
def _og_locale_of(tag: str) -> str:
    """:func:`og_locale` of a bare tag (a pure function of CLDR: worked out once per tag, not per page)."""
    return og_locale(get_locale(tag))


def og_locale(locale: LocaleInfo) -> str:
    """``hy_AM``, ``ru_RU``, ``fa_IR``: Open Graph wants language_TERRITORY; CLDR's likely subtags fill it in."""
    babel_locale = locale.babel
    territory = babel_locale.territory
    if not territory:
        from babel.core import get_global

        likely = get_global("likely_subtags").get(babel_locale.language, "")
        parts = [p for p in likely.split("_")[1:] if len(p) == 2 and p.isupper()]
        territory = parts[0] if parts else None
    return f"{babel_locale.language}_{territory}" if territory else babel_locale.language


def _href(alt: Alternate) -> str:
    return alt.url or alt.href


def _article(brief: LocalisedBrief) -> dict[str, Any]:
    """The schema.org ``NewsArticle`` of a page, before its links and keywords."""
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "inLanguage": brief.locale.tag,
        "headline": clean(brief.headline.text),
    }
    if brief.standfirst is not None:
        article["description"] = clean(brief.standfirst.text)
    article["datePublished"] = brief.brief.published.isoformat()
    # The place alone: joining place and date is a UI phrase ("{place}, {date}") with each
    # language's punctuation; the filing date is a property of its own.
    article["dateline"] = clean(brief.dateline_place.text)
    article["dateCreated"] = brief.brief.dateline.date.isoformat()
    return article


def _open_graph(brief: LocalisedBrief, alternates: tuple[Alternate, ...], canonical: str | None,
                keywords: tuple[str, ...]) -> list[tuple[str, str]]:
    """The page's Open Graph and ``article:`` properties, in the order they are printed."""
    og: list[tuple[str, str]] = [("og:type", "article"), ("og:title", brief.headline.text)]
    if brief.standfirst is not None:
        og.append(("og:description", brief.standfirst.text))
    og.append(("og:locale", og_locale(brief.locale)))
    for alt in alternates:
        if not alt.current:
            try:
                og.append(("og:locale:alternate", _og_locale_of(alt.tag)))
            except LocaleError:  # a tag from a hand-made Alternate: leave it out rather than fail the page
                continue
    if canonical:
        og.append(("og:url", canonical))
    og.append(("article:published_time", brief.brief.published.isoformat()))
    og.extend(("article:tag", tag) for tag in keywords)
    return og


def page_meta(brief: LocalisedBrief, alternates: Sequence[Alternate], *, threshold: float = 1.0) -> PageMeta:
    """Everything the ``<head>`` of ``brief``'s page says about it (see the module docstring).

    Text is passed through :func:`~polybrief.rendering.neutralise_controls`, as everything a page
    shows is: a bidi override in a headline must not reach a search engine's snippet either.
    A page with less than ``threshold`` of its segments reviewed is *partial*: ``noindex``, with no
    ``hreflang`` links and no ``og:locale:alternate`` (a partial alternate is never listed either).
    """

    noindex = brief.reviewed_share < threshold
    links = tuple(alternates)
    current = next((a for a in links if a.current), None)
    original = next((a for a in links if a.tag == brief.source_locale.tag), None)
    alternates = tuple(a for a in links if not a.partial or a.current) if not noindex else ()
    canonical = current.url if current is not None else None
    x_default = _href(original) if original is not None else None
    keywords = tuple(clean(tag) for tag in brief.brief.tags) if brief.is_original else ()

    article = _article(brief)
    if current is not None:
        article["url"] = _href(current)
    if keywords:
        article["keywords"] = list(keywords)
    if not brief.is_original:
        original_work: dict[str, Any] = {"@type": "NewsArticle", "inLanguage": brief.source_locale.tag,
                                         "headline": clean(brief.brief.headline)}
        if original is not None:
            original_work["url"] = _href(original)
        article["translationOfWork"] = original_work
    else:
        translations = [{"@type": "NewsArticle", "inLanguage": a.tag, "url": _href(a)}
                        for a in alternates if a.tag != brief.locale.tag]
        if translations:
            article["workTranslation"] = translations

    og = _open_graph(brief, alternates, canonical, keywords)
    return PageMeta(canonical=canonical, alternates=alternates, x_default=x_default, json_ld=article,
                    open_graph=tuple(og), keywords=keywords, noindex=noindex)
