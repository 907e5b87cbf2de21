"""What a page's quality findings depend on, as one hash: the key of the check cache (:mod:`.check_cache`).

A page is rendered again when only its context changed (an edited UI
catalog, a template): its brief, catalog, locale and settings are the same,
so the checks would find what they found last time.  The key says when that
holds.  It is a hash of everything :func:`polybrief.qa.gate.check_localised`
hands the checks, segment by segment — the field path, the source text as
the page shows it and its plural forms, the translation, its provenance
(reviewed, draft, machine), the catalog's plural forms and fuzzy flag, the
checks a reviewer silenced on the entry — and of what every segment shares:
the source and target locales as the checks see them (tag, identifier,
numbering system, quotation marks), the glossary rules for the locale, the
project's check settings, the run's policy, and :func:`checks_version`.
Any change to one of them is a new key, so a cached result is used only for
exactly the inputs it was made from; a change the key does not see cannot
come from data, only from code, and the code is in the version.

:func:`checks_version` hashes the source of polybrief's own modules (every
``.py`` file of the package, so a change to a check, to the text helpers it
uses or to the gate itself is a new version, without anyone having to bump a
number), the versions of Python, its Unicode database and the libraries the
checks read (CLDR data from Babel, language detection, number words), and
the source of every plugin check (:mod:`polybrief.qa.plugins`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
import unicodedata
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import __version__

if TYPE_CHECKING:
    from ..cldr import LocaleInfo
    from ..glossary import Glossary
    from ..localisation import LocalisedBrief
    from ..project import CheckSettings
    from ..provenance import TranslationPolicy

__all__ = ["CHECK_DISTRIBUTIONS", "checks_version", "page_check_key"]

#: The libraries whose data or code decides what a check finds (their versions are part of the checks'
#: version): CLDR data, sentence splitting, language detection, number words, confusable letters.
CHECK_DISTRIBUTIONS = ("babel", "sentencex", "lingua-language-detector", "unicode-rbnf", "num2words",
                       "confusable-homoglyphs")

_PACKAGE = Path(__file__).resolve().parent.parent


@functools.cache
def checks_version() -> str | None:
    """A hash of the code and data the checks run (see the module docstring); None when it cannot be known
    (a plugin check whose source cannot be read), and then nothing is cached."""
    from ..qa.settings import active_checks
    from ..qa.suite import MODULE_NAMES

    digest = hashlib.sha256()
    digest.update(f"polybrief {__version__}\0python {sys.version}\0unicode {unicodedata.unidata_version}\0".encode())
    for name in CHECK_DISTRIBUTIONS:
        digest.update(f"{name} {_version_of(name)}\0".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest.update(f"{path.relative_to(_PACKAGE).as_posix()}\0".encode())
        digest.update(hashlib.sha256(data).digest())
    for found in active_checks():
        module = found.function.__module__
        if module in MODULE_NAMES:
            continue
        try:
            source = Path(getattr(sys.modules[module], "__file__", None) or "").read_bytes()
        except (OSError, KeyError):
            return None
        digest.update(f"plugin {module} {found.names}\0".encode())
        digest.update(hashlib.sha256(source).digest())
    return digest.hexdigest()


def _version_of(name: str) -> str:
    """A distribution's version from its metadata's ``Version:`` line ("-": not installed).

    Read by hand: :func:`importlib.metadata.version` parses the whole file as e-mail headers, 30 ms for
    a package whose long description is in it, in every process that checks a page."""
    try:
        text = metadata.distribution(name).read_text("METADATA") or ""
    except metadata.PackageNotFoundError:
        return "-"
    for line in text.splitlines():
        if line.startswith("Version:"):
            return line.removeprefix("Version:").strip()
        if not line:
            break
    return "?"


def _locale(info: LocaleInfo) -> list[Any]:
    quotes = info.quotes
    return [info.tag, info.identifier, info.numbering, quotes.start, quotes.end, quotes.alt_start, quotes.alt_end,
            quotes.final]


def page_check_key(item: LocalisedBrief, *, glossary: Glossary | None, settings: CheckSettings | None,
                   policy: TranslationPolicy, version: str) -> str:
    """The key of a translated page's findings (see the module docstring)."""
    units = item.units
    if units is None:
        from ..fields import translation_units

        units = {unit.path: unit for unit in translation_units(item.brief)}
    rules = glossary.rules_for(item.locale.tag) if glossary is not None else []
    shared: list[Any] = [
        version, _locale(item.source_locale), _locale(item.locale),
        [[r.source, r.target, r.keep, r.note] for r in rules],
        None if settings is None else [sorted(settings.disabled), list(settings.severities)],
        [policy.drafts, policy.strict, policy.allow_qa_errors, policy.allow_mt_failure],
    ]
    segments: list[Any] = []
    for segment in item.segments():
        unit = units.get(segment.path)
        plural = item.plurals.get(segment.path)
        segments.append([
            segment.path, segment.text, segment.provenance.value, sorted(segment.ignored_checks),
            None if unit is None else [unit.shown_source(item.source_locale),
                                       None if unit.forms is None else sorted(unit.forms.items())],
            None if plural is None else [list(plural.forms), [list(s) for s in plural.samples], plural.fuzzy],
        ])
    text = json.dumps([shared, segments], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
