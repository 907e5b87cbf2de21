"""Sphinx roles in polybrief's docstrings, made into checked links for the API reference (``make docs``).

polybrief's docstrings are reStructuredText, like Python's own: ``:class:`~polybrief.Brief```,
``:func:`localise```, a paragraph ending in ``::`` before a literal block.  mkdocstrings renders
docstrings as Markdown, and its ``sphinx`` style parses only field lists (``:param x:``), so a role
would print as the text ``:class:`` followed by code and link nowhere.  This griffe extension
rewrites, before they are parsed, the docstrings the reference shows (every name in
``polybrief.__all__`` and its members) as Sphinx would read them:

* a role's target is found as Sphinx finds it: as written (``polybrief.qa.report.Finding``), else in
  the scope of the object whose docstring names it (its members, its class, its module's names);
* a target that is public (a name in ``polybrief.__all__`` or a member of one) becomes an autorefs
  link to its entry, ``[`Brief`][polybrief.Brief]``, so ``mkdocs build --strict`` fails when the
  reference does not document it;
* an internal polybrief object (internal modules have no page) and a name from another library
  (``gettext.c2py``) become code, unlinked;
* a target found nowhere is a broken reference: a warning, which ``--strict`` makes an error;
* ``text::`` before a literal block becomes ``text:`` (the indented block is code in Markdown too);
* a doctest block (``>>>`` lines and their output, up to a blank line) becomes a fenced ``pycon``
  block, without its ``# doctest:`` directives (as Sphinx trims them): Markdown would read ``>>>``
  as three nested quotes and ``[...]`` in an output as a link.

Run by mkdocstrings (``extensions:`` in ``mkdocs.yml``); not part of the package.
"""

from __future__ import annotations

import importlib.util
import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?P<role>class|func|meth|mod|attr|data|exc|obj):`(?P<body>[^`]+)`")
_LITERAL = re.compile(r"(?m)(?<=\S)::$")  # "Use it like this::" -> "Use it like this:"
_LONE_LITERAL = re.compile(r"(?m)[ \t]*(?<!\S)::$")  # " ::" or a line of its own -> nothing
_DIRECTIVE = re.compile(r"\s*# doctest:.*$")

logger = griffe.get_logger("polybrief.docs")


class SphinxRoles(griffe.Extension):
    """Rewrite the roles of every public docstring of the ``polybrief`` package (see the module docstring)."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        if pkg.name != "polybrief":
            return
        self.collection = loader.modules_collection
        self.public: dict[str, str] = {}  # canonical path -> public path
        self.done: set[str] = set()  # rewrite each docstring once: a second pass would fence a fence
        roots: list[griffe.Object] = []
        for name in pkg.exports or ():
            member = _final(pkg.members[str(name)])
            self.public.setdefault(member.path, f"polybrief.{name}")
            roots.append(member)
        for obj in roots:
            self._walk(obj)

    def _walk(self, obj: griffe.Object) -> None:
        if obj.path in self.done:
            return
        self.done.add(obj.path)
        if obj.docstring is not None:
            obj.docstring.value = self.rewrite(obj, obj.docstring.value)
        if obj.is_class:
            for member in obj.members.values():
                if not member.is_alias:
                    self._walk(member)

    def rewrite(self, obj: griffe.Object, text: str) -> str:
        prose, doctests = _split_doctests(text)
        prose = [_ROLE.sub(lambda m: self._role(obj, m.group("role"), m.group("body")), part) for part in prose]
        prose = [_LONE_LITERAL.sub("", _LITERAL.sub(":", part)) for part in prose]
        out = [prose[0]]
        for block, after in zip(doctests, prose[1:]):
            out += [block, after]
        return "".join(out)

    def _role(self, obj: griffe.Object, role: str, body: str) -> str:
        short = body.startswith("~")
        target = body.lstrip("~").removesuffix("()")
        shown = target.rsplit(".", 1)[-1] if short else target
        if role in ("func", "meth"):
            shown += "()"
        found = self._find(obj, target)
        if found is None:
            if not _external(obj, target):
                logger.warning("%s: broken reference :%s:`%s` (no such object)", obj.path, role, body)
            return f"`{shown}`"
        public = self._public_path(found)
        return f"[`{shown}`][{public}]" if public else f"`{shown}`"

    def _find(self, obj: griffe.Object, target: str) -> str | None:
        """The canonical path of ``target`` as seen from ``obj``, or None if polybrief has no such object."""
        candidates = [target]
        if target.startswith("."):  # a module relative to obj's package (``:mod:`.stages```)
            package = obj.module.path if obj.module.is_package else obj.module.path.rsplit(".", 1)[0]
            candidates = [package + target]
        else:
            first, _, rest = target.partition(".")
            try:
                resolved = obj.resolve(first)
            except griffe.NameResolutionError:
                resolved = None
            if resolved is not None:
                candidates.insert(0, resolved + ("." + rest if rest else ""))
        for path in candidates:
            try:
                return _final(self.collection.get_member(path)).path
            except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
                continue
        return None

    def _public_path(self, canonical: str) -> str | None:
        prefix = canonical
        while True:
            if prefix in self.public:
                return self.public[prefix] + canonical[len(prefix):]
            if "." not in prefix:
                return None
            prefix = prefix.rsplit(".", 1)[0]


def _split_doctests(text: str) -> tuple[list[str], list[str]]:
    """``text`` cut into prose and doctest blocks (each made a fenced block): ``len(prose) == len(blocks) + 1``."""
    prose: list[str] = []
    blocks: list[str] = []
    current: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].lstrip().startswith(">>>"):
            current.append(lines[i])
            i += 1
            continue
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
        block = []
        while i < len(lines) and lines[i].strip():
            block.append(indent + _DIRECTIVE.sub("", lines[i][len(indent):]))
            i += 1
        blank = "\n" if current and current[-1].strip() else ""
        prose.append("\n".join(current) + "\n" + blank)
        blocks.append(f"{indent}```pycon\n" + "\n".join(block) + f"\n{indent}```")
        current = [""]
    prose.append("\n".join(current))
    return prose, blocks


def _final(obj: griffe.Object | griffe.Alias) -> griffe.Object:
    return obj.final_target if obj.is_alias else obj


def _external(obj: griffe.Object, target: str) -> bool:
    """Whether ``target`` names something outside polybrief that exists (``gettext.c2py``, ``babel.Locale``)."""
    first = target.split(".", 1)[0]
    try:
        first = obj.resolve(first).split(".", 1)[0]
    except griffe.NameResolutionError:
        pass
    if first == "polybrief":
        return False
    try:
        return importlib.util.find_spec(first) is not None
    except (ImportError, ValueError):
        return False
