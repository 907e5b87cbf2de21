"""``_()`` and ``ngettext()`` for templates: UI strings are data too (see :mod:`polybrief.rendering`,
"UI messages: whole phrases with named placeholders" and "UI strings are data too")."""

from __future__ import annotations

import gettext
import re
from collections.abc import Mapping
from typing import Any

from ..cldr import LocaleInfo
from ..controls import neutralise_controls
from ..provenance import Segment
from .text import Clean

#: A ``%(name)s`` placeholder (Jinja's newstyle gettext), as opposed to polybrief's ``{name}``.
_PERCENT_FIELD = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def _has_letters(message: str) -> bool:
    """Whether a message has words outside its placeholders (``{place}, {date}`` has none)."""
    return any(ch.isalpha() for ch in _PERCENT_FIELD.sub("", re.sub(r"\{\w*\}", "", message)))


class UiMessages:
    """``_()`` and ``ngettext()`` for one locale's templates (see the module docstring)."""

    def __init__(self, translations: gettext.NullTranslations, locale: LocaleInfo) -> None:
        self.translations = translations
        self.locale = locale
        # GNUTranslations keeps the compiled catalog as ``_catalog`` (msgid -> msgstr, (msgid, n) -> form);
        # gettext() cannot say whether it fell back, and only a fallback is marked as English.
        self._catalog: Mapping[Any, str] = getattr(translations, "_catalog", None) or {}
        self.english = locale.language == "en"
        self._shapes: dict[str, tuple[bool, bool]] = {}  # message -> (%(name)s style, has words)
        # Memos: one environment renders many pages with the same few dozen UI strings.
        self._found: dict[str, str] = {}  # msgid -> translation (or the msgid)
        self._cleaned: dict[tuple[str, bool], Any] = {}  # (translation, html?) -> neutralised (and escaped)
        self._fixed: dict[tuple[str, bool], Any] = {}  # (msgid, html?) -> the finished message without values
        from markupsafe import Markup, escape

        self._markup, self._escape = Markup, escape

    def _shape(self, text: str) -> tuple[bool, bool]:
        shape = self._shapes.get(text)
        if shape is None:
            shape = self._shapes[text] = (bool(_PERCENT_FIELD.search(text)), _has_letters(text))
        return shape

    def gettext(self, eval_ctx: Any, message: str, **values: Any) -> Any:
        if not values:  # a fixed UI string: the same result on every page of this environment
            key = (message, eval_ctx.autoescape)
            done = self._fixed.get(key)
            if done is None:
                done = self._fixed[key] = self._fill(eval_ctx, self._lookup(message), {}, message not in self._catalog)
            return done
        return self._fill(eval_ctx, self._lookup(message), values, message not in self._catalog)

    def _lookup(self, message: str) -> str:
        text = self._found.get(message)
        if text is None:
            text = self._found[message] = self.translations.gettext(message)
        return text

    def ngettext(self, eval_ctx: Any, singular: str, plural: str, n: int, **values: Any) -> Any:
        fallback = (singular, 0) not in self._catalog
        text = self.translations.ngettext(singular, plural, n)
        # {num} is the count in the locale's digits; a %(num)d message (a user's older template) gets the int.
        values.setdefault("num", n if self._shape(text)[0] else self.locale.format_number(n))
        return self._fill(eval_ctx, text, values, fallback)

    def _shown(self, text: str, html: bool) -> Any:
        """A translation as data: controls neutralised, and escaped in HTML (no markup, no bidi overrides)."""
        key = (text, html)
        shown = self._cleaned.get(key)
        if shown is None:
            if html:
                shown = self._cleaned[key] = self._escape(neutralise_controls(text))
            else:
                shown = self._cleaned[key] = neutralise_controls(text)
        return shown

    def _fill(self, eval_ctx: Any, text: str, values: dict[str, Any], fallback: bool) -> Any:
        percent, words = self._shape(text)  # percent: %(name)s, a user's template written for Jinja's newstyle
        if not eval_ctx.autoescape:
            text = self._shown(text, False)
            if not values:
                return Clean(text)
            plain = {k: v if isinstance(v, int) else v.shown if type(v) is Segment else neutralise_controls(str(v))
                     for k, v in values.items()}
            return Clean(text % plain if percent else text.format_map(plain))
        Markup, escape = self._markup, self._escape

        frame = fallback and not self.english and words
        args: dict[str, Any] = {}
        for key, value in values.items():
            if isinstance(value, int) and percent:
                args[key] = value
                continue
            if not hasattr(value, "__html__"):
                value = escape(value.shown if type(value) is Segment else neutralise_controls(str(value)))
            if frame:
                value = Markup('<bdi lang="{}" dir="{}">{}</bdi>').format(self.locale.tag, self.locale.direction, value)
            args[key] = value
        html = self._shown(text, True)
        if values:
            html = html % args if percent else Markup(str(html).format_map(args))
        if frame:
            direction = ' dir="ltr"' if self.locale.direction != "ltr" else ""
            html = Markup(f'<span lang="en"{direction}>') + html + Markup("</span>")
        return html
