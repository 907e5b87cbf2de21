"""What templates call besides ``_()``: ``finalize``, the ``bidi``, ``fill``, ``wrap``, ``href`` and
``mark`` filters, and the ``seg_attrs`` and ``marker`` globals (see :mod:`polybrief.rendering`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..bidi import Direction, has_rtl, isolate_html
from ..cldr import LocaleInfo
from ..controls import CONTROL_OR_RTL, has_control_or_rtl, neutralise_controls
from ..fields import COUNT_PLACEHOLDER
from ..provenance import Provenance, Segment
from .text import TEXT_WIDTH, wrap_text

__all__ = ["TEXT_MARKS", "safe_href"]

#: A character that makes :func:`neutralise_controls` or bidi isolation do something.
_CONTROL_OR_RTL = CONTROL_OR_RTL

#: Printable ASCII that may stand in a URL as it is; everything else is percent-encoded.
_HREF_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"<>\\^`{|}')


def safe_href(url: object) -> str:
    """``url`` ready for an ``href``: characters URLs may not hold (``"<>`` spaces, controls,
    bidi and other invisible format characters) percent-encoded as UTF-8; existing ``%xx``
    escapes and printable non-ASCII letters (IRIs such as ``https://пример.рф/``) kept.

    The brief model already refuses every scheme but http, https and mailto;
    this makes what it lets through a valid URL, so a hostile ``"><script>``
    in a query string is neither markup (autoescape sees to that) nor an
    invalid attribute value.
    """
    from urllib.parse import quote

    return "".join(
        ch if ch in _HREF_SAFE or (ord(ch) > 0x7F and ch.isprintable()) else quote(ch, safe="")
        for ch in str(url)
    )


def finalize(value: Any) -> Any:
    """Jinja ``finalize``: neutralise every string a template prints (Markup is ours: kept).

    A segment was neutralised once, when it was made (:attr:`Segment.shown`)."""
    if type(value) is str:  # the common case first: UI labels, dates, numbers
        return neutralise_controls(value)
    if type(value) is Segment:
        return value.shown
    return value  # Markup (``__html__``) and numbers pass as they are


def segment_attr_writer(page_lang: str, page_dir: str, direction_of: Callable[[str], str]) -> Any:
    """``seg_attrs(segment)`` for one page language, memoised per (provenance, lang, models):
    a page has hundreds of segments but only a handful of distinct attribute strings."""
    cache: dict[tuple[Provenance, str, tuple[str, ...], bool], Any] = {}

    def seg_attrs(segment: Segment | None) -> Any:
        if segment is None:
            return _segment_attrs(None, page_lang, page_dir, direction_of)
        key = (segment.provenance, segment.lang, segment.models, segment.proper_name)
        attrs = cache.get(key)
        if attrs is None:
            attrs = cache[key] = _segment_attrs(segment, page_lang, page_dir, direction_of)
        return attrs

    return seg_attrs


def _segment_attrs(segment: Segment | None, page_lang: str, page_dir: str, direction_of: Callable[[str], str]) -> Any:
    """HTML attributes marking a segment's provenance (and its language when it differs)."""
    from markupsafe import Markup, escape

    if segment is None:
        return Markup("")
    attrs = f' data-provenance="{escape(segment.provenance.value)}"'
    if segment.lang != page_lang:
        attrs += f' lang="{escape(segment.lang)}"'
        seg_dir = direction_of(segment.lang)
        if seg_dir != page_dir:
            attrs += f' dir="{seg_dir}"'
    if segment.is_machine and segment.model:
        attrs += f' data-model="{escape(segment.model)}"'
    if segment.proper_name:
        attrs += ' data-name=""'  # shown as written: not disclosed as an untranslated passage
    return Markup(attrs)


def bidi_filter(page: LocaleInfo, direction_of: Callable[[str], str]) -> Any:
    """``{{ text|bidi }}``: escaped text with runs of the other direction isolated.

    The direction is the segment's own (its ``lang``), or the page's for plain strings
    and when ``lang`` names none."""
    import jinja2
    from markupsafe import Markup, escape

    rtl_of: dict[str, bool] = {page.tag: page.direction == "rtl"}  # per language tag, looked up once

    @jinja2.pass_eval_context
    def bidi(eval_ctx: Any, value: Any, lang: str | None = None) -> Any:
        if hasattr(value, "__html__"):
            return value
        segment = type(value) is Segment
        if not eval_ctx.autoescape:
            return value.shown if segment else neutralise_controls(str(value))
        text = value.text if segment else str(value)
        tag = lang or (value.lang if segment else page.tag)
        rtl = rtl_of.get(tag)
        if rtl is None:
            rtl = rtl_of[tag] = direction_of(tag) == "rtl"
        if not rtl and (value.plain if segment else not has_control_or_rtl(text)):
            return escape(text)  # the common case: left-to-right text on a left-to-right page
        text = neutralise_controls(text)
        if not rtl and not has_rtl(text):
            return escape(text)
        return Markup(isolate_html(text, "rtl" if rtl else "ltr"))

    return bidi


def fill_filter(bidi: Any) -> Any:
    """``{{ phrase|fill(count=number) }}``: a figure phrase with ``{count}`` replaced by the number
    (markup in HTML); the phrase's own text is escaped and isolated piece by piece."""
    import jinja2
    from markupsafe import Markup

    @jinja2.pass_eval_context
    def fill(eval_ctx: Any, value: Any, count: Any = "") -> Any:
        lang = value.lang if isinstance(value, Segment) else None
        pieces = str(value).split(COUNT_PLACEHOLDER)
        if not eval_ctx.autoescape:
            return str(count).join(neutralise_controls(piece) for piece in pieces)
        return Markup(count if hasattr(count, "__html__") else bidi(eval_ctx, count)).join(
            bidi(eval_ctx, piece, lang) for piece in pieces)

    return fill


def wrap_filter(page: LocaleInfo, direction_of: Callable[[str], str], max_token: int) -> Any:
    """``{{ text|wrap(...) }}``: :func:`wrap_text`, each line marked with its paragraph's direction
    on right-to-left pages and for right-to-left paragraphs (a segment's language, else the page's)."""
    directions: dict[str, str] = {page.tag: page.direction}
    page_rtl = page.direction == "rtl"

    def wrap(value: Any, width: int = TEXT_WIDTH, indent: str = "", first_indent: str | None = None) -> str:
        tag = value.lang if isinstance(value, Segment) else page.tag
        direction = directions.get(tag)
        if direction is None:
            direction = directions[tag] = direction_of(tag)
        mark: Direction | None = None
        if page_rtl or direction == "rtl":
            mark = "rtl" if direction == "rtl" else "ltr"
        return wrap_text(value, width, indent, first_indent, mark=mark, max_token=max_token)

    return wrap


#: How plain text marks each kind of unreviewed passage (HTML marks them with underlines).
TEXT_MARKS: dict[Provenance, str] = {
    Provenance.DRAFT: "\u2020",          # † a translator's draft
    Provenance.MACHINE_DRAFT: "\u2021",  # ‡ a machine draft from the catalog
    Provenance.MACHINE: "\u00a7",        # § machine translation made for this page
    Provenance.SOURCE: "*",              # * not yet translated
}


def _text_mark(context: Any, value: Any) -> str:
    brief = context.get("brief")
    if not isinstance(value, Segment) or not value.disclosed or brief is None or getattr(brief, "is_original", True):
        return ""
    return TEXT_MARKS.get(value.provenance, "")


def marker_function() -> Any:
    import jinja2

    @jinja2.pass_context
    def marker(context: Any, value: Any) -> str:
        """``{{ marker(segment) }}``: the plain-text mark of an unreviewed segment (empty otherwise)."""
        return _text_mark(context, value)

    return marker


def mark_function() -> Any:
    import dataclasses

    import jinja2

    @jinja2.pass_context
    def mark(context: Any, value: Any) -> Any:
        """``{{ segment|mark }}``: the segment with its plain-text mark appended (still a Segment, so
        ``wrap`` knows its language)."""
        sign = _text_mark(context, value)
        return dataclasses.replace(value, text=value.text + sign) if sign else value

    return mark


def join_list_filter(page: LocaleInfo) -> Any:
    """``{{ names|join_list }}``: items joined by the locale's CLDR list pattern ("A, B and C", "A, B և C").

    In HTML each item is escaped (markup we made is kept) and so is the pattern's own text; the result
    is markup.  The items are placed after CLDR has joined placeholders, so no item is ever read as a
    pattern."""
    from babel.lists import format_list
    from markupsafe import Markup, escape

    def join_list(context_items: Any) -> Any:
        items = list(context_items)
        if not items:
            return ""
        holders = [f"\x00{n}\x00" for n in range(len(items))]
        joined = format_list(holders, locale=page.babel)
        if any(hasattr(item, "__html__") for item in items):
            out = str(escape(joined))
            for holder, item in zip(holders, items):
                out = out.replace(holder, str(escape(item)))
            return Markup(out)
        for holder, item in zip(holders, items):
            joined = joined.replace(holder, str(item))
        return joined

    return join_list
