"""The translatable units of a brief: one per field, keyed by its field path.

A unit is what a translator sees as one PO message: ``msgctxt`` is the field
path (``sections[0].items[3].text``), ``msgid`` the source text.  Keeping the
brief's own structure (not sentences) means an edit to one item touches one
message; sentence splitting is the MT engine's business.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .model import Brief

__all__ = ["Unit", "translation_units", "UNIT_PLURAL_SOURCE"]

#: Source-language plural categories used as ``msgid`` / ``msgid_plural`` of a
#: figure's unit (English and most source languages have these two).
UNIT_PLURAL_SOURCE = ("one", "other")


@dataclass(frozen=True, slots=True)
class Unit:
    """One translatable field of a brief.

    ``plural`` is set for a figure's unit: the source forms for
    ``msgid`` (singular) and ``msgid_plural``.
    """

    path: str
    text: str
    plural: str | None = None
    comment: str = ""

    @property
    def is_plural(self) -> bool:
        return self.plural is not None


def translation_units(brief: Brief) -> list[Unit]:
    """Every translatable field of ``brief`` in document order."""
    return list(_iter_units(brief))


def _iter_units(brief: Brief) -> Iterator[Unit]:
    yield Unit("headline", brief.headline, comment="Headline")
    if brief.standfirst is not None:
        yield Unit("standfirst", brief.standfirst, comment="Standfirst (summary under the headline)")
    yield Unit("dateline.place", brief.dateline.place, comment="Dateline: the place the brief was filed from")
    for i, paragraph in enumerate(brief.lead):
        yield Unit(f"lead[{i}]", paragraph, comment="Lead paragraph")
    for s, section in enumerate(brief.sections):
        yield Unit(f"sections[{s}].heading", section.heading, comment="Section heading")
        for i, item in enumerate(section.items):
            yield Unit(f"sections[{s}].items[{i}].label", item.label, comment="Label of a key update")
            yield Unit(f"sections[{s}].items[{i}].text", item.text, comment="Text of a key update")
    for f, figure in enumerate(brief.figures):
        yield Unit(f"figures[{f}].label", figure.label, comment="Label of a key figure; keep numbers unchanged")
        if figure.unit is not None:
            singular = figure.unit.get("one", figure.unit["other"])
            yield Unit(
                f"figures[{f}].unit",
                singular,
                plural=figure.unit["other"],
                comment=f"Unit counted by a key figure (value {figure.value}); give every plural form",
            )
    for q, quote in enumerate(brief.quotes):
        yield Unit(f"quotes[{q}].text", quote.text, comment="Quotation; marks are added by polybrief, do not type them")
        yield Unit(f"quotes[{q}].speaker", quote.speaker, comment="Name of the person quoted, in its established form")
    for n, source in enumerate(brief.sources):
        if source.translatable:
            yield Unit(f"sources[{n}].name", source.name, comment="Name of a cited source")
    for i, paragraph in enumerate(brief.closing):
        yield Unit(f"closing[{i}]", paragraph, comment="Closing paragraph")
