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

Before a staged model replaces anything it must also (:func:`_verify_staged`):

* agree with itself: its prefix tokens are in its vocabulary, an NLLB-style
  language token names the language the metadata claims, and the language
  pair is the one its file name (``translate-en_hy-1_0.argosmodel``), the
  ``--from``/``--to`` flags or the index entry says;
* load: CTranslate2 builds a ``Translator`` from it on the CPU once, and
  SentencePiece loads its tokenizers, so a garbage ``model.bin`` is refused
  at install rather than at first use.

Staging folders left by a killed install (``.polybrief-install-*``,
``.polybrief-old-*``) are removed by the next install, under the same lock:
no install writes outside it, so whatever is there while it is held is stale.
Download temp files are only removed once older than the download deadline,
since downloads run outside the lock.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cldr import primary_subtag
from ..errors import ModelPackageError, OutputError
from ..fs import atomic_write_text, ensure_dir
from ..limits import DEFAULT_LIMITS, Limits
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

__all__ = ["MAX_MEMBERS", "MAX_TOTAL_BYTES", "NLLB_CODES", "install_folder", "install_package",
           "remove_stale_staging"]

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


#: Names of what an install leaves in the packages folder while it runs.
STAGING_PREFIXES = (".polybrief-install-", ".polybrief-old-")
DOWNLOAD_PREFIX = ".polybrief-download-"


@contextmanager
def _lock(packages_dir: Path) -> Iterator[None]:
    """One install at a time per packages folder, across processes (filelock opens with O_NOFOLLOW)."""
    from filelock import FileLock, Timeout

    lock_path = packages_dir / ".polybrief-install.lock"
    lock = FileLock(str(lock_path), timeout=600)
    try:
        lock.acquire()
    except Timeout:
        raise OutputError("another polybrief install holds this packages folder", file=packages_dir,
                          hint="wait for it to finish, or remove a stale .polybrief-install.lock") from None
    except OSError as exc:
        what = "is a symbolic link" if lock_path.is_symlink() else f"cannot be opened: {exc.strerror or exc}"
        raise OutputError(f"the install lock file {what}", file=lock_path,
                          hint="remove it; polybrief creates it as a regular file") from None
    try:
        yield
    finally:
        lock.release()


def remove_stale_staging(packages_dir: Path, *, limits: Limits = DEFAULT_LIMITS) -> list[Path]:
    """Remove what killed installs left behind; call it only while holding :func:`_lock`.

    Staging folders are only ever created under the lock, so any present now
    is stale.  Download temp files are written outside the lock and are
    removed only once they are older than the download deadline.
    """
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(packages_dir.iterdir())
    except OSError:
        return removed
    for entry in entries:
        try:
            if entry.is_symlink():
                continue
            if entry.name.startswith(STAGING_PREFIXES) and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            elif (entry.name.startswith(DOWNLOAD_PREFIX) and entry.is_file()
                  and now - entry.stat().st_mtime > limits.download_seconds + 600):
                entry.unlink()
            else:
                continue
        except OSError:
            continue
        logger.info("removed %s, left by an interrupted install", entry)
        removed.append(entry)
    return removed


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-")
    return slug[:80] or "model"


def _install_staged(
    packages_dir: Path | None, folder_name: str, fill: Callable[[Path], None], *, source: Path,
    limits: Limits = DEFAULT_LIMITS, expect_pair: tuple[str, str] | None = None,
) -> InstalledModel:
    """Create the packages folder, ``fill`` a staging folder, check it, and move it to ``folder_name``."""
    root = packages_root(packages_dir)
    ensure_dir(root)
    with _lock(root):
        remove_stale_staging(root, limits=limits)
        with _Staging(root) as staging:
            fill(staging.path)
            try:
                staged = read_model(staging.path)  # must read back before it replaces anything
                _verify_staged(staged, source=source, expect_pair=expect_pair, limits=limits)
            except ModelPackageError as exc:
                raise _from_source(exc, staging.path, source) from None
            dest = staging.commit(folder_name)
    model = read_model(dest)
    logger.info("installed %s from %s into %s", model.label, source, dest)
    return model


_FLORES = re.compile(r"^[a-z]{3}_[A-Z][a-z]{3}$")


def _verify_staged(model: InstalledModel, *, source: Path, expect_pair: tuple[str, str] | None,
                   limits: Limits) -> None:
    """What the staged model says about itself must agree, and the model must load (module docstring).

    Errors name ``source`` (the archive or folder the user gave), not the staging folder.
    """
    if expect_pair is not None:
        wanted = (primary_subtag(expect_pair[0]), primary_subtag(expect_pair[1]))
        if model.pair != wanted:
            raise ModelPackageError(
                f"the package is for {model.from_code}→{model.to_code}, not the {expect_pair[0]}→{expect_pair[1]} "
                "it was installed as", file=source)
    files = find_model_files(model.path)
    source_vocab, target_vocab = _vocabularies(files, limits=limits)
    for prefix, vocab, field in ((model.target_prefix, target_vocab, "target_prefix"),
                                 (model.source_prefix, source_vocab, "source_prefix")):
        for token in prefix:
            if token not in vocab:
                raise ModelPackageError(
                    f"{field.replace('_', ' ')} token {token!r} is not in the model's vocabulary", file=source,
                    field=field, hint="the metadata does not belong to this model")
    for prefix, code, what in ((model.target_prefix, model.to_code, "target"),
                               (model.source_prefix, model.from_code, "source")):
        expected = NLLB_CODES.get(primary_subtag(code))
        for token in prefix:
            if _FLORES.match(token) and expected is not None and token != expected:
                raise ModelPackageError(
                    f"{what} prefix {token!r} is not the language {code!r} the package claims "
                    f"(NLLB writes it {expected!r})", file=source, field=f"{what}_prefix")
    _check_loads(model, source=source)


def _check_loads(model: InstalledModel, *, source: Path) -> None:
    """Load the model once on the CPU, and its tokenizers, so a damaged model is refused at install."""
    from .argos import _import_ct2, _import_spm

    ctranslate2, sentencepiece = _import_ct2(), _import_spm()
    supported = ctranslate2.get_supported_compute_types("cpu")
    try:
        translator = ctranslate2.Translator(str(model.model_path), device="cpu",
                                            compute_type="int8" if "int8" in supported else "default",
                                            inter_threads=1, intra_threads=1)
    except Exception as exc:  # CTranslate2 raises RuntimeError, ValueError or worse for a damaged file
        raise ModelPackageError(
            f"{_relative(model.model_path / 'model.bin', model.path)} does not load with CTranslate2: "
            f"{' '.join(str(exc).split())[:300]}", file=source,
            hint="the file is damaged, not a CTranslate2 model, or from a newer CTranslate2",
        ) from None
    del translator
    for path in dict.fromkeys((model.source_spm, model.target_spm)):
        try:
            sentencepiece.SentencePieceProcessor(model_file=str(path))
        except Exception as exc:  # RuntimeError, OSError
            raise ModelPackageError(
                f"{_relative(path, model.path)} is not a SentencePiece model that loads: "
                f"{' '.join(str(exc).split())[:300]}", file=source) from None


def _from_source(exc: ModelPackageError, staging: Path, source: Path) -> ModelPackageError:
    """``exc`` naming the file in what the user installed (``archive!model/x.json``), not in the staging folder."""
    if exc.file is None or not exc.file.startswith(str(staging)):
        return exc
    rel = _relative(Path(exc.file), staging)
    file = f"{source}!{rel}" if source.is_file() else str(source / rel)
    return ModelPackageError(exc.message, file=file, line=exc.line, field=exc.field, hint=exc.hint)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _write_json(path: Path, value: Mapping[str, Any]) -> None:
    atomic_write_text(path, json.dumps(value, indent=2, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------- .argosmodel files


def install_package(
    path: str | os.PathLike[str],
    *,
    packages_dir: Path | None = None,
    max_members: int | None = None,
    max_total_bytes: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    expect_pair: tuple[str, str] | None = None,
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
    ``max_members`` and ``max_total_bytes`` default to ``limits``; a
    compression ratio above ``limits.archive_ratio`` is refused too.  The
    staged package must then pass :func:`_verify_staged` (the pair in the file
    name, or ``expect_pair``; prefixes in the vocabulary; the model loads).
    """
    archive = Path(path)
    max_members = limits.archive_members if max_members is None else max_members
    max_total_bytes = limits.archive_bytes if max_total_bytes is None else max_total_bytes
    with open_archive(archive) as zf:
        package = check_package(zf, archive=archive, max_members=max_members, max_total_bytes=max_total_bytes,
                                max_ratio=limits.archive_ratio)
        _check_named_pair(archive, package.root, package.from_code, package.to_code)

        def fill(staging: Path) -> None:
            extract(zf, package, staging, max_total_bytes=max_total_bytes)
            _record_install(staging, archive)

        version = package.version.replace(".", "_")
        folder = f"translate-{_slug(package.from_code)}_{_slug(package.to_code)}-{_slug(version)}"
        return _install_staged(packages_dir, folder, fill, source=archive, limits=limits, expect_pair=expect_pair)


_ARGOS_NAME = re.compile(r"^translate-([A-Za-z]{2,3})_([A-Za-z]{2,3})(?:-|$)")


def _check_named_pair(archive: Path, root: str, from_code: str, to_code: str) -> None:
    """An Argos file or folder name (``translate-en_hy-1_0``) must name the pair its metadata claims."""
    claimed = (primary_subtag(from_code), primary_subtag(to_code))
    for name in (archive.name, root.rstrip("/")):
        match = _ARGOS_NAME.match(name)
        if match and (match.group(1).lower(), match.group(2).lower()) != claimed:
            raise ModelPackageError(
                f"metadata.json says {from_code}→{to_code}, but {name!r} is named for "
                f"{match.group(1)}→{match.group(2)}", file=archive, field="from_code",
                hint="the package is mislabelled; get it again from its publisher")


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


def _vocabularies(files: ModelFiles, *, limits: Limits = DEFAULT_LIMITS) -> tuple[frozenset[str], frozenset[str]]:
    """The (source, target) vocabularies as sets, read once when they are shared."""
    source = frozenset(read_vocabulary(files.source_vocabulary, limits=limits))
    if files.target_vocabulary == files.source_vocabulary:
        return source, source
    return source, frozenset(read_vocabulary(files.target_vocabulary, limits=limits))


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
