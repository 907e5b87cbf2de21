"""What a PO file's header says, read as msgfmt reads it: its language, and its plural rule checked against CLDR.

msgfmt compiles a catalog whatever its ``Language`` says, whatever dates its
header holds, and with an empty or bare ``Plural-Forms`` when no entry has a
plural; polybrief reads the same files (the charset is the reader's business,
:mod:`polybrief.catalogs.reader`):

* ``Language`` is normalised (:func:`language_tag`): POSIX locale names as
  Sphinx and Debian write them (``zh_TW.Big5``, ``ru_RU.UTF-8``, ``sr@latin``)
  become tags; a value that is no tag at all is ignored with a warning (the
  catalog's folder says which language it is for);
* dates are not read at all (only ``PO-Revision-Date`` is ever rewritten);
* ``Plural-Forms`` is checked only when an entry has a plural
  (:func:`check_fields`), for what would exhaust memory or crash a reader:
  ``nplurals`` must be a number from 1 to 20 and ``plural=`` present.

Whether a catalog's plural rule can serve its language is judged by
:func:`polybrief.plurals.plural_verdict` (all plural machinery lives in
:mod:`polybrief.plurals`): against CLDR's categories on 0–1000 and on large
and edge numbers (10^k − 1, 10^k, 10^k + 1 up to 10^18, round millions, and
the brief's own figures), so a rule that goes wrong above 1000 is caught;
Django's four-form Russian and Ukrainian are accepted, and GNU's two-form
French or Spanish with a warning that says which form is used for which
numbers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CatalogError
from ..limits import DEFAULT_LIMITS, Limits
from ..plurals import check_raw_plural_forms

if TYPE_CHECKING:
    from babel import Locale

    from .reader import Record

__all__ = ["language_tag", "check_fields", "complete_rule"]

log = logging.getLogger(__name__)

_TAG = re.compile(r"^[A-Za-z]{2,8}(?:_[A-Za-z0-9]{1,8})*$")


def language_tag(value: str) -> str | None:
    """A header's ``Language`` value as a tag (``zh_TW.Big5`` -> ``zh_TW``, ``pt-BR`` -> ``pt_BR``), or None.

    The codeset and a ``@modifier`` (``sr@latin``) are dropped: only the
    language and region are compared with the catalog's locale.
    """
    tag = value.strip().split("@", 1)[0].split(".", 1)[0].replace("-", "_")
    return tag if _TAG.match(tag) else None


def check_fields(metadata: Mapping[str, str], records: Sequence[Record], path: Path | None, *,
                 locale: str | Locale | None = None, limits: Limits = DEFAULT_LIMITS) -> None:
    """What every reader needs from a header: a readable ``Plural-Forms`` when an entry has a plural."""
    lowered = {key.strip().lower(): value for key, value in metadata.items()}
    language = lowered.get("language", "")
    if language.strip() and language_tag(language) is None:
        log.warning("%s: header Language %r is not a locale tag; ignored", path, language)
    value = lowered.get("plural-forms")
    if any(rec.msgid_plural for rec in records) or (value is not None and complete_rule(value)):
        check_raw_plural_forms(value, path or Path("-"), locale, limits)
    elif value is not None and "nplurals" in value.lower():
        number = re.search(r"nplurals\s*=\s*([^;\s]*)", value, re.I)
        if number is None or not re.fullmatch(r"\d{1,2}", number.group(1)) or not 1 <= int(number.group(1)) <= 20:
            check_raw_plural_forms(value, path or Path("-"), locale, limits)  # raises, naming the value


def complete_rule(value: str) -> bool:
    """Whether a ``Plural-Forms`` value states a whole rule (``nplurals=N; plural=EXPR``): only such a rule is
    judged in a catalog with no plural entry (msgfmt ignores an empty or bare one there)."""
    return re.search(r"nplurals\s*=", value, re.I) is not None and re.search(r"plural\s*=\s*[^;\s]", value) is not None
