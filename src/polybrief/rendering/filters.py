"""What templates call besides ``_()``: ``finalize``, the ``bidi``, ``fill``, ``wrap``, ``href``,
``mark``, ``join_list`` and ``quoted`` filters, and the ``seg_attrs`` and ``marker`` globals (see
:mod:`polybrief.rendering`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..bidi import Direction, has_rtl, isolate_html
from ..cldr import LocaleInfo, primary_subtag
from ..controls import CONTROL_OR_RTL, has_control_or_rtl, neutralise_controls
from ..fields import COUNT_PLACEHOLDER
from ..provenance import Provenance, Segment
from .text import TEXT_WIDTH, wrap_text

__all__ = ["TEXT_MARKS", "PROVENANCE_NOTES", "safe_href"]


def N_(message: str) -> str:
    """Mark ``message`` for extraction into the UI template (translated where it is shown)."""
    return message

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


#: What a screen reader is told before each unreviewed passage of a translated page (the legend's
#: underlines are only visual); in the page's language, hidden from sight (class ``visually-hidden``).
PROVENANCE_NOTES: dict[Provenance, str] = {
    Provenance.DRAFT: N_("Translator's draft, not reviewed:"),
    Provenance.MACHINE_DRAFT: N_("Machine translation draft, not reviewed:"),
    Provenance.MACHINE: N_("Translated by machine, not reviewed:"),
    Provenance.SOURCE: N_("Not translated, in the original language:"),
}


def bidi_filter(page: LocaleInfo, direction_of: Callable[[str], str],
                note: Callable[[Provenance], Any] | None = None) -> Any:
    """``{{ text|bidi }}``: escaped text with runs of the other direction isolated.

    The direction is the segment's own (its ``lang``), or the page's for plain strings
    and when ``lang`` names none.  An unreviewed segment of a translated page starts with
    ``note(provenance)``, text a screen reader announces (:data:`PROVENANCE_NOTES`)."""
    import jinja2
    from markupsafe import Markup, escape

    rtl_of: dict[str, bool] = {page.tag: page.direction == "rtl"}  # per language tag, looked up once
    own_language: dict[str, bool] = {}  # per language tag: whether it is the page's language

    def announced(segment: Segment) -> bool:
        """Whether ``segment`` is an unreviewed passage of a translated page (not the original's own text)."""
        if not segment.disclosed:
            return False
        if segment.provenance is not Provenance.SOURCE:
            return True
        own = own_language.get(segment.lang)
        if own is None:
            own = own_language[segment.lang] = primary_subtag(segment.lang) == page.language
        return not own

    @jinja2.pass_eval_context
    def bidi(eval_ctx: Any, value: Any, lang: str | None = None) -> Any:
        if hasattr(value, "__html__"):
            return value
        segment = type(value) is Segment
        if not eval_ctx.autoescape:
            return value.shown if segment else neutralise_controls(str(value))
        html = _isolated(value, segment, lang)
        if segment and note is not None and announced(value):
            return note(value.provenance) + html
        return html

    def _isolated(value: Any, segment: bool, lang: str | None) -> Any:
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


def note_function(page: LocaleInfo, direction_of: Callable[[str], str],
                  translate: Callable[[str], Any]) -> Callable[[Provenance], Any]:
    """The hidden note before an unreviewed passage: :data:`PROVENANCE_NOTES` through ``translate`` (the
    page's UI messages), in the page's language and direction, made once per kind."""
    from markupsafe import Markup

    made: dict[Provenance, Any] = {}

    def note(kind: Provenance) -> Any:
        html = made.get(kind)
        if html is None:
            html = made[kind] = Markup('<span class="visually-hidden" lang="{}" dir="{}">{} </span>').format(
                page.tag, page.direction, translate(PROVENANCE_NOTES[kind]))
        return html

    return note


def fill_filter(bidi: Any) -> Any:
    """``{{ phrase|fill(count=number) }}``: a figure phrase with ``{count}`` replaced by the number
    (markup in HTML); the phrase's own text is escaped and isolated piece by piece."""
    import jinja2
    from markupsafe import Markup

    @jinja2.pass_eval_context
    def fill(eval_ctx: Any, value: Any, count: Any = "") -> Any:
        segment = isinstance(value, Segment)
        lang = value.lang if segment else None
        pieces = str(value).split(COUNT_PLACEHOLDER)
        if not eval_ctx.autoescape:
            return str(count).join(neutralise_controls(piece) for piece in pieces)
        if segment:  # its note, if any, once before the whole phrase
            pieces[0] = value.with_text(pieces[0])
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
    Provenance.SOURCE: "\u25ca",         # ◊ not yet translated (not "*": the text's list items start with "* ")
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
    import jinja2

    @jinja2.pass_context
    def mark(context: Any, value: Any) -> Any:
        """``{{ segment|mark }}``: the segment with its plain-text mark appended (still a Segment, so
        ``wrap`` knows its language)."""
        sign = _text_mark(context, value)
        return value.with_text(value.text + sign) if sign else value

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


def quoted_filter(page: LocaleInfo) -> Any:
    """``{{ text|quoted }}``: ``text`` in the locale's quotation marks (:meth:`~polybrief.cldr.QuotationMarks.quote`:
    a sentence's closing punctuation inside or outside them as the locale writes it); a segment stays a
    segment, so ``bidi`` still knows its language and provenance."""

    def quoted(value: Any, nested: bool = False) -> Any:
        text = page.quotes.quote(str(value), nested=nested)
        return value.with_text(text) if isinstance(value, Segment) else text

    return quoted
