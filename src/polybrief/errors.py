"""One exception hierarchy for everything polybrief reports to its users.

Every error carries *where* the problem is (a file, a line, a field path such
as ``sections[0].items[3].text``) and *what to do* about it, because the people
reading these messages are editors in a hurry, not Python programmers.  The CLI
prints ``str(error)`` on one line and exits with status 2; it never shows a
traceback for a :class:`PolybriefError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike

__all__ = [
    "PolybriefError",
    "BriefError",
    "LocaleError",
    "TemplateError",
    "OutputError",
    "CatalogError",
    "UntranslatedError",
    "TranslationEngineError",
    "MissingExtraError",
    "ModelPackageError",
    "GlossaryError",
    "QualityGateError",
    "UsageError",
    "NetworkError",
    "InterruptedRunError",
]


class PolybriefError(Exception):
    """Root of every error polybrief raises on purpose.

    ``file``, ``line`` and ``field`` say where; ``hint`` says what to do.  They
    are kept as attributes so programs can act on them, and folded into the
    message so people can read it.  An input with several problems (a brief
    failing validation in three fields) raises one error for the first, with
    the others in ``also``: every problem is reported, each with its own
    line and field, so a user fixes them in one round instead of one per run.

    >>> try:
    ...     polybrief.read_brief("id: storm-update\\nheadline: ''\\n", filename="storm.yaml")
    ... except polybrief.PolybriefError as error:
    ...     print(error.file, error.line, error.field, len(error.also))
    storm.yaml 2 headline 3
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | PathLike[str] | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
        also: Sequence[PolybriefError] = (),
    ) -> None:
        self.message = message
        self.file = None if file is None else str(file)
        self.line = line
        self.field = field
        self.hint = hint
        self.also: tuple[PolybriefError, ...] = tuple(also)
        super().__init__("\n".join(p.describe() for p in self.problems))

    @property
    def problems(self) -> tuple[PolybriefError, ...]:
        """This error and every further problem of the same input, in order (one line each)."""
        return (self, *self.also)

    def describe(self) -> str:
        """This problem alone: ``file:line: field: message (hint)``."""
        where = ""
        if self.file is not None:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [p for p in (where, self.field) if p]
        text = f"{': '.join(parts)}: {self.message}" if parts else self.message
        if self.hint:
            text = f"{text} ({self.hint})"
        return text


class BriefError(PolybriefError):
    """A brief file that cannot be read, parsed or validated.

    >>> polybrief.load("no-such-brief.yaml")
    Traceback (most recent call last):
    polybrief.errors.BriefError: no-such-brief.yaml: cannot read brief: no such file
    """


class LocaleError(PolybriefError, ValueError):
    """A locale tag Babel does not know, or locale data that is malformed (a ``ValueError`` too).

    >>> polybrief.localise("examples/nagorno-karabakh.yaml", "xx-nope")
    Traceback (most recent call last):
    polybrief.errors.LocaleError: unknown locale 'xx-nope' (use a BCP 47 tag that CLDR knows, ...)
    """


class TemplateError(PolybriefError):
    """A template that is missing, does not compile, or fails to render.

    >>> polybrief.render("examples/nagorno-karabakh.yaml", "hy", format="pdf")
    Traceback (most recent call last):
    polybrief.errors.TemplateError: unknown output format 'pdf' (use html or text)
    """


class OutputError(PolybriefError, OSError):
    """An output file or folder that cannot be written (an ``OSError`` too).

    >>> polybrief.publish(["examples/nagorno-karabakh.yaml"], locales=["hy"], out_dir="README.md")
    Traceback (most recent call last):
    polybrief.errors.OutputError: README.md: exists and is not a folder
    """


class CatalogError(PolybriefError):
    """A PO/POT catalog that does not parse or does not belong where it is.

    >>> polybrief.Project(catalogs_dir="no-such-folder")
    Traceback (most recent call last):
    polybrief.errors.CatalogError: no-such-folder: catalogs folder does not exist (...)
    """


class UntranslatedError(PolybriefError):
    """Strict publishing found segments that would fall back to the source text.

    >>> strict = polybrief.TranslationPolicy(strict=True)
    >>> polybrief.localise("examples/nagorno-karabakh.yaml", "ka", policy=strict)   # no Georgian catalog
    Traceback (most recent call last):
    polybrief.errors.UntranslatedError: headline: 50 segment(s) would fall back to the source text: ...
    """


class TranslationEngineError(PolybriefError):
    """Machine translation was asked for and cannot run, or gave nothing a page may show.

    >>> import tempfile
    >>> from polybrief.mt import TaggingEngine              # "[ka] Azerbaijan ...": not Georgian
    >>> with tempfile.TemporaryDirectory() as out:
    ...     polybrief.publish(["examples/nagorno-karabakh.yaml"], locales=["ka"], out_dir=out,
    ...                       machine=polybrief.machine_provider(TaggingEngine()))
    Traceback (most recent call last):
    polybrief.errors.TranslationEngineError: machine translation produced nothing publishable for 1 locale(s) ...
    """


class MissingExtraError(TranslationEngineError, ImportError):
    """An optional dependency (an install extra) is not installed.

    An ``ImportError`` too, so code that already guards an optional import needs no change::

        try:
            engine = polybrief.mt.build_engine()
        except ImportError as error:       # polybrief.MissingExtraError: ... (pip install 'polybrief[mt]')
            engine = None

    >>> issubclass(polybrief.MissingExtraError, ImportError)
    True
    """


class ModelPackageError(TranslationEngineError):
    """A model package or model folder that is unsafe, corrupt or incomplete.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as models:
    ...     polybrief.mt.install_package("README.md", packages_dir=pathlib.Path(models))
    Traceback (most recent call last):
    polybrief.errors.ModelPackageError: README.md: not a readable .argosmodel (zip) file: ...
    """


class GlossaryError(PolybriefError):
    """A glossary file with an invalid row.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "terms.csv")
    ...     _ = path.write_text("term,ru\\nAFP,=\\n", encoding="utf-8")
    ...     polybrief.load_glossary(path)
    Traceback (most recent call last):
    polybrief.errors.GlossaryError: .../terms.csv:1: the header has no 'source' column (...)
    """


class QualityGateError(PolybriefError):
    """Translations failed error-level quality checks and publishing was refused.

    Refused before anything is written.  A reviewed Russian catalog whose translation says 12
    wounded where the brief says 11:

    >>> import pathlib, shutil, tempfile
    >>> with tempfile.TemporaryDirectory() as root:
    ...     _ = shutil.copytree("examples/locales", root, dirs_exist_ok=True)
    ...     po = pathlib.Path(root, "ru", "LC_MESSAGES", "nagorno-karabakh.po")
    ...     _ = po.write_text(po.read_text(encoding="utf-8").replace("ещё 11", "ещё 12"), encoding="utf-8")
    ...     polybrief.publish(["examples/nagorno-karabakh.yaml"], locales=["ru"], out_dir=pathlib.Path(root, "site"),
    ...                       project=polybrief.Project(catalogs_dir=root))
    Traceback (most recent call last):
    polybrief.errors.QualityGateError: lead[azerbaijani-forces-reportedly]: quality check 'numbers' failed for ru: ...
    """


class UsageError(PolybriefError):
    """A command or API call given arguments that cannot work together (not a bad file).

    >>> polybrief.Project(base_url="news.example.org")
    Traceback (most recent call last):
    polybrief.errors.UsageError: base URL 'news.example.org' is not an absolute http(s) URL (...)
    """


class NetworkError(PolybriefError, OSError):
    """A download or index fetch that failed, timed out or was refused (not an engine fault).

    An ``OSError`` too, and not a :class:`TranslationEngineError`: worth retrying, where a
    broken model is not::

        try:
            entries = polybrief.mt.fetch_index()
        except polybrief.NetworkError as error:    # offline, refused, timed out, too large
            print(error)

    >>> issubclass(polybrief.NetworkError, OSError), issubclass(polybrief.NetworkError, polybrief.UsageError)
    (True, False)
    >>> issubclass(polybrief.NetworkError, polybrief.TranslationEngineError)
    False
    """


class InterruptedRunError(PolybriefError):
    """The run was cut short from outside (a worker process killed by a signal); nothing was written.

    Not bad input and not a bug: running it again may succeed (with fewer ``--jobs`` if memory was
    short).  The command line prints one line naming the signal and exits with status 75
    (``EX_TEMPFAIL``)::

        try:
            polybrief.publish(briefs, locales=["hy"], out_dir="dist", jobs=8)
        except polybrief.InterruptedRunError:
            polybrief.publish(briefs, locales=["hy"], out_dir="dist", jobs=2)

    >>> issubclass(polybrief.InterruptedRunError, polybrief.PolybriefError)
    True
    """
