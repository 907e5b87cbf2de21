"""Where one ``polybrief publish --jobs 1`` run's time goes, by stage, on distinct briefs.

Two runs of the same command on the same briefs, each in a fresh output
folder:

* **py-spy** (``py-spy record --format raw``, 100 samples a second, from the
  benchmark's venv) samples whole stacks of the unmodified process.  Each
  sample goes to a *stage* by :data:`RULES`: any frame of the import system
  makes it "start-up and imports"; otherwise the innermost frame that a rule
  names decides (so the ``textwrap`` or ``polib`` frames under a render or a
  catalog load count as wrapping and PO parsing, and a regular expression
  called by a check counts as the check).  Frames no rule names
  (``re``, Babel, ``polybrief.text``) are charged to the closest named caller.
* **cProfile** (``python -m bench.child --cprofile``) gives call counts and
  each function's own time; its overhead inflates call-heavy code, so its
  stage split is only an estimate: each function's own time goes to the stage
  of the function itself or, failing a rule, of the caller that spent the most
  time in it, recursively.  It is what the stage table shows when py-spy is
  not available.
"""

from __future__ import annotations

import pstats
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .child import run_child

__all__ = ["RULES", "STAGES", "profile_publish", "stage_of_stack"]

#: (stage, file pattern, function pattern or None), tried on frames innermost first.
RULES: tuple[tuple[str, str, str | None], ...] = (
    ("plural compile", r"(^|/)gettext\.py$", r"^c2py$"),
    ("plural compile", r"polybrief/plurals\.py$", r"compile"),
    ("wrapping", r"(^|/)textwrap\.py$", None),
    ("wrapping", r"(^|/)wcwidth/", None),
    ("wrapping", r"polybrief/rendering/text\.py$", None),
    ("wrapping", r"polybrief/rendering/filters\.py$", r"wrap"),
    ("PO parsing", r"(^|/)polib\.py$", None),
    ("PO parsing", r"babel/messages/pofile\.py$", None),
    ("lint", r"polybrief/catalogs/lint\.py$", None),
    ("YAML + pydantic", r"(^|/)yaml/", None),
    ("YAML + pydantic", r"(^|/)pydantic(_core)?/", None),
    ("YAML + pydantic", r"polybrief/brief_io\.py$", None),
    ("hashing and manifest", r"polybrief/site/", None),
    ("hashing and manifest", r"polybrief/jsonio\.py$", None),
    ("hashing and manifest", r"polybrief/publishing/stages\.py$", r"^(page_record|file_record)$"),
    ("staging", r"polybrief/fs\.py$", None),
    ("staging", r"polybrief/publishing/stages\.py$", r"^(stage_page|_make_folders)$"),
    ("staging", r"polybrief/publishing/commit\.py$", None),
    ("checks", r"polybrief/qa/", None),
    ("checks", r"polybrief/publishing/stages\.py$", r"^check_page$"),
    ("localise", r"polybrief/localisation\.py$", None),
    ("localise", r"polybrief/publishing/stages\.py$", r"^localise_page$"),
    ("render", r"(^|/)(jinja2|markupsafe)/", None),
    ("render", r"polybrief/rendering/", None),
    ("render", r"\.j2$", None),
    ("render", r"polybrief/publishing/stages\.py$", r"^render_page$"),
    ("catalogs (other)", r"polybrief/catalogs/", None),
)
IMPORTS = re.compile(r"<frozen importlib")
STAGES = tuple(dict.fromkeys(["checks", "render", "wrapping", "localise", "PO parsing", "lint", "staging",
                              "YAML + pydantic", "hashing and manifest", "plural compile", "catalogs (other)",
                              "start-up and imports", "other"]))
_COMPILED = [(stage, re.compile(path), re.compile(func) if func else None) for stage, path, func in RULES]


def _stage(path: str, func: str) -> str | None:
    for stage, path_re, func_re in _COMPILED:
        if path_re.search(path) and (func_re is None or func_re.search(func)):
            return stage
    return None


_FRAME = re.compile(r"^(?P<func>.*) \((?P<path>[^()]*?)(?::\d+)?\)$")


def _parse_frame(frame: str) -> tuple[str, str]:
    match = _FRAME.match(frame)
    return (match["path"], match["func"]) if match else ("", frame)


def stage_of_stack(frames: Sequence[tuple[str, str]]) -> str:
    """The stage of one sampled stack (outermost first), by :data:`RULES`."""
    if any(IMPORTS.search(path) for path, _ in frames):
        return "start-up and imports"
    for path, func in reversed(frames):
        stage = _stage(path, func)
        if stage is not None:
            return stage
    return "other"


def _spy_summary(raw: Path, top: int) -> dict[str, Any]:
    stages: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_parse_frame(f) for f in stack.split(";")]
        stages[stage_of_stack(frames)] += count
        path, func = frames[-1]
        own[f"{func} ({path})"] += count
        total += count
    return {"samples": total, "stages": {s: stages[s] / total for s in STAGES if stages[s]} if total else {},
            "top_own": [{"function": name, "share": n / total} for name, n in own.most_common(top)] if total else []}


def _short(path: str) -> str:
    for marker in ("site-packages/", "/src/", "/lib/python3"):
        if marker in path:
            tail = path.split(marker, 1)[1]
            return tail.split("/", 1)[1] if marker == "/lib/python3" and "/" in tail else tail
    return path


def _cprofile_summary(path: Path, top: int) -> dict[str, Any]:
    stats = pstats.Stats(str(path))
    table: Mapping[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in table.values())
    memo: dict[Any, str] = {}

    def stage_of(func: Any, seen: frozenset[Any] = frozenset()) -> str:
        if func in memo:
            return memo[func]
        filename, _, name = func
        if IMPORTS.search(filename) or name.startswith("<module>"):
            result = "start-up and imports"
        else:
            found = _stage(_short(filename), name)
            if found is not None:
                result = found
            else:
                callers = table[func][4] if func in table else {}
                options = [(v[3], c) for c, v in callers.items() if c not in seen and c != func]
                result = stage_of(max(options)[1], seen | {func}) if options else "other"
        memo[func] = result
        return result

    stages: Counter[str] = Counter()
    for func, entry in table.items():
        stages[stage_of(func)] += entry[2]
    rows = sorted(table.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    return {
        "total_seconds": total,
        "stages": {s: stages[s] / total for s in STAGES if stages[s]} if total else {},
        "top_own": [{"function": f"{name} ({_short(filename)}:{line})", "calls": entry[1], "own": entry[2],
                     "cumulative": entry[3]} for (filename, line, name), entry in rows],
    }


def profile_publish(names: Sequence[str], *, cwd: Path, args: Sequence[str], python: str, env: Mapping[str, str],
                    work: Path, spy: Path | None, keep: Path | None = None, top: int = 25) -> dict[str, Any]:
    """Profile ``polybrief publish NAMES ARGS --jobs 1`` with py-spy (when ``spy``) and cProfile."""
    result: dict[str, Any] = {"briefs": len(names)}
    work.mkdir(parents=True, exist_ok=True)
    command = [python, "-m", "bench.child", "--report", str(work / "report.json"), "--", "publish", *names, *args,
               "--jobs", "1"]
    if spy is not None:
        out, raw = work / "out-spy", work / "py-spy.txt"
        shutil.rmtree(out, ignore_errors=True)
        run = run_child([str(spy), "record", "--format", "raw", "--rate", "100", "--output", str(raw), "--",
                         *command, "--out", str(out)], cwd=cwd, env=env)
        shutil.rmtree(out, ignore_errors=True)
        result["py_spy"] = {**_spy_summary(raw, top), "wall": run.wall, "version": _version(spy)}
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy2(raw, keep / "py-spy.txt")
    out, prof = work / "out-cprofile", work / "cprofile.prof"
    command[command.index("--report") + 2:command.index("--report") + 2] = ["--cprofile", str(prof)]
    shutil.rmtree(out, ignore_errors=True)
    run = run_child([*command, "--out", str(out)], cwd=cwd, env=env)
    shutil.rmtree(out, ignore_errors=True)
    result["cprofile"] = {**_cprofile_summary(prof, top), "wall": run.wall, "cpu": run.cpu}
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy2(prof, keep / "cprofile.prof")
    result["stage_source"] = "py_spy" if "py_spy" in result else "cprofile"
    return result


def _version(spy: Path) -> str:
    proc = subprocess.run([str(spy), "--version"], capture_output=True, text=True, check=False)
    return proc.stdout.strip()
