"""Install a CTranslate2 model folder (an OPUS-MT or NLLB conversion): the only way to get Armenian.

A user's model folder is inspected by the same code that reads installed
packages (:func:`~polybrief.mt.layout.find_model_files`) and written as an
Argos-style package (``metadata.json`` + ``model/``) plus
``polybrief-model.json`` for what Argos cannot express, so Argos Translate
can list it too.  Staging, the lock and the checks every install passes are
:mod:`polybrief.mt.install`'s.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cldr import primary_subtag
from ..errors import ModelPackageError, OutputError
from ..limits import DEFAULT_LIMITS, Limits
from .install import (
    MODEL_FILES,
    NLLB_CODES,
    install_staged,
    slug,
    vocabularies,
    write_json,
)
from .layout import Layout, ModelFiles, find_model_files
from .store import (
    POLYBRIEF_METADATA,
    InstalledModel,
    check_lang,
    read_json_file,
    tokens,
)

__all__ = ["install_folder"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class _FolderModel:
    """What :func:`install_folder` decided about a user's folder, before anything is written."""

    files: ModelFiles
    meta: Mapping[str, Any]
    from_code: str
    to_code: str
    name: str
    version: str
    target_prefix: tuple[str, ...]
    source_prefix: tuple[str, ...]
    source_suffix: tuple[str, ...]

    @property
    def layout(self) -> Layout:
        return self.files.layout

    @property
    def folder_name(self) -> str:
        return f"translate-{slug(self.from_code)}_{slug(self.to_code)}-{slug(self.name)}"


def install_folder(
    path: str | os.PathLike[str],
    *,
    from_code: str | None = None,
    to_code: str | None = None,
    target_prefix: str | None = None,
    source_prefix: str | None = None,
    name: str | None = None,
    version: str | None = None,
    packages_dir: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> InstalledModel:
    """Install a CTranslate2 model folder (OPUS-MT, NLLB or Argos layout) by copying it.

    The language pair and prefix tokens come from the arguments, else from a
    ``polybrief-model.json`` or Argos ``metadata.json`` in the folder.  For
    NLLB-style models ``target_prefix`` is the target language token
    (``hye_Armn``); the source token (``eng_Latn``) is inferred from the
    vocabulary when not given.  Models converted from Hugging Face (any
    layout other than Argos's) were trained with ``</s>`` closing the source,
    so it is appended unless the model's ``config.json`` has CTranslate2 add
    it (``add_source_eos``).  The copy is written to the packages folder as an
    Argos-style package (``metadata.json`` + ``model/``) plus
    ``polybrief-model.json`` for what Argos cannot express.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise ModelPackageError(
            "not a folder", file=folder, hint="give a CTranslate2 model folder or a .argosmodel file",
        )
    meta = _folder_metadata(folder)
    for flag, key in ((from_code, "from_code"), (to_code, "to_code")):
        claimed = meta.get(key)
        if flag and isinstance(claimed, str) and claimed.strip() and primary_subtag(flag) != primary_subtag(claimed):
            raise ModelPackageError(
                f"--{key.split('_')[0]} {flag} disagrees with the folder's metadata, which says {key} {claimed!r}",
                file=folder, field=key, hint="check which model this is; fix or remove its metadata")
    files = find_model_files(folder, user_folder=True)
    src_code, tgt_code = _language_pair(from_code or meta.get("from_code"), to_code or meta.get("to_code"), folder)
    source_vocab, target_vocab = vocabularies(files)
    tgt_prefix, src_prefix = _prefixes(
        files, meta, source_code=src_code, target_prefix=target_prefix, source_prefix=source_prefix,
        source_vocab=source_vocab, target_vocab=target_vocab,
    )
    model = _FolderModel(
        files=files, meta=meta, from_code=src_code, to_code=tgt_code,
        name=str(name or meta.get("name") or folder.resolve().name),
        version=version or str(meta.get("version") or meta.get("package_version") or ""),
        target_prefix=tgt_prefix, source_prefix=src_prefix,
        source_suffix=_source_suffix(files, meta, source_vocab),
    )
    installed_from = str(folder.resolve())
    return install_staged(
        packages_dir, model.folder_name, lambda staging: _write_folder_model(model, staging, installed_from),
        source=folder, limits=limits,
    )


def _folder_metadata(folder: Path) -> dict[str, Any]:
    """What the folder says about itself: Argos's ``metadata.json`` overridden by ``polybrief-model.json``."""
    meta: dict[str, Any] = {}
    for meta_name in (POLYBRIEF_METADATA, "metadata.json"):
        if (folder / meta_name).is_file():
            meta = {**read_json_file(folder / meta_name), **meta}
    return meta


def _language_pair(from_code: Any, to_code: Any, folder: Path) -> tuple[str, str]:
    """The checked language pair; both must be known."""
    if not from_code or not to_code:
        raise ModelPackageError(
            "language pair unknown", file=folder, hint="pass --from and --to (e.g. --from en --to hy)",
        )
    return check_lang(from_code, what="from_code", file=folder), check_lang(to_code, what="to_code", file=folder)



def _prefixes(
    files: ModelFiles, meta: Mapping[str, Any], *, source_code: str, target_prefix: str | None,
    source_prefix: str | None, source_vocab: frozenset[str], target_vocab: frozenset[str],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The (target, source) prefix tokens: from the arguments, else the metadata; all in the vocabulary.

    A multilingual model given a target prefix but no source prefix gets the
    NLLB code of its source language when the vocabulary has it.
    """
    tgt_prefix = tokens(target_prefix if target_prefix is not None else meta.get("target_prefix"),
                        field_name="target_prefix", file=files.folder)
    src_prefix = tokens(source_prefix if source_prefix is not None else meta.get("source_prefix"),
                        field_name="source_prefix", file=files.folder)
    _check_in_vocabulary(tgt_prefix, target_vocab, field="target_prefix", file=files.target_vocabulary)
    nllb_code = NLLB_CODES.get(primary_subtag(source_code))
    if not src_prefix and tgt_prefix and nllb_code in source_vocab:
        src_prefix = (str(nllb_code),)
        logger.info("using source prefix %s for %s", nllb_code, source_code)
    _check_in_vocabulary(src_prefix, source_vocab, field="source_prefix", file=files.source_vocabulary)
    return tgt_prefix, src_prefix


def _check_in_vocabulary(prefix: Sequence[str], vocab: frozenset[str], *, field: str, file: Path) -> None:
    for token in prefix:
        if token not in vocab:
            raise ModelPackageError(f"{field.replace('_', ' ')} token {token!r} is not in the model's vocabulary",
                                    file=file, field=field)


def _source_suffix(files: ModelFiles, meta: Mapping[str, Any], source_vocab: frozenset[str]) -> tuple[str, ...]:
    """``("</s>",)`` for a Hugging Face conversion whose config does not add it itself, else ``()``."""
    if "source_suffix" in meta:
        return tokens(meta["source_suffix"], field_name="source_suffix", file=files.folder)
    config_path = files.model_dir / "config.json"
    config = read_json_file(config_path) if config_path.is_file() else {}
    if files.layout == "argos" or config.get("add_source_eos") or "</s>" not in source_vocab:
        return ()
    return ("</s>",)


def _write_folder_model(model: _FolderModel, staging: Path, installed_from: str) -> None:
    """Copy the model's files into ``staging`` and write both metadata files."""
    _copy_model_files(model.files, staging)
    write_json(staging / "metadata.json", _argos_metadata(model))
    write_json(staging / POLYBRIEF_METADATA, _polybrief_metadata(model, installed_from))


def _copy_model_files(files: ModelFiles, staging: Path) -> None:
    """The CTranslate2 files (nothing else from the model folder), SentencePiece models and README."""
    try:
        (staging / "model").mkdir()
        for item in sorted(files.model_dir.iterdir()):
            if item.is_file() and MODEL_FILES.match(item.name):
                shutil.copyfile(item, staging / "model" / item.name)
        if files.shared_spm:
            shutil.copyfile(files.source_spm, staging / "sentencepiece.model")
        else:
            shutil.copyfile(files.source_spm, staging / "source.spm")
            shutil.copyfile(files.target_spm, staging / "target.spm")
        if (files.folder / "README.md").is_file():
            shutil.copyfile(files.folder / "README.md", staging / "README.md")
    except OSError as exc:
        raise OutputError(f"cannot copy model: {exc.strerror or exc}", file=files.folder) from None


def _argos_metadata(model: _FolderModel) -> dict[str, Any]:
    """Argos Translate's ``metadata.json`` for the copy, so Argos can list it too."""
    return {
        "package_version": model.version or "0",
        "argos_version": str(model.meta.get("argos_version", "1.9")),
        "from_code": model.from_code,
        "to_code": model.to_code,
        "from_name": str(model.meta.get("from_name", model.from_code)),
        "to_name": str(model.meta.get("to_name", model.to_code)),
        "type": "translate",
        "code": f"translate-{model.from_code}_{model.to_code}",
        "target_prefix": " ".join(model.target_prefix),
    }


def _polybrief_metadata(model: _FolderModel, installed_from: str) -> dict[str, Any]:
    """``polybrief-model.json``: what Argos's metadata cannot express, and when and where from it came."""
    return {
        "name": model.name,
        "version": model.version,
        "from_code": model.from_code,
        "to_code": model.to_code,
        "layout": model.layout,
        "source_prefix": list(model.source_prefix),
        "source_suffix": list(model.source_suffix),
        "target_prefix": list(model.target_prefix),
        "installed_from": installed_from,
        "installed_at": time.time(),
    }
