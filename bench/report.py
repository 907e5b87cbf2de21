"""Write a run's JSON, and ``docs/benchmarks.md`` from the JSON files present."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["write_json", "write_markdown"]


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; these are ordinary repository files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def write_json(result: dict[str, Any], path: Path) -> Path:
    _atomic_write(path, json.dumps(_clean(result), indent=1, ensure_ascii=False) + "\n")
    return path


def write_markdown(path: Path, *, results_dir: Path, only: list[str] | None = None) -> Path:
    from .markdown import render_document

    runs = {}
    for name in ("full", "quick", "smoke"):
        if only is not None and name not in only:
            continue
        file = results_dir / f"{name}.json"
        if file.is_file():
            runs[name] = json.loads(file.read_text(encoding="utf-8"))
    install_file = results_dir / "install.json"
    install = json.loads(install_file.read_text(encoding="utf-8")) if install_file.is_file() else None
    costs_file = results_dir / "check-costs.json"  # python -m bench.check_costs --save LABEL
    costs = json.loads(costs_file.read_text(encoding="utf-8")) if costs_file.is_file() else None
    _atomic_write(path, render_document(runs, install=install, costs=costs))
    return path
