"""docs/catalogs.md's merge-rule table is what docs/merge_rules_table.py generates today."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "merge_rules_table.py"


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext msgmerge is not installed")
def test_the_documented_merge_table_is_current():
    spec = importlib.util.spec_from_file_location("merge_rules_table", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    doc = module.DOC.read_text(encoding="utf-8")
    documented = doc[doc.index(module.START) + len(module.START):doc.index(module.END)].strip()
    table = module.table()
    assert documented == table, "run: PYTHONPATH=src python docs/merge_rules_table.py --write"
    # the property the table exists to show: no field is ever reviewed with another field's translation
    assert "wrong field" not in table
