"""Reading and writing brief files (YAML or JSON).

``read_brief``/``write_brief`` work on text; ``load``/``save`` take paths.
Every failure becomes a :class:`~polybrief.errors.BriefError` that names the
file, the line (when the text tells us) and the field path.
"""

from __future__ import annotations

import json
from os import PathLike
from pathlib import Path
from typing import Any, Literal

from .errors import BriefError
from .fields import field_path
from .fs import atomic_write_text
from .model import Brief, _FieldError

__all__ = ["load", "save", "read_brief", "write_brief", "dump_brief", "brief_json_schema", "field_path"]

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


def load(path: str | PathLike[str]) -> Brief:
    """Load and validate a brief from a ``.yaml``/``.yml`` or ``.json`` file."""
    path = Path(path)
    fmt = _format_for(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BriefError("no such file", file=path) from None
    except UnicodeDecodeError as exc:
        raise BriefError(f"not UTF-8 text (byte {exc.start})", file=path, hint="save the file as UTF-8") from None
    except OSError as exc:
        raise BriefError(f"cannot read: {exc.strerror or exc}", file=path) from None
    return read_brief(text, format=fmt, filename=str(path))


def read_brief(text: str, *, format: Format = "yaml", filename: str = "<brief>") -> Brief:
    """Parse and validate brief ``text``; errors name ``filename``, line and field."""
    data = _parse(text, format, filename)
    if not isinstance(data, dict):
        raise BriefError(
            f"expected a mapping of brief fields at the top, found {type(data).__name__}",
            file=filename, line=1,
        )
    from pydantic import ValidationError

    try:
        return Brief.model_validate(data)
    except ValidationError as exc:
        raise _brief_error(exc, text, filename, data) from None


def save(brief: Brief, path: str | PathLike[str]) -> None:
    """Write ``brief`` to ``path`` atomically, as YAML or JSON by its extension."""
    path = Path(path)
    atomic_write_text(path, dump_brief(brief, format=_format_for(path)))


def write_brief(stream: Any, brief: Brief, *, format: Format = "yaml") -> None:
    """Write ``brief`` to a text stream."""
    stream.write(dump_brief(brief, format=format))


def dump_brief(brief: Brief, *, format: Format = "yaml") -> str:
    """Serialise ``brief``; ``read_brief(dump_brief(b)) == b`` for every valid brief."""
    data = brief.model_dump(mode="json", exclude_defaults=True)
    data = {"id": data.pop("id"), "language": brief.language, **data}
    if format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    import yaml

    return yaml.dump(data, Dumper=_dumper_class(), allow_unicode=True, sort_keys=False, width=100)


def brief_json_schema() -> dict[str, Any]:
    """The JSON Schema of a brief file (what ``polybrief schema`` prints)."""
    schema = Brief.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://polybrief.invalid/schema/brief.json"
    return schema


# -- parsing -----------------------------------------------------------------


def _parse(text: str, fmt: Format, filename: str) -> Any:
    if fmt == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise BriefError(f"invalid JSON: {exc.msg}", file=filename, line=exc.lineno) from None
    import yaml

    try:
        return yaml.load(text, Loader=_loader_class())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise BriefError(f"invalid YAML: {problem}", file=filename, line=line) from None
    except yaml.YAMLError as exc:
        raise BriefError(f"invalid YAML: {exc}", file=filename) from None


_LOADER: Any = None


def _loader_class() -> Any:
    """A SafeLoader that rejects duplicate keys (PyYAML silently keeps the last one)."""
    global _LOADER
    if _LOADER is None:
        import yaml

        class UniqueKeyLoader(yaml.SafeLoader):
            def construct_mapping(self, node: Any, deep: bool = False) -> Any:
                seen: set[Any] = set()
                for key_node, _ in node.value:
                    key = self.construct_object(key_node, deep=deep)
                    if key in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key {key!r}", key_node.start_mark
                        )
                    seen.add(key)
                return super().construct_mapping(node, deep=deep)

            def construct_yaml_timestamp(self, node: Any) -> Any:
                # PyYAML raises a bare ValueError (no line) for 2024-02-30 or 25:00.
                try:
                    return super().construct_yaml_timestamp(node)
                except ValueError as exc:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"invalid date or time {node.value!r}: {exc}", node.start_mark
                    ) from None

        UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", UniqueKeyLoader.construct_yaml_timestamp)
        _LOADER = UniqueKeyLoader
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


def _brief_error(exc: Any, text: str, filename: str, data: Any = None) -> BriefError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    ctx_error = (first.get("ctx") or {}).get("error")
    if isinstance(ctx_error, _FieldError):
        path = ctx_error.path
        message = str(ctx_error)
    else:
        path = field_path(_data_loc(first["loc"], data))
        message = _message(first)
    # A value failing every member of a union (``int | Decimal``) is one problem, not one per member.
    more = len({field_path(_data_loc(e["loc"], data)) for e in errors}) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return BriefError(message, file=filename, line=_line_of(text, path), field=path or None)


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


def _line_of(text: str, path: str) -> int | None:
    """Best-effort line number of ``path`` in the YAML/JSON ``text`` (1-based)."""
    if not path:
        return None
    import re

    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
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
