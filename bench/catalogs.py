"""Catalog benchmarks: parsing against polib, peak memory against the file's size, and keys at scale.

``python -m bench.catalogs`` (``--quick``: smaller; ``--smoke``: tiny, for the tests) prints a Markdown
table and writes ``bench/results/catalogs.json`` (or ``--out``):

* **parse**: a generated catalog of ``parse_mb`` MiB (entries like a brief's: contexts, extracted and
  translator comments, fuzzy entries with previous msgids, plural entries, Cyrillic translations, wrapped at
  79 columns), parsed by polybrief (``catalogs.po.parse_po``: decoding, every check and the parse) and by
  ``polib.pofile`` alternately in one process, ``reps`` times each; the ratio is of the medians, measured in
  the same run (the issue's target: within 1.2x of polib);
* **memory**: peak RSS (``VmHWM``) of a fresh process that reads a ``memory_mb`` MiB catalog, minus its RSS
  before reading, divided by the file's size: polybrief's reader, the whole brief-catalog load publishing
  does (``load_brief_catalog``), and polib;
* **keys**: ``translation_units`` of briefs of 10k, 40k and 100k items, all labels distinct or all items
  identical (twins: the case that was quadratic), and one publish of 39,000 identical items in hy, az and ru.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "catalogs.json"

_EN = ("the of civilians killed wounded ministry defense statement region conflict said announced offensive "
       "reported artillery forces attack peace talks ceasefire government officials international").split()
_RU = ("министерство обороны заявление регион конфликт заявил объявил наступление сообщил артиллерия силы "
       "атака мирные переговоры перемирие правительство официальные международный").split()


def _field(keyword: str, text: str, width: int = 79) -> str:
    prefix = "#| " if keyword.startswith("#|") else ""
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    if len(quoted) + len(keyword) + 3 <= width:
        return f'{keyword} "{quoted}"\n'
    out, line = [f'{keyword} ""'], ""
    for word in quoted.split(" "):
        if line and len(line) + len(word) + 1 > width - 2 - len(prefix):
            out.append(f'{prefix}"{line}"')
            line = ""
        line += word + " "
    out.append(f'{prefix}"{line.rstrip()}"')
    return "\n".join(out) + "\n"


def generate(path: Path, megabytes: float, *, seed: int = 1) -> int:
    """Write a catalog of about ``megabytes`` MiB; returns its number of entries."""
    rng = random.Random(seed)

    def sentence(words: list[str], n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."

    parts = ['msgid ""\nmsgstr ""\n"Project-Id-Version: nagorno-karabakh 1\\n"\n"Language: ru\\n"\n'
             '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
             '"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : '
             'n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n']
    size, count, target = len(parts[0]), 0, int(megabytes * 1024 * 1024)
    while size < target:
        count += 1
        entry = "#. Text of a key update\n"
        if count % 7 == 0:
            entry = "# a translator's note\n" + entry
        if count % 5 == 0:
            entry += "#, fuzzy\n" + _field("#| msgid", sentence(_EN, 12))
        entry += _field("msgctxt", f"items[item-{count}].text")
        if count % 11 == 0:
            entry += _field("msgid", sentence(_EN, 2)) + _field("msgid_plural", sentence(_EN, 2))
            entry += "".join(_field(f"msgstr[{k}]", sentence(_RU, 2)) for k in range(3))
        else:
            entry += _field("msgid", sentence(_EN, rng.randint(2, 30))) + _field("msgstr", sentence(_RU, rng.randint(2, 30)))
        parts.append(entry)
        size += len(entry.encode("utf-8")) + 1
    path.write_text("\n".join(parts), encoding="utf-8")
    return count


def parse(megabytes: float, reps: int, work: Path) -> dict[str, Any]:
    import polib

    from polybrief.catalogs.po import parse_po
    from polybrief.limits import Limits

    path = work / "parse.po"
    entries = generate(path, megabytes)
    limits = Limits(po_bytes=max(64 << 20, path.stat().st_size + 1))
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(reps):
        clock = time.perf_counter()
        assert len(parse_po(path, limits=limits).entries) == entries
        ours.append(time.perf_counter() - clock)
        clock = time.perf_counter()
        assert len(polib.pofile(str(path))) == entries
        theirs.append(time.perf_counter() - clock)
    return {"bytes": path.stat().st_size, "entries": entries, "polybrief_seconds": ours, "polib_seconds": theirs,
            "ratio": statistics.median(ours) / statistics.median(theirs)}


def _child(path: str, what: str) -> None:
    """In a fresh process: read ``path`` one way and print the RSS growth in KiB."""
    from bench.memory import status_kib

    if what == "polib":
        import polib

        before = status_kib("VmRSS")
        polib.pofile(path)
    else:
        import polybrief
        from polybrief.catalogs.po import parse_po
        from polybrief.limits import Limits

        limits = Limits(po_bytes=64 << 20)
        brief = polybrief.load(REPO / "examples" / "nagorno-karabakh.yaml")
        before = status_kib("VmRSS")
        if what == "reader":
            parse_po(Path(path), limits=limits)
        else:
            root = Path(path).parents[2]
            polybrief.load_brief_catalog(brief, "ru", root, limits=limits)
    print(status_kib("VmHWM") - before)


def memory(megabytes: float, work: Path) -> dict[str, Any]:
    path = work / "locales" / "ru" / "LC_MESSAGES" / "nagorno-karabakh.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    generate(path, megabytes, seed=2)
    size_kib = path.stat().st_size / 1024
    out: dict[str, Any] = {"bytes": path.stat().st_size}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), str(REPO),
                                                                       os.environ.get("PYTHONPATH")]))}
    for what in ("reader", "load_brief_catalog", "polib"):
        done = subprocess.run([sys.executable, "-m", "bench.catalogs", "--child", str(path), what], env=env,
                              capture_output=True, text=True, check=True, cwd=REPO)
        growth = int(done.stdout.split()[-1])
        out[what] = {"peak_growth_mib": growth / 1024, "times_file_size": growth / size_kib}
    return out


def _brief_data(n: int, identical: bool) -> dict[str, Any]:
    items = [{"label": "Statement" if identical else f"Statement {i}",
              "text": "Baku said it hit military targets." if identical else f"Text number {i}."} for i in range(n)]
    return {"id": "big", "headline": "H", "dateline": {"place": "P", "date": "2024-01-01"},
            "published": "2024-01-01T00:00:00+00:00", "lead": ["L."], "sections": [{"heading": "S", "items": items}]}


def keys(sizes: list[int], publish_items: int, work: Path) -> dict[str, Any]:
    import yaml

    import polybrief

    out: dict[str, Any] = {"translation_units_seconds": {}}
    for n in sizes:
        for identical in (False, True):
            brief = polybrief.Brief.model_validate(_brief_data(n, identical))
            clock = time.perf_counter()
            polybrief.translation_units(brief)
            out["translation_units_seconds"][f"{n} {'identical' if identical else 'distinct'}"] = \
                time.perf_counter() - clock
    if publish_items:
        source = work / "big.yaml"
        source.write_text(yaml.safe_dump(_brief_data(publish_items, True)), encoding="utf-8")
        clock = time.perf_counter()
        polybrief.publish([source], locales=["hy", "az", "ru"], out_dir=work / "out", formats=["html"],
                          project=polybrief.Project(policy=polybrief.TranslationPolicy(allow_qa_errors=True)))
        out["publish_identical_items"] = {"items": publish_items, "brief_bytes": source.stat().st_size,
                                          "locales": "hy,az,ru", "seconds": time.perf_counter() - clock}
    return out


PROFILES = {"full": (10.0, 5, 29.0, [10_000, 40_000, 100_000], 39_000),
            "quick": (10.0, 3, 10.0, [10_000, 40_000], 0),
            "smoke": (0.2, 1, 0.2, [100], 0)}


def markdown(result: dict[str, Any]) -> str:
    p, m, k = result["parse"], result["memory"], result["keys"]
    rows = ["| measure | value |", "|---|---|",
            f"| parse {p['bytes'] / 2**20:.1f} MiB ({p['entries']} entries): polybrief / polib, medians | "
            f"{statistics.median(p['polybrief_seconds']):.2f} s / {statistics.median(p['polib_seconds']):.2f} s = "
            f"**{p['ratio']:.2f}x** |"]
    for what in ("reader", "load_brief_catalog", "polib"):
        rows.append(f"| peak memory reading {m['bytes'] / 2**20:.1f} MiB, {what} | "
                    f"{m[what]['peak_growth_mib']:.0f} MiB = {m[what]['times_file_size']:.1f}x the file |")
    for label, seconds in k["translation_units_seconds"].items():
        rows.append(f"| keys of {label} items (`translation_units`) | {seconds:.2f} s |")
    if "publish_identical_items" in k:
        pub = k["publish_identical_items"]
        rows.append(f"| publish {pub['items']} identical items ({pub['brief_bytes'] / 2**20:.1f} MB) in "
                    f"{pub['locales']} | {pub['seconds']:.1f} s |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.catalogs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_const", dest="profile", const="quick", default="full")
    parser.add_argument("--smoke", action="store_const", dest="profile", const="smoke")
    parser.add_argument("--out", type=Path, help=f"JSON file to write (default {RESULTS})")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0
    parse_mb, reps, memory_mb, sizes, publish_items = PROFILES[args.profile]
    with tempfile.TemporaryDirectory(prefix="polybrief-bench-catalogs-") as tmp:
        work = Path(tmp)
        result = {"profile": args.profile, "parse": parse(parse_mb, reps, work), "memory": memory(memory_mb, work),
                  "keys": keys(sizes, publish_items, work)}
    out = args.out or RESULTS
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    sys.stdout.write(markdown(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
