"""Reading and writing brief files (YAML or JSON).

``read_brief``/``write_brief`` work on text; ``load``/``save`` take paths.
Every failure becomes a :class:`~polybrief.errors.BriefError` that names the
file, the line (when the text tells us) and the field path.

A brief is untrusted input, so reading it is bounded by the project's
:class:`~polybrief.limits.Limits`: only a regular file of at most
``brief_bytes`` is read (a FIFO or ``/dev/zero`` is refused before a byte is
read); YAML is parsed with PyYAML's C loader (libyaml, several times faster
than the pure-Python one, which stays as a fallback), *composed* into nodes
first, and the node graph is measured before anything is constructed:
nesting past ``nesting_depth``, recursive aliases, and aliases expanding the
document past ``brief_values`` values (a 12.8 KB "billion laughs" brief used
to become two million segments) are refused with the line of the culprit.
PyYAML (6.0) has no bound on alias expansion of its own, and libyaml only
caps nesting at 1,000, so this measurement is polybrief's: one pass over the
node graph, each shared node measured once.
Duplicate keys, mappings used as keys, integers of more than
``number_digits`` digits and the tags JSON has no equivalent of (``!!set``,
whose order changes from run to run, ``!!binary``, ``!!omap``, ``!!pairs``)
are refused too, and decimal numbers are read as written (``Decimal``, not a
float that would round a long figure); JSON briefs get the same rules from
:mod:`polybrief.jsonio`.  Figures are held to ``figure_max`` and
``figure_digits`` (:func:`check_brief_limits`), since Babel cannot format
10**25 and more.
"""

from __future__ import annotations

import json
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import Any, Literal

from dataclasses import dataclass, field

from .controls import neutralise_controls
from .errors import BriefError
from .fields import field_path
from .fs import atomic_write_text, read_regular_file
from .limits import DEFAULT_LIMITS, Limits
from .model import Brief, FieldValueError

__all__ = [
    "BriefSource",
    "load", "load_with_digest", "save", "read_brief", "write_brief", "dump_brief", "brief_json_schema", "field_path",
    "check_brief_limits",
]

Format = Literal["yaml", "json"]


def _format_for(path: Path) -> Format:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    raise BriefError(
        f"unknown brief file type {suffix or '(none)'!r}",
        file=path,
        hint="name it .yaml, .yml or .json",
    )


@dataclass(frozen=True, slots=True)
class BriefSource:
    """A brief, the file it came from, and the folder its catalogs live in.

    ``sha256`` is the hash of the bytes the brief was parsed from (None for a
    brief built in memory): the site manifest records it.  ``catalog_root``
    is the folder holding ``<lang>/LC_MESSAGES/<brief id>.po`` (None: the
    brief has no catalogs, only its source text).

    >>> source = polybrief.Session().open_brief("examples/nagorno-karabakh.yaml")
    >>> source.brief.id, source.catalog_root.name
    ('nagorno-karabakh', 'locales')
    """

    brief: Brief
    path: Path | None = None
    catalog_root: Path | None = None
    sha256: str | None = field(default=None, compare=False)


def load(path: str | PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> Brief:
    """Load and validate a brief from a ``.yaml``/``.yml`` or ``.json`` file (a regular file only).

    >>> brief = polybrief.load("examples/nagorno-karabakh.yaml")
    >>> brief.id, brief.language, len(brief.figures)
    ('nagorno-karabakh', 'en', 8)
    """
    return load_with_digest(path, limits=limits)[0]


def load_with_digest(path: str | PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> tuple[Brief, str]:
    """:func:`load`, and the sha256 of the bytes the brief was read from (for the site manifest)."""
    import hashlib

    path = Path(path)
    fmt = _format_for(path)
    data = read_regular_file(path, max_bytes=limits.brief_bytes, error=BriefError, what="brief",
                             limit_name="brief_bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BriefError(f"not UTF-8 text (byte {exc.start})", file=path, line=data[: exc.start].count(b"\n") + 1,
                         hint="save the file as UTF-8") from None
    return read_brief(text, format=fmt, filename=str(path), limits=limits), hashlib.sha256(data).hexdigest()


def read_brief(text: str, *, format: Format = "yaml", filename: str = "<brief>",
               limits: Limits = DEFAULT_LIMITS) -> Brief:
    """Parse and validate brief ``text``; errors name ``filename``, line and field.

    Every problem is reported at once (up to 20), so an author fixes them in one round:

    >>> polybrief.read_brief("id: storm-update\\nheadline: ''\\n", filename="storm.yaml")
    Traceback (most recent call last):
    polybrief.errors.BriefError: storm.yaml:2: headline: must not be empty or only whitespace
    storm.yaml:1: dateline: required field is missing
    storm.yaml:1: published: required field is missing
    storm.yaml:1: lead: required field is missing
    """
    if len(text) > limits.brief_bytes:
        raise BriefError(f"brief is {len(text)} characters, more than the {limits.brief_bytes} allowed",
                         file=filename, hint="raise the limit with --limit brief_bytes=SIZE if it is genuine")
    data, node = _parse(text, format, filename, limits)
    if not isinstance(data, dict):
        raise BriefError(
            f"expected a mapping of brief fields at the top, found {type(data).__name__}",
            file=filename, line=1,
        )
    from pydantic import ValidationError

    try:
        brief = Brief.model_validate(data)
    except ValidationError as exc:
        raise _brief_error(exc, text, filename, data, node) from None
    except RecursionError:  # pragma: no cover - nesting is bounded before validation
        raise BriefError("brief is nested too deeply", file=filename) from None
    check_brief_limits(brief, limits, filename=filename, locate=lambda path: _line_of(text, path, node))
    return brief


def check_brief_limits(brief: Brief, limits: Limits = DEFAULT_LIMITS, *, filename: str | None = None,
                       locate: Any = None) -> None:
    """Refuse figures outside ``limits`` (also for briefs built in Python, through ``Session.open_brief``)."""
    for index, figure in enumerate(brief.figures):
        value = Decimal(figure.value)
        digits = len(value.as_tuple().digits)
        problem = limit = None
        if abs(value) > limits.figure_max:
            problem, limit = f"figure value is larger than {limits.figure_max:,}", "figure_max"
        elif digits > limits.figure_digits:
            problem = f"figure value has {digits} significant digits, more than the {limits.figure_digits} allowed"
            limit = "figure_digits"
        if problem:
            path = f"figures[{index}].value"
            raise BriefError(problem, file=filename, line=locate(path) if locate else None, field=path,
                             hint=f"check the number; raise --limit {limit}=N if it is genuine")


def save(brief: Brief, path: str | PathLike[str]) -> None:
    """Write ``brief`` to ``path`` as YAML or JSON by its extension, atomically (a crash keeps the old file).

    >>> import pathlib, tempfile
    >>> brief = polybrief.load("examples/nagorno-karabakh.yaml")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     polybrief.save(brief, pathlib.Path(folder, "copy.json"))
    ...     polybrief.load(pathlib.Path(folder, "copy.json")) == brief
    True
    """
    path = Path(path)
    atomic_write_text(path, dump_brief(brief, format=_format_for(path)))


def write_brief(stream: Any, brief: Brief, *, format: Format = "yaml") -> None:
    """Write ``brief`` to a text stream (streams here, paths in :func:`save`, as Babel's ``write_po``).

    >>> import sys
    >>> polybrief.write_brief(sys.stdout, polybrief.load("examples/nagorno-karabakh.yaml"), format="json")
    {
      "id": "nagorno-karabakh",
      "language": "en",
    ...
    """
    stream.write(dump_brief(brief, format=format))


def dump_brief(brief: Brief, *, format: Format = "yaml") -> str:
    """Serialise ``brief``; ``read_brief(dump_brief(b)) == b`` for every valid brief.

    >>> brief = polybrief.load("examples/nagorno-karabakh.yaml")
    >>> polybrief.read_brief(polybrief.dump_brief(brief)) == brief
    True
    """
    data = brief.model_dump(mode="json", exclude_defaults=True)
    data = {"id": data.pop("id"), "language": brief.language, **data}
    if format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    import yaml

    return yaml.dump(data, Dumper=_dumper_class(), allow_unicode=True, sort_keys=False, width=100)


def brief_json_schema() -> dict[str, Any]:
    """The JSON Schema of a brief file (what ``polybrief schema`` prints), for editors and CI checks.

    >>> sorted(polybrief.brief_json_schema()["required"])
    ['dateline', 'headline', 'id', 'lead', 'published']
    """
    schema = Brief.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://polybrief.invalid/schema/brief.json"
    return schema


# -- parsing -----------------------------------------------------------------


def _parse(text: str, fmt: Format, filename: str, limits: Limits) -> tuple[Any, Any]:
    """The parsed data, and (for YAML) the composed root node used to find lines."""
    if fmt == "json":
        from .jsonio import load_json

        data = load_json(text, file=filename, error=BriefError, limits=limits, parse_float=Decimal)
        _count_values(data, filename, limits)
        return data, None
    import yaml

    loader = _loader_class()(text)
    loader.number_digits = limits.number_digits
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        (_measure if "&" in text else _measure_tree)(node, filename, limits)  # no anchor: no alias
        return loader.construct_document(node), node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise BriefError(f"invalid YAML: {problem}", file=filename, line=line) from None
    except yaml.reader.ReaderError as exc:
        # A NUL or other control character: the reader knows the offset, not the line.
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise BriefError(f"invalid YAML: character U+{char:04X} is not allowed in YAML ({exc.reason})",
                         file=filename, line=line, hint="remove the control character") from None
    except yaml.YAMLError as exc:
        raise BriefError(f"invalid YAML: {' '.join(str(exc).split())}", file=filename) from None
    except RecursionError:  # only the pure-Python fallback composer recurses
        raise BriefError(f"YAML is nested more than {limits.nesting_depth} levels deep", file=filename,
                         hint="flatten it") from None
    finally:
        loader.dispose()


def _children(node: Any) -> list[Any]:
    """A node's children: a mapping's keys and values, a sequence's items.  Told apart by the
    node classes' ``id`` rather than ``isinstance`` against ``yaml`` (imported here per node, that
    was a third of measuring a brief)."""
    kind = node.id
    return [part for pair in node.value for part in pair] if kind == "mapping" else \
        list(node.value) if kind == "sequence" else []


def _measure(root: Any, filename: str, limits: Limits) -> None:
    """Refuse a node graph nested past ``nesting_depth``, holding a recursive alias, or whose
    aliases expand it past ``brief_values`` values: measured without expanding anything."""
    sizes: dict[int, int] = {}
    heights: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[Any, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, leaving = stack.pop()
        key = id(node)
        if leaving:
            visiting.discard(key)
            children = _children(node)
            total = 1 + sum(sizes[id(c)] for c in children)
            heights[key] = 1 + max((heights[id(c)] for c in children), default=0)
            if total > limits.brief_values:
                raise BriefError(
                    f"expands to more than {limits.brief_values} values"
                    + (" through YAML aliases" if _has_shared(node) else ""),
                    file=filename, line=node.start_mark.line + 1,
                    hint="write the repeated parts out instead of aliasing them, or raise --limit brief_values=N",
                )
            sizes[key] = total
            continue
        if key in sizes:
            if depth + heights[key] - 1 > limits.nesting_depth:
                raise BriefError(f"YAML aliases nest it more than {limits.nesting_depth} levels deep",
                                 file=filename, line=node.start_mark.line + 1, hint="flatten it")
            continue
        if key in visiting:
            raise BriefError("a YAML alias refers to a value that contains it (a recursive alias)",
                             file=filename, line=node.start_mark.line + 1, hint="remove the alias")
        if depth > limits.nesting_depth:
            raise BriefError(f"YAML is nested more than {limits.nesting_depth} levels deep",
                             file=filename, line=node.start_mark.line + 1,
                             hint="flatten it, or raise the limit with --limit nesting_depth=N")
        visiting.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def _measure_tree(root: Any, filename: str, limits: Limits) -> None:
    """:func:`_measure` for a document without anchors (so no aliases: every node reached once) at a sixth
    of its cost, a count and a depth; past a limit :func:`_measure` says which node and line."""
    count, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > limits.nesting_depth or count > limits.brief_values:
            return _measure(root, filename, limits)  # raises
        stack.extend((child, depth + 1) for child in _children(node))


def _has_shared(root: Any) -> bool:
    """Whether any node under ``root`` is reached twice (the work of an alias)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        if id(node := stack.pop()) in seen:
            return True
        seen.add(id(node))
        stack.extend(_children(node))
    return False


def _count_values(data: Any, filename: str, limits: Limits) -> None:
    """The JSON side of ``brief_values`` (JSON has no aliases: the file size bounds it; keep one rule)."""
    count, stack = 0, [data]
    while stack:
        value = stack.pop()
        count += 1
        if count > limits.brief_values:
            raise BriefError(f"holds more than {limits.brief_values} values", file=filename,
                             hint="raise --limit brief_values=N if it is genuine")
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


_LOADER: Any = None


def _loader_class() -> Any:
    """libyaml's safe loader (pure-Python SafeLoader if PyYAML was built without libyaml) that
    rejects duplicate keys (PyYAML silently keeps the last one) and the tags JSON cannot express."""
    global _LOADER
    if _LOADER is None:
        import yaml

        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        ConstructorError = yaml.constructor.ConstructorError

        class BriefLoader(base):  # type: ignore[valid-type,misc]
            def construct_mapping(self, node: Any, deep: bool = False) -> Any:
                seen: set[Any] = set()
                for key_node, _ in node.value:
                    if not isinstance(key_node, yaml.ScalarNode):
                        # Checked before hashing: a mapping used as a key is unhashable.
                        raise ConstructorError(
                            None, None, "a list or mapping cannot be a key (write the key as plain text)",
                            key_node.start_mark)
                    key = self.construct_object(key_node, deep=deep)
                    if key in seen:
                        raise ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
                    seen.add(key)
                return super().construct_mapping(node, deep=deep)

            def construct_yaml_timestamp(self, node: Any) -> Any:
                # PyYAML raises a bare ValueError (no line) for 2024-02-30 or 25:00.
                try:
                    return super().construct_yaml_timestamp(node)
                except ValueError as exc:
                    raise ConstructorError(
                        None, None, f"invalid date or time {node.value!r}: {exc}", node.start_mark
                    ) from None

            def construct_yaml_int(self, node: Any) -> Any:
                digits = sum(c.isdigit() for c in str(node.value))
                if digits > self.number_digits:
                    raise ConstructorError(
                        None, None, f"a number of {digits} digits (at most {self.number_digits} allowed)",
                        node.start_mark)
                try:
                    return super().construct_yaml_int(node)
                except ValueError as exc:
                    raise ConstructorError(None, None, f"invalid number {node.value!r}: {exc}",
                                           node.start_mark) from None

            def construct_yaml_float(self, node: Any) -> Any:
                # A float loses digits (0.1 + 0.2, or a 20-digit figure): keep the number as written.
                value = super().construct_yaml_float(node)
                text = str(node.value).replace("_", "")
                if value != value or value in (float("inf"), float("-inf")) or ":" in text:
                    return value
                try:
                    return Decimal(text)
                except ArithmeticError:  # pragma: no cover - the YAML float pattern is a Decimal literal
                    return value

            def refuse_tag(self, node: Any) -> Any:
                name = node.tag.rsplit(":", 1)[-1]
                why = {"set": "a set has no stable order; use a list"}.get(name, "use a plain list, mapping or text")
                raise ConstructorError(
                    None, None, f"the YAML tag !!{name} is not allowed in a brief ({why})", node.start_mark)

            number_digits = DEFAULT_LIMITS.number_digits

        BriefLoader.add_constructor("tag:yaml.org,2002:timestamp", BriefLoader.construct_yaml_timestamp)
        BriefLoader.add_constructor("tag:yaml.org,2002:int", BriefLoader.construct_yaml_int)
        BriefLoader.add_constructor("tag:yaml.org,2002:float", BriefLoader.construct_yaml_float)
        for tag in ("set", "binary", "omap", "pairs"):
            BriefLoader.add_constructor(f"tag:yaml.org,2002:{tag}", BriefLoader.refuse_tag)
        _LOADER = BriefLoader
    return _LOADER


_YAML_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _dumper_class() -> Any:
    """A SafeDumper that writes multi-line strings as literal blocks."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def _str(dumper: Any, value: str) -> Any:
        # YAML also folds \r, NEL and the Unicode line/paragraph separators as line
        # breaks; only a double-quoted scalar (with escapes) keeps them losslessly.
        if any(c in value for c in _YAML_BREAKS):
            style: str | None = '"'
        else:
            style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, _str)
    return Dumper


# -- error reporting ---------------------------------------------------------


#: Most validation problems reported for one brief (each with its line and field); the rest are counted.
MAX_PROBLEMS = 20


def _brief_error(exc: Any, text: str, filename: str, data: Any = None, node: Any = None) -> BriefError:
    """Every problem pydantic found, one :class:`BriefError` each (the first raised, the rest in ``also``)."""
    problems: dict[str, tuple[str, str]] = {}
    for error in exc.errors(include_url=False):
        ctx_error = (error.get("ctx") or {}).get("error")
        if isinstance(ctx_error, FieldValueError):
            path, message = ctx_error.path, str(ctx_error)
        else:
            path, message = field_path(_data_loc(error["loc"], data)), _message(error)
        # A value failing every member of a union (``int | Decimal``) is one problem, not one per member.
        problems.setdefault(path, (path, message))
    # A field path holds the brief's own keys: an unknown key is shown escaped, as values are, so that an
    # escape sequence in its name never reaches the terminal (or a log) raw.
    found = [BriefError(message, file=filename, line=_line_of(text, path, node), field=neutralise_controls(path) or None)
             for path, message in list(problems.values())[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        found.append(BriefError(f"and {len(problems) - MAX_PROBLEMS} more problems", file=filename))
    first = found[0]
    return BriefError(first.message, file=filename, line=first.line, field=first.field, also=found[1:])


def _data_loc(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """``loc`` cut where it stops naming a place in the data (pydantic appends union
    member tags such as ``int``/``decimal`` that are not fields)."""
    node = data
    for n, part in enumerate(loc):
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(part, str) and isinstance(node, dict):
            node = node.get(part)
        else:
            return tuple(loc[:n])
    return tuple(loc)


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see `polybrief schema`)"
    if kind == "timezone_aware":
        return "datetime has no time zone; add an offset such as +04:00 or Z"
    if kind == "string_pattern_mismatch" and error["loc"] == ("id",):
        return "id must be a slug: lower-case letters, digits and single hyphens"
    msg = str(error["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return msg[0].lower() + msg[1:] if msg else kind


def _line_of(text: str, path: str, node: Any = None) -> int | None:
    """Best-effort line number of ``path`` in the YAML/JSON ``text`` (1-based).

    ``node`` is the YAML document already composed while parsing; JSON (a
    subset of YAML) is composed here, only on this error path, after its
    nesting was bounded by the JSON reader.
    """
    if not path:
        return None
    import re

    import yaml

    if node is None:
        try:
            node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (yaml.YAMLError, RecursionError):
            return None
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    line = node.start_mark.line + 1 if node is not None else None
    for part in parts:
        if node is None:
            break
        if part.startswith("["):
            index = int(part[1:-1])
            if isinstance(node, yaml.SequenceNode) and index < len(node.value):
                node = node.value[index]
            else:
                break
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if getattr(key, "value", None) == part:
                    line = key.start_mark.line + 1
                    node = value
                    break
            else:
                break
        else:
            break
        line = node.start_mark.line + 1
    return line
