"""Model discovery and installation: files, folders, an index over real HTTP, and every refusal."""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import stat
import zipfile
from pathlib import Path

import pytest

from polybrief import ModelPackageError, NetworkError, PolybriefError, TranslationEngineError
from polybrief.mt.index import install_from_index, read_index
from polybrief.mt import install_folder
from polybrief.mt import install_package
from polybrief.mt import find_route, list_routes
from polybrief.mt import default_packages_dir, list_models, read_model


def _leftovers(packages: Path) -> list[str]:
    """Anything in a packages folder besides the install lock file."""
    if not packages.exists():
        return []
    return sorted(p.name for p in packages.iterdir() if p.name != ".polybrief-install.lock")


def _rezip(source: Path, dest: Path, *, drop: str | None = None, extra: dict[str, bytes] | None = None,
           replace: dict[str, bytes] | None = None) -> Path:
    """Copy an archive member by member, dropping, replacing or adding some."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if drop and info.filename.endswith(drop):
                continue
            data = (replace or {}).get(info.filename.split("/", 1)[-1], zin.read(info))
            zout.writestr(info, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dest


# --------------------------------------------------------------------------- locations


def test_default_packages_dir_follows_argos_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.delenv("SNAP", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_packages_dir() == tmp_path / "data" / "argos-translate" / "packages"
    settings = tmp_path / "cfg" / "argos-translate" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "from-settings")}))
    assert default_packages_dir() == tmp_path / "from-settings"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "from-env"))
    assert default_packages_dir() == tmp_path / "from-env"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cfg"]  # nothing created


def test_list_models_of_missing_folder_is_empty_and_creates_nothing(tmp_path: Path) -> None:
    assert list_models(tmp_path / "nope") == []
    assert not (tmp_path / "nope").exists()


# --------------------------------------------------------------------------- .argosmodel


def test_install_package_then_list(mt_home: Path, model_factory) -> None:
    model = install_package(model_factory.argosmodel("en", "az", version="1.5"))
    assert model.pair == ("en", "az")
    assert model.version == "1.5"
    assert model.layout == "argos"
    assert model.label == "en→az 1.5"
    assert model.path.parent == mt_home  # ARGOS_PACKAGES_DIR from the environment
    assert (model.path / "model" / "model.bin").is_file()
    assert model.source_spm == model.target_spm == model.path / "sentencepiece.model"
    assert [x.label for x in list_models()] == ["en→az 1.5"]
    assert _leftovers(mt_home) == [model.path.name]
    home = mt_home.parent
    assert not (home / ".local").exists() and not (home / ".config").exists()


def test_reinstall_replaces_the_package(mt_home: Path, model_factory) -> None:
    archive = model_factory.argosmodel("en", "az")
    first = install_package(archive)
    (first.path / "stale.txt").write_text("old")
    second = install_package(archive)
    assert second.path == first.path
    assert not (second.path / "stale.txt").exists()
    assert _leftovers(mt_home) == [second.path.name]


def test_flat_archive_without_top_folder_installs(mt_home: Path, model_factory, tmp_path: Path) -> None:
    from mt_fixtures import zip_folder

    archive = zip_folder(model_factory.argos_folder("en", "ru"), tmp_path / "flat.argosmodel", top="")
    assert install_package(archive).pair == ("en", "ru")


def _bad_archives(model_factory, tmp: Path) -> dict[str, tuple[Path, str]]:
    good = model_factory.argosmodel("en", "az")
    data = good.read_bytes()
    cases: dict[str, tuple[Path, str]] = {}

    truncated = tmp / "truncated.argosmodel"
    truncated.write_bytes(data[: len(data) // 2])
    cases["truncated"] = (truncated, "not a readable")

    garbage = tmp / "garbage.argosmodel"
    garbage.write_bytes(b"this is not a zip file at all" * 10)
    cases["not a zip"] = (garbage, "not a readable")

    # Flip bytes inside model.bin's compressed data: the central directory is intact, the CRC is not.
    corrupt = tmp / "corrupt.argosmodel"
    with zipfile.ZipFile(good) as zf:
        info = next(i for i in zf.infolist() if i.filename.endswith("model/model.bin"))
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 40
    broken = bytearray(data)
    for offset in range(start, start + 64):
        broken[offset] ^= 0x5A
    corrupt.write_bytes(bytes(broken))
    cases["corrupt member"] = (corrupt, "corrupt archive")

    meta = json.dumps({"from_code": "en", "to_code": "az"}).encode()
    cases["metadata lacks package_version"] = (
        _rezip(good, tmp / "nometa.argosmodel", replace={"metadata.json": meta}), "package_version",
    )
    cases["metadata not json"] = (
        _rezip(good, tmp / "badjson.argosmodel", replace={"metadata.json": b"{nope"}), "not valid JSON",
    )
    top = good.stem.replace(".argosmodel", "")
    cases["dot-dot member"] = (
        _rezip(good, tmp / "dotdot.argosmodel", extra={f"{top}/../evil.txt": b"x"}), "'..'",
    )
    cases["absolute member"] = (
        _rezip(good, tmp / "absolute.argosmodel", extra={"/tmp/evil.txt": b"x"}), "absolute path",
    )
    link = zipfile.ZipInfo(f"{top}/model/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    symlink = tmp / "symlink.argosmodel"
    shutil.copyfile(good, symlink)
    with zipfile.ZipFile(symlink, "a") as zf:
        zf.writestr(link, "/etc/passwd")
    cases["symlink member"] = (symlink, "symbolic link")
    cases["no sentencepiece"] = (
        _rezip(good, tmp / "nospm.argosmodel", drop="sentencepiece.model"), "SentencePiece",
    )
    cases["no vocabulary"] = (
        _rezip(good, tmp / "novocab.argosmodel", drop="shared_vocabulary.json"), "vocabulary",
    )
    cases["member outside package"] = (
        _rezip(good, tmp / "outside.argosmodel", extra={"other/readme.txt": b"x"}), "outside the package",
    )
    return cases


@pytest.mark.parametrize("case", [
    "truncated", "not a zip", "corrupt member", "metadata lacks package_version", "metadata not json",
    "dot-dot member", "absolute member", "symlink member", "no sentencepiece", "no vocabulary",
    "member outside package",
])
def test_bad_archives_are_refused_and_leave_nothing(case: str, mt_home: Path, model_factory, tmp_path: Path) -> None:
    archive, words = _bad_archives(model_factory, tmp_path)[case]
    with pytest.raises(ModelPackageError) as info:
        install_package(archive)
    assert type(info.value) is ModelPackageError
    assert words in str(info.value)
    assert str(archive) in str(info.value)
    assert _leftovers(mt_home) == []
    assert not (tmp_path.parent / "evil.txt").exists()


def test_limits_on_members_and_size(mt_home: Path, model_factory) -> None:
    archive = model_factory.argosmodel("en", "az")
    with pytest.raises(ModelPackageError, match="more than the 3 allowed"):
        install_package(archive, max_members=3)
    with pytest.raises(ModelPackageError, match="unpacks to"):
        install_package(archive, max_total_bytes=1000)
    assert _leftovers(mt_home) == []


def test_missing_file(mt_home: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelPackageError, match="no such file"):
        install_package(tmp_path / "absent.argosmodel")


# --------------------------------------------------------------------------- model folders


def test_install_opus_mt_folder(mt_home: Path, model_factory) -> None:
    model = install_folder(model_factory.opus_folder("en", "hy"), from_code="en", to_code="hy")
    assert model.layout == "opus-mt"
    assert model.pair == ("en", "hy")
    assert model.source_suffix == ("</s>",)  # converted from Transformers: the source ends with </s>
    assert model.source_spm.name == "source.spm" and model.target_spm.name == "target.spm"
    meta = json.loads((model.path / "metadata.json").read_text())
    assert meta["from_code"] == "en" and meta["to_code"] == "hy" and meta["type"] == "translate"
    assert model.label == "en→hy opus-mt-en-hy"
    assert not (model.path / "tokenizer_config.json").exists()


def test_install_nllb_folder_with_prefix(mt_home: Path, model_factory) -> None:
    model = install_folder(model_factory.nllb_folder(), from_code="en", to_code="hy", target_prefix="hye_Armn")
    assert model.target_prefix == ("hye_Armn",)
    assert model.source_prefix == ("eng_Latn",)  # inferred from the vocabulary
    assert model.layout == "ct2"
    assert read_model(model.path) == model


def test_folder_metadata_supplies_the_pair(mt_home: Path, model_factory, tmp_path: Path) -> None:
    folder = tmp_path / "withmeta"
    shutil.copytree(model_factory.opus_folder("en", "hy"), folder)
    (folder / "polybrief-model.json").write_text(json.dumps({"from_code": "en", "to_code": "hy", "version": "2"}))
    assert install_folder(folder).label == "en→hy withmeta 2"


@pytest.mark.parametrize(("remove", "kwargs", "words"), [
    ("shared_vocabulary.json", {}, "no vocabulary file"),
    ("source.spm", {}, "no SentencePiece model"),
    ("model.bin", {}, "no model.bin"),
    (None, {"from_code": None}, "language pair unknown"),
    (None, {"target_prefix": "xyz_Abcd"}, "'xyz_Abcd' is not in the model's vocabulary"),
    (None, {"from_code": "english"}, "from_code must be a language code"),
])
def test_bad_folders_are_refused(remove: str | None, kwargs: dict, words: str, mt_home: Path, model_factory,
                                 tmp_path: Path) -> None:
    folder = tmp_path / "opus"
    shutil.copytree(model_factory.opus_folder("en", "hy"), folder)
    if remove:
        (folder / remove).unlink()
    options = {"from_code": "en", "to_code": "hy", **kwargs}
    with pytest.raises(ModelPackageError) as info:
        install_folder(folder, **options)
    assert type(info.value) is ModelPackageError
    assert words in str(info.value)
    assert _leftovers(mt_home) == []


def test_not_a_folder(mt_home: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelPackageError, match="not a folder"):
        install_folder(tmp_path / "missing", from_code="en", to_code="hy")


# --------------------------------------------------------------------------- listing and routes


def test_routes_direct_and_pivot(mt_packages: Path) -> None:
    models = list_models(mt_packages)
    routes = {(r.source, r.target): r for r in list_routes(models)}
    assert routes[("en", "az")].kind == "direct"
    assert routes[("ru", "az")].kind == "pivot"
    assert routes[("ru", "az")].via == "en"
    assert routes[("ru", "az")].labels == ("ru→en 1.0", "en→az 1.0")
    assert routes[("ru", "hy")].kind == "pivot"
    assert ("hy", "ru") not in routes and ("az", "az") not in routes
    assert find_route(models, "ru-RU", "az") is not None
    assert find_route(models, "hy", "en") is None


def test_the_newest_install_for_a_pair_wins(tmp_path: Path, model_factory) -> None:
    packages = tmp_path / "packages"
    install_folder(model_factory.opus_folder("en", "hy"), from_code="en", to_code="hy", packages_dir=packages)
    install_folder(model_factory.nllb_folder(), from_code="en", to_code="hy", target_prefix="hye_Armn",
                     name="nllb-tiny", packages_dir=packages)
    route = find_route(list_models(packages), "en", "hy")
    assert route is not None and route.labels == ("en→hy nllb-tiny",)
    assert len(list_models(packages)) == 2


def test_broken_package_is_skipped_with_a_warning(tmp_path: Path, model_factory, caplog) -> None:
    packages = tmp_path / "packages"
    install_package(model_factory.argosmodel("en", "az"), packages_dir=packages)
    broken = packages / "broken"
    broken.mkdir()
    (broken / "metadata.json").write_text(json.dumps({"from_code": "en", "to_code": "ru", "package_version": "1"}))
    (packages / "not-a-package").mkdir()
    with caplog.at_level("WARNING", logger="polybrief.mt.store"):
        found = list_models(packages)
    assert [x.pair for x in found] == [("en", "az")]
    assert "broken" in caplog.text and "not-a-package" not in caplog.text


# --------------------------------------------------------------------------- index over HTTP


def _index_entry(from_code: str, to_code: str, version: str, links: list[str]) -> dict:
    return {"package_version": version, "argos_version": "1.9", "from_code": from_code, "from_name": from_code,
            "to_code": to_code, "to_name": to_code, "links": links, "code": f"translate-{from_code}_{to_code}"}


def test_install_from_index_over_http(mt_home: Path, model_factory, serve_folder) -> None:
    shutil.copyfile(model_factory.argosmodel("en", "az", version="1.5"), serve_folder.folder / "en_az-1_5.argosmodel")
    shutil.copyfile(model_factory.argosmodel("en", "az"), serve_folder.folder / "en_az-1_0.argosmodel")
    index = [
        _index_entry("en", "az", "1.0", ["en_az-1_0.argosmodel"]),
        _index_entry("en", "az", "1.5", ["ipfs://Qm123", serve_folder.url + "missing.argosmodel",
                                         "en_az-1_5.argosmodel"]),
        {"type": "sbd", "from_code": "en", "links": []},
    ]
    (serve_folder.folder / "index.json").write_text(json.dumps(index))
    model = install_from_index("en", "az", index_url=serve_folder.url + "index.json", timeout=10)
    assert model.label == "en→az 1.5"
    assert _leftovers(mt_home) == [model.path.name]  # the download temp file is gone


def test_index_url_from_environment(mt_home: Path, model_factory, serve_folder, monkeypatch) -> None:
    shutil.copyfile(model_factory.argosmodel("ru", "en"), serve_folder.folder / "ru_en.argosmodel")
    (serve_folder.folder / "index.json").write_text(json.dumps([_index_entry("ru", "en", "1.0", ["ru_en.argosmodel"])]))
    monkeypatch.setenv("POLYBRIEF_INDEX_URL", serve_folder.url + "index.json")
    assert install_from_index("ru", "en").pair == ("ru", "en")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_index(mt_home: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/index.json"
    with pytest.raises(NetworkError) as info:
        install_from_index("en", "az", index_url=url, timeout=5)
    assert not isinstance(info.value, TranslationEngineError)  # a network failure is not an engine fault
    assert "cannot reach the model index" in str(info.value) and url in str(info.value)
    assert _leftovers(mt_home) == []


@pytest.mark.parametrize(("body", "words"), [
    (b"<html>not json</html>", "not valid JSON"),
    (b'{"packages": []}', "must be a JSON list"),
])
def test_malformed_index(body: bytes, words: str, mt_home: Path, serve_folder) -> None:
    (serve_folder.folder / "index.json").write_bytes(body)
    with pytest.raises(ModelPackageError, match=words):
        install_from_index("en", "az", index_url=serve_folder.url + "index.json", timeout=5)
    assert _leftovers(mt_home) == []


def test_index_without_the_pair_suggests_pivot(mt_home: Path, serve_folder) -> None:
    index = [_index_entry("ru", "en", "1.0", ["a"]), _index_entry("en", "az", "1.0", ["b"])]
    (serve_folder.folder / "index.json").write_text(json.dumps(index))
    with pytest.raises(TranslationEngineError) as info:
        install_from_index("ru", "az", index_url=serve_folder.url + "index.json", timeout=5)
    assert type(info.value) is TranslationEngineError
    assert "no ru→az model" in str(info.value) and "through English" in str(info.value)


def test_armenian_is_explained_without_the_network(mt_home: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/index.json"
    with pytest.raises(TranslationEngineError) as info:
        install_from_index("en", "hy", index_url=url)
    text = str(info.value)
    assert "no Armenian models" in text and "models install FOLDER --from en --to hy" in text
    assert "hye_Armn" in text and "docs/mt.md" in text


def test_shared_index_file_parses() -> None:
    shared = Path("/work/shared/data/argospm-index.json")
    if not shared.exists():
        pytest.skip("shared index sample not present")
    entries = read_index(shared.read_bytes(), url=str(shared))
    pairs = {(e.from_code, e.to_code) for e in entries}
    assert ("en", "az") in pairs and ("ru", "en") in pairs
    assert not any("hy" in pair for pair in pairs)


# --------------------------------------------------------------------------- CLI


def _cli(argv: list[str]) -> int:
    from polybrief.cli import mt as cli_mt

    parser = argparse.ArgumentParser(prog="polybrief")
    cli_mt.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return int(args.handler(args))


def test_cli_models_list_json(mt_packages: Path, capsys) -> None:
    assert _cli(["models", "list", "--json", "--packages-dir", str(mt_packages)]) == 0
    payload = json.loads(capsys.readouterr().out)
    kinds = {(p["source"], p["target"]): p["route"] for p in payload["pairs"]}
    assert kinds[("en", "hy")] == "direct" and kinds[("ru", "az")] == "pivot"
    assert {x["layout"] for x in payload["models"]} == {"argos", "opus-mt", "ct2"}


def test_cli_models_list_text(mt_packages: Path, capsys) -> None:
    assert _cli(["models", "list", "--packages-dir", str(mt_packages)]) == 0
    out = capsys.readouterr().out
    assert "ru→az" in out and "via en" in out and "direct" in out


def test_cli_install_folder_and_file(mt_home: Path, model_factory, capsys) -> None:
    folder = str(model_factory.nllb_folder())
    assert _cli(["models", "install", folder, "--from", "en", "--to", "hy", "--target-prefix", "hye_Armn"]) == 0
    assert _cli(["models", "install", str(model_factory.argosmodel("en", "az"))]) == 0
    out = capsys.readouterr().out
    assert "installed en→hy" in out and "installed en→az 1.0" in out


def test_cli_install_en_hy_explains(mt_home: Path, capsys) -> None:
    from polybrief.cli import main

    assert main(["models", "install", "en", "hy"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Armenian" in err and "FOLDER" in err


def test_cli_install_bad_arguments(mt_home: Path, tmp_path: Path) -> None:
    with pytest.raises(PolybriefError, match="neither a file nor a folder"):
        _cli(["models", "install", str(tmp_path / "nothing")])
    with pytest.raises(PolybriefError, match="expected PATH or FROM TO"):
        _cli(["models", "install", "a", "b", "c"])
