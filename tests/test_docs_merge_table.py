"""docs/catalogs.md's merge-rule tables are what docs/merge_rules_table.py generates today, and they show the
promises of the merge: no field reviewed with another field's translation, no edit that only changes keys costs
a re-approval, and no unrelated old translation published."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "merge_rules_table.py"


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext msgmerge is not installed")
def test_the_documented_merge_tables_are_current():
    spec = importlib.util.spec_from_file_location("merge_rules_table", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    doc = module.DOC.read_text(encoding="utf-8")
    results = module.outcomes()
    table, counts = module.table(results), module.revisit_table(results)
    documented = doc[doc.index(module.START) + len(module.START):doc.index(module.END)].strip()
    assert documented == table, "run: PYTHONPATH=src python docs/merge_rules_table.py --write"
    documented = doc[doc.index(module.COUNT_START) + len(module.COUNT_START):doc.index(module.COUNT_END)].strip()
    assert documented == counts, "run: PYTHONPATH=src python docs/merge_rules_table.py --write"
    # the properties the tables exist to show
    by_title = {r.title: r for r in results}
    for result in results:
        assert not any("wrong field" in state for state in result.ours.values()), result.title
        edited, other, published = module._revisit(result, result.ours)
        assert other == 0 and published == 0, result.title
    for title in ("a heading's typo fixed", "an item moved to another section", "key: added to an item",
                  "an item duplicated", "a twin put before its original", "the brief id changed"):
        before = set(by_title[title].before.names().values())
        assert all(state.startswith("**reviewed**, its own") for name, state in by_title[title].ours.items()
                   if name in before and name != "heading"), title
    # the edits msgmerge gets wrong, and polybrief does not
    assert module._revisit(by_title["an item replaced (same label)"], by_title["an item replaced (same label)"].theirs)[2] == 1
