"""``import polybrief`` is cheap and has no side effects: no heavy imports,
no files or folders created (not even in $HOME), no environment changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("babel", "jinja2", "yaml", "ctranslate2", "argostranslate", "torch", "stanza", "sentencepiece", "ray", "pyarrow")

_PROBE = """
import json, os, sys, time
env_before = dict(os.environ)
start = time.perf_counter()
import polybrief
elapsed = time.perf_counter() - start
print(json.dumps({
    "seconds": elapsed,
    "loaded": sorted({m.split(".")[0] for m in sys.modules}),
    "env_changed": sorted(k for k in set(env_before) | set(os.environ) if env_before.get(k) != os.environ.get(k)),
    "all": list(polybrief.__all__),
}))
"""


def _probe(tmp_path):
    home = tmp_path / "home"
    work = tmp_path / "cwd"
    home.mkdir()
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ARGOS"))}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), XDG_DATA_HOME=str(home / ".local" / "share"),
               XDG_CONFIG_HOME=str(home / ".config"), PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run([sys.executable, "-c", _PROBE], cwd=work, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # nothing printed or logged on import
    return json.loads(result.stdout), home, work


def test_import_is_light_and_has_no_side_effects(tmp_path):
    data, home, work = _probe(tmp_path)
    heavy = sorted(set(HEAVY) & set(data["loaded"]))
    assert heavy == [], f"import polybrief pulled in {heavy}"
    assert list(home.rglob("*")) == [], "import polybrief created files under HOME"
    assert list(work.iterdir()) == [], "import polybrief created files in the working folder"
    assert data["env_changed"] == []
    print(f"\nimport polybrief: {data['seconds'] * 1000:.1f} ms")


def test_public_api_is_curated(tmp_path):
    """Every public name resolves to polybrief's own object (lazy ones too), none is private, and
    each failure kind has its own error type."""
    import inspect

    import polybrief

    assert len(polybrief.__all__) == len(set(polybrief.__all__))
    for name in polybrief.__all__:
        assert not name.startswith("_") or name == "__version__", name
        value = getattr(polybrief, name)  # raises for a name that does not resolve
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__module__.startswith("polybrief."), (name, value.__module__)
    errors = [getattr(polybrief, n) for n in polybrief.__all__ if n.endswith("Error")]
    assert all(issubclass(e, polybrief.PolybriefError) for e in errors)
    assert issubclass(polybrief.OutputError, OSError)
    # Network failures and usage errors are not engine faults.
    assert not issubclass(polybrief.NetworkError, polybrief.TranslationEngineError)
    assert not issubclass(polybrief.UsageError, polybrief.TranslationEngineError)


#: What a command may import only when it needs it: the model's validator and the renderers for a command that
#: reads briefs, the translation engines for ``--mt`` alone.
NOT_FOR_VERSION = ("pydantic", "jinja2", "babel", "ctranslate2", "yaml", "sentencepiece")
MT_ENGINES = ("ctranslate2", "sentencepiece", "argostranslate")

_COMMAND_PROBE = """
import json, runpy, sys
sys.argv = ["polybrief", *json.loads(sys.argv[1])]
try:
    runpy.run_module("polybrief", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "loaded": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def _command_modules(tmp_path, *argv: str) -> tuple[int, list[str], str]:
    """Run ``python -m polybrief ARGV`` in a fresh interpreter: its exit status, the top-level modules it had
    loaded when it exited, and its stdout before the probe's line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(tmp_path), XDG_CACHE_HOME=str(tmp_path / ".cache"))
    result = subprocess.run([sys.executable, "-c", _COMMAND_PROBE, json.dumps(argv)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    *printed, last = result.stdout.strip().splitlines()
    data = json.loads(last)
    return data["code"], data["loaded"], "\n".join(printed)


def test_version_imports_neither_the_model_nor_the_renderers(tmp_path):
    """``polybrief --version`` answers without pydantic, Babel, Jinja2, PyYAML or an engine (it used to import
    the whole public API through the package root: about a quarter of a second)."""
    code, loaded, printed = _command_modules(tmp_path, "--version")
    assert code == 0 and printed.startswith("polybrief ")
    assert sorted(set(NOT_FOR_VERSION) & set(loaded)) == []


def test_publish_without_mt_imports_no_translation_engine(tmp_path, copy_example):
    """A publish without ``--mt`` builds pages (so it did import the model and the renderers) but never loads
    CTranslate2 or SentencePiece."""
    code, loaded, _ = _command_modules(tmp_path, "publish", str(copy_example), "--locales", "hy",
                                       "--out", str(tmp_path / "out"), "--jobs", "1")
    assert code == 0
    assert {"pydantic", "jinja2", "babel"} <= set(loaded)  # it did the work
    assert (tmp_path / "out" / "hy").is_dir()
    assert sorted(set(MT_ENGINES) & set(loaded)) == []
