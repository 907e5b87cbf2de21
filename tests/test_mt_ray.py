"""The Ray engine on a local Ray (2 CPUs) with the session's tiny real models.

What matters is that running the models on an actor pool changes nothing:
the results (texts and scores) equal the in-process engine's on the same
segments, spread over many blocks and two actors, and ``polybrief translate
--ray`` writes the same catalogs as without it.  Pivot routes run the same
per-model function once per pass (:func:`polybrief.mt.argos.run_passes`,
shared with the in-process engine).  Ray is started once per
session; every Ray Data run starts its actor pool, so the tests are few, and
the ones that start Ray (several seconds each, and a cluster's processes beside
the other tests) are in the slow tier (``make test-all``); the checks of the
command line's Ray options, which start no cluster, stay in ``make test``.
Without the ``ray`` extra they skip, and asking for Ray says what to install.
"""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from polybrief import MissingExtraError, TranslationEngineError
from polybrief.mt import ArgosEngine, EngineOptions

FAST = EngineOptions(beam_size=1, max_decoding_length=8)

SEGMENTS = [
    "Heavy rain fell in the north. Roads remain closed.",
    "Roads remain closed.",
    "  The minister said the bridge is open.\n\nSchools are closed on Friday.  ",
    "Line one of an address\nLine two of it",
    "2024",
    "",
    *(f"The {w} rose {n} times this week." for w in ("price", "river", "market") for n in ("two", "three")),
]


def _have_ray() -> bool:
    import importlib.util

    return importlib.util.find_spec("ray") is not None


needs_ray = pytest.mark.skipif(not _have_ray(), reason="needs the ray extra (pip install 'polybrief[ray]')")
pytestmark = [
    # Ray Data's own context warns about its own deprecated settings when it is first used.
    pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context"),
    # Under pytest-xdist (``--dist loadgroup``) one worker runs the module: one local Ray, not one a worker.
    pytest.mark.xdist_group("ray"),
]


@pytest.mark.slow
@needs_ray
def test_same_results_as_the_in_process_engine(local_ray: Any, mt_packages: Path) -> None:
    from mt_fixtures import fixture_lines

    from polybrief.mt import RayEngine

    # Small token batches and one batch a block: the run is spread over many blocks and both actors.
    # Varied sentences in batches of different shapes: with arbitrary blocks some outputs and many
    # scores differed (padding changes float reductions); blocks of whole batches make them equal.
    options = EngineOptions(beam_size=1, max_decoding_length=8, max_batch_tokens=256)
    remote = RayEngine(address="local", packages_dir=mt_packages, options=options, actors=2, block_size=1)
    local = ArgosEngine(packages_dir=mt_packages, options=options)
    assert not remote.use_gpus  # the test cluster has no GPU; --device cpu is the default here
    segments = SEGMENTS + fixture_lines(40, seed=3)
    expected = local.translate(segments, source="en", target="az")
    got = remote.translate(segments, source="en", target="az")
    assert got == expected
    stats, local_stats = remote.last_run_stats, local.last_run_stats
    assert stats is not None and local_stats is not None
    # The same passes, the same inputs, the very same batches.
    for name in ("segments", "sentences", "unique_sentences", "model_inputs", "calls", "batches", "source_tokens"):
        assert getattr(stats, name) == getattr(local_stats, name), name
    assert remote.last_pool == (2, local_stats.batches) and local_stats.batches > 2


@pytest.mark.slow
@needs_ray
def test_cli_translate_on_ray_writes_the_same_catalogs(local_ray: Any, mt_packages: Path, tmp_path: Path,
                                                      make_brief: Any, po_io: Any) -> None:
    import polybrief
    from polybrief.cli import main

    brief = make_brief(lead=["The bridge over the river reopened on Tuesday.", "Schools remain closed."])
    runs = {}
    for name, extra in (("in-process", []), ("ray", ["--ray", "local", "--ray-actors", "2"])):
        folder = tmp_path / name
        folder.mkdir()
        path = folder / "brief.yaml"
        polybrief.save(brief, path)
        code = main(["translate", str(path), "--locales", "az,ru", "--packages-dir", str(mt_packages),
                     "--beam-size", "1", *extra])
        assert code == 0
        runs[name] = {
            lang: [(m.id, m.context, m.string, m.flags, m.user_comments) for m in
                   po_io.read(folder / "locales" / lang / "LC_MESSAGES" / f"{brief.id}.po") if m.id]
            for lang in ("az", "ru")
        }
    # Random weights write gibberish in any script: translate stores what passes the publish checks
    # as a fuzzy draft and records the rest as rejected; either way the engine's output arrived.
    touched = [m for m in runs["ray"]["az"]
               if "fuzzy" in m[3] or any(c.startswith("machine translation") for c in m[4])]
    assert touched, "the engine's output reached no catalog entry"
    assert runs["ray"] == runs["in-process"]


@pytest.mark.slow
@needs_ray
def test_errors_on_the_actors_reach_the_driver_as_polybrief_errors(local_ray: Any, mt_packages: Path,
                                                                    tmp_path: Path) -> None:
    from polybrief.mt import RayEngine
    from polybrief.mt import list_models

    # The driver reads the tokenizer; the model itself is missing, as on a node without the models folder.
    copy = tmp_path / "packages"
    shutil.copytree(mt_packages, copy)
    models = [m for m in list_models(copy) if m.pair == ("en", "az")]
    (models[0].model_path / "model.bin").unlink()
    engine = RayEngine(address="local", models=models, options=FAST, actors=1)
    with pytest.raises(TranslationEngineError, match=r"cannot load model en→az .*\(on Ray node "):
        engine.translate(["Schools are closed."], source="en", target="az")
    with pytest.raises(TranslationEngineError, match="no GPU"):
        RayEngine(address="local", models=models, options=EngineOptions(device="cuda"))


@pytest.mark.slow
@needs_ray
def test_the_pool_fits_the_cluster(local_ray: Any, mt_packages: Path, caplog: pytest.LogCaptureFixture) -> None:
    from polybrief.mt.ray_engine import MAX_BLOCK, MIN_BLOCK, RayEngine

    engine = RayEngine(address="local", packages_dir=mt_packages, options=FAST)
    assert engine.pool(10) == (1, MIN_BLOCK)  # one block: one actor, however many CPUs
    assert engine.pool(100_000) == (2, MAX_BLOCK)  # num_cpus=2: two one-thread actors
    wide = RayEngine(address="local", packages_dir=mt_packages, options=EngineOptions(intra_threads=2))
    assert wide.pool(100_000)[0] == 1
    # More actors than the cluster can place would leave Ray Data waiting: capped, with a warning.
    with caplog.at_level(logging.WARNING, logger="polybrief.mt.ray_engine"):
        assert RayEngine(address="local", packages_dir=mt_packages, options=FAST, actors=8).pool(100_000)[0] == 2
    assert "room for 2 actor(s)" in caplog.text


def test_without_ray_asking_for_it_names_the_extra(monkeypatch: pytest.MonkeyPatch, mt_packages: Path) -> None:
    from polybrief.mt import build_engine

    monkeypatch.setitem(sys.modules, "ray", None)  # what `import ray` meets when the extra is absent
    with pytest.raises(MissingExtraError, match="polybrief\\[ray\\]"):
        build_engine(packages_dir=mt_packages, ray_address="local")


@needs_ray
def test_an_address_nobody_listens_at_fails_fast(mt_packages: Path, copy_example: Path, run_cli: Any,
                                                   one_line_error: Any) -> None:
    catalogs = copy_example.parent / "locales"
    before = {p: p.read_bytes() for p in catalogs.rglob("*.po")}
    # ray.init alone retries an address like this for minutes; polybrief checks the port first.
    result = run_cli("translate", copy_example, "--locales", "az", "--packages-dir", mt_packages,
                     "--ray", "127.0.0.1:1", cwd=copy_example.parent, env={"RAY_ADDRESS": ""}, timeout=60)
    one_line_error(result, "cannot connect to the Ray cluster at '127.0.0.1:1'", "ray start --head")
    assert {p: p.read_bytes() for p in catalogs.rglob("*.po")} == before


def test_ray_options_are_checked_before_anything_runs(tmp_path: Path, run_cli: Any, one_line_error: Any,
                                                     copy_example: Path) -> None:
    out = tmp_path / "out"
    catalogs = copy_example.parent / "locales"
    before = {p: p.read_bytes() for p in catalogs.rglob("*.po")}
    result = run_cli("publish", copy_example, "--locales", "hy", "--out", out, "--ray", "local", cwd=tmp_path)
    one_line_error(result, "--ray", "--mt")
    result = run_cli("translate", copy_example, "--locales", "hy", "--ray-actors", "2", cwd=tmp_path)
    one_line_error(result, "--ray-actors needs --ray")
    result = run_cli("translate", copy_example, "--locales", "hy", "--ray", "local", "--ray-actors", "0",
                     cwd=tmp_path)
    one_line_error(result, "--ray-actors must be at least 1")
    assert not out.exists()
    assert {p: p.read_bytes() for p in catalogs.rglob("*.po")} == before
