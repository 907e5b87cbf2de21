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
printf placeholders (``%(name)s``, ``%d``), ``str.format`` fields
(``{name}``, ``{0}``) and ``⟦…⟧`` markers; :func:`missing_markup` says which
of the source's occurrences the translation lacks, compared with inner white
space normalised (``{{total}}`` is ``{{ total }}``).
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["DEBRIS", "MARKUP", "debris", "missing_markup"]

#: Model and pipeline debris (see the module docstring).
DEBRIS = re.compile(
    r"⁇|\u2581|\ufffd|</?(?:unk|s|pad|mask)>|<\|[\w]{1,20}\|>|\w@@(?=\s|$)"
    r"|&(?:quot|amp|apos|lt|gt|nbsp|#\d{1,6}|#x[0-9a-fA-F]{1,6});",
    re.IGNORECASE,
)
#: Literal markup and template syntax a source may hold (see the module docstring).
MARKUP = re.compile(
    r"</?[A-Za-z][\w:-]*(?:\s+[^<>]*?)?\s*/?>"
    r"|\{\{.{0,80}?\}\}|\{%.{0,80}?%\}|\{#.{0,80}?#\}"
    r"|(?<![\w%])%(?:\(\w{1,30}\))?[-#0+]*\d*(?:\.\d+)?[sdifxXeEgGcr](?!\w)"
    r"|\{\w{0,30}\}|⟦[^⟧]{0,40}⟧",
)


def debris(source: str, target: str) -> list[str]:
    """Debris tokens of ``target`` that ``source`` does not have, each once, in order."""
    have = {m.group(0).lower() for m in DEBRIS.finditer(source)}
    found = [m.group(0) for m in DEBRIS.finditer(target) if m.group(0).lower() not in have]
    return list(dict.fromkeys(found))


def _key(token: str) -> str:
    return re.sub(r"\s+", "", token)


def missing_markup(source: str, target: str) -> list[str]:
    """Markup tokens of ``source`` that ``target`` has fewer of (as written in the source), each once."""
    wanted = Counter(_key(m.group(0)) for m in MARKUP.finditer(source))
    if not wanted:
        return []
    have = Counter(_key(m.group(0)) for m in MARKUP.finditer(target))
    shown = {_key(m.group(0)): m.group(0) for m in MARKUP.finditer(source)}
    return [shown[k] for k, n in wanted.items() if have.get(k, 0) < n]
