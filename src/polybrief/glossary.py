"""Per-project terminology: the words every translation must get the same way.

A glossary maps a source term to what it must become in each target
language, or says it must stay untranslated (names of agencies, products,
places with an official spelling).  Machine translation uses it to protect
terms before the model sees them (:mod:`polybrief.mt.protect`); QA checks use
it to flag human translations that drift.

Two file formats are read:

CSV
    header ``source`` and one column per target locale (``source,hy,az,ru``),
    plus an optional ``note``.  A cell holding a term is the required target
    term; ``=`` means "keep the source term"; an empty cell means no rule.
TBX
    basic TBX (TBX-Basic 2.0 ``termEntry/langSet/tig/term`` or TBX 3
    ``conceptEntry/langSec/termSec/term``).  A target term equal to the
    source term means "keep".  Documents with a DTD or entity declarations
    are refused: terminology never needs them and they are how XML files
    attack parsers.

Errors are :class:`~polybrief.errors.GlossaryError` naming the file and line.
"""

from __future__ import annotations

import csv
import io
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from .cldr import LANGUAGE_TAG, primary_subtag
from .errors import GlossaryError
from .fs import read_regular_file
from .limits import DEFAULT_LIMITS, Limits

__all__ = [
    "KEEP",
    "Glossary",
    "GlossaryEntry",
    "TermRule",
    "load_glossary",
    "read_glossary_csv",
    "read_glossary_tbx",
]

#: The CSV cell that means "do not translate: keep the source term".
KEEP = "="

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _norm_locale(tag: str) -> str:
    return tag.strip().replace("_", "-").lower()


@dataclass(frozen=True, slots=True)
class TermRule:
    """What one source term must become in one target language.

    ``keep`` means the source term stays as written; ``target`` then equals
    ``source``.  ``ignore_case`` is true for all-lowercase source terms, which
    should also match at the start of a sentence.
    """

    source: str
    target: str
    keep: bool = False
    note: str | None = None

    @property
    def ignore_case(self) -> bool:
        return self.source == self.source.lower()


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """One source term and its rules per target locale (``None``: keep the source term)."""

    source: str
    targets: Mapping[str, str | None]
    note: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Glossary:
    """All entries of one glossary file, looked up per target language.

    Parsed once per run (a :class:`~polybrief.Project`'s ``glossary``), then asked per locale:

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "terms.csv")
    ...     _ = path.write_text("source,ru\\nAFP,=\\nNagorno-Karabakh,Нагорный Карабах\\n", encoding="utf-8")
    ...     glossary = polybrief.load_glossary(path)
    >>> [(rule.source, rule.target, rule.keep) for rule in glossary.rules_for("ru")]
    [('Nagorno-Karabakh', 'Нагорный Карабах', False), ('AFP', 'AFP', True)]
    """

    entries: tuple[GlossaryEntry, ...] = ()
    source_language: str = "en"
    file: str | None = field(default=None, compare=False)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[GlossaryEntry]:
        return iter(self.entries)

    @property
    def locales(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for entry in self.entries:
            seen.update(dict.fromkeys(entry.targets))
        return tuple(seen)

    def rules_for(self, target: str) -> list[TermRule]:
        """Rules for ``target``, longest source term first (so the longest match wins).

        A column ``hy-AM`` serves a request for ``hy`` and the other way
        round; an exact column is preferred when both exist.
        """
        wanted = _norm_locale(target)
        primary = primary_subtag(wanted)
        rules = []
        for entry in self.entries:
            keys = list(entry.targets)
            key = next((k for k in keys if _norm_locale(k) == wanted), None)
            if key is None:
                key = next((k for k in keys if primary_subtag(k) == primary), None)
            if key is None:
                continue
            value = entry.targets[key]
            if value is None:
                rules.append(TermRule(entry.source, entry.source, keep=True, note=entry.note))
            else:
                rules.append(TermRule(entry.source, value, keep=False, note=entry.note))
        rules.sort(key=lambda r: (-len(r.source), r.source))
        return rules


# --------------------------------------------------------------------------- CSV


@dataclass(frozen=True, slots=True)
class _CsvColumns:
    """What a CSV glossary's header row says: its width and which column holds what."""

    count: int
    source: int
    note: int | None
    locales: Mapping[int, str]


def read_glossary_csv(fileobj: IO[str], *, name: str = "<glossary>", source_language: str = "en") -> Glossary:
    """Read a CSV glossary from a text stream (``name`` is used in error messages)."""
    reader = csv.reader(fileobj)
    try:
        header = next(reader)
    except StopIteration:
        raise GlossaryError("empty glossary: expected a header such as 'source,hy,az,ru'", file=name, line=1) from None
    except csv.Error as exc:
        raise GlossaryError(f"not valid CSV: {exc}", file=name, line=1) from None
    columns = _csv_columns(header, name)
    entries: list[GlossaryEntry] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                entries.append(_csv_entry(row, columns, name, reader.line_num, seen))
    except csv.Error as exc:
        raise GlossaryError(f"not valid CSV: {exc}", file=name, line=reader.line_num) from None
    return Glossary(entries=tuple(entries), source_language=source_language, file=name)


def _csv_columns(header: list[str], name: str) -> _CsvColumns:
    columns = [h.strip().lstrip("\ufeff").strip() for h in header]
    lowered = [c.lower() for c in columns]
    if "source" not in lowered:
        raise GlossaryError("the header has no 'source' column", file=name, line=1,
                            hint="the first row must name the columns, e.g. source,hy,az,ru,note")
    source_col = lowered.index("source")
    note_col = lowered.index("note") if "note" in lowered else None
    locale_cols: dict[int, str] = {}
    for index, column in enumerate(columns):
        if index in (source_col, note_col):
            continue
        if not LANGUAGE_TAG.match(column):
            raise GlossaryError(f"column {column!r} is not a locale such as 'hy' or 'ru-RU'", file=name, line=1)
        if column in locale_cols.values():
            raise GlossaryError(f"column {column!r} appears twice", file=name, line=1)
        locale_cols[index] = column
    if not locale_cols:
        raise GlossaryError("the header names no target locale column", file=name, line=1)
    return _CsvColumns(len(columns), source_col, note_col, locale_cols)


def _csv_entry(row: list[str], columns: _CsvColumns, name: str, line: int, seen: dict[str, int]) -> GlossaryEntry:
    """One non-blank row as an entry (``seen``: the line of each source term so far, updated)."""
    if len(row) > columns.count:
        raise GlossaryError(f"{len(row)} cells but the header has {columns.count}", file=name, line=line)
    cells = [c.strip() for c in row] + [""] * (columns.count - len(row))
    source = cells[columns.source]
    if not source:
        raise GlossaryError("the 'source' cell is empty", file=name, line=line, field="source")
    if source in seen:
        raise GlossaryError(f"term {source!r} already defined on line {seen[source]}", file=name,
                            line=line, field="source")
    seen[source] = line
    targets: dict[str, str | None] = {}
    for index, locale in columns.locales.items():
        value = cells[index]
        if value == KEEP:
            targets[locale] = None
        elif value:
            if "\n" in value:
                raise GlossaryError("a term cannot span lines", file=name, line=line, field=locale)
            targets[locale] = value
    note = cells[columns.note] if columns.note is not None and cells[columns.note] else None
    return GlossaryEntry(source=source, targets=targets, note=note, line=line)


# --------------------------------------------------------------------------- TBX


class _LineTreeBuilder:
    """Build an ElementTree with expat directly, refusing DTDs and recording line numbers."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.builder = ET.TreeBuilder()
        self.lines: dict[int, int] = {}
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self.builder.data
        self.parser.StartDoctypeDeclHandler = self._refuse
        self.parser.EntityDeclHandler = self._refuse
        self.parser.ExternalEntityRefHandler = self._refuse  # type: ignore[assignment]
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def _refuse(self, *args: Any) -> None:
        raise GlossaryError("TBX files with a DTD or entity declarations are refused", file=self.name,
                            line=self.parser.CurrentLineNumber,
                            hint="remove the <!DOCTYPE ...> declaration")

    @staticmethod
    def _qname(tag: str) -> str:
        return "{" + tag if "}" in tag else tag

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        element = self.builder.start(self._qname(tag), {self._qname(k): v for k, v in attrs.items()})
        self.lines[id(element)] = self.parser.CurrentLineNumber

    def _end(self, tag: str) -> None:
        self.builder.end(self._qname(tag))

    def parse(self, data: bytes) -> tuple[ET.Element, dict[int, int]]:
        try:
            self.parser.Parse(data, True)
        except expat.ExpatError as exc:
            raise GlossaryError(f"not well-formed XML: {expat.ErrorString(exc.code)}", file=self.name,
                                line=exc.lineno) from None
        return self.builder.close(), self.lines


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, *names: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) in names]


def _text(element: ET.Element) -> str:
    return "".join(element.itertext()).strip()


def read_glossary_tbx(fileobj: IO[bytes], *, name: str = "<glossary>", source_language: str | None = None) -> Glossary:
    """Read a TBX glossary from a binary stream.

    The source language is ``source_language``, else the ``source`` of a
    TBX-Min ``<languages>`` header, else the root ``xml:lang``, else ``en``.
    """
    root, lines = _LineTreeBuilder(name).parse(fileobj.read())
    if _local(root.tag).lower() not in ("tbx", "martif"):
        raise GlossaryError(f"root element <{_local(root.tag)}> is not <tbx>", file=name, line=1)
    src = source_language if source_language is not None else _tbx_source_language(root)
    entries: list[GlossaryEntry] = []
    seen: dict[str, int] = {}
    for concept in (e for e in root.iter() if _local(e.tag) in ("termEntry", "conceptEntry", "entry")):
        line = lines.get(id(concept))
        terms = _tbx_terms(concept, lines, name)
        source_key = _source_key(terms, src)
        if source_key is None:
            raise GlossaryError(f"entry has no term in the source language {src!r}", file=name, line=line)
        source = terms.pop(source_key)
        if source in seen:
            raise GlossaryError(f"term {source!r} already defined on line {seen[source]}", file=name, line=line)
        seen[source] = line or 0
        notes = [_text(n) for n in concept.iter() if _local(n.tag) in ("note", "descrip") and _text(n)]
        targets: dict[str, str | None] = {k: (None if v == source else v) for k, v in terms.items()}
        entries.append(GlossaryEntry(source=source, targets=targets, note="; ".join(notes) or None, line=line))
    return Glossary(entries=tuple(entries), source_language=src, file=name)


def _tbx_source_language(root: ET.Element) -> str:
    """The ``source`` of a TBX-Min ``<languages>`` header, else the root ``xml:lang``, else ``en``."""
    languages = next((e for e in root.iter() if _local(e.tag) == "languages"), None)
    return (languages.get("source") if languages is not None else None) or root.get(_XML_LANG) or "en"


def _tbx_terms(concept: ET.Element, lines: Mapping[int, int], name: str) -> dict[str, str]:
    """The first term of each language of one concept entry, by language tag as written."""
    terms: dict[str, str] = {}
    for lang_set in _children(concept, "langSet", "langSec", "langGroup"):
        line = lines.get(id(lang_set))
        lang = lang_set.get(_XML_LANG) or lang_set.get("lang")
        if not lang:
            raise GlossaryError("langSet without xml:lang", file=name, line=line)
        if not LANGUAGE_TAG.match(lang):
            raise GlossaryError(f"xml:lang {lang!r} is not a locale", file=name, line=line)
        term_elements = [t for t in lang_set.iter() if _local(t.tag) == "term"]
        if not term_elements or not _text(term_elements[0]):
            raise GlossaryError(f"no term for language {lang!r}", file=name, line=line)
        terms.setdefault(lang, _text(term_elements[0]))
    return terms


def _source_key(terms: Mapping[str, str], source_language: str) -> str | None:
    """The language tag among ``terms`` that is the source language (exactly, else by primary subtag)."""
    wanted = _norm_locale(source_language)
    exact = next((k for k in terms if _norm_locale(k) == wanted), None)
    return exact if exact is not None else next((k for k in terms if primary_subtag(k) == primary_subtag(wanted)),
                                                None)


# --------------------------------------------------------------------------- files


def load_glossary(path: str | os.PathLike[str], *, source_language: str | None = None,
                  limits: Limits = DEFAULT_LIMITS) -> Glossary:
    """Read a glossary file, choosing the format by extension (``.csv``; ``.tbx``/``.xml``).

    Only a regular file of at most ``limits.glossary_bytes`` is read (a FIFO would block forever).

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "terms.csv")
    ...     _ = path.write_text("source,hy,ru\\nAFP,=,=\\n", encoding="utf-8")
    ...     project = polybrief.Project(glossary=polybrief.load_glossary(path))
    >>> len(project.glossary), project.glossary.locales
    (1, ('hy', 'ru'))
    """
    path = Path(path)
    suffix = path.suffix.lower()
    data = read_regular_file(path, max_bytes=limits.glossary_bytes, error=GlossaryError, what="glossary",
                             limit_name="glossary_bytes")
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise GlossaryError(f"not UTF-8 text (byte {exc.start})", file=path) from None
        return read_glossary_csv(io.StringIO(text, newline=""), name=str(path),
                                 source_language=source_language or "en")
    if suffix in (".tbx", ".xml"):
        return read_glossary_tbx(io.BytesIO(data), name=str(path), source_language=source_language)
    raise GlossaryError(f"unknown glossary format {suffix or '(no extension)'!r}", file=path,
                        hint="use a .csv or .tbx file")
