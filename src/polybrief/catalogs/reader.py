"""Reading PO text: bytes in their declared charset, then one pass over the lines that parses and checks together.

Every catalog polybrief reads (brief catalogs, templates, UI catalogs) is
read here.  The rule is GNU ``msgfmt``'s: a file msgfmt compiles is read, a
file it refuses is refused, with the line (and, for a bad string, what is
wrong with it).  So:

* the text is decoded in the charset its header declares (ISO-8859-x,
  KOI8-R, Big5, EUC-JP, ...; UTF-8 when none is declared or the name is a
  placeholder such as ``CHARSET``), and re-encoded as UTF-8 only when
  polybrief rewrites the file (:mod:`polybrief.catalogs.writer`).  A charset
  Python does not know is read as UTF-8 if the bytes allow it (msgfmt only
  warns about such names); charsets that do not keep ASCII as ASCII (UTF-16,
  UTF-7) are refused, as msgfmt refuses them;
* strings are decoded as msgfmt decodes them: ``\\n \\t \\b \\r \\f \\v \\a
  \\\\ \\"``, octal ``\\320\\237`` (up to three digits) and hex ``\\x41`` escapes,
  the last two as *bytes* of the file's charset (``\\320\\237`` is "П" in a
  UTF-8 file); any other escape is refused, as are a NUL or EOT character
  (msgfmt cuts a string at NUL and uses EOT as its context separator);
* flags lines are read with or without a space (``#,fuzzy``), keywords may be
  indented or followed by tabs, lines may end with CR LF;
* what msgfmt refuses is refused with its line: a string that is not one
  complete quoted string (polib and Babel both truncate an unterminated
  ``msgstr "...`` silently), an unknown keyword, a missing ``msgstr``, plural
  forms out of order, ``#~`` on only some lines of an entry, and duplicate
  entries (same ``msgctxt`` and ``msgid``: Babel keeps the first and polib
  the last, each dropping the other's translation without a word).

Why not polib (or Babel) behind a lint, as before: the lint read every line
a second time and cost as much as polib's own parse (10.5 MB: 9.9 s against
polib's 5.3 s); polib reads escapes literally, splits lines on U+2028 and
form feeds inside strings, skips ``#~|`` lines, says "syntax error" without
a line for ``#,fuzzy``, and needs about 60 times the file's size in memory.
One pass over ``text.split("\\n")`` with precompiled patterns does all of it
(see ``bench/catalogs.py`` for the measured ratio against polib).  The
compiled ``rspolib`` 0.1.2 (Rust's polib) was measured too: about ten times
faster than polib on 10 MB, but it refuses octal escapes (``\\320\\237``) and
CP1251, EUC-JP and Big5 files, and reads KOI8-R and ISO-8859-1 files as empty,
so it does not read what msgfmt reads.  The
entries are :class:`Record` objects with ``__slots__``: the fields polib's
``POEntry`` had, so :class:`~polybrief.catalogs.entry.Entry` reads them the
same way.

Header values (charset, ``Language``, ``Plural-Forms``) are interpreted in
:mod:`polybrief.catalogs.header`.
"""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from ..errors import CatalogError

__all__ = ["Record", "ParsedPo", "decode_po", "parse_records", "metadata_of"]

log = logging.getLogger(__name__)


class Record:
    """The fields of one PO entry as the file spells them (the reader makes these; ``Entry`` reads them).

    ``msgid_plural`` is ``""`` for a singular entry; ``msgstr_plural`` maps
    each form index to its text; ``tcomment`` and ``comment`` are the
    translator (``#``) and extracted (``#.``) comment lines joined with
    ``\\n``; ``linenum`` is the entry's first line in the file it was read
    from and ``msgid_line`` the line of its ``msgid``.
    """

    __slots__ = ("msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_plural", "flags", "tcomment", "comment",
                 "occurrences", "previous_msgctxt", "previous_msgid", "previous_msgid_plural", "obsolete",
                 "linenum", "msgid_line")

    def __init__(self, linenum: int | None = None) -> None:
        self.msgctxt: str | None = None
        self.msgid = ""
        self.msgid_plural = ""
        self.msgstr = ""
        self.msgstr_plural: dict[int, str] = {}
        self.flags: list[str] = []
        self.tcomment = ""
        self.comment = ""
        self.occurrences: list[tuple[str, str]] = []
        self.previous_msgctxt: str | None = None
        self.previous_msgid: str | None = None
        self.previous_msgid_plural: str | None = None
        self.obsolete = False
        self.linenum = linenum
        self.msgid_line = linenum

    def copy(self) -> Record:
        """An independent copy (its lists and forms copied too)."""
        other = Record.__new__(Record)
        for name in Record.__slots__:
            setattr(other, name, getattr(self, name))
        other.msgstr_plural = dict(self.msgstr_plural)
        other.flags = list(self.flags)
        other.occurrences = list(self.occurrences)
        return other


class ParsedPo:
    """What :func:`parse_records` found: the header entry (if any) and every other entry, in file order."""

    __slots__ = ("header", "records")

    def __init__(self, header: Record | None, records: list[Record]) -> None:
        self.header = header
        self.records = records


# -- bytes to text ----------------------------------------------------------------------------

_CHARSET = re.compile(rb'charset\s*=\s*"?([A-Za-z0-9_.:+-]{1,40})', re.I)
#: Names that mean "not filled in": read as UTF-8 (msgfmt warns and reads the bytes as they are).
_PLACEHOLDER_CHARSETS = frozenset({"charset", "unknown", ""})
_ASCII = bytes(range(9, 14)) + bytes(range(32, 127))


def _header_charset(data: bytes) -> str | None:
    """The charset the header entry declares, read from the raw bytes (the header is ASCII in every charset
    msgfmt accepts): the ``Content-Type`` of the first ``msgid ""`` entry, even wrapped over lines."""
    start = re.search(rb'^[ \t]*msgid[ \t]+""[ \t\r]*$', data[:1 << 20], re.M)
    if start is None:
        return None
    value = bytearray()
    for line in data[start.end():start.end() + 65536].split(b"\n")[1:]:
        line = line.strip()
        if line.startswith(b"msgstr"):
            line = line[6:].strip()
        if not line.startswith(b'"'):
            if value:
                break
            continue
        value += line.strip(b'"')
    text = bytes(value).replace(b"\\n", b"\n")
    for row in text.split(b"\n"):
        if row.lower().lstrip().startswith(b"content-type"):
            found = _CHARSET.search(row)
            return found.group(1).decode("ascii").lower() if found else None
    return None


def _codec(name: str) -> str | None:
    """Python's codec for a charset name, or None when it has none or it does not keep ASCII as ASCII."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if info.name in ("utf-7", "unicode-escape", "raw-unicode-escape", "idna", "punycode") or \
            info.name.startswith(("utf-16", "utf-32")):
        return None
    try:
        if _ASCII.decode(info.name) != _ASCII.decode("ascii"):
            return None
    except (UnicodeDecodeError, LookupError):
        return None
    return info.name


def decode_po(data: bytes, path: Path | None) -> tuple[str, str]:
    """``(text, codec)``: ``data`` decoded in the charset its header declares (see the module docstring)."""
    declared = _header_charset(data)
    codec = "utf-8"
    if declared is not None and declared not in _PLACEHOLDER_CHARSETS:
        found = _codec(declared)
        if found is not None:
            codec = found
        elif _is_known_name(declared):
            raise CatalogError(f"header declares charset {declared!r}, which does not keep ASCII as ASCII "
                               "(msgfmt refuses such files too)", file=path, field="Content-Type",
                               hint="save the catalog as UTF-8 with 'Content-Type: text/plain; charset=UTF-8'")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if declared is not None and codec == "utf-8" and declared not in _PLACEHOLDER_CHARSETS \
                and declared.replace("-", "") != "utf8":
            raise CatalogError(f"header declares charset {declared!r}, which polybrief does not know, and the "
                               "file is not UTF-8", file=path, line=line, field="Content-Type",
                               hint="save the catalog as UTF-8 with 'Content-Type: text/plain; charset=UTF-8'") \
                from None
        what = "not UTF-8" if codec == "utf-8" else f"not valid {declared} (the charset its header declares)"
        raise CatalogError(what, file=path, line=line,
                           hint="save the catalog as UTF-8, or declare the charset it is written in") from None
    if codec == "utf-8" and declared is not None and declared not in _PLACEHOLDER_CHARSETS \
            and _codec(declared) is None:
        log.warning("%s: header declares charset %r, which polybrief does not know; read as UTF-8", path, declared)
    return text, codec


def _is_known_name(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


# -- one pass over the lines --------------------------------------------------------------------

_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"[ \t\r\f\v]*')
_ESCAPE = re.compile(r'\\(?:([ntbrfva\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.|$))', re.S)
_SIMPLE = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", '"': '"'}
_WHITE = " \t\r\f\v"
_KEYWORDS = frozenset({"msgctxt", "msgid", "msgid_plural", "msgstr"})
_PLURAL_KEY = re.compile(r"msgstr\[(\d{1,4})\]")


def _fail(message: str, path: Path | None, line: int, hint: str = "fix the entry or re-save the file in a PO editor"
          ) -> CatalogError:
    return CatalogError(f"PO syntax error: {message}", file=path, line=line, hint=hint)


def _inner(rest: str, path: Path | None, number: int) -> str:
    """The escaped text of a line that must be one quoted string (and trailing blanks), else an error."""
    rest = rest.rstrip(_WHITE)
    inner = rest[1:-1]
    if len(rest) < 2 or rest[-1] != '"' or ('"' in inner or "\\" in inner) and _STRING.fullmatch(rest) is None:
        raise _fail("malformed or unterminated string", path, number,
                    hint='each msgid/msgstr line must hold one complete "quoted string"')
    return inner


def _unescape(raw: str, codec: str, path: Path | None, line: int) -> str:
    """A string's text from its escaped form, as msgfmt decodes it (see the module docstring)."""
    if "\\" not in raw:
        return raw
    pieces: list[str | bytes] = []
    has_bytes = False
    end = 0
    for match in _ESCAPE.finditer(raw):
        if match.start() > end:
            pieces.append(raw[end:match.start()])
        simple, octal, hexa, other = match.groups()
        if simple is not None:
            pieces.append(_SIMPLE[simple])
        elif octal is not None or hexa is not None:
            pieces.append(bytes([int(octal, 8) & 0xFF if octal is not None else int(hexa, 16) & 0xFF]))
            has_bytes = True
        else:
            shown = "\\" + other if other else "a backslash at the end of the string"
            raise _fail(f"invalid escape {shown!r} (msgfmt knows \\n \\t \\b \\r \\f \\v \\a \\\\ \\\" and octal "
                        "or \\x hex escapes)", path, line, hint='write a backslash as \\\\ and a quote as \\"')
        end = match.end()
    pieces.append(raw[end:])
    if not has_bytes:
        return "".join(p for p in pieces if isinstance(p, str))
    try:
        return b"".join(p if isinstance(p, bytes) else p.encode(codec) for p in pieces).decode(codec)
    except (UnicodeDecodeError, UnicodeEncodeError):
        raise _fail(f"its octal or hex escapes make bytes that are not valid {codec}", path, line,
                    hint="write the characters themselves instead of escapes") from None


def _references(text: str) -> list[tuple[str, str]]:
    """``#:`` references as polib reads them: ``file:line`` pairs, a bare name with no line."""
    out = []
    for occurrence in text.split():
        name, sep, number = occurrence.rpartition(":")
        out.append((name, number) if sep and number.isdigit() else (occurrence, ""))
    return out


class _Parser:
    """The state of one pass: the entry being read, its current field and the strings of that field."""

    def __init__(self, codec: str, path: Path | None) -> None:
        self.codec, self.path = codec, path
        self.records: list[Record] = []
        self.rec: Record | None = None
        self.phase = 0  # 0: before msgid, 1: after msgid, 2: after msgstr (a comment or keyword starts the next)
        self.field: str | int | None = None  # where the next string goes; an int is a plural form index
        self.previous = False  # the field is a previous one (#|)
        self.parts: list[str] = []
        self.field_line = 0
        self.obsolete: bool | None = None
        self.tcomments: list[str] = []  # the current entry's translator comment lines
        self.comments: list[str] = []  # and its extracted comment lines

    def entry(self, number: int) -> Record:
        """The entry a comment or keyword on line ``number`` belongs to (a new one after a complete entry)."""
        if self.phase == 2:
            self.finish()
        if self.rec is None:
            self.rec = Record(number)
        return self.rec

    def close_field(self) -> None:
        field, rec = self.field, self.rec
        if field is None or rec is None:
            return
        text = _unescape("".join(self.parts), self.codec, self.path, self.field_line)
        if "\x00" in text or "\x04" in text:
            raise _fail("a NUL or EOT character in a string (msgfmt cuts the string there, or reads it as a "
                        "context separator)", self.path, self.field_line)
        if isinstance(field, int):
            rec.msgstr_plural[field] = text
        elif self.previous:
            setattr(rec, f"previous_{field}", text)
        else:
            setattr(rec, field, text)
        self.field, self.parts = None, []

    def finish(self, *, end: bool = False) -> None:
        """The entry is complete: check that it has a msgstr and keep it (``end``: the file ended)."""
        self.close_field()
        rec = self.rec
        if rec is None:
            return
        if end and self.phase == 0 and rec.msgctxt is None and rec.previous_msgid is None \
                and rec.previous_msgctxt is None:
            self.rec = None  # comments after the last entry: msgfmt ignores them
            return
        if self.phase == 0:
            line = rec.msgid_line if rec.msgid_line is not None else rec.linenum or 0
            raise _fail("comments or msgctxt without a msgid", self.path, line)
        if self.phase == 1:
            raise _fail("missing msgstr", self.path, rec.msgid_line or 0)
        rec.obsolete = bool(self.obsolete)
        if self.tcomments:
            rec.tcomment, self.tcomments = "\n".join(self.tcomments), []
        if self.comments:
            rec.comment, self.comments = "\n".join(self.comments), []
        self.records.append(rec)
        self.rec, self.phase, self.obsolete = None, 0, None

    def string(self, rest: str, number: int) -> None:
        """One quoted string (``rest`` starts with its quote): its escaped text goes to the current field."""
        inner = _inner(rest, self.path, number)
        if self.field is None:
            raise _fail("a string with no keyword before it", self.path, number)
        self.parts.append(inner)

    def keyword(self, keyword: str, rest: str, number: int, obsolete: bool) -> None:
        """A ``msgctxt``/``msgid``/``msgid_plural``/``msgstr``/``msgstr[N]`` line of a live or obsolete entry."""
        if keyword == "msgctxt" or keyword == "msgid":
            rec = self.entry(number)
            if self.phase == 1:
                raise _fail(f"missing msgstr (line {number} starts another entry)", self.path,
                            rec.msgid_line or number)
            if keyword == "msgctxt" and (self.field == "msgctxt" and not self.previous or rec.msgctxt is not None):
                raise _fail("two msgctxt in one entry", self.path, number)
            if keyword == "msgid":
                rec.msgid_line, self.phase = number, 1
        elif self.rec is None or self.phase == 0:
            raise _fail(f"{keyword} without a msgid", self.path, number)
        current = self.rec
        assert current is not None  # made above, or there already
        if self.obsolete is None:
            self.obsolete = obsolete
        elif self.obsolete != obsolete:
            raise _fail("inconsistent use of #~ (some lines of the entry are obsolete, some are not)",
                        self.path, number)
        self.close_field()
        self.previous, self.field_line = False, number
        if keyword in ("msgctxt", "msgid"):
            self.field = keyword
        elif keyword == "msgid_plural":
            if self.phase != 1 or current.msgid_plural:
                raise _fail("msgid_plural where it cannot be", self.path, number)
            self.field = keyword
        elif keyword == "msgstr":
            if current.msgid_plural:
                raise _fail("an entry with msgid_plural needs msgstr[0], msgstr[1]...", self.path, number)
            if self.phase == 2:
                raise _fail("two msgstr in one entry", self.path, number)
            self.field, self.phase = keyword, 2
        else:
            index = _PLURAL_KEY.fullmatch(keyword)
            if index is None:
                raise _fail(f"unknown keyword {keyword!r}", self.path, number)
            if not current.msgid_plural:
                raise _fail(f"{keyword} in an entry without msgid_plural", self.path, number)
            if int(index.group(1)) != len(current.msgstr_plural):
                raise _fail(f"plural form {keyword} out of order (expected msgstr[{len(current.msgstr_plural)}])",
                            self.path, number)
            self.field, self.phase = int(index.group(1)), 2
            current.msgstr_plural[self.field] = ""
        self.string(rest, number)

    def previous_line(self, rest: str, number: int) -> None:
        """A ``#|`` (or ``#~|``) line: a previous msgctxt/msgid/msgid_plural, or a string continuing one."""
        rest = rest.lstrip(_WHITE)
        if rest.startswith('"'):
            if not self.previous:
                raise _fail("a #| string with no previous keyword before it", self.path, number)
            self.string(rest, number)
            return
        keyword, value = _keyword(rest)
        if keyword not in ("msgctxt", "msgid", "msgid_plural"):
            raise _fail(f"unknown keyword {keyword!r} in a #| line", self.path, number)
        if self.phase == 1:
            raise _fail("missing msgstr (a #| line between msgid and msgstr)", self.path, number)
        self.entry(number)
        self.close_field()
        self.field, self.previous, self.field_line = keyword, True, number
        self.string(value.lstrip(_WHITE), number)


def _keyword(line: str) -> tuple[str, str]:
    """``(keyword, the rest)`` of a keyword line, split at the first run of blanks (spaces or tabs)."""
    parts = line.split(None, 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0] if parts else "", "")


def parse_records(text: str, path: Path | None, *, codec: str = "utf-8") -> ParsedPo:
    """Every entry of PO ``text`` (decoded with ``codec``), checked as the module docstring says."""
    parser = _Parser(codec, path)
    for number, line in enumerate(text.split("\n"), start=1):
        first = line[:1]
        if first in _WHITE and first:
            line = line.lstrip(_WHITE)
            first = line[:1]
        if not first:
            continue  # a blank line: entries end where the next one starts, as msgfmt reads them
        if first == '"':
            inner = line[1:-1]  # the usual continuation line: no quote or backslash inside, nothing after it
            if line[-1:] == '"' and len(line) > 1 and '"' not in inner and "\\" not in inner \
                    and parser.field is not None:
                parser.parts.append(inner)
            else:
                parser.string(line, number)
        elif first == "#":
            _comment(parser, line, number)
        else:
            keyword, rest = _keyword(line)
            if keyword not in _KEYWORDS and not keyword.startswith("msgstr["):
                raise _fail(f"unknown keyword {keyword[:40]!r}", path, number)
            parser.keyword(keyword, rest.lstrip(_WHITE), number, False)
    parser.finish(end=True)
    return _split_header(parser.records, path)


def _comment(parser: _Parser, line: str, number: int) -> None:
    """One line that starts with ``#``: an obsolete entry's line, a previous field, flags, references or a comment."""
    second = line[1:2]
    if second == "~":
        rest = line[2:]
        if rest[:1] == "|":
            parser.previous_line(rest[1:], number)
            return
        rest = rest.lstrip(_WHITE)
        if not rest:
            return
        if rest[0] == '"':
            parser.string(rest, number)
            return
        keyword, value = _keyword(rest)
        if keyword in _KEYWORDS or keyword.startswith("msgstr["):
            parser.keyword(keyword, value.lstrip(_WHITE), number, True)
        return  # any other "#~" line is a comment msgfmt ignores
    if second == "|":
        parser.previous_line(line[2:], number)
        return
    if parser.phase == 1:
        raise _fail("missing msgstr (a comment between msgid and msgstr)", parser.path, number)
    rec = parser.entry(number)
    parser.close_field()
    if second == ",":
        rec.flags += [flag for flag in (part.strip(_WHITE) for part in line[2:].split(",")) if flag]
    elif second == ".":
        text = line[2:]
        parser.comments.append(text[1:] if text[:1] == " " else text)
    elif second == ":":
        rec.occurrences += _references(line[2:])
    else:
        text = line[1:]
        parser.tcomments.append(text[1:] if text[:1] == " " else text)


def _split_header(records: list[Record], path: Path | None) -> ParsedPo:
    """The header entry (the first live one with an empty msgid and no context) apart, duplicates refused."""
    header: Record | None = None
    seen: dict[tuple[str | None, str], Record] = {}
    entries: list[Record] = []
    for rec in records:
        if header is None and rec.msgid == "" and rec.msgctxt is None and not rec.obsolete:
            header = rec
            continue
        key = (rec.msgctxt, rec.msgid)  # an obsolete entry may not repeat a live one either (msgfmt)
        first = seen.setdefault(key, rec)
        if first is not rec:
            label = f"msgctxt {rec.msgctxt!r}" if rec.msgctxt is not None else f"msgid {rec.msgid!r}"
            kind = "obsolete entry" if rec.obsolete else "entry"
            raise CatalogError(
                f"duplicate {kind}: the same {'msgctxt and msgid' if rec.msgctxt is not None else 'msgid'} "
                f"appears at lines {first.msgid_line} and {rec.msgid_line}",
                file=path, line=rec.msgid_line, field=label,
                hint="keep one of them (merge the translations by hand); msgfmt refuses duplicates too",
            )
        entries.append(rec)
    return ParsedPo(header, entries)


def metadata_of(header: Record | None) -> dict[str, str]:
    """The header entry's fields, in file order, as polib reads them (a line without ``:`` continues the
    previous field's value)."""
    fields: dict[str, str] = {}
    if header is None:
        return fields
    lines = header.msgstr.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    key: str | None = None
    for row in lines:
        name, sep, value = row.partition(":")
        if sep:
            key = name
            fields[key] = value.strip()
        elif key is not None:
            fields[key] += "\n" + row.strip()
    return fields
