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
    """A brief file that cannot be read, parsed or validated."""


class LocaleError(PolybriefError, ValueError):
    """A locale tag Babel does not know, or locale data that is malformed."""


class TemplateError(PolybriefError):
    """A template that is missing, does not compile, or fails to render."""


class OutputError(PolybriefError, OSError):
    """An output file or folder that cannot be written."""


class CatalogError(PolybriefError):
    """A PO/POT catalog that does not parse or does not belong where it is."""


class UntranslatedError(PolybriefError):
    """Strict publishing found segments that would fall back to the source text."""


class TranslationEngineError(PolybriefError):
    """Machine translation was asked for and cannot run."""


class MissingExtraError(TranslationEngineError, ImportError):
    """An optional dependency (an install extra) is not installed."""


class ModelPackageError(TranslationEngineError):
    """A model package or model folder that is unsafe, corrupt or incomplete."""


class GlossaryError(PolybriefError):
    """A glossary file with an invalid row."""


class QualityGateError(PolybriefError):
    """Translations failed error-level quality checks and publishing was refused."""


class UsageError(PolybriefError):
    """A command or API call given arguments that cannot work together (not a bad file)."""


class NetworkError(PolybriefError, OSError):
    """A download or index fetch that failed, timed out or was refused (not an engine fault)."""


class InterruptedRunError(PolybriefError):
    """The run was cut short from outside (a worker process killed by a signal); nothing was written, and
    running it again may succeed.  The command line exits with status 75 (``EX_TEMPFAIL``)."""
