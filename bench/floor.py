"""The floor: a bare gettext + Jinja2 publisher of the same pages, run as ``python -m bench.floor``.

What a site built on the standard tools would do, and nothing more:

* read each brief with PyYAML's C loader (``yaml.CSafeLoader``);
* look every text up in the brief's compiled catalog (``.mo``, read by
  :class:`gettext.GNUTranslations`; ``pgettext`` with the same message
  contexts polybrief's catalogs use, ``npgettext`` for figure units) — the
  ``.mo`` files are compiled once beforehand (Babel's ``write_mo``, in
  :mod:`bench.distinct`), as a site's build step would, and that is not timed;
* format dates, date-times and numbers with Babel, and quote with the
  locale's CLDR quotation marks (from polybrief's ``locales/quotation-marks.toml``:
  Babel does not expose them);
* render **polybrief's own templates** (``templates/brief.html.j2``,
  ``brief.txt.j2``, ``index.html.j2``) with plain data (``SimpleNamespace``)
  and the same environment options as polybrief's (autoescape for HTML,
  trim/lstrip blocks, the i18n extension); the page
  chrome is translated from polybrief's UI catalogs compiled to ``.mo``;
  one environment per locale and format (the way Jinja2's i18n extension is
  set up per language), compiled templates shared in memory; filters are the
  plain ones: ``textwrap.fill`` for ``wrap``, no bidi
  isolation, no provenance attributes, no quality checks;
* write every page (en, hy, az, ru × html, text) with a plain ``write_text``
  (no temp file, no fsync, no manifest) and one ``index.html``.

The message contexts are polybrief's field paths, derived here by
:func:`key` (a copy of the rule ``polybrief.fields.slug_key`` documents: the
first words, case-folded, apostrophes dropped, joined by ``-``); the test
compares them with :func:`polybrief.translation_units` on generated briefs.
Its own peak RSS (``VmHWM``) goes to ``--report``.  It imports nothing of
polybrief.
"""

from __future__ import annotations

import argparse
import gettext
import json
import re
import sys
import textwrap
import tomllib
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

__all__ = ["key", "main"]

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"

_APOSTROPHES = dict.fromkeys(map(ord, "'\u2019\u02bc`"), None)
_WORDS = re.compile(r"[^\W_]+")


def key(text: str, fallback: str) -> str:
    """A list element's key: its first words (at most five, 32 characters), case-folded, joined by ``-``."""
    words = _WORDS.findall(unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold())
    out = ""
    for word in words[:5]:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > 32:
            break
        out = candidate
    if not out and words:
        out = words[0][:32]
    if not any(c.isalpha() for c in out):
        out = f"{fallback}-{out}" if out else fallback
    return out[:32].rstrip("-")


class _Locale:
    """One locale's Babel data, UI translations and the gettext callables the templates call."""

    def __init__(self, tag: str, mo: Path) -> None:
        from babel import Locale

        self.tag = tag
        self.babel = Locale.parse(tag)
        self.name = self.babel.get_display_name(tag) or tag
        # CLDR's delimiters (polybrief ships them: Babel has none), then polybrief's overrides (where a
        # quoted sentence's full stop goes: «…нападению».)
        with open(REPO / "locales" / "cldr-quotes.toml", "rb") as handle:
            cldr = tomllib.load(handle)
        with open(REPO / "locales" / "quotation-marks.toml", "rb") as handle:
            overrides = tomllib.load(handle)
        ident = str(self.babel)
        marks: dict[str, str] = dict(zip(("start", "end"), cldr.get(ident) or cldr.get(self.babel.language)
                                         or ("\u201c", "\u201d")))
        marks.update(overrides.get(self.babel.language, {}))
        if ident != self.babel.language:
            marks.update(overrides.get(ident, {}))
        self.marks = (marks["start"], marks["end"])
        self.final_outside = marks.get("final") == "outside"
        ui_path = mo / tag / "LC_MESSAGES" / "polybrief.mo"
        self.ui: gettext.NullTranslations
        if ui_path.is_file():
            with open(ui_path, "rb") as handle:
                self.ui = gettext.GNUTranslations(handle)
        else:
            self.ui = gettext.NullTranslations()

    def callables(self, html: bool) -> dict[str, Callable[..., Any]]:
        from markupsafe import Markup, escape

        ui = self.ui
        if html:
            def _(message: str, /, **values: Any) -> Any:
                shown = Markup(escape(ui.gettext(message)))
                return shown.format(**values) if values else shown

            def ngettext(one: str, other: str, n: int, /, **values: Any) -> Any:
                return Markup(escape(ui.ngettext(one, other, n))).format(num=n, **values)
        else:
            def _(message: str, /, **values: Any) -> Any:
                return ui.gettext(message).format(**values) if values else ui.gettext(message)

            def ngettext(one: str, other: str, n: int, /, **values: Any) -> Any:
                return ui.ngettext(one, other, n).format(num=n, **values)
        return {"gettext": _, "ngettext": ngettext}


def _bytecode_cache() -> Any:
    """Compiled templates kept in memory, so that the eight environments compile each template once."""
    import jinja2

    class Memory(jinja2.BytecodeCache):
        def __init__(self) -> None:
            self.codes: dict[str, bytes] = {}

        def load_bytecode(self, bucket: Any) -> None:
            if bucket.key in self.codes:
                bucket.bytecode_from_string(self.codes[bucket.key])

        def dump_bytecode(self, bucket: Any) -> None:
            self.codes[bucket.key] = bucket.bytecode_to_string()

    return Memory()


def _environment(html: bool, loc: _Locale, cache: Any) -> Any:
    """One locale's environment for one format (imported macros see only an environment's globals, so the
    locale's gettext and quotation marks are globals, as in any i18n setup of Jinja2)."""
    import jinja2
    from markupsafe import Markup, escape

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), bytecode_cache=cache,
        autoescape=html, extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
    )
    calls = loc.callables(html)
    env.install_gettext_callables(calls["gettext"], calls["ngettext"], newstyle=False)  # type: ignore[attr-defined]
    start, end = loc.marks

    def quoted(text: Any, nested: bool = False) -> str:
        body = str(text).rstrip()
        if loc.final_outside and body.endswith((".", "\u0589", "\u06d4", "\u3002")) and not body.endswith(".."):
            return f"{start}{body[:-1]}{end}{body[-1]}"
        return f"{start}{text}{end}"

    env.filters["wrap"] = lambda text, width=72, indent="", first_indent=None: textwrap.fill(
        str(text), width, initial_indent=indent if first_indent is None else first_indent,
        subsequent_indent=indent, break_on_hyphens=False)
    env.filters["bidi"] = lambda text, lang=None: text
    env.filters["mark"] = lambda text: text
    env.filters["href"] = str
    env.filters["quoted"] = quoted
    env.filters["hyphenate"] = lambda text: text  # no soft hyphens
    env.filters["join_list"] = lambda items: ", ".join(map(str, items))
    env.globals["format_number"] = str
    if html:
        env.filters["fill"] = lambda text, count="": escape(str(text)).replace("{count}", count)
        env.globals["seg_attrs"] = env.filters["seg_attrs"] = lambda segment: Markup("")
    else:
        env.filters["fill"] = lambda text, count="": str(text).replace("{count}", str(count))
        env.globals["seg_attrs"] = env.filters["seg_attrs"] = lambda segment: ""
    env.globals["marker"] = env.filters["marker"] = lambda segment: ""  # the templates use both forms
    return env


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


#: The phrase a figure's unit is a message in, by qualifier: an exact figure's too (``{count} civilians``).
_UNIT_PREFIX = {"exact": "{count} ", "at-least": "at least {count} ", "about": "about {count} ",
                "up-to": "up to {count} "}


def _brief(data: dict[str, Any], tr: gettext.NullTranslations, loc: _Locale, original: bool) -> SimpleNamespace:
    """The page's data: every text looked up in the brief's catalog, every date and number formatted."""
    from babel.dates import format_date, format_datetime
    from babel.numbers import format_decimal

    t = tr.pgettext
    names = {}
    sources = []
    for src in data.get("sources") or []:
        name = src["name"]
        shown = t(f"sources[{key(name, 'source')}].name", name) if src.get("translatable") else name
        names[name] = SimpleNamespace(name=shown)
        sources.append(SimpleNamespace(name=shown, url=src.get("url")))
    sections = []
    for section in data.get("sections") or []:
        base = f"sections[{key(section['heading'], 'section')}]"
        items = []
        for item in section.get("items") or []:
            path = f"items[{key(item['label'], 'item')}]"  # unique in the brief (the generator makes no twins)
            items.append(SimpleNamespace(label=t(f"{path}.label", item["label"]), text=t(f"{path}.text", item["text"]),
                                         source=names.get(item.get("source")) if item.get("source") else None))
        sections.append(SimpleNamespace(heading=t(f"{base}.heading", section["heading"]), items=items))
    figures = []
    for fig in data.get("figures") or []:
        path = f"figures[{key(fig['label'], 'figure')}]"
        value = fig["value"]
        unit = fig.get("unit")
        phrase = None
        if unit:
            prefix = _UNIT_PREFIX[fig.get("qualifier") or "exact"]
            phrase = tr.npgettext(f"{path}.unit", prefix + unit["one"], prefix + unit["other"], value)
        figures.append(SimpleNamespace(label=t(f"{path}.label", fig["label"]), value=value,
                                       number=format_decimal(value, locale=loc.babel), unit=None, phrase=phrase,
                                       qualifier=fig.get("qualifier"),
                                       source=names.get(fig.get("source")) if fig.get("source") else None))
    quotes = []
    for quote in data.get("quotes") or []:
        path = f"quotes[{key(quote['text'], 'quote')}]"
        quotes.append(SimpleNamespace(text=t(f"{path}.text", quote["text"]),
                                      speaker=t(f"{path}.speaker", quote["speaker"]),
                                      source=names.get(quote.get("source")) if quote.get("source") else None))
    authors = []
    for author in data.get("authors") or []:
        path = f"authors[{key(author['name'], 'author')}]"
        name = t(f"{path}.name", author["name"]) if author.get("translatable") else author["name"]
        authors.append(SimpleNamespace(name=name, role=t(f"{path}.role", author["role"]) if author.get("role") else None,
                                       model=SimpleNamespace(url=author.get("url"))))
    corrections = []
    for correction in data.get("corrections") or []:
        when = _as_datetime(correction["date"])
        path = f"corrections[{key(when.strftime('%Y%m%d %H%M'), 'correction')}]"
        corrections.append(SimpleNamespace(
            text=t(f"{path}.text", correction["text"]), model=SimpleNamespace(date=when),
            date_text=format_datetime(when, "long", tzinfo=when.tzinfo, locale=loc.babel)))
    day = _as_date(data["dateline"]["date"])
    published = _as_datetime(data["published"])
    updated = _as_datetime(data["updated"]) if data.get("updated") else None
    standfirst = data.get("standfirst")
    return SimpleNamespace(
        headline=t("headline", data["headline"]),
        standfirst=t("standfirst", standfirst) if standfirst else None,
        dateline_place=t("dateline.place", data["dateline"]["place"]),
        dateline_date=format_date(day, "long", locale=loc.babel),
        published=published,
        published_date=format_date(published, "long", locale=loc.babel),
        published_datetime=format_datetime(published, "long", tzinfo=published.tzinfo, locale=loc.babel),
        updated_datetime=format_datetime(updated, "long", tzinfo=updated.tzinfo, locale=loc.babel) if updated else None,
        authors=authors, corrections=corrections,
        lead=[t(f"lead[{key(p, 'lead')}]", p) for p in data.get("lead") or []],
        sections=sections, figures=figures, quotes=quotes, sources=sources,
        closing=[t(f"closing[{key(p, 'closing')}]", p) for p in data.get("closing") or []],
        tags=list(data.get("tags") or []), brief=SimpleNamespace(dateline=SimpleNamespace(date=day), updated=updated),
        needs_notice=False, is_original=original,
    )


def _meta(brief: SimpleNamespace, tag: str, alternates: list[SimpleNamespace]) -> SimpleNamespace:
    article = {"@context": "https://schema.org", "@type": "NewsArticle", "inLanguage": tag,
               "headline": brief.headline, "datePublished": brief.published.isoformat(),
               "dateline": brief.dateline_place}
    if brief.standfirst:
        article["description"] = brief.standfirst
    og = [("og:type", "article"), ("og:title", brief.headline), ("og:locale", tag),
          ("article:published_time", brief.published.isoformat())]
    return SimpleNamespace(canonical=None, alternates=alternates, x_default=None, json_ld=article, open_graph=og,
                           keywords=brief.tags if brief.is_original else ())


def publish(paths: Sequence[Path], *, mo: Path, out: Path, targets: Sequence[str]) -> int:
    """Every page of every brief in ``paths``, and the index; returns the number of files written."""
    import yaml

    tags = ["en", *targets]
    locales = {tag: _Locale(tag, mo) for tag in tags}
    cache = _bytecode_cache()
    envs = {(tag, html): _environment(html, locales[tag], cache) for tag in tags for html in (True, False)}
    templates = {(tag, fmt): envs[(tag, fmt == "html")].get_template(f"brief.{'html' if fmt == 'html' else 'txt'}.j2")
                 for tag in tags for fmt in ("html", "text")}
    for tag in tags:
        (out / tag).mkdir(parents=True, exist_ok=True)
    entries = []
    written = 0
    null = gettext.NullTranslations()
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=yaml.CSafeLoader)
        brief_id = data["id"]
        pages = {}
        for tag in tags:
            if tag == "en":
                tr = null
            else:
                with open(mo / tag / "LC_MESSAGES" / f"{brief_id}.mo", "rb") as handle:
                    tr = gettext.GNUTranslations(handle)
            pages[tag] = _brief(data, tr, locales[tag], tag == "en")
        for tag, brief in pages.items():
            alternates = [SimpleNamespace(tag=t, name=locales[t].name, href=f"../{t}/{brief_id}.html", url=None,
                                          current=t == tag) for t in tags]
            context = {"brief": brief, "locale": SimpleNamespace(tag=tag, direction="ltr")}
            html = templates[(tag, "html")].render(**context, alternates=alternates, meta=_meta(brief, tag, alternates))
            text = templates[(tag, "text")].render(**context, alternates=[], meta=None)
            (out / tag / f"{brief_id}.html").write_text(html, encoding="utf-8")
            (out / tag / f"{brief_id}.txt").write_text(text, encoding="utf-8")
            written += 2
        lead = pages["en"]
        entries.append(SimpleNamespace(
            id=brief_id, headline=lead.headline, lang="en", dir="ltr", published=lead.published.isoformat(),
            published_date=lead.published_date, standfirst=lead.standfirst, standfirst_lang="en",
            versions=[SimpleNamespace(tag=tag, dir="ltr", href=f"{tag}/{brief_id}.html", headline=b.headline,
                                      headline_lang=tag, headline_dir="ltr", language=locales[tag].name,
                                      published=b.published.isoformat(), published_date=b.published_date,
                                      others=[SimpleNamespace(href=f"{tag}/{brief_id}.txt", format="text",
                                                              label=locales[tag].ui.gettext("Plain text"),
                                                              label_lang=tag)])
                      for tag, b in pages.items()],
            sort=(lead.published, brief_id)))
    entries.sort(key=lambda e: e.sort, reverse=True)
    index = envs[("en", True)].get_template("index.html.j2").render(
        entries=entries, title=None, locale=SimpleNamespace(tag="en", direction="ltr"))
    (out / "index.html").write_text(index, encoding="utf-8")
    return written + 1


def _vm_hwm() -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return -1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__.split("\n\n")[0])
    parser.add_argument("briefs", nargs="+", type=Path)
    parser.add_argument("--mo", type=Path, required=True, help="folder of <tag>/LC_MESSAGES/<id>.mo and polybrief.mo")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--locales", default="hy,az,ru")
    parser.add_argument("--report", type=Path, help="write {files, peak_rss} here as JSON")
    args = parser.parse_args(argv)
    files = publish(args.briefs, mo=args.mo, out=args.out, targets=args.locales.split(","))
    if args.report:
        args.report.write_text(json.dumps({"files": files, "peak_rss": _vm_hwm()}), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
