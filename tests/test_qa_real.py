"""The quality gate on real, human-reviewed translations (issue 19).

Fast: a committed sample (tests/fixtures/real-pairs, 300 pairs per language from Django, Sphinx,
Wagtail, Django REST framework and iso-codes, see SOURCES.md there) must not be blocked beyond the
0.3 % target (with 300 pairs: at most one pair per language, and each such pair is a real defect
of the catalog, named below), and the error kinds of bench/qa_kinds.py injected into the same pairs
must be caught at the targets (60 % at error level, 85 % at any level).

Slow: the whole corpus of bench/real_corpus.py (downloaded from PyPI and Debian into a cache folder,
about 200,000 pairs), measured on the projects held out of tuning, holds the same targets per
language.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # the benchmark package lives next to the tests, not in the wheel
    sys.path.insert(0, str(REPO))

from bench import qa_kinds, qa_real  # noqa: E402
from bench.real_corpus import LANGUAGES, SAMPLE, read  # noqa: E402

#: Pairs of the sample that are real defects of their catalogs, which the gate is right to block.
KNOWN_DEFECTS = {
    ("uk", "invisible"),  # Django's uk catalog has two zero-width spaces in the CSRF message
    ("ar", "names"),  # Django's ar catalog spells "Control" as "Contrl"
}


@pytest.fixture(scope="module")
def sample():
    return {lang: read(SAMPLE / f"{lang}.jsonl") for lang in LANGUAGES}


def test_the_sample_covers_every_language_with_its_sources_and_licences(sample):
    assert sorted(sample) == sorted(LANGUAGES)
    for lang, pairs in sample.items():
        assert len(pairs) == 300, lang
        assert {p.project for p in pairs} <= {"django", "sphinx", "wagtail", "django-rest-framework", "iso-codes"}
        assert all(p.licence in ("BSD-3-Clause", "BSD-2-Clause", "LGPL-2.1-or-later") for p in pairs)
    assert (SAMPLE / "SOURCES.md").is_file()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_correct_translations_are_not_blocked(sample, lang):
    alarms = qa_real.false_alarms(sample[lang], qa_real.Polybrief())
    blocked = {(lang, checks) for checks, _, _ in alarms.examples[lang]}
    assert alarms.blocked[lang] <= 1, alarms.examples[lang]
    assert blocked <= KNOWN_DEFECTS, alarms.examples[lang]


def test_injected_errors_are_caught_at_the_targets(sample):
    pairs = [p for lang in LANGUAGES for p in sample[lang]]
    result = qa_real.recall(pairs, [qa_real.Polybrief()], per_kind=3)["polybrief"]
    total = sum(result.instances.values())
    kinds = {kind for kind, _ in result.instances}
    assert len(kinds) >= 33, sorted(set(qa_kinds.DESCRIPTIONS) - kinds)
    assert sum(result.error.values()) / total >= 0.60, qa_real.recall_table("sample", {"polybrief": result},
                                                                           qa_kinds.DESCRIPTIONS)
    assert sum(result.any.values()) / total >= 0.85


@pytest.mark.parametrize("kind", ["zero-width-space", "bidi-left-open", "homoglyph", "date-day-month-swapped",
                                  "date-month-changed", "currency-changed", "percent-dropped", "printf-leftover"])
def test_kinds_nothing_caught_before_are_errors_now(sample, kind):
    chosen = [k for k in qa_kinds.REAL_KINDS if k.name == kind]
    # Arabic ي in Persian (and the reverse) is an orthography warning, not a look-alike of another script.
    langs = [lang for lang in LANGUAGES if kind != "homoglyph" or lang not in ("fa", "ar")]
    pairs = [p for lang in langs for p in sample[lang]]
    result = qa_real.recall(pairs, [qa_real.Polybrief()], per_kind=2, kinds=chosen)["polybrief"]
    total = sum(result.instances.values())
    assert total >= 8
    assert sum(result.error.values()) / total >= 0.7, result.missed


@pytest.mark.slow
def test_the_full_real_corpus_holds_the_targets_on_held_out_projects():
    """Downloads about 130 MB of packages into POLYBRIEF_REAL_CORPUS (default ~/.cache/polybrief-bench/real)."""
    from bench.real_corpus import DEFAULT_CACHE, corpus, split

    cache = Path(os.environ.get("POLYBRIEF_REAL_CORPUS", DEFAULT_CACHE))
    try:
        pairs, _ = qa_real.reviewed(corpus(cache))
    except (OSError, RuntimeError) as exc:  # no registry reachable
        pytest.skip(f"the real corpus could not be built: {exc}")
    _, held = split(pairs)
    alarms = qa_real.false_alarms(held, qa_real.Polybrief())
    for lang in LANGUAGES:
        if alarms.pairs[lang] >= 1000:
            assert alarms.blocked[lang] / alarms.pairs[lang] <= 0.003, (lang, alarms.examples[lang][:10])
    result = qa_real.recall(held, [qa_real.Polybrief()], per_kind=10)["polybrief"]
    total = sum(result.instances.values())
    assert sum(result.error.values()) / total >= 0.60
    assert sum(result.any.values()) / total >= 0.85
