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
* **Newsroom.**  ``dateModified`` (when the page last changed in its own
  language: :attr:`~polybrief.LocalisedBrief.modified`), ``author`` (a
  ``Person`` or ``Organization`` per byline), ``publisher`` (an
  ``Organization`` with its ``logo``, from :class:`~polybrief.newsroom.Newsroom`),
  ``image`` (an ``ImageObject``), and with a base URL ``@id`` and
  ``mainEntityOfPage``: what Google documents for ``NewsArticle``.  Open Graph
  (``og:site_name``, ``og:image``, ``article:modified_time``,
  ``article:author``) and Twitter card tags say the same from the same data.
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
from ..newsroom import DEFAULT_NEWSROOM, Newsroom, absolute_url

if TYPE_CHECKING:
    from ..localisation import LocalisedBrief, LocalisedNode
    from ..model import Author

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


@dataclass(frozen=True, slots=True)
class PageMeta:
    canonical: str | None
    alternates: tuple[Alternate, ...]
    x_default: str | None
    json_ld: dict[str, Any]
    open_graph: tuple[tuple[str, str], ...]
    keywords: tuple[str, ...]
    twitter: tuple[tuple[str, str], ...] = ()
    """Twitter card tags (``<meta name=…>``), from the same data as Open Graph."""
    text_alternate: str | None = None
    """The page's own plain-text version (``<link rel=alternate type=text/plain>``)."""
    favicon: str | None = None


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


def page_meta(brief: LocalisedBrief, alternates: Sequence[Alternate], *, newsroom: Newsroom = DEFAULT_NEWSROOM,
              base_url: str | None = None, text_alternate: str | None = None,
              favicon: str | None = None) -> PageMeta:
    """Everything the ``<head>`` of ``brief``'s page says about it (see the module docstring).

    Text is passed through :func:`~polybrief.rendering.neutralise_controls`, as everything a page
    shows is: a bidi override in a headline must not reach a search engine's snippet either.
    ``text_alternate`` is the address of the page's ``.txt`` version, ``favicon`` of the site's icon.
    """

    alternates = tuple(alternates)
    current = next((a for a in alternates if a.current), None)
    original = next((a for a in alternates if a.tag == brief.source_locale.tag), None)
    canonical = current.url if current is not None else None
    keywords = tuple(clean(tag) for tag in brief.brief.tags) if brief.is_original else ()
    image = _image(brief, base_url)
    authors = [_author(node, model) for node, model in zip(brief.authors, brief.brief.authors)]
    article = _article(brief, alternates, current=current, original=original, image=image, authors=authors,
                       publisher=_publisher(newsroom, base_url), keywords=keywords)
    return PageMeta(canonical=canonical, alternates=alternates,
                    x_default=_href(original) if original is not None else None, json_ld=article,
                    open_graph=_open_graph(brief, alternates, canonical, newsroom, image, authors, keywords),
                    keywords=keywords, twitter=_twitter(brief, image), text_alternate=text_alternate,
                    favicon=favicon)


def _article(brief: LocalisedBrief, alternates: tuple[Alternate, ...], *, current: Alternate | None,
             original: Alternate | None, image: dict[str, Any] | None, authors: list[dict[str, Any]],
             publisher: dict[str, Any] | None, keywords: tuple[str, ...]) -> dict[str, Any]:
    """The schema.org ``NewsArticle``."""
    canonical = current.url if current is not None else None
    article: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle"}
    if canonical:
        article["@id"] = f"{canonical}#article"
        article["mainEntityOfPage"] = {"@type": "WebPage", "@id": canonical}
    article["inLanguage"] = brief.locale.tag
    article["headline"] = clean(brief.headline.text)
    if brief.standfirst is not None:
        article["description"] = clean(brief.standfirst.text)
    if image is not None:
        article["image"] = image
    article["datePublished"] = brief.brief.published.isoformat()
    article["dateModified"] = brief.modified.isoformat()
    if authors:
        article["author"] = authors
    if publisher is not None:
        article["publisher"] = publisher
    # The place alone: joining place and date is a UI phrase ("{place}, {date}") with each
    # language's punctuation; the filing date is a property of its own.
    article["dateline"] = clean(brief.dateline_place.text)
    article["dateCreated"] = brief.brief.dateline.date.isoformat()
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
    return article


def _open_graph(brief: LocalisedBrief, alternates: tuple[Alternate, ...], canonical: str | None,
                newsroom: Newsroom, image: dict[str, Any] | None, authors: list[dict[str, Any]],
                keywords: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    og: list[tuple[str, str]] = [("og:type", "article"), ("og:title", brief.headline.text)]
    if newsroom.site_name:
        og.append(("og:site_name", newsroom.site_name))
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
    og.extend(_og_image(brief, image))
    og.append(("article:published_time", brief.brief.published.isoformat()))
    og.append(("article:modified_time", brief.modified.isoformat()))
    og.extend(("article:author", a.get("url") or a["name"]) for a in authors)
    og.extend(("article:tag", tag) for tag in keywords)
    return tuple(og)


def _author(node: LocalisedNode, model: Author) -> dict[str, Any]:
    person = model.kind == "person"
    out: dict[str, Any] = {"@type": "Person" if person else "Organization", "name": clean(node.name.text)}
    if model.url:
        out["url"] = model.url
    if person and node.role is not None:
        out["jobTitle"] = clean(node.role.text)
    return out


def _publisher(newsroom: Newsroom, base_url: str | None) -> dict[str, Any] | None:
    name = newsroom.publisher_name
    if not name:
        return None
    out: dict[str, Any] = {"@type": "Organization", "name": clean(name)}
    url = absolute_url(newsroom.publisher_url, base_url) or base_url
    if url:
        out["url"] = url
    logo = absolute_url(newsroom.logo, base_url)
    if logo:
        out["logo"] = {"@type": "ImageObject", "url": logo}
    return out


def _image(brief: LocalisedBrief, base_url: str | None) -> dict[str, Any] | None:
    node, model = brief.image, brief.brief.image
    if node is None or model is None:
        return None
    out: dict[str, Any] = {"@type": "ImageObject", "url": model.url, "contentUrl": model.url}
    if node.caption is not None:
        out["caption"] = clean(node.caption.text)
    out["description"] = clean(node.alt.text)
    if model.credit:
        out["creditText"] = clean(model.credit)
    if model.width and model.height:
        out["width"], out["height"] = model.width, model.height
    return out


def _og_image(brief: LocalisedBrief, image: dict[str, Any] | None) -> list[tuple[str, str]]:
    if image is None or brief.image is None:
        return []
    out = [("og:image", str(image["url"])), ("og:image:alt", brief.image.alt.text)]
    if "width" in image:
        out += [("og:image:width", str(image["width"])), ("og:image:height", str(image["height"]))]
    return out


def _twitter(brief: LocalisedBrief, image: dict[str, Any] | None) -> tuple[tuple[str, str], ...]:
    """Twitter (X) reads Open Graph too, but only its own ``twitter:card`` chooses the large-image card."""
    out = [("twitter:card", "summary_large_image" if image is not None else "summary"),
           ("twitter:title", brief.headline.text)]
    if brief.standfirst is not None:
        out.append(("twitter:description", brief.standfirst.text))
    if image is not None and brief.image is not None:
        out += [("twitter:image", str(image["url"])), ("twitter:image:alt", brief.image.alt.text)]
    return tuple(out)
