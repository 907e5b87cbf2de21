"""No data loss when ``polybrief publish`` is killed at any moment.

``publish`` renders everything in memory, then stages every file as a temp
file in its folder and only then renames them all over the old ones
(:mod:`polybrief.publishing.commit`).  So whenever it dies, every output
file is either the complete old version or the complete new one — never
partial, never missing.  Only a kill in the short window between two renames
leaves different files at different versions (each rename is atomic, the set
of renames is not); a failure before the renames replaces nothing.

SIGKILL cannot be caught, so a kill between ``mkstemp`` and ``os.replace``
leaves the temp file behind.  Those are hidden (``.<name>.<random>.tmp``)
and are the only extra files allowed; the test removes them between runs.

Kill delays are drawn from a seeded random generator.  Even-numbered kills
come uniformly in [0, duration of a normal run] after the start (measured
first; most land before any write, some after the run ended).  Odd-numbered
kills wait until the first output file is replaced and then come uniformly
within the measured writing window (a few milliseconds), so the writes
themselves are hit often and leave staged temp files behind.  ~20 s, dominated by Python
start-up in the 52 subprocesses.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "nagorno-karabakh.yaml"
CATALOGS = ROOT / "examples" / "locales"
KILLS = 50
TEMP_FILE = re.compile(r"^\..+\..+\.tmp$")
MANIFEST_NAME = ".polybrief/site.json"
LOCK_NAME = ".polybrief/lock"  # the site lock: removed by each run as it ends, left by a killed one

pytestmark = pytest.mark.slow


def _command(brief: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "polybrief", "publish", str(brief), "--locales", "hy,az,ru",
            "--formats", "html,text", "--catalogs", str(CATALOGS), "--out", str(out)]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    return env


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _comparable(name: str, data: bytes) -> bytes:
    """A file's bytes, but for the site manifest its content without ``stat`` (the sizes, times and inodes
    of the files of the run that wrote it, which differ from run to run); a partial manifest does not parse."""
    if name != MANIFEST_NAME:
        return data
    import json

    document = json.loads(data.decode("utf-8"))
    document.pop("stat")
    return json.dumps(document, sort_keys=True).encode("utf-8")


def _restore(folder: Path, files: dict[str, bytes]) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _inodes(folder: Path, names: list[str]) -> list[int | None]:
    out = []
    for name in names:
        try:
            out.append((folder / name).stat().st_ino)
        except FileNotFoundError:
            out.append(None)
    return out


def _calibrate(brief: Path, out: Path, old: dict[str, bytes]) -> tuple[float, float, float]:
    """Run once over the old outputs: (whole run, first file replaced, last file replaced), in seconds.

    Replacement is seen as a changed inode (``os.replace`` of a new temp file), polled
    about every 0.2 ms.
    """
    names = list(old)
    _restore(out, old)
    before = _inodes(out, names)
    replaced: dict[str, float] = {}
    start = time.perf_counter()
    process = subprocess.Popen(_command(brief, out), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while process.poll() is None:
        now = time.perf_counter() - start
        for name, inode, was in zip(names, _inodes(out, names), before):
            if inode != was and name not in replaced:
                replaced[name] = now
        time.sleep(0.0002)
    duration = time.perf_counter() - start
    assert process.returncode == 0, process.stderr.read().decode() if process.stderr else ""
    if not replaced:
        return duration, duration * 0.8, duration * 0.9
    return duration, min(replaced.values()), max(replaced.values())


def test_killed_publish_never_leaves_partial_files(tmp_path):
    new_brief = tmp_path / "new" / "nagorno-karabakh.yaml"
    new_brief.parent.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    new_brief.write_text(text.replace('headline: Azerbaijan launches "anti-terrorist" offensive',
                                      'headline: Azerbaijan starts "anti-terrorist" operation'), encoding="utf-8")

    old_out, new_out = tmp_path / "old-out", tmp_path / "new-out"
    subprocess.run(_command(EXAMPLE, old_out), env=_env(), check=True, capture_output=True)
    subprocess.run(_command(new_brief, new_out), env=_env(), check=True, capture_output=True)
    old, new = _snapshot(old_out), _snapshot(new_out)
    # 4 languages × 2 formats, index.html, the site manifest and check cache, 4 language indexes and the 404 page
    assert set(old) == set(new) and len(old) == 16
    assert old.pop("404.html") == new.pop("404.html")  # the one file a headline does not change
    assert all(old[name] != new[name] for name in old), "every output should change"

    out = tmp_path / "out"
    runs = [_calibrate(new_brief, out, old) for _ in range(2)]
    duration = min(d for d, _, _ in runs)
    window = max(max(last - first for _, first, last in runs), 0.002)
    rng = random.Random(20230919)
    outcomes = {"old": 0, "mixed": 0, "new": 0}
    leftovers = 0
    names = list(old)
    for kill in range(KILLS):
        _restore(out, old)
        before = _inodes(out, names)
        process = subprocess.Popen(_command(new_brief, out), env=_env(), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        if kill % 2 == 0:
            # Anywhere in a normal run.
            delay = rng.uniform(0.0, duration)
            time.sleep(delay)
        else:
            # Anywhere while files are being replaced: wait for the first replacement, then a bit.
            delay = rng.uniform(0.0, window)
            deadline = time.perf_counter() + 10 * duration
            while _inodes(out, names) == before and process.poll() is None and time.perf_counter() < deadline:
                time.sleep(0.0001)
            time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()

        versions = []
        for name in old:
            path = out / name
            assert path.is_file(), f"kill {kill} after {delay:.4f}s: {name} is missing"
            data = _comparable(name, path.read_bytes())
            assert data in (_comparable(name, old[name]), _comparable(name, new[name])), \
                f"kill {kill} after {delay:.4f}s: {name} is partial"
            versions.append("new" if data == _comparable(name, new[name]) else "old")
        extras = [p for p in out.rglob("*") if p.is_file() and str(p.relative_to(out)) not in old
                  and str(p.relative_to(out)) != LOCK_NAME
                  and p.name != "404.html"]  # the same in both versions (see above)
        assert all(TEMP_FILE.match(p.name) for p in extras), f"unexpected files: {extras}"
        leftovers += len(extras)
        for p in extras:
            p.unlink()
        outcomes["new" if set(versions) == {"new"} else "old" if set(versions) == {"old"} else "mixed"] += 1

    # Kills landed before, during and after the writes (the seed makes this reproducible).
    assert sum(outcomes.values()) == KILLS
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes
    print(f"\n{KILLS} kills: {outcomes}, {leftovers} temp file(s) left behind; "
          f"run {duration:.3f}s, writes take {window * 1000:.1f} ms")
