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

import io
import json
import shutil
import stat
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from polybrief import get_locale, load
from polybrief.catalogs import load_brief_catalog
from polybrief.cli import main
from polybrief.errors import (
    BriefError,
    CatalogError,
    GlossaryError,
    LocaleError,
    ModelPackageError,
    PolybriefError,
)
from polybrief.catalogs import CatalogRepository
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
    # -- brief catalogs ------------------------------------------------------------------------
    Case("catalogs/syntax-error.po", CatalogError, "nagorno-karabakh.po:17", "PO syntax error"),
    Case("catalogs/unknown-keyword.po", CatalogError, "nagorno-karabakh.po:17", "PO syntax error"),
    Case("catalogs/garbage.po", CatalogError, "nagorno-karabakh.po:1", "PO syntax error"),
    Case("catalogs/unterminated-string.po", CatalogError, "nagorno-karabakh.po:12", "PO syntax error"),
    Case("catalogs/latin1.po", CatalogError, "nagorno-karabakh.po:16", "not UTF-8"),
    Case("catalogs/wrong-language.po", CatalogError, "nagorno-karabakh.po: Language", "'ru'"),
    Case("catalogs/wrong-nplurals.po", CatalogError, "nagorno-karabakh.po: Plural-Forms", "nplurals=3"),
    Case("catalogs/plural-shape.po", CatalogError, "nagorno-karabakh.po:16", "num_plurals"),
    # -- UI catalogs ----------------------------------------------------------------------------
    Case("ui/drops-variable.po", CatalogError, "polybrief.po:11: msgid 'at least %(number)s'", "drops ['number']"),
    Case("ui/adds-variable.po", CatalogError, "polybrief.po:11: msgid 'at least %(number)s'", "adds ['extra']"),
    Case("ui/misspelled-variable.po", CatalogError, "polybrief.po:11", "adds ['numbr'] and drops ['number']"),
    Case("ui/wrong-language.po", CatalogError, "polybrief.po: Language", "'az'"),
    Case("ui/syntax-error.po", CatalogError, "polybrief.po:10", "missing msgstr"),
    Case("ui/unterminated-string.po", CatalogError, "polybrief.po:12", "PO syntax error"),
    # -- quotation marks --------------------------------------------------------------------------
    Case("quotes/invalid-toml.toml", LocaleError, "quotation-marks.toml", "line 3"),
    Case("quotes/missing-key.toml", LocaleError, "quotation-marks.toml: hy", "missing key 'alt_end'"),
    Case("quotes/not-a-table.toml", LocaleError, "quotation-marks.toml: hy", "expected a table"),
    Case("quotes/empty-mark.toml", LocaleError, "quotation-marks.toml: hy", "non-empty strings"),
    Case("quotes/number-mark.toml", LocaleError, "quotation-marks.toml: ru", "non-empty strings"),
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


def _zip(members: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data, mode in members:
            info = zipfile.ZipInfo(name)
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
}


def _install_package():  # noqa: ANN202
    try:
        from polybrief.mt.install import install_package
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
        from polybrief.glossary import load_glossary

        path = tmp / case.name
        shutil.copyfile(source, path)
        return Setup(path, lambda: load_glossary(path),
                     [["publish", str(EXAMPLE), "--locales", "hy", "--glossary", str(path), "--out", str(out)],
                      ["check", str(EXAMPLE), "--locales", "hy", "--glossary", str(path)]], out, {})
    raise AssertionError(case.kind)


def _assert_one_line_error(code: int, out: str, err: str, case_place: str) -> None:
    assert code == 2, (code, out, err)
    assert "Traceback" not in out + err
    assert err.startswith("polybrief: error: ") and err.count("\n") == 1 and err.endswith("\n"), err
    assert case_place in err, err


def _assert_nothing_written(setup: Setup) -> None:
    assert not setup.out.exists() or not any(setup.out.iterdir()), sorted(setup.out.rglob("*"))
    for path, data in setup.unchanged.items():
        assert path.read_bytes() == data, f"{path} changed"
        # Nothing else appeared beside the catalog (a .pot, a temp file); hidden lock files aside.
        root = path.parents[2]
        others = [p for p in root.rglob("*") if p.is_file() and p != path and not p.name.endswith(".lock")]
        assert others == [], others


# -- the tests ---------------------------------------------------------------------------------------------


def test_corpus_is_complete():
    files = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file()}
    assert files == {c.file for c in CASES}, "every corpus file needs a row, every row a file"
    assert len(files) >= 40


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


@pytest.mark.parametrize("file", ["briefs/python-tag.yaml", "catalogs/wrong-nplurals.po", "ui/drops-variable.po",
                                  "quotes/missing-key.toml", "glossaries/doctype-entities.tbx"])
def test_real_command_line(file, tmp_path):
    """The same through ``python -m polybrief``: a real process, real stderr, no traceback."""
    case = next(c for c in CASES if c.file == file)
    setup = _setup(case, tmp_path)
    result = subprocess.run([sys.executable, "-m", "polybrief", *setup.argvs[-1]], capture_output=True,
                            text=True, timeout=60, cwd=tmp_path)
    _assert_one_line_error(result.returncode, result.stdout, result.stderr, case.place)
    _assert_nothing_written(setup)
