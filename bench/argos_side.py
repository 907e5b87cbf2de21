"""The baseline: argostranslate 1.11's own translation path, on the same models and sentences.

What is argostranslate's and what is injected
---------------------------------------------
Translation goes through ``argostranslate.translate.get_translation_from_codes``
— a ``CachedTranslation`` around a ``PackageTranslation`` — and its
``translate(text)``, once per segment as an application would call it; that
splits paragraphs on ``\\n`` and calls ``apply_packaged_translation`` per
paragraph (sentence splitting, SentencePiece encoding, one
``translate_batch`` per paragraph with 32-token batches, decoding).  Three
things are injected, and nothing else is changed:

* **the sentence splitter**: argostranslate's default, MiniSBD, downloads an
  ONNX model on first use.  ``PackageTranslation`` looks the class up by name
  in ``argostranslate.translate`` when it is built, so
  :class:`SentencexSentencizer` — polybrief's own
  :func:`polybrief.text.sentences.split_sentences`, each sentence stripped — is
  put there before any package is loaded.  Both sides split identically.
* **max_decoding_length**: argostranslate does not pass one, and random weights
  never emit the end token, so every output would run to CTranslate2's default
  of 256 tokens.  :class:`TranslatorProxy` wraps the ``ctranslate2.Translator``
  (built with argostranslate's own arguments from its ``settings``) and adds
  the same cap polybrief uses.  It also records what went in and came out
  for the output comparison.
* **settings**: ``ARGOS_*`` environment variables (device, threads, compute
  type, beam size) are set before the import, as a user would; the beam is
  changed between runs through ``argostranslate.settings.beam_size``, which
  argostranslate reads on every call.

Importing ``argostranslate.settings`` creates folders under ``$HOME`` and
freezes its configuration, so :func:`prepare_environment` points every
``XDG_*`` and ``ARGOS_*`` location at the benchmark's temp folder first.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["ArgosBaseline", "TranslatorProxy", "argos_environment", "prepare_environment"]


def argos_environment(home: Path, *, intra_threads: int) -> dict[str, str]:
    """The environment argostranslate must see: every folder it touches inside ``home``."""
    return {
        "ARGOS_PACKAGES_DIR": str(home / "argos-packages"),
        "XDG_DATA_HOME": str(home / "xdg-data"),
        "XDG_CONFIG_HOME": str(home / "xdg-config"),
        "XDG_CACHE_HOME": str(home / "xdg-cache"),
        "ARGOS_DEVICE_TYPE": "cpu",
        "ARGOS_INTER_THREADS": "1",
        "ARGOS_INTRA_THREADS": str(intra_threads),
        "ARGOS_DEBUG": "0",
    }


def prepare_environment(home: Path, *, intra_threads: int) -> dict[str, str]:
    """Set :func:`argos_environment` in ``os.environ``; refuses if argostranslate was already imported."""
    if any(name == "argostranslate" or name.startswith("argostranslate.") for name in sys.modules):
        raise RuntimeError("argostranslate was imported before its folders were redirected")
    env = argos_environment(home, intra_threads=intra_threads)
    os.environ.update(env)
    return env


class TranslatorProxy:
    """A ``ctranslate2.Translator`` with fixed decoding options and a record of inputs → outputs.

    ``overrides`` replace the caller's keyword arguments (the benchmark only
    passes ``max_decoding_length``); ``record``, when set, maps each source
    token sequence to the best hypothesis's tokens.
    """

    def __init__(self, translator: Any, **overrides: Any) -> None:
        self.translator = translator
        self.overrides = overrides
        self.record: dict[tuple[str, ...], tuple[str, ...]] | None = None
        self.calls = 0
        self.sentences = 0

    def translate_batch(self, source: list[list[str]], target_prefix: Any = None, **kwargs: Any) -> Any:
        kwargs.update(self.overrides)
        results = self.translator.translate_batch(source, target_prefix, **kwargs)
        self.calls += 1
        self.sentences += len(source)
        if self.record is not None:
            for tokens, result in zip(source, results):
                self.record[tuple(tokens)] = tuple(result.hypotheses[0])
        return results

    def __getattr__(self, name: str) -> Any:
        return getattr(self.translator, name)


def _sentencizer_class() -> type:
    from argostranslate.sbd import ISentenceBoundaryDetectionModel

    from polybrief.text.sentences import split_sentences

    class SentencexSentencizer(ISentenceBoundaryDetectionModel):
        """polybrief's sentencex splitter behind argostranslate's sentencizer interface."""

        def __init__(self, pkg: Any) -> None:
            self.pkg = pkg

        def split_sentences(self, text: str) -> list[str]:
            return [s.strip() for s in split_sentences(text, lang=self.pkg.from_code) if s.strip()]

    return SentencexSentencizer


class ArgosBaseline:
    """argostranslate, imported after :func:`prepare_environment`, with the splitter injected."""

    def __init__(self, *, max_decoding_length: int) -> None:
        import argostranslate.package
        import argostranslate.settings
        import argostranslate.translate

        self.package = argostranslate.package
        self.settings = argostranslate.settings
        self.translate_module = argostranslate.translate
        self.max_decoding_length = max_decoding_length
        argostranslate.translate.MiniSBDSentencizer = _sentencizer_class()
        self.default_beam = int(self.settings.beam_size)
        self._translations: dict[tuple[str, str], Any] = {}

    def install(self, archive: Path) -> None:
        """``argostranslate.package.install_from_path`` (it clears argostranslate's language cache)."""
        self.package.install_from_path(archive)
        self._translations.clear()

    def translation(self, source: str, target: str) -> Any:
        """argostranslate's translation object for the pair, with the proxy in place of its translator."""
        key = (source, target)
        if key not in self._translations:
            translation = self.translate_module.get_translation_from_codes(source, target)
            if translation is None:
                raise LookupError(f"argostranslate has no {source}→{target} translation")
            for package_translation in _package_translations(translation):
                if package_translation.translator is None:
                    package_translation.translator = TranslatorProxy(
                        self._ct2_translator(package_translation.pkg), max_decoding_length=self.max_decoding_length,
                    )
            self._translations[key] = translation
        return self._translations[key]

    def _ct2_translator(self, pkg: Any) -> Any:
        import ctranslate2

        s = self.settings
        # Exactly the arguments PackageTranslation.hypotheses uses when it builds its translator.
        return ctranslate2.Translator(str(pkg.package_path / "model"), device=s.device,
                                      inter_threads=s.inter_threads, intra_threads=s.intra_threads,
                                      compute_type=s.compute_type)

    def set_threads(self, intra_threads: int) -> None:
        """Change ``settings.intra_threads`` and rebuild every translator already built (argostranslate
        reads the setting only when it builds one)."""
        if int(self.settings.intra_threads) == intra_threads:
            return
        self.settings.intra_threads = intra_threads
        for translation in self._translations.values():
            for package_translation in _package_translations(translation):
                package_translation.translator = TranslatorProxy(
                    self._ct2_translator(package_translation.pkg), max_decoding_length=self.max_decoding_length,
                )

    def proxies(self, source: str, target: str) -> list[TranslatorProxy]:
        return [p.translator for p in _package_translations(self.translation(source, target))]

    def set_beam(self, beam_size: int) -> None:
        self.settings.beam_size = beam_size

    def translate_all(self, segments: Sequence[str], *, source: str, target: str) -> list[str]:
        """What an application does with argostranslate: ``translate()`` once per segment."""
        translation = self.translation(source, target)
        return [translation.translate(text) for text in segments]


def _package_translations(translation: Any) -> list[Any]:
    """The ``PackageTranslation`` objects inside a (cached, composite) translation."""
    found: list[Any] = []
    stack = [translation]
    while stack:
        item = stack.pop()
        if hasattr(item, "pkg") and hasattr(item, "translator"):
            found.append(item)
        for attr in ("underlying", "t2", "t1"):
            child = getattr(item, attr, None)
            if child is not None:
                stack.append(child)
    return found
