"""Incremental republish: the catalogs are the cache.

The first run fills every brief's PO catalogs with machine drafts
(:func:`polybrief.mt.pipeline.translate_catalogs`, once per brief, as ``polybrief
translate`` does).  Then one key update of one brief is edited and the same
calls run again: :func:`~polybrief.catalogs.update_catalog` marks that field's
entry stale, and only entries with no translation reach the engine.

The engine is what the command line builds (placeholders for numbers, URLs
and e-mail addresses around the CTranslate2 engine), with a counting layer
between the two so that the sentences reaching the model are counted.  A
random model never reproduces a placeholder, and polybrief never stores a
draft that failed its checks, so such segments are sent again on every run;
they are counted separately (``retried_rejected``).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from polybrief import Project, get_locale, load_brief_catalog, translation_units
from polybrief.mt.pipeline import translate_catalogs
from polybrief.mt.argos import ArgosEngine, EngineOptions
from polybrief.mt.base import MachineTranslation
from polybrief.mt.protect import ProtectingEngine
from polybrief.mt.segment import plan_segments

from .corpus import edit_one_item, varied_briefs
from .profiles import Profile
from .stats import Sample, ratio

__all__ = ["CountingEngine", "incremental_republish"]


#: Characters ``str.splitlines`` breaks on besides ``\n`` and ``\r`` (see the module docstring).


class CountingEngine:
    """Passes everything to ``inner`` and adds up what its runs sent to the model."""

    def __init__(self, inner: ArgosEngine) -> None:
        self.inner = inner
        self.name = inner.name
        self.reset()

    def reset(self) -> None:
        self.calls = self.segments = self.sentences = self.model_inputs = 0
        self.seconds = 0.0
        self.sent: list[str] = []

    def supports(self, source: str, target: str) -> bool:
        return self.inner.supports(source, target)

    def translate(self, segments: Sequence[str], *, source: str, target: str) -> list[MachineTranslation]:
        results = self.inner.translate(segments, source=source, target=target)
        stats = self.inner.last_run_stats
        self.calls += 1
        self.segments += len(segments)
        self.sent.extend(segments)
        if stats is not None:
            self.seconds += stats.seconds
            self.sentences += stats.unique_sentences
            self.model_inputs += stats.model_inputs
        return results


def incremental_republish(profile: Profile, packages_dir: Path, work: Path) -> dict[str, Any]:
    locales = [get_locale(tag) for tag in profile.target_locales]
    briefs = varied_briefs(profile.incremental_briefs)
    edited_index = len(briefs) // 2
    edited, edited_path, new_text = edit_one_item(briefs[edited_index])
    old_unit = next(u for u in translation_units(briefs[edited_index]) if u.path == edited_path)
    _, table = plan_segments([new_text], lang="en")
    counting = CountingEngine(ArgosEngine(packages_dir=packages_dir, options=EngineOptions(
        beam_size=profile.incremental_beam, max_decoding_length=profile.max_decoding_length,
        intra_threads=profile.intra_threads)))
    engine = ProtectingEngine(counting)
    for locale in locales:
        engine.translate(["Warm-up sentence."], source="en", target=locale.tag)
    first, second, first_engine, second_engine = Sample(), Sample(), Sample(), Sample()
    counts: dict[str, Any] = {}
    for rep in range(profile.incremental_reps):
        root = work / f"catalogs-{rep}"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        counting.reset()
        start = time.perf_counter()
        drafts_first = sum(sum(translate_catalogs(b, locales, engine, project=Project(catalogs_dir=root), progress=False).values()) for b in briefs)
        first.add(time.perf_counter() - start)
        first_engine.add(counting.seconds)
        first_counts = (counting.calls, counting.segments, counting.sentences)
        first_sent = set(counting.sent)
        had_draft = 0
        for locale in locales:
            catalog = load_brief_catalog(briefs[edited_index], locale, root)
            had_draft += catalog is not None and catalog.lookup(old_unit) is not None
        after_edit = [edited if i == edited_index else b for i, b in enumerate(briefs)]
        counting.reset()
        start = time.perf_counter()
        drafts_second = sum(sum(translate_catalogs(b, locales, engine, project=Project(catalogs_dir=root), progress=False).values())
                            for b in after_edit)
        second.add(time.perf_counter() - start)
        second_engine.add(counting.seconds)
        # Protection is deterministic: a segment sent in the first run too is a retried rejection.
        edited_sent = sum(1 for s in counting.sent if s not in first_sent)
        counts = {
            "briefs": len(briefs), "targets": [loc.tag for loc in locales],
            "first_run": {"engine_calls": first_counts[0], "segments": first_counts[1],
                          "distinct_sentences_to_model": first_counts[2], "drafts_written": drafts_first},
            "second_run": {"engine_calls": counting.calls, "segments": counting.segments,
                           "distinct_sentences_to_model": counting.sentences, "drafts_written": drafts_second,
                           "edited_item_segments": edited_sent,
                           "retried_rejected_segments": counting.segments - edited_sent},
            "edited_field": edited_path,
            "edited_item_drafts_before_edit": had_draft,
            "edited_item_sentences_per_target": len(table.unique),
            "edited_item_sentences_all_targets": len(table.unique) * len(locales),
        }
        shutil.rmtree(root, ignore_errors=True)
    return {**counts,
            "beam_size": profile.incremental_beam, "reps": profile.incremental_reps,
            "first_run_time": first.to_dict(), "second_run_time": second.to_dict(),
            "first_run_engine_time": first_engine.to_dict(), "second_run_engine_time": second_engine.to_dict(),
            "second_vs_first_time": ratio(second, first).to_dict(),
            "second_vs_first_sentences": (counts["second_run"]["distinct_sentences_to_model"]
                                          / max(counts["first_run"]["distinct_sentences_to_model"], 1))}
