"""Tokens that must never reach readers, and markup that must survive translation.

Model debris
------------
A SentencePiece model writes ``⁇`` for a piece it cannot produce (what its
``<unk>`` id decodes to), and a detokeniser that failed leaves raw pieces:
the word-boundary mark ``▁`` (U+2581), control tokens such as ``<unk>``,
``<s>``, ``</s>`` and ``<pad>``, and subword-nmt's ``@@`` joiners.  An HTML
pipeline in front of a model leaves escaped entities (``&quot;``,
``&#39;``), and a text decoded with the wrong encoding leaves the
replacement character ``�``.  None of these belongs in a published brief
unless the source itself has it (a brief *about* tokenisers), so
:func:`debris` reports only what the source lacks.

Markup and templates
--------------------
Brief text is data: polybrief escapes it, so a ``<b>`` or ``{{ total }}``
in a source is *literal text* the author chose to show (an example, a quoted
template).  A translation that drops it changes what readers see.
:data:`MARKUP` finds HTML tags, Jinja expressions, statements and comments,
``str.format`` fields
(``{name}``, ``{0}``) and ``⟦…⟧`` markers; :func:`missing_markup` says which
of the source's occurrences the translation lacks, compared with inner white
space normalised (``{{total}}`` is ``{{ total }}``).
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["DEBRIS", "HTML_TAGS", "MARKUP", "debris", "debris_of", "markup_of", "missing_markup"]

#: Model and pipeline debris (see the module docstring).
DEBRIS = re.compile(
    r"⁇|\u2581|\ufffd|</?(?:unk|s|pad|mask)>|<\|[\w]{1,20}\|>|\w@@(?=\s|$)"
    r"|&(?:quot|amp|apos|lt|gt|nbsp|#\d{1,6}|#x[0-9a-fA-F]{1,6});",
    re.IGNORECASE,
)
#: Element names of HTML and Pango markup: ``<b>`` is markup, ``<All>`` or ``<setting>`` a label translators
#: translate (LibreOffice, nmcli).
HTML_TAGS = frozenset({
    "a", "abbr", "b", "big", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "font", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
    "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "tt", "u", "ul", "var",
})
#: Element names that are also words (``<header>`` and ``<footer>`` are LibreOffice labels): markup only with
#: attributes or as a closing tag.
_WORD_TAGS = ("section", "article", "header", "footer", "nav", "figure", "caption", "cite", "time", "meta", "link",
              "input", "label", "button", "form", "select", "option", "textarea", "iframe", "script", "style", "html",
              "body", "head", "title")
#: Literal markup and template syntax a source may hold (see the module docstring).
MARKUP = re.compile(
    r"</?(?:" + "|".join(sorted(HTML_TAGS, key=len, reverse=True)) + r")(?:\s+[^<>]*?)?\s*/?>"
    r"|</(?:" + "|".join(_WORD_TAGS) + r")>|<(?:" + "|".join(_WORD_TAGS) + r")\s+[^<>]*?/?>"
    r"|\{\{.{0,80}?\}\}|\{%.{0,80}?%\}|\{#.{0,80}?#\}"
    r"|\{(?:\d{1,3}|[a-z_][a-z0-9_]{0,29})?\}|⟦[^⟧]{0,40}⟧",
)


#: A character (or pair) every debris token starts with or holds: no such character, no debris.  Looked for
#: one by one with ``in`` (a search in C each), cheaper than one pattern tried at every character.
def _debris_hint(text: str) -> bool:
    return "<" in text or "&" in text or "\ufffd" in text or "\u2581" in text or "\u2047" in text or "@@" in text
#: A character every markup token starts with.
_MARKUP_HINT = re.compile("[<{\u27e6]")


def debris_of(text: str) -> frozenset[str]:
    """The debris tokens of ``text``, lower-cased."""
    if not _debris_hint(text):
        return frozenset()
    return frozenset(m.group(0).lower() for m in DEBRIS.finditer(text))


def debris(source: str, target: str, *, source_tokens: frozenset[str] | None = None) -> list[str]:
    """Debris tokens of ``target`` that ``source`` does not have, each once, in order
    (``source_tokens``: :func:`debris_of` the source, when known)."""
    if not _debris_hint(target):
        return []
    have = debris_of(source) if source_tokens is None else source_tokens
    found = [m.group(0) for m in DEBRIS.finditer(target) if m.group(0).lower() not in have]
    return list(dict.fromkeys(found))


def _key(token: str) -> str:
    return re.sub(r"\s+", "", token)


def markup_of(text: str) -> tuple[Counter[str], dict[str, str]]:
    """The markup tokens of ``text``: how many of each (white space aside), and each as written."""
    if not _MARKUP_HINT.search(text):
        return Counter(), {}
    tokens = [m.group(0) for m in MARKUP.finditer(text)]
    return Counter(_key(t) for t in tokens), {_key(t): t for t in tokens}


def missing_markup(source: str, target: str, *,
                   source_markup: tuple[Counter[str], dict[str, str]] | None = None) -> list[str]:
    """Markup tokens of ``source`` that ``target`` has fewer of (as written in the source), each once
    (``source_markup``: :func:`markup_of` the source, when known)."""
    wanted, shown = markup_of(source) if source_markup is None else source_markup
    if not wanted:
        return []
    have = Counter(_key(m.group(0)) for m in MARKUP.finditer(target))
    return [shown[k] for k, n in wanted.items() if have.get(k, 0) < n]
