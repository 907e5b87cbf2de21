"""The quality gate on real translations: false alarms on reviewed pairs, recall on errors injected into them.

Two measurements on the corpus of :mod:`bench.real_corpus` (reviewed
catalogs of Django, Sphinx, Wagtail, Weblate, GNOME, Xfce, LibreOffice,
iso-codes, apt, dpkg…), each on the tuning part and on the held-out projects
(:data:`bench.real_corpus.HELD_OUT`) separately:

* **false alarms**: every pair goes through :func:`polybrief.qa.check_segment`
  as it is; a pair with an error-level finding is a correct segment blocked,
  one with only warnings a correct segment warned;
* **recall**: each error kind of :mod:`bench.qa_kinds` damages up to
  ``--per-kind`` eligible pairs per language (chosen by a hash of the pair, so
  every run picks the same ones); a kind is *caught* at error level when the
  damaged pair has an error-level finding under a check the clean pair did
  not fire, at any level likewise.  translate-toolkit's ``pofilter`` (default
  tests, ``--language``) reads the same pairs; its ``critical`` tests are the
  error level.

Pairs whose translation is the source itself with four words of prose or
more are left out of the false-alarm count (:func:`reviewed`): LibreOffice's
language packs fill untranslated messages with the English text, so those
are not translations, reviewed or otherwise (how many is printed).

``python -m bench.qa_real`` prints the tables of ``docs/qa-evaluation.md``
(``--write`` rewrites its real-translation section).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.real_corpus import DEFAULT_CACHE, LANGUAGES, RealPair, corpus, split

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "qa-evaluation.md"
_PROSE = re.compile(r"(?<![\w.])[a-z][a-z]+(?![\w.])")


def reviewed(pairs: Iterable[RealPair]) -> tuple[list[RealPair], int]:
    """The pairs that are translations, and how many were left out as the source copied (see the docstring)."""
    kept: list[RealPair] = []
    dropped = 0
    for pair in pairs:
        if pair.target.strip() == pair.source.strip() and len(_PROSE.findall(pair.source)) >= 4:
            dropped += 1
            continue
        kept.append(pair)
    return kept, dropped


# -- the checkers on plain pairs -------------------------------------------------------------------------------


@dataclass
class Verdict:
    errors: frozenset[str] = frozenset()
    warnings: frozenset[str] = frozenset()


class Polybrief:
    name = "polybrief"

    def __init__(self) -> None:
        from polybrief import get_locale

        self._locales: dict[str, Any] = {}
        self._en = get_locale("en")
        self._get = get_locale

    def verdict(self, source: str, target: str, lang: str) -> Verdict:
        from polybrief.qa import check_segment

        locale = self._locales.get(lang) or self._locales.setdefault(lang, self._get(lang))
        found = check_segment(source, target, path="msg", source_locale=self._en, target_locale=locale)
        return Verdict(frozenset(f.check for f in found if f.is_error),
                       frozenset(f.check for f in found if not f.is_error))


class Pofilter:
    """translate-toolkit's checker as ``pofilter --language=LANG`` runs it, on one unit at a time."""

    name = "pofilter"

    def __init__(self) -> None:
        self._filters: dict[str, Any] = {}

    def _filter(self, lang: str) -> Any:
        if lang not in self._filters:
            from translate.filters import checks, pofilter

            options = argparse.Namespace(excludefilters=[], limitfilters=None, includefuzzy=True,
                                         includereview=True, autocorrect=False, addnotes=False)
            self._filters[lang] = pofilter.pocheckfilter(options, None, checks.CheckerConfig(targetlanguage=lang))
        return self._filters[lang]

    def verdict(self, source: str, target: str, lang: str) -> Verdict:
        from translate.filters.decorators import Category
        from translate.storage import po

        unit = po.pounit(source)
        unit.target = target
        failures = self._filter(lang).filterunit(unit) or {}
        return Verdict(frozenset(n for n, i in failures.items() if i.get("category") == Category.CRITICAL),
                       frozenset(n for n, i in failures.items() if i.get("category") != Category.CRITICAL))


# -- false alarms ----------------------------------------------------------------------------------------------


@dataclass
class Alarms:
    pairs: Counter[str] = field(default_factory=Counter)
    blocked: Counter[str] = field(default_factory=Counter)
    warned: Counter[str] = field(default_factory=Counter)
    by_check: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    """(lang, check, level) → pairs."""
    examples: dict[str, list[tuple[str, str, str]]] = field(default_factory=lambda: defaultdict(list))


def false_alarms(pairs: Sequence[RealPair], checker: Polybrief | Pofilter) -> Alarms:
    out = Alarms()
    for pair in pairs:
        verdict = checker.verdict(pair.source, pair.target, pair.lang)
        out.pairs[pair.lang] += 1
        if verdict.errors:
            out.blocked[pair.lang] += 1
            if len(out.examples[pair.lang]) < 40:
                out.examples[pair.lang].append((",".join(sorted(verdict.errors)), pair.source, pair.target))
        elif verdict.warnings:
            out.warned[pair.lang] += 1
        for check in verdict.errors:
            out.by_check[(pair.lang, check, "error")] += 1
        for check in verdict.warnings - verdict.errors:
            out.by_check[(pair.lang, check, "warning")] += 1
    return out


# -- recall ----------------------------------------------------------------------------------------------------


@dataclass
class Recall:
    instances: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(kind, lang) → damaged pairs."""
    error: Counter[tuple[str, str]] = field(default_factory=Counter)
    any: Counter[tuple[str, str]] = field(default_factory=Counter)
    fired: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    missed: dict[str, list[tuple[str, str, str]]] = field(default_factory=lambda: defaultdict(list))


def _rank(pair: RealPair, kind: str) -> str:
    return hashlib.sha256(f"{kind}\0{pair.lang}\0{pair.source}\0{pair.target}".encode()).hexdigest()


def recall(pairs: Sequence[RealPair], checkers: Sequence[Polybrief | Pofilter], *, per_kind: int,
           kinds: Sequence[Any] | None = None) -> dict[str, Recall]:
    from bench import qa_kinds

    chosen_kinds = list(kinds if kinds is not None else qa_kinds.REAL_KINDS)
    by_lang: dict[str, list[RealPair]] = defaultdict(list)
    for pair in pairs:
        by_lang[pair.lang].append(pair)
    siblings = qa_kinds.sibling_index(pairs)
    out = {c.name: Recall() for c in checkers}
    for kind in chosen_kinds:
        for lang, items in by_lang.items():
            made = 0
            for pair in sorted(items, key=lambda p: _rank(p, kind.name)):
                if made >= per_kind:
                    break
                damaged = kind.mutate(qa_kinds.Sample(pair.source, pair.target, lang, siblings))
                if damaged is None:
                    continue
                source, target = damaged
                made += 1
                for checker in checkers:
                    clean = checker.verdict(pair.source, pair.target, lang)
                    bad = checker.verdict(source, target, lang)
                    res = out[checker.name]
                    res.instances[(kind.name, lang)] += 1
                    new_errors = bad.errors - clean.errors
                    new_any = (bad.errors | bad.warnings) - (clean.errors | clean.warnings)
                    if new_errors:
                        res.error[(kind.name, lang)] += 1
                    if new_any:
                        res.any[(kind.name, lang)] += 1
                        res.fired[kind.name].update(new_any)
                    elif len(res.missed[kind.name]) < 6:
                        res.missed[kind.name].append((lang, pair.target, target))
    return out


# -- the report ------------------------------------------------------------------------------------------------


def _pct(hits: int, total: int, digits: int = 0) -> str:
    return f"{100 * hits / total:.{digits}f} %" if total else "–"


def alarm_table(title: str, alarms: dict[str, Alarms]) -> list[str]:
    names = list(alarms)
    lines = [f"#### {title}", "", "| lang | pairs | " + " | ".join(f"{n} blocked | {n} warned" for n in names) + " |",
             "|---|---:|" + "---:|---:|" * len(names)]
    for lang in (*LANGUAGES, None):
        cells = []
        for n in names:
            a = alarms[n]
            total = a.pairs[lang] if lang else sum(a.pairs.values())
            blocked = a.blocked[lang] if lang else sum(a.blocked.values())
            warned = a.warned[lang] if lang else sum(a.warned.values())
            cells += [f"{blocked} ({_pct(blocked, total, 2)})", f"{warned} ({_pct(warned, total, 1)})"]
        total = alarms[names[0]].pairs[lang] if lang else sum(alarms[names[0]].pairs.values())
        lines.append(f"| {lang or '**all**'} | {total} | " + " | ".join(cells) + " |")
    return lines


def check_table(title: str, alarms: Alarms, level: str) -> list[str]:
    checks = sorted({c for (_, c, lv) in alarms.by_check if lv == level})
    if not checks:
        return [f"#### {title}", "", "None.", ""]
    lines = [f"#### {title}", "", "| check | " + " | ".join(LANGUAGES) + " |", "|---|" + "---:|" * len(LANGUAGES)]
    for check in checks:
        cells = [_pct(alarms.by_check[(lang, check, level)], alarms.pairs[lang], 2) if alarms.by_check[
            (lang, check, level)] else "" for lang in LANGUAGES]
        lines.append(f"| `{check}` | " + " | ".join(cells) + " |")
    return [*lines, ""]


def recall_table(title: str, results: dict[str, Recall], descriptions: dict[str, str]) -> list[str]:
    names = list(results)
    first = results[names[0]]
    kinds = list(dict.fromkeys(k for k, _ in first.instances))
    lines = [f"#### {title}", "",
             "| kind | what was damaged | n | " + " | ".join(f"{n} error | {n} any" for n in names)
             + " | polybrief checks that fired |", "|---|---|---:|" + "---:|---:|" * len(names) + "---|"]
    for kind in kinds:
        n = sum(v for (k, _), v in first.instances.items() if k == kind)
        cells = []
        for name in names:
            r = results[name]
            cells += [_pct(sum(v for (k, _), v in r.error.items() if k == kind), n),
                      _pct(sum(v for (k, _), v in r.any.items() if k == kind), n)]
        fired = ", ".join(f"`{c}`" for c, _ in results["polybrief"].fired[kind].most_common(4))
        lines.append(f"| `{kind}` | {descriptions.get(kind, '')} | {n} | " + " | ".join(cells) + f" | {fired} |")
    lines += ["", "| lang | n | " + " | ".join(f"{n} error | {n} any" for n in names) + " |",
              "|---|---:|" + "---:|---:|" * len(names)]
    for lang in (*LANGUAGES, None):
        n = sum(v for (_, lg), v in first.instances.items() if lang is None or lg == lang)
        cells = []
        for name in names:
            r = results[name]
            cells += [_pct(sum(v for (_, lg), v in r.error.items() if lang is None or lg == lang), n),
                      _pct(sum(v for (_, lg), v in r.any.items() if lang is None or lg == lang), n)]
        lines.append(f"| {lang or '**all**'} | {n} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def main(argv: list[str] | None = None) -> int:
    from bench import qa_kinds

    parser = argparse.ArgumentParser(prog="python -m bench.qa_real", description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--per-kind", type=int, default=40, help="damaged pairs per kind and language")
    parser.add_argument("--limit", type=int, default=0, help="at most this many correct pairs per language")
    parser.add_argument("--no-pofilter", action="store_true")
    parser.add_argument("--examples", action="store_true", help="print blocked correct pairs and missed errors")
    parser.add_argument("--write", action="store_true", help=f"rewrite the real-translation section of {DOC.name}")
    args = parser.parse_args(argv)
    pairs, copied = reviewed(corpus(args.cache))
    if args.limit:
        by_lang: dict[str, list[RealPair]] = defaultdict(list)
        for pair in sorted(pairs, key=lambda p: _rank(p, "limit")):
            if len(by_lang[pair.lang]) < args.limit:
                by_lang[pair.lang].append(pair)
        pairs = [p for items in by_lang.values() for p in items]
    tune, held = split(pairs)
    checkers: list[Polybrief | Pofilter] = [Polybrief()] if args.no_pofilter else [Polybrief(), Pofilter()]
    lines: list[str] = [f"{len(pairs)} reviewed pairs ({copied} left out: the source copied as the translation).", ""]
    for title, part in (("tuning projects", tune), ("held-out projects", held)):
        started = time.perf_counter()
        alarms = {c.name: false_alarms(part, c) for c in checkers}
        spent = time.perf_counter() - started
        lines += alarm_table(f"Correct segments, {title}", alarms)
        lines += ["", f"({spent:.0f} s for {len(part)} pairs and {len(checkers)} checker(s).)", ""]
        lines += check_table(f"Error-level findings on correct segments by check, {title}", alarms["polybrief"],
                             "error")
        if args.examples:
            for lang, items in alarms["polybrief"].examples.items():
                for checks, src, tgt in items:
                    print(f"BLOCKED {lang} [{checks}] {src[:100]!r} -> {tgt[:100]!r}", file=sys.stderr)
        results = recall(part, checkers, per_kind=args.per_kind)
        lines += recall_table(f"Recall on errors injected into {title}", results, qa_kinds.DESCRIPTIONS)
        if args.examples:
            for kind, items in results["polybrief"].missed.items():
                for lang, before, after in items:
                    print(f"MISSED {kind} {lang} {before[:80]!r} -> {after[:80]!r}", file=sys.stderr)
    text = "\n".join(lines)
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        begin, end = "<!-- qa-real:begin -->", "<!-- qa-real:end -->"
        head, _, rest = doc.partition(begin)
        _, _, tail = rest.partition(end)
        DOC.write_text(f"{head}{begin}\n{text}\n{end}{tail}", encoding="utf-8")
    sys.stdout.write(text + "\n")
    return 0


Mutation = Callable[..., Any]

if __name__ == "__main__":
    raise SystemExit(main())
