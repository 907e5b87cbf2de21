"""The "Publishing against the floor (issue 24)" section of ``docs/benchmarks.md``, from a run's ``floor`` result.

Every figure comes from the result dictionary :func:`bench.against_floor.against_floor`
returns (``bench/results/<profile>.json``, key ``floor``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["floor_section"]

TITLE = "## Publishing against the floor (issue 24)"


def _s(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1e3:.0f} ms" if value < 1 else f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def _mib(value: float | None) -> str:
    return "–" if not value else f"{value / 2**20:.0f} MiB"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def _get(sample: dict[str, Any] | None, key: str) -> float | None:
    return None if not sample else sample.get(key)


_SIDES = {"floor": "floor (bare gettext + Jinja2)", "sphinx": "Sphinx gettext workflow"}


def _side_name(side: str) -> str:
    if side.startswith("polybrief_jobs"):
        return f"polybrief --jobs {side.removeprefix('polybrief_jobs')}"
    return _SIDES.get(side, side)


def _times(floor: dict[str, Any]) -> list[str]:
    lines = ["| Briefs | Side | CPU median | CPU min | Wall median | Wall min | Peak RSS (median) | Runs |",
             "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for size, entry in floor["sizes"].items():
        for side, samples in entry["sides"].items():
            cpu, wall = samples.get("cpu"), samples.get("wall")
            rss = _mib(_get(samples.get("peak_rss"), "median")) if side != "sphinx" else "–"
            workers = _get(samples.get("workers_peak_rss"), "median")
            if workers and side != "polybrief_jobs1":
                rss += f" (largest worker {_mib(workers)})"
            lines.append(f"| {int(size):,} | {_side_name(side)} | {_s(_get(cpu, 'median'))} | {_s(_get(cpu, 'min'))} "
                         f"| {_s(_get(wall, 'median'))} | {_s(_get(wall, 'min'))} | {rss} | {_get(cpu, 'n') or 0} |")
            if side == "sphinx" and samples.get("html_cpu"):
                html_cpu, html_wall = samples["html_cpu"], samples.get("html_wall")
                lines.append(f"| {int(size):,} | … of which `-b html` | {_s(_get(html_cpu, 'median'))} "
                             f"| {_s(_get(html_cpu, 'min'))} | {_s(_get(html_wall, 'median'))} "
                             f"| {_s(_get(html_wall, 'min'))} | – | {_get(html_cpu, 'n') or 0} |")
        stopped = entry.get("stopped_run")
        if stopped:
            lines.append(f"| {int(size):,} | {_side_name(stopped['side'])}: **stopped** at the time limit | "
                         f"> {_s(stopped['cpu'])} | | > {_s(stopped['wall'])} | | ≥ {_mib(stopped['peak_rss_so_far'])} "
                         "(so far) | – |")
    return lines


def _ratios(floor: dict[str, Any]) -> list[str]:
    jobs = floor["jobs"]
    lines = ["| Briefs | Ratio (per repetition, then summarised) | Median | Min | Max | Target | |",
             "|---:|---|---:|---:|---:|---|---|"]
    wanted = [("polybrief_jobs1_vs_floor_cpu", "polybrief --jobs 1 ÷ floor, CPU", 3.0),
              ("polybrief_jobs1_vs_floor_wall", "polybrief --jobs 1 ÷ floor, wall", None),
              (f"polybrief_jobs{jobs}_vs_floor_cpu", f"polybrief --jobs {jobs} ÷ floor, CPU", None),
              (f"polybrief_jobs{jobs}_vs_floor_wall", f"polybrief --jobs {jobs} ÷ floor, wall", None),
              ("polybrief_jobs1_vs_sphinx_cpu", "polybrief --jobs 1 ÷ Sphinx (html + text), CPU", 0.1),
              ("polybrief_jobs1_vs_sphinx_wall", "polybrief --jobs 1 ÷ Sphinx (html + text), wall", 0.1),
              ("polybrief_jobs1_vs_sphinx_html_only_cpu", "polybrief --jobs 1 (html + text) ÷ Sphinx html only, CPU",
               None),
              (f"polybrief_jobs{jobs}_vs_sphinx_wall", f"polybrief --jobs {jobs} ÷ Sphinx, wall", None),
              ("floor_vs_sphinx_cpu", "floor ÷ Sphinx, CPU", None)]
    for size, entry in floor["sizes"].items():
        for key, label, target in wanted:
            sample = entry["ratios"].get(key)
            if not sample or not sample.get("values"):
                continue
            median = sample.get("median")
            met = "" if target is None or median is None else ("met" if median <= target else "**missed**")
            lines.append(f"| {int(size):,} | {label} | {_x(median)} | {_x(sample.get('min'))} | {_x(sample.get('max'))} "
                         f"| {'≤ ' + str(target) + ('×' if target >= 1 else '') if target else ''} | {met} |")
    return lines


def _memory(floor: dict[str, Any]) -> str:
    parts = []
    for size, entry in floor["sizes"].items():
        rss = entry["sides"].get("polybrief_jobs1", {}).get("peak_rss")
        if rss and rss.get("values"):
            parts.append(f"{int(size):,} briefs {_mib(rss['max'])}")
    if not parts:
        return ""
    largest = max(floor["sizes"], key=int)
    peak = floor["sizes"][largest]["sides"].get("polybrief_jobs1", {}).get("peak_rss", {}).get("max")
    verdict = ("" if peak is None else
               f" At {int(largest):,} briefs: {_mib(peak)} against the target of under 300 MiB "
               f"({'met' if peak < 300 * 2**20 else '**missed**'}).")
    return ("**Peak RSS** of `polybrief --jobs 1` (the process's `VmHWM`, highest of its runs): "
            + ", ".join(parts) + "." + verdict)


def _profile(profile: dict[str, Any]) -> list[str]:
    spy, cprof = profile.get("py_spy"), profile.get("cprofile")
    lines = ["", f"### Where the time goes: one `polybrief publish --jobs 1` run, {profile['briefs']:,} distinct briefs",
             ""]
    source = ("py-spy" if spy else "cProfile's estimate")
    lines.append(f"Stages by {source}" + (f" ({spy['samples']:,} samples at 100 Hz; {spy.get('version', '')})" if spy
                                          else "") + (", cProfile's estimate beside it" if spy and cprof else "")
                 + " — how samples are assigned is in `bench/floor_profile.py` (`RULES`):")
    lines += ["", "| Stage | " + ("py-spy | " if spy else "") + ("cProfile estimate |" if cprof else ""),
              "|---|" + ("---:|" if spy else "") + ("---:|" if cprof else "")]
    stages = list(dict.fromkeys([*(spy or {}).get("stages", {}), *(cprof or {}).get("stages", {})]))
    order = sorted(stages, key=lambda s: -((spy or cprof or {}).get("stages", {}).get(s, 0.0)))
    for stage in order:
        row = f"| {stage} | "
        if spy:
            row += f"{_pct(spy['stages'].get(stage))} | "
        if cprof:
            row += f"{_pct(cprof['stages'].get(stage))} |"
        lines.append(row)
    if cprof:
        lines += ["", f"Top functions by own time under cProfile (the run took {_s(cprof.get('cpu'))} of CPU under the "
                  f"profiler; profiled total {_s(cprof.get('total_seconds'))}):", "",
                  "| Function | Calls | Own | Cumulative |", "|---|---:|---:|---:|"]
        for row in cprof["top_own"][:20]:
            lines.append(f"| `{row['function']}` | {row['calls']:,} | {_s(row['own'])} | {_s(row['cumulative'])} |")
    if spy:
        lines += ["", "Top functions by own samples under py-spy:", "", "| Function | Share |", "|---|---:|"]
        for row in spy["top_own"][:15]:
            lines.append(f"| `{row['function']}` | {_pct(row['share'])} |")
    if profile.get("kept_in"):
        lines += ["", f"The raw py-spy stacks and the cProfile dump were kept in `{profile['kept_in']}` on the machine "
                  "that ran it."]
    return lines


def _loads(floor: dict[str, Any]) -> str:
    values = [v for entry in floor["sizes"].values() for run in entry.get("load", [])
              for v in (run.get("load1_before"), run.get("load1_after")) if v is not None]
    if not values:
        return ""
    start, end = floor.get("load_average_start", []), floor.get("load_average_end", [])
    return (f"The 1-minute load average, read before and after each timed run, ranged from {min(values):.1f} to "
            f"{max(values):.1f} on {floor.get('cpu_count')} CPUs (1/5/15 min: "
            f"{'/'.join(f'{x:.1f}' for x in start)} at the start, {'/'.join(f'{x:.1f}' for x in end)} at the end): "
            "other jobs shared the machine, which is why the sides are interleaved and the minima are given.")


def _qa(floor: dict[str, Any]) -> str:
    qa = floor.get("qa") or {}
    if "errors" not in qa:
        return ""
    errors, warnings = sum(v or 0 for v in qa["errors"].values()), sum(v or 0 for v in qa["warnings"].values())
    return (f"`polybrief check` over the first {qa['briefs']:,} briefs: {errors} errors and {warnings} warnings "
            "(every timed `publish` also ran with `--strict` and every check on).")


def check_costs_lines(costs: dict[str, Any]) -> list[str]:
    """The "Cost per check" tables from ``bench/results/check-costs.json`` (``before-X`` beside ``after-X``)."""
    lines = ["### Cost per check (issue 24, item 3)", "",
             "`python -m bench.check_costs` (`bench/check_costs.py`): each registered check timed with the process CPU "
             "clock around its call, as `Pair.run` makes it; what checks share (a sentence split, a text's numbers) "
             "counts against the first check that asks for it, and a segment served by the memo of identical "
             "segments costs its checks nothing. µs per segment are over all segments checked, so they add up. "
             "Before: the code this item started from; after: with the per-pair and per-source sharing, the memo "
             "of repeated segments, the prefilters and the exact regex rewrites (`python -m bench.check_identity`: "
             "the same findings on every pair compared).", ""]
    notes = costs.get("notes") or []
    if notes:
        lines += [*(f"- {note}" for note in notes), ""]
    for label in sorted(k.removeprefix("after-") for k in costs if k.startswith("after-")):
        before, after = costs.get(f"before-{label}"), costs[f"after-{label}"]
        if before is None:
            continue
        b_total = sum(ns for _, ns in before["checks"].values()) / before["segments"] / 1e3
        a_total = sum(ns for _, ns in after["checks"].values()) / after["segments"] / 1e3
        lines += [f"{after['corpus'].capitalize()} ({after['segments']:,} segments; `{after['command']}`, "
                  f"measured {after['measured']}): the checks {b_total:.0f} µs CPU per segment before, "
                  f"{a_total:.0f} µs after ({100 * (a_total - b_total) / b_total:+.0f} %).", "",
                  "| check | before, µs per segment | before, share | after, µs per segment | after, calls | "
                  "after, share | change |", "|---|---:|---:|---:|---:|---:|---:|"]
        order = sorted(before["checks"], key=lambda n: -before["checks"][n][1])
        for name in order:
            calls, ns = after["checks"].get(name, [0, 0])
            b_us = before["checks"][name][1] / before["segments"] / 1e3
            a_us = ns / after["segments"] / 1e3
            change = f"{100 * (a_us - b_us) / b_us:+.0f} %" if b_us else "–"
            lines.append(f"| `{name}` | {b_us:.1f} | {100 * b_us / b_total:.1f} % | {a_us:.1f} | {calls:,} | "
                         f"{100 * a_us / a_total:.1f} % | {change} |")
        lines.append("")
    return lines


def floor_section(run: dict[str, Any] | None, costs: dict[str, Any] | None = None) -> list[str]:
    """The section's lines (empty when the run has no ``floor`` result); ``costs``: the cost per check."""
    floor = (run or {}).get("floor")
    if not floor or not floor.get("sizes"):
        return check_costs_lines(costs) if costs else []
    jobs = floor["jobs"]
    sizes = ",".join(str(int(s)) for s in floor["sizes"])
    sphinx = floor.get("sphinx")
    lines = [
        "", TITLE, "",
        f"`python -m bench --full --only floor --floor-sizes {sizes}` (`bench/against_floor.py`), "
        f"{floor['reps']} repetitions up to 1,000 briefs and {floor['big_reps']} above; each side runs in a child "
        "process, timed from outside (wall time, and user + system CPU from `wait4`, both including the "
        "interpreter's start-up and imports), in an order that rotates with the repetition.",
        "",
        f"- **Briefs**: distinct (`bench/distinct.py`, version {floor['corpus']['version']}): every paragraph — "
        "headline, standfirst, lead, key updates, quote, closing — differs from every other brief's, in the brief "
        "and in its reviewed hy, az and ru catalogs (numbers, dates, names, a sentence of its own per paragraph, "
        "the order and the subset of paragraphs, key updates and figures). " + _qa(floor),
        "- **Work**: en + hy, az, ru, HTML and text: "
        f"{floor['pages_per_brief']} pages a brief and an index, on every side (each run's files are counted).",
        "- **polybrief**: `polybrief publish BRIEFS --locales hy,az,ru --formats html,text --strict --jobs 1` and "
        f"`--jobs {jobs}` (the CPUs this process may use), every quality check on.",
        "- **Floor** (`bench/floor.py`): PyYAML's C loader, `gettext` lookups in `.mo` catalogs (`pgettext` with "
        "polybrief's message contexts, `npgettext` for figure units), Babel for dates and numbers, polybrief's own "
        "templates (`brief.html.j2`, `brief.txt.j2`, `index.html.j2`) rendered by Jinja2 with plain data and plain "
        "filters (`textwrap`, no bidi isolation, no provenance, no checks), files written with `write_text`. The "
        "`.mo` files are compiled once when the corpus is generated (Babel's `write_mo`), as a site's build step "
        "would, outside every timed run; polybrief reads the `.po` files, as it does.",
        "- **Sphinx**" + (f" {sphinx['version']}, at {sphinx['briefs']:,} briefs: one reStructuredText document per "
                          "brief with the same paragraphs, translated through per-document `.mo` catalogs "
                          "(`gettext_compact = False`, compiled beforehand); `sphinx-build -b html` then `-b text` "
                          "for each of en, hy, az, ru (one doctree folder per language), default theme, in the "
                          "benchmark's own venv (`~/.cache/polybrief-bench/venv`, never a polybrief dependency)."
                          if sphinx else ": not run in this result."),
        f"- **Caches**: {floor['cache_policy']}.",
        "",
    ]
    runs = {(e.get("command"), e.get("measured", "")[:10]) for e in floor["sizes"].values() if e.get("command")}
    if len(runs) > 1:
        lines += ["Sizes measured by separate runs (ratios are always within one run): " + "; ".join(
            f"{int(size):,} briefs: `python -m bench {e['command']}` ({e.get('measured')})"
            for size, e in floor["sizes"].items() if e.get("command")) + ".", ""]
    lines += _times(floor) + [""] + _ratios(floor) + [""]
    memory = _memory(floor)
    if memory:
        lines += [memory, ""]
    loads = _loads(floor)
    if loads:
        lines += [loads, ""]
    if floor.get("profile"):
        lines += _profile(floor["profile"]) + [""]
    if costs:
        lines += check_costs_lines(costs)
    return lines
