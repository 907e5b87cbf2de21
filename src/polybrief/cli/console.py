"""What the command line shows while and after it works on hundreds of briefs.

Publishing 300 briefs used to be silent for half a minute, then print 1,200
lines of ``hy nk-001 (reviewed 50)``; one warning repeated per catalog made
900 more.  Here:

* **Progress.**  On a terminal, one bar per phase of a run (tqdm, on
  stderr): ``build`` (each brief), ``links`` (pages of earlier runs rendered
  again), ``write`` (files renamed into place).  Not on a terminal (a log, CI),
  no bars.
* **Summary.**  One line per locale: how many briefs, the passages by kind
  (reviewed, draft, machine, source) and how many pages were written or left
  unchanged.  ``-v`` brings back one line per page.
* **Warnings folded.**  A warning logged again with the same wording (its
  format string, whatever the file it names) is counted rather than printed;
  at exit one line says how many more there were.  Worker processes fold
  their own; what matters is that no warning floods the screen.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..publishing import PublishReport

__all__ = ["ProgressBars", "FoldingHandler", "install_folding", "locale_summaries"]

_PHASES = {"build": "briefs", "links": "language links", "write": "files"}


class ProgressBars:
    """``progress(phase, done, total)`` for :func:`polybrief.publish`: one tqdm bar per phase, on a terminal."""

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self._bars: dict[str, Any] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        bar = self._bars.get(phase)
        if bar is None:
            for other in self._bars.values():  # a new phase: the previous ones are finished
                other.close()
            from tqdm import tqdm

            import shutil

            # A terminal that reports no size (a fresh pseudo-terminal) would make tqdm draw nothing.
            size = shutil.get_terminal_size()
            bar = self._bars[phase] = tqdm(total=total, desc=_PHASES.get(phase, phase), unit="",
                                           file=self.stream, leave=True, ncols=min(size.columns, 100),
                                           nrows=max(size.lines, 2))
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()
        self._bars.clear()


class FoldingHandler(logging.Handler):
    """Prints a warning the first time its wording is seen, counts the repeats, and reports them at the end."""

    def __init__(self, stream: Any = None) -> None:
        super().__init__()
        self.stream = stream if stream is not None else sys.stderr
        self.repeats: dict[tuple[int, str], int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        key = (record.levelno, str(record.msg))
        if record.levelno >= logging.WARNING and key in self.repeats:
            self.repeats[key] += 1
            return
        self.repeats[key] = 0
        try:
            self.stream.write(self.format(record) + "\n")
        except Exception:  # noqa: BLE001 - logging must never break a run
            self.handleError(record)

    def summary(self) -> list[str]:
        """One line per folded warning: how many more times it was logged."""
        return [f"polybrief: {logging.getLevelName(level).lower()}: {count} more like: "
                f"{_shape(message)}" for (level, message), count in self.repeats.items() if count]

    def flush_summary(self) -> None:
        for line in self.summary():
            self.stream.write(line + "\n")
        self.repeats.clear()


def _shape(message: str) -> str:
    """A logged format string made readable (``%s`` and friends shown as ``…``)."""
    import re

    return re.sub(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrfgi]", "…", message)


def install_folding(level: int) -> FoldingHandler:
    """Configure the root logger with one :class:`FoldingHandler`, as ``logging.basicConfig`` would: only when
    it has no handler yet (a program embedding :func:`polybrief.cli.main` keeps its own logging)."""
    handler = FoldingHandler()
    handler.setFormatter(logging.Formatter("polybrief: %(levelname)s: %(message)s"))
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(handler)
        root.setLevel(level)
    elif any(isinstance(h, FoldingHandler) for h in root.handlers):  # main() called again in one process
        handler = next(h for h in root.handlers if isinstance(h, FoldingHandler))
        root.setLevel(level)
    return handler


def locale_summaries(report: PublishReport, written: dict[str, int]) -> Iterable[str]:
    """One line per locale of a publish run: briefs, passages by kind, pages written and unchanged.

    ``written``: files written per locale (pages of the run and of earlier runs rendered again)."""
    rows: dict[str, dict[str, Any]] = {}
    for page in report.pages:
        row = rows.setdefault(page.locale, {"briefs": 0, "built": 0, "kept": 0, "original": page.original,
                                            "counts": {}})
        row["briefs"] += 1
        row["built" if page.built else "kept"] += 1
        for kind, count in page.provenance.items():
            row["counts"][kind] = row["counts"].get(kind, 0) + count
    for tag, row in rows.items():
        counts = row["counts"]
        if row["original"]:
            passages = "original"
        else:
            kinds = ["reviewed", "draft", "machine-draft", "machine", "source"]
            passages = ", ".join(f"{kind} {counts.get(kind, 0):,}" for kind in kinds
                                 if counts.get(kind, 0) or kind in ("reviewed", "draft", "source"))
        briefs = f"{row['briefs']:,} brief{'' if row['briefs'] == 1 else 's'}"
        yield (f"{tag:>8}  {briefs}: {passages}; pages written {row['built']:,}, unchanged {row['kept']:,}; "
               f"files written {written.get(tag, 0):,}")
