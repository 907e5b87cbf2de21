"""The PO reader reads what GNU msgfmt reads, and refuses what it refuses with the line: real-world files
(Django, Sphinx, polib; charsets Debian's catalogs use), header quirks, escapes, and plural rules other tools
write (Django's four-form Russian, GNU's two-form French)."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel import Locale

import polybrief
from conftest import EXAMPLE_ID
from polybrief import CatalogError, get_locale, translation_units, update_catalog
from polybrief.catalogs.header import language_tag
from polybrief.plurals import plural_verdict
from polybrief.catalogs.po import parse_po, read_po_file

CORPUS = Path(__file__).resolve().parent / "fixtures" / "po_corpus"
FILES = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.po"))
MSGFMT = shutil.which("msgfmt")
DJANGO_RU = ("nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : "
             "n%10==0 || (n%10>=5 && n%10<=9) || (n%100>=11 && n%100<=14)? 2 : 3);")


def test_the_corpus_has_every_kind():
    assert {p.split("/")[0] for p in FILES} == {"real", "charsets", "quirks"} and len(FILES) >= 30


@pytest.mark.parametrize("name", FILES)
def test_every_file_msgfmt_compiles_is_read(name):
    path = CORPUS / name
    if MSGFMT:
        assert subprocess.run([MSGFMT, "-o", os.devnull, str(path)], capture_output=True).returncode == 0
    document = parse_po(path)
    assert document.header is not None or document.entries
    assert all(e.msgid or e.msgctxt for e in document.entries)


@pytest.mark.parametrize("name", sorted(p.name for p in (CORPUS / "charsets").glob("*.po")))
def test_a_file_is_decoded_in_the_charset_it_declares(name):
    lang = name.split("-")[1]
    original = {(e.msgctxt, e.msgid): e.forms for e in parse_po(CORPUS / "real" / f"django-{lang}.po").entries}
    document = parse_po(CORPUS / "charsets" / name)
    assert document.charset != "utf-8" and len(document.entries) >= 4
    assert all(original[(e.msgctxt, e.msgid)] == e.forms for e in document.entries)
    assert any(any(ord(c) > 127 for c in e.text) for e in document.entries)


def test_escapes_are_decoded_as_msgfmt_decodes_them_and_flags_need_no_space():
    entries = {e.msgid: e for e in parse_po(CORPUS / "quirks" / "escapes-and-flags-without-space.po").entries}
    assert entries["Ok"].text == "Принято"  # \320\237... are UTF-8 bytes
    assert entries["Bell"].text == 'AB \a\b\f\v\t \\ "'
    assert entries["Draft"].fuzzy


@pytest.mark.parametrize(("value", "tag"), [("zh_TW.Big5", "zh_TW"), ("ru_RU.UTF-8", "ru_RU"), ("sr@latin", "sr"),
                                            ("pt-BR", "pt_BR"), ("hy", "hy"), ("../../x", None), ("Russian", "Russian")])
def test_language_values_are_normalised(value, tag):
    assert language_tag(value) == tag


def test_ui_catalogs_read_files_babel_would_choke_on(tmp_path):
    for name in ("date-seconds-and-gmt-offset.po", "date-zone-name.po", "language-posix-codeset.po",
                 "plural-forms-bare-number.po", "date-not-a-date.po"):
        catalog = read_po_file(CORPUS / "quirks" / name)
        assert [m.string for m in catalog if m.id]


def test_plural_rules_other_tools_write():
    # Django's and Transifex's four forms for Russian and Ukrainian: CLDR's categories, each with its forms
    assert plural_verdict(4, DJANGO_RU.split("plural=")[1].rstrip(";"), Locale("ru")) == (None, None)
    uk = parse_po(CORPUS / "real" / "django-uk.po").metadata["Plural-Forms"]
    assert plural_verdict(4, uk.split("plural=")[1].rstrip(";"), Locale("uk")) == (None, None)
    # GNU's two forms for French, Spanish: read, with one warning saying which form serves which numbers
    for lang, expression in (("fr", "(n > 1)"), ("es", "(n != 1)"), ("pt_BR", "(n > 1)")):
        problem, warning = plural_verdict(2, expression, Locale.parse(lang))
        assert problem is None and "form 0 for " in warning and "form 1 for " in warning
        assert "'many' (1000000)" in warning
    # a rule that goes wrong above 1000 (issue 25) is refused
    ru = DJANGO_RU.split("plural=")[1].rstrip(";").replace("? 3", "? 2")
    problem, _ = plural_verdict(3, f"n>1000 ? 0 : {ru}", Locale("ru"))
    assert problem is not None and "the same form 0" in problem


@pytest.mark.parametrize(("text", "line", "what"), [
    ('msgid "a"\nmsgstr "b\n', 7, "unterminated string"),
    ('msgid "a"\nmsgstr "b \\q"\n', 7, "invalid escape '\\\\q'"),
    ('msgid "a"\nmsgid "b"\nmsgstr "c"\n', 6, "missing msgstr"),
    ('msgid "a"\nmsgstr "b"\nmsgstr "c"\n', 8, "two msgstr"),  # polib: "syntax error", without a line
    ('msgid "a"\nmsgid_plural "as"\nmsgstr[1] "b"\n', 8, "out of order"),
    ('msgid "a"\nmsgstr "\\4"\n', 7, "NUL or EOT"),  # msgfmt cuts at \0 silently, refuses \4
    ('#| msgid "a"\n#~ msgid "b"\nmsgstr "c"\n', 8, "inconsistent use of #~"),
    ('msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n', 9, "duplicate"),
    ('\ufeffmsgid "a"\nmsgstr "b"\n', 6, "unknown keyword"),
])
def test_what_msgfmt_refuses_is_refused_with_its_line(tmp_path, text, line, what):
    path = tmp_path / "bad.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n\n' + text, encoding="utf-8")
    if MSGFMT:
        assert subprocess.run([MSGFMT, "-o", os.devnull, str(path)], capture_output=True).returncode != 0
    with pytest.raises(CatalogError) as info:
        parse_po(path)
    assert info.value.line == line and what in info.value.message, info.value


def _ru_catalog(tmp_path: Path, example_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "locales"
    shutil.copytree(example_path.parent / "locales", root)
    return root, root / "ru" / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"


def test_a_catalog_in_another_charset_is_rewritten_as_utf8_only_when_it_changes(tmp_path, example_path,
                                                                                 example_brief, msgfmt):
    root, po = _ru_catalog(tmp_path, example_path)
    text = po.read_text(encoding="utf-8").replace("charset=utf-8", "charset=KOI8-R")
    po.write_bytes(text.encode("koi8-r", "replace"))
    before = po.read_bytes()
    update_catalog(example_brief, get_locale("ru"), root)
    assert po.read_bytes() == before  # nothing changed: not even re-encoded
    edited = example_brief.model_copy(update={"headline": "A new headline"})
    update_catalog(edited, get_locale("ru"), root)
    after = po.read_bytes().decode("utf-8")
    assert "charset=UTF-8" in after and "Азербайджан" in after
    assert subprocess.run([msgfmt, "-c", "-o", os.devnull, str(po)]).returncode == 0


def test_a_four_form_russian_catalog_is_used_and_kept(tmp_path, example_path, example_brief, caplog):
    root, po = _ru_catalog(tmp_path, example_path)
    text = re.sub(r'"Plural-Forms: [^\n]*\\n"\n(?:"[^\n]*\\n"\n)?', f'"Plural-Forms: {DJANGO_RU}\\\\n"\n',
                  po.read_text(encoding="utf-8"))
    text = re.sub(r'(msgstr\[2\] "([^"\n]*)"\n)', r'\1msgstr[3] "\2"\n', text)
    po.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="polybrief"):
        catalog = polybrief.load_brief_catalog(example_brief, get_locale("ru"), root)
    assert catalog.num_plurals == 4 and "Plural-Forms" not in caplog.text
    units = [u for u in translation_units(example_brief) if u.is_plural]
    assert all(catalog.lookup(u) is not None and len(catalog.lookup(u).forms) == 4 for u in units)
    brief = example_brief.model_copy(update={"figures": [*example_brief.figures, example_brief.figures[1].model_copy(
        update={"label": "Wounded in the second strike", "key": "second-strike"})]})
    update_catalog(brief, get_locale("ru"), root)  # the new plural entry gets the file's four forms
    new = parse_po(po)
    assert {len(e.forms) for e in new.entries if e.msgid_plural} == {4}
    assert new.metadata["Plural-Forms"] == DJANGO_RU
