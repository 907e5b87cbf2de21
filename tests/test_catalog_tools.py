"""polybrief's marks survive the gettext tools translators use: a suggestion stays a suggestion after
``msgattrib --clear-previous``, msgcat, a Babel rewrite, polib and translate-toolkit; an obsolete draft that
msgmerge (Weblate's msgmerge add-on, Poedit's "Update from POT") revives stays a draft, with a warning."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import polybrief
from polybrief import get_locale, translation_units, update_catalog, write_template

RU = get_locale("ru")
pytestmark = pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext is not installed")

A = {"label": "Casualties", "text": "Two civilians were killed."}
S1 = {"label": "Statement", "text": "Baku said it hit military targets."}
S3 = {"label": "Statement", "text": "The OSCE called for restraint."}


def _brief(items: list[dict[str, str]]) -> polybrief.Brief:
    return polybrief.Brief.model_validate({
        "id": "tools", "headline": "Headline", "dateline": {"place": "Baku", "date": "2024-01-02"},
        "published": "2024-01-02T10:00:00+04:00", "lead": ["Lead."],
        "sections": [{"heading": "Updates", "items": items}]})


def _reviewed(root: Path, brief: polybrief.Brief) -> Path:
    import polib

    update_catalog(brief, RU, root)
    path = root / "ru" / "LC_MESSAGES" / "tools.po"
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = f"«{entry.msgctxt}»"
    po.save(str(path))
    return path


def _msgattrib(path: Path) -> None:
    subprocess.run(["msgattrib", "--clear-previous", "-o", str(path), str(path)], check=True)


def _msgcat(path: Path) -> None:
    subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)


def _babel(path: Path) -> None:
    from babel.messages.pofile import read_po, write_po

    with path.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    out = io.BytesIO()
    write_po(out, catalog)
    path.write_bytes(out.getvalue())


def _polib(path: Path) -> None:
    import polib

    polib.pofile(str(path)).save(str(path))


def _ttk(path: Path) -> None:
    from translate.storage import po

    path.write_bytes(bytes(po.pofile(path.read_bytes())))


TOOLS: dict[str, Callable[[Path], None]] = {"msgattrib --clear-previous": _msgattrib, "msgcat": _msgcat,
                                            "Babel": _babel, "polib": _polib, "translate-toolkit": _ttk}


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_a_suggestion_survives_every_tool_as_a_suggestion(tool, tmp_path):
    root = tmp_path / "locales"
    path = _reviewed(root, _brief([A, S1]))
    edited = _brief([A, S1, S3])  # a new "Statement": the label is offered S1's translation
    update_catalog(edited, RU, root)
    unit = [u for u in translation_units(edited) if u.path == "items[statement-2].label"][0]
    assert polybrief.load_brief_catalog(edited, RU, root).suggestion(unit) is not None
    TOOLS[tool](path)
    if tool == "msgattrib --clear-previous":
        assert "#| msgctxt" not in path.read_text(encoding="utf-8")  # the old sign of a suggestion is gone
    catalog = polybrief.load_brief_catalog(edited, RU, root)
    assert catalog.lookup(unit) is None  # never published, not even as a draft
    assert catalog.suggestion(unit) is not None and catalog.suggestion(unit).text == "«items[statement].label»"
    report = polybrief.publish([edited], locales=["ru"], out_dir=tmp_path / "out", formats=["text"],
                               project=polybrief.Project(catalogs_dir=root, policy=polybrief.TranslationPolicy(
                                   drafts="include", allow_qa_errors=True)))
    text = (tmp_path / "out" / "ru" / "tools.txt").read_text(encoding="utf-8")
    assert "«items[statement].label»" in text and text.count("«items[statement].label»") == 1
    assert report.provenance("tools", "ru")["draft"] == 0


def _revive_with_msgmerge(root: Path, path: Path, brief: polybrief.Brief, tmp_path: Path) -> None:
    write_template(brief, tmp_path / "pot")
    subprocess.run(["msgmerge", "--previous", "-q", "-o", str(path), str(path), str(tmp_path / "pot" / "tools.pot")],
                   check=True)


def test_msgmerge_revives_a_reviewed_entry_as_reviewed(tmp_path):
    root = tmp_path / "locales"
    full = _brief([A, S1])
    path = _reviewed(root, full)
    update_catalog(_brief([A]), RU, root)  # S1 deleted: obsolete, with a note that it was reviewed
    assert "# polybrief obsolete: reviewed " in path.read_text(encoding="utf-8")
    _revive_with_msgmerge(root, path, full, tmp_path)  # re-added, and Weblate's msgmerge add-on ran
    catalog = polybrief.load_brief_catalog(full, RU, root)
    for unit in translation_units(full):
        entry = catalog.lookup(unit)
        assert entry is not None and not entry.fuzzy and entry.text == f"«{unit.path}»"


def test_an_obsolete_draft_revived_by_msgmerge_after_a_babel_rewrite_stays_a_draft(tmp_path, caplog):
    import polib

    root = tmp_path / "locales"
    full = _brief([A, S1])
    path = _reviewed(root, full)
    po = polib.pofile(str(path))
    [entry] = [e for e in po if e.msgctxt == "items[statement].text"]
    entry.flags.append("fuzzy")
    po.save(str(path))
    update_catalog(_brief([A]), RU, root)
    _babel(path)  # a Babel-based editor saves the file: obsolete entries lose their flags
    assert "#, fuzzy" not in path.read_text(encoding="utf-8")
    _revive_with_msgmerge(root, path, full, tmp_path)
    revived = [e for e in polib.pofile(str(path)) if e.msgctxt == "items[statement].text"][0]
    assert "fuzzy" not in revived.flags and revived.msgstr  # msgmerge says: reviewed
    with caplog.at_level(logging.WARNING, logger="polybrief"):
        catalog = polybrief.load_brief_catalog(full, RU, root)
    unit = [u for u in translation_units(full) if u.path == "items[statement].text"][0]
    assert catalog.lookup(unit).fuzzy  # polybrief says: a draft, never published as reviewed
    assert "came back from the obsolete entries as reviewed, but it was a draft" in caplog.text
    update_catalog(full, RU, root)
    text = path.read_text(encoding="utf-8")
    assert "polybrief obsolete" not in text
    assert polybrief.load_brief_catalog(full, RU, root).lookup(unit).fuzzy
