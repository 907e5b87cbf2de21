"""``_()`` and ``ngettext()`` for templates: UI strings are data too (see :mod:`polybrief.rendering`,
"UI messages: whole phrases with named placeholders" and "UI strings are data too").

A message the locale's catalog lacks is shown in English, and only its own
words are marked as English: each run of words of the message's text (not
its values) becomes ``<span lang="en">`` (with ``dir="ltr"`` on a
right-to-left page), and the values between them stay in the page's
language and direction.  Wrapping the whole message in an English,
left-to-right span put a reviewed Persian item inside it: its label went to
the left end of the line and "(Source: …)" before the end of its sentence.
The punctuation around those words is the locale's where its script has
its own (the Arabic comma, semicolon and question mark on an Arabic-script
page), so a fallback "{place}, {date}" reads "گوریس، ۳۰ سپتامبر".
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Mapping
from typing import Any

from ..cldr import LocaleInfo
from ..controls import neutralise_controls
from ..provenance import Segment
from ..text.scripts import locale_script
from .text import Clean

#: Punctuation of scripts that have their own, for the text of an English fallback (see the module docstring).
_SCRIPT_PUNCTUATION: dict[str, dict[str, str]] = {
    "Arab": {",": "،", ";": "؛", "?": "؟"},
}
#: A ``{name}`` placeholder and the text between two of them.
_FIELD = re.compile(r"(\{\w*\})")
#: A run of words in a fallback's text: from a letter to a letter (what is marked as English).
_WORDS = re.compile(r"[^\W\d_](?:.*[^\W\d_])?", re.DOTALL)


class _HtmlContext:
    """What :meth:`UiMessages.html` passes for Jinja's evaluation context: autoescaped output."""

    autoescape = True


_HTML = _HtmlContext()


def locale_punctuation(locale: LocaleInfo) -> dict[str, str]:
    """ASCII punctuation and what ``locale``'s script writes instead (empty: the same)."""
    return _SCRIPT_PUNCTUATION.get(locale_script(locale) or "", {})

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
        self._punctuation = str.maketrans(locale_punctuation(locale)) if not self.english else {}
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

    def html(self, message: str) -> Any:
        """``message`` translated as HTML, outside a template (a fallback's words marked English)."""
        return self.gettext(_HTML, message)

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
        if fallback and self._punctuation and not percent:
            text = self._page_punctuation(text)
        if not eval_ctx.autoescape:
            return self._plain(text, values, percent)
        frame = fallback and not self.english and words
        args = self._html_values(values, percent, frame)
        if frame and not percent:
            return self._english_words(text, args)
        html = self._shown(text, True)
        if values:
            html = html % args if percent else self._markup(str(html).format_map(args))
        if frame:  # a user's %(name)s message: framed whole, its values isolated in the page's language
            direction = ' dir="ltr"' if self.locale.direction != "ltr" else ""
            html = self._markup(f'<span lang="en"{direction}>') + html + self._markup("</span>")
        return html

    def _plain(self, text: str, values: dict[str, Any], percent: bool) -> Clean:
        """A message filled in for the text output (neutralised, nothing escaped)."""
        text = self._shown(text, False)
        if not values:
            return Clean(text)
        plain = {k: v if isinstance(v, int) else v.shown if type(v) is Segment else neutralise_controls(str(v))
                 for k, v in values.items()}
        return Clean(text % plain if percent else text.format_map(plain))

    def _html_values(self, values: dict[str, Any], percent: bool, frame: bool) -> dict[str, Any]:
        """Each value as markup (escaped and neutralised unless it is markup already); in a user's framed
        ``%(name)s`` fallback, isolated again in the page's language."""
        Markup, escape = self._markup, self._escape
        args: dict[str, Any] = {}
        for key, value in values.items():
            if isinstance(value, int) and percent:
                args[key] = value
                continue
            if not hasattr(value, "__html__"):
                value = escape(value.shown if type(value) is Segment else neutralise_controls(str(value)))
            if frame and percent:
                value = Markup('<bdi lang="{}" dir="{}">{}</bdi>').format(self.locale.tag, self.locale.direction, value)
            args[key] = value
        return args

    def _page_punctuation(self, text: str) -> str:
        """A fallback's punctuation between its parts in the page's script (the words' own stay English)."""
        out: list[str] = []
        for piece in _FIELD.split(text):
            if _FIELD.fullmatch(piece):
                out.append(piece)
                continue
            pos = 0
            for match in _WORDS.finditer(piece):
                out.append(piece[pos:match.start()].translate(self._punctuation))
                out.append(match.group())
                pos = match.end()
            out.append(piece[pos:].translate(self._punctuation))
        return "".join(out)

    def _english_words(self, text: str, args: dict[str, Any]) -> Any:
        """A fallback message with each run of its own words marked English (see the module docstring)."""
        Markup = self._markup
        direction = ' dir="ltr"' if self.locale.direction != "ltr" else ""
        out: list[str] = []
        for piece in _FIELD.split(text):
            if _FIELD.fullmatch(piece):
                out.append(str(args[piece[1:-1]]) if piece[1:-1] in args else str(self._shown(piece, True)))
                continue
            pos = 0
            for match in _WORDS.finditer(piece):
                out.append(str(self._shown(piece[pos:match.start()], True)))
                out.append(f'<span lang="en"{direction}>{self._shown(match.group(), True)}</span>')
                pos = match.end()
            out.append(str(self._shown(piece[pos:], True)))
        return Markup("".join(out))
