"""Text patterns that quality checks, machine-translation protection and rendering must agree on.

A URL, an e-mail address or a placeholder is something a translation has to
carry over unchanged.  :mod:`polybrief.mt.protect` hides these spans from
the model before translation; the ``urls``, ``emails`` and ``placeholders``
checks (and the ``numbers`` and ``script`` checks, which skip these spans)
verify afterwards that they came back; :mod:`polybrief.bidi` keeps a link
or address in a right-to-left page in its own direction.  When the sides
disagree on where a link ends, protection can restore a span that QA then
reports as changed, or QA can accept a link that protection let the model
rewrite.  So all of them import their patterns from here.

This module imports nothing but the standard library, so importing it from
:mod:`polybrief.mt.protect` or :mod:`polybrief.bidi` does not load the
checker, Babel or the number tables.

Why these patterns
------------------
:data:`URL`
    ``http``, ``https`` and ``ftp`` links, bare ``www.`` hosts and
    ``mailto:`` links.  A link stops at white space, angle brackets and any
    quotation mark — including the low ``„`` that opens quotations in
    Russian, German and other languages, which used to be swallowed into a
    link by MT protection.  Trailing punctuation (:data:`URL_TRAILING`) is
    sentence punctuation, not part of the link; :func:`urls` strips it.
:data:`EMAIL`
    Local part ``[\\w.+-]+`` not preceded by another address character, so
    a match is always the whole run of address characters, never its tail
    (``+press@…`` is not read as ``press@…``); it ends at a word character,
    so a hyphen after the address (``press@example.org-based``) is not taken
    as part of the domain.
:data:`MT_PLACEHOLDER`
    The protection layer's own token (``{1}``) in the forms decoders give
    back: with spaces (``{ 1 }``) or full-width braces (``｛1｝``).  Group 1
    is the number.
:data:`TEMPLATE_PLACEHOLDER`
    Leftovers of other template systems that must never reach readers:
    ``⟦…⟧``, ``%(name)s``, ``{name}``, ``{0}``, ``{{ … }}``, ``__PH1__``.  A braced
    word in capitals (``{None}``, ``{Tab}``) is a label translators translate, not a field.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

__all__ = [
    "EMAIL",
    "MT_PLACEHOLDER",
    "TEMPLATE_PLACEHOLDER",
    "URL",
    "URL_TRAILING",
    "WORD",
    "blank_spans",
    "emails",
    "urls",
    "without_links",
]

#: A link: scheme (http, https, ftp), ``www.`` or ``mailto:``, up to white space or a quotation mark.
URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.|\bmailto:)[^\s<>\"'«»“”„]+", re.IGNORECASE)
#: Punctuation that ends a sentence or closes a bracket after a link, not part of it.
URL_TRAILING = ".,;:!?)]}'\"’”»"
#: An e-mail address, taken whole (see the module docstring).
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
#: What restore accepts as placeholder number ``n``: ``{n}``, ``{ n }``, full-width braces.
MT_PLACEHOLDER = re.compile(r"[{\uff5b]\s*(\d{1,4})\s*[}\uff5d]")
#: Placeholders of other template systems (gettext, str.format, Jinja, ``⟦…⟧`` markers).
TEMPLATE_PLACEHOLDER = re.compile(
    r"⟦[^⟧]{0,40}⟧|%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{(?:\d{1,3}|[a-z_][a-z0-9_]{0,29})?\}|\{\{[^{}]{0,60}\}\}|__PH\d+__"
)
#: A word, for number words and name-likeness (Unicode letters, digits, underscore).
WORD = re.compile(r"\w+")


def urls(text: str) -> list[str]:
    """Every link in ``text``, without the sentence punctuation that follows it."""
    if ":" not in text and "." not in text:
        return []  # every link has "://", "www." or "mailto:"
    return [m.group(0).rstrip(URL_TRAILING) for m in URL.finditer(text)]


def emails(text: str) -> list[str]:
    """Every e-mail address in ``text``, as written."""
    if "@" not in text:
        return []
    return [m.group(0) for m in EMAIL.finditer(text)]


def blank_spans(text: str, patterns: Sequence[re.Pattern[str]]) -> str:
    """``text`` with every match of ``patterns`` replaced by spaces (positions kept).

    Checks that count numbers or letters use this to ignore what is inside
    links, addresses and placeholders, which other checks already cover.
    """
    for pattern in patterns:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


@functools.lru_cache(maxsize=1024)  # a page's texts, not a run's: they never come again
def without_links(text: str) -> str:
    """``text`` with URLs, e-mail addresses and MT placeholders blanked out (their own checks cover them).

    Cached: half a dozen checks ask for the same text.  A pattern runs only where a character every
    match of it holds is in the text (most texts have no link, address or placeholder).
    """
    patterns = [pattern for hint, pattern in _LINK_HINTS if hint(text)]
    return blank_spans(text, patterns) if patterns else text


#: Each pattern :func:`without_links` blanks, with a test that is true of every text it matches.
_LINK_HINTS: tuple[tuple[Callable[[str], bool], re.Pattern[str]], ...] = (
    (lambda text: ":" in text or ("." in text and "www." in text.lower()), URL),  # "://", "mailto:" or "www."
    (lambda text: "@" in text, EMAIL),
    (lambda text: "{" in text or "\uff5b" in text, MT_PLACEHOLDER),
)
