"""Which fields of a brief are translated, declared once on the model and walked generically.

A field is translatable when its type carries a :class:`Translatable` marker
in its ``Annotated`` metadata (see :mod:`polybrief.model`).  Everything that
needs "the translatable parts of a brief" goes through this module: the
catalog template and merge (one PO message per :class:`Unit`), machine
translation (what to send), the quality checks (source text per field) and
localisation (which rebuilds the brief's tree with each translatable value
replaced by a :class:`~polybrief.provenance.Segment`, :func:`rebuild`).  Adding
a translatable field to the brief therefore means editing the model and the
templates, nothing else — as Sphinx walks document nodes instead of listing
them.

A unit is what a translator sees as one PO message: ``msgctxt`` is the
field's *key path* (``items[casualties].text``), ``msgid`` the source text.
Keeping the brief's own structure (not sentences) means an edit to one item
touches one message; sentence splitting is the MT engine's business.

Keys, not positions.  An element of a list (a section, an item, a figure, a
quote, a source, a lead or closing paragraph) is named by a key that survives
inserting, deleting and reordering its siblings.  Authors may write one
(``key: casualties``, see :func:`check_key`); the default needs no author work:
a slug of the element's first words (an item's label, a section's heading, a
figure's label, a quote's text, a source's name, a paragraph's text).  A key
is unique in the brief among the elements of its kind, and an element's key
path is its kind and its key alone (``items[casualties]``, not under its
section's key): renaming a heading or moving an item to another section
changes no item's key.  Why a slug rather than a hash or a counter: it is
stable under moves, readable in a PO editor and in ``check`` reports, and it
does not change when an item's *text* is edited (the edit most briefs get).
Twins (two items labelled "Statement") are told apart by ``-2``, ``-3`` in
document order (:func:`list_keys`, one pass): adding a twin after an item
never changes its key.  A twin put *before* takes the bare key, which is why
the merge pairs old and new elements by content before it trusts a key
(:mod:`polybrief.catalogs.matching`), and why a label is published only in
its item's current context (:class:`polybrief.catalogs.brief.BriefCatalog`).

Positional paths (``sections[0].items[3].text``, :func:`iter_nodes`) remain
what brief *validation* errors name, since that is how an author finds the
line in the YAML file; each :class:`Unit` carries both (``path`` and
``position``).
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from .cldr import LocaleInfo

__all__ = [
    "Translatable",
    "Unit",
    "translation_units",
    "iter_nodes",
    "rebuild",
    "field_path",
    "ListKey",
    "list_keys",
    "slug_key",
    "check_key",
    "KEY_MAX_LENGTH",
    "UNIT_PLURAL_SOURCE",
    "COUNT_PLACEHOLDER",
    "keeps_count",
]

#: Source-language plural categories used as ``msgid`` / ``msgid_plural`` of a
#: plural unit (English and most source languages have these two).
UNIT_PLURAL_SOURCE = ("one", "other")

#: Where the number goes in a figure phrase ("at least {count} civilians").
COUNT_PLACEHOLDER = "{count}"
#: An exact figure's phrase: the unit after the number (see :attr:`Unit.legacy`).
_EXACT_TEMPLATE = COUNT_PLACEHOLDER + " {unit}"


def keeps_count(form: str, counts: tuple[int, ...] | None = None) -> bool:
    """Whether one form of a figure phrase's translation can show the figure's number.

    It must hold ``{count}`` exactly once, except a plural form that the
    catalog's ``Plural-Forms`` shows for a single number (``counts``, the
    numbers 0–120 it serves): Arabic's "one" and "two" forms, a dual, may
    spell the number out ("نحو شخصين"), which is the rule ``msgfmt --check``
    applies to format directives in plural forms.  Otherwise a form without
    ``{count}`` would publish a figure with no number, and one with two would
    print it twice.
    """
    found = form.count(COUNT_PLACEHOLDER)
    return found == 1 or (found == 0 and counts is not None and len(counts) == 1)


@dataclass(frozen=True, slots=True)
class Translatable:
    """Marks a model field (or each element of a list field) as translated text.

    ``comment`` is shown to translators in the PO file; ``{name}`` in it is
    replaced by the value of the model's field ``name`` (a figure's unit names
    the value it counts).  ``plural`` marks a
    mapping of CLDR plural categories to source forms (a figure's unit): it
    becomes one ``msgid``/``msgid_plural`` message.  ``when`` names a boolean
    field of the same model that must be true for the field to be translated
    (a source's name is translated only when it is a phrase, not a proper
    name).  ``count`` names the field whose value chooses a plural field's
    form (a figure's ``value``).  ``phrase`` names a method of the model that
    takes the brief's language and returns a source phrase the plural forms
    are set in (``at least {count} {unit}``), or None: the message is then
    the whole phrase with a ``{count}`` placeholder, so a translator can give
    the unit the case the phrase requires ("не менее {count} мирных жителей").

    The model declares its translated fields with it (``headline: Annotated[str,
    Translatable("Headline")]``); the comment reaches the PO file:

    >>> polybrief.Source.model_fields["name"].metadata[-1].when   # a source's name: only when a phrase
    'translatable'
    >>> polybrief.translation_units(polybrief.load("examples/nagorno-karabakh.yaml"))[0].comment
    'Headline'
    """

    comment: str
    plural: bool = False
    when: str | None = None
    count: str | None = None
    phrase: str | None = None


@dataclass(frozen=True, slots=True)
class Unit:
    """One translatable value of a brief.

    ``text`` is the ``msgid``; for a plural unit ``plural`` is the
    ``msgid_plural``, ``forms`` keeps every source form by CLDR category and
    ``count`` is the number that chooses among them.  The rules for which
    source form stands where (catalog, machine translation, the page) are
    these properties, and nowhere else.
    ``has_count`` marks a phrase whose translation must keep the ``{count}``
    placeholder (where the number goes).

    >>> units = polybrief.translation_units(polybrief.load("examples/nagorno-karabakh.yaml"))
    >>> unit = next(u for u in units if u.plural)          # a figure's unit: one plural message
    >>> unit.path, unit.text, unit.plural, unit.count
    ('figures[civilians-killed-in-the-shelling].unit', 'at least {count} civilian', 'at least {count} civilians', 2)
    """

    path: str
    text: str
    plural: str | None = None
    comment: str = ""
    forms: Mapping[str, str] | None = field(default=None, compare=False)
    count: int | Decimal | None = None
    position: str = field(default="", compare=False)
    """The field's positional path (``sections[0].items[3].text``): where it is in the brief file now."""
    legacy: tuple[str, str] | None = field(default=None, compare=False)
    """An exact figure's unit without its phrase (``civilian``, ``civilians``): the ``msgid`` and
    ``msgid_plural`` catalogs gave it before exact figures became phrases (:mod:`polybrief.phrases`)."""
    element: str = field(default="", compare=False)
    """The key path of the element the field belongs to (``items[casualties]``; a paragraph's is its own path,
    ``""`` for the brief's own fields): what the merge pairs old and new translations by."""
    title: bool = field(default=False, compare=False)
    """Whether the element's default key is made from this field (an item's label, a section's heading, a
    paragraph): its translation is made in the context of the element's other fields."""

    @property
    def is_plural(self) -> bool:
        return self.plural is not None

    @property
    def has_count(self) -> bool:
        """Whether the source holds the ``{count}`` placeholder (a whole figure phrase)."""
        return COUNT_PLACEHOLDER in self.text or (self.plural is not None and COUNT_PLACEHOLDER in self.plural)

    @property
    def mt_text(self) -> str:
        """What machine translation receives: a plural unit's general (``other``) form."""
        return self.plural if self.plural is not None else self.text

    def source_form(self, category: str) -> str:
        """The source text for a CLDR plural ``category`` (``other`` when the source lacks it)."""
        if self.forms is None:
            return self.text
        return self.forms.get(category, self.forms["other"])

    def shown_source(self, source_locale: LocaleInfo) -> str:
        """The source text as the source-language page shows it: a plural unit in the form its count takes."""
        if self.forms is None or self.count is None:
            return self.text
        return self.source_form(source_locale.plural_category(self.count))


class ListKey(str):
    """A list element's key inside a location tuple: spelled ``[key]`` by :func:`field_path`."""

    __slots__ = ()


#: Longest author-written key.
KEY_MAX_LENGTH = 64
#: A derived key is at most this long (cut at a word boundary) and at most this many words.
_DERIVED_LENGTH = 32
_KEY_WORDS = 5
_KEY = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")
_APOSTROPHES = dict.fromkeys(map(ord, "'\u2019\u02bc`"), None)


def check_key(value: str) -> str:
    """Validate an author-written key: lower-case letters or digits in words joined by ``-``, with a letter.

    Any script's letters are allowed (a brief may be written in Armenian).  A
    key of digits alone is refused, so a key path can never be mistaken for
    a positional one (``items[3]``) -- which is how old catalogs are recognised.
    """
    if not _KEY.match(value) or value != value.lower() or len(value) > KEY_MAX_LENGTH:
        raise ValueError(f"keys are lower-case words joined by '-' (at most {KEY_MAX_LENGTH} characters),"
                         " e.g. 'casualties' or 'eu-statement'")
    if not any(c.isalpha() for c in value):
        raise ValueError("a key needs at least one letter (a number alone reads as a position)")
    return value


@functools.lru_cache(maxsize=4096)
def slug_key(text: str, *, fallback: str) -> str:
    """The default key of a list element whose leading text is ``text``.

    A pure function of its two strings, memoised: every localisation of a brief keys the same lists.

    The first few words, case-folded, apostrophes dropped, joined by ``-``
    (``"Azerbaijan's Statement"`` -> ``azerbaijans-statement``).  Text with no
    letters (``"2023"``) is prefixed with ``fallback`` (``item-2023``); text with
    no words at all gets ``fallback`` alone.
    """
    folded = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    words = re.findall(r"[^\W_]+", folded)
    out = ""
    for word in words[:_KEY_WORDS]:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > _DERIVED_LENGTH:
            break
        out = candidate
    if not out and words:
        out = words[0][:_DERIVED_LENGTH]
    if not any(c.isalpha() for c in out):
        out = f"{fallback}-{out}" if out else fallback
    return out[:_DERIVED_LENGTH].rstrip("-")


def list_keys(elements: Sequence[Any], *, field: str) -> list[str]:
    """The key of every element of the list field ``field``: its own ``key`` if it has one, else a slug,
    unique in the list; in O(n).

    Explicit keys are taken first.  Then, in document order, the first
    element whose slug is free takes it; a later element with the same slug
    (a twin: two items labelled "Statement") gets the first free
    ``<slug>-2``, ``<slug>-3``..., never one that another element's own slug
    or key spells.  So adding a twin after an element never changes that
    element's key; a twin put *before* it takes the key, and the merge then
    tells the two apart by their content (:mod:`polybrief.catalogs.merge`).
    Text without letters is keyed by the kind of element (``item-2023``).
    """
    fallback = _fallback(field)
    explicit = [getattr(e, "key", None) if isinstance(e, BaseModel) else None for e in elements]
    bases = [key if key else slug_key(_key_source(e), fallback=fallback) for e, key in zip(elements, explicit)]
    reserved = set(bases)  # every element's own slug or key: a twin's suffix never spells one
    taken: set[str] = {key for key in explicit if key}
    counters: dict[str, int] = {}
    out: list[str] = []
    for key, base in zip(explicit, bases):
        if key:
            out.append(key)
            continue
        if base not in taken:
            taken.add(base)
            out.append(base)
            continue
        n = counters.get(base, 1)
        while True:  # each base's counter only grows: O(n) over the whole list
            n += 1
            candidate = f"{base}-{n}"
            if candidate not in taken and candidate not in reserved:
                break
        counters[base] = n
        taken.add(candidate)
        out.append(candidate)
    return out


def _key_source(element: Any) -> str:
    if isinstance(element, BaseModel):
        for name in getattr(type(element), "key_from", ()):
            value = getattr(element, name, None)
            if isinstance(value, str) and value.strip():
                return value
        return ""
    return str(element)


def field_path(loc: tuple[Any, ...]) -> str:
    """``('sections', ListKey('updates'), 'text')`` -> ``'sections[updates].text'``;
    ``('sections', 0, 'items', 3, 'text')`` -> ``'sections[0].items[3].text'``.

    The one place field paths are spelled: key paths for catalog keys, positional paths for
    brief validation errors.
    """
    out = ""
    for part in loc:
        if isinstance(part, (int, ListKey)):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _marker(model: BaseModel, name: str) -> Translatable | None:
    return _class_marker(type(model), name)


@functools.cache
def _class_marker(cls: type[BaseModel], name: str) -> Translatable | None:
    """A field's :class:`Translatable` marker, looked up once per model class (every walk asks for every field)."""
    for meta in cls.model_fields[name].metadata:
        if isinstance(meta, Translatable):
            return meta
    return None


def _unit(path: str, position: str, value: Any, marker: Translatable, model: BaseModel,
          language: str | None, element: str = "", title: bool = False) -> Unit:
    comment = marker.comment
    if "{" in comment:
        comment = comment.format_map({name: getattr(model, name) for name in type(model).model_fields})
    if marker.plural:
        forms: dict[str, str] = dict(value)
        template = getattr(model, marker.phrase)(language) if marker.phrase else None
        legacy = None
        if template is not None:
            if template == _EXACT_TEMPLATE:
                legacy = (forms.get("one", forms["other"]), forms["other"])
            forms = {category: template.replace("{unit}", form) for category, form in forms.items()}
            comment += (f"; translate the whole phrase and put {COUNT_PLACEHOLDER} where the number goes, "
                        "giving the unit the case the phrase needs")
        count = getattr(model, marker.count) if marker.count else None
        return Unit(path, forms.get("one", forms["other"]), plural=forms["other"], comment=comment, forms=forms,
                    count=count, position=position, legacy=legacy, element=element, title=title)
    return Unit(path, str(value), comment=comment, position=position, element=element, title=title)


def _fallback(name: str) -> str:
    """The kind of element a list holds, for keys of text without letters: ``items`` -> ``item``."""
    return {"lead": "paragraph", "closing": "paragraph"}.get(name, name.removesuffix("s") or name)


def rebuild(
    model: BaseModel,
    *,
    leaf: Callable[[Unit], Any],
    node: Callable[[BaseModel, str, dict[str, Any]], Any],
    loc: tuple[Any, ...] = (),
    pos: tuple[Any, ...] = (),
    language: str | None = None,
) -> Any:
    """Rebuild ``model``'s tree bottom-up: every translatable value through ``leaf``,
    every model through ``node(model, key_path, fields)``.

    ``language`` is the brief's source language (phrases are in it); by
    default the ``language`` field of ``model`` itself, as on a brief.

    ``fields`` maps each field name to its rebuilt value: the result of
    ``leaf`` (or a list of them) for translatable fields, rebuilt nodes for
    nested models, and the value itself otherwise.  A translatable field whose
    ``when`` condition is false, or whose value is None, is left as it is.
    List elements are located by their keys (:func:`list_keys`); ``loc`` is
    the key location of ``model``, ``pos`` its positional one.

    ``leaf`` and ``node`` are called in document order, each model's ``node``
    after everything under it, from a flat list of steps (:class:`_Walk`) that
    depends only on the model: a brief is localised once per locale, and the
    last few briefs' walks are kept (models are frozen, so a walk never goes stale).
    """
    key_path, position, language = field_path(loc), field_path(pos), _language(model, language)
    steps = _walk(model, key_path, position, language)
    results: list[Any] = []
    for step in steps:
        if type(step) is Unit:
            results.append(leaf(step))
            continue
        assert isinstance(step, _Node)
        fields: dict[str, Any] = {}
        for name, kind, ref in step.parts:
            fields[name] = ref if kind == _VALUE else results[ref] if kind == _ONE else [results[i] for i in ref]
        results.append(node(step.model, step.key_path, fields))
    return results[-1]


#: How a field of a :class:`_Node` is filled: its own value, one earlier step's result, a list of them.
_VALUE, _ONE, _MANY = 0, 1, 2


@dataclass(frozen=True, slots=True)
class _Node:
    """A step of a walk: ``node(model, key_path, fields)``, each field ``(name, how, what)`` (see :data:`_VALUE`)."""

    model: BaseModel
    key_path: str
    parts: tuple[tuple[str, int, Any], ...]


@dataclass(frozen=True, slots=True)
class _Walk:
    model: BaseModel  # held, so its ``id`` names no other model while the walk is kept
    steps: tuple[Unit | _Node, ...]


#: The last walks made, by ``(id(model), key_path, position, language)``: one brief's, for its next locales.
_RECENT: OrderedDict[tuple[int, str, str, str | None], _Walk] = OrderedDict()
_RECENT_SIZE = 64
_RECENT_LOCK = threading.Lock()  # a library caller may localise from several threads


def _walk(model: BaseModel, key_path: str, position: str, language: str | None) -> tuple[Unit | _Node, ...]:
    key = (id(model), key_path, position, language)
    with _RECENT_LOCK:
        walk = _RECENT.get(key)
        if walk is not None and walk.model is model:
            _RECENT.move_to_end(key)
            return walk.steps
    steps: list[Unit | _Node] = []
    _plan(model, key_path, position, language, _key_table(model), steps)
    walk = _Walk(model, tuple(steps))
    with _RECENT_LOCK:
        _RECENT[key] = walk
        while len(_RECENT) > _RECENT_SIZE:
            _RECENT.popitem(last=False)
    return walk.steps


def _language(model: Any, language: str | None) -> str | None:
    """``language``, else the model's own ``language`` field (what :func:`rebuild` does at each node)."""
    if language is None and isinstance(getattr(model, "language", None), str):
        return str(model.language)
    return language


def _key_table(model: BaseModel) -> dict[int, list[str]]:
    """The keys of every list under ``model``, by ``id`` of the list: all lists of one field name are keyed
    together (every section's ``items`` as one list), so an element's key is unique in the brief and does not
    depend on where its parent is or what it is called."""
    by_name: dict[str, list[list[Any]]] = {}
    stack: list[BaseModel] = [model]
    while stack:
        here = stack.pop()
        for name in type(here).model_fields:
            value = getattr(here, name)
            if isinstance(value, BaseModel):
                stack.append(value)
            elif isinstance(value, list) and value:
                by_name.setdefault(name, []).append(value)
                stack.extend(reversed([v for v in value if isinstance(v, BaseModel)]))
    table: dict[int, list[str]] = {}
    for name, lists in by_name.items():
        keys = list_keys([element for elements in lists for element in elements], field=name)
        start = 0
        for elements in lists:
            table[id(elements)] = keys[start:start + len(elements)]
            start += len(elements)
    return table


def _plan(model: BaseModel, key_path: str, position: str, language: str | None, table: dict[int, list[str]],
          steps: list[Unit | _Node]) -> int:
    """Append ``model``'s steps to ``steps``, its own last; its index.  Both locations are already spelled as
    :func:`field_path` spells them: each child's path is its parent's plus one part.  A list element's key
    path is its list's name and its key alone (``items[casualties]``): keys are unique in the brief (``table``)."""
    parts: list[tuple[str, int, Any]] = []
    cls = type(model)
    for name in cls.model_fields:
        value = getattr(model, name)
        here = f"{key_path}.{name}" if key_path else name
        at = f"{position}.{name}" if position else name
        marker = _class_marker(cls, name)
        if marker is not None and value is not None and (marker.when is None or getattr(model, marker.when)):
            if isinstance(value, list):
                keys = table[id(value)] if value else []
                refs = []
                for i, (k, v) in enumerate(zip(keys, value)):
                    steps.append(_unit(f"{name}[{k}]", f"{at}[{i}]", v, marker, model, language, f"{name}[{k}]", True))
                    refs.append(len(steps) - 1)
                parts.append((name, _MANY, tuple(refs)))
            else:
                steps.append(_unit(here, at, value, marker, model, language, key_path,
                                   name == next(iter(getattr(cls, "key_from", ())), None)))
                parts.append((name, _ONE, len(steps) - 1))
        elif isinstance(value, BaseModel):
            parts.append((name, _ONE, _plan(value, here, at, _language(value, language), table, steps)))
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            keys = table[id(value)]
            parts.append((name, _MANY, tuple(_plan(v, f"{name}[{k}]", f"{at}[{i}]", _language(v, language), table,
                                                   steps) for i, (k, v) in enumerate(zip(keys, value)))))
        else:
            parts.append((name, _VALUE, value))
    steps.append(_Node(model, key_path, tuple(parts)))
    return len(steps) - 1


def translation_units(model: BaseModel) -> list[Unit]:
    """Every translatable value of ``model`` (a brief), in document order: one PO message each.

    >>> units = polybrief.translation_units(polybrief.load("examples/nagorno-karabakh.yaml"))
    >>> len(units), units[0].path, units[4].path
    (52, 'headline', 'lead[azerbaijans-defense-ministry]')
    """
    units: list[Unit] = []
    rebuild(model, leaf=units.append, node=lambda m, p, f: None)
    return units


def iter_nodes(model: BaseModel, loc: tuple[Any, ...] = ()) -> Iterator[tuple[str, BaseModel]]:
    """Every model node under ``model`` (itself first) with its *positional* path, for validation errors.

    Depth first, in field order, from a stack: each path is its parent's plus one part (as
    :func:`field_path` spells it), and no generator is nested per level (every brief is walked so
    when it is validated)."""
    stack: list[tuple[str, BaseModel]] = [(field_path(loc), model)]
    while stack:
        path, node = stack.pop()
        yield path, node
        children: list[tuple[str, BaseModel]] = []
        for name in type(node).model_fields:
            value = getattr(node, name)
            here = f"{path}.{name}" if path else name
            if isinstance(value, BaseModel):
                children.append((here, value))
            elif isinstance(value, list):
                children.extend((f"{here}[{i}]", element) for i, element in enumerate(value)
                                if isinstance(element, BaseModel))
        stack.extend(reversed(children))
