"""A site published as Ray tasks, one per shard, on a local Ray with 2 CPUs (docs/scale.md): the same bytes
as one ``publish``, and a failing shard leaves no site behind.

Ray starts once for the module (several seconds, and a cluster's processes beside the other tests), so
these are in the slow tier (``make test-all``) and share the one local Ray of the ``ray`` xdist group with
tests/test_mt_ray.py.  The merge itself, without Ray, is tested in tests/test_shards.py.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from polybrief import UntranslatedError, TranslationPolicy, publish
from polybrief.publishing import publish_distributed
from test_shards import LOCALES, NOW, PROJECT, site_bytes, write_briefs

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="needs the ray extra"),
    pytest.mark.xdist_group("ray"),
]


def test_two_ray_tasks_write_the_site_one_publish_writes(local_ray: Any, tmp_path: Path) -> None:
    briefs = write_briefs(tmp_path / "briefs", range(10))
    plain = tmp_path / "plain"
    publish(briefs, locales=LOCALES, out_dir=plain, project=PROJECT, now=NOW)
    seen: list[int] = []
    result = publish_distributed(briefs, locales=LOCALES, out_dir=tmp_path / "site", shards=2, project=PROJECT,
                                 now=NOW, on_shard=lambda summary: seen.append(summary.number))
    assert sorted(seen) == [1, 2] and [s.number for s in result.shards] == [1, 2]
    assert sum(s.briefs for s in result.shards) == 10 and all(s.briefs for s in result.shards)
    assert sum(s.files for s in result.shards) == 10 * 3 * 2
    assert site_bytes(tmp_path / "site") == site_bytes(plain)
    # the shards gone; the check cache carried over from them
    assert sorted(p.name for p in (tmp_path / "site" / ".polybrief").iterdir()) == ["checks.json", "site.json"]


def test_a_failing_shard_fails_the_run_and_writes_no_site(local_ray: Any, tmp_path: Path) -> None:
    briefs = write_briefs(tmp_path / "briefs", range(4))
    missing = briefs[2].parent / "locales" / "ru" / "LC_MESSAGES" / f"{briefs[2].stem}.po"
    missing.unlink()  # under --strict, that brief's shard fails
    strict = PROJECT.with_options(policy=TranslationPolicy(strict=True))
    with pytest.raises(UntranslatedError) as caught:
        publish_distributed(briefs, locales=LOCALES, out_dir=tmp_path / "site", shards=2, project=strict, now=NOW)
    assert caught.value.message.startswith("shard "), caught.value
    assert briefs[2].stem in str(caught.value) or caught.value.file == str(briefs[2])
    assert not (tmp_path / "site").exists()  # nor its state folder, nor the shards


def test_an_address_nobody_listens_at_fails_fast_and_writes_no_site(tmp_path: Path, run_cli: Any,
                                                                    one_line_error: Any) -> None:
    # ray.init alone retries an address like this for minutes; the shards, like the MT actors, check the
    # port first (polybrief.raycluster), and say so as a usage error naming --ray.
    briefs = write_briefs(tmp_path / "briefs", range(2))
    result = run_cli("publish", *briefs, "--locales", ",".join(LOCALES), "--out", tmp_path / "site",
                     "--shards", "2", "--ray", "127.0.0.1:1", cwd=tmp_path, env={"RAY_ADDRESS": ""}, timeout=60)
    one_line_error(result, "cannot connect to the Ray cluster at '127.0.0.1:1'", "ray start --head")
    assert not (tmp_path / "site").exists()
