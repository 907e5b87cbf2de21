"""What makes a folder a translation model, and which of three arrangements it is in.

A *model* here is a CTranslate2 model folder plus the SentencePiece model(s)
that tokenize for it, for one language pair.  Three arrangements are read:

``argos``
    an Argos Translate package: ``metadata.json``, ``model/`` (CTranslate2)
    and one shared ``sentencepiece.model``.
``opus-mt``
    a converted OPUS-MT/Marian model: ``model.bin`` and vocabulary with
    separate ``source.spm`` and ``target.spm``.
``ct2``
    any other CTranslate2 folder with a single SentencePiece model (an NLLB
    conversion, say, whose ``sentencepiece.bpe.model`` sits beside
    ``model.bin``).

:func:`find_model_files` is the one inspection used both to read an
installed package (:func:`polybrief.mt.store.read_model`) and to check a
folder a user wants to install (:func:`polybrief.mt.folders.install_folder`),
so the two can never disagree about what a model is.  It only looks at file
names; nothing is read or written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

from ..errors import ModelPackageError

__all__ = ["LAYOUTS", "VOCABULARY_SUFFIXES", "Layout", "ModelFiles", "find_model_files"]

Layout = Literal["argos", "opus-mt", "ct2"]
LAYOUTS: tuple[Layout, ...] = ("argos", "opus-mt", "ct2")

#: Endings of CTranslate2 vocabulary files.
VOCABULARY_SUFFIXES = (".json", ".txt")
_SINGLE_SPM_NAMES = ("sentencepiece.model", "sentencepiece.bpe.model", "spm.model")


@dataclass(frozen=True, slots=True)
class ModelFiles:
    """The parts of a model folder: the CTranslate2 model, its vocabularies, its SentencePiece models.

    The vocabularies (and SentencePiece models) are the same path when the
    model shares one between source and target.
    """

    folder: Path
    model_dir: Path
    source_vocabulary: Path
    target_vocabulary: Path
    source_spm: Path
    target_spm: Path

    @property
    def shared_spm(self) -> bool:
        return self.source_spm == self.target_spm

    @property
    def layout(self) -> Layout:
        """Which of the three arrangements (see the module docstring) the files are in."""
        if not self.shared_spm:
            return "opus-mt"
        if self.model_dir != self.folder and self.source_spm.name == "sentencepiece.model":
            return "argos"
        return "ct2"


class _Wording(NamedTuple):
    """What to say when a part is missing: an installed package and a user's folder are told differently."""

    no_model: str
    no_model_hint: str | None
    no_vocabulary: str
    no_spm: str
    no_spm_hint: str | None


_PACKAGE_WORDING = _Wording(
    no_model="no CTranslate2 model (model/model.bin)",
    no_model_hint=None,
    no_vocabulary="no vocabulary file (shared_vocabulary.txt/.json)",
    no_spm="no SentencePiece model (sentencepiece.model, or source.spm and target.spm)",
    no_spm_hint=None,
)
_USER_FOLDER_WORDING = _Wording(
    no_model="no model.bin: not a CTranslate2 model folder",
    no_model_hint="convert the model with ct2-transformers-converter first (docs/mt.md)",
    no_vocabulary="no vocabulary file (shared_vocabulary.json/.txt or source_/target_vocabulary)",
    no_spm="no SentencePiece model: expected source.spm and target.spm, or sentencepiece.model",
    no_spm_hint="copy them from the original model (OPUS-MT: source.spm/target.spm; NLLB: sentencepiece.bpe.model)",
)


def find_model_files(folder: Path, *, user_folder: bool = False) -> ModelFiles:
    """What ``folder`` holds, or a :class:`ModelPackageError` naming the first missing part.

    ``user_folder`` words the errors for someone installing a folder of their
    own (how to convert, where the tokenizers come from) rather than for a
    broken installed package.
    """
    wording = _USER_FOLDER_WORDING if user_folder else _PACKAGE_WORDING
    model_dir = _model_dir(folder)
    if model_dir is None:
        raise ModelPackageError(wording.no_model, file=folder, hint=wording.no_model_hint)
    vocabularies = _vocabulary_files(model_dir)
    if vocabularies is None:
        raise ModelPackageError(wording.no_vocabulary, file=model_dir)
    spm_paths = _find_spm(folder, model_dir)
    if spm_paths is None:
        hint = wording.no_spm_hint
        if hint is None and (folder / "bpe.model").exists():
            hint = "polybrief needs SentencePiece packages"
        raise ModelPackageError(wording.no_spm, file=folder, hint=hint)
    return ModelFiles(folder, model_dir, *vocabularies, *spm_paths)


def _model_dir(folder: Path) -> Path | None:
    for candidate in (folder / "model", folder):
        if (candidate / "model.bin").is_file():
            return candidate
    return None


def _find_spm(folder: Path, model_dir: Path) -> tuple[Path, Path] | None:
    for base in dict.fromkeys((folder, model_dir)):
        if (base / "source.spm").is_file() and (base / "target.spm").is_file():
            return base / "source.spm", base / "target.spm"
        for name in _SINGLE_SPM_NAMES:
            if (base / name).is_file():
                return base / name, base / name
    return None


def _first_vocabulary(model_dir: Path, stem: str) -> Path | None:
    for suffix in VOCABULARY_SUFFIXES:
        for name in (f"{stem}{suffix}", f"{stem}_1{suffix}"):
            if (model_dir / name).is_file():
                return model_dir / name
    return None


def _vocabulary_files(model_dir: Path) -> tuple[Path, Path] | None:
    """(source, target) vocabulary files of a CTranslate2 model folder, or None."""
    shared = _first_vocabulary(model_dir, "shared_vocabulary")
    if shared is not None:
        return shared, shared
    source = _first_vocabulary(model_dir, "source_vocabulary")
    target = _first_vocabulary(model_dir, "target_vocabulary")
    if source is not None and target is not None:
        return source, target
    return None
