"""Glossary files: CSV and TBX, the rules they give per language, and every invalid row."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from polybrief import GlossaryError
from polybrief.glossary import Glossary, TermRule, load_glossary, read_glossary_csv, read_glossary_tbx

CSV = (
    "source,hy,az,ru,note\n"
    "Armenpress,=,=,=,news agency\n"
    "ceasefire,հրադադար,atəşkəs,,\n"
    "Ministry of Health,Առողջապահության նախարարություն,Səhiyyə Nazirliyi,Министерство здравоохранения,\n"
)


def test_csv_rules_per_language(tmp_path: Path) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text("\ufeff" + CSV, encoding="utf-8")
    glossary = load_glossary(path)
    assert isinstance(glossary, Glossary) and len(glossary) == 3
    assert glossary.locales == ("hy", "az", "ru")
    assert glossary.rules_for("ru") == [
        TermRule("Ministry of Health", "Министерство здравоохранения"),
        TermRule("Armenpress", "Armenpress", keep=True, note="news agency"),
    ]
    assert [r.source for r in glossary.rules_for("hy")] == ["Ministry of Health", "Armenpress", "ceasefire"]
    assert glossary.rules_for("hy-AM") == glossary.rules_for("hy")
    assert glossary.rules_for("de") == []
    assert [e.line for e in glossary] == [2, 3, 4]


def test_region_columns_serve_language_requests() -> None:
    glossary = read_glossary_csv(io.StringIO("source,hy-AM\nrain,անձրև\n"))
    assert glossary.rules_for("hy") == [TermRule("rain", "անձրև")]


@pytest.mark.parametrize(("text", "line", "words"), [
    ("", 1, "empty glossary"),
    ("term,hy\nrain,անձրև\n", 1, "no 'source' column"),
    ("source,armenian\n", 1, "is not a locale"),
    ("source,note\n", 1, "no target locale"),
    ("source,hy\nrain,անձրև\n,ջուր\n", 3, "'source' cell is empty"),
    ("source,hy\nrain,անձրև\nsun,արև\nrain,տեղումներ\n", 4, "already defined on line 2"),
    ("source,hy\nrain,անձրև,extra\n", 2, "3 cells but the header has 2"),
])
def test_invalid_csv_names_file_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(GlossaryError) as info:
        read_glossary_csv(io.StringIO(text), name="terms.csv")
    assert info.value.file == "terms.csv" and info.value.line == line
    assert words in str(info.value)
    assert str(info.value).startswith(f"terms.csv:{line}")


TBX_BASIC = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
 <text><body>
  <termEntry id="c1">
   <descrip type="definition">State news agency</descrip>
   <langSet xml:lang="en"><tig><term>Armenpress</term></tig></langSet>
   <langSet xml:lang="hy"><tig><term>Armenpress</term></tig></langSet>
   <langSet xml:lang="ru"><tig><term>Арменпресс</term></tig></langSet>
  </termEntry>
  <termEntry id="c2">
   <langSet xml:lang="en"><tig><term>ceasefire</term></tig></langSet>
   <langSet xml:lang="az"><tig><term>atəşkəs</term></tig></langSet>
  </termEntry>
 </body></text>
</martif>
"""

TBX3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
 <text><body>
  <conceptEntry id="1">
   <langSec xml:lang="en"><termSec><term>flood</term></termSec></langSec>
   <langSec xml:lang="hy"><termSec><term>ջրհեղեղ</term></termSec></langSec>
  </conceptEntry>
 </body></text>
</tbx>
"""


def test_tbx_basic() -> None:
    glossary = read_glossary_tbx(io.BytesIO(TBX_BASIC.encode()), name="g.tbx")
    assert [e.source for e in glossary] == ["Armenpress", "ceasefire"]
    assert glossary.rules_for("hy") == [TermRule("Armenpress", "Armenpress", keep=True, note="State news agency")]
    assert glossary.rules_for("ru")[0].target == "Арменпресс"
    assert glossary.rules_for("az") == [TermRule("ceasefire", "atəşkəs")]
    assert [e.line for e in glossary] == [4, 10]


def test_tbx3_with_namespace(tmp_path: Path) -> None:
    path = tmp_path / "g.tbx"
    path.write_text(TBX3, encoding="utf-8")
    assert load_glossary(path).rules_for("hy") == [TermRule("flood", "ջրհեղեղ")]


@pytest.mark.parametrize(("text", "words", "line"), [
    ('<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY x "boom">]>\n<martif/>', "DTD or entity", 2),
    ('<?xml version="1.0"?>\n<martif>\n<text>\n</martif>', "not well-formed", 4),
    ("<html/>", "is not <tbx>", 1),
    (TBX_BASIC.replace('<langSet xml:lang="en"><tig><term>ceasefire</term></tig></langSet>', ""),
     "no term in the source language 'en'", 10),
    (TBX_BASIC.replace("<term>atəşkəs</term>", "<term> </term>"), "no term for language 'az'", 12),
])
def test_invalid_tbx(text: str, words: str, line: int) -> None:
    with pytest.raises(GlossaryError) as info:
        read_glossary_tbx(io.BytesIO(text.encode()), name="bad.tbx")
    assert words in str(info.value)
    assert info.value.file == "bad.tbx" and info.value.line == line


def test_unknown_extension_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "g.xlsx").write_bytes(b"PK")
    with pytest.raises(GlossaryError, match="unknown glossary format"):
        load_glossary(tmp_path / "g.xlsx")
    with pytest.raises(GlossaryError, match="cannot read glossary"):
        load_glossary(tmp_path / "absent.csv")
    (tmp_path / "latin1.csv").write_bytes("source,hy\ncaf\xe9,x\n".encode("latin-1"))
    with pytest.raises(GlossaryError, match="not UTF-8"):
        load_glossary(tmp_path / "latin1.csv")
