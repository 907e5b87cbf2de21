"""PO/MO file boundaries shared by UI catalogs and brief catalogs.

Reading starts in one place, :func:`parse_po_bytes`: the bytes of a regular
file of at most ``Limits.po_bytes`` (a FIFO would block forever while the
catalog lock is held), decoded and parsed by
:mod:`polybrief.catalogs.reader` (what msgfmt reads, errors with their line),
and the header's fields checked by :mod:`polybrief.catalogs.header`.  Then:

* brief catalogs are :class:`PoFile` objects: their entries as
  :class:`~polybrief.catalogs.entry.Entry` objects, their header, and the
  text they were read from (kept for faithful rewriting by
  :mod:`polybrief.catalogs.writer`);
* UI catalogs (polybrief's own strings, compiled in memory so a stale
  ``.mo`` can never shadow a fresh review) are handed to Babel as a
  ``Catalog`` built from the same entries (:func:`read_po_file`), since they
  need Babel's compiler; they are written with Babel (:func:`po_bytes`) and
  never carry previous msgids.  Babel's own PO reader is not used: it
  truncates an unterminated string, raises on header dates it cannot parse
  and reads escapes its own way.

Errors name the file and the line.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..errors import CatalogError
from ..fs import read_regular_file
from ..limits import DEFAULT_LIMITS, Limits
from ..plurals import cldr_rule, plural_verdict
from .entry import Entry
from .header import check_fields, language_tag
from .reader import Record, decode_po, metadata_of, parse_records

if TYPE_CHECKING:
    from babel import Locale
    from babel.messages.catalog import Catalog, Message
    from babel.support import Translations

__all__ = [
    "PoFile",
    "read_po_bytes",
    "parse_po_bytes",
    "parse_po",
    "parse_po_text",
    "read_po_file",
    "po_bytes",
    "translations_from_catalog",
    "check_header",
    "python_format_names",
    "brace_format_names",
    "message_label",
    "plain_id",
    "forms_of",
    "has_text",
    "is_translated",
]

log = logging.getLogger(__name__)

_PY_FORMAT = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


@dataclass(frozen=True)
class PoFile:
    """A parsed catalog: its header entry, its other entries (live and obsolete, in file order) and its text.

    ``text`` is what the file says, decoded (kept for faithful rewriting);
    ``charset`` the codec it was decoded with.  Code outside this package
    reads it through the typed accessors (:attr:`entries`, :attr:`metadata`...).
    """

    header: Record | None
    records: list[Record] = field(repr=False)
    text: str = field(repr=False)
    path: Path | None = None
    charset: str = "utf-8"
    plural: tuple[int, str] | None = None
    """For a brief catalog: the plural rule its entries follow (``nplurals``, expression), once checked."""

    @cached_property
    def entries(self) -> tuple[Entry, ...]:
        """Every entry, live and obsolete, in file order (the same objects on every call)."""
        return tuple(Entry(record) for record in self.records)

    @property
    def live(self) -> list[Entry]:
        return [e for e in self.entries if not e.obsolete]

    @property
    def obsolete(self) -> list[Entry]:
        return [e for e in self.entries if e.obsolete]

    @cached_property
    def metadata(self) -> dict[str, str]:
        """The header fields, in file order (a copy is safe to change)."""
        return metadata_of(self.header)

    @property
    def header_comment(self) -> str:
        return self.header.tcomment if self.header is not None else ""

    @property
    def header_fuzzy(self) -> bool:
        return self.header is not None and "fuzzy" in self.header.flags

    @property
    def has_plurals(self) -> bool:
        """Whether any entry has a plural (only then must ``Plural-Forms`` be readable)."""
        return any(record.msgid_plural for record in self.records)

    def line_of(self, entry: Entry) -> int | None:
        """The line of ``entry``'s ``msgid`` (what an editor jumps to)."""
        return entry.msgid_line


def read_po_bytes(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a PO/POT file: a regular file of at most ``limits.po_bytes``."""
    return read_regular_file(path, max_bytes=limits.po_bytes, error=CatalogError, what="catalog",
                             limit_name="po_bytes")


def parse_po_bytes(data: bytes, path: Path | None, *, locale: str | Locale | None = None,
                   limits: Limits = DEFAULT_LIMITS) -> PoFile:
    """Decode, parse and check a PO/POT file's bytes (see the module docstring); :class:`CatalogError` if not.

    ``locale`` is the language the catalog is used for (it names the expected
    ``Plural-Forms`` header in errors).
    """
    text, codec = decode_po(data, path)
    del data
    parsed = parse_records(text, path, codec=codec)
    document = PoFile(parsed.header, parsed.records, text, path, codec)
    check_fields(document.metadata, parsed.records, path, locale=locale, limits=limits)
    return document


def parse_po(path: Path, *, locale: str | Locale | None = None, limits: Limits = DEFAULT_LIMITS) -> PoFile:
    """Read and parse a catalog (or template): the one way catalogs are read."""
    return parse_po_bytes(read_po_bytes(path, limits=limits), path, locale=locale, limits=limits)


def parse_po_text(text: str, path: Path | None) -> PoFile:
    """Parse PO text that is already a string (what polybrief itself is about to write, read back)."""
    parsed = parse_records(text, path)
    return PoFile(parsed.header, parsed.records, text, path)


def read_po_file(
    path: Path, *, locale: str | Locale | None = None, domain: str | None = None, limits: Limits = DEFAULT_LIMITS,
) -> Catalog:
    """A UI PO/POT file as a Babel catalog, built from polybrief's reader; problems are :class:`CatalogError`."""
    from babel.messages.catalog import Catalog, Message

    document = parse_po(path, locale=locale, limits=limits)
    catalog = Catalog(locale=locale, domain=domain, charset="utf-8", fuzzy=document.header_fuzzy,
                      header_comment=_comment_block(document.header_comment))
    try:
        catalog.mime_headers = _babel_headers(document.metadata, locale)
    except (ValueError, TypeError, LookupError) as exc:
        raise CatalogError(f"PO header does not parse: {' '.join(str(exc).split())}", file=path,
                           hint="check the header entry (msgid \"\") and re-save the file in a PO editor") from None
    for entry in document.entries:
        message = Message(
            (entry.msgid, entry.msgid_plural) if entry.msgid_plural else entry.msgid,
            entry.forms if entry.msgid_plural else entry.text,
            locations=cast("list[tuple[str, int]]",  # Babel writes a reference without a line as it is
                           [(name, int(line) if line.isdigit() else None) for name, line in entry.occurrences]),
            flags=entry.flags, auto_comments=entry.comment.split("\n") if entry.comment else (),
            user_comments=entry.translator_comment.split("\n") if entry.translator_comment else (),
            lineno=entry.msgid_line, context=entry.msgctxt,
        )
        if entry.obsolete:
            catalog.obsolete[entry.msgid if entry.msgctxt is None else (entry.msgid, entry.msgctxt)] = message
        else:
            catalog[message.id] = message
    return catalog


def _comment_block(comment: str) -> str:
    """A header comment as Babel's ``Catalog`` wants it (each line with its ``#``)."""
    return "\n".join(f"# {line}".rstrip() for line in comment.split("\n")) if comment else ""


def _babel_headers(metadata: dict[str, str], locale: str | Locale | None) -> list[tuple[str, str]]:
    """Header fields Babel can take: dates it cannot parse and a ``Language`` that is not a tag are left out
    (msgfmt ignores them too), a POSIX ``Language`` is a tag."""
    from babel.messages.catalog import _parse_datetime_header

    out = []
    for key, value in metadata.items():
        name = key.strip().lower()
        if name in ("pot-creation-date", "po-revision-date") and "YEAR" not in value:
            try:
                _parse_datetime_header(value)
            except ValueError:
                continue
        if name == "language":
            tag = language_tag(value)
            if tag is None:
                continue
            value = tag
        if name == "plural-forms" and not re.search(r"nplurals\s*=\s*\d+", value):
            continue
        out.append((key, value))
    return out


def po_bytes(catalog: Catalog, *, width: int = 76, max_token: int = DEFAULT_LIMITS.wrap_token_chars) -> bytes:
    """Serialise a catalog as PO text (previous msgids kept as ``#|`` lines).

    Babel's ``write_po`` is used for everything except two things it gets
    wrong: a multi-line previous msgid is run through its comment wrapper
    (``#| msgid "" "The ...`` split mid-string, which msgfmt rejects), and the
    flags of obsolete entries are dropped (an obsolete draft would come back as
    reviewed).  Both are written here, in GNU gettext's own form.

    Babel's line wrapping is quadratic in the longest unbroken word (a
    20,000-character one took 5 s, 250,000 over 300 s), so a catalog holding
    a word longer than ``max_token`` is written without wrapping: still
    valid PO, one line per string.
    """
    from babel.messages.pofile import normalize, write_po

    if width and _longest_word(catalog) > max_token:
        width = 0
    charset = catalog.charset or "utf-8"
    for message in [*catalog, *catalog.obsolete.values()]:
        # Babel re-adds the format flags it detects on every read; an explicit "no-" flag wins.
        for kind in ("python-format", "python-brace-format"):
            if f"no-{kind}" in message.flags:
                message.flags.discard(kind)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=width, include_previous=False, sort_output=False)
    queue = [*catalog, *catalog.obsolete.values()]
    live = len(queue) - len(catalog.obsolete)
    out: list[str] = []
    index, started = 0, False
    text = buffer.getvalue().decode(charset)
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]  # split only on "\n": msgstr text may hold other line separators
    for chunk in lines:
        if chunk == "\n" and started:
            index, started = index + 1, False
        elif not started and index < len(queue) and chunk.startswith(
            ("msgctxt ", "msgid ") if index < live else ("#~ msgctxt ", "#~ msgid ")
        ):
            started = True
            message = queue[index]
            if index >= live and message.flags:
                out.append(f"#{', '.join(['', *sorted(message.flags)])}\n")
            previous = message.previous_id if index < live else None
            for keyword, old_text in zip(("msgid", "msgid_plural"), previous or ()):
                # Babel's normalize() counts a prefix once per word; add it per line instead.
                first, *rest = normalize(old_text, width=width - 3 if width and width > 3 else width).split("\n")
                out.extend([f"#| {keyword} {first}\n", *(f"#| {line}\n" for line in rest)])
        out.append(chunk)
    return "".join(out).encode(charset, "backslashreplace")


def _longest_word(catalog: Catalog) -> int:
    longest = 0
    for message in [*catalog, *catalog.obsolete.values()]:
        texts = [*(message.id if isinstance(message.id, (tuple, list)) else (message.id,)), *forms_of(message),
                 *(message.previous_id or ())]
        for text in texts:
            if text and len(text) > longest:
                longest = max(longest, max((len(w) for w in text.split()), default=0))
    return longest


def translations_from_catalog(catalog: Catalog, *, use_fuzzy: bool = False) -> Translations:
    """Compile ``catalog`` in memory into a gettext translations object.

    Untranslated (and, unless ``use_fuzzy``, fuzzy) entries are left out, so
    gettext falls back to the English msgid rather than to a blank.
    """
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=use_fuzzy)
    buffer.seek(0)
    return Translations(fp=buffer)


def check_header(catalog: Catalog, path: Path, expected: Locale, *, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a catalog whose header declares another language or plural forms that do not fit it.

    A catalog without a ``Language`` header is taken to be in ``expected`` (so
    its plural rules are the locale's, not English's).  ``Plural-Forms`` is
    checked as :func:`~polybrief.plurals.plural_verdict` says.
    """
    declared = catalog.locale
    if declared is not None and declared.language != expected.language:
        raise CatalogError(
            f"header declares language {str(declared)!r} but the catalog is used for {str(expected)!r}",
            file=path, field="Language",
            hint="fix the 'Language:' header or move the file to the right folder",
        )
    reference = cldr_rule(expected)
    declared_plural = getattr(catalog, "_num_plurals", None)
    declared_expr = getattr(catalog, "_plural_expr", None)
    if declared_plural is not None and declared_expr is not None:
        problem, warning = plural_verdict(declared_plural, declared_expr, expected,
                                          max_chars=limits.plural_expr_chars)
        if problem:
            raise CatalogError(problem, file=path, field="Plural-Forms",
                               hint=f"use 'Plural-Forms: {reference.header}'")
        if warning:
            log.warning("%s: %s", path, warning)
    if declared is None:
        catalog.locale = expected


def python_format_names(text: str) -> set[str]:
    """Names of ``%(name)s`` placeholders in ``text`` (``%%`` ignored)."""
    return {m.group(1) for m in _PY_FORMAT.finditer(text)}


def brace_format_names(text: str) -> set[str]:
    """Names of the ``{name}`` placeholders of a UI message.

    Raises ValueError when ``text`` is not a plain ``str.format`` template: unbalanced
    braces, or a placeholder with an attribute, index, conversion or format spec
    (``{name.attr}``, ``{name!r}``, ``{name:>9}``), which a translation must not add.
    """
    import string

    names: set[str] = set()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            shown = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise ValueError(f"placeholder {{{shown}}} is not a plain {{name}}")
        names.add(name)
    return names


def message_label(message: Message) -> str:
    """How to name a message in an error: its context, else its msgid."""
    return f"msgctxt {message.context!r}" if message.context else f"msgid {plain_id(message)!r}"


def plain_id(message: Message) -> str:
    """The singular msgid of ``message`` (a plural message's first id)."""
    msgid = message.id
    return msgid[0] if isinstance(msgid, (tuple, list)) else msgid


def forms_of(message: Message) -> tuple[str, ...]:
    """Every msgstr of ``message`` as a tuple (one element for a singular message)."""
    string = message.string
    if isinstance(string, (tuple, list)):
        return tuple(string)
    return (string or "",)


def has_text(message: Message) -> bool:
    """Whether a translator wrote anything here (any form non-empty): such text is never dropped."""
    return any(forms_of(message))


def is_translated(message: Message) -> bool:
    """Whether ``message`` can be published: every form non-empty.

    The two predicates differ on a plural message with some forms left
    empty: it holds translator text (kept by every merge) but is not a
    translation (an empty form would fall back to the msgid for some numbers).
    """
    return all(forms_of(message))
