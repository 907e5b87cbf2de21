"""Generated pages are valid HTML according to the Nu HTML Checker (vnu).

Needs Java and ``vnu.jar``: ``make vnu`` installs it with npm into
``.cache/vnu``, or point ``VNU_JAR`` at a copy.  Without them the test is
skipped with the reason.  vnu runs once, on every page together: one JVM
start-up (a few seconds) rather than one per page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from polybrief import get_locale, load, localise, publish, read_brief
from polybrief import load_brief_catalog
from polybrief.mt import MachineTranslation
from polybrief import Alternate, Renderer

from test_hostile import hostile_data

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "nagorno-karabakh.yaml"
DEFAULT_JAR = ROOT / ".cache" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SHIPPED = ["hy", "az", "ru", "ka", "fa", "ar"]


def _vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.skip("Java is not installed (needed to run the Nu HTML Checker)")
    jar = Path(os.environ.get("VNU_JAR") or DEFAULT_JAR)
    if not jar.is_file():
        pytest.skip(f"vnu.jar not found at {jar} (run `make vnu` or set VNU_JAR)")
    return [java, "-jar", str(jar), "--errors-only", "--format", "json"]


def _catalog_without(brief, locale, contexts: set[str], root: Path):
    """The shipped catalog with some entries left untranslated, as a translator's editor would save it."""
    from babel.messages.pofile import read_po, write_po

    source = EXAMPLE.parent / "locales" / locale.identifier / "LC_MESSAGES" / f"{brief.id}.po"
    with source.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    for message in catalog:
        if message.context in contexts:
            message.string = ""
    target = root / locale.identifier / "LC_MESSAGES" / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        write_po(handle, catalog)
    return load_brief_catalog(brief, locale, root)


def _pages(out: Path, disclosure_site) -> list[Path]:  # noqa: ANN001 - conftest's DisclosureSite
    """Every kind of page polybrief writes: shipped locales, RTL, hostile content, MT notices, index."""
    publish([EXAMPLE], locales=SHIPPED, out_dir=out / "example", formats=["html"])
    # every kind of figure, in seven locales (Persian digits, bidi isolates, English fallbacks)
    publish([EXAMPLE.parent / "goris-refugees.yaml"], locales=["en", "hy", "az", "ru", "ka", "fa", "ar"],
            out_dir=out / "figures", formats=["html"])
    renderer = Renderer()
    pages = []
    hostile = read_brief(json.dumps(hostile_data()), format="json")
    alternates = [Alternate(tag=t, name=get_locale(t).name, href=f"{t}.html") for t in ["en", *SHIPPED]]
    for tag in ["en", *SHIPPED]:
        page = out / "hostile" / f"{tag}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(renderer.render(localise(hostile, tag), format="html", alternates=alternates),
                        encoding="utf-8")
        pages.append(page)
    # Pages mixing reviewed, machine and untranslated segments show the notice.
    brief = load(EXAMPLE)
    for tag, catalog_tag in (("hy", "hy"), ("ru", None), ("fa", None)):
        locale = get_locale(tag)
        machine = {"lead[0]": MachineTranslation("Машинный перевод первого абзаца.", -0.3, "test", ("en→ru t",)),
                   "closing[0]": MachineTranslation("ترجمه ماشینی.", -0.3, "test", ("en→fa t",))}
        catalog = _catalog_without(brief, locale, {"lead[0]", "closing[0]", "headline"}, out / "catalogs") \
            if catalog_tag else None
        localised = localise(brief, locale, catalog=catalog, machine=machine)
        assert localised.needs_notice
        page = out / "notice" / f"{tag}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(renderer.render(localised, format="html", alternates=alternates), encoding="utf-8")
        pages.append(page)
    pages += sorted((out / "example").rglob("*.html")) + sorted((out / "figures").rglob("*.html"))
    # human drafts, machine drafts, live MT, fallbacks; notices and legends; canonical, hreflang,
    # Open Graph and JSON-LD with a base URL; the localised index
    pages += sorted(disclosure_site.out.rglob("*.html"))
    return pages


def test_generated_pages_are_valid_html(tmp_path, disclosure_site):
    command = _vnu_command()
    pages = _pages(tmp_path, disclosure_site)
    assert len(pages) >= 7 + 3 + 7 + 1
    result = subprocess.run([*command, *map(str, pages)], capture_output=True, text=True, timeout=240)
    # vnu writes its JSON report to stderr; exit status 1 means "errors found".
    report = json.loads(result.stderr or result.stdout)
    errors = [m for m in report.get("messages", []) if m.get("type") in ("error", "non-document-error")]
    shown = "\n".join(
        f"{m.get('url', '').rsplit(tmp_path.name, 1)[-1]}:{m.get('lastLine')}: {m.get('message')} "
        f"[{m.get('extract', '')!r}]"
        for m in errors[:20]
    )
    assert errors == [], f"{len(errors)} vnu error(s):\n{shown}"
