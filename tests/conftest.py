"""Shared fixtures: the seed brief, a throw-away copy of it with its catalogs,
a minimal-brief factory, PO helpers that go through Babel itself, a runner
for the real command line in a subprocess, and the published disclosure site.

The fixtures that take seconds are built once per test run, not once per
pytest-xdist worker (:mod:`build_once`)."""

try:
    from mt_fixtures import *  # noqa: F401,F403  (session-built tiny MT models)
except ModuleNotFoundError:
    pass

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from build_once import build_once

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "nagorno-karabakh.yaml"
EXAMPLE_ID = "nagorno-karabakh"
SHIPPED_LOCALES = ("hy", "az", "ru")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def example_path() -> Path:
    """The repository's seed brief (read-only: copy it before changing anything)."""
    assert EXAMPLE.is_file(), EXAMPLE
    return EXAMPLE


@pytest.fixture(scope="session")
def example_brief(example_path: Path):
    import polybrief

    return polybrief.load(example_path)  # frozen model: safe to share


@pytest.fixture(scope="session")
def disclosure_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The seed brief published with every kind of segment (:mod:`disclosure_site`), once per run; read-only."""
    from disclosure_site import build_disclosure_site

    return build_once(tmp_path_factory, "disclosure-site", build_disclosure_site)


@pytest.fixture
def copy_example(tmp_path: Path) -> Path:
    """A copy of the seed brief and its ``locales/`` catalog tree in ``tmp_path``; returns the brief path."""
    target = tmp_path / "brief"
    target.mkdir()
    shutil.copy2(EXAMPLE, target / EXAMPLE.name)
    shutil.copytree(EXAMPLE.parent / "locales", target / "locales")
    return target / EXAMPLE.name


@pytest.fixture
def make_brief() -> Callable[..., Any]:
    """Build a small valid :class:`polybrief.Brief`; keyword arguments replace top-level fields."""
    import polybrief

    def build(**fields: Any) -> Any:
        data: dict[str, Any] = {
            "id": "test-brief",
            "language": "en",
            "headline": "Bridge reopens after repairs",
            "dateline": {"place": "Yerevan", "date": "2024-03-05"},
            "published": "2024-03-05T09:30:00+04:00",
            "lead": ["The bridge over the river reopened on Tuesday."],
            "sections": [{"heading": "Updates", "items": [
                {"label": "Traffic", "text": "Both lanes are open again.", "source": "City Hall"},
            ]}],
            "sources": [{"name": "City Hall", "url": "https://example.org/city-hall"}],
        }
        data.update(fields)
        return polybrief.Brief.model_validate(data)

    return build


def _read_po(path: Path, **kwargs: Any) -> Any:
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        return read_po(handle, abort_invalid=True, **kwargs)


def _write_po(path: Path, catalog: Any) -> None:
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog)
    Path(path).write_bytes(buffer.getvalue())


@pytest.fixture(scope="session")
def po_io() -> SimpleNamespace:
    """``po_io.read(path)`` / ``po_io.write(path, catalog)``: a translator's editor, i.e. plain Babel."""
    return SimpleNamespace(read=_read_po, write=_write_po)


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``python -m polybrief ARGS`` in a subprocess; returns the CompletedProcess (text output)."""

    def run(*args: Any, cwd: Path | str, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "polybrief", *map(str, args)],
            cwd=cwd, env=full_env, capture_output=True, text=True, encoding="utf-8", timeout=timeout,
        )

    return run


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 2, one ``polybrief: error:`` line on stderr naming every needle, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    err = result.stderr.strip()
    assert "Traceback" not in result.stderr, result.stderr
    assert len(err.splitlines()) == 1, err
    assert err.startswith("polybrief: error:"), err
    for needle in needles:
        assert needle in err, (needle, err)
    return err


@pytest.fixture(scope="session")
def one_line_error() -> Callable[..., str]:
    return assert_one_line_error


@pytest.fixture(scope="session")
def msgfmt() -> str:
    path = shutil.which("msgfmt")
    if path is None:
        pytest.skip("GNU gettext msgfmt is not installed")
    return path


def without_hidden(html: str) -> str:
    """``html`` without what only a screen reader hears (``class="visually-hidden"`` elements) and without
    soft hyphens (invisible unless a line breaks there): the page as a sighted reader sees it."""
    import re

    out, pos = [], 0
    for match in re.finditer(r'<span class="visually-hidden"[^>]*>', html):
        if match.start() < pos:
            continue
        out.append(html[pos:match.start()])
        depth, i = 1, match.end()
        for tag in re.finditer(r"<(/?)span\b[^>]*>", html[match.end():]):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                i = match.end() + tag.end()
                break
        pos = i
    out.append(html[pos:])
    return "".join(out).replace("\u00ad", "")


def field_key(brief: Any, position: str) -> str:
    """The key path (msgctxt, segment path) of ``brief``'s field at a positional path (``sections[0].items[2].text``)."""
    import polybrief

    (path,) = [u.path for u in polybrief.translation_units(brief) if u.position == position]
    return path


def example_key(position: str) -> str:
    """:func:`field_key` of the seed brief."""
    import polybrief

    return field_key(polybrief.load(EXAMPLE), position)


def entry_blocks(text: str) -> dict[str, str]:
    """Live PO entries by msgctxt (wrapped or not) -> the entry's full text block, to compare byte for byte."""
    import re

    blocks: dict[str, str] = {}
    for block in text.split("\n\n"):
        match = re.search(r'^msgctxt ((?:"(?:[^"\\]|\\.)*"\n?)+)', block, re.M)
        if match and not block.lstrip().startswith("#~"):
            blocks["".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1)))] = block
    return blocks


@pytest.fixture(scope="module")
def local_ray() -> Iterator[Any]:
    """A local Ray with 2 CPUs for the module (two tasks or actors at once), joined, not restarted, if the
    process already has one.  The Ray test modules share the ``ray`` xdist group, so one worker runs them."""
    import logging

    import ray

    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING)
    yield ray
    if started:
        ray.shutdown()
