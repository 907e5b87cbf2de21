"""Creating and updating a brief's catalogs: the merge rules of its translation memory.

Every translatable field of a brief is one message: ``msgctxt`` is its key
path, ``msgid`` its source text, ``msgid_plural`` its plural source (see
:mod:`polybrief.fields`).  Catalogs live in a standard gettext tree beside the
brief, ``<brief dir>/locales/<lang>/LC_MESSAGES/<brief-id>.po``, so Poedit,
Weblate, msgmerge and ``msgfmt`` work on them as they are.

Merging is done here rather than with ``babel.messages.Catalog.update`` or
msgmerge: Babel's update ignores ``msgctxt`` when fuzzy-matching and drops
the old entry it matched, and msgmerge consumes the entry it fuzzy-matches
and keeps a label's translation for whatever item now has its key.  polybrief
promises that a reviewed translation is never lost or attached to the wrong
field.  First, each element of the brief (an item, a section, a figure, a
paragraph...) is paired with the old element it continues, by key, content
and similarity (:mod:`polybrief.catalogs.matching`).  Then, for each field,
the first rule that applies:

1. **kept** -- the paired element's entry for exactly this source (plural
   source included) is kept as it is, under the field's key: reviewed stays
   reviewed, a draft stays a draft, also when the element was re-keyed (a
   heading renamed, an item moved, ``key:`` added).  An *obsolete* one comes
   back reviewed only when its obsolete note proves it was reviewed for
   exactly this key and text (:meth:`Entry.revive`), else fuzzy;
1a. **an exact figure's bare unit** (``civilian``, as catalogs wrote it
   before exact figures became phrases, :mod:`polybrief.phrases`) -- the
   paired element's live entry moves to the phrase (``{count} civilian``),
   ``{count} `` before each form, state unchanged: its page showed exactly that;
2. **edited** -- the paired element's entry for a *similar* source (difflib
   ratio >= :data:`SIMILARITY`, msgmerge's threshold) moves to the new source
   as *fuzzy*, its old ``msgid`` kept as the previous one (``#|``), as
   ``msgmerge --previous`` does (an entry that already had previous ones
   keeps them: its translation translates those).  Changed beyond the
   threshold, the field gets a new entry and the old translation goes
   obsolete;
3. **replaced** -- the title of an element that replaced another under its
   key (same label, a different item's text), with the same words: the old
   translation becomes a *suggestion* there (it may not stay obsolete under
   the same ``msgctxt`` and ``msgid``: msgfmt refuses duplicates);
4. **same source under another key** -- a *copy* of that translation as a
   suggestion (``# polybrief suggestion: from KEY``).  The original stays
   where it was (live, or obsolete);
5. **similar source in an element no field continues** -- the same kind of
   suggestion, from the most similar such entry of the same kind of field;
6. otherwise the field gets a new, untranslated entry.

Suggestions are never published, never satisfy ``--strict``, and
``translate`` replaces them with machine drafts (see
:mod:`polybrief.catalogs.brief` and :mod:`polybrief.catalogs.drafts`).
Reviewed, draft and suggestion are the states of
:class:`~polybrief.catalogs.entry.Entry`, and each rule is one of its
transitions: rule 1 ``move`` (and ``revive``), 1a ``rephrase``, 2-5 ``carry``, and
``make_obsolete`` for the translations no field kept.

Entries with a translation that no field kept are kept as obsolete
(``#~``, never with the ``msgctxt`` and ``msgid`` of another entry), never
deleted; untranslated ones are dropped.  Brief text is never a format string: ``*-format`` flags (Babel adds ``python-format``
to text with ``%``, and then ``msgfmt -c`` refuses correct translations) are
removed.

Catalogs made before keys existed use positional contexts
(``sections[0].items[3].text``).  ``update`` migrates them on its first run:
an element's entries take its key when *every* entry found at the element's
current position has exactly that field's current source text.  Otherwise
the element moved or changed since that catalog was last updated, so the
position says nothing about which field the translation belongs to: the
pairing finds such elements by their content instead.

Nothing is written when nothing changed (not even the revision date); when
something did, :mod:`polybrief.catalogs.writer` keeps the file's header
fields, its wrapping and the text of every unchanged entry.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
import os
from pathlib import Path

from .._version import __version__
from ..cldr import LocaleInfo, LocaleLike, as_locale
from ..errors import CatalogError
from ..fields import COUNT_PLACEHOLDER, Unit, translation_units
from ..fs import atomic_write_bytes, ensure_dir, read_regular_file
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Brief
from ..plurals import cldr_rule
from .brief import catalog_lock, check_writable_catalog, read_brief_po
from .header import complete_rule
from .entry import Entry
from .matching import (
    SIMILARITY,
    SIMILARITY_BUDGET,
    OldElement,
    kind_of,
    new_elements,
    old_elements,
    pair_elements,
    similar,
    similarity,
    split_key,
)
from .po import PoFile, parse_po_bytes
from .predecessors import migrations, renamed_from
from .repository import po_path, template_path
from .writer import in_utf8, now, po_date, render_po

__all__ = ["extract_template", "write_template", "update_catalog", "merge_entries", "MergeResult", "SIMILARITY"]

log = logging.getLogger(__name__)

_FORMAT_FLAG = re.compile(r"^(?!no-)[\w-]+-format$")


#: The header comment catalogs had before keys (replaced when such a catalog is migrated).
_OLD_HEADER_COMMENT = (
    "Translations of the polybrief brief {id!r}.\n"
    "One message per field: msgctxt is the field path, msgid the source text.\n"
    "Edit with any PO editor; fuzzy entries are drafts and are not published by\n"
    "default."
)
_HEADER_COMMENT = (
    "Translations of the polybrief brief {id!r}.\n"
    "One message per field: msgctxt is the field's key, msgid its source text.\n"
    "Edit with any PO editor; fuzzy entries are drafts and are not published by\n"
    "default."
)


def _new_metadata(brief: Brief, locale: LocaleInfo | None) -> list[tuple[str, str]]:
    stamp = po_date(now())
    fields = [
        ("Project-Id-Version", f"{brief.id} 1"),
        ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", stamp),
        ("PO-Revision-Date", stamp if locale is not None else "YEAR-MO-DA HO:MI+ZONE"),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
        ("Language-Team", f"{locale.english_name} <LL@li.org>" if locale is not None else "LANGUAGE <LL@li.org>"),
    ]
    if locale is not None:
        fields.append(("Language", str(locale.babel)))
    fields += [("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=UTF-8"),
               ("Content-Transfer-Encoding", "8bit")]
    if locale is not None:
        fields.append(("Plural-Forms", cldr_rule(locale.babel).header))
    fields.append(("X-Generator", f"polybrief {__version__}"))
    return fields


def _new(unit: Unit, nplurals: int) -> Entry:
    """An untranslated entry for ``unit`` (``python-brace-format`` for a figure phrase, see :func:`_clean_flags`)."""
    return Entry.new(unit.path, unit.text, unit.plural, nplurals=nplurals, comment=unit.comment,
                     flags=("python-brace-format",) if unit.has_count else ())


# -- the template -------------------------------------------------------------------------


def extract_template(brief: Brief) -> list[Entry]:
    """The POT entries of ``brief``: one untranslated entry per translatable field, in order.

    >>> entries = polybrief.extract_template(polybrief.load("examples/nagorno-karabakh.yaml"))
    >>> len(entries), entries[0]
    (52, <Entry 'headline' untranslated>)
    """
    return [_new(unit, 2) for unit in translation_units(brief)]


def write_template(brief: Brief, root: str | os.PathLike[str]) -> Path:
    """Write ``<root>/<brief-id>.pot``; it is not rewritten when only its date would change.

    (So a run that changed nothing leaves nothing for version control to show.)

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as root:
    ...     polybrief.write_template(polybrief.load("examples/nagorno-karabakh.yaml"), root).name
    'nagorno-karabakh.pot'
    """
    root = Path(root)
    path = template_path(root, brief.id)
    ensure_dir(root)
    entries = extract_template(brief)
    metadata = _new_metadata(brief, None)
    comment = _HEADER_COMMENT.format(id=brief.id)
    old: PoFile | None = None
    if path.exists() or path.is_symlink():
        # A FIFO, a device or a folder in its place is an error (a FIFO would block forever) ...
        data = read_regular_file(path, max_bytes=DEFAULT_LIMITS.po_bytes, error=CatalogError, what="template",
                                 limit_name="po_bytes")
        try:
            old = parse_po_bytes(data, path)
        except CatalogError:
            old = None  # ... but a broken template is simply rewritten
    if old is not None and [e.signature for e in old.entries] == [e.signature for e in entries] \
            and old.header_comment == comment:
        return path
    atomic_write_bytes(path, render_po(entries, metadata=metadata, header_comment=comment, path=path)
                       .encode("utf-8"))
    return path


# -- the merge ----------------------------------------------------------------------------


@dataclass
class MergeResult:
    """What a merge produced, and which rule gave each field its entry (for reports and tests)."""

    entries: list[Entry]
    rules: dict[str, str] = field(default_factory=dict)
    """Field key path -> ``exact``, ``revived``, ``moved``, ``phrased``, ``changed``, ``replaced``, ``same-text``,
    ``similar`` or ``new``."""
    migrated: int = 0
    """Entries that took their field's key from a position-keyed catalog."""


def _comment(old: Entry, unit: Unit) -> str:
    """The field's extracted comment, keeping the old one's line breaks when only the wrapping differs
    (a tool that wraps ``#.`` lines must not make an unchanged entry look changed)."""
    return old.comment if " ".join(old.comment.split()) == " ".join(unit.comment.split()) else unit.comment


def _clean_flags(flags: Iterable[str], unit: Unit | None = None) -> list[str]:
    """``flags`` without format flags (order kept; ``fuzzy`` is the entry's state, see :mod:`.entry`).

    Brief text is never a format string ("84.5% of" is not a ``% o``
    directive, and ``msgfmt --check`` would reject "84,5 % населения"), so
    format flags that Babel or xgettext-minded tools add are dropped.  The one
    exception is a figure phrase (``at least {count} civilians``): its
    ``{count}`` must survive translation, and ``python-brace-format`` makes
    ``msgfmt --check`` and PO editors check exactly that.
    """
    kept = [f for f in flags if not _FORMAT_FLAG.match(f)]
    if unit is not None and unit.has_count:
        kept.append("python-brace-format")
    return kept


def _fit(old: Entry, unit: Unit, nplurals: int) -> list[str]:
    """The old translation reshaped for the unit (singular <-> plural changes)."""
    old_forms = list(old.forms)
    if unit.is_plural:
        shaped = old_forms[:nplurals]
        return shaped + [shaped[-1] if shaped else ""] * (nplurals - len(shaped))
    return [next((form for form in old_forms if form), "")]


class _Memory:
    """The old catalog's translations, paired with the brief's elements and indexed for suggestions."""

    def __init__(self, old: PoFile | None, units: Sequence[Unit]) -> None:
        self.live = [e for e in old.live if e.msgid] if old is not None else []
        self.dead = [e for e in old.obsolete if e.msgid] if old is not None else []
        self.renamed = migrations(units, self.live)
        olds = old_elements([*self.dead, *self.live], self.key)
        self.old_by_key = {o.key: o for o in olds}
        self.pairing = pair_elements(new_elements(units), olds)
        self.element_of = {id(e): o.key for o in olds for found in o.versions.values() for e in found}
        self.element_of.update({id(e): split_key(self.key(e) or "")[0] for e in [*self.dead, *self.live]
                                if id(e) not in self.element_of})
        # later wins: a reviewed live entry is the best source, then a draft, then an obsolete one
        ranked = [*self.dead, *sorted(self.live, key=lambda e: not e.fuzzy)]
        self.by_source: dict[tuple[str, str | None], list[Entry]] = {}
        for e in reversed(ranked):
            if e.has_text:
                self.by_source.setdefault(e.source, []).append(e)
        used = {o.key for o in self.pairing.pairs.values()}
        self.orphans = [e for e in [*self.live, *self.dead] if e.has_text and self.element_of[id(e)] not in used]
        self.budget = SIMILARITY_BUDGET

    def key(self, entry: Entry) -> str | None:
        """The key an old entry is under (its migrated key for a position-keyed one)."""
        return self.renamed.get(id(entry), entry.msgctxt)

    def match(self, unit: Unit) -> tuple[str, Entry | None]:
        """The first rule that applies to ``unit``, and the old entry it takes the translation from."""
        element, name = split_key(unit.path)
        paired = self.pairing.pairs.get(element)
        source = (unit.text, unit.plural)
        found = _version(paired, name, source) if paired is not None else None
        refused = {self.pairing.replaced.get(element)}
        gone = self.replaced_entry(element, name, source)
        if gone is not None:
            return "replaced", gone  # the same words, for a replaced element: offered, never published
        if found is not None and found.source == source:
            return ("revived" if found.obsolete else "exact" if self.key(found) == unit.path else "moved"), found
        if paired is not None and unit.legacy is not None:  # rule 1a
            bare = paired.version(name, unit.legacy)
            if bare is not None and not bare.obsolete:
                return "phrased", bare
        if found is not None:
            if similar(found.source, source):
                return "changed", found
            refused.add(paired.key if paired is not None else None)  # rewritten beyond recognition: not offered
        for e in self.by_source.get(source, ()):
            if self.element_of[id(e)] not in refused:
                return "same-text", e
        close = self._similar(unit, refused)
        return ("similar", close) if close is not None else ("new", None)

    def replaced_entry(self, element: str, name: str, source: tuple[str, str | None]) -> Entry | None:
        """The old entry for ``source`` of field ``name`` of the element ``element`` replaced under its key."""
        old_key = self.pairing.replaced.get(element)
        old = self.old_by_key.get(old_key) if old_key is not None else None
        return old.version(name, source) if old is not None else None

    def _similar(self, unit: Unit, refused: set[str | None]) -> Entry | None:
        """The orphaned entry of the same kind of field whose source is most similar to ``unit``'s (rule 4)."""
        best, best_ratio = None, SIMILARITY
        element, name = split_key(unit.path)
        kind = kind_of(element)
        for e in self.orphans:
            if self.budget <= 0:
                break
            other, other_name = split_key(self.key(e) or "")
            if kind_of(other) != kind or other_name != name or bool(e.msgid_plural) != unit.is_plural \
                    or self.element_of[id(e)] in refused:
                continue
            self.budget -= 1
            ratio = similarity(unit.text, e.msgid)
            if ratio >= best_ratio and (best is None or ratio > best_ratio):
                best, best_ratio = e, ratio
        return best


def _version(old: OldElement, name: str, source: tuple[str, str | None]) -> Entry | None:
    """The version of field ``name`` to carry to ``source``: the one for exactly it, else the most similar one,
    else the live one (changed beyond recognition: the rules then offer it to no one)."""
    exact = old.version(name, source)
    if exact is not None:
        return exact
    found = old.versions.get(name, [])
    close = [(similarity(source[0], e.msgid), -n, e) for n, e in enumerate(found) if similar(e.source, source)]
    return max(close, key=lambda c: c[:2])[2] if close else (found[0] if found else None)


def merge_entries(old: PoFile | None, brief: Brief, nplurals: int, *, obsolete: bool = True) -> MergeResult:
    """The entries of the updated catalog (live in field order, then obsolete) by the rules above.

    ``obsolete``: keep the old translations no field kept as obsolete entries (not when ``old`` is another
    brief's catalog this one starts from).
    """
    units = translation_units(brief)
    memory = _Memory(old, units)
    result = MergeResult(entries=[], migrated=len(memory.renamed))
    kept: set[int] = set()  # old entries whose translation lives on unchanged in a field's entry
    for unit in units:
        rule, found = memory.match(unit)
        if found is None:  # rule 6
            entry = _new(unit, nplurals)
        elif rule in ("exact", "revived", "moved"):  # rule 1, and its element re-keyed
            entry = found.copy()
            entry.move(unit.path, comment=_comment(found, unit))
            if found.obsolete:
                entry.revive()
            entry.settle()
            kept.add(id(found))
        elif rule == "phrased":  # rule 1a
            entry = found.copy()
            entry.move(unit.path, comment=unit.comment)
            entry.rephrase(unit.text, unit.plural, [f"{COUNT_PLACEHOLDER} {form}" if form else ""
                                                    for form in found.forms])
            entry.settle()
            kept.add(id(found))
        else:  # rules 2-5: a draft of what ``found`` translates; from another element, a suggestion
            entry = _new(unit, nplurals)
            entry.carry(found, _fit(found, unit, nplurals), context=memory.key(found), suggestion=rule != "changed")
            if rule in ("changed", "replaced") and entry.forms == found.forms:
                # not reshaped: the original need not be kept as well (for "replaced" it must not: an obsolete
                # entry with the live one's msgctxt and msgid is a duplicate msgfmt refuses)
                kept.add(id(found))
        entry.flags = _clean_flags(entry.flags, unit)
        result.rules[unit.path] = rule
        result.entries.append(entry)
    if obsolete:
        result.entries += _obsolete(memory, kept, {entry.signature for entry in result.entries})
    result.entries = _without_collisions(result.entries)
    return result


def _without_collisions(entries: list[Entry]) -> list[Entry]:
    """No obsolete entry with the ``msgctxt`` and ``msgid`` of another entry (msgfmt and msgcat refuse such a
    file).  That happens when a key now names another element than it did (its old element's translation
    went obsolete, the new one has a field with the same words): the old translation goes into the live
    entry as a suggestion when that one has none, is dropped when an entry with that key and text holds
    exactly that translation already, and is otherwise kept under an archive key no element can have
    (``items[statement~2].label``: keys never hold ``~``), where the merge still finds it by its content."""
    taken = {(e.msgctxt, e.msgid): e for e in entries if not e.obsolete}
    out = []
    for entry in entries:
        if not entry.obsolete:
            out.append(entry)
            continue
        twin = taken.get((entry.msgctxt, entry.msgid))
        if twin is not None and not twin.obsolete and not twin.has_text \
                and bool(twin.msgid_plural) == bool(entry.msgid_plural):
            twin.carry(entry, _fit_forms(entry.forms, twin), context=entry.msgctxt, suggestion=True)
            continue
        if twin is not None and twin.forms == entry.forms:
            continue
        if twin is not None:
            entry.move(_archive_key(entry.msgctxt or "", entry.msgid, taken), comment="")
        taken[(entry.msgctxt, entry.msgid)] = entry
        out.append(entry)
    return out


def _archive_key(key: str, msgid: str, taken: dict[tuple[str | None, str], Entry]) -> str:
    """``key`` with ``~2``, ``~3``... in its element's brackets (or at its end), free for ``msgid``."""
    element, name = split_key(key)
    for n in range(2, len(taken) + 3):
        if element.endswith("]"):
            candidate = f"{element[:-1]}~{n}]" + (f".{name}" if name else "")
        else:
            candidate = f"{key}~{n}"
        if (candidate, msgid) not in taken:
            return candidate
    raise AssertionError("unreachable: more candidates than entries")  # pragma: no cover


def _fit_forms(forms: tuple[str, ...], entry: Entry) -> list[str]:
    """``forms`` reshaped to ``entry``'s number of forms."""
    wanted = len(entry.forms)
    return [*forms[:wanted], *([forms[-1]] * (wanted - len(forms)))] if forms else [""] * wanted


def _obsolete(memory: _Memory, kept: set[int], seen: set[tuple[object, ...]]) -> list[Entry]:
    """The old translations no field kept, as obsolete entries (one of each, none already among ``seen``)."""
    out = []
    for e in [*memory.dead, *memory.live]:
        if id(e) in kept or not e.has_text:
            continue
        gone = e.copy()
        gone.make_obsolete()
        gone.flags = _clean_flags(gone.flags)
        if gone.signature not in seen:
            seen.add(gone.signature)
            out.append(gone)
    return out


def update_catalog(brief: Brief, locale: LocaleLike, root: str | os.PathLike[str], *,
                   limits: Limits = DEFAULT_LIMITS, replaces: str | None = None) -> Path:
    """Create or update the PO file of ``brief`` for ``locale`` under ``root``.

    Serialised by a file lock (two processes updating one catalog do not lose
    each other's work) and written atomically, only when something changed.
    A reviewed translation is never overwritten: it is kept, demoted to fuzzy
    when its source changed, or kept as obsolete when its field disappeared.
    A catalog that is a symbolic link is refused
    (:func:`~polybrief.catalogs.brief.check_writable_catalog`).

    The header is kept as it is, ``PO-Revision-Date`` included: as with
    ``msgmerge``, that date is the translator's (an update changes no
    translation), and a translated page's ``dateModified`` is read from it.
    Only a ``Project-Id-Version`` naming another brief (a catalog copied from
    another brief) is rewritten for this one.

    ``replaces``: the id this brief had before (its catalogs are
    ``<lang>/LC_MESSAGES/<old id>.po``): when the brief has no catalog for
    ``locale`` yet, the old one is the starting point, so its translations stay
    attached to the same keys instead of starting an empty catalog.  The old
    file is left as it is.

    After an edit to the headline, its reviewed translation stays, as a draft to review:

    >>> import shutil, tempfile
    >>> brief = polybrief.load("examples/nagorno-karabakh.yaml")
    >>> edited = brief.model_copy(update={"headline": "Azerbaijan launches an offensive in Nagorno-Karabakh"})
    >>> with tempfile.TemporaryDirectory() as root:
    ...     _ = shutil.copytree("examples/locales", root, dirs_exist_ok=True)
    ...     path = polybrief.update_catalog(edited, "hy", root)
    ...     stats = polybrief.catalog_stats(edited, ["hy"], root)[0]
    >>> stats.translated, stats.fuzzy
    (51, 1)
    """
    locale, root = as_locale(locale), Path(root)
    path = po_path(root, locale, brief.id)
    check_writable_catalog(path)
    with catalog_lock(path):
        check_writable_catalog(path)
        old = read_brief_po(path, brief, locale, limits=limits) if path.exists() or path.is_symlink() else None
        if old is None and replaces is not None and replaces != brief.id:
            previous = po_path(root, locale, replaces)
            if previous.exists() or previous.is_symlink():
                old = read_brief_po(previous, brief.model_copy(update={"id": replaces}), locale, limits=limits)
        seed = renamed_from(brief, locale, path, limits) if old is None else None
        start = old if old is not None else seed
        reference = cldr_rule(locale.babel)
        nplurals = start.plural[0] if start is not None and start.plural is not None else reference.nplurals
        result = merge_entries(start, brief, nplurals, obsolete=old is not None)
        _verify_nothing_lost(old, result.entries, path)
        if old is not None:
            metadata, comment, fuzzy = _own_header(old, brief), old.header_comment, old.header_fuzzy
            if old.path == path and [e.signature for e in old.entries] == [e.signature for e in result.entries] \
                    and metadata == list(old.metadata.items()):
                return path
            if comment in (_OLD_HEADER_COMMENT.format(id=brief.id), _HEADER_COMMENT.format(id=replaces)):
                comment = _HEADER_COMMENT.format(id=brief.id)
            metadata = in_utf8(metadata, old)  # it is written in UTF-8, whatever it was read in
        else:
            metadata, comment, fuzzy = _new_metadata(brief, locale), _HEADER_COMMENT.format(id=brief.id), False
        if start is not None and (start is seed or not complete_rule(start.metadata.get("Plural-Forms", ""))) \
                and any(e.msgid_plural for e in result.entries):
            rule = f"nplurals={nplurals}; plural={start.plural[1]};" if start.plural is not None else reference.header
            metadata = _with_field(metadata, "Plural-Forms", rule)  # the rule the entries were written for
        if result.migrated:
            log.info("%s: %d entries moved from positional to key contexts", path, result.migrated)
        text = render_po(result.entries, metadata=metadata, header_comment=comment, header_fuzzy=fuzzy,
                         original=old, path=path)
        atomic_write_bytes(path, text.encode("utf-8"))
    return path


def _with_field(metadata: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    """``metadata`` with the field ``name`` set to ``value`` (replaced in place, or added at the end)."""
    if any(key == name for key, _ in metadata):
        return [(key, value if key == name else old) for key, old in metadata]
    return [*metadata, (name, value)]


def _own_header(document: PoFile, brief: Brief) -> list[tuple[str, str]]:
    """``document``'s header fields, with a ``Project-Id-Version`` that names another brief renamed for
    ``brief`` (its version part kept): the cause of "Project-Id-Version names …" warnings, fixed where it is."""
    out = []
    for key, value in document.metadata.items():
        if key == "Project-Id-Version":
            name, _, version = value.strip().partition(" ")
            if name and name not in (brief.id, "PACKAGE", "PROJECT"):
                value = f"{brief.id} {version}".strip()
        out.append((key, value))
    return out


def _verify_nothing_lost(old: PoFile | None, entries: Sequence[Entry], path: Path) -> None:
    """Belt and braces: every translation of the old catalog is still in the new one (live or obsolete)."""
    if old is None:
        return
    kept = {e.forms for e in entries}
    # rule 1a: a bare unit lives on as its phrase, "{count} " before each form
    kept |= {tuple(f.removeprefix(f"{COUNT_PLACEHOLDER} ") for f in e.forms) for e in entries}
    for e in old.entries:
        if e.msgid and e.has_text and e.forms not in kept:
            raise CatalogError(  # pragma: no cover - guarded by property tests
                "internal error: a translation would have been lost; nothing was written",
                file=path, field=f"msgctxt {e.msgctxt!r}",
            )
