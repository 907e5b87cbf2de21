"""A corpus of malformed inputs: each fails cleanly, saying where, and writes nothing.

Every row of :data:`CASES` is one file under ``tests/bad_inputs/`` (or, for
model packages, a zip built here from a description: binary zips should not
be hand-edited) and says

* which exception the Python API raises (checked with ``pytest.raises``),
* a fragment naming the place — file, line or field — and one saying what
  is wrong, both expected in the message,
* and, through the CLI (``polybrief.cli.main``, in process for speed, plus
  one real ``python -m polybrief`` per kind): exit status 2, exactly one line
  on stderr, no traceback, and nothing written — the output folder stays
  absent or empty, a catalog being updated stays byte-for-byte the same, a
  models folder gets no model.

Kinds and where the file goes: ``brief`` (the brief itself, published),
``catalog`` (``<catalogs>/hy/LC_MESSAGES/nagorno-karabakh.po`` for the
example brief, updated and published), ``ui`` (``<dir>/hy/LC_MESSAGES/
polybrief.po`` via ``--locale-data``), ``quotes`` (``<dir>/quotation-marks.toml``
via ``--locale-data``), ``glossary`` (``--glossary`` of ``publish`` and
``check``), ``model`` (``polybrief models install``).
"""

from __future__ import annotations

import functools
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from polybrief import get_locale, load, publish, remove_from_site
from polybrief import load_brief_catalog, update_catalog
from polybrief.cli import main
from polybrief import BriefError, CatalogError, GlossaryError, LocaleError, ModelPackageError, OutputError, PolybriefError
from polybrief import UsageError
from polybrief import Limits
from polybrief import CatalogRepository
from polybrief.catalogs.brief import catalog_lock_path
from polybrief.catalogs.ui import UiCatalogs

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE / "bad_inputs"
EXAMPLE = ROOT / "examples" / "nagorno-karabakh.yaml"


@dataclass(frozen=True)
class Case:
    """One malformed input and what must happen to it."""

    file: str
    exc: type[PolybriefError]
    place: str
    what: str
    marks: tuple = field(default=())

    @property
    def kind(self) -> str:
        return self.file.split("/", 1)[0]

    @property
    def name(self) -> str:
        return Path(self.file).name



CASES: list[Case] = [
    # -- briefs ------------------------------------------------------------------------------
    Case("briefs/unclosed-flow.yaml", BriefError, "unclosed-flow.yaml:9", "invalid YAML"),
    Case("briefs/tab-indent.yaml", BriefError, "tab-indent.yaml:5", "invalid YAML"),
    Case("briefs/duplicate-key.yaml", BriefError, "duplicate-key.yaml:8", "duplicate key 'headline'"),
    Case("briefs/python-tag.yaml", BriefError, "python-tag.yaml:3", "could not determine a constructor"),
    Case("briefs/top-level-list.yaml", BriefError, "top-level-list.yaml:1", "expected a mapping"),
    Case("briefs/empty.yaml", BriefError, "empty.yaml:1", "expected a mapping"),
    Case("briefs/missing-headline.yaml", BriefError, "headline", "required field is missing"),
    Case("briefs/unknown-field.yaml", BriefError, "unknown-field.yaml:3: headlne", "unknown field"),
    Case("briefs/bad-id.yaml", BriefError, "bad-id.yaml:1: id", "slug"),
    Case("briefs/bad-language.yaml", BriefError, "bad-language.yaml:2: language", "pattern"),
    Case("briefs/blank-lead.yaml", BriefError, "blank-lead.yaml:9: lead[0]", "empty"),
    Case("briefs/lead-not-a-list.yaml", BriefError, "lead-not-a-list.yaml:8: lead", "list"),
    Case("briefs/naive-datetime.yaml", BriefError, "naive-datetime.yaml:7: published", "time zone"),
    Case("briefs/impossible-date.yaml", BriefError, "impossible-date.yaml:6", "day is out of range"),
    Case("briefs/undeclared-source.yaml", BriefError, "sections[0].items[0].source", "'Reuters'"),
    Case("briefs/duplicate-source.yaml", BriefError, "sources[1].name", "duplicate source name"),
    Case("briefs/javascript-url.yaml", BriefError, "javascript-url.yaml:22: sources[0].url", "http"),
    Case("briefs/data-url.yaml", BriefError, "data-url.yaml:22: sources[0].url", "http"),
    Case("briefs/unknown-plural.yaml", BriefError, "figures[0].unit", "unknown plural categories"),
    Case("briefs/no-other-form.yaml", BriefError, "figures[0].unit", "'other' form"),
    Case("briefs/bad-qualifier.yaml", BriefError, "bad-qualifier.yaml:19: figures[0].qualifier", "at-least"),
    Case("briefs/figure-not-a-number.yaml", BriefError, "figures[0].value", "'many' is not a plain number"),
    Case("briefs/empty-items.yaml", BriefError, "sections[0].items", "at least 1 item"),
    Case("briefs/latin1.yaml", BriefError, "latin1.yaml", "not UTF-8"),
    Case("briefs/trailing-comma.json", BriefError, "trailing-comma.json:5", "invalid JSON"),
    Case("briefs/top-level-array.json", BriefError, "top-level-array.json:1", "expected a mapping"),
    Case("briefs/brief.txt", BriefError, "brief.txt", "unknown brief file type"),
    # issue 15: parsers that used to raise tracebacks, and inputs that used to take unbounded time or memory
    Case("briefs/mapping-key.yaml", BriefError, "mapping-key.yaml:10", "cannot be a key"),
    Case("briefs/huge-int.yaml", BriefError, "huge-int.yaml:18", "5000 digits"),
    Case("briefs/huge-int.json", BriefError, "huge-int.json:16", "5000 digits"),
    Case("briefs/huge-figure.yaml", BriefError, "huge-figure.yaml:18: figures[0].value", "larger than"),
    Case("briefs/figure-1e400.yaml", BriefError, "figure-1e400.yaml:18: figures[0].value", "not a plain number"),
    Case("briefs/exponent-1e400.json", BriefError, "exponent-1e400.json:16: figures[0].value", "larger than"),
    Case("briefs/float-inf.yaml", BriefError, "float-inf.yaml:18: figures[0].value", "finite number"),
    Case("briefs/many-digits.yaml", BriefError, "many-digits.yaml:19: figures[0].value", "61 significant digits"),
    Case("briefs/negative-figure.yaml", BriefError, "negative-figure.yaml:18: figures[0].value", "negative"),
    Case("briefs/boolean-figure.yaml", BriefError, "boolean-figure.yaml:18: figures[0].value", "not true/false"),
    Case("briefs/deep-nesting.yaml", BriefError, "deep-nesting.yaml:11", "nested more than 64 levels"),
    Case("briefs/deep-flow.yaml", BriefError, "deep-flow.yaml:10", "nested more than 64 levels"),
    Case("briefs/deep-nesting.json", BriefError, "deep-nesting.json:10", "nested more than 64 levels"),
    Case("briefs/alias-bomb.yaml", BriefError, "alias-bomb.yaml:15", "expands to more than 200000 values"),
    Case("briefs/alias-sections.yaml", BriefError, "alias-sections.yaml:513", "expands to more than 200000 values"),
    Case("briefs/merge-key-bomb.yaml", BriefError, "merge-key-bomb.yaml:14", "expands to more than 200000 values"),
    Case("briefs/recursive-alias.yaml", BriefError, "recursive-alias.yaml:10", "recursive alias"),
    Case("briefs/nul-byte.yaml", BriefError, "nul-byte.yaml:14", "U+0000"),
    Case("briefs/control-char.yaml", BriefError, "control-char.yaml:9", "U+0001"),
    Case("briefs/set-tag.yaml", BriefError, "set-tag.yaml:10", "!!set is not allowed"),
    Case("briefs/binary-tag.yaml", BriefError, "binary-tag.yaml:10", "!!binary is not allowed"),
    Case("briefs/omap-tag.yaml", BriefError, "omap-tag.yaml:10", "!!omap is not allowed"),
    Case("briefs/duplicate-key.json", BriefError, "duplicate-key.json:5", "duplicate key 'headline'"),
    Case("briefs/nan.json", BriefError, "nan.json:16", "NaN is not a JSON number"),
    # issue 25: non-currencies, digits other than 0-9, a field name that is an escape sequence
    Case("briefs/currency-xxx.yaml", BriefError, "currency-xxx.yaml:20: figures[0].currency", "not money"),
    Case("briefs/currency-gold.yaml", BriefError, "currency-gold.yaml:20: figures[0].currency", "not money"),
    Case("briefs/arabic-indic-digits.yaml", BriefError, "arabic-indic-digits.yaml:18: figures[0].value",
         "digits 0-9"),
    Case("briefs/escape-in-field-name.yaml", BriefError, "escape-in-field-name.yaml",
         "<U+001B>[31mEVIL<U+001B>]0;owned<U+0007>: unknown field"),
    # -- brief catalogs ------------------------------------------------------------------------
    Case("catalogs/syntax-error.po", CatalogError, "nagorno-karabakh.po:16", "missing msgstr"),  # msgfmt's line
    Case("catalogs/unknown-keyword.po", CatalogError, "nagorno-karabakh.po:17", "PO syntax error"),
    Case("catalogs/garbage.po", CatalogError, "nagorno-karabakh.po:1", "PO syntax error"),
    Case("catalogs/unterminated-string.po", CatalogError, "nagorno-karabakh.po:12", "PO syntax error"),
    Case("catalogs/latin1.po", CatalogError, "nagorno-karabakh.po:16", "not UTF-8"),
    Case("catalogs/wrong-language.po", CatalogError, "nagorno-karabakh.po: Language", "'ru'"),
    Case("catalogs/wrong-nplurals.po", CatalogError, "nagorno-karabakh.po: Plural-Forms", "nplurals=3"),
    Case("catalogs/plural-shape.po", CatalogError, "nagorno-karabakh.po:16", "num_plurals"),
    # issue 15: Plural-Forms, duplicates and headers Babel raised bare exceptions for
    Case("catalogs/plural-div-zero.po", CatalogError, "nagorno-karabakh.po: Plural-Forms", "n=0: integer division"),
    Case("catalogs/plural-mod-zero.po", CatalogError, "nagorno-karabakh.po: Plural-Forms", "n=0: integer modulo"),
    Case("catalogs/plural-negative.po", CatalogError, "nagorno-karabakh.po: Plural-Forms", "form -100 for n=0"),
    Case("catalogs/plural-out-of-range.po", CatalogError, "nagorno-karabakh.po: Plural-Forms", "form 2 for n=2"),
    Case("catalogs/plural-syntax.po", CatalogError, "nagorno-karabakh.po: Plural-Forms", "not a valid gettext"),
    Case("catalogs/plural-import.po", CatalogError, "nagorno-karabakh.po: Plural-Forms", "invalid token"),
    Case("catalogs/plural-too-long.po", CatalogError, "nagorno-karabakh.po: Plural-Forms", "1107 characters long"),
    Case("catalogs/plural-nested.po", CatalogError, "nagorno-karabakh.po: Plural-Forms", "405 characters long"),
    Case("catalogs/plural-merges-categories.po", CatalogError, "nagorno-karabakh.po: Plural-Forms",
         "the same form 0, but hy writes them differently (use 'Plural-Forms: nplurals=2; plural=(n > 1);')"),
    Case("catalogs/nplurals-not-a-number.po", CatalogError, "nagorno-karabakh.po: Plural-Forms", "nplurals='two'"),
    Case("catalogs/nplurals-huge.po", CatalogError, "nagorno-karabakh.po: Plural-Forms", "from 1 to 20"),
    Case("catalogs/plural-missing-expression.po", CatalogError, "nagorno-karabakh.po: Plural-Forms",
         "needs both nplurals= and plural="),
    Case("catalogs/duplicate-entry.po", CatalogError, "nagorno-karabakh.po:21: msgctxt 'dateline.place'",
         "lines 12 and 21"),
    # an unknown charset is read as UTF-8 when the bytes allow it, as msgfmt reads it (tests/fixtures/po_corpus)
    Case("catalogs/unknown-charset.po", CatalogError, "nagorno-karabakh.po:13: Content-Type", "'klingon'"),
    # issue 25: Plural-Forms compared with CLDR beyond 1000, and on the brief's own figures
    Case("catalogs/plural-above-1000.po", CatalogError, "nagorno-karabakh.po: Plural-Forms", "and 1001 (CLDR 'other')"),
    Case("catalogs/plural-wrong-for-a-figure.po", CatalogError, "nagorno-karabakh.po: Plural-Forms",
         "and 30000 (CLDR 'other')"),
    # -- UI catalogs ----------------------------------------------------------------------------
    Case("ui/drops-variable.po", CatalogError, "polybrief.po:11: msgid 'at least %(number)s'", "drops ['number']"),
    Case("ui/adds-variable.po", CatalogError, "polybrief.po:11: msgid 'at least %(number)s'", "adds ['extra']"),
    Case("ui/misspelled-variable.po", CatalogError, "polybrief.po:11", "adds ['numbr'] and drops ['number']"),
    Case("ui/wrong-language.po", CatalogError, "polybrief.po: Language", "'az'"),
    Case("ui/syntax-error.po", CatalogError, "polybrief.po:10", "missing msgstr"),
    Case("ui/unterminated-string.po", CatalogError, "polybrief.po:12", "PO syntax error"),
    Case("ui/plural-div-zero.po", CatalogError, "polybrief.po: Plural-Forms", "n=0: integer division"),
    Case("ui/plural-syntax.po", CatalogError, "polybrief.po: Plural-Forms", "not a valid gettext"),
    Case("ui/nplurals-not-a-number.po", CatalogError, "polybrief.po: Plural-Forms", "nplurals='x'"),
    Case("ui/duplicate-entry.po", CatalogError, "polybrief.po:15: msgid 'at least %(number)s'", "lines 11 and 15"),
    # -- quotation marks --------------------------------------------------------------------------
    Case("quotes/invalid-toml.toml", LocaleError, "quotation-marks.toml", "line 3"),
    Case("quotes/unknown-key.toml", LocaleError, "quotation-marks.toml: hy", "unknown key 'alt_ned'"),
    Case("quotes/not-a-table.toml", LocaleError, "quotation-marks.toml: hy", "expected a table"),
    Case("quotes/empty-mark.toml", LocaleError, "quotation-marks.toml: hy", "non-empty strings"),
    Case("quotes/number-mark.toml", LocaleError, "quotation-marks.toml: ru", "non-empty strings"),
    Case("quotes/deep-nesting.toml", LocaleError, "quotation-marks.toml", "nested too deeply"),
    # -- glossaries ---------------------------------------------------------------------------------
    Case("glossaries/no-source-column.csv", GlossaryError, "no-source-column.csv:1", "no 'source' column"),
    Case("glossaries/empty.csv", GlossaryError, "empty.csv:1", "empty glossary"),
    Case("glossaries/bad-locale-column.csv", GlossaryError, "bad-locale-column.csv:1", "'Armenian'"),
    Case("glossaries/duplicate-column.csv", GlossaryError, "duplicate-column.csv:1", "appears twice"),
    Case("glossaries/duplicate-term.csv", GlossaryError, "duplicate-term.csv:4: source", "line 2"),
    Case("glossaries/empty-source-cell.csv", GlossaryError, "empty-source-cell.csv:3: source", "empty"),
    Case("glossaries/too-many-cells.csv", GlossaryError, "too-many-cells.csv:2", "5 cells"),
    Case("glossaries/multiline-term.csv", GlossaryError, "multiline-term.csv:3: hy", "span lines"),
    Case("glossaries/latin1.csv", GlossaryError, "latin1.csv", "not UTF-8"),
    Case("glossaries/doctype-entities.tbx", GlossaryError, "doctype-entities.tbx:2", "DTD"),
    Case("glossaries/not-well-formed.tbx", GlossaryError, "not-well-formed.tbx:4", "not well-formed"),
    Case("glossaries/wrong-root.tbx", GlossaryError, "wrong-root.tbx:1", "<glossary>"),
    Case("glossaries/langset-without-lang.tbx", GlossaryError, "langset-without-lang.tbx:5", "xml:lang"),
    Case("glossaries/no-source-term.tbx", GlossaryError, "no-source-term.tbx:3", "source language"),
    Case("glossaries/glossary.xlsx", GlossaryError, "glossary.xlsx", "unknown glossary format"),
    # -- site manifests (issue 25: the site folder is data, never authority) --------------------------------------
    Case("manifests/traversal-id.json", OutputError, 'site.json:9: briefs["../../victim/evil"]', "not a slug"),
    Case("manifests/legacy-v1-traversal.json", OutputError, 'site.json: briefs["../../victim/evil"]', "not a slug"),
    Case("manifests/absolute-locale.json", OutputError, 'site.json:9: briefs["nagorno-karabakh"].pages["/abs/path/x"]',
         "not a locale tag"),
    Case("manifests/format-exe.json", OutputError,
         'site.json:9: briefs["nagorno-karabakh"].pages["hy"].files["exe"]', "not one of html, text"),
    Case("manifests/garbage-published.json", OutputError, 'site.json:10: briefs["other-brief"].published',
         "not an ISO date"),
    Case("manifests/deep.json", OutputError, "site.json", "nested too deeply"),
    Case("manifests/deep-line.json", OutputError, "site.json:10", "nested too deeply"),
    Case("manifests/not-json.json", OutputError, "site.json", "not valid JSON"),
    Case("manifests/wrong-version.json", OutputError, "site.json", "(found 99)"),
    Case("manifests/absolute-brief-path.json", OutputError, 'site.json:9: briefs["nagorno-karabakh"].path',
         "not a relative path"),
    Case("manifests/base-url-userinfo.json", OutputError, "site.json:3: base_url", "user name or password"),
    Case("manifests/settings-not-paths.json", OutputError,
         'site.json:6: contexts["0123456789abcdef0123"].settings.templates[0]', "not a stored path"),
    Case("manifests/newsroom-not-text.json", OutputError,
         'site.json:6: contexts["0123456789abcdef0123"].settings.newsroom.logo', "expected a string"),
    Case("manifests/stat-garbage.json", OutputError, 'site.json:12: stat["../nagorno-karabakh.yaml"]',
         "expected a list"),
    Case("manifests/provenance-not-a-count.json", OutputError,
         'site.json:9: briefs["nagorno-karabakh"].pages["hy"].provenance.reviewed', "whole number"),
    Case("manifests/unknown-page-field.json", OutputError, 'pages["hy"]."script"', "not a field polybrief writes"),
]


# -- model packages: zips described here, built at test time ---------------------------------------------

PKG = "translate-en_hy-1_0/"
META = {"type": "translate", "from_code": "en", "to_code": "hy", "package_version": "1.0", "package_name": "t"}
MODEL_DATA = b"MODELDATA" * 64


def _members(*, meta: dict | str | None = META, drop: tuple[str, ...] = (),
             extra: tuple[tuple[str, bytes, int], ...] = ()) -> list[tuple[str, bytes, int]]:
    """(name, data, unix mode) of a package: metadata, model, vocabulary, SentencePiece model, extras."""
    members = []
    if meta is not None:
        members.append((PKG + "metadata.json", (meta if isinstance(meta, str) else json.dumps(meta)).encode(), 0))
    members += [(PKG + "model/model.bin", MODEL_DATA, 0), (PKG + "model/shared_vocabulary.txt", b"<unk>\na\n", 0),
                (PKG + "sentencepiece.model", b"spm", 0)]
    return [m for m in members if m[0][len(PKG):] not in drop] + list(extra)


def _zip(members: list[tuple[str, bytes, int]], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as zf:
        for name, data, mode in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = compression
            if mode:
                info.external_attr = mode << 16
            zf.writestr(info, data)
    return buffer.getvalue()


def _corrupt(data: bytes) -> bytes:
    """Flip bytes inside a stored member so its CRC no longer matches."""
    at = data.index(MODEL_DATA) + 100
    return data[:at] + b"XXXX" + data[at + 4:]


LINK = stat.S_IFLNK | 0o777

#: name -> (archive bytes builder, place fragment, what fragment)
MODEL_CASES: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "not-a-zip": (lambda: b"this is not a zip file at all\n" * 10, "not-a-zip.argosmodel", "not a readable"),
    "truncated": (lambda: _zip(_members())[:300], "truncated.argosmodel", "not a readable"),
    "corrupt-member": (lambda: _corrupt(_zip(_members())), "corrupt-member.argosmodel", "corrupt archive"),
    "dotdot-path": (lambda: _zip(_members(extra=((PKG + "../../evil.txt", b"x", 0),))),
                    "dotdot-path.argosmodel", "'..'"),
    "absolute-path": (lambda: _zip(_members(extra=(("/tmp/polybrief-evil.txt", b"x", 0),))),
                      "absolute-path.argosmodel", "absolute path"),
    "backslash-path": (lambda: _zip(_members(extra=((PKG + "..\\..\\evil.txt", b"x", 0),))),
                       "backslash-path.argosmodel", "backslashes"),
    "symlink-member": (lambda: _zip(_members(extra=((PKG + "model/passwd", b"/etc/passwd", LINK),))),
                       "symlink-member.argosmodel", "symbolic link"),
    "outside-package": (lambda: _zip(_members(extra=(("other/readme.txt", b"x", 0),))),
                        "outside-package.argosmodel", "outside the package folder"),
    "no-metadata": (lambda: _zip(_members(meta=None)), "no-metadata.argosmodel", "no metadata.json"),
    "metadata-not-json": (lambda: _zip(_members(meta="{not json")), "metadata.json", "not valid JSON"),
    "missing-to-code": (lambda: _zip(_members(meta={k: v for k, v in META.items() if k != "to_code"})),
                        "metadata.json: to_code", "lacks to_code"),
    "missing-version": (lambda: _zip(_members(meta={k: v for k, v in META.items() if k != "package_version"})),
                        "metadata.json: package_version", "lacks package_version"),
    "not-translate": (lambda: _zip(_members(meta={**META, "type": "sbd"})), "metadata.json: type", "'sbd'"),
    "no-model-bin": (lambda: _zip(_members(drop=("model/model.bin",))), "no-model-bin.argosmodel",
                     "model/model.bin"),
    # issue 15: extraction failures, bombs, bounded JSON, trust between metadata, vocabulary and model
    "file-and-folder": (lambda: _zip(_members(extra=((PKG + "extra", b"x", 0), (PKG + "extra/inner.txt", b"y", 0)))),
                        "file-and-folder.argosmodel", "both a file and a folder"),
    "long-name": (lambda: _zip(_members(extra=((PKG + "n" * 300 + ".txt", b"x", 0),))),
                  "long-name.argosmodel", "longer than 255 bytes"),
    "zip-bomb": (lambda: _zip(_members(extra=((PKG + "padding.bin", bytes(64 * 1024**2), 0),)), zipfile.ZIP_DEFLATED),
                 "zip-bomb.argosmodel", "zip bomb"),
    "deep-metadata": (lambda: _zip(_members(meta=json.dumps(META)[:-1] + ', "x": ' + "[" * 5000 + "]" * 5000 + "}")),
                      "metadata.json:1", "nested more than 64 levels"),
    "huge-version": (lambda: _zip(_members(meta=json.dumps(META).replace('"1.0"', "9" * 5000))),
                     "metadata.json:1", "5000 digits"),
    "duplicate-metadata-key": (lambda: _zip(_members(meta=json.dumps(META).replace('"to_code": "hy"',
                                                                                    '"to_code": "hy", "to_code": "ru"'))),
                               "metadata.json:1", "duplicate key 'to_code'"),
    "nan-metadata": (lambda: _zip(_members(meta=json.dumps(META).replace('"1.0"', "NaN"))),
                     "metadata.json:1", "NaN is not a JSON number"),
    "named-for-other-pair": (lambda: _zip(_members(meta={**META, "to_code": "ru"})),
                             "named-for-other-pair.argosmodel: from_code", "named for en→hy"),
    "prefix-not-in-vocabulary": (lambda: _zip(_members(meta={**META, "target_prefix": "hye_Armn"})),
                                 "prefix-not-in-vocabulary.argosmodel: target_prefix", "not in the model's vocabulary"),
    "prefix-of-other-language": (
        lambda: _zip([(n, b"<unk>\na\nrus_Cyrl\n" if n.endswith("vocabulary.txt") else d, m)
                      for n, d, m in _members(meta={**META, "target_prefix": "rus_Cyrl"})]),
        "prefix-of-other-language.argosmodel: target_prefix", "NLLB writes it 'hye_Armn'"),
    "deep-vocabulary": (lambda: _zip([(n.replace(".txt", ".json"), b"[" * 5000 + b"]" * 5000, m)
                                      if n.endswith("vocabulary.txt") else (n, d, m) for n, d, m in _members()]),
                        "deep-vocabulary.argosmodel!model/shared_vocabulary.json:1", "nested more than 64 levels"),
    "garbage-model-bin": (lambda: _zip(_members()), "garbage-model-bin.argosmodel",
                          "model/model.bin does not load with CTranslate2"),
}


def _install_package():  # noqa: ANN202
    try:
        from polybrief.mt import install_package
    except ImportError:
        pytest.skip("polybrief.mt.install.install_package is not available yet")
    return install_package


# -- setting a case up -------------------------------------------------------------------------------------


@dataclass
class Setup:
    """Where a case's file was put, the API call that must fail, the CLI runs, and what must not change."""

    path: Path
    api: Callable[[], object]
    argvs: list[list[str]]
    out: Path
    unchanged: dict[Path, bytes]
    #: Folders where no file may appear (hidden lock files aside); default: the catalog tree of ``unchanged``.
    watch: tuple[Path, ...] | None = None
    #: Files allowed in ``out`` because they were there before the run (and must stay as they were).
    allowed: frozenset[Path] = frozenset()


def _setup(case: Case, tmp: Path) -> Setup:
    source = CORPUS / case.file
    out = tmp / "out"
    if case.kind == "briefs":
        path = tmp / case.name
        shutil.copyfile(source, path)
        return Setup(path, lambda: load(path), [["publish", str(path), "--locales", "hy", "--out", str(out)]],
                     out, {})
    if case.kind == "catalogs":
        root = tmp / "catalogs"
        path = root / "hy" / "LC_MESSAGES" / "nagorno-karabakh.po"
        path.parent.mkdir(parents=True)
        shutil.copyfile(source, path)
        brief = load(EXAMPLE)
        return Setup(
            path, lambda: load_brief_catalog(brief, get_locale("hy"), root),
            [["update", str(EXAMPLE), "--locales", "hy", "--catalogs", str(root)],
             ["publish", str(EXAMPLE), "--locales", "hy", "--catalogs", str(root), "--out", str(out)]],
            out, {path: path.read_bytes()},
        )
    if case.kind in ("ui", "quotes"):
        data_dir = tmp / "locale-data"
        if case.kind == "ui":
            path = data_dir / "hy" / "LC_MESSAGES" / "polybrief.po"
            api: Callable[[], object] = lambda: UiCatalogs(CatalogRepository(locale_dirs=(data_dir,))).translations(get_locale("hy"))  # noqa: E731
        else:
            path = data_dir / "quotation-marks.toml"
            api = lambda: get_locale("hy", data_dirs=[data_dir])  # noqa: E731
        path.parent.mkdir(parents=True)
        shutil.copyfile(source, path)
        return Setup(path, api, [["publish", str(EXAMPLE), "--locales", "hy", "--locale-data", str(data_dir),
                                  "--out", str(out)]], out, {})
    if case.kind == "glossaries":
        from polybrief import load_glossary

        path = tmp / case.name
        shutil.copyfile(source, path)
        return Setup(path, lambda: load_glossary(path),
                     [["publish", str(EXAMPLE), "--locales", "hy", "--glossary", str(path), "--out", str(out)],
                      ["check", str(EXAMPLE), "--locales", "hy", "--glossary", str(path)]], out, {})
    if case.kind == "manifests":
        manifest = out / ".polybrief" / "site.json"
        manifest.parent.mkdir(parents=True)
        shutil.copyfile(source, manifest)
        victims = _victims(tmp)
        return Setup(manifest, lambda: remove_from_site(out, locales=["hy"]),
                     [["site", "remove", str(out), "--locale", "hy"],
                      ["publish", str(EXAMPLE), "--locales", "hy", "--out", str(out)]],
                     out, {manifest: manifest.read_bytes(), **victims}, watch=(tmp,), allowed=frozenset({manifest}))
    raise AssertionError(case.kind)


def _victims(tmp: Path) -> dict[Path, bytes]:
    """Files a planted manifest record points at (``../../victim/evil`` from a locale folder of ``tmp/out``):
    they must survive every command."""
    victim = tmp / "victim"
    victim.mkdir(exist_ok=True)
    files = {victim / "evil.html": b"<p>not polybrief's</p>\n", victim / "evil.txt": b"not polybrief's\n"}
    for path, data in files.items():
        path.write_bytes(data)
    return files


def _assert_one_line_error(code: int, out: str, err: str, case_place: str) -> None:
    assert code == 2, (code, out, err)
    assert "Traceback" not in out + err
    assert err.startswith("polybrief: error: ") and err.count("\n") == 1 and err.endswith("\n"), err
    assert case_place in err, err


def _assert_nothing_written(setup: Setup) -> None:
    written = [p for p in setup.out.rglob("*") if not p.is_dir() and p not in setup.allowed] \
        if setup.out.exists() else []
    assert written == [], written
    for path, data in setup.unchanged.items():
        assert path.read_bytes() == data, f"{path} changed"
    # Nothing else appeared beside the catalogs (a .pot, a temp file); hidden lock files aside.
    watch = setup.watch if setup.watch is not None else tuple(path.parents[2] for path in setup.unchanged)
    for root in watch:
        others = [p for p in root.rglob("*") if (p.is_file() or p.is_symlink()) and p not in setup.unchanged
                  and p not in setup.allowed and not p.name.endswith(".lock")]
        assert others == [], others


# -- situations a file in the corpus cannot hold (FIFOs, devices, links, limits), built at test time --------


@dataclass(frozen=True)
class Special:
    """A hostile situation built in a temp folder, the error it must give, and what must not change."""

    name: str
    exc: type[PolybriefError]
    place: str
    what: str
    build: Callable[[Path], Setup]


def _example_catalog_root(tmp: Path) -> tuple[Path, Path]:
    root = tmp / "catalogs"
    path = root / "hy" / "LC_MESSAGES" / "nagorno-karabakh.po"
    path.parent.mkdir(parents=True)
    shutil.copyfile(ROOT / "examples" / "locales" / "hy" / "LC_MESSAGES" / "nagorno-karabakh.po", path)
    return root, path


def _brief_at(make: Callable[[Path], None], name: str, *, limit: list[str] | None = None,
              limits: Limits | None = None) -> Callable[[Path], Setup]:
    def build(tmp: Path) -> Setup:
        path, out = tmp / name, tmp / "out"
        make(path)
        return Setup(path, lambda: load(path, **({"limits": limits} if limits else {})),
                     [[*(limit or []), "publish", str(path), "--locales", "hy", "--out", str(out)]], out, {},
                     watch=(tmp,), allowed=frozenset({path}))
    return build


def _copy_example(path: Path) -> None:
    shutil.copyfile(EXAMPLE, path)


def _catalog_fifo(tmp: Path) -> Setup:
    root = tmp / "catalogs"
    path = root / "hy" / "LC_MESSAGES" / "nagorno-karabakh.po"
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    brief, out = load(EXAMPLE), tmp / "out"
    return Setup(path, lambda: load_brief_catalog(brief, get_locale("hy"), root),
                 [["update", str(EXAMPLE), "--locales", "hy", "--catalogs", str(root)],
                  ["publish", str(EXAMPLE), "--locales", "hy", "--catalogs", str(root), "--out", str(out)]],
                 out, {}, watch=(root,), allowed=frozenset({path}))


def _catalog_over_limit(tmp: Path) -> Setup:
    root, path = _example_catalog_root(tmp)
    brief, out = load(EXAMPLE), tmp / "out"
    return Setup(path, lambda: load_brief_catalog(brief, get_locale("hy"), root, limits=Limits(po_bytes=1000)),
                 [["--limit", "po_bytes=1000", "update", str(EXAMPLE), "--locales", "hy", "--catalogs", str(root)],
                  ["--limit", "po_bytes=1000", "publish", str(EXAMPLE), "--locales", "hy", "--catalogs", str(root),
                   "--out", str(out)]], out, {path: path.read_bytes()})


def _catalog_symlink(tmp: Path) -> Setup:
    root, real = _example_catalog_root(tmp)
    real = real.rename(tmp / "elsewhere.po")
    link = root / "hy" / "LC_MESSAGES" / "nagorno-karabakh.po"
    link.symlink_to(real)
    brief = load(EXAMPLE)
    return Setup(link, lambda: update_catalog(brief, get_locale("hy"), root),
                 [["update", str(EXAMPLE), "--locales", "hy", "--catalogs", str(root)]], tmp / "out",
                 {real: real.read_bytes()}, watch=(root,), allowed=frozenset({link}))


def _lock_symlink(tmp: Path) -> Setup:
    """A link planted where the catalog's lock lives (a per-user cache folder, not beside the catalog)."""
    root, path = _example_catalog_root(tmp)
    lock = catalog_lock_path(path)
    lock.unlink(missing_ok=True)
    lock.symlink_to(tmp / "lock-target")
    brief = load(EXAMPLE)
    return Setup(path, lambda: update_catalog(brief, get_locale("hy"), root),
                 [["update", str(EXAMPLE), "--locales", "hy", "--catalogs", str(root)]], tmp / "lock-target",
                 {path: path.read_bytes()})


def _ui_fifo(tmp: Path) -> Setup:
    data_dir, out = tmp / "locale-data", tmp / "out"
    path = data_dir / "hy" / "LC_MESSAGES" / "polybrief.po"
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    return Setup(path, lambda: UiCatalogs(CatalogRepository(locale_dirs=(data_dir,))).translations(get_locale("hy")),
                 [["publish", str(EXAMPLE), "--locales", "hy", "--locale-data", str(data_dir), "--out", str(out)]],
                 out, {}, watch=(data_dir,), allowed=frozenset({path}))


def _template_fifo(tmp: Path) -> Setup:
    from polybrief import write_template

    root = tmp / "catalogs"
    root.mkdir()
    path = root / "nagorno-karabakh.pot"
    os.mkfifo(path)
    brief = load(EXAMPLE)
    return Setup(path, lambda: write_template(brief, root),
                 [["extract", str(EXAMPLE), "--catalogs", str(root)]], tmp / "out", {}, watch=(root,),
                 allowed=frozenset({path}))


def _glossary_fifo(tmp: Path) -> Setup:
    from polybrief import load_glossary

    path, out = tmp / "glossary.csv", tmp / "out"
    os.mkfifo(path)
    return Setup(path, lambda: load_glossary(path),
                 [["publish", str(EXAMPLE), "--locales", "hy", "--glossary", str(path), "--out", str(out)]],
                 out, {}, watch=(tmp,), allowed=frozenset({path}))


def _locale_add_escape(tmp: Path) -> Setup:
    from polybrief import add_locale

    folder = tmp / "D" / "locales"
    folder.mkdir(parents=True)
    return Setup(folder, lambda: add_locale("ru@../../../x", folder),
                 [["locale", "add", "ru@../../../x", "--dir", str(folder)]], tmp / "out", {}, watch=(tmp,))


def _page_is_folder(tmp: Path) -> Setup:
    out = tmp / "out"
    old = out / "en" / "nagorno-karabakh.html"
    old.parent.mkdir(parents=True)
    old.write_text("old page\n", encoding="utf-8")
    (out / "hy" / "nagorno-karabakh.txt").mkdir(parents=True)
    return Setup(out, lambda: publish([EXAMPLE], locales=["hy"], out_dir=out),
                 [["publish", str(EXAMPLE), "--locales", "hy", "--out", str(out)]], out,
                 {old: old.read_bytes()}, watch=(out,), allowed=frozenset({old}))


def _archive_fifo(tmp: Path) -> Setup:
    from polybrief.mt import install_package

    path, packages = tmp / "fifo.argosmodel", tmp / "packages"
    os.mkfifo(path)
    return Setup(path, lambda: install_package(path, packages_dir=packages),
                 [["models", "install", str(path), "--packages-dir", str(packages)]], packages, {},
                 watch=(tmp,), allowed=frozenset({path}))


def _quotes_fifo(tmp: Path) -> Setup:
    data_dir, out = tmp / "locale-data", tmp / "out"
    path = data_dir / "quotation-marks.toml"
    data_dir.mkdir()
    os.mkfifo(path)
    return Setup(path, lambda: get_locale("hy", data_dirs=[data_dir]),
                 [["publish", str(EXAMPLE), "--locales", "hy", "--locale-data", str(data_dir), "--out", str(out)]],
                 out, {}, watch=(data_dir,), allowed=frozenset({path}))


def _site_with(plant: Callable[[Path, Path], None]) -> Callable[[Path], Setup]:
    """A new output folder with something planted in its state folder (``plant(out, tmp)``): publishing into it
    must fail with one line and leave the plant as it was."""
    def build(tmp: Path) -> Setup:
        out = tmp / "out"
        out.mkdir()
        plant(out, tmp)
        planted = frozenset(p for p in out.rglob("*") if not p.is_dir() or p.is_symlink())
        return Setup(out, lambda: publish([EXAMPLE], locales=["hy"], out_dir=out),
                     [["publish", str(EXAMPLE), "--locales", "hy", "--out", str(out)]], out, {},
                     watch=(tmp,), allowed=planted)
    return build


def _lock_is_symlink(out: Path, tmp: Path) -> None:
    (out / ".polybrief").mkdir()
    (out / ".polybrief" / "lock").symlink_to(tmp / "lock-target")


def _lock_is_folder(out: Path, tmp: Path) -> None:
    (out / ".polybrief" / "lock").mkdir(parents=True)


def _state_is_symlink(out: Path, tmp: Path) -> None:
    (tmp / "elsewhere").mkdir()
    (out / ".polybrief").symlink_to(tmp / "elsewhere")


def _state_is_file(out: Path, tmp: Path) -> None:
    (out / ".polybrief").write_text("not a folder\n", encoding="utf-8")


def _manifest_is_fifo(out: Path, tmp: Path) -> None:
    (out / ".polybrief").mkdir()
    os.mkfifo(out / ".polybrief" / "site.json")


def _manifest_is_symlink(out: Path, tmp: Path) -> None:
    (out / ".polybrief").mkdir()
    (out / ".polybrief" / "site.json").symlink_to("/dev/zero")


def _remove_planted_brief(tmp: Path, *, legacy: bool = False) -> Setup:
    """``site remove DIR --brief ../../victim/evil`` with a record planted under that id: it used to delete
    ``victim/evil.html`` and ``.txt`` and exit 0."""
    out = tmp / "out"
    manifest = out / (".polybrief-site.json" if legacy else ".polybrief/site.json")
    manifest.parent.mkdir(parents=True)
    corpus = "manifests/legacy-v1-traversal.json" if legacy else "manifests/traversal-id.json"
    shutil.copyfile(CORPUS / corpus, manifest)
    victims = _victims(tmp)
    return Setup(manifest, lambda: remove_from_site(out, briefs=["../../victim/evil"]),
                 [["site", "remove", str(out), "--brief", "../../victim/evil"],
                  ["site", "remove", str(out), "--locale", "hy"]],
                 out, {manifest: manifest.read_bytes(), **victims}, watch=(tmp,), allowed=frozenset({manifest}))


def _limit_nan(tmp: Path) -> Setup:
    out = tmp / "out"
    return Setup(out, lambda: Limits().with_settings(["figure_max=NaN"]),
                 [["--limit", "figure_max=NaN", "publish", str(EXAMPLE), "--locales", "hy", "--out", str(out)]],
                 out, {}, watch=(tmp,))


def _base_url(url: str) -> Callable[[Path], Setup]:
    def build(tmp: Path) -> Setup:
        from polybrief import Project

        out = tmp / "out"
        return Setup(out, lambda: Project(base_url=url),
                     [["publish", str(EXAMPLE), "--locales", "hy", "--out", str(out), "--base-url", url]],
                     out, {}, watch=(tmp,))
    return build


SPECIALS: list[Special] = [
    Special("brief-fifo", BriefError, "fifo.yaml", "is a FIFO", _brief_at(os.mkfifo, "fifo.yaml")),
    Special("brief-dev-zero", BriefError, "zero.yaml", "is a device",
            _brief_at(lambda p: p.symlink_to("/dev/zero"), "zero.yaml")),
    Special("brief-folder", BriefError, "folder.yaml", "is a folder", _brief_at(os.mkdir, "folder.yaml")),
    Special("brief-over-limit", BriefError, "big.yaml", "more than the 1000 allowed",
            _brief_at(_copy_example, "big.yaml", limit=["--limit", "brief_bytes=1000"],
                      limits=Limits(brief_bytes=1000))),
    Special("catalog-fifo", CatalogError, "nagorno-karabakh.po", "not a regular file", _catalog_fifo),
    Special("catalog-over-limit", CatalogError, "nagorno-karabakh.po", "more than the 1000 allowed",
            _catalog_over_limit),
    Special("catalog-symlink", CatalogError, "nagorno-karabakh.po", "symbolic link", _catalog_symlink),
    Special("lock-symlink", CatalogError, "nagorno-karabakh.po.lock", "is a symbolic link", _lock_symlink),
    Special("ui-catalog-fifo", CatalogError, "polybrief.po", "not a regular file", _ui_fifo),
    Special("template-fifo", CatalogError, "nagorno-karabakh.pot", "is a FIFO", _template_fifo),
    Special("glossary-fifo", GlossaryError, "glossary.csv", "is a FIFO", _glossary_fifo),
    Special("quotes-fifo", LocaleError, "quotation-marks.toml", "not a regular file", _quotes_fifo),
    Special("archive-fifo", ModelPackageError, "fifo.argosmodel", "not a regular file", _archive_fifo),
    Special("locale-add-escape", LocaleError, "'ru@../../../x'", "malformed locale tag", _locale_add_escape),
    Special("page-is-folder", OutputError, "nagorno-karabakh.txt", "a folder stands where a page", _page_is_folder),
    # issue 25: the site folder's state (lock, manifest) is data; hostile plants are one line
    Special("site-lock-symlink", OutputError, ".polybrief/lock", "is a symbolic link", _site_with(_lock_is_symlink)),
    Special("site-lock-folder", OutputError, ".polybrief/lock", "is a folder", _site_with(_lock_is_folder)),
    Special("state-folder-symlink", OutputError, ".polybrief", "is a symbolic link", _site_with(_state_is_symlink)),
    Special("state-folder-file", OutputError, ".polybrief", "is not a folder", _site_with(_state_is_file)),
    Special("manifest-fifo", OutputError, "site.json", "not a regular file", _site_with(_manifest_is_fifo)),
    Special("manifest-symlink", OutputError, "site.json", "is a symbolic link", _site_with(_manifest_is_symlink)),
    Special("remove-planted-brief", OutputError, 'briefs["../../victim/evil"]', "not a slug", _remove_planted_brief),
    Special("remove-planted-legacy", OutputError, '.polybrief-site.json: briefs["../../victim/evil"]', "not a slug",
            functools.partial(_remove_planted_brief, legacy=True)),
    Special("limit-nan", UsageError, "figure_max", "finite positive number, not NaN", _limit_nan),
    Special("base-url-bidi", UsageError, "base URL", "U+202E", _base_url("https://news.example.org/\u202ebriefs/")),
    Special("base-url-crlf", UsageError, "base URL", "U+000D", _base_url("https://news.example.org/\r\nX: 1")),
    Special("base-url-userinfo", UsageError, "base URL", "user name or password",
            _base_url("https://user:secret@news.example.org/")),
    Special("base-url-query", UsageError, "base URL", "a query or a fragment", _base_url("https://a.example/?q=1")),
    Special("base-url-fragment", UsageError, "base URL", "a query or a fragment", _base_url("https://a.example/#x")),
    Special("base-url-port", UsageError, "base URL", "Port out of range", _base_url("https://a.example:99999/")),
]


# -- the tests ---------------------------------------------------------------------------------------------


def test_corpus_is_complete():
    files = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file()}
    assert files == {c.file for c in CASES}, "every corpus file needs a row, every row a file"
    assert len(files) >= 40
    # 62 files and 14 model packages before issue 15, which added at least 40 cases (148 in all);
    # issue 25 added 35: site manifests, site locks, base URLs, limits, currencies, digits, plural rules.
    assert len(CASES) + len(MODEL_CASES) + len(SPECIALS) >= 146 + 35  # two valid files moved to tests/fixtures/po_corpus


@pytest.mark.parametrize("case", [pytest.param(c, id=c.file, marks=c.marks) for c in CASES])
def test_api_raises_with_place(case, tmp_path):
    setup = _setup(case, tmp_path)
    with pytest.raises(case.exc) as info:
        setup.api()
    message = str(info.value)
    assert case.place in message and case.what in message, message
    assert "\n" not in message


@pytest.mark.parametrize("case", [pytest.param(c, id=c.file, marks=c.marks) for c in CASES])
def test_cli_fails_cleanly_and_writes_nothing(case, tmp_path, capfd):
    setup = _setup(case, tmp_path)
    for argv in setup.argvs:
        code = main(argv)
        out, err = capfd.readouterr()
        _assert_one_line_error(code, out, err, case.place)
        _assert_nothing_written(setup)


@pytest.mark.parametrize("name", sorted(MODEL_CASES))
def test_model_package_refused(name, tmp_path, capfd):
    install_package = _install_package()
    build, place, what = MODEL_CASES[name]
    archive = tmp_path / f"{name}.argosmodel"
    archive.write_bytes(build())
    packages = tmp_path / "packages"
    with pytest.raises(ModelPackageError) as info:
        install_package(archive, packages_dir=packages)
    message = str(info.value)
    assert f"{name}.argosmodel" in message and place in message and what in message, message

    code = main(["models", "install", str(archive), "--packages-dir", str(packages)])
    out, err = capfd.readouterr()
    _assert_one_line_error(code, out, err, place)
    # Nothing installed, no staging folder left: at most the install lock file.
    left = [p for p in packages.rglob("*")] if packages.exists() else []
    assert all(p.is_file() and p.name.endswith(".lock") for p in left), left
    assert not (tmp_path / "polybrief-evil.txt").exists() and not Path("/tmp/polybrief-evil.txt").exists()


@pytest.mark.parametrize("special", SPECIALS, ids=lambda s: s.name)
def test_special_api_raises_with_place(special, tmp_path):
    setup = special.build(tmp_path)
    with pytest.raises(special.exc) as info:
        setup.api()
    message = str(info.value)
    assert special.place in message and special.what in message, message
    assert "\n" not in message
    _assert_nothing_written(setup)


@pytest.mark.parametrize("special", SPECIALS, ids=lambda s: s.name)
def test_special_cli_fails_cleanly_and_writes_nothing(special, tmp_path, capfd):
    setup = special.build(tmp_path)
    for argv in setup.argvs:
        code = main(argv)
        out, err = capfd.readouterr()
        _assert_one_line_error(code, out, err, special.place)
        assert special.what in err, err
        _assert_nothing_written(setup)


@pytest.mark.parametrize("file", ["briefs/python-tag.yaml", "catalogs/wrong-nplurals.po", "ui/drops-variable.po",
                                  "quotes/unknown-key.toml", "glossaries/doctype-entities.tbx"])
def test_real_command_line(file, tmp_path):
    """The same through ``python -m polybrief``: a real process, real stderr, no traceback."""
    case = next(c for c in CASES if c.file == file)
    setup = _setup(case, tmp_path)
    result = subprocess.run([sys.executable, "-m", "polybrief", *setup.argvs[-1]], capture_output=True,
                            text=True, timeout=60, cwd=tmp_path)
    _assert_one_line_error(result.returncode, result.stdout, result.stderr, case.place)
    _assert_nothing_written(setup)


# -- the whole corpus in real processes, under a memory and a time limit -------------------------------------

#: Per case: 2,000,000 KiB of address space (``ulimit -v``) and 20 seconds (``timeout``).
ULIMIT_KIB = 2_000_000
TIMEOUT_S = 20


def _corpus_runs(tmp: Path) -> list[tuple[str, list[str], str, Callable[[], None]]]:
    """(label, argv, place, check-nothing-written) for every case of the corpus, each in its own folder
    (one command per case: the in-process tests above run every command of each)."""
    runs: list[tuple[str, list[str], str, Callable[[], None]]] = []
    for n, case in enumerate(CASES):
        (tmp / f"file-{n}").mkdir()
        setup = _setup(case, tmp / f"file-{n}")  # the first command of each (the in-process tests run them all)
        runs.append((case.file, setup.argvs[0], case.place, functools.partial(_assert_nothing_written, setup)))
    for name, (build, place, _) in sorted(MODEL_CASES.items()):
        folder = tmp / f"model-{name}"
        folder.mkdir()
        archive = folder / f"{name}.argosmodel"
        archive.write_bytes(build())
        packages = folder / "packages"

        def installed_nothing(packages: Path = packages) -> None:
            left = list(packages.rglob("*")) if packages.exists() else []
            assert all(p.is_file() and p.name.endswith(".lock") for p in left), left

        runs.append((f"model {name}", ["models", "install", str(archive), "--packages-dir", str(packages)], place,
                     installed_nothing))
    for special in SPECIALS:
        folder = tmp / f"special-{special.name}"
        folder.mkdir()
        setup = special.build(folder)
        runs.append((special.name, setup.argvs[0], special.place, functools.partial(_assert_nothing_written, setup)))
    return runs


@pytest.mark.slow
def test_whole_corpus_under_ulimit_and_timeout(tmp_path):
    """Every case through ``python -m polybrief`` with ``ulimit -v 2000000`` and ``timeout 20``:
    exit status 2, one line, no traceback, no hang, nothing written or half-written."""
    runs = _corpus_runs(tmp_path)
    script = f'ulimit -v {ULIMIT_KIB} && exec timeout {TIMEOUT_S} "$@"'

    def run(item: tuple[str, list[str], str, Callable[[], None]]) -> subprocess.CompletedProcess[str]:
        _, argv, _, _ = item
        return subprocess.run(["bash", "-c", script, "bash", sys.executable, "-m", "polybrief", *argv],
                              capture_output=True, text=True, timeout=TIMEOUT_S * 3, cwd=tmp_path)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, runs))
    problems = []
    for (label, argv, place, check), result in zip(runs, results):
        try:
            assert result.returncode != 124, "timed out"
            _assert_one_line_error(result.returncode, result.stdout, result.stderr, place)
            check()
        except AssertionError as exc:
            problems.append(f"{label} ({argv[0]}): {exc}")
    assert problems == [], "\n".join(problems)
    # The corpus totals, for the record (pytest -s shows them).
    print(f"\ncorpus: {len(CASES)} files, {len(MODEL_CASES)} model packages, {len(SPECIALS)} built situations; "
          f"{len(runs)} runs under ulimit -v {ULIMIT_KIB} and timeout {TIMEOUT_S}")


@pytest.mark.parametrize("limit", [{"brief_values": 60}, {"nesting_depth": 3}])
def test_a_brief_without_anchors_is_measured_as_one_with_them(tmp_path, example_path, limit):
    """A YAML brief with no ``&`` cannot alias, so it is measured by a plain count and depth; past a limit it
    gets the very error (message, line) the alias-aware measure gives, which a ``&`` in a comment selects."""
    import polybrief

    text = example_path.read_text(encoding="utf-8")
    assert "&" not in text
    plain, anchored = tmp_path / "plain.yaml", tmp_path / "anchored.yaml"
    plain.write_text(text, encoding="utf-8")
    anchored.write_text(text + "# & an ampersand in a comment\n", encoding="utf-8")
    errors = []
    for path in (plain, anchored):
        with pytest.raises(polybrief.BriefError) as caught:
            polybrief.load(path, limits=polybrief.Limits(**limit))
        errors.append((caught.value.line, str(caught.value).replace(path.name, "brief.yaml")))
    assert errors[0] == errors[1]
    assert errors[0][0] is not None and ("more than 60 values" in errors[0][1] or "3 levels" in errors[0][1])
