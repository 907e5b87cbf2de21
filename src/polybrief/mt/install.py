"""Install models into the packages folder: staging, the checks every install passes, and ``.argosmodel`` files.

Every install is staged in a hidden temp folder inside the packages folder,
read back with :func:`~polybrief.mt.store.read_model`, and renamed into place
only when it is complete, under a lock shared by every polybrief process: so
an interrupted or refused install leaves nothing a later run could mistake
for a model, and two installs never interleave.  Archives are checked in
full *before* anything is extracted, by :mod:`polybrief.mt.archive`.

Model folders (OPUS-MT and NLLB conversions) are installed by
:mod:`polybrief.mt.folders` through the same staging and checks.

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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..cldr import primary_subtag
from ..errors import ModelPackageError, OutputError
from ..fs import atomic_write_text, ensure_dir, exclusive_lock
from ..limits import DEFAULT_LIMITS, Limits
from .archive import MAX_MEMBERS, MAX_TOTAL_BYTES, check_package, extract, open_archive
from .layout import ModelFiles, find_model_files
from .store import (
    POLYBRIEF_METADATA,
    InstalledModel,
    packages_root,
    read_json_file,
    read_model,
    read_vocabulary,
)

__all__ = ["MAX_MEMBERS", "MAX_TOTAL_BYTES", "MODEL_FILES", "NLLB_CODES", "install_package", "install_staged",
           "remove_stale_staging", "slug", "vocabularies", "write_json"]

logger = logging.getLogger(__name__)

MODEL_FILES = re.compile(
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
    with exclusive_lock(packages_dir / ".polybrief-install.lock", timeout=600, error=OutputError, owner=packages_dir,
                        busy="another polybrief install holds this packages folder",
                        busy_hint="wait for it to finish, or remove a stale .polybrief-install.lock"):
        yield


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


def slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-")
    return slug[:80] or "model"


def install_staged(
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
    source_vocab, target_vocab = vocabularies(files, limits=limits)
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
    from .argos import import_ct2, import_spm

    ctranslate2, sentencepiece = import_ct2(), import_spm()
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


def write_json(path: Path, value: Mapping[str, Any]) -> None:
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
        folder = f"translate-{slug(package.from_code)}_{slug(package.to_code)}-{slug(version)}"
        return install_staged(packages_dir, folder, fill, source=archive, limits=limits, expect_pair=expect_pair)


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
    write_json(extra_path, extra)


def vocabularies(files: ModelFiles, *, limits: Limits = DEFAULT_LIMITS) -> tuple[frozenset[str], frozenset[str]]:
    """The (source, target) vocabularies as sets, read once when they are shared."""
    source = frozenset(read_vocabulary(files.source_vocabulary, limits=limits))
    if files.target_vocabulary == files.source_vocabulary:
        return source, source
    return source, frozenset(read_vocabulary(files.target_vocabulary, limits=limits))
