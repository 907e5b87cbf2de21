"""Tiny but real translation models for the MT tests, built once per test run.

Argos model packages cannot be downloaded here, and real ones are hundreds of
megabytes, so the tests build their own: a SentencePiece model trained on a
few hundred generated lines of English, Russian, Armenian and Azerbaijani
(byte fallback on, no user-defined symbols — real models have none for our
placeholders either), and 2-layer, d=64 CTranslate2 Transformers with random
weights.  Their output is gibberish but *deterministic*, and it goes through
exactly the code paths a real model does: tokenization, ``translate_batch``,
target prefixes, detokenization, scores.  Random weights never produce the
end token, which is why the engine options in these tests cap
``max_decoding_length``.

Under pytest-xdist the models are built once for all workers (:mod:`build_once`):
the SentencePiece model and the packages folder are built by the first worker that
needs them, and the :class:`ModelFactory` builds each model folder under a file lock
in a folder all workers share.

Use with ``-p mt_fixtures`` (``PYTHONPATH=tests``) or ``from mt_fixtures
import *`` in ``conftest.py``.
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import random
import shutil
import threading
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

from build_once import build_once

__all__ = [
    "ModelFactory",
    "StaticServer",
    "fixture_lines",
    "model_factory",
    "mt_home",
    "mt_packages",
    "serve_folder",
    "spm_model_path",
]

NLLB_TOKENS = ("eng_Latn", "hye_Armn", "azj_Latn", "rus_Cyrl")

_WORDS = {
    "en": "the government said people city water road power news report minister week price rose fell "
          "heavy rain storm flood school hospital open closed north south river bridge market snake_case_name "
          "roads remain closed after yesterday's storm officials expect repairs by friday",
    "ru": "правительство сообщило люди город вода дорога новости доклад министр неделя цена выросла упала "
          "сильный дождь шторм наводнение школа больница открыта закрыта север юг река мост рынок",
    "hy": "կառավարությունը հայտնեց մարդիկ քաղաք ջուր ճանապարհ լուրեր զեկույց նախարար շաբաթ գին աճեց "
          "ընկավ ուժեղ անձրև փոթորիկ ջրհեղեղ դպրոց հիվանդանոց բաց փակ հյուսիս հարավ գետ կամուրջ շուկա",
    "az": "hökumət bildirdi insanlar şəhər su yol xəbərlər hesabat nazir həftə qiymət artdı düşdü güclü "
          "yağış fırtına daşqın məktəb xəstəxana açıq bağlı şimal cənub çay körpü bazar",
}
_ENDS = {"en": ".!?", "ru": ".!?", "hy": "։", "az": ".!?"}


def fixture_lines(n_per_language: int = 120, seed: int = 7) -> list[str]:
    """Varied, deterministic training text: words, numbers, punctuation, capitals."""
    rng = random.Random(seed)
    lines = []
    for lang, words in _WORDS.items():
        vocab = words.split()
        for _ in range(n_per_language):
            sentence = " ".join(rng.choice(vocab) for _ in range(rng.randint(3, 12)))
            if rng.random() < 0.4:
                sentence += f" {rng.randint(1, 999)},{rng.randint(100, 999)}"
            if rng.random() < 0.2:
                sentence += f" ({rng.randint(1, 31)}.{rng.randint(1, 12)}.20{rng.randint(10, 29)})"
            lines.append(sentence[:1].upper() + sentence[1:] + rng.choice(_ENDS[lang]))
    rng.shuffle(lines)
    return lines


def _train_spm(path: Path) -> Path:
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(fixture_lines()),
        model_writer=buffer,
        vocab_size=800,
        byte_fallback=True,
        character_coverage=1.0,
        model_type="unigram",
        minloglevel=2,
        num_threads=1,
    )
    path.write_bytes(buffer.getvalue())
    return path


def _variable_shape(name: str, *, vocab: int, d: int, ff: int) -> tuple[int, ...]:
    if name.endswith(("embeddings_0/weight", "embeddings/weight", "projection/weight")):
        return (vocab, d)
    if name.endswith(("gamma", "beta")):
        return (d,)
    if "self_attention/linear_0" in name:
        return (3 * d, d)
    if "/attention/linear_1" in name:
        return (2 * d, d)
    if "ffn/linear_0" in name:
        return (ff, d)
    if "ffn/linear_1" in name:
        return (d, ff)
    return (d, d)


def build_ct2_model(
    out_dir: Path,
    vocabulary: list[str],
    *,
    seed: int,
    d: int = 64,
    ff: int = 128,
    num_layers: int = 2,
    num_heads: int = 4,
    scale: float = 0.3,
    quantization: str | None = None,
) -> Path:
    """A Transformer with random weights (2 layers, d=64 by default): every variable the spec leaves unset is filled."""
    import numpy as np
    from ctranslate2.specs import TransformerSpec, model_spec

    spec = TransformerSpec.from_config(num_layers=num_layers, num_heads=num_heads)
    rng = np.random.default_rng(seed)
    for name, value in spec.variables().items():
        if value is not None:
            continue
        shape = _variable_shape(name, vocab=len(vocabulary), d=d, ff=ff)
        if name.endswith("gamma"):
            array = np.ones(shape, dtype=np.float32)
        elif name.endswith("beta"):
            array = np.zeros(shape, dtype=np.float32)
        else:
            array = (rng.standard_normal(shape) * scale).astype(np.float32)
        scope, attr = name.rsplit("/", 1)
        setattr(model_spec.index_spec(spec, scope), attr, array)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=quantization)
    out_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(out_dir))
    return out_dir


def _vocabulary(spm_path: Path, extra: tuple[str, ...] = ()) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_path))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())] + list(extra)


@functools.cache
def _lock(path: Path) -> FileLock:
    """One lock object per path and process (a FileLock is re-entrant only through the same object)."""
    return FileLock(str(path))


@dataclass
class ModelFactory:
    """Builds model folders and packages on demand under one temp folder of the test run.

    Every xdist worker holds a copy of the factory with the same ``root``: each build happens
    under one file lock there, so a folder is built once, by one worker, and is complete before
    any worker sees it.
    """

    root: Path
    spm_path: Path

    def _seed(self, *parts: str) -> int:
        return zlib.crc32("|".join(parts).encode())

    def _lock(self) -> FileLock:
        return _lock(self.root / ".build.lock")

    def ct2(self, key: str, *, extra_tokens: tuple[str, ...] = ()) -> Path:
        out = self.root / "ct2" / key
        with self._lock():
            if not (out / "model.bin").exists():
                build_ct2_model(out, _vocabulary(self.spm_path, extra_tokens), seed=self._seed(key))
        return out

    def argos_folder(self, from_code: str, to_code: str, *, version: str = "1.0", **metadata: object) -> Path:
        """An unzipped Argos package: ``<name>/metadata.json``, ``model/``, ``sentencepiece.model``."""
        name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
        folder = self.root / "argos" / name
        with self._lock():
            if not folder.exists():
                shutil.copytree(self.ct2(f"{from_code}-{to_code}"), folder / "model")
                shutil.copyfile(self.spm_path, folder / "sentencepiece.model")
                meta = {
                    "package_version": version, "argos_version": "1.9.0", "from_code": from_code,
                    "from_name": from_code, "to_code": to_code, "to_name": to_code,
                    "code": f"translate-{from_code}_{to_code}", "links": [], **metadata,
                }
                (folder / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
                (folder / "README.md").write_text(f"tiny {from_code}-{to_code} test model\n", encoding="utf-8")
        return folder

    def argosmodel(self, from_code: str, to_code: str, *, version: str = "1.0") -> Path:
        """The same package zipped like Argos ships it: one top-level folder."""
        with self._lock():
            folder = self.argos_folder(from_code, to_code, version=version)
            archive = self.root / "files" / f"{folder.name}.argosmodel"
            if not archive.exists():
                archive.parent.mkdir(parents=True, exist_ok=True)
                zip_folder(folder, archive)
        return archive

    def opus_folder(self, from_code: str, to_code: str) -> Path:
        """A converted OPUS-MT layout: model.bin + vocabulary + source.spm/target.spm, no metadata."""
        folder = self.root / "opus" / f"opus-mt-{from_code}-{to_code}"
        with self._lock():
            if not folder.exists():
                shutil.copytree(self.ct2(f"opus-{from_code}-{to_code}"), folder)
                shutil.copyfile(self.spm_path, folder / "source.spm")
                shutil.copyfile(self.spm_path, folder / "target.spm")
                (folder / "tokenizer_config.json").write_text("{}", encoding="utf-8")
        return folder

    def nllb_folder(self) -> Path:
        """A multilingual model whose vocabulary has NLLB language tokens (target prefix ``hye_Armn``)."""
        folder = self.root / "nllb" / "nllb-tiny"
        with self._lock():
            if not folder.exists():
                shutil.copytree(self.ct2("nllb", extra_tokens=NLLB_TOKENS), folder)
                shutil.copyfile(self.spm_path, folder / "sentencepiece.bpe.model")
        return folder


def zip_folder(folder: Path, archive: Path, *, top: str | None = None) -> Path:
    top = folder.name if top is None else top
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            zf.write(path, f"{top}/{rel}" if top else rel)
    return archive


@pytest.fixture(scope="session")
def spm_model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SentencePiece model (unigram, 800 pieces, byte fallback) trained on :func:`fixture_lines`."""
    return build_once(tmp_path_factory, "spm", lambda folder: _train_spm(folder / "sentencepiece.model"))


@pytest.fixture(scope="session")
def model_factory(tmp_path_factory: pytest.TempPathFactory, spm_model_path: Path) -> ModelFactory:
    return build_once(tmp_path_factory, "models", lambda folder: ModelFactory(root=folder, spm_path=spm_model_path))


@pytest.fixture(scope="session")
def mt_packages(tmp_path_factory: pytest.TempPathFactory, model_factory: ModelFactory) -> Path:
    """A packages folder with ru→en, en→az, az→en (Argos), en→hy (OPUS-MT) and en→ru (NLLB-style).

    Built with polybrief's own installers, once per test run; tests must treat it as read-only.
    """
    from polybrief.mt import install_folder
    from polybrief.mt import install_package

    def install(packages: Path) -> Path:
        for pair in (("ru", "en"), ("en", "az"), ("az", "en")):
            install_package(model_factory.argosmodel(*pair), packages_dir=packages)
        install_folder(model_factory.opus_folder("en", "hy"), from_code="en", to_code="hy", packages_dir=packages)
        install_folder(model_factory.nllb_folder(), from_code="en", to_code="ru", target_prefix="rus_Cyrl",
                       name="nllb-tiny", packages_dir=packages)
        return packages

    return build_once(tmp_path_factory, "packages", install)


@pytest.fixture
def mt_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME, the XDG folders and ARGOS_PACKAGES_DIR at a temp folder; returns the packages folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"),
                     ("XDG_CACHE_HOME", ".cache")):
        monkeypatch.setenv(var, str(home / sub))
    packages = home / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    monkeypatch.delenv("POLYBRIEF_INDEX_URL", raising=False)
    return packages


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@dataclass
class StaticServer:
    url: str
    folder: Path


@pytest.fixture
def serve_folder(tmp_path: Path) -> Iterator[StaticServer]:
    """Serve a temp folder over real HTTP on 127.0.0.1 (a random free port) for the test."""
    folder = tmp_path / "www"
    folder.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield StaticServer(url=f"http://127.0.0.1:{server.server_address[1]}/", folder=folder)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
