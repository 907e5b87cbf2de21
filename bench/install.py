"""``python -m bench.install``: install size and time of each extra, in fresh virtual environments.

For each extra (none, ``mt``, ``argos`` — which is what ``mt`` was before it
dropped argostranslate — and ``ray``), a new venv is made and
``pip install -c constraints.txt '<this repository>[extra]'`` is timed; the
size is ``du`` of the venv's ``site-packages`` (disk usage, as ``du -s``
counts it), with the largest top-level entries named.  Every package is
fetched once beforehand (``pip download``, untimed) so each timed install
reads the same warm pip cache and local wheels (torch comes from the file
``constraints.txt`` pins): the times measure resolving, unpacking and
byte-compiling, not the network.  The ratios (``argos`` ÷ ``mt``) pair
installs made in the same run.

Writes ``bench/results/install.json`` (or ``--out``) and regenerates
``docs/benchmarks.md`` from the result files present.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .stats import Sample, ratio

__all__ = ["measure", "main"]

REPO = Path(__file__).resolve().parent.parent
EXTRAS: dict[str, str] = {"core": "", "mt": "[mt]", "argos": "[argos]", "ray": "[ray]"}
#: What each extra must (and must not) make importable: checked in every venv.
IMPORTS = {"mt": ("ctranslate2", "sentencepiece", "sentencex"), "argos": ("argostranslate",), "ray": ("ray", "pyarrow")}
HEAVY = ("torch", "stanza", "spacy", "onnxruntime", "argostranslate")

log = logging.getLogger("bench")


def _du(path: Path) -> int:
    """Bytes of disk used under ``path`` (``du -s --block-size=1``)."""
    out = subprocess.run(["du", "-s", "--block-size=1", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0])


def _site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python*/site-packages"))
    if not found:
        raise RuntimeError(f"no site-packages in {venv}")
    return found[0]


def _largest(site: Path, n: int = 6) -> list[tuple[str, int]]:
    sizes = [(entry.name, _du(entry)) for entry in site.iterdir()
             if entry.is_dir() and not entry.name.endswith((".dist-info", "__pycache__"))]
    return sorted(sizes, key=lambda item: -item[1])[:n]


def _pip(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run([str(python), "-m", "pip", *args], capture_output=True, text=True, env=env, check=False)


def _install(tmp: Path, name: str, extra: str, python: str) -> dict[str, Any]:
    venv = tmp / f"venv-{name}"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    bin_python = venv / "bin" / "python"
    started = time.perf_counter()
    proc = _pip(bin_python, "install", "--quiet", "-c", str(REPO / "constraints.txt"), f"{REPO}{extra}")
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"pip install {extra or '(core)'} failed:\n{proc.stderr[-2000:]}")
    site = _site_packages(venv)
    listed = json.loads(_pip(bin_python, "list", "--format", "json").stdout)
    # find_spec, not import: importing argostranslate creates folders under $HOME.
    probe = ("import importlib.util, json, sys; print(json.dumps({m: importlib.util.find_spec(m) is not None "
             "for m in sys.argv[1:]}))")
    wanted = [m for key, mods in IMPORTS.items() for m in mods] + list(HEAVY)
    present = json.loads(subprocess.run([str(bin_python), "-c", probe, *dict.fromkeys(wanted)], capture_output=True,
                                        text=True, check=True).stdout)
    entry = {
        "extra": extra or "(none)",
        "seconds": seconds,
        "site_packages_bytes": _du(site),
        "distributions": len(listed),
        "largest": _largest(site),
        "importable": present,
    }
    shutil.rmtree(venv, ignore_errors=True)
    return entry


def measure(reps: int = 1, *, python: str | None = None) -> dict[str, Any]:
    """Install each extra ``reps`` times into fresh venvs (order rotating); sizes, times and ratios."""
    python = python or sys.executable
    tmp = Path(tempfile.mkdtemp(prefix="polybrief-install-"))
    try:
        fetch = subprocess.run([python, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                                "-d", str(tmp / "wheels"), "-c", str(REPO / "constraints.txt"),
                                f"{REPO}[argos,ray]"], capture_output=True, text=True, check=False)
        if fetch.returncode != 0:
            raise RuntimeError(f"pip download failed:\n{fetch.stderr[-2000:]}")
        shutil.rmtree(tmp / "wheels", ignore_errors=True)
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in EXTRAS}
        for rep in range(reps):
            names = list(EXTRAS)
            for name in names[rep % len(names):] + names[:rep % len(names)]:
                log.info("installing %s (rep %d)", name, rep + 1)
                runs[name].append(_install(tmp, name, EXTRAS[name], python))
                log.info("  %.0f s, %.0f MiB", runs[name][-1]["seconds"],
                         runs[name][-1]["site_packages_bytes"] / 2**20)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    times = {name: Sample([r["seconds"] for r in entries]) for name, entries in runs.items()}
    sizes = {name: Sample([float(r["site_packages_bytes"]) for r in entries], unit="bytes")
             for name, entries in runs.items()}
    return {
        "command": "python -m bench.install " + " ".join(sys.argv[1:]),
        "reps": reps,
        "python": python,
        "pip_note": "packages fetched beforehand (untimed); every timed install reads the same warm cache",
        "extras": {name: {"extra": entries[0]["extra"], "time": times[name].to_dict(),
                          "size": sizes[name].to_dict(), "distributions": entries[0]["distributions"],
                          "largest": entries[0]["largest"], "importable": entries[0]["importable"]}
                   for name, entries in runs.items()},
        "argos_vs_mt_size": ratio(sizes["argos"], sizes["mt"]).to_dict(),
        "argos_vs_mt_time": ratio(times["argos"], times["mt"]).to_dict(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.install", description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=1, help="installs of each extra (default 1)")
    parser.add_argument("--out", type=Path, help="folder for install.json and benchmarks.md "
                        "(default: bench/results/ and docs/benchmarks.md)")
    args = parser.parse_args(argv)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s bench: %(message)s", "%H:%M:%S"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    from .report import write_json, write_markdown

    results_dir = args.out or (REPO / "bench" / "results")
    result = measure(args.reps)
    path = write_json(result, results_dir / "install.json")
    docs = (args.out / "benchmarks.md") if args.out else (REPO / "docs" / "benchmarks.md")
    write_markdown(docs, results_dir=results_dir)
    log.info("wrote %s and %s", path, docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
