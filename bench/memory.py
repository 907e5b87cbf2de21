"""Memory: peak RSS of an MT run in a fresh process, against the models' size on disk.

The child (``python -m bench.memory ...``) imports what an MT run imports and
builds its segments, reads its RSS (``VmRSS``) — the baseline, before any
model is loaded — then translates the batch into every target with polybrief's
engine and reports ``VmHWM`` (peak RSS).  The child reads its own figures:
``ru_maxrss`` from ``wait4``/``RUSAGE_CHILDREN`` would report the benchmark
process's own high-water mark (torch is imported there), which Linux carries
across fork and exec.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .stats import Sample

__all__ = ["memory"]


def status_kib(field: str) -> int:
    """A `/proc/self/status` field in KiB (`VmRSS`, `VmHWM`), or -1 where there is none."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def child_main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory")
    parser.add_argument("--packages-dir", type=Path, required=True)
    parser.add_argument("--briefs", type=int, required=True)
    parser.add_argument("--targets", required=True)
    parser.add_argument("--beam", type=int, default=1)
    parser.add_argument("--max-decoding-length", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True)
    args = parser.parse_args(argv)

    import polybrief  # noqa: F401
    from polybrief.mt.argos import ArgosEngine, EngineOptions
    from polybrief.text.sentences import split_sentences

    from .corpus import mt_segments, varied_briefs

    split_sentences("Import sentencex. Now.", lang="en")
    segments = mt_segments(varied_briefs(args.briefs))
    engine = ArgosEngine(packages_dir=args.packages_dir, options=EngineOptions(
        beam_size=args.beam, max_decoding_length=args.max_decoding_length, intra_threads=args.threads))
    after_imports = status_kib("VmRSS")
    targets = args.targets.split(",")
    model_bytes = 0
    for target in targets:
        for model in engine.route("en", target).models:
            model_bytes += sum(p.stat().st_size for p in model.model_path.rglob("*") if p.is_file())
    for target in targets:
        engine.translate(segments, source="en", target=target)
    after_run = status_kib("VmRSS")
    peak = status_kib("VmHWM")
    # Diagnostics: how much of the growth is free memory the C allocator keeps, and how much the
    # loaded translators hold.
    after_trim = after_close = -1
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
        after_trim = status_kib("VmRSS")
        engine.close()
        libc.malloc_trim(0)
        after_close = status_kib("VmRSS")
    except (OSError, AttributeError):
        pass
    json.dump({"rss_after_imports": after_imports * 1024, "rss_after_run": after_run * 1024,
               "rss_after_malloc_trim": after_trim * 1024, "rss_after_close_and_trim": after_close * 1024,
               "peak_rss": peak * 1024, "model_bytes_loaded": model_bytes,
               "segments": len(segments), "targets": targets}, sys.stdout)
    return 0


def memory(reps: int, *, packages_dir: Path, briefs: int, targets: Sequence[str], max_decoding_length: int,
           threads: int, env: Mapping[str, str], cwd: Path) -> dict[str, Any]:
    names = ("rss_after_imports", "peak_rss", "rss_after_run", "rss_after_malloc_trim", "rss_after_close_and_trim")
    samples = {name: Sample(unit="bytes") for name in names}
    info: dict[str, Any] = {}
    for _ in range(reps):
        args = [sys.executable, "-m", "bench.memory", "--packages-dir", str(packages_dir), "--briefs", str(briefs),
                "--targets", ",".join(targets), "--max-decoding-length", str(max_decoding_length),
                "--threads", str(threads)]
        with tempfile.TemporaryFile() as errors:
            proc = subprocess.run(args, env=dict(env), cwd=cwd, stdout=subprocess.PIPE, stderr=errors, check=False)
            out = proc.stdout
            if proc.returncode != 0:
                errors.seek(0)
                raise RuntimeError(f"memory child failed: {errors.read().decode(errors='replace')[-800:]}")
        info = json.loads(out)
        for name in names:
            if info[name] >= 0:
                samples[name].add(info[name])
    model_bytes = info["model_bytes_loaded"]
    peak, base = samples["peak_rss"], samples["rss_after_imports"]
    return {
        "reps": reps, "briefs": briefs, "targets": list(targets), "segments_per_target": info["segments"],
        "model_bytes_on_disk": model_bytes,
        **{name: s.to_dict() for name, s in samples.items() if s.values},
        "peak_minus_after_imports": Sample([p - b for p, b in zip(peak.values, base.values)], "bytes").to_dict(),
        "peak_vs_model_size": Sample([p / model_bytes for p in peak.values], "×").to_dict(),
        "peak_vs_after_imports": Sample([p / b for p, b in zip(peak.values, base.values)], "×").to_dict(),
        "growth_vs_model_size": Sample([(p - b) / model_bytes for p, b in zip(peak.values, base.values)],
                                       "×").to_dict(),
    }


if __name__ == "__main__":
    sys.exit(child_main())
