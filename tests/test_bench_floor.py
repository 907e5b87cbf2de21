"""The publishing-against-the-floor benchmark (issue 24): its briefs are distinct and correctly translated,
its floor does the same pages' work, and the section runs end to end at a tiny size.

No timing is asserted (see docs/benchmarks.md for the figures): these keep the
harness honest — a corpus whose briefs shared text, or whose translations fell
back to English on one side, would make the comparison meaningless.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from markupsafe import escape

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # the benchmark package lives next to the tests, not in the wheel
    sys.path.insert(0, str(REPO))

from bench import distinct  # noqa: E402
from bench import floor as bare_floor  # noqa: E402
from bench.floor_profile import stage_of_stack  # noqa: E402
from bench.sphinx_side import write_project  # noqa: E402

pytestmark = pytest.mark.slow

TARGETS = distinct.TARGETS


def _env(cache: Path | None = None) -> dict[str, str]:
    paths = [str(REPO), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    if cache is not None:
        env["POLYBRIEF_BENCH_CACHE"] = str(cache)
    return env


def test_no_two_briefs_share_a_paragraph_in_any_language() -> None:
    briefs = [distinct.generate(i) for i in range(80)]
    owner: dict[tuple[str, str], str] = {}
    for gen in briefs:
        paragraphs = distinct.paragraph_texts(gen)
        assert len(paragraphs) >= 9 and len(set(paragraphs)) == len(paragraphs)
        for en in paragraphs:
            for tag, text in [("en", en), *gen.texts[en].items()]:
                assert text.strip() and text != en or tag == "en"
                assert (tag, text) not in owner, f"{gen.brief_id} repeats a {tag} paragraph of {owner[(tag, text)]}"
                owner[(tag, text)] = gen.brief_id
    assert distinct.generate(41).data == briefs[41].data  # a brief depends on its index alone
    orders = {tuple(item["label"] for item in gen.data["sections"][0]["items"]) for gen in briefs}
    assert len(orders) > 60  # key updates: subsets in orders of their own
    assert len({gen.data["dateline"]["date"] for gen in briefs}) == len(briefs)


def test_numbers_change_together_in_every_language_as_babel_writes_them() -> None:
    seen = set()
    for index in (3, 777):
        gen = distinct.generate(index)
        quote = gen.data["quotes"][0]["text"]
        first = re.match(r"[\d,]+", quote)
        assert first is not None
        value = int(first.group().replace(",", ""))
        assert value != 120_000 and value not in seen
        seen.add(value)
        for tag in TARGETS:
            assert format_decimal(value, locale=tag) in gen.texts[quote][tag]
        headline = gen.data["headline"]
        assert format_decimal(value, locale="en") in headline
        assert all(format_decimal(value, locale=tag) in gen.texts[headline][tag] for tag in TARGETS)
        assert any(f["value"] == value for f in gen.data["figures"]) or len(gen.data["figures"]) < 8


def test_corpus_publishes_strictly_and_the_floor_shows_the_same_translations(tmp_path: Path) -> None:
    corpus = distinct.ensure_corpus(tmp_path / "corpus", 4)
    assert len(list(corpus.catalogs.rglob("*.po"))) == 4 * len(TARGETS)
    for po in corpus.catalogs.rglob("*.po"):
        subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(po)], check=True)
    names = [p.name for p in corpus.paths()]
    out = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "polybrief", "publish", *names, "--locales", ",".join(TARGETS),
                           "--strict", "--jobs", "1", "--out", str(out)], cwd=corpus.folder, env=_env(),
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    floor_out = tmp_path / "floor"
    written = bare_floor.publish(corpus.paths(), mo=corpus.mo, out=floor_out, targets=TARGETS)
    assert written == 4 * 8 + 1
    for index in range(4):
        gen = distinct.generate(index)
        quotes = {quote["text"] for quote in gen.data["quotes"]}
        for tag in TARGETS:
            pages = [(root / tag / f"{gen.brief_id}.html").read_text(encoding="utf-8") for root in (out, floor_out)]
            for en in distinct.paragraph_texts(gen):
                shown = str(escape(gen.texts[en][tag]))
                if en in quotes:  # hy and ru put a quoted sentence's full stop after the closing mark («…»։)
                    shown = shown.removesuffix("։").removesuffix(".")
                assert all(shown in page for page in pages), (gen.brief_id, tag, en[:50])


def test_sphinx_catalogs_translate_every_paragraph(tmp_path: Path) -> None:
    import gettext

    corpus = distinct.ensure_corpus(tmp_path / "corpus", 2)
    names = write_project(corpus, 2, tmp_path / "sphinx")
    assert (tmp_path / "sphinx" / "conf.py").is_file() and len(names) == 2
    for index, name in enumerate(names):
        gen = distinct.generate(index)
        lines = (tmp_path / "sphinx" / f"{name}.rst").read_text(encoding="utf-8").splitlines()
        for tag in TARGETS:
            with open(tmp_path / "sphinx" / "locale" / tag / "LC_MESSAGES" / f"{name}.mo", "rb") as handle:
                catalog = gettext.GNUTranslations(handle)
            for en in distinct.paragraph_texts(gen):
                line = min((line for line in lines if en in line), key=len).strip().removeprefix("- ")
                assert gen.texts[en][tag] in catalog.gettext(line), (name, tag, en[:50])


def test_profile_stages_go_to_the_innermost_named_frame() -> None:
    render = [("polybrief/publishing/stages.py", "render_page"), ("jinja2/runtime.py", "call")]
    assert stage_of_stack(render) == "render"
    assert stage_of_stack([*render, ("polybrief/rendering/text.py", "wrap_text"), ("textwrap.py", "wrap")]) == "wrapping"
    assert stage_of_stack([("polybrief/qa/checks.py", "numbers"), ("re/__init__.py", "sub")]) == "checks"
    assert stage_of_stack([("polybrief/catalogs/brief.py", "load"), ("polib.py", "parse")]) == "PO parsing"
    assert stage_of_stack([("polybrief/qa/gate.py", "x"), ("<frozen importlib._bootstrap>", "_load")]) == (
        "start-up and imports")
    assert stage_of_stack([("babel/numbers.py", "format_decimal")]) == "other"


def test_floor_section_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "results"
    proc = subprocess.run([sys.executable, "-m", "bench", "--smoke", "--only", "floor", "--out", str(out), "--quiet"],
                          cwd=REPO, env=_env(tmp_path / "bench-cache"), capture_output=True, text=True, timeout=600,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    floor = json.loads((out / "smoke.json").read_text(encoding="utf-8"))["floor"]
    (size, entry), = floor["sizes"].items()
    jobs = floor["jobs"]
    sides = {"floor", f"polybrief_jobs{jobs}"} | ({"polybrief_jobs1"} if jobs > 1 else set())
    assert set(entry["sides"]) == sides
    for side in sides:
        assert entry["sides"][side]["cpu"]["median"] > 0 and entry["sides"][side]["peak_rss"]["median"] > 0
    assert entry["ratios"][f"polybrief_jobs{jobs}_vs_floor_cpu"]["median"] > 0
    assert floor["qa"]["errors"] == {tag: 0 for tag in TARGETS}
    stages = floor["profile"]["cprofile"]["stages"]
    assert {"checks", "render", "localise"} <= set(stages) and abs(sum(stages.values()) - 1) < 1e-6
    doc = (out / "benchmarks.md").read_text(encoding="utf-8")
    assert "## Publishing against the floor (issue 24)" in doc and f"| {int(size):,} | floor" in doc
