"""PO/MO file boundaries shared by UI catalogs and brief catalogs.

Reading starts in one place, :func:`read_po_source`: bytes, UTF-8, and the
strict check that every string line holds one complete quoted string (polib
and Babel both truncate an unterminated ``msgstr "...`` silently and lose the
translation; GNU msgfmt refuses it).  Then:

* brief catalogs are parsed with polib (:func:`parse_po`), which keeps
  previous msgids (``#|``, multi-line ones too) and the flags of obsolete
  entries -- Babel reads ``#|`` lines back as comments and its ``write_po``
  drops the flags of obsolete entries and breaks multi-line ``#|`` lines.
  They are written by :mod:`polybrief.catalogs.writer`;
* UI catalogs (polybrief's own strings, compiled in memory so a stale
  ``.mo`` can never shadow a fresh review) are still read and written with
  Babel (:func:`read_po_file`, :func:`po_bytes`): they need Babel's
  compiler and never carry previous msgids.

Before either library sees the text, :func:`read_po_source` reads only a
regular file of at most ``Limits.po_bytes`` (a FIFO would block forever
while the catalog lock is held) and hands it to
:func:`polybrief.catalogs.lint.check_po_text` (malformed strings, duplicate
entries, header values the libraries choke on); the ``Plural-Forms`` rules
are in :mod:`polybrief.plurals`.

Errors name the file and the line.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CatalogError
from ..fs import read_regular_file
from ..limits import DEFAULT_LIMITS, Limits
from ..plurals import cldr_rule, plural_forms_problem
from .entry import Entry
from .lint import check_po_text

if TYPE_CHECKING:
    from babel import Locale
    from babel.messages.catalog import Catalog, Message
    from babel.support import Translations

__all__ = [
    "PoFile",
    "read_po_source",
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

_PY_FORMAT = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def read_po_source(path: Path, *, locale: str | Locale | None = None, limits: Limits = DEFAULT_LIMITS) -> str:
    """The text of a PO/POT file, checked (see the module docstring); :class:`CatalogError` with the line if not.

    ``locale`` is the language the catalog is used for (it names the expected
    ``Plural-Forms`` header in errors).
    """
    data = read_regular_file(path, max_bytes=limits.po_bytes, error=CatalogError, what="catalog",
                             limit_name="po_bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError("not UTF-8", file=path, line=line, hint="save the catalog as UTF-8") from None
    check_po_text(text, path, locale=locale, limits=limits)
    return text


@dataclass(frozen=True)
class PoFile:
    """A parsed brief catalog: polib's view of it and the text it was parsed from (kept for faithful rewriting).

    Code outside this module and :mod:`polybrief.catalogs.entry` reads it
    through the typed accessors (:attr:`entries`, :attr:`metadata`...), not
    through polib's untyped objects.
    """

    po: Any
    """The :class:`polib.POFile`: header in ``metadata``, live and obsolete entries in file order."""
    text: str
    path: Path | None = None

    @cached_property
    def entries(self) -> tuple[Entry, ...]:
        """Every entry, live and obsolete, in file order (the same objects on every call)."""
        return tuple(Entry(e) for e in self.po)

    @property
    def live(self) -> list[Entry]:
        return [e for e in self.entries if not e.obsolete]

    @property
    def obsolete(self) -> list[Entry]:
        return [e for e in self.entries if e.obsolete]

    @property
    def metadata(self) -> dict[str, str]:
        """The header fields, in file order."""
        return dict(self.po.metadata)

    @property
    def header_comment(self) -> str:
        return str(self.po.header or "")

    @property
    def header_fuzzy(self) -> bool:
        return bool(self.po.metadata_is_fuzzy)

    def line_of(self, entry: Entry) -> int | None:
        """The line of ``entry``'s ``msgid`` (what an editor jumps to), else its first line."""
        start = entry.linenum
        if start is None:
            return None
        for number, line in enumerate(self.text.split("\n")[start - 1:], start=start):
            if line.startswith(("msgid ", "#~ msgid ")):
                return number
        return start


def parse_po(path: Path, *, locale: str | Locale | None = None, limits: Limits = DEFAULT_LIMITS) -> PoFile:
    """Read and parse a brief catalog (or template): the one way brief catalogs are read."""
    return parse_po_text(read_po_source(path, locale=locale, limits=limits), path)


_OBSOLETE_PREVIOUS = re.compile(r"^#~\|", re.M)
_POLIB_LINE = re.compile(r"\(line (\d+)\)")


def parse_po_text(text: str, path: Path | None) -> PoFile:
    """Parse PO text already checked by :func:`read_po_source`.

    Two polib 1.2 defects are worked around here, line numbers unchanged:
    ``polib.pofile`` splits text with ``str.splitlines()``, which also breaks
    on form feed, NEL and U+2028 that may stand unescaped inside a string
    (the parser is fed lines split on ``\\n`` only), and it skips ``#~|``
    lines (the previous msgid of an obsolete entry, as msgmerge writes it),
    which it reads when they are handed to it as ``#|`` lines.
    """
    import polib

    try:
        parser = polib._POFileParser("", encoding="utf-8")
        parser.fhandle = _OBSOLETE_PREVIOUS.sub("#|", text).split("\n")
        po = parser.parse()
        po.wrapwidth = 0
    except (OSError, ValueError, KeyError, IndexError) as exc:
        found = _POLIB_LINE.search(str(exc))
        detail = re.sub(r"^Syntax error in po file (?:\S+ )?\(line \d+\):?\s*", "", str(exc)) or "syntax error"
        raise CatalogError(f"PO syntax error: {detail}", file=path, line=int(found.group(1)) if found else None,
                           hint="fix the entry or re-save the file in a PO editor") from None
    return PoFile(po=po, text=text, path=path)


def read_po_file(
    path: Path, *, locale: str | Locale | None = None, domain: str | None = None, limits: Limits = DEFAULT_LIMITS,
) -> Catalog:
    """Parse a UI PO/POT file with Babel; any problem becomes :class:`CatalogError` with file and line."""
    from babel.messages.pofile import PoFileError, read_po

    data = read_po_source(path, locale=locale, limits=limits).encode("utf-8")
    try:
        return read_po(io.BytesIO(data), locale=locale, domain=domain, abort_invalid=True, charset="utf-8")
    except PoFileError as exc:
        # Babel counts lines from 0 (its message says "on <that number>"); editors count from 1.
        lineno = getattr(exc, "lineno", None)
        at: int | None = lineno + 1 if isinstance(lineno, int) else None
        detail = re.sub(r" on \d+$", "", str(exc)) if at is not None else str(exc)
        raise CatalogError(f"PO syntax error: {detail}", file=path, line=at,
                           hint="fix the entry or re-save the file in a PO editor") from None
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise CatalogError(f"PO file does not parse: {' '.join(str(exc).split())}", file=path,
                           hint="check the header entry (msgid \"\") and re-save the file in a PO editor") from None


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
    checked as :func:`plural_forms_problem` says.
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
    if declared_plural is not None and declared_plural != reference.nplurals:
        raise CatalogError(
            f"header declares nplurals={declared_plural}, but {expected} has {reference.nplurals} plural forms",
            file=path, field="Plural-Forms",
            hint=f"use 'Plural-Forms: {reference.header}'",
        )
    declared_expr = getattr(catalog, "_plural_expr", None)
    if declared_plural is not None and declared_expr is not None:
        problem = plural_forms_problem(declared_plural, declared_expr, expected, max_chars=limits.plural_expr_chars)
        if problem:
            raise CatalogError(problem, file=path, field="Plural-Forms",
                               hint=f"use 'Plural-Forms: {reference.header}'")
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
