"""A published site with every kind of segment a reader can meet, for the browser and validity tests.

The seed brief in en and four targets, published with ``--drafts include``,
live machine translation and a base URL:

* ``hy``: reviewed, plus a few entries a translator left fuzzy (human drafts);
* ``az``: reviewed, plus machine drafts written into the catalog by ``translate`` (the engine
  echoes the reviewed text, so the drafts pass every check);
* ``ru``: reviewed, plus live machine translation, and one field whose machine
  translation was rejected (a lost number placeholder), so it falls back to English;
* ``fa`` and ``ar``: right to left, a dozen fields translated by hand (:data:`RTL_TRANSLATIONS`:
  the headline, a section heading, two items, three figures), the rest in English: partly
  translated pages, published with ``noindex`` and kept out of the other pages' ``hreflang``.
  Arabic's one and two forms spell the number out ("مدنيان");
* ``ka``: no catalog at all: not one segment translated, so it is never published as Georgian.

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
LOCALES = ["hy", "az", "ru", "fa", "ar", "ka"]
#: The locales published (``ka`` has no translated segment and is withheld).
PUBLISHED = ["hy", "az", "ru", "fa", "ar"]

#: Hand translations of the seed brief's fields (by positional path) for the right-to-left pages.
RTL_TRANSLATIONS: dict[str, dict[str, str | tuple[str, ...]]] = {
    "fa": {
        "headline": "آذربایجان حملهٔ «ضدتروریستی» را در قره‌باغ کوهستانی آغاز کرد",
        "sections[0].heading": "تازه‌ترین رویدادهای درگیری آذربایجان و ارمنستان در قره‌باغ کوهستانی",
        "sections[0].items[0].label": "تلفات غیرنظامیان",
        "sections[0].items[0].text": "به گزارش AFP، در گلوله‌باران شدید توپخانه‌ای مرکز منطقه دست‌کم دو غیرنظامی جان "
                                     "باختند و ۱۱ نفر دیگر زخمی شدند؛ مقام‌های ارمنی‌تبار این خبر را تأیید کردند.",
        "sections[0].items[8].label": "محدودیت دسترسی به TikTok",
        "sections[0].items[8].text": "به گزارش The Insider، آذربایجان دسترسی به TikTok را در این منطقه محدود کرده است.",
        "figures[1].label": "غیرنظامیان زخمی در گلوله‌باران مرکز منطقه، به گزارش AFP",
        "figures[1].unit": ("{count} غیرنظامی", "{count} غیرنظامی"),
        "figures[2].label": "غیرنظامیان کشته‌شده، به گفتهٔ بازرس حقوق بشر",
        "figures[2].unit": ("{count} غیرنظامی", "{count} غیرنظامی"),
        "figures[6].label": "سربازانی که پیش از حمله در انفجار مین کشته شدند",
        "figures[6].unit": ("{count} سرباز", "{count} سرباز"),
    },
    "ar": {
        "headline": "أذربيجان تشن هجومًا «لمكافحة الإرهاب» في ناغورنو كاراباخ",
        "sections[0].heading": "أبرز المستجدات في النزاع الأذربيجاني الأرمني في ناغورنو كاراباخ",
        "sections[0].items[0].label": "الضحايا المدنيون",
        "sections[0].items[0].text": "أفادت وكالة AFP بمقتل مدنيَّين اثنين على الأقل وإصابة 11 آخرين خلال القصف "
                                     "المدفعي العنيف على عاصمة الإقليم، بحسب ما أكده مسؤولون من أصل أرمني.",
        "sections[0].items[8].label": "تقييد الوصول إلى TikTok",
        "sections[0].items[8].text": "أفاد موقع The Insider بأن أذربيجان قيّدت الوصول إلى TikTok داخل الإقليم.",
        "figures[1].label": "المدنيون الجرحى في قصف عاصمة الإقليم، بحسب AFP",
        # zero, one, two, few (3-10), many (11-99), other (100+): one and two spell the number out
        "figures[1].unit": ("{count} مدني", "مدني واحد", "مدنيان", "{count} مدنيين", "{count} مدنيًا", "{count} مدني"),
        "figures[2].label": "المدنيون القتلى، بحسب أمين المظالم لحقوق الإنسان",
        "figures[2].unit": ("{count} مدني", "مدني واحد", "مدنيان", "{count} مدنيين", "{count} مدنيًا", "{count} مدني"),
        "figures[6].label": "جنود قُتلوا في انفجارات ألغام قبل الهجوم",
        "figures[6].unit": ("{count} جندي", "جندي واحد", "جنديان", "{count} جنود", "{count} جنديًا", "{count} جندي"),
    },
}


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
        return {"index": self.out / "index.html", **{tag: self.page(tag) for tag in ["en", *PUBLISHED]}}


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


def _translate_by_hand(brief: polybrief.Brief, locales: Path, tag: str) -> None:
    """A translator's catalog for ``tag`` with the fields of :data:`RTL_TRANSLATIONS` reviewed, the rest empty."""
    from babel.messages.pofile import read_po, write_po

    by_position = {u.position: u.path for u in polybrief.translation_units(brief)}
    wanted = {by_position[position]: text for position, text in RTL_TRANSLATIONS[tag].items()}
    po = polybrief.update_catalog(brief, polybrief.get_locale(tag), locales)
    with po.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    for message in catalog:
        if message.context in wanted:
            message.string = wanted.pop(message.context)
    assert not wanted, wanted
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
    for tag in RTL_TRANSLATIONS:
        _translate_by_hand(brief, locales, tag)

    # Russian: Cyrillic letters pass the script check; the lost number placeholder is rejected.
    engine = ProtectingEngine(russian_tagger(lambda s: s.replace("{1}", ""), pairs=[("en", "ru")]))
    # index_threshold 0.9: hy, az and ru (47 of 50 reviewed) are full language versions, fa and ar (12 of 50)
    # partial ones; the default 1.0 would make every page with one draft partial
    project = Project(policy=TranslationPolicy(drafts="include", allow_mt_failure=True), base_url=base_url,
                      index_threshold=0.9)
    out = root / "site"
    report = polybrief.publish([path], locales=LOCALES, out_dir=out, project=project,
                               machine=machine_provider(engine, progress=False, project=project))
    return DisclosureSite(out=out, brief=brief, report=report, human_drafts=human, machine_drafts=machine_drafts,
                          live_machine=live, rejected=with_number.path)
