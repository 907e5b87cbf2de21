"""The field types a brief is made of: its frozen base model, non-blank text, ids, language tags, links,
plural forms and catalog keys.

They are shared by :mod:`polybrief.model` (the brief and its parts) and :mod:`polybrief.figures` (key
figures, whose validation is a module of its own), and live below both so that neither imports the
other for them.  Each is a pydantic ``Annotated`` type, so a brief file's errors name the field.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from .cldr import LANGUAGE_TAG
from .fields import check_key
from .plurals import PLURAL_CATEGORIES

__all__ = ["FrozenModel", "Text", "SLUG", "Slug", "LanguageTag", "URL", "WebURL", "PluralForms", "Key"]

_URL_SCHEMES = ("http://", "https://", "mailto:")


def _no_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only whitespace")
    return value


def _safe_url(value: str) -> str:
    if not value.lower().startswith(_URL_SCHEMES) or any(c.isspace() for c in value):
        raise ValueError("must be an http://, https:// or mailto: link without spaces")
    return value


def _web_url(value: str) -> str:
    if not value.lower().startswith(("http://", "https://")) or any(c.isspace() for c in value):
        raise ValueError("must be an absolute http:// or https:// address without spaces")
    return value


def _plural_forms(value: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(value) - set(PLURAL_CATEGORIES))
    if unknown:
        raise ValueError(
            f"unknown plural categories {unknown}; use CLDR categories {list(PLURAL_CATEGORIES)}"
        )
    if "other" not in value:
        raise ValueError("needs at least the 'other' form (and 'one' for English)")
    for category, form in value.items():
        _no_blank(form)
    return value


Text = Annotated[str, AfterValidator(_no_blank)]
"""A non-blank line or paragraph of plain text."""

#: What a brief id is (it names files: ``<locale>/<id>.html``); the site manifest holds its ids to it too.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
Slug = Annotated[str, StringConstraints(pattern=SLUG.pattern, max_length=120)]
LanguageTag = Annotated[str, StringConstraints(pattern=LANGUAGE_TAG.pattern)]
URL = Annotated[str, AfterValidator(_safe_url)]
WebURL = Annotated[str, AfterValidator(_web_url)]
PluralForms = Annotated[dict[str, str], AfterValidator(_plural_forms)]
Key = Annotated[str, AfterValidator(check_key), Field(
    description="Stable name of this element, unique among the brief's elements of its kind (every item of "
                "every section), used as its translation catalog key (default: a slug of its first words, "
                "made unique in the brief). Set it to keep translations attached when you rename the element.")]


class FrozenModel(BaseModel):
    """What every part of a brief is: immutable (a localised brief can never be changed behind a
    renderer's back), with unknown fields refused (a typo is an error, not a silently dropped value)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)
