"""Bounded JSON parsing for every JSON file polybrief reads.

The standard library's ``json`` is used for the parsing itself; this module
adds what it lacks for untrusted files, each measured on Python 3.11:

* nesting: ``json.loads`` recurses per level and raises ``RecursionError``
  (a traceback) on ``[[[[…`` a few thousand deep; the depth is measured first
  with one regular-expression pass (skipped outright when the text does not
  even hold that many brackets) and refused past ``Limits.nesting_depth``;
* long integers: ``int()`` refuses more than 4,300 digits with a bare
  ``ValueError``, and ``str()`` of such a number fails the same way later;
  integers are held to ``Limits.number_digits``;
* ``NaN`` and ``Infinity``, which are not JSON: refused;
* duplicate keys, which ``json`` resolves silently in favour of the last one:
  refused, as the YAML loader refuses them, so a brief means the same thing
  in either format.

Every problem is raised as the caller's :class:`~polybrief.errors.PolybriefError`
subclass, naming the file and line.

Why not a faster parser: orjson (and simdjson) cap nesting on their own but
expose neither an ``object_pairs_hook`` nor a ``parse_int`` hook, so they can
neither refuse duplicate keys nor bound integer literals; and the files read
here are small (metadata, vocabularies, indexes, briefs), where ``json`` costs
milliseconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from os import PathLike
from typing import Any

from .errors import PolybriefError
from .limits import DEFAULT_LIMITS, Limits

__all__ = ["load_json", "deepest_bracket"]

_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class _Refused(Exception):
    def __init__(self, message: str, needle: str | None = None, *, key: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.needle = needle
        self.key = key


def deepest_bracket(text: str, max_depth: int) -> int | None:
    """The offset of the first bracket nested deeper than ``max_depth``, or None (strings skipped)."""
    if text.count("[") + text.count("{") <= max_depth:
        return None
    depth = 0
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                return match.start()
        elif token in "]}":
            depth -= 1
    return None


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _line_of(text: str, refused: _Refused) -> int | None:
    if refused.needle is None:
        return None
    if refused.key:
        # The second time the key appears as a key: where the duplicate is.
        hits = list(re.finditer(re.escape(json.dumps(refused.needle, ensure_ascii=False)) + r"\s*:", text))
        if len(hits) < 2:
            hits = list(re.finditer(re.escape(json.dumps(refused.needle)) + r"\s*:", text))
        return _line_at(text, hits[1].start()) if len(hits) >= 2 else None
    at = text.find(refused.needle)
    return _line_at(text, at) if at >= 0 else None


def load_json(
    data: str | bytes,
    *,
    file: str | PathLike[str],
    error: type[PolybriefError],
    limits: Limits = DEFAULT_LIMITS,
    parse_float: Callable[[str], Any] | None = None,
    what: str = "JSON",
    invalid: str | None = None,
) -> Any:
    """Parse ``data`` as JSON within ``limits``; any problem is an ``error`` naming ``file`` and line.

    ``invalid`` starts the message of a parse error (default ``"invalid JSON"``).
    """
    invalid = invalid or f"invalid {what}"
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise error(f"{what} is not UTF-8 (byte {exc.start})", file=file,
                        line=data[: exc.start].count(b"\n") + 1) from None
    else:
        text = data
    deep = deepest_bracket(text, limits.nesting_depth)
    if deep is not None:
        raise error(f"{what} is nested more than {limits.nesting_depth} levels deep", file=file,
                    line=_line_at(text, deep),
                    hint="flatten it, or raise the limit with --limit nesting_depth=N")

    def parse_int(token: str) -> int:
        if len(token) - token.startswith("-") > limits.number_digits:
            raise _Refused(f"a number of {len(token)} digits (at most {limits.number_digits} allowed)", token)
        return int(token)

    def parse_constant(token: str) -> Any:
        raise _Refused(f"{token} is not a JSON number", token)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise _Refused(f"duplicate key {key!r}", key, key=True)
            out[key] = value
        return out

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_int=parse_int, parse_constant=parse_constant,
                          parse_float=parse_float)
    except _Refused as exc:
        raise error(f"{invalid}: {exc.message}", file=file, line=_line_of(text, exc)) from None
    except json.JSONDecodeError as exc:
        raise error(f"{invalid}: {exc.msg}", file=file, line=exc.lineno) from None
    except RecursionError:
        raise error(f"{what} is nested too deeply", file=file) from None
    except ValueError as exc:  # a float the parse_float hook refuses, say
        raise error(f"{invalid}: {exc}", file=file) from None
