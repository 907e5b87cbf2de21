"""Which UI messages a page can show, and a hash of just their translations: a UI edit rebuilds only what it touches.

A page is rendered again when anything it is made from changed (see
:mod:`polybrief.site.inputs`).  Counting the whole UI catalog as one input
made every edit of it, even of a string only the language indexes show
("All languages"), rebuild every page of the locale.  A page can show only
the messages its templates ask for, plus the few the renderer looks up
itself (:data:`~polybrief.rendering.filters.PROVENANCE_NOTES`), so a page's
input is the translations of those messages alone.

The messages are read from the parsed templates (never rendered) with
Jinja's own extractor, the one ``pybabel extract`` uses.  A template that
can read a message whose id is not written in it — ``_(variable)``, or a
gettext function passed around (``{% set t = _ %}``, ``map(_)``) — makes
the answer "any message": then the whole catalog counts, as before.  So an
entry that is missed can only be one no template names, which no page shows.
"""

from __future__ import annotations

import gettext
import hashlib
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .filters import PROVENANCE_NOTES

if TYPE_CHECKING:
    from jinja2 import nodes

__all__ = ["Message", "RENDERER_MESSAGES", "page_messages", "template_messages", "translations_digest"]

#: A message a page can show: its msgid, or ``[singular, plural]`` for ``ngettext``.
Message = str | list[str]

#: The functions through which a template reads UI messages (Jinja's ``GETTEXT_FUNCTIONS``).
_FUNCTIONS = frozenset(("_", "gettext", "ngettext", "pgettext", "npgettext"))

#: Messages the renderer itself looks up for every page (not named by a template).
RENDERER_MESSAGES: tuple[str, ...] = tuple(sorted(set(PROVENANCE_NOTES.values())))


def template_messages(parsed: nodes.Template) -> list[Message] | None:
    """The messages ``parsed`` can read, sorted; None when it can read messages not written in it.

    Every call of a gettext function must name its message (and an
    ``ngettext`` its plural) as a string literal, as ``{% trans %}`` blocks
    compile to; the values (``_("By {authors}", authors=...)``) may be anything.
    Templates it includes or imports are not followed: the caller unites the
    messages of every template of a page.
    """
    from jinja2 import nodes

    calls = [c for c in parsed.find_all(nodes.Call) if isinstance(c.node, nodes.Name) and c.node.name in _FUNCTIONS]
    names = sum(1 for n in parsed.find_all(nodes.Name) if n.name in _FUNCTIONS)
    if names != len(calls):  # a gettext function used other than by a call: it can be given any message
        return None
    found: set[str | tuple[str, str]] = set()
    for call in calls:
        assert isinstance(call.node, nodes.Name)
        wanted = 2 if call.node.name == "ngettext" else 1
        texts = [a.value for a in call.args[:wanted] if isinstance(a, nodes.Const) and isinstance(a.value, str)]
        if call.node.name not in ("_", "gettext", "ngettext") or len(texts) != wanted or call.dyn_args is not None:
            return None  # pgettext is not installed (the page fails anyway); _(variable), _(*args): any message
        found.add(texts[0] if wanted == 1 else (texts[0], texts[1]))
    return _sorted(found)


def page_messages(per_template: Iterable[list[Message] | None]) -> list[Message] | None:
    """The messages of a page whose templates read ``per_template`` (None if any can read any), with the
    renderer's own."""
    found: set[str | tuple[str, str]] = set(RENDERER_MESSAGES)
    for messages in per_template:
        if messages is None:
            return None
        found.update(m if isinstance(m, str) else (m[0], m[1]) for m in messages)
    return _sorted(found)


def translations_digest(translations: gettext.NullTranslations, messages: list[Message]) -> str:
    """A hash of what ``translations`` gives for ``messages``: each one's translation (every plural
    form of an ``ngettext`` message) and the catalog's plural rule, which picks the form shown."""
    catalog = getattr(translations, "_catalog", None) or {}
    info = getattr(translations, "_info", None) or {}
    forms: dict[str, list[tuple[int, str]]] = {}
    for key, value in catalog.items():
        if isinstance(key, tuple):
            forms.setdefault(key[0], []).append((key[1], value))
    shown = [[m, catalog.get(m)] if isinstance(m, str) else [m, sorted(forms.get(m[0], []))] for m in messages]
    data = {"plural-forms": info.get("plural-forms"), "messages": shown}
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _sorted(found: set[str | tuple[str, str]]) -> list[Message]:
    """Messages in a stable order (msgids, then ``ngettext`` pairs), as JSON keeps them."""
    return [m if isinstance(m, str) else list(m)
            for m in sorted(found, key=lambda m: (0, m, "") if isinstance(m, str) else (1, *m))]
