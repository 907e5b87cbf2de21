"""The site's newsroom settings: its name, publisher and logo, and how feeds and sitemaps are cut.

A brief says who wrote it and when it changed; what is the same for every
page of a site — the site's name, the publisher named in each page's
schema.org metadata with its logo, the favicon, how many entries a feed
lists, how many addresses a sitemap file holds, how far back the Google News
sitemap looks — is one frozen :class:`Newsroom`, a field of
:class:`~polybrief.Project` (``Project(newsroom=Newsroom(...))``).  The
command line reads it from the ``[site]``, ``[feeds]`` and ``[sitemaps]``
tables of ``polybrief.toml``; like every setting it is data only, checked
when it is built.

Addresses may be absolute (``https://…``) or relative to the site's base
URL (``logo.png``): a relative one is resolved against ``--base-url`` and
left out of page metadata when the site has none, since schema.org and Open
Graph want absolute addresses.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import UsageError

__all__ = ["Newsroom", "DEFAULT_NEWSROOM", "absolute_url"]

#: The sitemaps.org protocol's limit of addresses in one sitemap file.
SITEMAP_MAX_URLS = 50_000


def absolute_url(address: str | None, base_url: str | None) -> str | None:
    """``address`` as an absolute http(s) URL: as it is when absolute, else joined to ``base_url`` (None without one)."""
    if not address:
        return None
    if address.startswith(("http://", "https://")):
        return address
    if base_url is None:
        return None
    return base_url + address.lstrip("/")


def _check_address(name: str, value: str | None) -> None:
    if value is None:
        return
    if not value.strip() or any(c.isspace() for c in value) or ":" in value.split("/", 1)[0] and not \
            value.startswith(("http://", "https://")):
        raise UsageError(f"{name} {value!r} is not an http(s) address or a path on the site",
                         field=name, hint="e.g. https://news.example.org/logo.png or logo.png")


@dataclass(frozen=True, slots=True, kw_only=True)
class Newsroom:
    """What every page, feed and sitemap of one site says about the site (see the module docstring).

    >>> Newsroom(site_name="Caucasus Briefs", feed_entries=20).feed_entries
    20
    """

    site_name: str | None = None
    publisher: str | None = None
    """The organisation that publishes the site (schema.org ``publisher``); default: the site's name."""
    publisher_url: str | None = None
    logo: str | None = None
    """The publisher's logo (schema.org ``publisher.logo``)."""
    favicon: str | None = None
    feed_entries: int = 50
    """Entries of each language's Atom feed, the most recently updated first."""
    sitemap_urls: int = SITEMAP_MAX_URLS
    """Addresses per sitemap file; more are split into several files under a sitemap index."""
    news_hours: int = 48
    """The Google News sitemap lists briefs updated this many hours before the run, or less."""
    news_name: str | None = None
    """The publication's name in the Google News sitemap (default: the publisher's, else the site's)."""

    def __post_init__(self) -> None:
        for name in ("logo", "favicon", "publisher_url"):
            _check_address(name, getattr(self, name))
        if not 1 <= self.feed_entries <= 10_000:
            raise UsageError(f"feed_entries must be between 1 and 10000, not {self.feed_entries}",
                             field="feeds.entries")
        if not 1 <= self.sitemap_urls <= SITEMAP_MAX_URLS:
            raise UsageError(f"sitemap_urls must be between 1 and {SITEMAP_MAX_URLS} (the sitemaps.org limit), "
                             f"not {self.sitemap_urls}", field="sitemaps.max_urls")
        if not 1 <= self.news_hours <= 24 * 30:
            raise UsageError(f"news_hours must be between 1 and 720, not {self.news_hours}",
                             field="sitemaps.news_hours", hint="Google News reads the last 48 hours")

    @property
    def publisher_name(self) -> str | None:
        return self.publisher or self.site_name

    @property
    def publication_name(self) -> str | None:
        return self.news_name or self.publisher or self.site_name


DEFAULT_NEWSROOM = Newsroom()
