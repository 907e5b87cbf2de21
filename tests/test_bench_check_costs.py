"""bench/check_costs.py: every check timed once per segment it runs on, and the before/after tables it feeds."""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # the benchmark package lives next to the tests, not in the wheel
    sys.path.insert(0, str(REPO))

from bench.check_costs import costs, real_pairs, save, table  # noqa: E402
from bench.floor_markdown import check_costs_lines  # noqa: E402
from bench.real_corpus import SAMPLE, read  # noqa: E402

import polybrief  # noqa: E402
from polybrief.qa import CHECKS, check_segment  # noqa: E402


def test_each_check_is_timed_on_each_segment_and_the_checks_are_restored(tmp_path):
    pairs = read(SAMPLE / "ru.jsonl")[:40] + read(SAMPLE / "hy.jsonl")[:40]
    items = [(p.lang, p.source, p.target) for p in pairs]
    work, warm = real_pairs(items)
    spent, segments, total = costs(work, warm)
    assert segments == len(items) and total > 0
    assert set(spent) >= {"numbers", "script", "empty"}
    assert all(calls == len(items) for calls, _ in spent.values())  # none of the pairs is empty
    assert sum(ns for _, ns in spent.values()) > 0
    lines = table(spent, segments, total)
    assert lines[0].startswith(f"{len(items)} segments") and len(lines) == 4 + len(spent)
    # The timed checks are gone again: a segment is checked as before.
    found = check_segment("Page 7", "Страница", path="p", source_locale=polybrief.get_locale("en"),
                          target_locale=polybrief.get_locale("ru"))
    assert {f.check for f in found} <= set(CHECKS)
    path = tmp_path / "costs.json"
    save("before-x", spent, segments, total, corpus="some pairs", command="c", path=path)
    save("after-x", {name: [calls, ns // 2] for name, (calls, ns) in spent.items()}, segments, total / 2,
         corpus="some pairs", command="c", path=path)
    rendered = check_costs_lines(json.loads(path.read_text(encoding="utf-8")))
    assert any("-50 %" in line for line in rendered)
    assert sum(1 for line in rendered if line.startswith("| `")) == len(spent)
