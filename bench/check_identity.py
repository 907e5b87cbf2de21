"""Findings of :func:`polybrief.qa.check_segment` on a fixed sample of real pairs, recorded or compared.

Why: the checks are made cheaper (issue 24) without changing one result.  A
record made before a change and compared after it proves that, on what
translators really write: a hash-chosen sample of reviewed pairs per language
of :mod:`bench.real_corpus`, and every error kind of :mod:`bench.qa_kinds`
applied to some of them (checked twice: as a reviewer's translation and as a
machine's, since a few checks read the provenance).

``python -m bench.check_identity --record FILE`` writes one JSON line per
pair (language, provenance, source, translation and every finding's check
name, severity and message); ``--compare FILE`` checks the same pairs again
and prints how many pairs and findings agree and the first differences
(exit 1 when any differs).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

from bench.real_corpus import DEFAULT_CACHE, LANGUAGES, SAMPLE, RealPair, corpus, read

__all__ = ["FIXTURE", "Case", "cases", "compare", "findings_of", "fixture_pairs", "main", "record"]

#: The findings of the committed sample's pairs (``--fixture``), recorded before the checks were made
#: cheaper (issue 24); ``tests/test_qa_identity.py`` compares them.
FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "check-findings.jsonl"
#: The sample sizes for the committed record: (pairs per language, damaged pairs per kind and language).
FIXTURE_SIZES = (150, 3)

Case = tuple[str, str, str, str]
"""(language, provenance or "", source, translation)."""


def _rank(pair: RealPair, salt: str) -> str:
    return hashlib.sha256(f"{salt}\0{pair.lang}\0{pair.source}\0{pair.target}".encode()).hexdigest()


def _chosen(pairs: Sequence[RealPair], per_language: int, salt: str) -> list[RealPair]:
    by_lang: dict[str, list[RealPair]] = defaultdict(list)
    for pair in pairs:
        by_lang[pair.lang].append(pair)
    return [p for lang in LANGUAGES for p in sorted(by_lang[lang], key=lambda p: _rank(p, salt))[:per_language]]


def cases(pairs: Sequence[RealPair], *, per_language: int, per_kind: int) -> Iterator[Case]:
    """The clean pairs (``per_language`` per language), then ``per_kind`` damaged pairs per kind and language."""
    from bench import qa_kinds

    for pair in _chosen(pairs, per_language, "clean"):
        yield pair.lang, "", pair.source, pair.target
    if not per_kind:
        return
    pool = _chosen(pairs, max(per_language, 4 * per_kind), "damage")
    siblings = qa_kinds.sibling_index(pairs)
    for kind in qa_kinds.REAL_KINDS:
        made: dict[str, int] = defaultdict(int)
        for pair in sorted(pool, key=lambda p: _rank(p, kind.name)):
            if made[pair.lang] >= per_kind:
                continue
            damaged = kind.mutate(qa_kinds.Sample(pair.source, pair.target, pair.lang, siblings))
            if damaged is None:
                continue
            made[pair.lang] += 1
            for provenance in ("", "machine"):
                yield pair.lang, provenance, damaged[0], damaged[1]


def fixture_pairs(folder: Path) -> list[RealPair]:
    """The committed sample of real pairs (``tests/fixtures/real-pairs``), for a test without the download."""
    return [pair for lang in LANGUAGES for pair in read(folder / f"{lang}.jsonl")]


class _Checker:
    def __init__(self) -> None:
        from polybrief import get_locale

        self._get = get_locale
        self._locales = {"en": get_locale("en")}

    def __call__(self, case: Case) -> list[list[str]]:
        from polybrief.provenance import Provenance
        from polybrief.qa import check_segment

        lang, provenance, source, target = case
        locale = self._locales.get(lang) or self._locales.setdefault(lang, self._get(lang))
        found = check_segment(source, target, path="msg", source_locale=self._locales["en"], target_locale=locale,
                              provenance=Provenance(provenance) if provenance else None)
        return [[f.check, f.severity.value, f.message] for f in found]


def findings_of(items: Sequence[Case]) -> list[list[list[str]]]:
    """Every case's findings as ``[check, severity, message]`` lists, in order."""
    checker = _Checker()
    return [checker(case) for case in items]


def record(items: Sequence[Case], path: Path) -> None:
    """Write every case of ``items`` and its findings to ``path``, one JSON line each."""
    with path.open("w", encoding="utf-8") as out:
        for case, found in zip(items, findings_of(items), strict=True):
            out.write(json.dumps([*case, found], ensure_ascii=False) + "\n")


def compare(path: Path, *, show: int = 10) -> tuple[int, int, int]:
    """(pairs, findings now, pairs whose findings differ) for the record at ``path``; prints the first ``show``."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    items = [(lang, prov, src, tgt) for lang, prov, src, tgt, _ in lines]
    differ = 0
    total = 0
    for line, found in zip(lines, findings_of(items), strict=True):
        total += len(found)
        if found != line[4]:
            differ += 1
            if differ <= show:
                print(f"DIFFERS {line[0]} {line[1]!r} {line[2][:60]!r} -> {line[3][:60]!r}\n"
                      f"  before {line[4]}\n  after  {found}")
    return len(lines), total, differ


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.check_identity", description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--per-language", type=int, default=3000)
    parser.add_argument("--per-kind", type=int, default=30)
    parser.add_argument("--fixture", action="store_true", help=f"the committed sample's pairs at the sizes of "
                        f"{FIXTURE.name} instead of the downloaded corpus")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--record", type=Path)
    action.add_argument("--compare", type=Path)
    args = parser.parse_args(argv)
    if args.record:
        if args.fixture:
            items = list(cases(fixture_pairs(SAMPLE), per_language=FIXTURE_SIZES[0], per_kind=FIXTURE_SIZES[1]))
        else:
            items = list(cases(corpus(args.cache), per_language=args.per_language, per_kind=args.per_kind))
        record(items, args.record)
        print(f"{len(items)} pairs recorded in {args.record}")
        return 0
    pairs, total, differ = compare(args.compare)
    print(f"{pairs} pairs, {total} findings now; {differ} pair(s) differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
