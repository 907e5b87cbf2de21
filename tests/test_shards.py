"""A site published in shards and merged (docs/scale.md), without Ray: the same bytes as one ``publish``.

Each shard is published into a folder of its own (``publish --shard K/N``),
then ``site merge`` makes one site of them.  What is checked is every byte
of the result against one plain ``publish`` of the same briefs (the manifest
too, but for the ``stat`` signatures of the pages, which are this run's
files), and that a merge that cannot be whole — a shard missing, a brief id
in two shards, a page changed after its shard recorded it — fails with one
clear error and leaves the site exactly as it was.  The Ray driver is tested
in tests/test_shards_ray.py (slow tier).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import assert_one_line_error
from polybrief import OutputError, Project, publish
from polybrief.publishing import merge_shards, publish_shard
from polybrief.publishing.shards import shard_of, split

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # the benchmark's brief generator lives next to the tests
    sys.path.insert(0, str(REPO))

from bench import distinct  # noqa: E402

LOCALES = ["hy", "ru"]
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
PROJECT = Project(base_url="https://news.example.org/briefs/")


def write_briefs(folder: Path, indexes: range) -> list[Path]:
    """Distinct briefs (other dates, numbers, paragraphs) with reviewed hy, az and ru catalogs."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in indexes:
        distinct.write_brief(distinct.generate(index), folder)
    return [folder / f"{distinct.brief_id(i)}.yaml" for i in indexes]


def site_bytes(out: Path) -> dict[str, object]:
    """Every file of a site; the manifest with the ``stat`` entries of its pages left out (their size, time
    and inode are those of this run's files), and of every input its hash (a file written in the two seconds
    before it was read is recorded with its hash alone, to be hashed again: timing, not content)."""
    files: dict[str, object] = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        name = str(path.relative_to(out))
        if name == ".polybrief/site.json":
            document = json.loads(path.read_text(encoding="utf-8"))
            pages = {f"{tag}/{bid}.{ext}" for bid, record in document["briefs"].items() for tag in record["pages"]
                     for ext in ("html", "txt")}
            document["stat"] = {k: v[0] for k, v in document["stat"].items()
                                if k not in pages and k not in document["site_files"] and k != "index.html"}
            files[name] = document
        else:
            files[name] = path.read_bytes()
    return files


def signatures(out: Path) -> dict[str, tuple[int, int, int] | None]:
    """Every file (inode, time, size: which ones a run replaced) and every folder of a site."""
    return {str(p.relative_to(out)): (p.stat().st_ino, p.stat().st_mtime_ns, p.stat().st_size) if p.is_file() else None
            for p in sorted(out.rglob("*"))}


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_briefs(tmp_path_factory.mktemp("briefs"), range(5))


@pytest.fixture(scope="module")
def plain(briefs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("plain") / "site"
    publish(briefs, locales=LOCALES, out_dir=out, project=PROJECT, now=NOW)
    return site_bytes(out)


def test_the_partition_goes_by_file_name_and_puts_each_brief_in_one_shard() -> None:
    names = [f"briefs/db-{i:05d}.yaml" for i in range(300)]
    parts = split(names, 3)
    assert sorted(n for part in parts for n in part) == sorted(names)
    assert all(60 < len(part) < 140 for part in parts)  # a hash spreads them, roughly evenly
    for number, part in enumerate(parts, start=1):
        for name in part:
            assert shard_of(name, 3) == number
            # another folder, another spelling of it: the same shard (machines mount briefs apart)
            assert shard_of("/srv/x/../other/" + os.path.basename(name), 3) == number
    assert split(list(reversed(names)), 3) == [list(reversed(part)) for part in parts]


def test_merged_shards_are_the_site_one_publish_writes(briefs: list[Path], plain: dict[str, object],
                                                       tmp_path: Path) -> None:
    folders = [tmp_path / f"shard-{k}" for k in (1, 2, 3)]
    published = []
    for number, folder in enumerate(folders, start=1):
        report = publish_shard(briefs, shard=(number, 3), locales=LOCALES, out_dir=folder, project=PROJECT)
        published += sorted({page.brief_id for page in report.pages})
        assert not (folder / "index.html").exists()  # the site's own pages are the merge's
    assert sorted(published) == sorted(p.stem for p in briefs)
    site = tmp_path / "site"
    report = merge_shards(site, list(reversed(folders)), project=PROJECT, now=NOW)
    assert report.index == site / "index.html"
    merged = site_bytes(site)
    assert sorted(merged) == sorted(plain)
    assert "sitemap.xml" in merged and "hy/feed.xml" in merged
    assert [name for name in plain if merged[name] != plain[name]] == []
    # the next plain publish into the merged site finds nothing to do: contexts and input hashes carried over
    again = publish(briefs, locales=LOCALES, out_dir=site, project=PROJECT, now=NOW)
    assert again.files == [] and again.unchanged == len(briefs) * (1 + len(LOCALES)) * 2


def test_merging_into_a_site_with_other_briefs_equals_publishing_into_it(briefs: list[Path], tmp_path: Path) -> None:
    plain, merged = tmp_path / "plain", tmp_path / "merged"
    for out in (plain, merged):
        publish(briefs[:1], locales=LOCALES, out_dir=out, project=PROJECT, now=NOW)
    publish(briefs[1:], locales=LOCALES, out_dir=plain, project=PROJECT, now=NOW)
    folders = [tmp_path / "s1", tmp_path / "s2"]
    for number, folder in enumerate(folders, start=1):
        publish_shard(briefs[1:], shard=(number, 2), locales=LOCALES, out_dir=folder, project=PROJECT)
    merge_shards(merged, folders, project=PROJECT, now=NOW)
    assert site_bytes(merged) == site_bytes(plain)


def _merge_fails(site: Path, folders: list[Path], *needles: str) -> None:
    before = signatures(site)
    with pytest.raises(OutputError) as caught:
        merge_shards(site, folders, project=PROJECT, now=NOW)
    for needle in needles:
        assert needle in str(caught.value)
    assert signatures(site) == before  # not one file replaced, added or left behind (no staged temp files)


def test_a_merge_that_cannot_be_whole_changes_nothing(briefs: list[Path], tmp_path: Path) -> None:
    site = tmp_path / "site"
    publish(briefs[:1], locales=LOCALES, out_dir=site, project=PROJECT, now=NOW)
    folders = [tmp_path / "s1", tmp_path / "s2"]
    for number, folder in enumerate(folders, start=1):
        publish_shard(briefs[1:], shard=(number, 2), locales=LOCALES, out_dir=folder, project=PROJECT)
    _merge_fails(site, folders[:1], "shard(s) 2 of 2 are missing")
    _merge_fails(site, [folders[0], folders[0]], "shard 1/2 is given twice")
    # a page changed (or cut short in a copy) after its shard recorded it: found before anything is renamed
    page = next(folders[1].glob("ru/*.txt"))  # the last file of a brief: the ones before it were staged
    page.write_bytes(page.read_bytes() + b"edited\n")
    _merge_fails(site, folders, "shard 2/2: a page is not the page its shard recorded", page.name)
    assert not list(tmp_path.rglob(".*.tmp"))


def test_one_brief_id_in_two_shards_is_refused(briefs: list[Path], tmp_path: Path) -> None:
    folder = tmp_path / "briefs"
    folder.mkdir()
    text = briefs[0].read_text(encoding="utf-8")
    # two file names that fall in different shards, holding the same brief
    names = [n for n in (f"copy-{i}.yaml" for i in range(20))]
    first = names[0]
    second = next(n for n in names if shard_of(n, 2) != shard_of(first, 2))
    paths = [folder / first, folder / second]
    for path in paths:
        path.write_text(text, encoding="utf-8")
    (folder / "locales").symlink_to(briefs[0].parent / "locales")
    folders = [tmp_path / "s1", tmp_path / "s2"]
    for number, out in enumerate(folders, start=1):
        publish_shard(paths, shard=(number, 2), locales=LOCALES, out_dir=out, project=PROJECT)
    site = tmp_path / "site"
    with pytest.raises(OutputError, match=f"brief '{briefs[0].stem}' is in shard 1/2 and in shard 2/2"):
        merge_shards(site, folders, project=PROJECT, now=NOW)
    assert not site.exists()  # the merge stops before it takes the site


def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None, code: str | None = None
         ) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "polybrief", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


def test_the_command_line_publishes_shards_and_merges_them(briefs: list[Path], plain: dict[str, object],
                                                           tmp_path: Path) -> None:
    common = ["--locales", ",".join(LOCALES), "--base-url", str(PROJECT.base_url)]
    for number in (1, 2):
        result = _cli("publish", *map(str, briefs), "--out", f"s{number}", "--shard", f"{number}/2", *common,
                      cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert f"shard {number}/2 in s{number}" in result.stdout
    result = _cli("site", "merge", "site", "s1", cwd=tmp_path)
    assert_one_line_error(result, "shard(s) 2 of 2 are missing")
    assert not (tmp_path / "site").exists()
    result = _cli("publish", *map(str, briefs), "--out", "s1", "--shard", "2/2", *common, cwd=tmp_path)
    assert_one_line_error(result, "this folder holds shard 1/2, not 2/2")
    result = _cli("publish", *map(str, briefs), "--out", "s3", "--shard", "3/2", *common, cwd=tmp_path)
    assert_one_line_error(result, "--shard '3/2' is not K/N")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}
    result = _cli("site", "merge", "site", "s2", "s1", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "merged 2 shard(s) into site" in result.stdout
    assert site_bytes(tmp_path / "site") == plain


def test_shards_on_ray_without_ray_installed_is_one_clear_error(briefs: list[Path], tmp_path: Path) -> None:
    code = "import sys; sys.modules['ray'] = None; from polybrief.cli import main; sys.exit(main(sys.argv[1:]))"
    result = _cli("publish", *map(str, briefs), "--out", "site", "--locales", "hy", "--shards", "2",
                  cwd=tmp_path, code=code)
    assert_one_line_error(result, "Ray is not installed", "pip install 'polybrief[ray]'", "--shard K/N")
    assert not (tmp_path / "site").exists()
    result = _cli("publish", *map(str, briefs), "--out", "site", "--locales", "hy", "--shards", "2", "--mt",
                  cwd=tmp_path)
    assert_one_line_error(result, "--mt cannot be combined with --shard or --shards")



def test_what_is_not_a_shard_folder_is_one_clear_error(briefs: list[Path], tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = _cli("site", "merge", "site", "empty", cwd=tmp_path)
    assert_one_line_error(result, "not a shard folder (no .polybrief/shard.json)", "--shard K/N")
    damaged = tmp_path / "damaged" / ".polybrief"
    damaged.mkdir(parents=True)
    (damaged / "shard.json").write_text('{"polybrief-shard": 1, "shard": 1, "of": 1, "root": "relative"', "utf-8")
    result = _cli("site", "merge", "site", "damaged", cwd=tmp_path)
    assert_one_line_error(result, "cannot read the shard's description", "shard.json")
    (damaged / "shard.json").write_text(json.dumps({"polybrief-shard": 1, "shard": 1, "of": 1, "root": "relative",
                                                    "locales": [], "formats": [], "briefs": [],
                                                    "index_threshold": 1.0}), "utf-8")
    result = _cli("site", "merge", "site", "damaged", cwd=tmp_path)
    assert_one_line_error(result, "root is not an absolute path")
    site = tmp_path / "a-site" / ".polybrief"
    site.mkdir(parents=True)
    (site / "site.json").write_text("{}", "utf-8")
    result = _cli("publish", str(briefs[0]), "--out", "a-site", "--locales", "hy", "--shard", "1/2", cwd=tmp_path)
    assert_one_line_error(result, "this folder is a site, not a shard folder")
    assert not (tmp_path / "site").exists()


def test_a_brief_on_the_site_with_versions_its_shard_did_not_build_is_refused(briefs: list[Path],
                                                                             tmp_path: Path) -> None:
    site = tmp_path / "site"
    publish(briefs[:1], locales=["hy", "ru"], out_dir=site, project=PROJECT, now=NOW)
    shard = tmp_path / "shard"
    publish_shard(briefs[:1], shard=(1, 1), locales=["hy"], out_dir=shard, project=PROJECT)
    # its hy page would link en and hy only, while the site has the ru version too: not the page one run writes
    _merge_fails(site, [shard], f"the en page of '{briefs[0].stem}' was built by its shard with other language "
                                "links", "en, hy for en, hy, ru")
