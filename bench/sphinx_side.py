"""Sphinx's gettext workflow on the same distinct briefs: one reStructuredText document per brief,
translated through ``.mo`` catalogs with ``sphinx-build -b html`` (and ``-b text``) per language.

Sphinx is installed only in the benchmark's own virtual environment
(:func:`ensure_bench_venv`: ``<cache>/venv``, created with ``python -m venv``
and ``pip install sphinx py-spy``), never in polybrief's dependencies.

Each brief becomes ``<id>.rst`` with what its pages show: the headline as the
title, the standfirst, the dateline and publication lines, the lead
paragraphs, the key updates as a bullet list (``**label**: text (Source:
name)``), the key figures, the quote, the closing paragraph and the sources.
Sphinx's translation unit is the paragraph (a title, a list item's
paragraph), so each document's catalog (``locale/<tag>/LC_MESSAGES/<id>.mo``,
``gettext_compact = False``) maps every such paragraph to its translation,
assembled from the same reviewed translations, UI phrases (polybrief's UI
catalogs), Babel-formatted dates and numbers and plural forms that the other
two sides use.  The catalogs are compiled beforehand (Babel's ``write_mo``;
``gettext_auto_build = False``), as for the floor.

A run is eight ``sphinx-build`` processes — en, hy, az, ru, each ``-b html``
then ``-b text`` sharing that language's doctree folder (Sphinx's own cache
within one build) — in fresh output and doctree folders, one at a time
(``-j`` left at its default of 1), default theme (alabaster).  Its time is
the sum over the eight processes; HTML alone is reported too.
"""

from __future__ import annotations

import gettext
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from .child import ChildRun, run_child
from .distinct import TARGETS, Corpus, Generated, generate

__all__ = ["ensure_bench_venv", "write_project", "run_sphinx", "LANGS"]

LANGS = ("en", *TARGETS)

CONF = '''\
project = "Briefs"
root_doc = "index"
language = "en"
extensions = []
locale_dirs = ["locale/"]
gettext_compact = False
gettext_auto_build = False
exclude_patterns = ["locale", "_build"]
html_theme = "alabaster"
'''


def ensure_bench_venv(cache: Path, log: Any = None) -> Path:
    """The benchmark's own venv (``<cache>/venv``) with Sphinx and py-spy; its Python."""
    venv = cache / "venv"
    python = venv / "bin" / "python"
    check = [str(python), "-c", "import sphinx"]
    if python.is_file() and subprocess.run(check, capture_output=True, check=False).returncode == 0:
        return python
    if log is not None:
        log.info("creating the benchmark's venv with Sphinx and py-spy in %s", venv)
    venv.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "sphinx", "py-spy"], check=True)
    return python


def sphinx_version(python: Path) -> str:
    out = subprocess.run([str(python), "-c", "import sphinx; print(sphinx.__version__)"], capture_output=True,
                         text=True, check=False)
    return out.stdout.strip()


# -- the documents ------------------------------------------------------------------------------------


class _Lang:
    """What one language needs to write a brief's paragraphs: text lookup, UI phrases, CLDR formats."""

    def __init__(self, tag: str, gen: Generated, corpus: Corpus) -> None:
        self.tag = tag
        self.texts = gen.texts
        mo = corpus.mo / tag / "LC_MESSAGES"
        self.ui: gettext.NullTranslations = gettext.NullTranslations()
        self.brief: gettext.NullTranslations = gettext.NullTranslations()
        if tag != "en":
            with open(mo / "polybrief.mo", "rb") as handle:
                self.ui = gettext.GNUTranslations(handle)
            with open(mo / f"{gen.brief_id}.mo", "rb") as handle:
                self.brief = gettext.GNUTranslations(handle)

    def t(self, text: str) -> str:
        return text if self.tag == "en" else self.texts[text][self.tag]

    def phrase(self, message: str, **values: str) -> str:
        return self.ui.gettext(message).format(**values)

    def number(self, value: int) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.tag)

    def day(self, value: date) -> str:
        from babel.dates import format_date

        return format_date(value, "long", locale=self.tag)

    def moment(self, value: datetime) -> str:
        from babel.dates import format_datetime

        return format_datetime(value, "long", tzinfo=value.tzinfo, locale=self.tag)


def _blocks(data: dict[str, Any], lang: _Lang) -> list[tuple[str, str]]:
    """The document as (kind, text) blocks: ``title``, ``heading``, ``para``, ``item``, ``quote``."""
    from .floor import key

    names = {s["name"]: (lang.t(s["name"]) if s.get("translatable") else s["name"]) for s in data["sources"]}
    out = [("title", lang.t(data["headline"])), ("para", lang.t(data["standfirst"]))]
    day = date.fromisoformat(str(data["dateline"]["date"]))
    published = datetime.fromisoformat(str(data["published"]))
    out.append(("para", lang.phrase("{place}, {date}", place=lang.t(data["dateline"]["place"]), date=lang.day(day))))
    out.append(("para", lang.phrase("Published: {datetime}", datetime=lang.moment(published))))
    out += [("para", lang.t(p)) for p in data["lead"]]
    for section in data["sections"]:
        out.append(("heading", lang.t(section["heading"])))
        for item in section["items"]:
            label, text = f"**{lang.t(item['label'])}**", lang.t(item["text"])
            if item.get("source"):
                out.append(("item", lang.phrase("{label}: {text} (Source: {name})", label=label, text=text,
                                                name=names[item["source"]])))
            else:
                out.append(("item", lang.phrase("{label}: {text}", label=label, text=text)))
    out.append(("heading", lang.phrase("Key figures")))
    for fig in data["figures"]:
        unit, value = fig["unit"], fig["value"]
        prefix = "at least {count} " if fig.get("qualifier") == "at-least" else ""
        context = f"figures[{key(fig['label'], 'figure')}].unit"
        form = lang.brief.npgettext(context, prefix + unit["one"], prefix + unit["other"], value)
        amount = (form.replace("{count}", lang.number(value)) if prefix
                  else lang.phrase("{count} {unit}", count=lang.number(value), unit=form))
        label = lang.t(fig["label"])
        out.append(("item", lang.phrase("{label}: {amount} ({source})", label=label, amount=amount,
                                        source=names[fig["source"]]) if fig.get("source")
                    else lang.phrase("{label}: {amount}", label=label, amount=amount)))
    start, end = ("«", "»") if lang.tag in ("hy", "ru") else ("“", "”")
    for quote in data["quotes"]:
        out.append(("quote", f"{start}{lang.t(quote['text'])}{end}"))
        out.append(("para", lang.phrase("— {speaker}, {source}", speaker=lang.t(quote["speaker"]),
                                        source=names[quote["source"]])))
    out += [("para", lang.t(p)) for p in data["closing"]]
    out.append(("heading", lang.phrase("Sources")))
    for src in data["sources"]:
        name = names[src["name"]]
        out.append(("item", lang.phrase("{name} <{url}>", name=name, url=src["url"]) if src.get("url") else name))
    return out


def _rst(blocks: Sequence[tuple[str, str]]) -> str:
    lines: list[str] = []
    previous = ""
    for kind, text in blocks:
        if previous == "item" and kind != "item":
            lines.append("")
        if kind == "title":
            lines += [text, "=" * (len(text) + 8), ""]
        elif kind == "heading":
            lines += [text, "-" * (len(text) + 8), ""]
        elif kind == "item":
            lines.append(f"- {text}")
        elif kind == "quote":
            lines += [f"   {text}", ""]
        else:
            lines += [text, ""]
        previous = kind
    return "\n".join(lines).rstrip() + "\n"


def _write_mo(path: Path, pairs: Callable[[], Sequence[tuple[str, str]]], tag: str) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale=tag)
    for msgid, msgstr in pairs():
        if msgid != msgstr:
            catalog.add(msgid, msgstr)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def write_project(corpus: Corpus, count: int, folder: Path) -> list[str]:
    """``conf.py``, ``index.rst``, one ``.rst`` per brief and its compiled catalogs; returns the doc names."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.py").write_text(CONF, encoding="utf-8")
    names = []
    for index in range(count):
        gen = generate(index)
        blocks = {tag: _blocks(gen.data, _Lang(tag, gen, corpus)) for tag in LANGS}
        (folder / f"{gen.brief_id}.rst").write_text(_rst(blocks["en"]), encoding="utf-8")
        for tag in TARGETS:
            pairs = [(en[1], tr[1]) for en, tr in zip(blocks["en"], blocks[tag], strict=True)]
            _write_mo(folder / "locale" / tag / "LC_MESSAGES" / f"{gen.brief_id}.mo", lambda p=pairs: p, tag)
        names.append(gen.brief_id)
    toc = "\n".join(f"   {name}" for name in names)
    (folder / "index.rst").write_text(f"Briefs\n======\n\n.. toctree::\n   :maxdepth: 1\n\n{toc}\n", encoding="utf-8")
    for tag in TARGETS:
        title = _Lang(tag, generate(0), corpus).ui.gettext("Briefs")
        _write_mo(folder / "locale" / tag / "LC_MESSAGES" / "index.mo", lambda t=title: [("Briefs", t)], tag)
    return names


def run_sphinx(python: Path, project: Path, out: Path, env: dict[str, str]) -> dict[str, ChildRun]:
    """The eight builds (language × html, text) into ``out``; each build's :class:`ChildRun` by ``tag/builder``."""
    runs = {}
    for tag in LANGS:
        doctrees = out / "doctrees" / tag
        for builder in ("html", "text"):
            argv = [str(python), "-m", "sphinx", "-b", builder, "-q", "-D", f"language={tag}", "-d", str(doctrees),
                    str(project), str(out / tag / builder)]
            runs[f"{tag}/{builder}"] = run_child(argv, cwd=project, env=env)
    return runs


def check_translated(project: Path, out: Path, name: str) -> None:
    """Raise unless every language's HTML page of ``name`` shows its own translated headline."""
    import html

    rst = (project / f"{name}.rst").read_text(encoding="utf-8")
    headline = rst.splitlines()[0]
    for tag in TARGETS:
        with open(project / "locale" / tag / "LC_MESSAGES" / f"{name}.mo", "rb") as handle:
            wanted = gettext.GNUTranslations(handle).gettext(headline)
        page = (out / tag / "html" / f"{name}.html").read_text(encoding="utf-8")
        if wanted == headline or html.escape(wanted, quote=False)[:40] not in page:
            raise RuntimeError(f"Sphinx did not translate {name} into {tag}: the benchmark's catalogs are not used")


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    return env
