"""Writing brief catalogs the way GNU gettext does, keeping what a file already says.

polib parses brief catalogs (:func:`polybrief.catalogs.po.parse_po`); this
module writes them, because polib's writer changes files that nobody asked
it to change (checked with polib 1.2.0):

* it wraps translator comments (``# ...``) at the wrap width, so a long
  comment comes back as several lines and a tool comparing comments adds it
  again on every run; GNU gettext never wraps comments;
* it does not wrap the lines of a multi-line string (GNU wraps each);
* it writes an empty header comment as a lone ``#`` and reorders unknown
  header fields alphabetically.

The promise kept here is the one translators need from a tool that shares
the file with Poedit, msgcat and msgmerge:

* an entry whose content did not change is written back with its original
  bytes (its wrapping, its comment lines), whoever wrote it;
* the header is written back with only ``PO-Revision-Date`` changed, so
  ``X-Generator``, ``X-Poedit-*``, custom ``X-`` fields,
  ``Report-Msgid-Bugs-To`` and a translator's ``Plural-Forms`` stay as they are;
* new or changed entries are wrapped like the rest of the file
  (:func:`detect_width`: GNU's 79 columns, Babel's 76, polib's 78, or not at
  all for ``msgcat --no-wrap`` files), breaking after spaces and between a
  hyphen and a letter, as GNU's line breaker does for prose.

Whether anything changed at all is the caller's decision (nothing is written
then, see :mod:`polybrief.catalogs.merge`).  Every text produced here is parsed
back and compared with what was meant before it reaches the disk.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from wcwidth import wcswidth

from ..errors import CatalogError
from .entry import Entry
from .po import PoFile, parse_po_text

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["GNU_WIDTH", "detect_width", "render_po", "render_entry", "now", "po_date", "revised", "in_utf8"]

GNU_WIDTH = 79
"""GNU gettext's default page width (msgcat, msgmerge, msgattrib; Poedit writes the same)."""

_KNOWN_WIDTHS = (76, 78, 79)


def _escape(text: str) -> str:
    # The escapes polib (and GNU) read back; other characters are written as they are.
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")
            .replace("\v", "\\v").replace("\b", "\\b").replace("\f", "\\f").replace('"', '\\"'))


def _columns(text: str) -> int:
    width = wcswidth(text)
    return width if width >= 0 else len(text)


_BREAK = re.compile(r"(?<= )|(?<=[^\W\d_]-)(?=[^\W\d_])|(?<=\.)(?=[^\W\d_])")


def _wrap(escaped: str, room: int) -> list[str]:
    """Cut one newline-free run of escaped text into pieces of at most ``room`` columns.

    Breaks fall after a space or after a hyphen between letters; a piece longer
    than ``room`` with no break in it stays whole (GNU does not cut words).
    """
    pieces = [p for p in _BREAK.split(escaped) if p]
    lines: list[str] = []
    current = ""
    for piece in pieces:
        if current and _columns(current + piece) > room:
            lines.append(current)
            current = piece
        else:
            current += piece
    if current or not lines:
        lines.append(current)
    return lines


def field_lines(prefix: str, keyword: str, text: str, width: int) -> list[str]:
    """``keyword "text"`` as PO lines, prefixed (``#~ ``, ``#| ``...), wrapped at ``width`` (0: no wrapping)."""
    runs = [_escape(run) for run in re.findall(r"[^\n]*\n|[^\n]+", text)] or [""]
    head = f"{prefix}{keyword} "
    if len(runs) == 1 and (width <= 0 or _columns(head) + _columns(runs[0]) + 2 <= width):
        return [f'{head}"{runs[0]}"']
    lines = [f'{head}""']
    for run in runs:
        chunks = [run] if width <= 0 else _wrap(run, width - _columns(prefix) - 2)
        lines.extend(f'{prefix}"{chunk}"' for chunk in chunks)
    return lines


def now() -> datetime:
    """The revision date to write: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def po_date(when: datetime) -> str:
    """A date as PO headers write it (``2024-05-01 12:00+0000``)."""
    return when.strftime("%Y-%m-%d %H:%M%z")


_CHARSET = re.compile(r"(charset\s*=\s*)[^\s;]+", re.I)


def revised(document: PoFile) -> list[tuple[str, str]]:
    """``document``'s header fields with ``PO-Revision-Date`` set to :func:`now` (and in UTF-8, see
    :func:`in_utf8`)."""
    return in_utf8([(k, po_date(now()) if k == "PO-Revision-Date" else v) for k, v in document.metadata.items()],
                   document)


def in_utf8(metadata: list[tuple[str, str]], document: PoFile) -> list[tuple[str, str]]:
    """``metadata`` with a charset other than UTF-8 replaced by UTF-8 when ``document`` was read in another:
    polybrief writes every file it rewrites in UTF-8."""
    if document.charset in ("utf-8", "ascii"):
        return metadata
    return [(k, _CHARSET.sub(lambda m: m.group(1) + "UTF-8", v) if k.strip().lower() == "content-type" else v)
            for k, v in metadata]


def render_entry(entry: Entry, width: int) -> str:
    """One entry in GNU's layout: comments, references, flags, previous fields, then the strings."""
    obsolete = entry.obsolete
    out: list[str] = []
    if entry.translator_comment:
        out.extend(f"# {line}".rstrip() if line else "#" for line in entry.translator_comment.split("\n"))
    if entry.comment and not obsolete:
        out.extend(f"#. {line}".rstrip() if line else "#." for line in entry.comment.split("\n"))
    if entry.occurrences and not obsolete:
        out.append("#: " + " ".join(f"{path}:{line}" if line else path for path, line in entry.occurrences))
    if entry.flags:
        out.append("#, " + ", ".join(entry.flags))
    previous = "#~| " if obsolete else "#| "
    for keyword, value in zip(("msgctxt", "msgid", "msgid_plural"), entry.previous):
        if value is not None:
            out.extend(field_lines(previous, keyword, value, width))
    prefix = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        out.extend(field_lines(prefix, "msgctxt", entry.msgctxt, width))
    out.extend(field_lines(prefix, "msgid", entry.msgid, width))
    if entry.msgid_plural:
        out.extend(field_lines(prefix, "msgid_plural", entry.msgid_plural, width))
        for index, form in entry.indexed_forms:
            out.extend(field_lines(prefix, f"msgstr[{index}]", form, width))
    else:
        out.extend(field_lines(prefix, "msgstr", entry.text, width))
    return "\n".join(out)


def _render_header(comment: str, fuzzy: bool, metadata: Iterable[tuple[str, str]], width: int) -> str:
    out = [f"# {line}".rstrip() if line else "#" for line in comment.split("\n")] if comment else []
    if fuzzy:
        out.append("#, fuzzy")
    out.append('msgid ""')
    out.extend(field_lines("", "msgstr", "".join(f"{key}: {value}\n" for key, value in metadata), width))
    return "\n".join(out)


def detect_width(text: str) -> int:
    """The wrap width a PO file was written with (0: not wrapped); GNU's 79 when it cannot tell.

    A line that ends a string piece without ``\\n`` and is followed by another
    piece was cut by wrapping: the longest such line bounds the width.  A
    file with long one-line strings and no wrapped ones was written unwrapped.
    """
    lines = text.split("\n")
    cut: list[int] = []
    longest = 0
    for line, following in zip(lines, lines[1:]):
        body = line[3:] if line.startswith(("#~ ", "#| ")) else line[4:] if line.startswith("#~| ") else line
        if not body.endswith('"'):
            continue
        longest = max(longest, _columns(line))
        next_body = following.lstrip("#~| ")
        if body.startswith('"') and next_body.startswith('"') and not body.endswith('\\n"') and body != '""':
            cut.append(_columns(line))
    if not cut:
        return 0 if longest > GNU_WIDTH else GNU_WIDTH
    widest = max(cut)
    return next((known for known in _KNOWN_WIDTHS if widest <= known), widest)


def _blocks(original: PoFile) -> tuple[str, dict[tuple[object, ...], str]]:
    """The original header text and each entry's original text, keyed by its content signature."""
    lines = original.text.split("\n")
    starts = [line for line in (entry.linenum for entry in original.entries) if line is not None]
    bounds = [*starts, len(lines) + 1]
    header = "\n".join(lines[: (starts[0] - 1) if starts else len(lines)]).rstrip("\n")
    blocks: dict[tuple[object, ...], str] = {}
    if len(starts) != len(original.entries) or starts != sorted(starts):
        return header, blocks
    for entry, start, end in zip(original.entries, bounds, bounds[1:]):
        blocks.setdefault(entry.signature, "\n".join(lines[start - 1: end - 1]).rstrip("\n"))
    return header, blocks


def render_po(
    entries: Sequence[Entry],
    *,
    metadata: Sequence[tuple[str, str]],
    header_comment: str,
    header_fuzzy: bool = False,
    original: PoFile | None = None,
    path: Path | None = None,
) -> str:
    """PO text for ``entries`` (live ones first, then obsolete ones) under the given header.

    With ``original``, unchanged entries keep their original text, the header
    keeps its original lines but for changed fields, and new text follows the
    original's wrap width.
    """
    width = detect_width(original.text) if original is not None and original.text else GNU_WIDTH
    text = _compose(entries, metadata, header_comment, header_fuzzy, original, width, reuse=True)
    if not _means(text, entries, metadata, header_comment):
        # The original text could not be reused faithfully (a hand-edited file whose entries
        # are not separated by blank lines, say): write everything afresh.
        text = _compose(entries, metadata, header_comment, header_fuzzy, original, width, reuse=False)
        if not _means(text, entries, metadata, header_comment):  # pragma: no cover - writer defect
            raise CatalogError("internal error: the catalog text written would not read back the same; "
                               "nothing was written", file=path)
    return text


def _compose(entries: Sequence[Entry], metadata: Sequence[tuple[str, str]], header_comment: str,
             header_fuzzy: bool, original: PoFile | None, width: int, *, reuse: bool) -> str:
    blocks: dict[tuple[object, ...], str] = {}
    header = None
    if reuse and original is not None and original.text:
        raw_header, blocks = _blocks(original)
        header = _reuse_header(raw_header, original, metadata, header_comment, header_fuzzy)
    if header is None:
        header = _render_header(header_comment, header_fuzzy, metadata, width)
    parts = [header]
    for entry in entries:
        raw = blocks.get(entry.signature)
        parts.append(raw if raw is not None else render_entry(entry, width))
    ending = "\n"
    if original is not None and original.text.endswith("\n"):
        ending = original.text[len(original.text.rstrip("\n")):]  # Babel ends files with a blank line
    return "\n\n".join(parts) + ending


def _reuse_header(raw: str, original: PoFile, metadata: Sequence[tuple[str, str]], comment: str,
                  fuzzy: bool) -> str | None:
    """The original header with changed field values replaced in place, or None to render it afresh."""
    old = list(original.metadata.items())
    if [k for k, _ in old] != [k for k, _ in metadata] or original.header_comment != comment \
            or original.header_fuzzy != fuzzy:
        return None
    out = raw
    for (key, old_value), (_, new_value) in zip(old, metadata):
        if old_value == new_value:
            continue
        line = re.compile(rf'^"{re.escape(key)}: {re.escape(_escape(old_value))}\\n"$', re.M)
        if len(line.findall(out)) != 1:
            return None  # the field is wrapped over several lines: render the header afresh
        out = line.sub(lambda _m: f'"{key}: {_escape(new_value)}\\n"', out)
    return out


def _means(text: str, entries: Sequence[Entry], metadata: Sequence[tuple[str, str]], comment: str) -> bool:
    """Whether ``text`` reads back as exactly these entries and this header."""
    try:
        parsed = parse_po_text(text, None)
    except CatalogError:
        return False
    return (list(parsed.metadata.items()) == list(metadata) and parsed.header_comment == comment
            and [e.signature for e in parsed.entries] == [e.signature for e in entries])
