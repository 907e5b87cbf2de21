"""Compiled templates kept between runs (issue 24): a second process renders without compiling, and a
cache folder that is not this user's own, or a damaged entry, costs a compilation and never a page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE, REPO

#: Renders the example in hy as HTML and text, counting Jinja2's compilations; prints {compiled, pages}.
_SCRIPT = """
import json, sys
import jinja2
compiled = []
original = jinja2.Environment._compile
def counting(self, source, filename):
    compiled.append(filename)
    return original(self, source, filename)
jinja2.Environment._compile = counting
import polybrief
pages = [polybrief.render(sys.argv[1], "hy", format=f) for f in ("html", "text")]
print(json.dumps({"compiled": len(compiled), "pages": pages}))
"""


def _render(cache: Path) -> dict[str, object]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run([sys.executable, "-c", _SCRIPT, str(EXAMPLE)], env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "polybrief" / "templates").rglob("*.jinja"))


def test_a_second_process_renders_the_same_pages_without_compiling(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _render(cache)
    assert first["compiled"] and _entries(cache)  # the brief templates and their partials, HTML and text
    kinds = {p.parent for p in _entries(cache)}
    assert len(kinds) == 2  # HTML and text compile differently (autoescape): never one folder
    assert all(os.stat(k).st_mode & 0o777 == 0o700 for k in kinds)
    second = _render(cache)
    assert second["compiled"] == 0
    assert second["pages"] == first["pages"]


def test_a_damaged_or_foreign_cache_costs_a_compilation_not_a_page(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    reference = _render(cache)
    entries = _entries(cache)
    for entry in entries:  # Jinja2's header kept, the rest cut short: its own loader would raise
        entry.write_bytes(entry.read_bytes()[:12])
    damaged = _render(cache)
    assert damaged["pages"] == reference["pages"] and damaged["compiled"]
    assert all(len(e.read_bytes()) > 12 for e in entries)  # written again
    folder = entries[0].parent
    folder.chmod(0o777)  # others may write there: not trusted, not read
    shared = _render(cache)
    assert shared["pages"] == reference["pages"] and shared["compiled"]


def test_an_unwritable_cache_folder_only_turns_the_cache_off(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")  # $XDG_CACHE_HOME/polybrief cannot be made
    result = _render(blocked)
    assert result["compiled"] and result["pages"] == _render(tmp_path / "fresh")["pages"]
