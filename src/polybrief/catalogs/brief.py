"""A brief's catalog as publishing reads it: checked on load, looked up by field.

Every translatable field of a brief is one message: ``msgctxt`` is its field
path, ``msgid`` its source text (see :mod:`polybrief.fields`).  A lookup only
returns a translation whose msgid is the field's *current* source text, so a
catalog that was not updated after an edit can never attach an old
translation to new text.  How catalogs are created and merged is
:mod:`polybrief.catalogs.merge`; where they live, :mod:`polybrief.catalogs.repository`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..cldr import LocaleInfo, get_locale
from ..errors import CatalogError
from ..fields import Unit, translation_units
from ..fs import ensure_dir
from ..limits import DEFAULT_LIMITS, Limits
from ..model import Brief
from .po import check_header, compile_plural, forms_of, has_text, is_translated, plain_id, read_po_file
from .repository import find_po, po_path

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog, Message

__all__ = [
    "CatalogEntry",
    "BriefCatalog",
    "CatalogStats",
    "load_brief_catalog",
    "read_brief_po",
    "catalog_stats",
    "catalog_lock",
    "check_writable_catalog",
    "MACHINE_COMMENT",
    "REJECTED_COMMENT",
    "is_machine_draft",
    "split_machine_notes",
]

log = logging.getLogger(__name__)


def _restore_previous(message: Message) -> None:
    """Babel reads ``#|`` lines back as comments; turn them into ``previous_id`` again.

    A long previous msgid spans several lines (``#| msgid ""`` then ``#| "..."``),
    as GNU gettext and :func:`~polybrief.po.po_bytes` write it.
    """
    from babel.messages.pofile import denormalize

    parts: dict[str, list[str]] = {}
    current: str | None = None
    kept: list[str] = []
    for comment in message.user_comments:
        if comment.startswith("| "):
            keyword, _, rest = comment[2:].partition(" ")
            if keyword in ("msgid", "msgid_plural", "msgctxt") and rest.startswith('"'):
                current = keyword
                parts[current] = [rest]
                continue
            if current is not None and comment[2:].startswith('"'):
                parts[current].append(comment[2:])
                continue
        current = None
        kept.append(comment)
    previous = [denormalize("\n".join(parts[k])) for k in ("msgid", "msgid_plural") if k in parts]
    if parts:
        message.user_comments = kept
    if previous:
        message.previous_id = previous  # a list, as Babel's Message keeps it


def read_brief_po(path: Path, brief: Brief, locale: LocaleInfo, *, limits: Limits = DEFAULT_LIMITS) -> Catalog:
    catalog = read_po_file(path, locale=locale.babel, domain=brief.id, limits=limits)
    check_header(catalog, path, locale.babel, limits=limits)
    if catalog.project and catalog.project not in (brief.id, "PROJECT"):
        raise CatalogError(
            f"catalog belongs to brief {catalog.project!r}, not {brief.id!r}",
            file=path, field="Project-Id-Version",
            hint=f"use the catalog of {brief.id!r} or fix its header",
        )
    for message in [*catalog, *catalog.obsolete.values()]:
        if message.id:
            _restore_previous(message)
            _check_plural_shape(message, catalog, path)
    return catalog


def _check_plural_shape(message: Message, catalog: Catalog, path: Path) -> None:
    if isinstance(message.id, (tuple, list)) and isinstance(message.string, (tuple, list)):
        if len(message.string) != catalog.num_plurals and any(message.string):
            raise CatalogError(
                f"has {len(message.string)} plural forms, the catalog's language needs {catalog.num_plurals}",
                file=path, line=message.lineno, field=f"msgctxt {message.context!r}",
            )


@contextmanager
def catalog_lock(path: Path) -> Iterator[None]:
    """Serialise read-modify-write cycles on one catalog across processes.

    The lock file is opened by filelock with ``O_NOFOLLOW``, so a symbolic
    link planted in its place cannot redirect the write; it is reported as
    one clear error instead of ``OSError: [Errno 40]``.
    """
    from filelock import FileLock, Timeout

    ensure_dir(path.parent)
    lock_path = path.parent / f".{path.name}.lock"
    lock = FileLock(str(lock_path), timeout=120)
    try:
        lock.acquire()
    except Timeout:
        raise CatalogError("catalog is locked by another polybrief process", file=path,
                           hint="wait for it to finish, or remove a stale .lock file") from None
    except OSError as exc:
        what = "is a symbolic link" if lock_path.is_symlink() else f"cannot be opened: {exc.strerror or exc}"
        raise CatalogError(f"the catalog's lock file {lock_path.name} {what}", file=lock_path,
                           hint="remove it; polybrief creates it as a regular file") from None
    try:
        yield
    finally:
        lock.release()


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
    lock_path = path.parent / f".{path.name}.lock"
    if lock_path.is_symlink():
        raise CatalogError(f"the catalog's lock file {lock_path.name} is a symbolic link", file=lock_path,
                           hint="remove it; polybrief creates it as a regular file")


MACHINE_COMMENT = "machine translation:"
REJECTED_COMMENT = "machine translation rejected:"
NO_MODEL_NOTE = "no machine translation model for"


def is_machine_draft(message: Message) -> bool:
    return any(c.startswith(MACHINE_COMMENT) for c in message.user_comments)


def split_machine_notes(comments: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(translator comments, machine notes)`` of an entry.

    Babel wraps translator comments at 76 columns when it writes a PO file,
    so a long note (``machine translation rejected: engine …: no machine
    translation model for en→ru …``) comes back as several comments.  A note
    is joined with the comments after it when wrapping the joined text gives
    exactly those lines back; a translator's own comment after a note that
    did not fill its line would have been wrapped onto it, so it is never
    mistaken for a continuation.
    """
    from babel.util import TextWrapper

    wrapper = TextWrapper(width=76, break_long_words=False)
    others: list[str] = []
    notes: list[str] = []
    index = 0
    while index < len(comments):
        comment = comments[index]
        if not comment.startswith((MACHINE_COMMENT, REJECTED_COMMENT)):
            others.append(comment)
            index += 1
            continue
        end = index + 1
        for stop in range(index + 2, min(len(comments), index + 6) + 1):
            if comments[stop - 1].startswith((MACHINE_COMMENT, REJECTED_COMMENT)):
                break
            if [line.strip() for line in wrapper.wrap(" ".join(comments[index:stop]))] == list(comments[index:stop]):
                end = stop
        notes.append(" ".join(comments[index:end]))
        index = end
    return others, notes


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """A catalog's translation of one field: its forms and whether it is a draft."""

    forms: tuple[str, ...]
    fuzzy: bool
    machine: bool = False
    """A machine draft (``polybrief translate`` wrote it), not a translator's work."""
    stale: bool = False
    """The source text changed since this translation was made (a previous msgid is kept)."""

    @property
    def text(self) -> str:
        return self.forms[0]

    @property
    def stale_machine_draft(self) -> bool:
        """A machine draft of an older source text: to be machine-translated again."""
        return self.fuzzy and self.machine and self.stale


class BriefCatalog:
    """A loaded, checked PO catalog of one brief in one locale, keyed by field path."""

    def __init__(self, catalog: Catalog, path: Path | None = None) -> None:
        self.catalog = catalog
        self.path = path
        self._entries = {m.context: m for m in catalog if m.id and m.context}
        self._plural = compile_plural(catalog.plural_expr)  # checked by check_header already

    def lookup(self, unit: Unit) -> CatalogEntry | None:
        """The entry for ``unit`` if its msgid is the unit's current source text."""
        message = self._entries.get(unit.path)
        if message is None or plain_id(message) != unit.text or not is_translated(message):
            return None
        if unit.is_plural and (not isinstance(message.id, (tuple, list)) or message.id[1] != unit.plural):
            return None
        forms = forms_of(message)
        return CatalogEntry(forms=forms, fuzzy=message.fuzzy, machine=is_machine_draft(message),
                            stale=bool(message.previous_id) and message.fuzzy)

    def machine_rejected(self, unit: Unit) -> bool:
        """Whether machine translation of this field's current text was tried and rejected.

        A note saying only that no model was installed is not a rejection of
        the text (versions before 0.1.1 wrote one into every entry): ignored.
        """
        message = self._entries.get(unit.path)
        if message is None or plain_id(message) != unit.text or has_text(message):
            return False
        _, notes = split_machine_notes(message.user_comments)
        return any(n.startswith(REJECTED_COMMENT) and NO_MODEL_NOTE not in n for n in notes)

    def is_stale(self, unit: Unit) -> bool:
        """Whether the catalog has this field under an older source text (run ``update``)."""
        message = self._entries.get(unit.path)
        return message is not None and plain_id(message) != unit.text

    def plural_index(self, value: int | float | Decimal) -> int:
        """gettext form index for ``value`` (non-integers use the last form).

        An index outside the catalog's forms (an expression that misbehaves
        above 1000, where :func:`check_header` stops looking) is an error, not
        a silent choice of the last form.
        """
        if not (isinstance(value, int) or Decimal(value) == Decimal(value).to_integral_value()):
            return self.catalog.num_plurals - 1
        number = abs(int(value))
        try:
            index = int(self._plural(number))
        except ArithmeticError as exc:
            index, problem = -1, str(exc)
        else:
            problem = f"gives form {index}"
        if not 0 <= index < self.catalog.num_plurals:
            raise CatalogError(
                f"Plural-Forms expression {problem} for n={number}, outside 0..{self.catalog.num_plurals - 1}",
                file=self.path, field="Plural-Forms",
                hint="use the Plural-Forms header polybrief update writes for the language",
            )
        return index


def load_brief_catalog(brief: Brief, locale: LocaleInfo, root: Path, *,
                       limits: Limits = DEFAULT_LIMITS) -> BriefCatalog | None:
    """The checked catalog of ``brief`` for ``locale`` under ``root``, or None if there is none."""
    path = find_po([root], locale, brief.id)
    if path is None:
        return None
    return BriefCatalog(read_brief_po(path, brief, locale, limits=limits), path)


# -- statistics -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatalogStats:
    locale: str
    path: str
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int
    exists: bool = True


def catalog_stats(brief: Brief, locales: Sequence[str | LocaleInfo], root: Path, *,
                  limits: Limits = DEFAULT_LIMITS) -> list[CatalogStats]:
    """Translated / fuzzy / untranslated counts of ``brief`` per locale (against the current brief)."""
    units = translation_units(brief)
    out = []
    for tag in locales:
        locale = tag if isinstance(tag, LocaleInfo) else get_locale(tag)
        path = po_path(root, locale, brief.id)
        loaded = load_brief_catalog(brief, locale, root, limits=limits)
        translated = fuzzy = 0
        if loaded is not None:
            for unit in units:
                entry = loaded.lookup(unit)
                if entry is None:
                    continue
                if entry.fuzzy:
                    fuzzy += 1
                else:
                    translated += 1
        obsolete = len(loaded.catalog.obsolete) if loaded is not None else 0
        out.append(CatalogStats(
            locale=locale.tag, path=str(loaded.path if loaded else path), total=len(units),
            translated=translated, fuzzy=fuzzy, untranslated=len(units) - translated - fuzzy,
            obsolete=obsolete, exists=loaded is not None,
        ))
    return out
