"""Build an expensive test fixture once per test run, however many pytest-xdist workers there are.

``make test`` runs the suite with pytest-xdist (``-n auto``), and every xdist worker is a process
with its own pytest session: a plain ``scope="session"`` fixture is built once *per worker*.  For
the fixtures that take seconds (the tiny MT models, the published disclosure site, the QA
evaluation corpus) this module follows the pattern pytest-xdist documents under "Making
session-scoped fixtures execute only once": the workers of one run share the parent of their
base temp folder; the first worker to take a file lock there builds the value into a folder
beside it and pickles what it returns; the others wait on the lock and unpickle it.  The folder
is per run (pytest's numbered ``pytest-N`` folder), so nothing is shared between runs, and
nothing outside pytest's temp folders is written.

Without xdist (``pytest`` alone, ``-n 0``) it is an ordinary session fixture in its own temp
folder.  What is built is shared by every test of the run: tests must treat it as read-only.
"""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from filelock import FileLock

T = TypeVar("T")


def shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """The folder every xdist worker of this run shares, or ``None`` when the run has no workers."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return None
    return tmp_path_factory.getbasetemp().parent


def build_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], T]) -> T:
    """``build(folder)`` once per test run; its return value (picklable) is handed to every worker."""
    root = shared_root(tmp_path_factory)
    if root is None:
        return build(tmp_path_factory.mktemp(name))
    folder = root / f"once-{name}"
    done = root / f"once-{name}.pickle"
    with FileLock(str(root / f"once-{name}.lock")):
        if done.is_file():
            value: T = pickle.loads(done.read_bytes())
            return value
        if folder.exists():  # a worker whose build failed half-way: start again
            shutil.rmtree(folder)
        folder.mkdir()
        value = build(folder)
        partial = done.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(value))
        os.replace(partial, done)
        return value
