"""Where translation models live, and what is installed there.

Installed models live in Argos Translate's packages folder so that one
download serves both tools.  This module is the one place that knows where
that folder is (:func:`default_packages_dir`, and :func:`packages_root` for
every ``packages_dir=None`` argument) and how an installed package is read
(:func:`read_model`, :func:`list_models`), with the small readers for the
metadata and vocabulary files that installing needs too.  What makes a
folder a model is decided in :mod:`polybrief.mt.layout`; installing lives in
:mod:`polybrief.mt.install`, routes between languages in
:mod:`polybrief.mt.routes`.

Nothing here imports ``argostranslate``: its ``settings`` module creates
folders under the home directory on import, so the default packages folder
is computed the way it computes it, without running it.  Nothing here writes
either: listing models must leave the disk as it was.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from ..cldr import LANGUAGE_TAG, primary_subtag
from ..errors import ModelPackageError
from ..fs import read_regular_file
from ..limits import DEFAULT_LIMITS, Limits
from .layout import LAYOUTS, Layout, find_model_files

__all__ = [
    "MAX_METADATA_BYTES",
    "POLYBRIEF_METADATA",
    "InstalledModel",
    "check_lang",
    "default_packages_dir",
    "list_models",
    "packages_root",
    "parse_metadata",
    "read_json_file",
    "read_model",
    "read_vocabulary",
    "tokens",
]

logger = logging.getLogger(__name__)

#: Metadata polybrief writes beside Argos's ``metadata.json`` (and reads from model folders).
POLYBRIEF_METADATA = "polybrief-model.json"
#: The most a metadata file (``metadata.json``, ``config.json`` …) may weigh (``Limits.metadata_bytes``).
MAX_METADATA_BYTES = DEFAULT_LIMITS.metadata_bytes


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
    except (OSError, ValueError, RecursionError):
        settings = {}
    if isinstance(settings, dict) and isinstance(settings.get("ARGOS_PACKAGES_DIR"), str):
        return Path(settings["ARGOS_PACKAGES_DIR"]).expanduser()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return data_home / "argos-translate" / "packages"


def packages_root(packages_dir: str | os.PathLike[str] | None) -> Path:
    """The packages folder to use: ``packages_dir`` when given, else :func:`default_packages_dir`.

    Every function that takes ``packages_dir=None`` resolves it here, so the
    default is decided in one place (and read when needed, never at import).
    """
    return Path(packages_dir) if packages_dir is not None else default_packages_dir()


# --------------------------------------------------------------------------- small readers


def check_lang(code: Any, *, what: str, file: str | os.PathLike[str] | None) -> str:
    """``code`` stripped, or a :class:`ModelPackageError` naming ``what`` when it is not a language code."""
    if not isinstance(code, str) or not LANGUAGE_TAG.match(code.strip()):
        raise ModelPackageError(
            f"{what} must be a language code such as 'en' or 'hy', not {code!r}", file=file, field=what,
        )
    return code.strip()


def read_json_file(path: Path, *, max_bytes: int = MAX_METADATA_BYTES, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """A JSON object from a regular file of at most ``max_bytes``."""
    data = read_regular_file(path, max_bytes=max_bytes, error=ModelPackageError, what="metadata file",
                             limit_name="metadata_bytes")
    return parse_metadata(data, file=path, limits=limits)


def parse_metadata(data: bytes, *, file: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """A JSON object from bytes (bounded by :mod:`polybrief.jsonio`); ``file`` names where they came from."""
    from ..jsonio import load_json

    value = load_json(data, file=file, error=ModelPackageError, limits=limits, invalid="not valid JSON")
    if not isinstance(value, dict):
        raise ModelPackageError("must hold a JSON object", file=file)
    return value


def tokens(value: Any, *, field_name: str, file: Path) -> tuple[str, ...]:
    """A prefix given as ``"hye_Armn"``, ``["hye_Armn"]`` or empty."""
    if value in (None, "", []):
        return ()
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    raise ModelPackageError("must be a token or a list of tokens", file=file, field=field_name)


def read_vocabulary(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """The tokens of a CTranslate2 vocabulary file (a JSON list of strings, or one token a line)."""
    from ..jsonio import load_json

    data = read_regular_file(path, max_bytes=limits.vocabulary_bytes, error=ModelPackageError, what="vocabulary",
                             limit_name="vocabulary_bytes")
    if path.suffix == ".json":
        values = load_json(data, file=path, error=ModelPackageError, limits=limits,
                           invalid="cannot read vocabulary: not valid JSON")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ModelPackageError("cannot read vocabulary: not a JSON list of strings", file=path)
        return values
    try:
        return data.decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ModelPackageError(f"cannot read vocabulary: not UTF-8 (byte {exc.start})", file=path) from None


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
        return (primary_subtag(self.from_code), primary_subtag(self.to_code))

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


def read_model(folder: Path) -> InstalledModel:
    """Read one installed package folder; :class:`ModelPackageError` says what is wrong.

    ``polybrief-model.json``, when present, overrides what Argos's
    ``metadata.json`` says (it records what Argos cannot express).
    """
    folder = Path(folder)
    metadata_path = folder / "metadata.json"
    if not metadata_path.is_file():
        raise ModelPackageError("not a model package: no metadata.json", file=folder)
    metadata = read_json_file(metadata_path)
    extra_path = folder / POLYBRIEF_METADATA
    extra = read_json_file(extra_path) if extra_path.is_file() else {}
    from_code, to_code = _installed_pair(metadata, extra, file=metadata_path)
    files = find_model_files(folder)
    return InstalledModel(
        from_code=from_code,
        to_code=to_code,
        name=str(extra.get("name") or metadata.get("code") or folder.name),
        version=str(extra.get("version", metadata.get("package_version", "")) or ""),
        path=folder,
        layout=cast(Layout, extra["layout"]) if extra.get("layout") in LAYOUTS else files.layout,
        model_path=files.model_dir,
        source_spm=files.source_spm,
        target_spm=files.target_spm,
        target_prefix=tokens(
            extra.get("target_prefix", metadata.get("target_prefix")), field_name="target_prefix", file=metadata_path,
        ),
        source_prefix=tokens(extra.get("source_prefix"), field_name="source_prefix", file=extra_path),
        source_suffix=tokens(extra.get("source_suffix"), field_name="source_suffix", file=extra_path),
        installed_at=_installed_at(folder, extra),
    )


def _installed_pair(metadata: dict[str, Any], extra: dict[str, Any], *, file: Path) -> tuple[str, str]:
    """The language pair of a translation package; other package types are refused."""
    kind = metadata.get("type", "translate")
    if kind != "translate":
        raise ModelPackageError(f"a {kind!r} package, not a translation model", file=file, field="type")
    from_code = check_lang(extra.get("from_code", metadata.get("from_code")), what="from_code", file=file)
    to_code = check_lang(extra.get("to_code", metadata.get("to_code")), what="to_code", file=file)
    return from_code, to_code


def _installed_at(folder: Path, extra: dict[str, Any]) -> float:
    """When polybrief installed the package, else the folder's mtime, else 0."""
    installed_at = extra.get("installed_at")
    if isinstance(installed_at, (int, float)):
        return float(installed_at)
    try:
        return folder.stat().st_mtime
    except OSError:
        return 0.0


def list_models(packages_dir: Path | None = None) -> list[InstalledModel]:
    """Every usable model in ``packages_dir`` (default: :func:`default_packages_dir`).

    Sorted by pair, the most recently installed first (the time polybrief
    recorded at install, else the folder's mtime): that is the one the engine
    uses when a pair has several.  Folders that are not packages are
    skipped quietly; broken packages are skipped with a warning, because one
    bad download must not stop translation with the others.
    """
    root = packages_root(packages_dir)
    if not root.is_dir():
        return []
    models: list[InstalledModel] = []
    for folder in sorted(root.iterdir()):
        model = _listed_model(folder)
        if model is not None:
            models.append(model)
    models.sort(key=lambda m: (m.pair, -m.installed_at, m.name))
    return models


def _listed_model(folder: Path) -> InstalledModel | None:
    """The model in one entry of the packages folder, or None (logged) when there is none."""
    if folder.name.startswith(".") or not folder.is_dir():
        return None
    if not (folder / "metadata.json").is_file():
        logger.debug("skipping %s: no metadata.json", folder)
        return None
    try:
        return read_model(folder)
    except ModelPackageError as exc:
        if "package, not a translation model" in exc.message:
            logger.debug("skipping %s: %s", folder, exc)
        else:
            logger.warning("skipping broken model package: %s", exc)
        return None
