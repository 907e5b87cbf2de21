"""The architecture as a test: the layers of docs/architecture.md hold (import-linter), no import cycle
exists between modules (imports inside functions count), no module reaches into another's private
names or into the package root, no function is too complex to review (radon rank E or F), and the
layout stays readable (every module on the architecture map, none longer than about 500 lines)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "polybrief"
MAX_LINES = 550


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def _name(path: Path) -> str:
    parts = ["polybrief", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph():  # noqa: ANN202 - grimp's graph type
    import grimp

    return grimp.build_graph("polybrief", include_external_packages=False, exclude_type_checking_imports=True,
                             cache_dir=None)


def test_every_module_is_on_the_architecture_map():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = [p.relative_to(SRC).as_posix() for p in _modules()]
    assert len(modules) > 50
    assert [m for m in modules if f"| `{m}` |" not in text] == []


def test_the_module_map_is_generated_from_the_docstrings():
    """docs/architecture.md's map says what each module's docstring says (``scripts/module_map.py``)."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "module_map.py"), "--check"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_no_module_is_longer_than_about_500_lines():
    lengths = {p.relative_to(SRC).as_posix(): len(p.read_text(encoding="utf-8").splitlines()) for p in _modules()}
    assert {name: n for name, n in lengths.items() if n > MAX_LINES} == {}


def test_import_linter_contracts_hold():
    """The layers, independence and forbidden contracts in pyproject.toml ([tool.importlinter])."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout and result.stdout.count("KEPT") >= 4, result.stdout


def _cycles(graph) -> list[list[str]]:  # noqa: ANN001
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in modules:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if i < len(edges[node]):
                work.append((node, i + 1))
                nxt = edges[node][i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def test_no_import_cycle_between_modules():
    """Imports inside functions count: a cycle hidden in a function is still a cycle."""
    graph = _graph()
    assert _cycles(graph) == []


def test_cycle_finder_finds_a_cycle():
    class Fake:
        modules = {"a", "b", "c", "d"}

        @staticmethod
        def find_modules_directly_imported_by(module: str) -> set[str]:
            return {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}[module]

    assert _cycles(Fake) == [["a", "b", "c"]]


def test_no_module_imports_the_package_root():
    """``from .. import __version__`` made the root and 10 modules one cycle: the version has its own module."""
    graph = _graph()
    importers = sorted(m for m in graph.find_modules_that_directly_import("polybrief") if m != "polybrief.__main__")
    assert importers == []


def test_no_private_name_is_imported_across_modules():
    """A name with a leading underscore is its module's own: another module using it is coupled to
    internals nobody promised to keep (``site.pages._Worker``, the renderer's ``_factories``)."""
    found = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if not target.startswith("polybrief"):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{_name(path)}: from {target} import {alias.name}")
    assert found == []


def test_no_function_is_too_complex_to_review():
    """radon's cyclomatic-complexity rank E (31-40) or F (41+): none (``fill_machine_drafts`` was F 42,
    ``merge_entries`` and the page builder E 33)."""
    from radon.complexity import cc_rank, cc_visit

    ranked = []
    for path in _modules():
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if cc_rank(block.complexity) in ("E", "F"):
                ranked.append(f"{path.relative_to(SRC)}: {block.fullname} {cc_rank(block.complexity)} "
                              f"{block.complexity}")
    assert ranked == []


#: The internal modules each test file may import: the modules it is *about* (a test of the catalog
#: writer reads the writer).  Every other test goes through the public API (``polybrief``,
#: ``polybrief.mt``, ``polybrief.qa``, ``polybrief.cli``), so an internal module can move without
#: touching tests of something else.  The list only ever shrinks.
TESTED_INTERNALS: dict[str, set[str]] = {
    "test_bad_inputs.py": {"polybrief.catalogs.brief", "polybrief.catalogs.ui"},
    "test_bidi.py": {"polybrief.bidi", "polybrief.controls", "polybrief.rendering"},
    "test_catalog_defects.py": {"polybrief.catalogs.drafts", "polybrief.catalogs.entry"},
    "test_catalog_entry.py": {"polybrief.catalogs.entry", "polybrief.catalogs.po", "polybrief.catalogs.writer"},
    "test_catalog_interop.py": {"polybrief.catalogs.po", "polybrief.catalogs.writer"},
    "test_catalog_keys.py": {"polybrief.fields"},
    "test_check_cache.py": {"polybrief.qa.gate", "polybrief.site", "polybrief.site.check_cache", "polybrief.site.check_key"},
    "test_catalog_properties.py": {"polybrief.catalogs.drafts", "polybrief.catalogs.repository", "polybrief.fields"},
    "test_catalogs.py": {"polybrief.catalogs.repository", "polybrief.catalogs.writer"},
    "test_cldr_golden.py": {"polybrief.numbering"},
    "test_disclosure.py": {"polybrief.rendering"},
    "test_figures.py": {"polybrief.brief_io"},
    "test_glossary.py": {"polybrief.glossary"},
    "test_grammar.py": {"polybrief.plurals"},
    "test_greedy_wrap.py": {"polybrief.rendering.text"},
    "test_hardening.py": {"polybrief.brief_io", "polybrief.catalogs.po", "polybrief.catalogs.repository",
                          "polybrief.mt.index", "polybrief.plurals", "polybrief.rendering"},
    "test_hardening_iii.py": {"polybrief.plurals", "polybrief.publishing", "polybrief.site", "polybrief.site.state"},
    "test_hostile.py": {"polybrief.rendering"},
    "test_machine.py": {"polybrief.catalogs", "polybrief.catalogs.po", "polybrief.catalogs.repository"},
    "test_mt_engine.py": {"polybrief.mt.argos"},
    "test_mt_loud.py": {"polybrief.catalogs.repository", "polybrief.mt.summary"},
    "test_mt_models.py": {"polybrief.mt.index"},
    "test_mt_protect.py": {"polybrief.glossary", "polybrief.mt.protect", "polybrief.text.sentences"},
    "test_mt_ray.py": {"polybrief.mt.ray_engine"},
    "test_phrases.py": {"polybrief.rendering", "polybrief.resources"},
    "test_po_reader.py": {"polybrief.catalogs.header", "polybrief.catalogs.po", "polybrief.plurals"},
    "test_project.py": {"polybrief.cli.options", "polybrief.glossary"},
    "test_properties_render.py": {"polybrief.rendering"},
    "test_qa.py": {"polybrief.glossary", "polybrief.text.scripts"},
    "test_qa_registry.py": {"polybrief.qa.suite", "polybrief.text"},
    "test_qa_identity.py": {"polybrief.qa.checks", "polybrief.qa.content_checks", "polybrief.qa.dates",
                            "polybrief.qa.language_checks", "polybrief.qa.memo", "polybrief.qa.names", "polybrief.qa.number_words", "polybrief.qa.numbers", "polybrief.qa.sentences", "polybrief.qa.symbols",
                            "polybrief.qa.tokens", "polybrief.qa.unicode_checks", "polybrief.text.numbers",
                            "polybrief.text.scripts", "polybrief.text.sentences"},
    "test_qa_fast_paths.py": {"polybrief.qa.checks", "polybrief.qa.language", "polybrief.qa.language_checks",
                              "polybrief.qa.names", "polybrief.qa.numbers",
                              "polybrief.qa.sentences", "polybrief.text.numbers", "polybrief.text.scripts"},
    "test_qa_text_checks.py": {"polybrief.catalogs.brief", "polybrief.qa.registry", "polybrief.qa.suite",
                               "polybrief.text.scripts"},
    "test_render.py": {"polybrief.rendering"},
    "test_ui_messages.py": {"polybrief.catalogs.po", "polybrief.rendering.messages"},
    "test_scale.py": {"polybrief.site"},
    "test_site.py": {"polybrief.site"},
    "test_shards.py": {"polybrief.publishing", "polybrief.publishing.shards"},
    "test_shards_ray.py": {"polybrief.publishing"},
}
PUBLIC_MODULES = {"polybrief", "polybrief.mt", "polybrief.qa", "polybrief.cli"}


def test_tests_use_public_names_except_for_the_module_under_test():
    tests = ROOT / "tests"
    unexpected = []
    for path in sorted(tests.glob("*.py")):
        allowed = TESTED_INTERNALS.get(path.name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("polybrief"):
                modules = [node.module or ""]
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names if a.name.startswith("polybrief")]
            else:
                continue
            unexpected += [f"{path.name}: {m}" for m in modules if m not in PUBLIC_MODULES and m not in allowed]
    assert unexpected == []
