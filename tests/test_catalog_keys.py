"""Stable keys for list elements, and the migration of position-keyed catalogs.

A field's catalog key (``msgctxt``) is built from its elements' keys, so it
survives inserting, deleting and reordering siblings; catalogs made before keys
(polybrief 0.1, ``fixtures/catalogs/v0.1``) are migrated by ``update`` without
losing or misattaching anything.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import polybrief
from conftest import EXAMPLE, EXAMPLE_ID, SHIPPED_LOCALES
from polybrief import BriefError, get_locale, read_brief, translation_units, update_catalog
from polybrief.fields import list_keys, slug_key

V01 = Path(__file__).resolve().parent / "fixtures" / "catalogs" / "v0.1"


def _brief(items: list[dict], **extra) -> polybrief.Brief:
    return polybrief.Brief.model_validate({
        "id": "keys", "headline": "Headline", "dateline": {"place": "Baku", "date": "2024-01-02"},
        "published": "2024-01-02T10:00:00+04:00", "lead": ["Lead."],
        "sections": [{"heading": "Key updates", "items": items}], **extra})


def _paths(brief: polybrief.Brief) -> list[str]:
    return [u.path for u in translation_units(brief)]


# -- default keys -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "key"), [
    ("Azerbaijan's Statement", "azerbaijans-statement"),
    ("Armenian Prime Minister’s Statement", "armenian-prime-ministers"),  # 32 characters at most
    ("Civilians killed in the shelling of the region's capital, per AFP", "civilians-killed-in-the-shelling"),
    ("Ռմբակոծություն Ստեփանակերտում", "ռմբակոծություն-ստեփանակերտում"),
    ("2023", "item-2023"),
    ("— · —", "item"),
    ("EU  Condemnation!", "eu-condemnation"),
])
def test_a_default_key_is_a_slug_of_the_first_words(text, key):
    assert slug_key(text, fallback="item") == key
    assert len(slug_key(text * 5, fallback="item")) <= 32


def test_siblings_with_one_slug_are_told_apart_by_content_not_order():
    one, two = {"label": "Statement", "text": "Baku spoke."}, {"label": "Statement", "text": "Yerevan spoke."}
    aid = {"label": "Aid", "text": "Convoys stopped."}
    keys = list_keys(_brief([one, two, aid]).sections[0].items, field="items")
    assert keys[0] != keys[1] and all(re.fullmatch(r"statement-[0-9a-f]{6}", k) for k in keys[:2])
    assert keys[2] == "aid"
    # an insert, a delete or a move never gives one of them the other's key
    for items in ([{"label": "Statement", "text": "Tbilisi spoke."}, one, two, aid], [two, aid, one], [two, one]):
        new = dict(zip(map(str, items), list_keys(_brief(items).sections[0].items, field="items")))
        assert new[str(one)] == keys[0] and new[str(two)] == keys[1]
    # an explicit key is taken first; a derived key that equals it is told apart the same way
    keys = list_keys(_brief([one, {**aid, "key": "statement"}]).sections[0].items, field="items")
    assert keys[1] == "statement" and re.fullmatch(r"statement-[0-9a-f]{6}", keys[0])
    # identical items (nothing to tell them apart by) fall back to order
    keys = list_keys(_brief([one, dict(one)]).sections[0].items, field="items")
    assert keys[1] == f"{keys[0]}-2"


def test_keys_survive_insert_delete_and_move():
    items = [{"label": f"Label {n}", "text": f"Text {n}."} for n in "abcd"]
    before = dict(zip([u.text for u in translation_units(_brief(items))], _paths(_brief(items))))
    for changed in (items[1:], [{"label": "New", "text": "New."}, *items], [items[3], items[0], items[2], items[1]]):
        for unit in translation_units(_brief(changed)):
            if unit.text in before:
                assert unit.path == before[unit.text], unit.path


def test_a_unit_knows_its_position_for_authors():
    brief = _brief([{"label": "A", "text": "a."}, {"label": "B", "text": "b.", "key": "bee"}])
    unit = translation_units(brief)[-1]
    assert (unit.path, unit.position) == ("sections[key-updates].items[bee].text", "sections[0].items[1].text")


def test_lists_of_text_and_every_keyed_kind_get_keys(example_brief):
    kinds = {u.path.split("[")[0] for u in translation_units(example_brief) if "[" in u.path}
    assert kinds == {"lead", "sections", "figures", "quotes", "sources", "closing", "authors", "corrections"}
    assert not any(part.isdigit() for u in translation_units(example_brief)
                   for part in re.findall(r"\[([^\]]*)\]", u.path))


@pytest.mark.parametrize(("key", "message"), [
    ("Casualties", "lower-case"), ("2023", "needs at least one letter"), ("two words", "lower-case"),
    ("-lead", "lower-case"), ("x" * 65, "at most 64"),
])
def test_author_keys_are_checked(key, message):
    text = yaml.safe_dump({"id": "k", "headline": "H", "dateline": {"place": "P", "date": "2024-01-01"},
                           "published": "2024-01-01T00:00:00+00:00", "lead": ["L."],
                           "sections": [{"heading": "S", "items": [{"label": "A", "text": "a.", "key": key}]}]})
    with pytest.raises(BriefError) as info:
        read_brief(text, filename="k.yaml")
    assert info.value.field == "sections[0].items[0].key" and message in info.value.message


def test_duplicate_author_keys_name_the_positional_field():
    text = yaml.safe_dump({"id": "k", "headline": "H", "dateline": {"place": "P", "date": "2024-01-01"},
                           "published": "2024-01-01T00:00:00+00:00", "lead": ["L."],
                           "figures": [{"label": "A", "value": 1, "key": "dead"},
                                       {"label": "B", "value": 2, "key": "dead"}]})
    with pytest.raises(BriefError) as info:
        read_brief(text, filename="k.yaml")
    assert info.value.field == "figures[1].key" and "already used by figures[0]" in info.value.message


# -- migrating position-keyed catalogs ------------------------------------------------------------


def _v01_tree(tmp_path: Path) -> Path:
    root = tmp_path / "locales"
    for tag in SHIPPED_LOCALES:
        target = root / tag / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"
        target.parent.mkdir(parents=True)
        shutil.copy(V01 / f"{tag}.po", target)
    return root


def _old_entries(tag: str) -> dict[str, tuple]:
    import polib

    return {e.msgctxt: (e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in polib.pofile(str(V01 / f"{tag}.po")) if not e.obsolete}


def test_a_0_1_catalog_is_migrated_without_loss(tmp_path, example_brief, msgfmt):
    root = _v01_tree(tmp_path)
    for tag in SHIPPED_LOCALES:
        locale = get_locale(tag)
        assert polybrief.catalog_stats(example_brief, [locale], root)[0].translated < 10  # positions are not keys
        update_catalog(example_brief, locale, root)
        stats = polybrief.catalog_stats(example_brief, [locale], root)[0]
        # Since 0.1 a qualified figure's unit is one phrase ("at least {count} civilians"): that
        # figure's old entries no longer all match their position, so the figure is not migrated by
        # position. Its label comes back as a suggestion, its old unit stays obsolete; nothing is lost.
        # The byline and the correction came after 0.1: untranslated.
        assert (stats.translated, stats.fuzzy, stats.untranslated, stats.suggested, stats.obsolete) == (48, 0, 4, 1, 2)
        old = _old_entries(tag)
        catalog = polybrief.load_brief_catalog(example_brief, locale, root)
        # exact figures' units became phrases ("{count} civilians") later: they migrate with "{count} "
        # before each form (their legacy source is the bare unit), reviewed as they were
        phrase_figures = {u.position.split(".")[0] for u in translation_units(example_brief)
                          if u.has_count and u.legacy is None}
        assert phrase_figures == {"figures[0]"}
        kept = {e.msgstr for e in catalog.document.po if not e.msgid_plural} | {
            tuple(sorted(e.msgstr_plural.items())) for e in catalog.document.po if e.msgid_plural}
        for unit in translation_units(example_brief):
            entry = catalog.lookup(unit)
            if unit.position not in old:  # a field added after 0.1 (the byline, the correction)
                assert unit.position.startswith(("authors[", "corrections[")) and entry is None
                continue
            msgid, msgstr, plural = old[unit.position]
            if unit.position.split(".")[0] in phrase_figures:
                assert entry is None and (plural or msgstr) in kept
                continue
            if unit.legacy is not None:
                assert msgid == unit.legacy[0] and entry.forms == tuple(f"{{count}} {f}" for _, f in plural)
                continue
            assert msgid == unit.text and entry.forms == ((msgstr,) if not plural else tuple(f for _, f in plural))
        po = root / tag / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"
        assert subprocess.run([msgfmt, "-c", "-o", os.devnull, str(po)]).returncode == 0
        data = po.read_bytes()
        update_catalog(example_brief, locale, root)
        assert po.read_bytes() == data


def test_the_shipped_catalogs_are_migrated_and_publish_strict(tmp_path, example_brief, example_path):
    for tag in SHIPPED_LOCALES:
        text = (example_path.parent / "locales" / tag / "LC_MESSAGES" / f"{EXAMPLE_ID}.po").read_text(encoding="utf-8")
        assert "msgctxt \"lead[0]\"" not in text and "msgctxt \"lead[azerbaijans-defense-ministry]\"" in text
    report = polybrief.publish([example_path], locales=list(SHIPPED_LOCALES), out_dir=tmp_path / "dist",
                               formats=["html", "text"],
                               project=polybrief.Project(policy=polybrief.TranslationPolicy(strict=True)))
    for tag in SHIPPED_LOCALES:
        assert report.provenance(EXAMPLE_ID, tag) == {"reviewed": 52, "draft": 0, "machine-draft": 0, "machine": 0, "source": 0}


def test_a_0_1_catalog_of_an_edited_brief_never_attaches_by_position(tmp_path):
    """The brief lost its first item before the old catalog was updated: every later item sits
    at a position whose translation belongs to its neighbour.  Nothing may come back reviewed
    there, and every translation must still be in the file."""
    root = _v01_tree(tmp_path)
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    del data["sections"][0]["items"][0]
    brief = polybrief.Brief.model_validate(data)
    update_catalog(brief, get_locale("ru"), root)
    catalog = polybrief.load_brief_catalog(brief, get_locale("ru"), root)
    old = _old_entries("ru")
    by_text = {msgid: msgstr for msgid, msgstr, _ in old.values()}
    for unit in translation_units(brief):
        entry = catalog.lookup(unit)
        if unit.position.startswith("sections[0].items["):
            assert entry is None  # shifted: only a suggestion (same text, other key) or nothing
            suggestion = catalog.suggestion(unit)
            assert suggestion is not None and suggestion.text == by_text[unit.text]
        elif unit.position.startswith(("figures[0].", "authors[", "corrections[")):
            assert entry is None  # its unit became a phrase since 0.1 (see the test above); added since
        else:
            assert entry is not None and not entry.fuzzy  # unmoved fields migrate
    kept = {e.msgstr for e in catalog.document.po if not e.msgid_plural}
    assert {msgstr for _, msgstr, plural in old.values() if not plural} <= kept
