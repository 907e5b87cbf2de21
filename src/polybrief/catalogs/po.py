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


What the reading checks, because the PO libraries get it wrong on hostile or
broken input:

* only a regular file of at most ``Limits.po_bytes`` is read (a FIFO would
  block forever while the catalog lock is held);
* duplicate entries (same ``msgctxt`` and ``msgid``): Babel keeps the first
  and polib the last, each dropping the other one's translation without a
  word; GNU msgfmt rejects duplicates as fatal.  Both line numbers are named;
* the ``Plural-Forms`` header: Babel raises a bare ``ValueError`` for a
  non-numeric ``nplurals`` and allocates ``nplurals`` forms per plural entry
  (``nplurals=99999999999999`` exhausts memory).

:func:`plural_forms_problem` then validates the plural expression with the
standard library's own safe evaluator (:func:`gettext.c2py`, which accepts
only ``n``, integers, C operators and parentheses, and compiles nothing
else): at most ``Limits.plural_expr_chars`` characters (unless it is the
expression Babel writes for the language), and for every n in 0..1000 an
index below ``nplurals`` (no division by zero), with no two of CLDR's
plural categories for the language sharing one form — unless the expression
picks the same forms as the one Babel writes for the language.  A bad header
is one error naming the file, with the expected header in the message.

Errors name the file and the line.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CatalogError
from ..fs import read_regular_file
from ..limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from babel import Locale
    from babel.messages.catalog import Catalog, Message
    from babel.support import Translations

__all__ = [
    "PoFile",
    "read_po_source",
    "parse_po",
    "parse_po_text",
    "entry_signature",
    "read_po_file",
    "po_bytes",
    "plural_forms_problem",
    "compile_plural",
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
    _check_strings(text, path)
    entries = _raw_entries(text)
    _check_duplicates(entries, path)
    _check_raw_header(entries, path, locale, limits)
    return text


@dataclass(frozen=True)
class PoFile:
    """A parsed brief catalog: polib's view of it and the text it was parsed from (kept for faithful rewriting)."""

    po: Any
    """The :class:`polib.POFile`: header in ``metadata``, live and obsolete entries in file order."""
    text: str
    path: Path | None = None

    @property
    def live(self) -> list[Any]:
        return [e for e in self.po if not e.obsolete]

    @property
    def obsolete(self) -> list[Any]:
        return [e for e in self.po if e.obsolete]

    def line_of(self, entry: Any) -> int | None:
        """The line of ``entry``'s ``msgid`` (what an editor jumps to), else its first line."""
        start = entry.linenum if isinstance(entry.linenum, int) else None
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


def entry_signature(entry: Any) -> tuple[Any, ...]:
    """Everything a PO entry says, as a comparable tuple (two entries with one signature are written alike)."""
    return (
        bool(entry.obsolete), entry.msgctxt, entry.msgid, entry.msgid_plural or None,
        entry.msgstr if not entry.msgid_plural else None,
        tuple(sorted((int(k), v) for k, v in entry.msgstr_plural.items())) if entry.msgid_plural else None,
        tuple(entry.flags), entry.tcomment or "", "" if entry.obsolete else (entry.comment or ""),
        tuple(entry.occurrences) if not entry.obsolete else (),
        entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural,
    )


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


def expected_plural_forms(locale: str | Locale | None) -> str | None:
    """The ``Plural-Forms`` header Babel writes for ``locale`` (None when it is not known)."""
    if locale is None:
        return None
    from babel.messages.catalog import Catalog as _Catalog

    try:
        return _Catalog(locale=locale).plural_forms
    except (ValueError, TypeError):
        return None


def _plural_hint(locale: str | Locale | None) -> str:
    expected = expected_plural_forms(locale)
    if expected:
        return f"use 'Plural-Forms: {expected}'"
    return "use the header GNU gettext gives for the language, e.g. 'Plural-Forms: nplurals=2; plural=(n != 1);'"


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
    _check_raw_plural_forms(fields.get("plural-forms"), path, locale, limits)


def _check_raw_plural_forms(value: str | None, path: Path, locale: str | Locale | None, limits: Limits) -> None:
    """What Babel would crash on or choke on: a non-numeric or huge ``nplurals``, a missing or huge ``plural``."""
    if value is None:
        return
    params: dict[str, str] = {}
    for part in value.split(";"):
        name, sep, setting = part.partition("=")
        if sep:
            params[name.strip().lower()] = setting.strip()
    nplurals, expr = params.get("nplurals"), params.get("plural")
    problem = None
    if nplurals is None or expr is None:
        problem = "Plural-Forms header needs both nplurals= and plural="
    elif not re.fullmatch(r"\d{1,2}", nplurals) or not 1 <= int(nplurals) <= 20:
        problem = f"Plural-Forms header has nplurals={nplurals!r}, not a number of forms from 1 to 20"
    if problem:
        raise CatalogError(problem, file=path, field="Plural-Forms", hint=_plural_hint(locale))


def compile_plural(expr: str, *, max_chars: int = 1000) -> Callable[[int], int]:
    """``expr`` compiled by :func:`gettext.c2py` (only ``n``, integers, C operators); ``ValueError`` if refused."""
    if len(expr) > max_chars:
        raise ValueError(f"the expression is {len(expr)} characters long, more than the {max_chars} allowed")
    try:
        return gettext.c2py(expr)
    except RecursionError:
        raise ValueError("the expression is nested too deeply") from None
    except SyntaxError as exc:  # pragma: no cover - c2py turns syntax errors into ValueError
        raise ValueError(str(exc)) from None


def plural_forms_problem(nplurals: int, expr: str, locale: Locale, *,
                         max_chars: int = DEFAULT_LIMITS.plural_expr_chars) -> str | None:
    """Why ``nplurals``/``expr`` cannot serve ``locale``, or None.

    Evaluated for every n in 0..1000: each index must lie in 0..nplurals-1
    (a division by zero is a problem too), and numbers of two different CLDR
    plural categories of the language must never get one form (n = 0 aside:
    ``(n != 1)`` is the common gettext rule for languages where CLDR puts 0
    with 1) — unless the
    expression picks exactly the forms Babel's own expression for the
    language picks (Babel's table predates CLDR for a few languages).
    Babel's own expression is accepted whatever its length (Breton's and
    Cornish's are 326 and 472 characters); any other is held to ``max_chars``.
    """
    from babel.messages.catalog import Catalog as _Catalog

    reference = _Catalog(locale=locale)
    if nplurals == reference.num_plurals and " ".join(expr.split()) == " ".join(reference.plural_expr.split()):
        return None
    try:
        func = compile_plural(expr, max_chars=max_chars)
    except ValueError as exc:
        return f"Plural-Forms expression {expr!r} is not a valid gettext expression: {exc}"
    indices: list[int] = []
    for n in range(1001):
        try:
            index = func(n)
        except (ArithmeticError, ValueError) as exc:
            return f"Plural-Forms expression {expr!r} fails for n={n}: {exc}"
        if not 0 <= index < nplurals:
            return f"Plural-Forms expression {expr!r} gives form {index} for n={n}, outside 0..{nplurals - 1}"
        indices.append(index)
    owner: dict[int, tuple[str, int]] = {}
    for n, index in enumerate(indices):
        if n == 0:
            # Zero is where gettext traditions and CLDR part most often (GNU's and Poedit's
            # ``(n != 1)`` for Armenian, French or Portuguese puts 0 with the plural, CLDR with
            # "one"), and a brief's figures are rarely zero: that difference alone is accepted.
            continue
        category = locale.plural_form(n)
        first = owner.setdefault(index, (category, n))
        if first[0] != category:
            ref = gettext.c2py(reference.plural_expr)
            if reference.num_plurals == nplurals and all(ref(m) == i for m, i in enumerate(indices)):
                return None
            return (f"Plural-Forms expression {expr!r} gives {first[1]} (CLDR {first[0]!r}) and {n} "
                    f"(CLDR {category!r}) the same form {index}, but {locale} writes them differently")
    return None


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
    from babel.messages.catalog import Catalog as _Catalog

    declared = catalog.locale
    if declared is not None and declared.language != expected.language:
        raise CatalogError(
            f"header declares language {str(declared)!r} but the catalog is used for {str(expected)!r}",
            file=path, field="Language",
            hint="fix the 'Language:' header or move the file to the right folder",
        )
    reference = _Catalog(locale=expected)
    declared_plural = getattr(catalog, "_num_plurals", None)
    if declared_plural is not None and declared_plural != reference.num_plurals:
        raise CatalogError(
            f"header declares nplurals={declared_plural}, but {expected} has {reference.num_plurals} plural forms",
            file=path, field="Plural-Forms",
            hint=f"use 'Plural-Forms: {reference.plural_forms}'",
        )
    declared_expr = getattr(catalog, "_plural_expr", None)
    if declared_plural is not None and declared_expr is not None:
        problem = plural_forms_problem(declared_plural, declared_expr, expected, max_chars=limits.plural_expr_chars)
        if problem:
            raise CatalogError(problem, file=path, field="Plural-Forms",
                               hint=f"use 'Plural-Forms: {reference.plural_forms}'")
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
