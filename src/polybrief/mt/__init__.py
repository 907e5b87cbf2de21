"""Machine translation behind one small interface.

Importing this package is cheap: the Argos/CTranslate2 engine lives in
submodules that import ctranslate2 and sentencepiece (and ray, for
:class:`RayEngine`) only when an engine is built.  argostranslate (which pulls
stanza and torch) is never imported by polybrief: it reads Argos packages and
the Argos index itself.  Names other than the interface are
resolved lazily through module ``__getattr__`` for the same reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .._lazy import lazy_exports
from .base import MachineTranslation, TranslationEngine

if TYPE_CHECKING:
    from ..glossary import Glossary
    from .argos import ArgosEngine, EngineOptions
    from .double import DictionaryEngine, TaggingEngine
    from .folders import install_folder
    from .index import fetch_index, install_from_index
    from .install import install_package
    from .protect import ProtectingEngine
    from .ray_engine import RayEngine
    from .routes import Route, find_route, list_routes
    from .segment import RunStats
    from .store import InstalledModel, default_packages_dir, list_models, read_model

__all__ = [
    "ArgosEngine",
    "DictionaryEngine",
    "EngineOptions",
    "InstalledModel",
    "MachineTranslation",
    "ProtectingEngine",
    "RayEngine",
    "Route",
    "RunStats",
    "TaggingEngine",
    "TranslationEngine",
    "build_engine",
    "default_packages_dir",
    "fetch_index",
    "find_route",
    "install_folder",
    "install_from_index",
    "install_package",
    "list_models",
    "list_routes",
    "read_model",
]

_LAZY = {
    "ArgosEngine": "argos",
    "EngineOptions": "argos",
    "DictionaryEngine": "double",
    "TaggingEngine": "double",
    "fetch_index": "index",
    "install_from_index": "index",
    "install_folder": "folders",
    "install_package": "install",
    "ProtectingEngine": "protect",
    "RayEngine": "ray_engine",
    "Route": "routes",
    "find_route": "routes",
    "list_routes": "routes",
    "RunStats": "segment",
    "InstalledModel": "store",
    "default_packages_dir": "store",
    "list_models": "store",
    "read_model": "store",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)



def build_engine(
    *,
    packages_dir: Path | None = None,
    options: EngineOptions | None = None,
    glossary: Glossary | None = None,
    protect: bool = True,
    ray_address: str | None = None,
    ray_actors: int | None = None,
) -> TranslationEngine:
    """The offline engine, ready for ``translate``: installed models, optionally with protection.

    With ``protect`` (the default) numbers, URLs, e-mail addresses and the
    glossary's terms are replaced by placeholders before the model sees
    them (:mod:`polybrief.mt.protect`); without it a glossary still
    protects its terms.  Raises
    :class:`~polybrief.errors.MissingExtraError` when the ``mt`` extra is not
    installed, and :class:`~polybrief.errors.TranslationEngineError` for an
    unusable device.

    With ``ray_address`` the models run on a Ray actor pool
    (:class:`~polybrief.mt.ray_engine.RayEngine`, ``ray_actors`` actors);
    protection stays in this process either way.
    """
    from .protect import ProtectingEngine

    engine: TranslationEngine
    if ray_address is not None:
        from .ray_engine import RayEngine

        engine = RayEngine(address=ray_address, packages_dir=packages_dir, options=options, actors=ray_actors)
    else:
        from .argos import ArgosEngine

        engine = ArgosEngine(packages_dir=packages_dir, options=options)
    if protect or glossary is not None:
        engine = ProtectingEngine(
            engine, glossary=glossary, protect_numbers=protect, protect_urls=protect, protect_emails=protect,
        )
    return engine
