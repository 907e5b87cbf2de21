"""The layout stays readable: every module is on docs/architecture.md's map, and none grows past
about 500 lines (the issue that split ``qa.py`` and ``mt/models.py`` set that bound)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "polybrief"
MAX_LINES = 550


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_is_on_the_architecture_map():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = [p.relative_to(SRC).as_posix() for p in _modules()]
    assert len(modules) > 50
    assert [m for m in modules if f"| `{m}` |" not in text] == []


def test_no_module_is_longer_than_about_500_lines():
    lengths = {p.relative_to(SRC).as_posix(): len(p.read_text(encoding="utf-8").splitlines()) for p in _modules()}
    assert {name: n for name, n in lengths.items() if n > MAX_LINES} == {}
