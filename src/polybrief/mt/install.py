"""Install models into the packages folder: ``.argosmodel`` files and CTranslate2 model folders.

Every install is staged in a hidden temp folder inside the packages folder,
read back with :func:`~polybrief.mt.store.read_model`, and renamed into place
only when it is complete, under a lock shared by every polybrief process: so
an interrupted or refused install leaves nothing a later run could mistake
for a model, and two installs never interleave.  Archives are checked in
full *before* anything is extracted, by :mod:`polybrief.mt.archive`.

A user's model folder (an OPUS-MT or NLLB conversion) is inspected by the
same code that reads installed packages
(:func:`~polybrief.mt.layout.find_model_files`) and written as an Argos-style
package (``metadata.json`` + ``model/``) plus ``polybrief-model.json`` for
what Argos cannot express, so Argos Translate can list it too.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cldr import primary_subtag
from ..errors import ModelPackageError, OutputError
from ..fs import atomic_write_text, ensure_dir
from .archive import MAX_MEMBERS, MAX_TOTAL_BYTES, check_package, extract, open_archive
from .layout import Layout, ModelFiles, find_model_files
from .store import (
    POLYBRIEF_METADATA,
    InstalledModel,
    check_lang,
    packages_root,
    read_json_file,
    read_model,
    read_vocabulary,
    tokens,
)

__all__ = ["MAX_MEMBERS", "MAX_TOTAL_BYTES", "NLLB_CODES", "install_folder", "install_package"]

logger = logging.getLogger(__name__)

_MODEL_FILES = re.compile(
    r"^(model\.bin|config\.json|vmap\.txt|(shared|source|target)_vocabulary(_\d+)?\.(txt|json))$"
)
#: FLORES-200 codes NLLB uses as language tokens, for inferring a source prefix.
NLLB_CODES: Mapping[str, str] = {
    "en": "eng_Latn", "hy": "hye_Armn", "ru": "rus_Cyrl", "az": "azj_Latn",
    "ka": "kat_Geor", "tr": "tur_Latn", "uk": "ukr_Cyrl", "fr": "fra_Latn",
    "de": "deu_Latn", "es": "spa_Latn", "ar": "arb_Arab", "fa": "pes_Arab",
}


# --------------------------------------------------------------------------- staging


class _Staging:
    """A hidden temp folder inside the packages folder, renamed into place on success."""

    def __init__(self, packages_dir: Path) -> None:
        self.packages_dir = packages_dir
        try:
            self.path = Path(tempfile.mkdtemp(prefix=".polybrief-install-", dir=packages_dir))
        except OSError as exc:
            raise OutputError(f"cannot write here: {exc.strerror or exc}", file=packages_dir) from None

    def __enter__(self) -> _Staging:
        return self

    def __exit__(self, *exc_info: object) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def commit(self, folder_name: str) -> Path:
        """Move the staged folder to ``packages_dir/folder_name``, replacing an older copy."""
        dest = self.packages_dir / folder_name
        old: Path | None = None
        try:
            if dest.exists() or dest.is_symlink():
                old = Path(tempfile.mkdtemp(prefix=".polybrief-old-", dir=self.packages_dir))
                os.replace(dest, old / "package")
            os.replace(self.path, dest)
            # A fresh mtime marks it as the most recently installed model for its pair.
            os.utime(dest)
        except OSError as exc:
            if old is not None and not dest.exists():
                os.replace(old / "package", dest)
            raise OutputError(f"cannot install model: {exc.strerror or exc}", file=dest) from None
        finally:
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        return dest


def _lock(packages_dir: Path) -> Any:
    """One install at a time per packages folder, across processes."""
    from filelock import FileLock

    return FileLock(str(packages_dir / ".polybrief-install.lock"), timeout=600)


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-")
    return slug[:80] or "model"


def _install_staged(
    packages_dir: Path | None, folder_name: str, fill: Callable[[Path], None], *, source: Path,
) -> InstalledModel:
    """Create the packages folder, ``fill`` a staging folder, read it back, and move it to ``folder_name``."""
    root = packages_root(packages_dir)
    ensure_dir(root)
    with _lock(root), _Staging(root) as staging:
        fill(staging.path)
        read_model(staging.path)  # must load before it replaces anything
        dest = staging.commit(folder_name)
    model = read_model(dest)
    logger.info("installed %s from %s into %s", model.label, source, dest)
    return model


def _write_json(path: Path, value: Mapping[str, Any]) -> None:
    atomic_write_text(path, json.dumps(value, indent=2, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------- .argosmodel files


def install_package(
    path: str | os.PathLike[str],
    *,
    packages_dir: Path | None = None,
    max_members: int = MAX_MEMBERS,
    max_total_bytes: int = MAX_TOTAL_BYTES,
) -> InstalledModel:
    """Install an ``.argosmodel`` file after checking it cannot harm the disk.

    Before one byte is extracted the archive must: open as a zip; have at most
    ``max_members`` members and ``max_total_bytes`` declared uncompressed; hold
    no absolute paths, ``..``, symbolic links, special files or encrypted
    members; keep everything in one package folder with a ``metadata.json``
    that names ``from_code``, ``to_code`` and ``package_version``; and hold a
    CTranslate2 model with vocabulary and a SentencePiece model.  Extraction
    then counts the bytes actually written (declared sizes can lie) and the
    zip CRCs catch corruption; any failure removes the staging folder.
    """
    archive = Path(path)
    with open_archive(archive) as zf:
        package = check_package(zf, archive=archive, max_members=max_members, max_total_bytes=max_total_bytes)

        def fill(staging: Path) -> None:
            extract(zf, package, staging, max_total_bytes=max_total_bytes)
            _record_install(staging, archive)

        version = package.version.replace(".", "_")
        folder = f"translate-{_slug(package.from_code)}_{_slug(package.to_code)}-{_slug(version)}"
        return _install_staged(packages_dir, folder, fill, source=archive)


def _record_install(staging: Path, archive: Path) -> None:
    """Keep what a package says about itself in ``polybrief-model.json``; record when it was installed."""
    extra_path = staging / POLYBRIEF_METADATA
    extra = read_json_file(extra_path) if extra_path.is_file() else {}
    extra.update(installed_at=time.time(), installed_from=str(archive))
    _write_json(extra_path, extra)


# --------------------------------------------------------------------------- model folders


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
        return f"translate-{_slug(self.from_code)}_{_slug(self.to_code)}-{_slug(self.name)}"


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
    files = find_model_files(folder, user_folder=True)
    src_code, tgt_code = _language_pair(from_code or meta.get("from_code"), to_code or meta.get("to_code"), folder)
    source_vocab, target_vocab = _vocabularies(files)
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
    return _install_staged(
        packages_dir, model.folder_name, lambda staging: _write_folder_model(model, staging, installed_from),
        source=folder,
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


def _vocabularies(files: ModelFiles) -> tuple[frozenset[str], frozenset[str]]:
    """The (source, target) vocabularies as sets, read once when they are shared."""
    source = frozenset(read_vocabulary(files.source_vocabulary))
    if files.target_vocabulary == files.source_vocabulary:
        return source, source
    return source, frozenset(read_vocabulary(files.target_vocabulary))


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
    _write_json(staging / "metadata.json", _argos_metadata(model))
    _write_json(staging / POLYBRIEF_METADATA, _polybrief_metadata(model, installed_from))


def _copy_model_files(files: ModelFiles, staging: Path) -> None:
    """The CTranslate2 files (nothing else from the model folder), SentencePiece models and README."""
    try:
        (staging / "model").mkdir()
        for item in sorted(files.model_dir.iterdir()):
            if item.is_file() and _MODEL_FILES.match(item.name):
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
