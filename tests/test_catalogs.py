"""The catalog round trip: extract, update, review, stats; PO files that GNU
gettext accepts; bad catalogs refused with file and line; concurrent updates."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import polybrief
from conftest import EXAMPLE_ID, REPO, SHIPPED_LOCALES
from polybrief import CatalogError, get_locale, load, save, translation_units, update_catalog
from polybrief.catalogs.repository import po_path, template_path
from polybrief.catalogs.writer import render_po


def _po(brief_path: Path, tag: str) -> Path:
    return brief_path.parent / "locales" / tag / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"


def _blocks(text: str) -> dict[str, str]:
    """PO text split into entries, keyed by msgctxt (``#~`` entries prefixed with ``~``); header under ''."""
    out: dict[str, str] = {}
    for block in text.strip().split("\n\n"):
        match = re.search(r'^(#~ )?msgctxt ((?:"(?:[^"\\]|\\.)*"\n?(?:#~ )?)+)', block, re.M)
        context = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(2))) if match else ""
        key = ("~" if match and match.group(1) else "") + context
        assert key not in out, key
        out[key] = block
    return out


def _key(brief, position: str) -> str:
    """The key path (msgctxt) of the field at ``position`` (``sections[0].items[2].text``)."""
    (path,) = [u.path for u in translation_units(brief) if u.position == position]
    return path


def _edit_item(brief, index: int, text: str):
    section = brief.sections[0]
    items = list(section.items)
    items[index] = items[index].model_copy(update={"text": text})
    return brief.model_copy(update={"sections": [section.model_copy(update={"items": items})]})


def _drop_item(brief, index: int):
    section = brief.sections[0]
    items = [item for i, item in enumerate(section.items) if i != index]
    return brief.model_copy(update={"sections": [section.model_copy(update={"items": items})]})


# -- extract ---------------------------------------------------------------------------


def test_extract_writes_one_message_per_unit(run_cli, copy_example, example_brief, po_io):
    result = run_cli("extract", copy_example, cwd=copy_example.parent)
    assert result.returncode == 0, result.stderr
    pot = copy_example.parent / "locales" / f"{EXAMPLE_ID}.pot"
    assert result.stdout.strip() == f"wrote {pot}"
    catalog = po_io.read(pot)
    messages = [m for m in catalog if m.id]
    units = translation_units(example_brief)
    assert len(messages) == len(units) == 52
    for message, unit in zip(messages, units):
        assert message.context == unit.path
        assert message.id == ((unit.text, unit.plural) if unit.is_plural else unit.text)
        assert message.auto_comments == [unit.comment]
        assert not any(message.string if isinstance(message.string, tuple) else (message.string,))


def test_extract_is_not_rewritten_when_only_the_date_changes(run_cli, copy_example):
    pot = copy_example.parent / "locales" / f"{EXAMPLE_ID}.pot"
    assert run_cli("extract", copy_example, cwd=copy_example.parent,
                   env={"SOURCE_DATE_EPOCH": "1700000000"}).returncode == 0
    before = (pot.read_bytes(), pot.stat().st_mtime_ns)
    assert b"POT-Creation-Date: 2023-11-14 22:13+0000" in before[0]  # SOURCE_DATE_EPOCH honoured
    assert run_cli("extract", copy_example, cwd=copy_example.parent,
                   env={"SOURCE_DATE_EPOCH": "1800000000"}).returncode == 0
    assert (pot.read_bytes(), pot.stat().st_mtime_ns) == before
    # a real change is written
    brief = load(copy_example)
    save(brief.model_copy(update={"headline": "A new headline"}), copy_example)
    assert run_cli("extract", copy_example, cwd=copy_example.parent).returncode == 0
    assert b'msgid "A new headline"' in pot.read_bytes()


# -- update ------------------------------------------------------------------------------


def test_update_creates_catalogs(run_cli, tmp_path, example_path, po_io, msgfmt):
    brief_path = tmp_path / example_path.name
    shutil.copy(example_path, brief_path)
    result = run_cli("update", brief_path, "--locales", "hy,az,ru", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "locales" / f"{EXAMPLE_ID}.pot").is_file()
    for tag, nplurals in (("hy", 2), ("az", 2), ("ru", 3)):
        path = _po(brief_path, tag)
        catalog = po_io.read(path)
        assert str(catalog.locale) == tag and catalog.num_plurals == nplurals
        assert catalog.project == EXAMPLE_ID
        assert len([m for m in catalog if m.id]) == 52
        assert f"{tag}  {path}  translated 0, fuzzy 0, untranslated 52" in result.stdout
        subprocess.run([msgfmt, "--check", "-o", os.devnull, str(path)], check=True, capture_output=True)


def test_update_of_an_unchanged_brief_changes_nothing(copy_example, example_brief):
    root = copy_example.parent / "locales"
    before = {tag: _po(copy_example, tag).read_bytes() for tag in SHIPPED_LOCALES}
    for tag in SHIPPED_LOCALES:
        update_catalog(example_brief, get_locale(tag), root)
        assert _po(copy_example, tag).read_bytes() == before[tag]  # not even the revision date


def test_editing_one_item_makes_exactly_that_entry_fuzzy(run_cli, copy_example, po_io, msgfmt):
    po = _po(copy_example, "ru")
    before_text = po.read_text(encoding="utf-8")
    before_catalog = po_io.read(po)
    brief = load(copy_example)
    old = brief.sections[0].items[2].text
    new = old.replace("23 were wounded", "twenty-three were wounded")
    save(_edit_item(brief, 2, new), copy_example)

    result = run_cli("update", copy_example, "--locales", "ru", cwd=copy_example.parent)
    assert result.returncode == 0, result.stderr
    assert "translated 51, fuzzy 1, untranslated 0" in result.stdout
    after_text = po.read_text(encoding="utf-8")
    before, after = _blocks(before_text), _blocks(after_text)
    assert set(before) == set(after)
    edited = _key(brief, "sections[0].items[2].text")
    for key in before:
        if key not in ("", edited):
            assert after[key] == before[key], key
            assert "fuzzy" not in after[key]
    assert "#, fuzzy" in after[edited]
    # the old context and source text are kept as the previous ones, in GNU form (as msgmerge --previous)
    previous = [line[3:] for line in after[edited].splitlines() if line.startswith("#| ")]
    assert previous[0].startswith("msgctxt ")
    (msgid_at,) = [i for i, line in enumerate(previous) if line.startswith("msgid ")]
    assert "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', "\n".join(previous[msgid_at:]))) == old.replace('"', '\\"')

    document = polybrief.load_brief_catalog(load(copy_example), get_locale("ru"), po.parent.parent.parent).document
    (entry,) = [e for e in document.records if e.msgctxt == edited]
    (original,) = [m for m in before_catalog if m.context == edited]
    assert "fuzzy" in entry.flags and entry.msgid == new
    assert (entry.previous_msgctxt, entry.previous_msgid) == (edited, old)
    assert entry.tcomment == ""  # the #| lines were read back as the previous msgid, not as comments
    assert entry.msgstr == original.string and not original.fuzzy
    rewritten = render_po(document.entries, metadata=list(document.metadata.items()),
                          header_comment=document.header_comment, original=document)
    assert rewritten.encode("utf-8") == po.read_bytes()  # reading and writing back is the identity
    subprocess.run([msgfmt, "--check", "-o", os.devnull, str(po)], check=True, capture_output=True)

    # a second update keeps the draft and its previous msgid exactly as they are
    assert run_cli("update", copy_example, "--locales", "ru", cwd=copy_example.parent).returncode == 0
    assert po.read_text(encoding="utf-8") == after_text


def test_removed_item_becomes_obsolete_and_revives(copy_example, example_brief, po_io, msgfmt):
    root = copy_example.parent / "locales"
    ru = get_locale("ru")
    po = _po(copy_example, "ru")
    original = {m.context: m.string for m in po_io.read(po) if m.id}
    update_catalog(_drop_item(example_brief, 9), ru, root)
    text = po.read_text(encoding="utf-8")
    blocks = _blocks(text)
    label, body = _key(example_brief, "sections[0].items[9].label"), _key(example_brief, "sections[0].items[9].text")
    assert f"~{body}" in blocks and f"~{label}" in blocks
    assert body not in blocks
    stats = polybrief.catalog_stats(_drop_item(example_brief, 9), ["ru"], root)[0]
    assert (stats.total, stats.translated, stats.obsolete) == (50, 50, 2)
    subprocess.run([msgfmt, "--check", "-o", os.devnull, str(po)], check=True, capture_output=True)

    # each obsolete entry notes what it was, for which key and text: a translator comment every tool keeps
    assert all(blocks[f"~{key}"].startswith("# polybrief obsolete: reviewed ") for key in (label, body))

    update_catalog(example_brief, ru, root)  # the item is back
    revived = {m.context: (m.string, m.fuzzy) for m in po_io.read(po) if m.id}
    # every translation is back on its field, reviewed, as msgmerge revives it: the note proves that it was
    # reviewed for exactly this key and text (a draft, or an entry without the note, comes back as a draft)
    assert revived == {ctx: (string, False) for ctx, string in original.items()}
    assert "#~" not in po.read_text(encoding="utf-8") and "polybrief obsolete" not in po.read_text(encoding="utf-8")
    stats = polybrief.catalog_stats(example_brief, ["ru"], root)[0]
    assert (stats.translated, stats.fuzzy, stats.obsolete) == (52, 0, 0)


def test_removing_a_middle_item_keeps_every_translation_on_its_text(copy_example, example_brief):
    root = copy_example.parent / "locales"
    ru = get_locale("ru")
    catalog = polybrief.load_brief_catalog(example_brief, ru, root)
    by_text = {u.text: catalog.lookup(u).forms for u in translation_units(example_brief)}
    shorter = _drop_item(example_brief, 2)  # items 3..9 move up by one
    update_catalog(shorter, ru, root)
    updated = polybrief.load_brief_catalog(shorter, ru, root)
    for unit in translation_units(shorter):
        entry = updated.lookup(unit)
        assert entry is not None and not entry.fuzzy, unit.path
        assert entry.forms == by_text[unit.text], unit.path
    assert updated.obsolete_count == 2


def test_obsolete_draft_comes_back_as_a_draft(copy_example, example_brief, po_io):
    root = copy_example.parent / "locales"
    ru = get_locale("ru")
    po = _po(copy_example, "ru")
    catalog = po_io.read(po)
    key = _key(example_brief, "sections[0].items[9].text")
    (message,) = [m for m in catalog if m.context == key]
    message.flags.add("fuzzy")
    po_io.write(po, catalog)
    update_catalog(_drop_item(example_brief, 9), ru, root)
    assert _blocks(po.read_text(encoding="utf-8"))[f"~{key}"].startswith("# polybrief obsolete: draft ")
    assert "\n#, fuzzy\n#~ msgctxt " in _blocks(po.read_text(encoding="utf-8"))[f"~{key}"]
    update_catalog(example_brief, ru, root)
    (revived,) = [m for m in po_io.read(po) if m.context == key]
    assert revived.fuzzy  # a draft never comes back as reviewed
    assert revived.string == message.string
    stats = polybrief.catalog_stats(example_brief, ["ru"], root)[0]
    assert (stats.translated, stats.fuzzy) == (51, 1)  # its reviewed label comes back reviewed (its note says so)


def test_obsolete_draft_saved_by_a_babel_editor_still_comes_back_as_a_draft(copy_example, example_brief, po_io):
    """Babel's write_po drops the flags of obsolete entries; the revived entry must still not be 'reviewed'."""
    root = copy_example.parent / "locales"
    po = _po(copy_example, "ru")
    catalog = po_io.read(po)
    key = _key(example_brief, "sections[0].items[9].text")
    (message,) = [m for m in catalog if m.context == key]
    message.flags.add("fuzzy")
    message.string = "машинный черновик"
    po_io.write(po, catalog)
    update_catalog(_drop_item(example_brief, 9), get_locale("ru"), root)
    po_io.write(po, po_io.read(po))  # the translator opens and saves the file in a Babel-based tool
    assert "#, fuzzy" not in po.read_text(encoding="utf-8")
    update_catalog(example_brief, get_locale("ru"), root)
    (revived,) = [m for m in po_io.read(po) if m.context == key]
    assert revived.string == "машинный черновик" and revived.fuzzy


def test_update_never_overwrites_a_reviewed_translation(copy_example, example_brief, po_io):
    root = copy_example.parent / "locales"
    po = _po(copy_example, "hy")
    catalog = po_io.read(po)
    (message,) = [m for m in catalog if m.context == "headline"]
    message.string = "Խմբագրի ստուգված թարգմանություն"
    po_io.write(po, catalog)
    update_catalog(_edit_item(example_brief, 0, "Changed text."), get_locale("hy"), root)
    (kept,) = [m for m in po_io.read(po) if m.context == "headline"]
    assert kept.string == "Խմբագրի ստուգված թարգմանություն" and not kept.fuzzy


# -- stats -------------------------------------------------------------------------------


def test_stats(run_cli, example_path, tmp_path):
    result = run_cli("stats", example_path, "--locales", "hy,az,ru", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    assert [row[:5] for row in rows] == [[tag, "52", "0", "0", "0"] for tag in SHIPPED_LOCALES]
    result = run_cli("stats", example_path, "--locales", "hy,az,ru,ka", "--json", cwd=tmp_path)
    data = json.loads(result.stdout)
    assert [(r["locale"], r["total"], r["translated"], r["fuzzy"], r["untranslated"], r["exists"]) for r in data] == [
        ("hy", 52, 52, 0, 0, True), ("az", 52, 52, 0, 0, True), ("ru", 52, 52, 0, 0, True),
        ("ka", 52, 0, 0, 52, False)]


def test_stats_count_against_the_current_brief(copy_example, example_brief):
    root = copy_example.parent / "locales"
    edited = _edit_item(example_brief, 0, "A different text.")
    (stats,) = polybrief.catalog_stats(edited, ["ru"], root)
    # stale until `update`: the text, and its label, translated for the item's old text (another item now)
    assert (stats.translated, stats.fuzzy, stats.untranslated) == (50, 0, 2)
    edited = _edit_item(example_brief, 0, example_brief.sections[0].items[0].text.replace("AFP", "Reuters"))
    (stats,) = polybrief.catalog_stats(edited, ["ru"], root)
    assert (stats.translated, stats.fuzzy, stats.untranslated) == (51, 0, 1)  # an edit keeps the label's context


# -- shipped catalogs ----------------------------------------------------------------------


SHIPPED_PO = sorted([*REPO.glob("locales/*/LC_MESSAGES/polybrief.po"), *REPO.glob("examples/locales/*/LC_MESSAGES/*.po")])


def test_shipped_catalogs_found():
    # UI: hy, az, ru, fa, ar, ka, uk, tr, de, fr, es; nagorno-karabakh: hy, az, ru, uk; goris-refugees: ru, fa
    assert len(SHIPPED_PO) == 17


@pytest.mark.parametrize("path", SHIPPED_PO, ids=lambda p: str(p.relative_to(REPO)))
def test_shipped_catalog_passes_msgfmt_check(path, msgfmt):
    result = subprocess.run([msgfmt, "--check", "--statistics", "-o", os.devnull, str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


# -- bad catalogs ----------------------------------------------------------------------------


def _corrupt(po: Path, old: str, new: str) -> bytes:
    text = po.read_text(encoding="utf-8")
    assert old in text
    po.write_text(text.replace(old, new, 1), encoding="utf-8")
    return po.read_bytes()


BAD_CATALOGS = {
    "syntax": ('msgctxt "headline"\n', 'msgctxt "headline"\nmsgid_bogus "x"\n', "PO syntax error", None),
    "language": ('"Language: ru\\n"', '"Language: hy\\n"', "header declares language 'hy'", "Language"),
    # four forms are fine for Russian (Django's and Transifex's rule), but then every plural entry needs four
    "nplurals": ("nplurals=3;", "nplurals=4;", "but the catalog's num_plurals is 4",
                 "msgctxt 'figures[civilians-killed-in-the-shelling].unit'"),
    "too-few-plurals": ("nplurals=3;", "nplurals=2;", "header declares nplurals=2, but ru has 3", "Plural-Forms"),
}


@pytest.mark.parametrize("case", BAD_CATALOGS)
def test_bad_catalog_is_refused(case, copy_example, example_brief, run_cli, one_line_error):
    old, new, message, field = BAD_CATALOGS[case]
    po = _po(copy_example, "ru")
    corrupted = _corrupt(po, old, new)
    root = copy_example.parent / "locales"
    with pytest.raises(CatalogError) as info:
        polybrief.load_brief_catalog(example_brief, get_locale("ru"), root)
    assert info.value.file == str(po)
    assert message in info.value.message
    assert info.value.field == field
    if case == "syntax":
        assert info.value.line == po.read_text(encoding="utf-8").splitlines().index('msgid_bogus "x"') + 1
    with pytest.raises(CatalogError):
        update_catalog(example_brief, get_locale("ru"), root)
    assert po.read_bytes() == corrupted

    hy_before = _po(copy_example, "hy").read_bytes()
    save(_edit_item(example_brief, 0, "Edited so that hy would need rewriting."), copy_example)
    result = run_cli("update", copy_example, "--locales", "hy,ru", cwd=copy_example.parent)
    one_line_error(result, str(po), message)
    assert po.read_bytes() == corrupted
    assert _po(copy_example, "hy").read_bytes() == hy_before  # nothing written, not even the good locale
    assert not template_path(root, EXAMPLE_ID).exists()
    for command in (("render", copy_example, "--locale", "ru"), ("stats", copy_example, "--locales", "ru")):
        one_line_error(run_cli(*command, cwd=copy_example.parent), str(po))


def test_plural_entry_with_wrong_number_of_forms(copy_example, example_brief):
    po = _po(copy_example, "ru")
    text = po.read_text(encoding="utf-8")
    block = _blocks(text)[_key(example_brief, "figures[0].unit")]
    fixed = re.sub(r'msgstr\[2\] "[^"]*"\n?', "", block)
    fixed = fixed.rstrip("\n")
    po.write_text(text.replace(block, fixed + '\nmsgstr[3] "лишняя"'), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        polybrief.load_brief_catalog(example_brief, get_locale("ru"), copy_example.parent / "locales")
    assert info.value.file == str(po)


# -- locking ---------------------------------------------------------------------------------


_UPDATE_SCRIPT = """
import sys
from pathlib import Path
import polybrief
brief = polybrief.load(sys.argv[1])
polybrief.update_catalog(brief, polybrief.get_locale("ru"), Path(sys.argv[2]))
"""


def test_concurrent_updates_lose_nothing(copy_example, example_brief, po_io):
    root = copy_example.parent / "locales"
    po = _po(copy_example, "ru")
    reviewed = {m.string for m in po_io.read(po) if m.id}
    variants = []
    for n, index in enumerate((0, 5)):
        path = copy_example.parent / f"variant{n}.yaml"
        save(_edit_item(example_brief, index, f"Edited text number {n}."), path)
        variants.append(path)
    for _ in range(3):
        procs = [subprocess.Popen([sys.executable, "-c", _UPDATE_SCRIPT, str(v), str(root)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for v in variants]
        for proc in procs:
            _, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
        catalog = po_io.read(po)
        live = [m for m in catalog if m.id]
        assert len(live) == 52
        strings = {m.string for m in [*live, *catalog.obsolete.values()]}
        assert reviewed <= strings
    assert not list(po.parent.glob(f".{po.name}.*.tmp"))


def test_concurrent_cli_updates(run_cli, copy_example):
    procs = [subprocess.Popen([sys.executable, "-m", "polybrief", "update", str(copy_example), "--locales", "hy,az,ru"],
                              cwd=copy_example.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    result = run_cli("stats", copy_example, "--locales", "hy,az,ru", "--json", cwd=copy_example.parent)
    assert [r["translated"] for r in json.loads(result.stdout)] == [52, 52, 52]


# -- UI locales ---------------------------------------------------------------------------------


def _ui_total() -> int:
    from babel.messages.pofile import read_po

    with open(REPO / "locales" / "polybrief.pot", "rb") as handle:
        return len([m for m in read_po(handle) if m.id])


def test_locale_add(run_cli, tmp_path, po_io, msgfmt):
    total = _ui_total()
    result = run_cli("locale", "add", "ka", "--dir", tmp_path / "locales", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "locales" / "ka" / "LC_MESSAGES" / "polybrief.po"
    assert result.stdout.splitlines()[0] == f"created {path}: {total} of {total} strings left to translate"
    assert "  - Key figures" in result.stdout
    check = subprocess.run([msgfmt, "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    catalog = po_io.read(path)
    assert str(catalog.locale) == "ka" and catalog.num_plurals == 2

    catalog["Key figures"].string = "ძირითადი მაჩვენებლები"
    po_io.write(path, catalog)
    again = run_cli("locale", "add", "ka", "--dir", tmp_path / "locales", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[0] == f"exists {path}: {total - 1} of {total} strings left to translate"
    assert po_io.read(path)["Key figures"].string == "ძირითადი მაჩვენებლები"

    # and it is used when rendering with --locale-data
    brief = REPO / "examples" / "nagorno-karabakh.yaml"
    html = run_cli("render", brief, "--locale", "ka", "--locale-data", tmp_path / "locales", cwd=tmp_path).stdout
    assert "ძირითადი მაჩვენებლები" in html and '<h2><span lang="en">Sources</span></h2>' in html


def test_update_creates_a_brief_catalog_for_a_new_locale(run_cli, copy_example, po_io):
    result = run_cli("update", copy_example, "--locales", "ka", cwd=copy_example.parent)
    assert result.returncode == 0, result.stderr
    path = _po(copy_example, "ka")
    catalog = po_io.read(path)
    assert str(catalog.locale) == "ka" and catalog.num_plurals == 2
    assert len([m for m in catalog if m.id]) == 52
    assert "untranslated 52" in result.stdout
    assert _po(copy_example, "ru").is_file()  # others untouched


def test_catalog_path_layout(example_brief, tmp_path):
    assert po_path(tmp_path, get_locale("pt-BR"), EXAMPLE_ID) == (
        tmp_path / "pt_BR" / "LC_MESSAGES" / f"{EXAMPLE_ID}.po")
    # a regional locale falls back to the language's catalog
    root = REPO / "examples" / "locales"
    catalog = polybrief.load_brief_catalog(example_brief, get_locale("ru-RU"), root)
    assert catalog is not None and catalog.path == root / "ru" / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"
