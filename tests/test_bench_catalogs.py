"""The catalog benchmark (``python -m bench.catalogs``) and the corpus survey (``python -m bench.po_corpus``)
run end to end at a tiny size against the current library; no timing is asserted (see docs/catalogs.md)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), str(REPO),
                                                                       os.environ.get("PYTHONPATH")]))}


def test_the_catalog_benchmark_reports_every_measure(tmp_path):
    out = tmp_path / "catalogs.json"
    done = subprocess.run([sys.executable, "-m", "bench.catalogs", "--smoke", "--out", str(out)], cwd=REPO,
                          env=_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["parse"]["ratio"] > 0 and result["parse"]["entries"] > 100
    assert {"reader", "load_brief_catalog", "polib"} <= set(result["memory"])
    assert "100 identical" in result["keys"]["translation_units_seconds"]
    assert "**" in done.stdout  # the Markdown table


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_the_corpus_survey_agrees_with_msgfmt_on_the_committed_samples():
    done = subprocess.run([sys.executable, "-m", "bench.po_corpus", str(REPO / "tests" / "fixtures" / "po_corpus")],
                          cwd=REPO, env=_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "only msgfmt reads 0, only polybrief reads 0" in done.stdout
