"""The check registry of polybrief.qa, the patterns QA shares with MT protection, and locales from callers."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from polybrief import get_locale, load
from polybrief.mt import protect
from polybrief.mt import MachineTranslation
from polybrief.qa import CHECKS, Severity, check_segment, gate_machine
from polybrief.qa import registry as qa_checks
from polybrief.qa.suite import ALL_CHECKS
from polybrief.text import patterns

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

from conftest import example_key  # noqa: E402

# Key paths (msgctxt, segment paths) of the seed brief's fields.
QUOTE_TEXT = example_key("quotes[0].text")


def test_checks_table_is_derived_from_the_registry_in_report_order():
    names = [name for registered in ALL_CHECKS for name in registered.names]
    assert names == list(CHECKS)
    assert names == ["empty", "mt-tokens", "numbers", "numbers-format", "numbers-spelled", "numbers-minor",
                     "numbers-informal", "numbers-added", "numbers-added-minor", "glossary", "urls", "emails",
                     "placeholders", "placeholders-count", "markup", "markup-count", "plural-forms",
                     "plural-untranslated", "plural-order", "repeated-text", "dates", "currency", "currency-missing",
                     "percent", "truncated", "names", "script", "script-short", "language", "language-short",
                     "language-variant", "language-variant-short", "untranslated", "untranslated-short", "invisible",
                     "bidi-controls", "bidi-embedding", "confusables", "mixed-script", "numerals", "orthography",
                     "sentences", "sentences-dropped", "sentences-added", "doubled-words", "negation", "whitespace",
                     "end-punctuation", "brackets", "quotes", "quotes-style", "length"]


def test_readme_table_lists_every_check_with_its_severity_in_order():
    section = README.read_text(encoding="utf-8").split("## The quality gate", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([\w-]+)` \| (error|warning) \|", section, re.MULTILINE)
    assert rows == [(name, info.severity.value) for name, info in CHECKS.items()]


def test_a_finding_under_an_undeclared_name_is_refused():
    pair = qa_checks.Pair("a", "b", path="lead[0]", source_locale=get_locale("en"), target_locale=get_locale("ru"),
                          rules=(), provenance=None)
    with pytest.raises(ValueError, match="may not report"):
        pair.add("numbers", "outside any check")
    pair._running = qa_checks.Check(lambda p: None, ("urls",))
    with pytest.raises(ValueError, match="'emails'"):
        pair.add("emails", "declared by another check")
    pair.add("urls", "declared")
    assert [f.check for f in pair.findings] == ["urls"]


def test_a_name_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="registered twice"):
        qa_checks.check("urls", Severity.ERROR, "Again.")(lambda pair: None)
    assert list(CHECKS).count("urls") == 1


def test_empty_translation_stops_the_other_checks():
    findings = check_segment("11 wounded at https://example.org", " ", path="lead[0]",
                             source_locale=get_locale("en"), target_locale=get_locale("ru"))
    assert [f.check for f in findings] == ["empty"]


def test_protection_and_qa_share_their_patterns():
    assert protect.PLACEHOLDER_PATTERN is patterns.MT_PLACEHOLDER
    text = "Write to press@example.org or see „https://example.org/a“ and ftp://example.org/b."
    spans = {s.original: s.kind for s in protect.protect(text, target="ru", protect_numbers=False).spans}
    assert spans == {"press@example.org": "email", "https://example.org/a": "url", "ftp://example.org/b": "url"}
    assert patterns.urls(text) == ["https://example.org/a", "ftp://example.org/b"]
    assert patterns.emails(text) == ["press@example.org"]


def test_importing_mt_protection_does_not_load_the_checker():
    code = ("import sys, polybrief.mt.protect; "
            "print(' '.join(m for m in sys.modules if m.startswith(('polybrief.qa', 'polybrief.text'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(out.split())
    assert "polybrief.text.patterns" in loaded
    assert not {m for m in loaded if m.startswith("polybrief.qa")}
    assert "polybrief.text.numbers" not in loaded


def test_gate_machine_uses_the_source_locale_it_is_given():
    brief = load(ROOT / "examples" / "nagorno-karabakh.yaml")
    text = ("120000 мирных жителей, в том числе 30000 детей, в Нагорном Карабахе "
            "подвергаются военному нападению.")
    machine = {QUOTE_TEXT: MachineTranslation(text=text, score=0.0, engine="test", models=())}
    assert gate_machine(machine, brief, get_locale("ru"))[QUOTE_TEXT].ok
    assert gate_machine(machine, brief, get_locale("ru"), source_locale=get_locale("en"))[QUOTE_TEXT].ok
    # Read as German, the source's "120,000" is 120 with three decimals, which the translation lacks.
    gated = gate_machine(machine, brief, get_locale("ru"), source_locale=get_locale("de"))
    assert "numbers" in (gated[QUOTE_TEXT].problem or "")
