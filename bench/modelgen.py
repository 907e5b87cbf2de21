"""Generate the benchmark's models: SentencePiece, random CTranslate2 Transformers, ``.argosmodel`` packages.

The same recipe as ``tests/mt_fixtures.py``, at a realistic size: a unigram
SentencePiece model (byte fallback, as Argos's) trained on
:func:`bench.corpus.training_text`, and ``TransformerSpec.from_config``
filled with random weights (scaled by 1/sqrt(fan-in), so activations stay in
range through every layer), quantized and saved by CTranslate2 itself.  Each
model is zipped as Argos ships a package — one top-level folder holding
``metadata.json``, ``model/`` and ``sentencepiece.model`` — and installed both
ways: ``argostranslate.package.install_from_path`` (into argostranslate's
packages folder, which :mod:`bench.argos_side` points at a temp folder) and
``polybrief.mt.install.install_package`` (into a folder of polybrief's own).
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from .profiles import ModelDims

__all__ = ["Package", "build_package", "train_spm"]


def train_spm(path: Path, lines: list[str], *, vocab: int) -> Path:
    """Train a unigram SentencePiece model like Argos's (byte fallback, full character coverage)."""
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=buffer, vocab_size=vocab, byte_fallback=True,
        character_coverage=1.0, model_type="unigram", minloglevel=2, num_threads=2, hard_vocab_limit=False,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return path


def _shape(name: str, dims: ModelDims, vocab: int) -> tuple[int, ...]:
    d, ff = dims.d_model, dims.ffn
    if name.endswith(("embeddings_0/weight", "embeddings/weight", "projection/weight")):
        return (vocab, d)
    if name.endswith(("gamma", "beta", "projection/bias")):
        return (vocab,) if name.endswith("projection/bias") else (d,)
    if "self_attention/linear_0" in name:
        return (3 * d, d) if name.endswith("weight") else (3 * d,)
    if "/attention/linear_1" in name:
        return (2 * d, d) if name.endswith("weight") else (2 * d,)
    if "ffn/linear_0" in name:
        return (ff, d) if name.endswith("weight") else (ff,)
    if "ffn/linear_1" in name:
        return (d, ff) if name.endswith("weight") else (d,)
    return (d, d) if name.endswith("weight") else (d,)


def build_ct2_model(out_dir: Path, vocabulary: list[str], dims: ModelDims, *, seed: int) -> Path:
    """A Transformer of shape ``dims`` with random weights, saved by CTranslate2 (quantized)."""
    import numpy as np
    from ctranslate2.specs import TransformerSpec, model_spec

    spec = TransformerSpec.from_config(num_layers=(dims.encoder_layers, dims.decoder_layers), num_heads=dims.heads)
    rng = np.random.default_rng(seed)
    for name, value in spec.variables().items():
        if value is not None:
            continue
        shape = _shape(name, dims, len(vocabulary))
        if name.endswith("gamma"):
            array = np.ones(shape, dtype=np.float32)
        elif name.endswith(("beta", "bias")):
            array = np.zeros(shape, dtype=np.float32)
        else:
            array = (rng.standard_normal(shape, dtype=np.float32) / np.sqrt(shape[-1])).astype(np.float32)
        scope, attr = name.rsplit("/", 1)
        setattr(model_spec.index_spec(spec, scope), attr, array)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=dims.quantization)
    out_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(out_dir))
    return out_dir


@dataclass(frozen=True, slots=True)
class Package:
    """One generated ``.argosmodel`` and what it holds."""

    from_code: str
    to_code: str
    archive: Path
    model_bytes: int
    dims: ModelDims

    def to_dict(self) -> dict[str, object]:
        return {"pair": f"{self.from_code}→{self.to_code}", "archive_bytes": self.archive.stat().st_size,
                "model_bytes": self.model_bytes, "dims": self.dims.to_dict()}


def build_package(root: Path, spm_path: Path, from_code: str, to_code: str, dims: ModelDims,
                  *, version: str = "1.0") -> Package:
    """Build and zip ``translate-<from>_<to>-<version>.argosmodel`` under ``root``."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_path))
    vocabulary = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    folder = root / "packages-src" / name
    seed = zlib.crc32(f"{from_code}-{to_code}-{dims.describe()}".encode())
    build_ct2_model(folder / "model", vocabulary, dims, seed=seed)
    (folder / "sentencepiece.model").write_bytes(spm_path.read_bytes())
    metadata = {
        "package_version": version, "argos_version": "1.9.0", "from_code": from_code, "from_name": from_code,
        "to_code": to_code, "to_name": to_code, "code": f"translate-{from_code}_{to_code}", "links": [],
        "type": "translate",
    }
    (folder / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    (folder / "README.md").write_text(f"Benchmark model {from_code}→{to_code} with random weights: "
                                      f"{dims.describe()}.\n", encoding="utf-8")
    archive = root / "archives" / f"{name}.argosmodel"
    archive.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, f"{name}/{path.relative_to(folder).as_posix()}")
    model_bytes = sum(p.stat().st_size for p in (folder / "model").rglob("*") if p.is_file())
    return Package(from_code, to_code, archive, model_bytes, dims)
