"""Catalogs shared with the gettext ecosystem: files written by msgmerge, msgcat, msgattrib,
polib, translate-toolkit and Poedit are read, updated and published; files polybrief
writes pass ``msgfmt -c`` and read back the same in polib and translate-toolkit.

The corpus (``fixtures/interop``) was written by the tools themselves
(``make_corpus.py`` regenerates it; ``MANIFEST`` says which tool wrote each file
and which brief it belongs to).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import polybrief
from polybrief import get_locale, update_catalog
from polybrief.catalogs.po import parse_po
from polybrief.catalogs.writer import detect_width, render_entry

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "fixtures" / "interop"
EXAMPLE = HERE.parent / "examples" / "nagorno-karabakh.yaml"
RU = get_locale("ru")
MANIFEST = {line.split()[0]: line.split()[1] for line in (CORPUS / "MANIFEST").read_text().splitlines()}


def _view(obsolete: bool, context: Any, msgid: str, plural: Any, forms: tuple[str, ...], fuzzy: bool,
          previous: tuple[Any, ...]) -> tuple[Any, ...]:
    return (obsolete, context, msgid, plural or None, forms, fuzzy, previous)


def _ours(path: Path) -> list[tuple[Any, ...]]:
    out = []
    for e in parse_po(path).records:
        forms = tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural)) if e.msgid_plural else (e.msgstr,)
        out.append(_view(bool(e.obsolete), e.msgctxt, e.msgid, e.msgid_plural, forms, "fuzzy" in e.flags,
                         (e.previous_msgctxt, e.previous_msgid, e.previous_msgid_plural)))
    return out


def _polib(path: Path) -> list[tuple[Any, ...]]:
    import polib

    out = []
    for e in polib.pofile(str(path)):
        forms = tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural)) if e.msgid_plural else (e.msgstr,)
        out.append(_view(bool(e.obsolete), e.msgctxt, e.msgid, e.msgid_plural, forms, "fuzzy" in e.flags,
                         (e.previous_msgctxt, e.previous_msgid, e.previous_msgid_plural)))
    return out


def _joined(lines: list[str]) -> str | None:
    import polib

    return polib.unescape("".join(line.strip()[1:-1] for line in lines)) if lines else None


def _ttk(path: Path) -> list[tuple[Any, ...]]:
    from translate.storage import po

    out = []
    for u in po.pofile(path.read_bytes()).units:
        if u.isheader():
            continue
        plural = u.hasplural()
        source = u.source.strings if plural else [u.source]
        forms = tuple(str(s) for s in u.target.strings) if plural else (str(u.target),)
        out.append(_view(u.isobsolete(), u.getcontext() or None, str(source[0]), str(source[1]) if plural else None,
                         forms, u.isfuzzy(), (_joined(u.prev_msgctxt), _joined(u.prev_msgid),
                                              _joined(u.prev_msgid_plural))))
    return out


def assert_reads_back_alike(path: Path) -> None:
    """polybrief, polib and translate-toolkit read the same entries, fuzzy flags and previous msgids.

    polib 1.2 skips ``#~|`` lines, so for obsolete entries it is compared without them.
    """
    ours = _ours(path)
    assert _ttk(path) == ours
    without_obsolete_previous = [(*v[:6], (None, None, None)) if v[0] else v for v in ours]
    assert [(*v[:6], (None, None, None)) if v[0] else v for v in _polib(path)] == without_obsolete_previous


def _brief(name: str) -> polybrief.Brief:
    """The brief a corpus file was made from (the corpus was regenerated with the byline and the correction)."""
    return polybrief.load(EXAMPLE if MANIFEST[name] == "example" else CORPUS / "edited.yaml")


def _install(name: str, tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "locales"
    po = root / "ru" / "LC_MESSAGES" / "nagorno-karabakh.po"
    po.parent.mkdir(parents=True)
    shutil.copy(CORPUS / name, po)
    return root, po


def test_the_corpus_is_complete():
    assert sorted(MANIFEST) == sorted(p.name for p in CORPUS.glob("*.po"))
    assert len(MANIFEST) >= 8
    texts = {name: (CORPUS / name).read_text(encoding="utf-8") for name in MANIFEST}
    assert "#~| msgid" in texts["msgmerge-previous.po"] and "#| msgctxt" in texts["msgmerge-previous.po"]
    assert "X-Poedit-Basepath" in texts["poedit.po"]
    assert detect_width(texts["msgcat.po"]) == 79 and detect_width(texts["msgcat-no-wrap.po"]) == 0
    assert detect_width(texts["polib.po"]) == 78


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_other_tools_files_are_read_alike(name):
    assert_reads_back_alike(CORPUS / name)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_an_unchanged_brief_leaves_other_tools_files_byte_identical(name, tmp_path, msgfmt):
    root, po = _install(name, tmp_path)
    before = po.read_bytes()
    assert subprocess.run([msgfmt, "-c", "-o", os.devnull, str(po)]).returncode == 0
    brief = _brief(name)
    stats = polybrief.catalog_stats(brief, [RU], root)[0]
    assert stats.translated >= 47 and stats.exists
    update_catalog(brief, RU, root)
    assert po.read_bytes() == before

    report = polybrief.publish([brief], locales=["ru"], out_dir=tmp_path / "out", formats=["text"],
                               project=polybrief.Project(catalogs_dir=root))
    counts = report.provenance(brief.id, "ru")
    assert counts["reviewed"] == stats.translated and counts["draft"] == 0
    assert counts["source"] == stats.total - stats.translated


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_an_update_keeps_other_tools_text_and_header(name, tmp_path, msgfmt):
    root, po = _install(name, tmp_path)
    original = po.read_text(encoding="utf-8")
    brief = _brief(name)
    edited = brief.model_copy(update={"headline": "Azerbaijan launches an offensive in Nagorno-Karabakh"})
    update_catalog(edited, RU, root)
    after = po.read_text(encoding="utf-8")
    check = subprocess.run([msgfmt, "-c", "-o", os.devnull, str(po)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert_reads_back_alike(po)
    # every entry but the edited one keeps the other tool's bytes; every header line but the date stays
    old_blocks = original.split("\n\n")
    new_blocks = set(after.split("\n\n"))
    untouched = [b for b in old_blocks[1:] if 'msgctxt "headline"' not in b]
    assert [b for b in untouched if b.strip() and b not in new_blocks] == []
    old_header = [line for line in old_blocks[0].splitlines() if not line.startswith('"PO-Revision-Date:')]
    new_header = [line for line in after.split("\n\n")[0].splitlines() if not line.startswith('"PO-Revision-Date:')]
    assert new_header == old_header
    entry = polybrief.load_brief_catalog(edited, RU, root).lookup(polybrief.translation_units(edited)[0])
    assert entry is not None and entry.fuzzy and entry.stale


@pytest.mark.parametrize("name", ["msgcat.po", "msgcat-no-wrap.po", "msgmerge-previous.po", "msgattrib.po", "poedit.po"])
def test_new_entries_are_wrapped_as_gnu_gettext_wraps_them(name):
    """Entries polybrief writes afresh follow the file's width exactly as msgcat, msgmerge and msgattrib do."""
    document = parse_po(CORPUS / name)
    width = detect_width(document.text)
    blocks = [b for b in document.text.split("\n\n")[1:] if b.strip()]
    assert [render_entry(e, width) for e in document.entries] == [b.rstrip("\n") for b in blocks]
