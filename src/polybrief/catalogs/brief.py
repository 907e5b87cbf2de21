"""A brief's catalog as publishing reads it: checked on load, looked up by field.

Every translatable field of a brief is one message: ``msgctxt`` is its key
path, ``msgid`` its source text (see :mod:`polybrief.fields`).  A lookup only
returns a translation whose ``msgctxt``, ``msgid`` and (for plurals)
``msgid_plural`` are the field's *current* key and source, so a catalog that
was not updated after an edit can never attach an old translation to new text.

A fuzzy entry whose previous context (``#| msgctxt``) names another field is
a *suggestion*: the merge (or msgmerge) copied it from another field because
the source text is the same or similar.  It is shown to translators but never
published, not even with ``--drafts include``, and it never satisfies
``--strict``: only a translator can say that it fits this field.

How catalogs are created and merged is :mod:`polybrief.catalogs.merge`; where
they live, :mod:`polybrief.catalogs.repository`; how one entry's flags and
comments say reviewed, draft, machine draft or suggestion,
:mod:`polybrief.catalogs.entry`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
import os
from pathlib import Path

from ..cldr import LocaleInfo, LocaleLike, as_locale
from ..errors import CatalogError
from ..fields import Unit, translation_units
from ..fs import ensure_dir, exclusive_lock, user_cache_dir
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Brief
from ..plurals import cldr_rule, compile_plural, form_index, form_samples, plural_rule, plural_verdict
from .entry import Entry, EntryState
from .header import complete_rule, language_tag
from .matching import similar
from .po import PoFile, parse_po
from .repository import find_po, po_path

__all__ = [
    "CatalogEntry",
    "PluralForms",
    "BriefCatalog",
    "CatalogStats",
    "load_brief_catalog",
    "read_brief_po",
    "catalog_stats",
    "catalog_lock",
    "catalog_lock_path",
    "check_writable_catalog",
    "po_revision_date",
]

log = logging.getLogger(__name__)

# -- reading and checking ---------------------------------------------------------------


def check_brief_header(document: PoFile, brief: Brief, locale: LocaleInfo, *,
                       limits: Limits = DEFAULT_LIMITS) -> tuple[int, str]:
    """Refuse a catalog for another language or with plural forms that do not fit it; returns its plural rule.

    ``Language`` is compared as a tag (``ru_RU.UTF-8`` is Russian; a value
    that is no tag is ignored, see :mod:`polybrief.catalogs.header`).  The
    ``Plural-Forms`` rule is judged by
    :func:`~polybrief.plurals.plural_verdict` on CLDR's categories,
    including the brief's own figures; a rule that is accepted but merges
    categories (GNU's two-form French) is logged once for the file, saying
    which form is shown for which numbers.  A file with no plural entry may
    have an empty or bare ``Plural-Forms`` (msgfmt does not read it then):
    the locale's rule is used.

    ``Project-Id-Version`` is free text to gettext (``PACKAGE VERSION`` is
    GNU's default and ``msgfmt -c`` only warns about it), so a value that
    names another brief is logged, not refused: the entries of another brief
    do not match this one's keys and texts, so nothing would be attached.
    """
    path = document.path
    metadata = document.metadata
    declared = language_tag(metadata.get("Language", ""))
    if declared:
        from babel import Locale, UnknownLocaleError

        try:
            language = Locale.parse(declared).language
        except (ValueError, UnknownLocaleError):
            language = declared.split("_")[0].lower()
        if language != locale.babel.language:
            raise CatalogError(
                f"header declares language {metadata.get('Language', '').strip()!r} but the catalog is used for "
                f"{str(locale.babel)!r}", file=path, field="Language",
                hint="fix the 'Language:' header or move the file to the right folder",
            )
    reference = cldr_rule(locale.babel)
    if not document.has_plurals and not complete_rule(metadata.get("Plural-Forms", "")):
        return reference.nplurals, reference.expression  # an empty or bare rule no entry uses: msgfmt ignores it
    try:
        nplurals, expression = plural_rule(metadata.get("Plural-Forms"), locale)
    except CatalogError as exc:
        raise CatalogError(exc.message, file=path, field="Plural-Forms", hint=exc.hint) from None
    counts = [figure.shown_value for figure in brief.figures if figure.unit is not None]
    problem, warning = plural_verdict(nplurals, expression, locale.babel, max_chars=limits.plural_expr_chars,
                                      counts=[int(c) for c in counts if c == int(c)])
    if problem is not None:
        raise CatalogError(problem, file=path, field="Plural-Forms", hint=f"use 'Plural-Forms: {reference.header}'")
    if warning is not None and document.has_plurals:
        log.warning("%s: %s", path, warning)
    project = metadata.get("Project-Id-Version", "").split(" ")[0]
    if project and project not in (brief.id, "PACKAGE", "PROJECT"):
        log.warning("%s: Project-Id-Version names %r, not brief %r; using it for %r anyway",
                    path, project, brief.id, brief.id)
    return nplurals, expression


def read_brief_po(path: Path, brief: Brief, locale: LocaleInfo, *, limits: Limits = DEFAULT_LIMITS) -> PoFile:
    """Parse and check the catalog of ``brief`` for ``locale``: header first, then each plural entry's forms."""
    document = parse_po(path, locale=locale.babel, limits=limits)
    nplurals, expression = check_brief_header(document, brief, locale, limits=limits)
    document = replace(document, plural=(nplurals, expression))
    _warn_revived(document)
    for entry in document.entries:
        if not entry.msgid_plural or not entry.has_text:
            continue
        indexes = [index for index, _ in entry.indexed_forms]
        if indexes != list(range(nplurals)):
            raise CatalogError(
                f"has plural forms msgstr{indexes}, but the catalog's num_plurals is"
                f" {nplurals} (msgstr[0] to msgstr[{nplurals - 1}])",
                file=path, line=document.line_of(entry), field=f"msgctxt {entry.msgctxt!r}",
            )
    return document


def _warn_revived(document: PoFile) -> None:
    """Warn about entries another tool brought back from the obsolete ones as reviewed, though polybrief's
    note says they were a draft, or reviewed for other text (see :attr:`Entry.revival`): they count as drafts."""
    for entry in document.live:
        revival = entry.revival
        if revival is not None and revival != "reviewed" and not entry.flagged_fuzzy and entry.has_text:
            log.warning("%s:%s: msgctxt %r came back from the obsolete entries as reviewed, but it %s; it counts "
                        "as a draft until a translator approves it (update marks it fuzzy)",
                        document.path, entry.msgid_line, entry.msgctxt, revival)
def catalog_lock_path(path: Path) -> Path:
    """Where the lock of the catalog at ``path`` lives: a per-user cache folder, not the catalog's.

    A ``.ID.po.lock`` beside every catalog ended up in newsrooms' git
    repositories, and removing a lock file after use is not safe (a process
    waiting on the removed file and one creating a new one would both hold
    "the" lock).  So locks live in ``$XDG_CACHE_HOME/polybrief/locks`` (by
    default ``~/.cache/polybrief/locks``), named after the catalog's real
    path; beside the catalog only when that folder cannot be made.
    """
    import hashlib

    folder = user_cache_dir() / "locks"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return path.parent / f".{path.name}.lock"
    real = os.path.realpath(path.parent) + os.sep + path.name  # the link itself is refused before any write
    key = hashlib.sha256(real.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return folder / f"{key}-{path.name}.lock"


@contextmanager
def catalog_lock(path: Path) -> Iterator[None]:
    """Serialise read-modify-write cycles on one catalog across processes (the lock: :func:`catalog_lock_path`).

    The lock file is opened by filelock with ``O_NOFOLLOW``, so a symbolic
    link planted in its place cannot redirect the write; it is reported as
    one clear error instead of ``OSError: [Errno 40]``.
    """
    ensure_dir(path.parent)
    with exclusive_lock(catalog_lock_path(path), timeout=120, error=CatalogError, owner=path,
                        busy="catalog is locked by another polybrief process",
                        busy_hint="wait for it to finish, or remove a stale .lock file"):
        yield


def check_writable_catalog(path: Path) -> None:
    """Refuse to replace a catalog that is a symbolic link (see the README's "Security model").

    Catalogs are replaced atomically (temp file, then rename), which would
    turn the link into a regular file and leave its target stale; writing
    through the link instead would let a link planted in a catalog folder
    write anywhere.  The user decides: copy the file in, or point
    ``--catalogs`` at the real folder.
    """
    if path.is_symlink():
        raise CatalogError(
            "catalog is a symbolic link; polybrief does not write through links", file=path,
            hint=f"replace the link with the file it points to ({path.resolve()}), "
                 "or pass --catalogs with the folder that holds the real catalogs",
        )
    lock_path = catalog_lock_path(path)
    if lock_path.is_symlink():
        raise CatalogError(f"the catalog's lock file {lock_path.name} is a symbolic link", file=lock_path,
                           hint="remove it; polybrief creates it as a regular file")


# -- lookups ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """A catalog's translation of one field: its forms and whether it is a draft."""

    forms: tuple[str, ...]
    fuzzy: bool
    machine: bool = False
    """A machine draft (``polybrief translate`` wrote it), not a translator's work."""
    stale: bool = False
    """The source text changed since this translation was made (a previous msgid is kept)."""
    suggestion: bool = False
    """Carried from another field (same or similar source text): shown to translators, never published."""
    engine: str | None = None
    """For a machine draft: the engine its comment names."""
    models: tuple[str, ...] = ()
    """For a machine draft: the model(s) its comment names (two when pivoted)."""
    ignored: frozenset[str] = frozenset()
    """Quality checks a reviewer silenced for this entry (``#, ignore-<check>`` flags)."""

    @property
    def text(self) -> str:
        return self.forms[0]

    @property
    def stale_machine_draft(self) -> bool:
        """A machine draft of an older source text: to be machine-translated again."""
        return self.fuzzy and self.machine and self.stale


@dataclass(frozen=True, slots=True)
class PluralForms:
    """Every form a catalog has for a plural field (empty ones too) and the counts each is shown for.

    The quality checks need what :class:`CatalogEntry` hides: a plural
    message with one form left empty is not published at all (the field
    falls back to the source), and which CLDR category a form serves depends
    on the catalog's ``Plural-Forms`` expression.  ``samples[i]`` lists the
    counts 0–120 that the expression maps to form ``i``.
    """

    forms: tuple[str, ...]
    samples: tuple[tuple[int, ...], ...]
    fuzzy: bool


class BriefCatalog:
    """A loaded, checked PO catalog of one brief in one locale, keyed by field key path.

    A translation is returned only for the field's *current* source text, so an edited field
    never shows the translation of its old text as if it were reviewed:

    >>> brief = polybrief.load("examples/nagorno-karabakh.yaml")
    >>> catalog = polybrief.load_brief_catalog(brief, "hy", "examples/locales")
    >>> headline = polybrief.translation_units(brief)[0]
    >>> catalog.lookup(headline).forms[0]
    'Ադրբեջանը «հակաահաբեկչական» հարձակում է սկսել Լեռնային Ղարաբաղում'
    >>> edited = brief.model_copy(update={"headline": "Azerbaijan launches an offensive"})
    >>> catalog.lookup(polybrief.translation_units(edited)[0]) is None
    True
    """

    def __init__(self, document: PoFile, locale: LocaleInfo, path: Path | None = None, *,
                 units: Sequence[Unit] = ()) -> None:
        self.document = document
        self.path = path if path is not None else document.path
        self.locale = locale
        self._siblings: dict[str, list[Unit]] = {}
        for unit in units:
            if not unit.title and not unit.is_plural:  # as the merge judges a replaced element
                self._siblings.setdefault(unit.element, []).append(unit)
        if document.plural is not None:
            self.num_plurals, expression = document.plural
        else:
            self.num_plurals, expression = plural_rule(document.metadata.get("Plural-Forms"), locale)
        self._entries: dict[str, Entry] = {e.msgctxt: e for e in document.live if e.msgid and e.msgctxt}
        self._expression = expression
        self._plural: Callable[[int], int] = compile_plural(expression)  # checked by read_brief_po already

    @property
    def obsolete_count(self) -> int:
        return sum(1 for e in self.document.obsolete if e.msgid)

    @property
    def revised(self) -> datetime | None:
        """When a translator (or ``polybrief translate``) last revised the catalog: its ``PO-Revision-Date``.

        ``polybrief update`` leaves the date alone, as ``msgmerge`` does: it
        marks entries fuzzy and adds new ones but changes no translation.  None
        when the header has no date (the template's ``YEAR-MO-DA`` placeholder).
        """
        return po_revision_date(self.document.metadata.get("PO-Revision-Date", ""))

    def _current(self, unit: Unit) -> Entry | None:
        """The entry under ``unit``'s key if it is for the field's current source text (and, for an element's
        title, in its current context)."""
        entry = self._entries.get(unit.path)
        if entry is None or entry.source != (unit.text, unit.plural):
            return None
        return entry if not unit.title or self._in_context(unit) else None

    def _in_context(self, unit: Unit) -> bool:
        """Whether the element's other fields are still what the catalog has, or similar: a title (an item's
        label) is translated for its element ("Statement" is "Заявление Азербайджана" because of the item's
        text), so when the text under its key was replaced -- a twin now first in the list, a different
        party's statement, and ``update`` not run since -- its translation is not this element's."""
        for sibling in self._siblings.get(unit.element, ()):
            entry = self._entries.get(sibling.path)
            if entry is not None and not similar(entry.source, (sibling.text, sibling.plural)):
                return False
        return True

    def _entry(self, unit: Unit) -> CatalogEntry | None:
        entry = self._current(unit)
        if entry is None or not entry.complete:
            return None
        machine, fuzzy = entry.machine, entry.fuzzy
        return CatalogEntry(forms=entry.forms, fuzzy=fuzzy, machine=machine,
                            engine=entry.engine if machine else None, models=entry.models if machine else (),
                            stale=fuzzy and entry.stale, suggestion=fuzzy and entry.suggestion,
                            ignored=entry.ignored_checks)

    def lookup(self, unit: Unit) -> CatalogEntry | None:
        """This field's translation (reviewed or draft) of its current source, or None; never a suggestion."""
        entry = self._entry(unit)
        return None if entry is None or entry.suggestion else entry

    def suggestion(self, unit: Unit) -> CatalogEntry | None:
        """A translation carried from another field with the same or a similar source text, if any."""
        entry = self._entry(unit)
        return entry if entry is not None and entry.suggestion else None

    def plural_forms(self, unit: Unit) -> PluralForms | None:
        """Every form of a plural ``unit``'s translation of its current text, even an incomplete one."""
        entry = self._current(unit)
        if not unit.is_plural or entry is None or not entry.has_text or entry.suggestion:
            return None
        found = entry.forms
        by_form = self.form_samples()
        samples = tuple(by_form[index] if index < len(by_form) else () for index in range(len(found)))
        return PluralForms(found, samples, entry.fuzzy)

    def form_samples(self) -> tuple[tuple[int, ...], ...]:
        """The counts 0–120 each form index of the catalog's ``Plural-Forms`` is shown for
        (:func:`polybrief.plurals.form_samples`, worked out once per expression)."""
        return form_samples(self._expression)

    def machine_rejected(self, unit: Unit) -> bool:
        """Whether machine translation of this field's current text was tried and rejected.

        A note saying only that no model was installed is not a rejection of
        the text (versions before 0.1.1 wrote one into every entry): ignored.
        """
        entry = self._current(unit)
        return entry is not None and entry.state is EntryState.REJECTED

    def is_stale(self, unit: Unit) -> bool:
        """Whether the catalog has this field under an older source text (run ``update``)."""
        entry = self._entries.get(unit.path)
        return entry is not None and entry.source != (unit.text, unit.plural)

    def plural_index(self, value: int | float | Decimal) -> int:
        """gettext form index for ``value`` as written (:func:`polybrief.plurals.form_index`: a number
        with visible decimals takes the form of its CLDR category, ``1.0`` is not ``1``).

        An index outside the catalog's forms (an expression that misbehaves
        above 1000, where the header check stops looking) is an error, not a
        silent choice of the last form.
        """
        try:
            index = form_index(value, self.num_plurals, self._expression, self.locale)
        except ArithmeticError as exc:
            index, problem = -1, str(exc)
        else:
            problem = f"gives form {index}"
        if not 0 <= index < self.num_plurals:
            number = abs(int(value))
            raise CatalogError(
                f"Plural-Forms expression {problem} for n={number}, outside 0..{self.num_plurals - 1}",
                file=self.path, field="Plural-Forms",
                hint="use the Plural-Forms header polybrief update writes for the language",
            )
        return index


def po_revision_date(value: str) -> datetime | None:
    """A PO header date (``2023-09-20 10:15+0400``, GNU's layout; seconds allowed) as a datetime, or None."""
    text = value.strip()
    for layout in ("%Y-%m-%d %H:%M%z", "%Y-%m-%d %H:%M:%S%z"):
        try:
            return datetime.strptime(text, layout)
        except ValueError:
            continue
    return None


def load_brief_catalog(brief: Brief, locale: LocaleLike, root: str | os.PathLike[str], *,
                       limits: Limits = DEFAULT_LIMITS, path: Path | None = None,
                       units: Sequence[Unit] | None = None) -> BriefCatalog | None:
    """The checked catalog of ``brief`` for ``locale`` under ``root``, or None if there is none
    (``path``: the file already found there; ``units``: ``translation_units(brief)`` if the caller has them).

    >>> brief = polybrief.load("examples/nagorno-karabakh.yaml")
    >>> str(polybrief.load_brief_catalog(brief, "hy", "examples/locales").path)
    'examples/locales/hy/LC_MESSAGES/nagorno-karabakh.po'
    >>> polybrief.load_brief_catalog(brief, "ka", "examples/locales") is None
    True
    """
    locale, root = as_locale(locale), Path(root)
    if path is None:
        path = find_po([root], locale, brief.id)
    if path is None:
        return None
    return BriefCatalog(read_brief_po(path, brief, locale, limits=limits), locale, path,
                        units=translation_units(brief) if units is None else units)


# -- statistics -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatalogStats:
    """How far one locale's catalog of a brief is translated (``polybrief stats``): what is left to do.

    ``exists`` is False when the locale has no catalog yet (every field then counts as untranslated).

    >>> brief = polybrief.load("examples/nagorno-karabakh.yaml")
    >>> hy, ka = polybrief.catalog_stats(brief, ["hy", "ka"], "examples/locales")
    >>> hy.translated, hy.untranslated, ka.exists, ka.untranslated
    (52, 0, False, 52)
    """

    locale: str
    path: str
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int
    exists: bool = True
    suggested: int = 0
    """Untranslated fields that hold a suggestion carried from another field (counted in ``untranslated``)."""


def catalog_stats(brief: Brief, locales: Sequence[LocaleLike], root: str | os.PathLike[str], *,
                  limits: Limits = DEFAULT_LIMITS) -> list[CatalogStats]:
    """Translated / fuzzy / untranslated counts of ``brief`` per locale (against the current brief).

    >>> brief = polybrief.load("examples/nagorno-karabakh.yaml")
    >>> stats = polybrief.catalog_stats(brief, ["hy", "ru"], "examples/locales")
    >>> [(s.locale, s.translated, s.fuzzy) for s in stats]
    [('hy', 52, 0), ('ru', 52, 0)]
    """
    units = translation_units(brief)
    root = Path(root)
    out = []
    for tag in locales:
        locale = as_locale(tag)
        path = po_path(root, locale, brief.id)
        loaded = load_brief_catalog(brief, locale, root, limits=limits)
        translated = fuzzy = suggested = 0
        if loaded is not None:
            for unit in units:
                entry = loaded.lookup(unit)
                if entry is None:
                    suggested += loaded.suggestion(unit) is not None
                elif entry.fuzzy:
                    fuzzy += 1
                else:
                    translated += 1
        out.append(CatalogStats(
            locale=locale.tag, path=str(loaded.path if loaded else path), total=len(units),
            translated=translated, fuzzy=fuzzy, untranslated=len(units) - translated - fuzzy,
            obsolete=loaded.obsolete_count if loaded is not None else 0, exists=loaded is not None,
            suggested=suggested,
        ))
    return out
