"""The API reference documents every public name, its examples run, and the site builds without a broken link.

``docs/api.md`` is generated from the docstrings by mkdocstrings (``make docs``); these tests keep it
whole: every name in ``polybrief.__all__`` has a ``::: polybrief.<name>`` entry there and a docstring
with an example, every ``>>>`` example of the public objects (and of their methods) passes when run
from the repository root as a reader would run it (``import polybrief`` and nothing else), and
``mkdocs build --strict`` succeeds, which fails on a docstring role naming nothing, on a reference to
a public name the page does not document, and on a broken link between pages.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import polybrief

REPO = Path(__file__).resolve().parent.parent
API_MD = REPO / "docs" / "api.md"
DIRECTIVE = re.compile(r"^::: polybrief\.(\w+)\s*$", re.M)
# An example: a doctest, a reST literal block (a paragraph ending in "::", then an indented block),
# or a fenced code block.
EXAMPLE = re.compile(r">>> |::\n\s*\n {4,}\S|^\s*```", re.M)


def _attribute_docstring(module: str, name: str) -> tuple[str, int]:
    """The docstring written under ``name = ...`` in ``module`` (what mkdocstrings shows), and its line."""
    path = Path(importlib.import_module(module).__file__ or "")
    body = ast.parse(path.read_text(encoding="utf-8")).body
    for node, after in zip(body, body[1:]):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str):
                return inspect.cleandoc(after.value.value), after.lineno
    return "", 0


# The public names that are values rather than classes or functions: their docstring is the one under
# their assignment (a str or a sentinel has no docstring of its own).
ATTRIBUTES = {"__version__": "polybrief._version", "FIND": "polybrief.session"}


def _docstring(name: str) -> str:
    if name in ATTRIBUTES:
        return _attribute_docstring(ATTRIBUTES[name], name)[0]
    obj = getattr(polybrief, name)
    # Not inspect.getdoc: it would lend a class its base's docstring, and a dataclass without one has
    # its signature for a docstring.
    return obj.__doc__ or ""


def test_every_public_name_has_an_entry_in_the_api_reference():
    documented = DIRECTIVE.findall(API_MD.read_text(encoding="utf-8"))
    assert len(documented) == len(set(documented)), "a name is documented twice in docs/api.md"
    missing = [n for n in polybrief.__all__ if n not in documented]
    assert missing == [], f"docs/api.md has no '::: polybrief.<name>' entry for {missing}"
    unknown = sorted(set(documented) - set(polybrief.__all__))
    assert unknown == [], f"docs/api.md documents names that are not in polybrief.__all__: {unknown}"


@pytest.mark.parametrize("name", polybrief.__all__)
def test_every_public_name_has_a_docstring_with_an_example(name):
    doc = _docstring(name)
    assert doc.strip(), f"polybrief.{name} has no docstring"
    assert EXAMPLE.search(doc), f"polybrief.{name}'s docstring has no example (a >>> doctest or a code block)"


def _doctests(name: str) -> list[doctest.DocTest]:
    globs = {"polybrief": polybrief}
    if name in ATTRIBUTES:
        doc, line = _attribute_docstring(ATTRIBUTES[name], name)
        module = importlib.import_module(ATTRIBUTES[name])
        return [doctest.DocTestParser().get_doctest(doc, dict(globs), f"polybrief.{name}", module.__file__, line)]
    obj = getattr(polybrief, name)
    tests = doctest.DocTestFinder(recurse=True).find(obj, f"polybrief.{name}", globs=globs,
                                                     module=inspect.getmodule(obj))
    return [t for t in tests if t.examples]


def test_the_examples_of_every_public_name_run(monkeypatch):
    """Every ``>>>`` example of a public object and its methods passes, run from the repository root with
    only ``polybrief`` imported (the examples read ``examples/``; those that write use a temp folder)."""
    monkeypatch.chdir(REPO)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    failed: list[str] = []
    not_run: list[str] = []
    for name in polybrief.__all__:
        ran = sum(runner.run(test, out=failed.append).attempted for test in _doctests(name))
        runnable = [line for line in _docstring(name).splitlines() if ">>> " in line and "+SKIP" not in line]
        if runnable and not ran:
            not_run.append(name)
    assert failed == [], "".join(failed)
    assert not_run == [], f"the examples of {not_run} were not found to run"


def test_api_reference_builds_with_no_broken_reference(tmp_path):
    """``mkdocs build --strict`` (what ``make docs`` runs) into a temp folder: a docstring role naming no
    object, a reference to a public name docs/api.md lacks and a broken link all fail it."""
    pytest.importorskip("mkdocstrings_handlers.python", reason="mkdocstrings-python is not installed "
                        "(pip install -e '.[docs]'; `make test` installs it)")
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent)) or shutil.which("mkdocs")
    assert mkdocs, "mkdocstrings is installed but the mkdocs command is not"
    site = tmp_path / "site"
    result = subprocess.run([mkdocs, "build", "--strict", "--site-dir", str(site)], cwd=REPO, capture_output=True,
                            text=True, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    page = (site / "api" / "index.html").read_text(encoding="utf-8")
    for name in polybrief.__all__:
        assert f'id="polybrief.{name}"' in page, f"the built reference has no entry for polybrief.{name}"
    assert ":class:`" not in page and ":func:`" not in page, "a Sphinx role was printed as text"

