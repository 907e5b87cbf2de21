"""Checks on the raw text of a PO/POT file, made before any PO library parses it.

Its own module because the PO libraries get these wrong on hostile or broken
input, each in its own way, so the check reads the lines itself
(:func:`check_po_text`, called by :func:`polybrief.catalogs.po.read_po_source`
for every catalog polybrief reads):

* every string line holds one complete quoted string: polib and Babel both
  truncate an unterminated ``msgstr "...`` silently and lose the
  translation; GNU msgfmt refuses it;
* duplicate entries (same ``msgctxt`` and ``msgid``): Babel keeps the first
  and polib the last, each dropping the other one's translation without a
  word; GNU msgfmt rejects duplicates as fatal.  Both line numbers are named;
* header values Babel raises bare exceptions for (``Language``,
  ``Content-Type`` charset, dates) and the ``Plural-Forms`` header
  (:func:`polybrief.plurals.check_raw_plural_forms`).

Errors are :class:`~polybrief.errors.CatalogError` naming the file and the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CatalogError
from ..limits import DEFAULT_LIMITS, Limits
from ..plurals import check_raw_plural_forms

if TYPE_CHECKING:
    from babel import Locale

__all__ = ["check_po_text"]


def check_po_text(text: str, path: Path, *, locale: str | Locale | None = None,
                  limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse PO ``text`` read from ``path`` that the PO libraries would misread (see the module docstring).

    ``locale`` is the language the catalog is used for (it names the expected
    ``Plural-Forms`` header in errors).
    """
    _check_strings(text, path)
    entries = _raw_entries(text)
    _check_duplicates(entries, path)
    _check_raw_header(entries, path, locale, limits)


# -- a line-level view of the entries, independent of the PO library ---------------------


@dataclass
class _RawEntry:
    """One entry as written: where its msgid is, whether it is obsolete, its context, msgid and msgstr."""

    line: int
    obsolete: bool
    context: str | None = None
    msgid: str = ""
    msgstr: str = ""


def _unquote(pieces: list[str]) -> str:
    from babel.messages.pofile import unescape

    return "".join(unescape(p.strip()) for p in pieces)


def _raw_entries(text: str) -> list[_RawEntry]:
    """The entries of PO ``text`` (already checked by :func:`_check_strings`), keyword by keyword."""
    entries: list[_RawEntry] = []
    parts: dict[str, list[str]] = {}
    current: _RawEntry | None = None
    field: str | None = None

    def close() -> None:
        if current is not None:
            current.context = _unquote(parts["msgctxt"]) if "msgctxt" in parts else None
            current.msgid = _unquote(parts.get("msgid", []))
            current.msgstr = _unquote(parts.get("msgstr", []))

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        elif not line or line.startswith("#"):
            continue
        if not line:
            continue
        if line.startswith('"'):
            if field is not None:
                parts[field].append(line)
            continue
        keyword, _, rest = line.replace("\t", " ").partition(" ")
        if keyword == "msgctxt" or (keyword == "msgid" and (current is None or "msgid" in parts)):
            close()
            current = _RawEntry(line=number, obsolete=obsolete)
            entries.append(current)
            parts = {}
        if current is None:
            field = None
            continue
        if keyword == "msgid":
            current.line = number
        field = "msgstr" if keyword.startswith("msgstr") else keyword
        if field == "msgstr" and keyword not in ("msgstr", "msgstr[0]"):
            field = "msgstr_n"  # later plural forms: not needed here
        parts.setdefault(field, []).append(rest)
    close()
    return entries


def _check_duplicates(entries: list[_RawEntry], path: Path) -> None:
    """Refuse two entries with one msgctxt and msgid: Babel would silently drop one translation."""
    seen: dict[tuple[bool, str | None, str], _RawEntry] = {}
    for entry in entries:
        key = (entry.obsolete, entry.context, entry.msgid)
        first = seen.get(key)
        if first is None:
            seen[key] = entry
            continue
        label = f"msgctxt {entry.context!r}" if entry.context is not None else f"msgid {entry.msgid!r}"
        kind = "obsolete entry" if entry.obsolete else "entry"
        raise CatalogError(
            f"duplicate {kind}: the same {'msgctxt and msgid' if entry.context is not None else 'msgid'} "
            f"appears at lines {first.line} and {entry.line}",
            file=path, line=entry.line, field=label,
            hint="keep one of them (merge the translations by hand); msgfmt refuses duplicates too",
        )


def _header_fields(entries: list[_RawEntry]) -> dict[str, str]:
    for entry in entries:
        if not entry.obsolete and entry.context is None and entry.msgid == "":
            fields: dict[str, str] = {}
            for row in entry.msgstr.split("\n"):
                name, sep, value = row.partition(":")
                if sep:
                    fields.setdefault(name.strip().lower(), value.strip())
            return fields
    return {}


_LANGUAGE_HEADER = re.compile(r"^(?:[A-Za-z]{2,8}(?:[_-][A-Za-z0-9]{1,8})*(?:@[A-Za-z0-9]{1,16})?)?$")
_UTF8_NAMES = ("utf-8", "utf8", "charset", "us-ascii", "ascii")


def _check_raw_header(entries: list[_RawEntry], path: Path, locale: str | Locale | None, limits: Limits) -> None:
    """Header values Babel raises bare exceptions for (``ValueError``, ``LookupError``), named precisely."""
    fields = _header_fields(entries)
    language = fields.get("language", "")
    if not _LANGUAGE_HEADER.match(language):
        raise CatalogError(f"header declares language {language!r}, which is not a locale tag", file=path,
                           field="Language", hint="write a tag such as 'Language: hy'")
    charset = ""
    for part in fields.get("content-type", "").split(";"):
        name, sep, value = part.partition("=")
        if sep and name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    if charset and charset not in _UTF8_NAMES:
        raise CatalogError(f"header declares charset {charset!r}; polybrief reads catalogs as UTF-8", file=path,
                           field="Content-Type", hint="save the file as UTF-8 with 'Content-Type: text/plain; charset=UTF-8'")
    for label in ("POT-Creation-Date", "PO-Revision-Date"):
        value = fields.get(label.lower(), "")
        if value and not (label == "PO-Revision-Date" and "YEAR" in value):  # as Babel skips it
            from babel.messages.catalog import _parse_datetime_header

            try:
                _parse_datetime_header(value)
            except ValueError:
                raise CatalogError(f"header {label} {value!r} is not a date", file=path, field=label,
                                   hint=f"write it as '{label}: 2024-05-01 10:00+0000'") from None
    check_raw_plural_forms(fields.get("plural-forms"), path, locale, limits)


_PO_STRING_LINE = re.compile(
    r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?"(?:[^"\\]|\\.)*"[ \t]*$'
)


#: A whole file of lines :func:`_check_strings` accepts, written with spaces and tabs only around them
#: (one C-level match; a file it does not match is checked line by line, which finds the culprit).
_PO_WELL_FORMED = re.compile(
    r'(?:[ \t]*(?:#(?!~)[^\n]*|#~\|[^\n]*|(?:#~[ \t]*)?(?:(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)'
    r'[ \t]+)?"(?:[^"\\\n]|\\[^\n])*"[ \t]*)?)(?:\n|\Z))*'
)


def _check_strings(text: str, path: Path) -> None:
    """Refuse malformed string lines that Babel's parser would silently truncate or drop.

    Babel accepts an unterminated ``msgstr "...`` and loses the translation;
    GNU msgfmt rejects it.  Every keyword and continuation line (live or
    obsolete ``#~``) must hold exactly one complete quoted string.
    """
    if _PO_WELL_FORMED.fullmatch(text):
        return  # the usual case: every line is fine
    # Split on newlines only: str.splitlines() also breaks on form feed, NEL and U+2028,
    # which Babel (rightly) writes unescaped inside strings.
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if line.startswith("#~|"):
            continue  # the previous msgid of an obsolete entry (msgmerge), a comment like "#|"
        if line.startswith("#~"):
            line = line[2:].strip()
        elif not line or line.startswith("#"):
            continue
        if not line:
            continue
        if not _PO_STRING_LINE.match(line):
            raise CatalogError(
                "PO syntax error: malformed or unterminated string", file=path, line=number,
                hint='each msgid/msgstr line must hold one complete "quoted string"',
            )
