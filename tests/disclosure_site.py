"""A published site with every kind of segment a reader can meet, for the browser and validity tests.

The seed brief in en and four targets, published with ``--drafts include``,
live machine translation and a base URL:

* ``hy``: reviewed, plus a few entries a translator left fuzzy (human drafts);
* ``az``: reviewed, plus machine drafts written into the catalog by ``translate`` (the engine
  echoes the reviewed text, so the drafts pass every check);
* ``ru``: reviewed, plus live machine translation, and one field whose machine
  translation was rejected (a lost number placeholder), so it falls back to English;
* ``fa``: no catalog at all — right-to-left page, every segment in the source language.

Which fields are changed is derived from :func:`polybrief.translation_units`,
never from hard-coded field paths.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import polybrief
from polybrief import Project, TranslationPolicy
from polybrief import machine_provider, translate_catalogs
from polybrief.mt import ProtectingEngine

from mt_doubles import EchoEngine, reviewed_table, russian_tagger

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "nagorno-karabakh.yaml"
BASE_URL = "https://news.example.org/briefs/"
LOCALES = ["hy", "az", "ru", "fa"]


@dataclass(frozen=True)
class DisclosureSite:
    out: Path
    brief: polybrief.Brief
    report: polybrief.PublishReport
    human_drafts: tuple[str, ...]
    machine_drafts: tuple[str, ...]
    live_machine: tuple[str, ...]
    rejected: str

    def page(self, tag: str, ext: str = "html") -> Path:
        return self.out / tag / f"{self.brief.id}.{ext}"

    def pages(self) -> dict[str, Path]:
        """``index`` and every language's html page."""
        return {"index": self.out / "index.html", **{tag: self.page(tag) for tag in ["en", *LOCALES]}}


def _edit_catalog(po: Path, contexts: set[str], *, fuzzy: bool) -> None:
    """As a translator's editor would: mark entries fuzzy, or empty them."""
    from babel.messages.pofile import read_po, write_po

    with po.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    for message in catalog:
        if message.context in contexts:
            if fuzzy:
                message.flags.add("fuzzy")
            else:
                message.string = ("", "", "") if isinstance(message.string, tuple) else ""
    with po.open("wb") as handle:
        write_po(handle, catalog)


def build_disclosure_site(root: Path, *, base_url: str | None = BASE_URL) -> DisclosureSite:
    brief_dir = root / "brief"
    brief_dir.mkdir(parents=True)
    path = brief_dir / EXAMPLE.name
    shutil.copy2(EXAMPLE, path)
    shutil.copytree(EXAMPLE.parent / "locales", brief_dir / "locales")
    brief = polybrief.load(path)
    units = [u for u in polybrief.translation_units(brief) if not u.is_plural]
    with_number = next(u for u in units if re.search(r"\d", u.text))
    plain = [u for u in units if not re.search(r"\d", u.text) and u is not units[0]]
    human = tuple(u.path for u in plain[0:3])
    machine_drafts = tuple(u.path for u in plain[3:6])
    live = tuple(u.path for u in plain[6:8])
    locales = brief_dir / "locales"

    def po(tag: str) -> Path:
        return locales / tag / "LC_MESSAGES" / f"{brief.id}.po"

    _edit_catalog(po("hy"), set(human), fuzzy=True)
    # The "machine" drafts are the reviewed Azerbaijani text, so they pass every check.
    echo = EchoEngine({"az": reviewed_table(po("az"))})
    _edit_catalog(po("az"), set(machine_drafts), fuzzy=False)
    written = translate_catalogs(brief, [polybrief.get_locale("az")], echo,
                                 project=Project(catalogs_dir=locales), progress=False)
    assert written == {"az": len(machine_drafts)}, written
    _edit_catalog(po("ru"), {*live, with_number.path}, fuzzy=False)

    # Russian: Cyrillic letters pass the script check; the lost number placeholder is rejected.
    engine = ProtectingEngine(russian_tagger(lambda s: s.replace("{1}", ""), pairs=[("en", "ru")]))
    project = Project(policy=TranslationPolicy(drafts="include", allow_mt_failure=True), base_url=base_url)
    out = root / "site"
    report = polybrief.publish([path], locales=LOCALES, out_dir=out, project=project,
                               machine=machine_provider(engine, progress=False, project=project))
    return DisclosureSite(out=out, brief=brief, report=report, human_drafts=human, machine_drafts=machine_drafts,
                          live_machine=live, rejected=with_number.path)
