"""The catalog entry adapter: every state read from real PO text, every transition written, checked by
GNU ``msgfmt --check`` and read back by polib (an independent reader) and by polybrief."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from polybrief.catalogs.entry import (
    MACHINE_COMMENT,
    NO_MODEL_NOTE,
    REJECTED_COMMENT,
    SUGGESTION_NOTE,
    Entry,
    EntryState,
    Source,
)
from polybrief.catalogs.po import PoFile, parse_po
from polybrief.catalogs.writer import render_po

HEADER = r'''# Translations of a test brief.
msgid ""
msgstr ""
"Project-Id-Version: entry-test 1\n"
"Report-Msgid-Bugs-To: \n"
"POT-Creation-Date: 2024-05-01 12:00+0000\n"
"PO-Revision-Date: 2024-05-02 12:00+0000\n"
"Last-Translator: Test Translator <test@example.org>\n"
"Language-Team: Russian <ru@example.org>\n"
"Language: ru\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"
'''

# One entry per state a catalog can hold, each written the way PO tools (and polybrief) write it.
ENTRIES = r'''
msgctxt "reviewed"
msgid "Reviewed"
msgstr "Проверено"

#, fuzzy
msgctxt "draft"
msgid "Draft"
msgstr "Черновик"

#, fuzzy
#| msgid "Old text"
msgctxt "stale"
msgid "New text"
msgstr "Старый текст"

# machine translation: engine argos, model en→ru 1.9, score -0.250
#, fuzzy
msgctxt "machine"
msgid "Machine"
msgstr "Машина"

# checked by Anna
# machine translation: engine argos, model ru→en 1.9 + en→hy 1.5, score -0.412
#, fuzzy
#| msgid "Older machine source"
msgctxt "stale-machine"
msgid "Machine source"
msgstr "Машинный источник"

# machine translation: engine argos, model translate-en_ru-1_9-big +
# translate-ru_hy-1_5-big, score -1.000
# a translator's own line
#, fuzzy
msgctxt "wrapped"
msgid "Wrapped note"
msgstr "Перенесённая заметка"

#, fuzzy
#| msgctxt "other.key"
#| msgid "Suggested"
msgctxt "suggestion"
msgid "Suggested"
msgstr "Предложено"

# machine translation rejected: engine argos, model en→ru 1.9: the number 12 is missing
msgctxt "rejected"
msgid "Rejected"
msgstr ""

# machine translation rejected: engine argos, model ?: no machine translation model for en→ru
msgctxt "no-model"
msgid "No model"
msgstr ""

msgctxt "untranslated"
msgid "Untranslated"
msgstr ""

#, python-brace-format
msgctxt "figure"
msgid "at least {count} civilians"
msgstr "не менее {count} мирных жителей"

#, python-brace-format, fuzzy
#| msgctxt "figure-stale"
#| msgid "{count} civilians"
msgctxt "figure-stale"
msgid "at least {count} people"
msgstr "{count} мирных жителей"

msgctxt "plural"
msgid "child"
msgid_plural "children"
msgstr[0] "ребёнок"
msgstr[1] "ребёнка"
msgstr[2] ""

#, fuzzy
#~ msgctxt "obsolete"
#~ msgid "Obsolete"
#~ msgstr "Устарело"
'''

STATES = {
    "reviewed": EntryState.REVIEWED,
    "draft": EntryState.DRAFT,
    "stale": EntryState.DRAFT,
    "machine": EntryState.MACHINE_DRAFT,
    "stale-machine": EntryState.MACHINE_DRAFT,
    "wrapped": EntryState.MACHINE_DRAFT,
    "suggestion": EntryState.SUGGESTION,
    "rejected": EntryState.REJECTED,
    "no-model": EntryState.UNTRANSLATED,
    "untranslated": EntryState.UNTRANSLATED,
    "figure": EntryState.REVIEWED,
    "figure-stale": EntryState.DRAFT,
    "plural": EntryState.REVIEWED,
    "obsolete": EntryState.OBSOLETE,
}


@pytest.fixture
def catalog(tmp_path: Path, msgfmt: str) -> PoFile:
    path = tmp_path / "in.po"
    path.write_text(HEADER + ENTRIES, encoding="utf-8")
    _check(msgfmt, path)  # the fixture itself is a valid catalog
    return parse_po(path)


def _check(msgfmt: str, path: Path) -> None:
    result = subprocess.run([msgfmt, "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _by_key(document: PoFile) -> dict[str | None, Entry]:
    return {e.msgctxt: e for e in document.entries}


def _write(msgfmt: str, document: PoFile, entries: list[Entry], path: Path) -> tuple[PoFile, dict[str, object]]:
    """Write ``entries`` under ``document``'s header, check the file with msgfmt, read it back two ways."""
    import polib

    text = render_po(entries, metadata=list(document.metadata.items()), header_comment=document.header_comment,
                     original=document, path=path)
    path.write_text(text, encoding="utf-8")
    _check(msgfmt, path)
    return parse_po(path), {e.msgctxt: e for e in polib.pofile(str(path))}


def _changed(msgfmt: str, catalog: PoFile, tmp_path: Path, key: str, change) -> tuple[Entry, object]:
    """Apply ``change`` to a copy of entry ``key``, write the catalog, and read that entry back (ours, polib's)."""
    entries = [e.copy() for e in catalog.entries]
    change(_by_key_list(entries)[key])
    ours, theirs = _write(msgfmt, catalog, entries, tmp_path / "out.po")
    return _by_key(ours)[key], theirs[key]


def _by_key_list(entries: list[Entry]) -> dict[str | None, Entry]:
    return {e.msgctxt: e for e in entries}


# -- reading -----------------------------------------------------------------------------


def test_every_state_is_read_from_the_flags_and_comments(catalog):
    assert {e.msgctxt: e.state for e in catalog.entries} == STATES


def test_what_each_entry_says_is_typed(catalog):
    entries = _by_key(catalog)
    assert entries["stale"].stale and entries["stale"].previous == Source(None, "Old text", None)
    assert not entries["draft"].stale and not entries["suggestion"].stale_machine_draft
    assert entries["stale-machine"].stale_machine_draft and not entries["machine"].stale_machine_draft
    assert entries["suggestion"].suggestion and entries["suggestion"].previous_msgctxt == "other.key"
    # a previous context naming the entry's own key (as rule 2 of the merge writes it) is no suggestion
    assert entries["figure-stale"].stale and not entries["figure-stale"].suggestion
    assert entries["figure-stale"].flags == ("python-brace-format", "fuzzy")
    assert (entries["machine"].engine, entries["machine"].models) == ("argos", ("en→ru 1.9",))
    assert entries["stale-machine"].models == ("ru→en 1.9", "en→hy 1.5")
    assert entries["draft"].engine is None and entries["draft"].models == ()
    plural = entries["plural"]
    assert plural.msgid_plural == "children" and plural.forms == ("ребёнок", "ребёнка", "")
    assert plural.indexed_forms == ((0, "ребёнок"), (1, "ребёнка"), (2, ""))
    assert plural.has_text and not plural.complete
    assert entries["reviewed"].complete and entries["reviewed"].text == "Проверено"
    assert entries["untranslated"].forms == ("",) and not entries["untranslated"].has_text
    assert entries["obsolete"].obsolete and entries["obsolete"].fuzzy


def test_a_machine_note_wrapped_by_an_editor_is_read_whole(catalog):
    wrapped = _by_key(catalog)["wrapped"]
    assert wrapped.notes == ("machine translation: engine argos, model translate-en_ru-1_9-big +"
                             " translate-ru_hy-1_5-big, score -1.000",)
    assert wrapped.models == ("translate-en_ru-1_9-big", "translate-ru_hy-1_5-big")


def test_writing_an_unchanged_catalog_gives_its_bytes_back(catalog, tmp_path, msgfmt):
    ours, _ = _write(msgfmt, catalog, list(catalog.entries), tmp_path / "same.po")
    assert ours.text == HEADER + ENTRIES
    assert [e.signature for e in ours.entries] == [e.signature for e in catalog.entries]


# -- transitions ---------------------------------------------------------------------------


def test_review_approves_the_text_and_drops_fuzzy_and_previous(catalog, tmp_path, msgfmt):
    ours, theirs = _changed(msgfmt, catalog, tmp_path, "stale", lambda e: e.review(["Новый текст"]))
    assert ours.state is EntryState.REVIEWED and ours.text == "Новый текст"
    assert theirs.flags == [] and theirs.previous_msgid is None and theirs.msgstr == "Новый текст"


def test_mark_draft_puts_fuzzy_first(catalog, tmp_path, msgfmt):
    ours, theirs = _changed(msgfmt, catalog, tmp_path, "reviewed", lambda e: e.mark_draft())
    assert ours.state is EntryState.DRAFT and not ours.stale
    assert theirs.flags == ["fuzzy"] and theirs.msgstr == "Проверено"


def test_mark_draft_keeps_the_other_flags(catalog, tmp_path, msgfmt):
    ours, theirs = _changed(msgfmt, catalog, tmp_path, "figure", lambda e: e.mark_draft())
    assert ours.state is EntryState.DRAFT and theirs.flags == ["fuzzy", "python-brace-format"]
    assert '#, fuzzy, python-brace-format\nmsgctxt "figure"\n' in (tmp_path / "out.po").read_text(encoding="utf-8")


def test_mark_draft_of_another_fields_source_makes_a_suggestion(catalog, tmp_path, msgfmt):
    ours, theirs = _changed(msgfmt, catalog, tmp_path, "reviewed",
                            lambda e: e.mark_draft(Source("elsewhere", "Reviewed", None)))
    assert ours.state is EntryState.SUGGESTION
    assert (theirs.previous_msgctxt, theirs.previous_msgid) == ("elsewhere", "Reviewed")


def test_machine_draft_is_fuzzy_with_one_note_and_keeps_the_translators_comments(catalog, tmp_path, msgfmt):
    def fill(entry: Entry) -> None:
        entry.set_machine_draft("Машинный перевод", engine="argos", models=("m1", "m2"), score=-0.25)

    ours, theirs = _changed(msgfmt, catalog, tmp_path, "wrapped", fill)
    assert ours.state is EntryState.MACHINE_DRAFT and (ours.engine, ours.models) == ("argos", ("m1", "m2"))
    # the old note goes whole (both of its wrapped lines); the translator's own line stays
    assert theirs.tcomment == f"a translator's own line\n{MACHINE_COMMENT} engine argos, model m1 + m2, score -0.250"
    assert theirs.flags == ["fuzzy"] and theirs.msgstr == "Машинный перевод"


def test_machine_draft_of_a_stale_or_plural_entry(catalog, tmp_path, msgfmt):
    def fill(entry: Entry) -> None:
        entry.set_machine_draft("дети", engine="e", models=("m",), score=0.0)

    ours, theirs = _changed(msgfmt, catalog, tmp_path, "plural", fill)
    assert ours.forms == ("дети", "дети", "дети") and ours.state is EntryState.MACHINE_DRAFT
    assert theirs.msgstr_plural == {0: "дети", 1: "дети", 2: "дети"}
    ours, theirs = _changed(msgfmt, catalog, tmp_path, "stale-machine", fill)
    assert not ours.stale and theirs.previous_msgid is None and theirs.tcomment.startswith("checked by Anna\n")


def test_machine_draft_puts_fuzzy_first(catalog, tmp_path, msgfmt):
    def fill(entry: Entry) -> None:
        entry.set_machine_draft("не менее {count} человек", engine="e", models=("m",), score=-2.5)

    ours, theirs = _changed(msgfmt, catalog, tmp_path, "figure-stale", fill)
    assert ours.state is EntryState.MACHINE_DRAFT and theirs.flags == ["fuzzy", "python-brace-format"]
    assert theirs.previous_msgctxt is None and theirs.tcomment == "machine translation: engine e, model m, score -2.500"


def test_reject_records_the_reason_in_place_of_older_notes(catalog, tmp_path, msgfmt):
    def reject(entry: Entry) -> None:
        entry.reject(engine="argos", models=(), reason="a glossary term is missing")

    ours, theirs = _changed(msgfmt, catalog, tmp_path, "no-model", reject)
    assert ours.state is EntryState.REJECTED
    assert theirs.tcomment == f"{REJECTED_COMMENT} engine argos, model ?: a glossary term is missing"


def test_a_note_that_no_model_was_installed_is_not_a_rejection(catalog, tmp_path, msgfmt):
    def reject(entry: Entry) -> None:
        entry.reject(engine="argos", models=("m",), reason=f"{NO_MODEL_NOTE} en→ru")

    ours, theirs = _changed(msgfmt, catalog, tmp_path, "untranslated", reject)
    assert ours.state is EntryState.UNTRANSLATED and theirs.tcomment.startswith(REJECTED_COMMENT)


def test_clear_then_reject_a_stale_machine_draft(catalog, tmp_path, msgfmt):
    def refuse(entry: Entry) -> None:
        entry.clear()
        entry.reject(engine="argos", models=("m",), reason="refused")

    ours, theirs = _changed(msgfmt, catalog, tmp_path, "stale-machine", refuse)
    assert ours.state is EntryState.REJECTED and not ours.has_text
    assert theirs.flags == [] and theirs.msgstr == "" and theirs.previous_msgid is None
    assert theirs.tcomment == f"checked by Anna\n{REJECTED_COMMENT} engine argos, model m: refused"


def test_clear_keeps_the_number_of_plural_forms(catalog, tmp_path, msgfmt):
    ours, theirs = _changed(msgfmt, catalog, tmp_path, "plural", Entry.clear)
    assert ours.state is EntryState.UNTRANSLATED and theirs.msgstr_plural == {0: "", 1: "", 2: ""}


def test_obsolete_and_revived(catalog, tmp_path, msgfmt):
    ours, theirs = _changed(msgfmt, catalog, tmp_path, "reviewed", Entry.make_obsolete)
    assert ours.state is EntryState.OBSOLETE and theirs.obsolete and theirs.msgstr == "Проверено"
    ours, theirs = _changed(msgfmt, catalog, tmp_path, "obsolete", Entry.revive)
    # an obsolete entry comes back as a draft, never as reviewed
    assert ours.state is EntryState.DRAFT and not theirs.obsolete and theirs.flags == ["fuzzy"]


def test_carry_makes_a_suggestion_from_another_field(catalog, tmp_path, msgfmt):
    entries = [e.copy() for e in catalog.entries]
    source = _by_key(catalog)
    new = Entry.new("carried", "Reviewed")
    new.carry(source["reviewed"], ["Проверено"], context="reviewed")
    stale = Entry.new("carried-stale", "Newer text")
    stale.carry(source["stale"], ["Старый текст"], context="stale")  # keeps what the old draft translates
    ours, theirs = _write(msgfmt, catalog, [*entries[:-1], new, stale, entries[-1]], tmp_path / "out.po")
    read = _by_key(ours)
    assert read["carried"].state is EntryState.SUGGESTION and read["carried"].previous == Source(
        "reviewed", "Reviewed", None)
    # a stale draft of another field is still another field's translation: a suggestion, never a draft
    assert read["carried-stale"].state is EntryState.SUGGESTION and read["carried-stale"].previous == Source(
        None, "Old text", None)
    assert theirs["carried"].flags == ["fuzzy"] and theirs["carried"].msgstr == "Проверено"
    assert theirs["carried"].tcomment == f"{SUGGESTION_NOTE} from reviewed"
    assert theirs["carried-stale"].tcomment == f"{SUGGESTION_NOTE} from stale"


def test_a_carry_under_the_same_key_is_a_stale_draft(catalog, tmp_path, msgfmt):
    entries = [e.copy() for e in catalog.entries]
    carried = Entry.new("reviewed", "Reviewed, edited")
    carried.carry(_by_key(catalog)["reviewed"], ["Проверено"], context="reviewed")
    ours, theirs = _write(msgfmt, catalog, [carried, *entries[1:]], tmp_path / "out.po")
    read = _by_key(ours)["reviewed"]
    assert read.state is EntryState.DRAFT and read.stale and read.previous == Source("reviewed", "Reviewed", None)
    assert theirs["reviewed"].tcomment == "" and theirs["reviewed"].flags == ["fuzzy"]


def test_a_copy_is_independent_and_a_singular_entry_has_one_form(catalog):
    original = _by_key(catalog)["reviewed"]
    changed = original.copy()
    changed.mark_draft()
    assert original.state is EntryState.REVIEWED and changed.state is EntryState.DRAFT
    with pytest.raises(ValueError, match="one msgstr"):
        changed.forms = ("a", "b")
