"""Machine translation doubles whose output passes polybrief's error-level checks.

``translate`` and ``publish --mt`` refuse machine output in the wrong script
or still in the source language (the ``script`` and ``language`` checks), so
the plain tagging double (``[ru] The rain stopped.``) is rejected on every
page but an English one.  These doubles write what the checks accept:

* :func:`russian_tagger`: the tagging double with Latin letters turned into
  Cyrillic ones (``[ру] Тхе раин стоппед.``); the language check never asks
  about Cyrillic sentences for an English source;
* :class:`EchoEngine`: a fixed table of whole segments to their (real)
  translations, e.g. the reviewed entries of a shipped catalog, so "machine"
  output is real Azerbaijani or Armenian.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from polybrief.mt import MachineTranslation
from polybrief.mt import TaggingEngine

_CYRILLIC = str.maketrans("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                          "абцдефгхийклмнопярстуввхызАБЦДЕФГХИЙКЛМНОПЯРСТУВВХЫЗ")


def cyr(text: str) -> str:
    return text.translate(_CYRILLIC)


def russian_tagger(transform: Callable[[str], str] | None = None, **options: object) -> TaggingEngine:
    """The tagging double writing Cyrillic letters (``[ру] Аид агенциес …``)."""
    return TaggingEngine(transform=lambda s: cyr(transform(s) if transform else s), **options)  # type: ignore[arg-type]


class EchoEngine:
    """Translates whole segments by lookup in ``table[target][source text]``; unknown ones are problems."""

    name = "echo"

    def __init__(self, table: Mapping[str, Mapping[str, str]], *, model: str = "test-model") -> None:
        self.table = {tag: dict(entries) for tag, entries in table.items()}
        self.model = model
        self.calls: list[tuple[str, str, tuple[str, ...]]] = []

    def supports(self, source: str, target: str) -> bool:
        return target in self.table

    def translate(self, segments: Sequence[str], *, source: str, target: str) -> list[MachineTranslation]:
        self.calls.append((source, target, tuple(segments)))
        entries = self.table.get(target, {})
        models = (f"{source}→{target} {self.model}",)
        return [MachineTranslation(entries[s], -0.25, self.name, models) if s in entries else
                MachineTranslation("", 0.0, self.name, models, problem="echo has no translation for this segment")
                for s in segments]


def reviewed_table(po: Path) -> dict[str, str]:
    """Source text → translation of every translated singular entry of a catalog."""
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and isinstance(m.string, str)
            and m.string}
