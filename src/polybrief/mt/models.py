"""Find, check and install offline translation models.

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

Installed models live in Argos Translate's packages folder so that one
download serves both tools.  Every install is staged in a hidden temp folder
inside that folder and renamed into place only when it is complete and has
been read back, so an interrupted or refused install leaves nothing a later
run could mistake for a model.  Archives are validated *before* anything is
extracted (see :func:`install_package`) because ``zipfile.extractall`` — what
Argos uses — trusts member names.

Nothing here imports ``argostranslate``: its ``settings`` module creates
folders under the home directory on import, so the default packages folder
is computed the way it computes it, without running it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import stat
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, Literal, cast

from ..cldr import LANGUAGE_TAG, primary_subtag
from ..errors import ModelPackageError, OutputError, TranslationEngineError
from ..fs import atomic_write_text, ensure_dir

__all__ = [
    "DEFAULT_INDEX_URL",
    "INDEX_URL_ENV",
    "IndexEntry",
    "InstalledModel",
    "Layout",
    "Route",
    "default_index_url",
    "default_packages_dir",
    "fetch_index",
    "find_route",
    "install_folder",
    "install_from_index",
    "install_package",
    "list_models",
    "list_routes",
    "read_index",
    "read_model",
]

logger = logging.getLogger(__name__)

#: Where Argos Translate itself reads its package index.
DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
#: Environment variable that points polybrief at another index (a mirror, a file:// URL).
INDEX_URL_ENV = "POLYBRIEF_INDEX_URL"
#: Languages the Argos index has never carried; asking for them needs no network round trip.
ARGOS_MISSING_LANGUAGES: frozenset[str] = frozenset({"hy"})

#: Metadata polybrief writes beside Argos's ``metadata.json`` (and reads from model folders).
POLYBRIEF_METADATA = "polybrief-model.json"

MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 8 * 1024**3
MAX_METADATA_BYTES = 1024**2
MAX_INDEX_BYTES = 32 * 1024**2
_CHUNK = 1024**2

Layout = Literal["argos", "opus-mt", "ct2"]

_SINGLE_SPM_NAMES = ("sentencepiece.model", "sentencepiece.bpe.model", "spm.model")
_VOCAB_SUFFIXES = (".json", ".txt")
_MODEL_FILES = re.compile(
    r"^(model\.bin|config\.json|vmap\.txt|(shared|source|target)_vocabulary(_\d+)?\.(txt|json))$"
)
#: FLORES-200 codes NLLB uses as language tokens, for inferring a source prefix.
NLLB_CODES: Mapping[str, str] = {
    "en": "eng_Latn", "hy": "hye_Armn", "ru": "rus_Cyrl", "az": "azj_Latn",
    "ka": "kat_Geor", "tr": "tur_Latn", "uk": "ukr_Cyrl", "fr": "fra_Latn",
    "de": "deu_Latn", "es": "spa_Latn", "ar": "arb_Arab", "fa": "pes_Arab",
}


# --------------------------------------------------------------------------- locations


def _argos_home() -> Path:
    """The home folder Argos Translate uses (``SNAP_USER_DATA`` inside a snap)."""
    if "SNAP" in os.environ and os.environ.get("SNAP_USER_DATA"):
        return Path(os.environ["SNAP_USER_DATA"])
    return Path.home()


def default_packages_dir() -> Path:
    """Argos Translate's packages folder, found the way ``argostranslate.settings`` finds it.

    ``ARGOS_PACKAGES_DIR`` from the environment, else from Argos's
    ``settings.json``, else ``$XDG_DATA_HOME/argos-translate/packages``.  The
    folder is not created here: listing must not write anything.
    """
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env).expanduser()
    home = _argos_home()
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    settings_file = config_home / "argos-translate" / "settings.json"
    try:
        settings = json.loads(settings_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        settings = {}
    if isinstance(settings, dict) and isinstance(settings.get("ARGOS_PACKAGES_DIR"), str):
        return Path(settings["ARGOS_PACKAGES_DIR"]).expanduser()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return data_home / "argos-translate" / "packages"


def default_index_url() -> str:
    """``$POLYBRIEF_INDEX_URL`` if set, else Argos's public index."""
    return os.environ.get(INDEX_URL_ENV) or DEFAULT_INDEX_URL


_lang = primary_subtag
"""Compare language codes by primary subtag, case-insensitively (``hy-AM`` is ``hy``)."""


def _check_lang(code: Any, *, what: str, file: str | os.PathLike[str] | None) -> str:
    if not isinstance(code, str) or not LANGUAGE_TAG.match(code.strip()):
        raise ModelPackageError(
            f"{what} must be a language code such as 'en' or 'hy', not {code!r}", file=file, field=what,
        )
    return code.strip()


# --------------------------------------------------------------------------- installed models


@dataclass(frozen=True, slots=True, kw_only=True)
class InstalledModel:
    """One installed translation model for one language pair."""

    from_code: str
    to_code: str
    name: str
    version: str
    path: Path
    layout: Layout
    model_path: Path
    source_spm: Path
    target_spm: Path
    target_prefix: tuple[str, ...] = ()
    source_prefix: tuple[str, ...] = ()
    #: Tokens appended to every source sentence (``</s>`` for Marian/NLLB conversions).
    source_suffix: tuple[str, ...] = ()
    installed_at: float = 0.0

    @property
    def pair(self) -> tuple[str, str]:
        return (_lang(self.from_code), _lang(self.to_code))

    @property
    def label(self) -> str:
        """How provenance names this model: ``ru→en 1.9`` (plus the name for non-Argos models)."""
        head = f"{self.from_code}→{self.to_code}"
        if self.layout != "argos" and self.name:
            head = f"{head} {self.name}"
        return f"{head} {self.version}" if self.version else head

    def to_dict(self) -> dict[str, Any]:
        return {
            "from_code": self.from_code,
            "to_code": self.to_code,
            "name": self.name,
            "version": self.version,
            "label": self.label,
            "layout": self.layout,
            "path": str(self.path),
            "target_prefix": list(self.target_prefix),
            "source_prefix": list(self.source_prefix),
            "source_suffix": list(self.source_suffix),
            "source_spm": str(self.source_spm),
            "target_spm": str(self.target_spm),
        }


def _read_json_file(path: Path, *, max_bytes: int = MAX_METADATA_BYTES) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ModelPackageError(f"cannot read: {exc.strerror or exc}", file=path) from None
    if len(data) > max_bytes:
        raise ModelPackageError(f"larger than {max_bytes} bytes", file=path)
    return _parse_metadata(data, file=path)


def _parse_metadata(data: bytes, *, file: str | os.PathLike[str]) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ModelPackageError(f"not valid JSON: {exc}", file=file) from None
    if not isinstance(value, dict):
        raise ModelPackageError("must hold a JSON object", file=file)
    return value


def _tokens(value: Any, *, field_name: str, file: Path) -> tuple[str, ...]:
    """A prefix given as ``"hye_Armn"``, ``["hye_Armn"]`` or empty."""
    if value in (None, "", []):
        return ()
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    raise ModelPackageError("must be a token or a list of tokens", file=file, field=field_name)


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


def _vocabulary_files(model_dir: Path) -> tuple[Path, Path] | None:
    """(source, target) vocabulary files of a CTranslate2 model folder, or None."""
    def first(stem: str) -> Path | None:
        for suffix in _VOCAB_SUFFIXES:
            for name in (f"{stem}{suffix}", f"{stem}_1{suffix}"):
                if (model_dir / name).is_file():
                    return model_dir / name
        return None

    shared = first("shared_vocabulary")
    if shared is not None:
        return shared, shared
    source, target = first("source_vocabulary"), first("target_vocabulary")
    if source is not None and target is not None:
        return source, target
    return None


def read_model(folder: Path) -> InstalledModel:
    """Read one installed package folder; :class:`ModelPackageError` says what is wrong."""
    folder = Path(folder)
    metadata_path = folder / "metadata.json"
    if not metadata_path.is_file():
        raise ModelPackageError("not a model package: no metadata.json", file=folder)
    metadata = _read_json_file(metadata_path)
    extra_path = folder / POLYBRIEF_METADATA
    extra = _read_json_file(extra_path) if extra_path.is_file() else {}
    kind = metadata.get("type", "translate")
    if kind != "translate":
        raise ModelPackageError(f"a {kind!r} package, not a translation model", file=metadata_path, field="type")
    from_code = _check_lang(extra.get("from_code", metadata.get("from_code")), what="from_code", file=metadata_path)
    to_code = _check_lang(extra.get("to_code", metadata.get("to_code")), what="to_code", file=metadata_path)
    model_dir = _model_dir(folder)
    if model_dir is None:
        raise ModelPackageError("no CTranslate2 model (model/model.bin)", file=folder)
    if _vocabulary_files(model_dir) is None:
        raise ModelPackageError("no vocabulary file (shared_vocabulary.txt/.json)", file=model_dir)
    spm_paths = _find_spm(folder, model_dir)
    if spm_paths is None:
        hint = "polybrief needs SentencePiece packages" if (folder / "bpe.model").exists() else None
        raise ModelPackageError(
            "no SentencePiece model (sentencepiece.model, or source.spm and target.spm)", file=folder, hint=hint,
        )
    source_spm, target_spm = spm_paths
    if source_spm != target_spm:
        layout: Layout = "opus-mt"
    elif model_dir != folder and source_spm.name == "sentencepiece.model":
        layout = "argos"
    else:
        layout = "ct2"
    layout = extra.get("layout", layout) if extra.get("layout") in ("argos", "opus-mt", "ct2") else layout
    target_prefix = _tokens(
        extra.get("target_prefix", metadata.get("target_prefix")), field_name="target_prefix", file=metadata_path,
    )
    version = extra.get("version", metadata.get("package_version", ""))
    name = extra.get("name") or metadata.get("code") or folder.name
    installed_at = extra.get("installed_at")
    if not isinstance(installed_at, (int, float)):
        try:
            installed_at = folder.stat().st_mtime
        except OSError:
            installed_at = 0.0
    return InstalledModel(
        from_code=from_code,
        to_code=to_code,
        name=str(name),
        version=str(version or ""),
        path=folder,
        layout=layout,
        model_path=model_dir,
        source_spm=source_spm,
        target_spm=target_spm,
        target_prefix=target_prefix,
        source_prefix=_tokens(extra.get("source_prefix"), field_name="source_prefix", file=extra_path),
        source_suffix=_tokens(extra.get("source_suffix"), field_name="source_suffix", file=extra_path),
        installed_at=float(installed_at),
    )


def list_models(packages_dir: Path | None = None) -> list[InstalledModel]:
    """Every usable model in ``packages_dir`` (default: :func:`default_packages_dir`).

    Sorted by pair, the most recently installed first (the time polybrief
    recorded at install, else the folder's mtime): that is the one the engine
    uses when a pair has several.  Folders that are not packages are
    skipped quietly; broken packages are skipped with a warning, because one
    bad download must not stop translation with the others.
    """
    root = Path(packages_dir) if packages_dir is not None else default_packages_dir()
    if not root.is_dir():
        return []
    models: list[InstalledModel] = []
    for folder in sorted(root.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        if not (folder / "metadata.json").is_file():
            logger.debug("skipping %s: no metadata.json", folder)
            continue
        try:
            models.append(read_model(folder))
        except ModelPackageError as exc:
            if "package, not a translation model" in exc.message:
                logger.debug("skipping %s: %s", folder, exc)
            else:
                logger.warning("skipping broken model package: %s", exc)
    models.sort(key=lambda m: (m.pair, -m.installed_at, m.name))
    return models


# --------------------------------------------------------------------------- routes


@dataclass(frozen=True, slots=True)
class Route:
    """How to get from ``source`` to ``target``: one model, or two through a pivot."""

    source: str
    target: str
    models: tuple[InstalledModel, ...]

    @property
    def kind(self) -> Literal["direct", "pivot"]:
        return "direct" if len(self.models) == 1 else "pivot"

    @property
    def via(self) -> str | None:
        return self.models[0].to_code if len(self.models) > 1 else None

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(m.label for m in self.models)


def _first_by_pair(models: Iterable[InstalledModel]) -> dict[tuple[str, str], InstalledModel]:
    chosen: dict[tuple[str, str], InstalledModel] = {}
    for model in sorted(models, key=lambda m: (m.pair, -m.installed_at, m.name)):
        chosen.setdefault(model.pair, model)
    return chosen


def find_route(models: Sequence[InstalledModel], source: str, target: str, *, pivot: str = "en") -> Route | None:
    """The direct model for ``source → target``, else two models through ``pivot``, else None."""
    by_pair = _first_by_pair(models)
    src, tgt, via = _lang(source), _lang(target), _lang(pivot)
    if (src, tgt) in by_pair:
        return Route(source, target, (by_pair[(src, tgt)],))
    if src != via and tgt != via and (src, via) in by_pair and (via, tgt) in by_pair:
        return Route(source, target, (by_pair[(src, via)], by_pair[(via, tgt)]))
    return None


def list_routes(models: Sequence[InstalledModel], *, pivot: str = "en") -> list[Route]:
    """Every pair the models can translate: direct pairs first, then pairs through ``pivot``."""
    by_pair = _first_by_pair(models)
    via = _lang(pivot)
    routes = [Route(m.from_code, m.to_code, (m,)) for m in by_pair.values()]
    for (src, mid), first in by_pair.items():
        if mid != via:
            continue
        for (mid2, tgt), second in by_pair.items():
            if mid2 == via and tgt != src and (src, tgt) not in by_pair:
                routes.append(Route(first.from_code, second.to_code, (first, second)))
    routes.sort(key=lambda r: (r.kind != "direct", _lang(r.source), _lang(r.target)))
    return routes


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


# --------------------------------------------------------------------------- .argosmodel


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a zip member must not be extracted, or None."""
    name = info.filename
    if not name or "\x00" in name:
        return "has an empty or invalid name"
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "has an absolute path"
    if "\\" in name:
        return "uses backslashes in its path"
    if ".." in PurePosixPath(name).parts:
        return "climbs out of the package with '..'"
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        return "is a symbolic link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "is not a regular file or folder"
    if info.flag_bits & 0x1:
        return "is encrypted"
    return None


def _package_root(names: Sequence[str], *, archive: Path) -> str:
    """The folder inside the archive that holds ``metadata.json`` (``""`` or ``"name/"``)."""
    candidates = [n for n in names if n == "metadata.json" or re.fullmatch(r"[^/]+/metadata\.json", n)]
    if not candidates:
        raise ModelPackageError("not an Argos model package: no metadata.json", file=archive)
    if len(candidates) > 1:
        raise ModelPackageError("more than one metadata.json", file=archive)
    return candidates[0][: -len("metadata.json")]


def _check_metadata(metadata: Mapping[str, Any], *, file: str) -> tuple[str, str, str]:
    missing = [key for key in ("from_code", "to_code", "package_version") if not metadata.get(key)]
    if missing:
        raise ModelPackageError(
            f"metadata.json lacks {', '.join(missing)}", file=file, field=missing[0],
            hint="an Argos package names its language pair and version in metadata.json",
        )
    kind = metadata.get("type", "translate")
    if kind != "translate":
        raise ModelPackageError(f"a {kind!r} package, not a translation model", file=file, field="type")
    from_code = _check_lang(metadata["from_code"], what="from_code", file=file)
    to_code = _check_lang(metadata["to_code"], what="to_code", file=file)
    version = metadata["package_version"]
    if not isinstance(version, (str, int, float)):
        raise ModelPackageError("package_version must be a string", file=file, field="package_version")
    return from_code, to_code, str(version)


def _check_contents(names: set[str], root: str, *, archive: Path) -> None:
    def has(rel: str) -> bool:
        return root + rel in names

    problems = []
    if not has("model/model.bin"):
        problems.append("model/model.bin")
    if not any(has(f"model/{stem}{suffix}") for stem in ("shared_vocabulary", "source_vocabulary")
               for suffix in _VOCAB_SUFFIXES):
        problems.append("a vocabulary (model/shared_vocabulary.txt)")
    if not (has("sentencepiece.model") or (has("source.spm") and has("target.spm"))):
        problems.append("a SentencePiece model (sentencepiece.model)")
    if problems:
        raise ModelPackageError(f"incomplete package: missing {', '.join(problems)}", file=archive)


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
    root_dir = Path(packages_dir) if packages_dir is not None else default_packages_dir()
    try:
        zf = zipfile.ZipFile(archive)
    except FileNotFoundError:
        raise ModelPackageError("no such file", file=archive) from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise ModelPackageError(
            f"not a readable .argosmodel (zip) file: {exc}", file=archive,
            hint="the download may be truncated; fetch it again",
        ) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > max_members:
            raise ModelPackageError(f"{len(infos)} members, more than the {max_members} allowed", file=archive)
        declared = 0
        for info in infos:
            problem = _member_problem(info)
            if problem:
                raise ModelPackageError(f"unsafe member {info.filename!r}: {problem}", file=archive)
            declared += info.file_size
        if declared > max_total_bytes:
            raise ModelPackageError(
                f"unpacks to {declared} bytes, more than the {max_total_bytes} allowed", file=archive,
            )
        members = [i for i in infos if not i.filename.startswith("__MACOSX/")]
        names = {i.filename for i in members}
        root = _package_root(sorted(names), archive=archive)
        outside = [n for n in names if not n.startswith(root) and n.rstrip("/") + "/" != root]
        if outside:
            raise ModelPackageError(f"member {sorted(outside)[0]!r} lies outside the package folder", file=archive)
        meta_name = f"{archive}!{root}metadata.json"
        meta_info = zf.getinfo(root + "metadata.json")
        if meta_info.file_size > MAX_METADATA_BYTES:
            raise ModelPackageError("metadata.json is too large", file=meta_name)
        try:
            metadata = _parse_metadata(zf.read(meta_info), file=meta_name)
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise ModelPackageError(f"corrupt archive: {exc}", file=archive) from None
        from_code, to_code, version = _check_metadata(metadata, file=meta_name)
        _check_contents(names, root, archive=archive)

        ensure_dir(root_dir)
        with _lock(root_dir), _Staging(root_dir) as staging:
            _extract(zf, members, root, staging.path, archive=archive, max_total_bytes=max_total_bytes)
            # Keep what a package says about itself; record when it was installed.
            extra_path = staging.path / POLYBRIEF_METADATA
            extra = _read_json_file(extra_path) if extra_path.is_file() else {}
            extra.update(installed_at=time.time(), installed_from=str(archive))
            atomic_write_text(extra_path, json.dumps(extra, indent=2, ensure_ascii=False) + "\n")
            read_model(staging.path)  # must load before it replaces anything
            folder = f"translate-{_slug(from_code)}_{_slug(to_code)}-{_slug(version.replace('.', '_'))}"
            dest = staging.commit(folder)
    model = read_model(dest)
    logger.info("installed %s from %s into %s", model.label, archive, dest)
    return model


def _extract(
    zf: zipfile.ZipFile,
    members: Sequence[zipfile.ZipInfo],
    root: str,
    target: Path,
    *,
    archive: Path,
    max_total_bytes: int,
) -> None:
    written = 0
    base = target.resolve()
    for info in members:
        rel = info.filename[len(root):]
        if not rel:
            continue
        dest = (target / rel).resolve()
        if base not in dest.parents:
            raise ModelPackageError(f"unsafe member {info.filename!r}", file=archive)
        if info.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            with zf.open(info) as src, dest.open("xb") as out:
                size = 0
                while chunk := src.read(_CHUNK):
                    size += len(chunk)
                    written += len(chunk)
                    if size > info.file_size or written > max_total_bytes:
                        raise ModelPackageError(
                            f"member {info.filename!r} unpacks to more than it declares", file=archive,
                        )
                    out.write(chunk)
        except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, ValueError) as exc:
            raise ModelPackageError(
                f"corrupt archive at {info.filename!r}: {exc}", file=archive,
                hint="the download may be truncated; fetch it again",
            ) from None
        except FileExistsError:
            raise ModelPackageError(f"member {info.filename!r} appears twice", file=archive) from None


# --------------------------------------------------------------------------- model folders


def _read_vocabulary(path: Path) -> list[str]:
    try:
        if path.suffix == ".json":
            tokens = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(tokens, list):
                raise ValueError("not a JSON list")
            return [str(t) for t in tokens]
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError) as exc:
        raise ModelPackageError(f"cannot read vocabulary: {exc}", file=path) from None


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
    meta: dict[str, Any] = {}
    for meta_name in (POLYBRIEF_METADATA, "metadata.json"):
        if (folder / meta_name).is_file():
            meta = {**_read_json_file(folder / meta_name), **meta}
    model_dir = _model_dir(folder)
    if model_dir is None:
        raise ModelPackageError("no model.bin: not a CTranslate2 model folder", file=folder,
                                hint="convert the model with ct2-transformers-converter first (docs/mt.md)")
    vocab_files = _vocabulary_files(model_dir)
    if vocab_files is None:
        raise ModelPackageError(
            "no vocabulary file (shared_vocabulary.json/.txt or source_/target_vocabulary)", file=model_dir,
        )
    spm_paths = _find_spm(folder, model_dir)
    if spm_paths is None:
        raise ModelPackageError(
            "no SentencePiece model: expected source.spm and target.spm, or sentencepiece.model",
            file=folder, hint="copy them from the original model (OPUS-MT: source.spm/target.spm; "
            "NLLB: sentencepiece.bpe.model)",
        )
    src_code = from_code or meta.get("from_code")
    tgt_code = to_code or meta.get("to_code")
    if not src_code or not tgt_code:
        raise ModelPackageError(
            "language pair unknown", file=folder, hint="pass --from and --to (e.g. --from en --to hy)",
        )
    src_code = _check_lang(src_code, what="from_code", file=folder)
    tgt_code = _check_lang(tgt_code, what="to_code", file=folder)

    source_vocab = _read_vocabulary(vocab_files[0])
    target_vocab = source_vocab if vocab_files[1] == vocab_files[0] else _read_vocabulary(vocab_files[1])
    tgt_prefix = _tokens(target_prefix if target_prefix is not None else meta.get("target_prefix"),
                         field_name="target_prefix", file=folder)
    src_prefix = _tokens(source_prefix if source_prefix is not None else meta.get("source_prefix"),
                         field_name="source_prefix", file=folder)
    target_set = set(target_vocab)
    for token in tgt_prefix:
        if token not in target_set:
            raise ModelPackageError(f"target prefix token {token!r} is not in the model's vocabulary",
                                    file=vocab_files[1], field="target_prefix")
    source_set = set(source_vocab)
    if not src_prefix and tgt_prefix and NLLB_CODES.get(_lang(src_code)) in source_set:
        src_prefix = (NLLB_CODES[_lang(src_code)],)
        logger.info("using source prefix %s for %s", src_prefix[0], src_code)
    for token in src_prefix:
        if token not in source_set:
            raise ModelPackageError(f"source prefix token {token!r} is not in the model's vocabulary",
                                    file=vocab_files[0], field="source_prefix")
    argos_layout = model_dir != folder and spm_paths[0].name == "sentencepiece.model" and spm_paths[0] == spm_paths[1]
    if "source_suffix" in meta:
        src_suffix = _tokens(meta["source_suffix"], field_name="source_suffix", file=folder)
    else:
        config: dict[str, Any] = {}
        if (model_dir / "config.json").is_file():
            config = _read_json_file(model_dir / "config.json")
        adds_eos = bool(config.get("add_source_eos"))
        src_suffix = ("</s>",) if not argos_layout and not adds_eos and "</s>" in source_set else ()

    layout: Layout = "opus-mt" if spm_paths[0] != spm_paths[1] else ("argos" if argos_layout else "ct2")
    model_name = name or meta.get("name") or folder.resolve().name
    model_version = version or str(meta.get("version") or meta.get("package_version") or "")
    argos_metadata = {
        "package_version": model_version or "0",
        "argos_version": str(meta.get("argos_version", "1.9")),
        "from_code": src_code,
        "to_code": tgt_code,
        "from_name": str(meta.get("from_name", src_code)),
        "to_name": str(meta.get("to_name", tgt_code)),
        "type": "translate",
        "code": f"translate-{src_code}_{tgt_code}",
        "target_prefix": " ".join(tgt_prefix),
    }
    extra = {
        "name": model_name,
        "version": model_version,
        "from_code": src_code,
        "to_code": tgt_code,
        "layout": layout,
        "source_prefix": list(src_prefix),
        "source_suffix": list(src_suffix),
        "target_prefix": list(tgt_prefix),
        "installed_from": str(folder.resolve()),
        "installed_at": time.time(),
    }
    root_dir = Path(packages_dir) if packages_dir is not None else default_packages_dir()
    ensure_dir(root_dir)
    with _lock(root_dir), _Staging(root_dir) as staging:
        try:
            (staging.path / "model").mkdir()
            for item in sorted(model_dir.iterdir()):
                if item.is_file() and _MODEL_FILES.match(item.name):
                    shutil.copyfile(item, staging.path / "model" / item.name)
            if spm_paths[0] == spm_paths[1]:
                shutil.copyfile(spm_paths[0], staging.path / "sentencepiece.model")
            else:
                shutil.copyfile(spm_paths[0], staging.path / "source.spm")
                shutil.copyfile(spm_paths[1], staging.path / "target.spm")
            if (folder / "README.md").is_file():
                shutil.copyfile(folder / "README.md", staging.path / "README.md")
        except OSError as exc:
            raise OutputError(f"cannot copy model: {exc.strerror or exc}", file=folder) from None
        atomic_write_text(
            staging.path / "metadata.json", json.dumps(argos_metadata, indent=2, ensure_ascii=False) + "\n",
        )
        atomic_write_text(staging.path / POLYBRIEF_METADATA, json.dumps(extra, indent=2, ensure_ascii=False) + "\n")
        read_model(staging.path)
        default_name = f"translate-{_slug(src_code)}_{_slug(tgt_code)}-{_slug(str(model_name))}"
        dest = staging.commit(default_name)
    model = read_model(dest)
    logger.info("installed %s from %s into %s", model.label, folder, dest)
    return model


# --------------------------------------------------------------------------- package index


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One translation package listed in an Argos-format index."""

    from_code: str
    to_code: str
    package_version: str
    links: tuple[str, ...]
    code: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version))


def read_index(data: bytes, *, url: str) -> list[IndexEntry]:
    """Parse an Argos index (a JSON list of package metadata); entries that are not translation packages are skipped."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ModelPackageError(f"the model index is not valid JSON: {exc}", file=url,
                                hint=f"check the index URL (--index-url or ${INDEX_URL_ENV})") from None
    if not isinstance(value, list):
        raise ModelPackageError("the model index must be a JSON list of packages", file=url,
                                hint=f"check the index URL (--index-url or ${INDEX_URL_ENV})")
    entries = []
    for position, item in enumerate(value):
        if not isinstance(item, dict) or item.get("type", "translate") != "translate":
            continue
        links = item.get("links")
        if not (isinstance(item.get("from_code"), str) and isinstance(item.get("to_code"), str)
                and isinstance(links, list) and all(isinstance(x, str) for x in links)):
            logger.debug("index %s: skipping malformed entry %d", url, position)
            continue
        entries.append(IndexEntry(
            from_code=item["from_code"], to_code=item["to_code"],
            package_version=str(item.get("package_version", "")), links=tuple(links),
            code=str(item.get("code", "")), raw=item,
        ))
    return entries


def _open_url(url: str, *, timeout: float, what: str) -> IO[bytes]:
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https", "file"):
        raise TranslationEngineError(f"cannot fetch {what} from {url!r}: only http, https and file URLs are supported")
    try:
        return cast(IO[bytes], urllib.request.urlopen(url, timeout=timeout))  # noqa: S310 - scheme checked above
    except urllib.error.HTTPError as exc:
        raise TranslationEngineError(f"cannot fetch {what}: HTTP {exc.code} {exc.reason}", file=url) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TranslationEngineError(
            f"cannot reach {what}: {reason}", file=url,
            hint=f"check the network, or use a mirror with --index-url / ${INDEX_URL_ENV}, "
            "or install a downloaded file with 'polybrief models install FILE.argosmodel'",
        ) from None


def fetch_index(url: str | None = None, *, timeout: float = 30.0) -> list[IndexEntry]:
    """Download and parse an Argos-format package index."""
    url = url or default_index_url()
    with _open_url(url, timeout=timeout, what="the model index") as response:
        try:
            data = response.read(MAX_INDEX_BYTES + 1)
        except (OSError, ValueError) as exc:
            raise TranslationEngineError(f"reading the model index failed: {exc}", file=url) from None
    if len(data) > MAX_INDEX_BYTES:
        raise ModelPackageError("the model index is implausibly large", file=url)
    return read_index(data, url=url)


def _no_argos_model(
    from_code: str, to_code: str, *, url: str, entries: Sequence[IndexEntry] | None,
) -> TranslationEngineError:
    missing = sorted(ARGOS_MISSING_LANGUAGES & {_lang(from_code), _lang(to_code)})
    note = " (Argos Translate has no Armenian models)" if "hy" in missing else ""
    hint = (
        "bring a CTranslate2 model instead: convert OPUS-MT or NLLB with ct2-transformers-converter "
        f"and run 'polybrief models install FOLDER --from {from_code} --to {to_code}"
        + (" --target-prefix hye_Armn' for NLLB" if _lang(to_code) == "hy" else "'")
        + "; see docs/mt.md"
    )
    if entries is not None:
        pairs = {(_lang(e.from_code), _lang(e.to_code)) for e in entries}
        src, tgt = _lang(from_code), _lang(to_code)
        if (src, "en") in pairs and ("en", tgt) in pairs:
            hint = (f"install '{from_code} en' and 'en {to_code}': polybrief translates through English "
                    f"when no direct model exists")
    return TranslationEngineError(
        f"the Argos package index has no {from_code}→{to_code} model{note}", file=url, hint=hint,
    )


def install_from_index(
    from_code: str,
    to_code: str,
    *,
    index_url: str | None = None,
    packages_dir: Path | None = None,
    timeout: float = 30.0,
    max_bytes: int = MAX_TOTAL_BYTES,
) -> InstalledModel:
    """Download the newest ``from_code → to_code`` package listed in an Argos index and install it.

    Links are tried in order (``ipfs://`` ones skipped); relative links are
    resolved against the index URL so a mirror can be a plain folder served
    over HTTP.  The download goes to a hidden temp file in the packages
    folder and through :func:`install_package`'s checks.
    """
    url = index_url or default_index_url()
    _check_lang(from_code, what="from_code", file=None)
    _check_lang(to_code, what="to_code", file=None)
    if ARGOS_MISSING_LANGUAGES & {_lang(from_code), _lang(to_code)}:
        raise _no_argos_model(from_code, to_code, url=url, entries=None)
    entries = fetch_index(url, timeout=timeout)
    matching = [e for e in entries if (_lang(e.from_code), _lang(e.to_code)) == (_lang(from_code), _lang(to_code))]
    if not matching:
        raise _no_argos_model(from_code, to_code, url=url, entries=entries)
    entry = max(matching, key=lambda e: _version_key(e.package_version))
    links = [urllib.parse.urljoin(url, link) for link in entry.links]
    links = [link for link in links if urllib.parse.urlsplit(link).scheme in ("http", "https", "file")]
    if not links:
        raise TranslationEngineError(f"the index lists no http(s) download for {from_code}→{to_code}", file=url)
    root_dir = Path(packages_dir) if packages_dir is not None else default_packages_dir()
    ensure_dir(root_dir)
    errors: list[str] = []
    for link in links:
        fd, tmp_name = tempfile.mkstemp(prefix=".polybrief-download-", suffix=".argosmodel", dir=root_dir)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                try:
                    _download(link, out, timeout=timeout, max_bytes=max_bytes)
                except TranslationEngineError as exc:
                    errors.append(str(exc))
                    continue
            return install_package(tmp, packages_dir=root_dir)
        finally:
            tmp.unlink(missing_ok=True)
    raise TranslationEngineError(f"could not download the {from_code}→{to_code} package: {'; '.join(errors)}", file=url)


def _download(url: str, out: IO[bytes], *, timeout: float, max_bytes: int) -> None:
    logger.info("downloading %s", url)
    with _open_url(url, timeout=timeout, what="the model package") as response:
        size = 0
        try:
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise TranslationEngineError(f"download larger than {max_bytes} bytes", file=url)
                out.write(chunk)
        except (OSError, ValueError) as exc:
            raise TranslationEngineError(f"download interrupted: {exc}", file=url) from None
