"""What each quality check costs: CPU microseconds per segment over a sample of real pairs.

Why: the checks were 45 % of a publish run's CPU (issue 24); this table says
which check to make cheaper and shows what a change bought.  Each registered
check (:data:`polybrief.qa.suite.ALL_CHECKS`) is timed with the process CPU
clock around its call, as :meth:`polybrief.qa.registry.Pair.run` makes it,
over a hash-chosen sample of reviewed pairs of :mod:`bench.real_corpus`
(``--per-language`` per language), each checked once, as
:func:`polybrief.qa.check_segment` checks it.  What checks share (a
segment's sentences or numbers read once) is counted against the first
check that asks for it, so the total is what the segment costs.

``python -m bench.check_costs`` prints a Markdown table: per check, the calls,
CPU µs per segment checked (all segments, so the column sums to the total),
µs per call, and its share.  ``--briefs FILES`` checks those briefs' hy, az
and ru pages as a publish run does instead (memo of repeated segments
included).  ``--save LABEL`` also keeps the result under ``LABEL`` in
``bench/results/check-costs.json``, from which ``docs/benchmarks.md``'s
"Cost per check" tables are written (``before-*`` and ``after-*`` labels:
the code before and after issue 24's item 3).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.check_identity import _chosen
from bench.real_corpus import DEFAULT_CACHE, corpus

__all__ = ["RESULTS", "costs", "main", "save", "table"]

#: Where ``--save`` keeps results, by label.
RESULTS = Path(__file__).resolve().parent / "results" / "check-costs.json"


def _timed(spent: dict[str, list[int]]) -> tuple[Any, ...]:
    """The built-in checks, each wrapped to add its calls and CPU ns to ``spent`` under its function's name."""
    from polybrief.qa import suite
    from polybrief.qa.registry import Check

    clock = time.process_time_ns

    def timed(entry: Check) -> Check:
        function = entry.function
        slot = spent.setdefault(function.__name__, [0, 0])

        def run(pair: Any) -> None:
            started = clock()
            try:
                function(pair)
            finally:
                slot[0] += 1
                slot[1] += clock() - started

        run.__name__ = function.__name__
        run.__module__ = function.__module__
        return Check(run, entry.names, entry.stops)

    return tuple(timed(entry) for entry in suite.ALL_CHECKS)


def costs(work: Callable[[], int], warm: Callable[[], object] | None = None) -> tuple[dict[str, list[int]], int, float]:
    """(check function name → [calls, CPU ns], segments, CPU s of ``work``) with the checks timed.

    ``work`` checks segments through the public entry points and returns how
    many; ``warm`` (run first, untimed) fills lazy imports and detector models.
    The timed checks stand in for the built-in ones while ``work`` runs (the
    memo of :mod:`polybrief.qa.memo` serves them as it serves the built-in ones).
    """
    import polybrief.qa.gate as gate
    import polybrief.qa.suite as suite

    if warm is not None:
        warm()
    spent: dict[str, list[int]] = {}
    wrapped = _timed(spent)
    saved = vars(gate).copy()
    gate.active_checks = lambda: wrapped  # type: ignore[assignment]
    if hasattr(gate, "ALL_CHECKS"):  # the memo serves the built-in checks only
        gate.ALL_CHECKS = wrapped  # type: ignore[misc]
    try:
        started = time.process_time()
        segments = work()
        total = time.process_time() - started
    finally:
        for name in ("active_checks", "ALL_CHECKS"):
            if name in saved:
                setattr(gate, name, saved[name])
    return {entry.function.__name__: spent[entry.function.__name__] for entry in suite.ALL_CHECKS}, segments, total


def real_pairs(items: Sequence[tuple[str, str, str]]) -> tuple[Callable[[], int], Callable[[], object]]:
    """(work, warm-up) checking each (language, source, translation) of ``items`` with ``check_segment``."""
    from polybrief import get_locale
    from polybrief.qa import check_segment

    locales = {"en": get_locale("en")}
    for lang, _, _ in items:
        locales.setdefault(lang, get_locale(lang))

    def check(chosen: Sequence[tuple[str, str, str]]) -> int:
        for lang, source, target in chosen:
            check_segment(source, target, path="msg", source_locale=locales["en"], target_locale=locales[lang])
        return len(chosen)

    return (lambda: check(items)), (lambda: check(items[:200]))


def briefs(paths: Sequence[Path], tags: Sequence[str]) -> tuple[Callable[[], int], Callable[[], object]]:
    """(work, warm-up) checking every localised page of ``paths`` as a publish run does (one session)."""
    from polybrief import Session
    from polybrief.qa.gate import check_localised

    session = Session()
    pages = [session.localise(session.open_brief(path), tag) for path in paths for tag in tags]
    pages = [page for page in pages if not page.is_original]

    def work() -> int:
        facts: dict[str, Any] = {}
        for page in pages:
            check_localised(page, glossary=session.project.glossary,
                            facts=facts.setdefault(page.brief.id, {}), settings=session.project.checks)
        return sum(1 for page in pages for _ in page.segments())

    return work, lambda: None


def table(spent: dict[str, list[int]], segments: int, total: float) -> list[str]:
    """The Markdown table of :func:`costs`' result, costliest check first."""
    checks_ns = sum(ns for _, ns in spent.values())
    lines = [f"{segments} segments; checking them {total / segments * 1e6:.0f} µs CPU per segment, "
             f"the checks {checks_ns / segments / 1e3:.0f} µs of it.", "",
             "| check | calls | µs per segment | µs per call | share |", "|---|---:|---:|---:|---:|"]
    for name, (calls, ns) in sorted(spent.items(), key=lambda kv: -kv[1][1]):
        lines.append(f"| `{name}` | {calls} | {ns / segments / 1e3:.1f} | {ns / max(calls, 1) / 1e3:.1f} | "
                     f"{100 * ns / max(checks_ns, 1):.1f} % |")
    return lines


def save(label: str, spent: dict[str, list[int]], segments: int, total: float, *, corpus: str,
         command: str, path: Path = RESULTS) -> None:
    """Keep one measurement under ``label`` in ``path`` (other labels kept)."""
    found = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    found[label] = {"corpus": corpus, "segments": segments, "total_s": round(total, 4),
                    "checks": {name: [calls, ns] for name, (calls, ns) in spent.items()}, "command": command,
                    "measured": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    path.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.check_costs", description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--per-language", type=int, default=1000)
    parser.add_argument("--briefs", type=Path, nargs="*", help="check these briefs' pages (hy, az, ru) as a "
                        "publish run does, instead of real pairs")
    parser.add_argument("--save", metavar="LABEL", help=f"keep the result under LABEL in {RESULTS.name}")
    args = parser.parse_args(argv)
    if args.briefs:
        work, warm = briefs(args.briefs, ("hy", "az", "ru"))
    else:
        work, warm = real_pairs([(p.lang, p.source, p.target)
                                 for p in _chosen(corpus(args.cache), args.per_language, "costs")])
    spent, segments, total = costs(work, warm)
    sys.stdout.write("\n".join(table(spent, segments, total)) + "\n")
    if args.save:
        corpus_name = f"{len(args.briefs)} corpus briefs" if args.briefs else f"real pairs, {args.per_language} a language"
        shown = ["python -m bench.check_costs", *(["--briefs", "…"] if args.briefs else
                                                   ["--per-language", str(args.per_language)])]
        save(args.save, spent, segments, total, corpus=corpus_name, command=" ".join(shown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
