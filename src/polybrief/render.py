"""Rendering localised briefs through Jinja2 templates, to HTML and plain text.

One :class:`jinja2.Environment` per locale, built by a factory and never
mutated afterwards: Jinja's ``overlay()`` shares globals, so installing "ru"
translations on one overlay and "hy" on another would make both render
Armenian.  Brief content is passed as data and autoescaped in HTML; it is
never compiled as a template.

Invisible control characters in content
---------------------------------------
Brief text comes from editors, translators and machine translation, and may
carry characters that change how *other* text is displayed.  Every string a
template outputs goes through :func:`neutralise_controls` (the environment's
``finalize``, and :func:`wrap_text` before measuring), in HTML and text alike:

* explicit bidi embeddings, overrides and isolates (U+202A–U+202E,
  U+2066–U+2069) are shown as ``<U+202E>`` instead of being obeyed.  An
  override reverses characters — it can make a casualty figure "120" read
  "021" while every check still sees "120" — and an unterminated one leaks
  into the text after its segment (in plain text, to the end of the line; in
  HTML, across inline elements).  Escaping them visibly stops both and shows
  reviewers that something odd was in the source, which silently deleting
  would hide.  Markup gives direction in HTML (``lang``/``dir`` per segment),
  so legitimate content never needs these characters.
* U+FEFF (a stray byte-order mark), C0/C1 control characters other than tab
  and newline (a terminal escape sequence in a ``.txt`` page, a carriage
  return that overwrites a line, NUL) and Unicode noncharacters are shown the
  same way; HTML forbids most of them anyway.
* the marks scripts need are kept as they are: LRM/RLM/ALM (U+200E, U+200F,
  U+061C) fix neutral characters in Arabic and Persian text, ZWNJ (U+200C) is
  part of Persian spelling, ZWJ (U+200D) of emoji and Indic scripts, and ZWSP
  (U+200B) marks line-break opportunities in Thai or Khmer.  None of them can
  reorder text beyond its neighbours.

The isolates and marks polybrief adds itself (:mod:`polybrief.bidi`) are
added after neutralising, so they are the only ones a page holds.

UI messages: whole phrases with named placeholders
--------------------------------------------------
Every UI string that combines parts is one message with ``{name}``
placeholders (``{label}: {text}``, ``Published: {datetime}``,
``(Source: {name})``), so a translator can reorder the parts and choose the
punctuation: no separator between localised parts is written by a template.
``_()`` and ``ngettext()`` fill them with ``str.format`` semantics after
looking the message up; in HTML the message is escaped and every value not
already markup is escaped and neutralised.  ``{name}`` rather than
``%(name)s`` because Babel marks any msgid with ``%`` and a letter as
``python-format`` (and ``msgfmt --check`` then rejects "84,5 %"), and
because the values are markup that must not be escaped twice.  ``{num}``
in a plural message is the count in the locale's digits.

A message the locale's catalog lacks falls back to English.  In HTML such
a fallback is marked ``lang="en"`` (and ``dir="ltr"`` on a right-to-left
page, which isolates it), and each value inside it is isolated again in the
page's language and direction, so "Published: ۳۰ سپتامبر ۲۰۲۳" reads in
order on a Persian page.  A message without words (``{place}, {date}``)
has nothing to mark and is used as it is.

UI strings are data too
-----------------------
Translators write ``polybrief.po`` as they write brief catalogs, so its
strings are treated like brief content: Jinja's new-style ``gettext`` would
mark whatever the catalog returns as safe markup, letting a ``<script>`` in
a UI catalog reach the page raw (and a U+202E past ``finalize``, which
leaves markup alone).  ``_UiMessages`` neutralises controls in every
translation and escapes it in HTML before filling in the values.

Templates, unlike content, are trusted code: Jinja runs them with the
rights of the process.  ``Project(sandboxed_templates=True)``
(``--sandbox-templates``) renders them in :class:`jinja2.sandbox.SandboxedEnvironment`
for templates from elsewhere.

Long words
----------
Both wrappers behind :func:`wrap_text` are quadratic in the longest unbroken
word (wcwidth: 80,000 characters took 30 s; the stdlib: 4 MB took 3 s), so
runs longer than ``Limits.wrap_token_chars`` are cut into line-sized pieces
first, in linear time.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .bidi import Direction, has_rtl, isolate_html, mark_lines
from .cldr import LocaleInfo
from .controls import CONTROL_OR_RTL, VISIBLE_CONTROLS, neutralise_controls
from .errors import PolybriefError, TemplateError
from .fields import COUNT_PLACEHOLDER
from .limits import DEFAULT_LIMITS
from .provenance import Provenance, Segment
from .resources import builtin_templates_dir

if TYPE_CHECKING:
    import jinja2

    from .catalogs.ui import UiCatalogs
    from .localise import LocalisedBrief
    from .project import Project

__all__ = ["Renderer", "Alternate", "OutputFormat", "TEMPLATE_NAMES", "TEXT_MARKS", "wrap_text", "neutralise_controls",
           "safe_href"]

OutputFormat = Literal["html", "text"]
TEMPLATE_NAMES: dict[str, str] = {"html": "brief.html.j2", "text": "brief.txt.j2"}
TEXT_WIDTH = 72


@dataclass(frozen=True, slots=True)
class Alternate:
    """Another language version of the same brief, for ``hreflang`` links.

    ``href`` is relative (``../hy/<id>.html``: works from a folder, a file
    system or any host); ``url`` is the absolute address when the site has a
    base URL (``--base-url``), for canonical and ``hreflang`` links.
    """

    tag: str
    name: str
    href: str
    current: bool = False
    url: str | None = None


#: Characters shown as ``<U+XXXX>`` rather than output (see the module docstring).
_VISIBLE_CONTROLS = VISIBLE_CONTROLS


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


class _Clean(str):
    """A UI message already filled in and neutralised (plain text): ``finalize`` and ``wrap`` take it as
    it is.  Any operation on it gives a plain ``str`` again, which is neutralised as usual."""

    __slots__ = ()


def _finalize(value: Any) -> Any:
    """Jinja ``finalize``: neutralise every string a template prints (Markup is ours: kept).

    A segment was neutralised once, when it was made (:attr:`Segment.shown`)."""
    if type(value) is str:  # the common case first: UI labels, dates, numbers
        return neutralise_controls(value)
    if type(value) is Segment:
        return value.shown
    return value  # Markup (``__html__``) and numbers pass as they are


#: Text whose every character takes exactly one terminal cell: printable Latin (with its
#: precomposed letters), Greek, Cyrillic (without its combining marks U+0483–U+0489),
#: Armenian, Georgian, and general punctuation, spaces and currency signs.  No combining,
#: zero-width or wide characters, so ``len`` equals the display width.
_ONE_CELL_TEXT = re.compile(
    "[\u0020-\u007e\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0377\u037a-\u03ff\u0400-\u0482\u048a-\u052f"
    "\u0531-\u0556\u0559-\u058a\u10a0-\u10ff\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\n]*\\Z"
)


def _cut_long_words(text: str, longest: int, piece: int) -> str:
    """``text`` with every run of more than ``longest`` non-space characters cut into
    ``piece``-character parts separated by spaces (so each part fills a line of its own)."""
    return re.sub(r"\S{%d,}" % (longest + 1),
                  lambda m: " ".join(m.group()[i:i + piece] for i in range(0, len(m.group()), piece)), text)


def wrap_text(text: object, width: int = TEXT_WIDTH, indent: str = "", first_indent: str | None = None,
              *, mark: Direction | None = None, max_token: int = DEFAULT_LIMITS.wrap_token_chars) -> str:
    """Wrap ``text`` at ``width`` terminal cells, counting wide and combining
    characters correctly in every script (wcwidth, not ``len``).  Control
    characters are neutralised first so the markers count towards the width.
    Words longer than ``max_token`` characters are cut into line-sized pieces
    first (see the module docstring).

    ``mark`` starts every line with RLM (``"rtl"``) or LRM (``"ltr"``), so
    each wrapped line of the paragraph displays in its direction.

    The result is neutralised as a whole (the indents too, which a template
    may take from data), so ``finalize`` takes it as it is."""
    if mark is not None:
        return _Clean(mark_lines(wrap_text(text, width, indent, first_indent, max_token=max_token), mark))
    if isinstance(text, Segment):
        text = text.shown
    elif type(text) is not _Clean:
        text = neutralise_controls(str(text))
    assert isinstance(text, str)
    indent = neutralise_controls(str(indent))
    first = indent if first_indent is None else neutralise_controls(str(first_indent))
    if len(text) > max_token:
        text = _cut_long_words(text, max_token, max(1, width - max(len(indent), len(first))))
    if _ONE_CELL_TEXT.match(text) and _ONE_CELL_TEXT.match(first) and _ONE_CELL_TEXT.match(indent):
        # Every character is one cell wide, so len() is the width: the stdlib wrapper
        # gives the same lines several times faster (the benchmark's text-render row).
        import textwrap

        lines = textwrap.wrap(text, width, initial_indent=first, subsequent_indent=indent,
                              break_on_hyphens=False)
    else:
        import wcwidth

        lines = wcwidth.wrap(text, width, initial_indent=first, subsequent_indent=indent,
                             break_on_hyphens=False, control_codes="ignore")
    return _Clean("\n".join(lines))


def _segment_attr_writer(page_lang: str, page_dir: str, direction_of: Callable[[str], str]) -> Any:
    """``seg_attrs(segment)`` for one page language, memoised per (provenance, lang, model):
    a page has hundreds of segments but only a handful of distinct attribute strings."""
    cache: dict[tuple[Provenance, str, str | None, bool], Any] = {}

    def seg_attrs(segment: Segment | None) -> Any:
        if segment is None:
            return _segment_attrs(None, page_lang, page_dir, direction_of)
        key = (segment.provenance, segment.lang, segment.model, segment.proper_name)
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


#: A character that makes :func:`neutralise_controls` or bidi isolation do something.
_CONTROL_OR_RTL = CONTROL_OR_RTL

#: A ``%(name)s`` placeholder (Jinja's newstyle gettext), as opposed to polybrief's ``{name}``.
_PERCENT_FIELD = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def _has_letters(message: str) -> bool:
    """Whether a message has words outside its placeholders (``{place}, {date}`` has none)."""
    return any(ch.isalpha() for ch in _PERCENT_FIELD.sub("", re.sub(r"\{\w*\}", "", message)))


class _UiMessages:
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
                return _Clean(text)
            plain = {k: v if isinstance(v, int) else v.shown if type(v) is Segment else neutralise_controls(str(v))
                     for k, v in values.items()}
            return _Clean(text % plain if percent else text.format_map(plain))
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


def _bidi_filter(page: LocaleInfo, direction_of: Callable[[str], str]) -> Any:
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
        if not rtl and (value.plain if segment else not _CONTROL_OR_RTL.search(text)):
            return escape(text)  # the common case: left-to-right text on a left-to-right page
        text = neutralise_controls(text)
        if not rtl and not has_rtl(text):
            return escape(text)
        return Markup(isolate_html(text, "rtl" if rtl else "ltr"))

    return bidi


def _fill_filter(bidi: Any) -> Any:
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


def _wrap_filter(page: LocaleInfo, direction_of: Callable[[str], str], max_token: int) -> Any:
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


def _marker_function() -> Any:
    import jinja2

    @jinja2.pass_context
    def marker(context: Any, value: Any) -> str:
        """``{{ marker(segment) }}``: the plain-text mark of an unreviewed segment (empty otherwise)."""
        return _text_mark(context, value)

    return marker


def _mark_function() -> Any:
    import dataclasses

    import jinja2

    @jinja2.pass_context
    def mark(context: Any, value: Any) -> Any:
        """``{{ segment|mark }}``: the segment with its plain-text mark appended (still a Segment, so
        ``wrap`` knows its language)."""
        sign = _text_mark(context, value)
        return dataclasses.replace(value, text=value.text + sign) if sign else value

    return mark


class Renderer:
    """Renders :class:`~polybrief.localise.LocalisedBrief` objects for one :class:`~polybrief.Project`.

    The project's ``template_dirs`` are searched before polybrief's own
    templates (a ``ChoiceLoader``), so a file named ``brief.html.j2`` there
    overrides ours.  UI catalogs are found by the project's catalog
    repository: ``--locale-data`` folders, the brief's own ``locales/``
    folder, then polybrief's.  Usually reached as ``project.renderer``.
    """

    def __init__(self, project: Project | None = None) -> None:
        from .catalogs.ui import UiCatalogs
        from .project import Project

        self.project = project or Project()
        self.template_dirs = self.project.template_dirs
        self.ui: UiCatalogs = UiCatalogs(self.project.repository, limits=self.project.limits)
        self._environments: dict[tuple[str, str, Path | None], jinja2.Environment] = {}
        self._compiled: dict[bool, Any] = {}  # html?: a bytecode cache shared by the environments of a format

    # -- environments -------------------------------------------------------------

    def environment(self, locale: LocaleInfo, brief_root: Path | None = None, *,
                    format: OutputFormat = "html") -> jinja2.Environment:
        """The (cached) environment for ``locale`` and ``format``, with its UI translations installed.

        ``brief_root`` is the brief's catalog folder, searched for a UI catalog
        after ``--locale-data``; environments are shared by every brief whose
        lookup finds the same UI catalog file.  HTML and text get one
        environment each, autoescaping everything or nothing: a partial shared
        by both (``_macros.j2``) used to be compiled without autoescape, and
        Jinja marks a macro's output safe when an HTML template calls it, so a
        translator's markup in a UI string reached the page raw.
        """
        key = (format, locale.identifier, self.ui.catalog_path(locale, brief_root))
        if key not in self._environments:
            self._environments[key] = self._build_environment(locale, self.ui.translations(locale, brief_root),
                                                              html=format == "html")
        return self._environments[key]

    def _build_environment(self, locale: LocaleInfo, translations: gettext.NullTranslations, *,
                           html: bool = True) -> jinja2.Environment:
        import jinja2
        import jinja2.sandbox

        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d)) for d in self.template_dirs]
        loaders.append(jinja2.FileSystemLoader(str(builtin_templates_dir())))
        factory = jinja2.sandbox.SandboxedEnvironment if self.project.sandboxed_templates else jinja2.Environment
        env = factory(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=html,
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=_finalize,
            # One run renders with the templates it compiled: no stat of every template file per page.
            auto_reload=False,
            bytecode_cache=self._bytecode_cache(html),
        )
        ui = _UiMessages(translations, locale)
        env.install_gettext_callables(  # type: ignore[attr-defined]
            jinja2.pass_eval_context(lambda ctx, *a, **k: ui.gettext(ctx, *a, **k)),
            jinja2.pass_eval_context(lambda ctx, *a, **k: ui.ngettext(ctx, *a, **k)), newstyle=False)
        direction_of = self._direction_of
        bidi = _bidi_filter(locale, direction_of)
        env.filters["wrap"] = _wrap_filter(locale, direction_of, self.project.limits.wrap_token_chars)
        env.filters["bidi"] = bidi
        env.filters["fill"] = _fill_filter(bidi)
        env.filters["href"] = safe_href
        env.filters["quoted"] = lambda text, nested=False: locale.quotes.quote(str(text), nested=nested)
        env.globals["seg_attrs"] = _segment_attr_writer(locale.tag, locale.direction, direction_of)
        env.globals["marker"] = _marker_function()
        env.filters["mark"] = _mark_function()
        env.globals["format_number"] = locale.format_number
        return env

    def _bytecode_cache(self, html: bool) -> Any:
        """Compiled templates shared by every locale's environment of one format.

        Each locale has its own environment (see the module docstring), and
        Jinja compiles a template once per environment: eight compilations of
        the same files for four locales, 0.4 s of every publish run.  The
        environments of one format differ only in what they are given at run
        time (translations, filters, globals), not in how a template
        compiles, so they share the code; HTML and text never do (autoescape
        changes the code).
        """
        cache = self._compiled.get(html)
        if cache is None:
            import jinja2

            class _Memory(jinja2.BytecodeCache):
                def __init__(self) -> None:
                    self.codes: dict[str, bytes] = {}

                def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
                    code = self.codes.get(bucket.key)
                    if code is not None:
                        bucket.bytecode_from_string(code)  # checks the source's checksum

                def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
                    self.codes[bucket.key] = bucket.bytecode_to_string()

            cache = self._compiled[html] = _Memory()
        return cache

    def _direction_of(self, tag: str) -> str:
        return self.project.locale(tag).direction

    def template(self, locale: LocaleInfo, name: str, brief_root: Path | None = None) -> jinja2.Template:
        import jinja2

        fmt: OutputFormat = "html" if (".html" in name or ".xml" in name) else "text"
        try:
            return self.environment(locale, brief_root, format=fmt).get_template(name)
        except jinja2.TemplateNotFound:
            searched = ", ".join(str(d) for d in (*self.template_dirs, builtin_templates_dir()))
            raise TemplateError(f"template {name!r} not found", hint=f"searched {searched}") from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"template does not compile: {exc.message}", file=exc.filename or name,
                                line=exc.lineno) from None

    def check_templates(self, formats: Sequence[OutputFormat] = ("html", "text")) -> None:
        """Compile the templates ``formats`` need, so a broken override fails before anything is written."""
        locale = self.project.locale("en")
        for fmt in formats:
            self.template(locale, TEMPLATE_NAMES[fmt])

    # -- rendering ----------------------------------------------------------------

    def render(
        self,
        localised: LocalisedBrief,
        *,
        format: OutputFormat = "html",
        alternates: Sequence[Alternate] = (),
    ) -> str:
        """Render one localised brief as a standalone HTML page or as plain text."""
        if format not in TEMPLATE_NAMES:
            raise TemplateError(f"unknown output format {format!r}", hint="use html or text")
        from .metadata import page_meta

        root = localised.source.catalog_root if localised.source is not None else None
        template = self.template(localised.locale, TEMPLATE_NAMES[format], root)
        return self._render(template, brief=localised, locale=localised.locale, alternates=list(alternates),
                            meta=page_meta(localised, alternates))

    def render_index(self, entries: Sequence[dict[str, Any]], *, title: str = "") -> str:
        """The ``index.html`` linking every published version (``title`` empty: the template's own)."""
        locale = self.project.locale("en")
        return self._render(self.template(locale, "index.html.j2"), entries=list(entries), title=title,
                            locale=locale)

    def render_index_chunks(self, entries: Iterable[dict[str, Any]], *, title: str = "") -> Iterator[str]:
        """:meth:`render_index` piece by piece, for an index too big to hold as one string."""
        locale = self.project.locale("en")
        template = self.template(locale, "index.html.j2")
        try:
            yield from template.generate(entries=entries, title=title, locale=locale)
        except PolybriefError:
            raise
        except Exception as exc:  # a user's template may fail in any way; report it, no traceback
            line = getattr(exc, "lineno", None)
            raise TemplateError(f"template failed to render: {type(exc).__name__}: {exc}",
                                file=template.filename or template.name, line=line) from None

    def _render(self, template: jinja2.Template, **context: Any) -> str:
        try:
            return template.render(**context)
        except PolybriefError:
            raise
        except Exception as exc:  # a user's template may fail in any way; report it, no traceback
            line = getattr(exc, "lineno", None)
            raise TemplateError(f"template failed to render: {type(exc).__name__}: {exc}",
                                file=template.filename or template.name, line=line) from None
