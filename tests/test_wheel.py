"""The wheel carries its templates and UI catalogs, and works when installed
into a fresh virtual environment, run from outside the repository."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLE, REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("build", reason="the 'build' package is needed to build the wheel")
    pytest.importorskip("hatchling", reason="hatchling is needed for a --no-isolation build")
    out = tmp_path_factory.mktemp("wheelhouse")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (path,) = out.glob("polybrief-*.whl")
    return path


def test_wheel_contains_package_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "polybrief/__init__.py",
        "polybrief/py.typed",
        "polybrief/data/templates/brief.html.j2",
        "polybrief/data/templates/brief.txt.j2",
        "polybrief/data/templates/index.html.j2",
        "polybrief/data/locales/quotation-marks.toml",
        "polybrief/data/locales/polybrief.pot",
        "polybrief/data/locales/hy/LC_MESSAGES/polybrief.po",
        "polybrief/data/locales/az/LC_MESSAGES/polybrief.po",
        "polybrief/data/locales/ru/LC_MESSAGES/polybrief.po",
    ):
        assert required in names, required
    assert not any(name.startswith(("tests/", "examples/")) or "__pycache__" in name for name in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    required = {line.split(":", 1)[1].strip().lower() for line in text.splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line}
    assert {r.split(">")[0].split("<")[0] for r in required} == {
        "babel", "jinja2", "pyyaml", "pydantic", "wcwidth", "filelock", "polib",
        "sentencex", "lingua-language-detector",  # no MT stack in a core install; QA's segmenter and language ID
        "feedgen", "tqdm",  # a site's Atom feeds, and progress bars for publish
        "pyphen",  # soft hyphens for headlines and figures (rendering/hyphens.py)
        "unicode-rbnf", "num2words", "confusable-homoglyphs"}  # QA: CLDR number spellings, TR39 look-alikes


def test_installed_wheel_renders_russian(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    install = subprocess.run(
        [str(bindir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-c", str(REPO / "constraints.txt"), str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    if install.returncode != 0 and ("Could not find a version" in install.stderr or "NewConnectionError" in install.stderr):
        pytest.skip(f"dependencies cannot be installed here: {install.stderr.strip().splitlines()[-1]}")
    assert install.returncode == 0, install.stderr

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(bindir / "polybrief"), "render", str(EXAMPLE), "--locale", "ru", "--format", "html"],
        cwd=outside, capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Ключевые цифры" in result.stdout and "Источники" in result.stdout
    assert '<html lang="ru" dir="ltr">' in result.stdout
    where = subprocess.run(
        [str(bindir / "python"), "-c", "import polybrief.resources as r; print(r.builtin_templates_dir())"],
        cwd=outside, capture_output=True, text=True, env=env, timeout=60,
    )
    templates = Path(where.stdout.strip())
    assert templates.parts[-2:] == ("data", "templates")  # package data, not the checkout
    assert venv in templates.parents
