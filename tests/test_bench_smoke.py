"""The benchmark (``python -m bench``) runs end to end at a tiny size and reports every section.

No timing is asserted: this checks that the benchmark still works against the
current library, not how fast anything is (see docs/benchmarks.md for that).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

SECTIONS = ("machine", "model", "mt_throughput", "deep_check", "threads_check", "pivot", "scaling",
            "deduplication", "ray", "incremental", "memory", "startup", "rendering", "publishing", "section_seconds",
            "total_seconds")


def _available(name: str) -> bool:
    # find_spec, not import: importing argostranslate creates folders under $HOME.
    return importlib.util.find_spec(name) is not None


pytestmark = [
    pytest.mark.slow,
    # Its Ray section starts a local Ray: under pytest-xdist it shares a worker with test_mt_ray.py,
    # so two clusters never start side by side on the same cores.
    pytest.mark.xdist_group("ray"),
    pytest.mark.skipif(not all(_available(m) for m in ("argostranslate", "ctranslate2", "sentencepiece", "sentencex")),
                       reason="needs the mt and argos extras (ctranslate2, sentencepiece, sentencex, argostranslate)"),
]


def _sample(value: object) -> bool:
    return isinstance(value, dict) and {"median", "min", "max", "values"} <= set(value)


def test_smoke_run_reports_every_section(tmp_path: Path) -> None:
    out = tmp_path / "results"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-m", "bench", "--smoke", "--out", str(out), "--quiet"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads((out / "smoke.json").read_text(encoding="utf-8"))
    assert [s for s in SECTIONS if s not in result] == []
    assert result["profile"] == "smoke"

    mt = result["mt_throughput"]
    assert mt["workload"]["segments"] > 0 and set(mt["beams"]) == {"4", "1"}
    for entry in mt["beams"].values():
        assert _sample(entry["speedup"]) and _sample(entry["overhead_over_floor"])
        assert {"argostranslate", "polybrief", "floor"} <= set(entry["times"])
        assert entry["agreement"]["compared_sentences"] > 0
        assert entry["calls"]["polybrief_translate_batch_calls"] >= 1
    assert _sample(mt["beams"]["4"]["defaults"]["speedup"])
    assert _sample(result["deep_check"]["deep"]["beams"]["4"]["speedup"])
    assert _sample(result["threads_check"]["other"]["beams"]["4"]["speedup"])
    assert _sample(result["pivot"]["speedup"]) and len(result["pivot"]["route"]) == 2
    assert all(_sample(e["per_brief"]) for e in result["scaling"]["sizes"].values())
    dedup = result["deduplication"]
    assert dedup["identical"]["workload"]["unique_sentences"] < dedup["varied"]["workload"]["unique_sentences"]
    ray = result["ray"]
    if _available("ray"):
        assert ray["identical_results"] is True  # Ray's actors return exactly the in-process results
        assert _sample(ray["ray_vs_in_process_1_thread"]) and ray["workload"]["unique_sentences"] > 0
    else:
        assert "ray" in ray["skipped"]
    inc = result["incremental"]
    assert inc["first_run"]["segments"] > inc["second_run"]["segments"] and _sample(inc["second_vs_first_time"])
    assert _sample(result["memory"]["peak_rss"]) and result["memory"]["model_bytes_on_disk"] > 0
    assert {"import polybrief", "import argostranslate.translate", "python -m polybrief --help"} <= set(
        result["startup"]["times"])
    assert _sample(result["rendering"]["render_vs_bare"]) and result["rendering"]["diagnostics"]
    publishing = result["publishing"]
    (entry,) = publishing["sizes"].values()
    assert entry["pages"] == 2 * 8 and _sample(entry["publish_vs_bare_jobs1"]) and _sample(entry["jobs2_vs_jobs1"])
    assert entry["peak_rss_jobs1"]["median"] > 0 and _sample(publishing["incremental"]["edit_vs_cold_wall"])
    assert {"checks", "render", "catalogs", "localise"} <= set(publishing["steps"]["steps"])

    doc = (out / "benchmarks.md").read_text(encoding="utf-8")
    assert "| Measure |" in doc and "python -m bench --smoke" in doc
    assert ("Ray: local, 2 actors" in doc) == _available("ray")
    assert "8. Publish 2 briefs (16 pages" in doc and "8. Incremental: 2 briefs" in doc
