"""Right-to-left pages that read in order: Persian and Arabic pages against HTML written by hand.

Every expected string below was written by hand from what a Persian or Arabic reader must get, not
copied from polybrief's output: the page's own text in its direction, each maximal run of another
direction in one ``<bdi>`` (a run of Latin words with the punctuation between them is one isolate;
names separated by the Arabic comma ``،`` are isolated one by one), template-like text and markup
kept whole (``{{ arrivals_total }}`` never reads "total_arrivals"), URLs isolated, numbers in the
locale's digits, a translated item never inside a fallback's English direction, and the Arabic
comma where the page writes one.
"""

from __future__ import annotations

import re
import shutil

import pytest

import polybrief
from conftest import field_key
from polybrief import Project, Renderer, get_locale, localise, update_catalog

LEAD = "The total is {{ arrivals_total }} after the <b>UPDATE</b> at https://example.org/news/ today."
CITIES = "Refugees reached Goris, Gəncə, Stepanakert and Goris again: 120,000 people."

#: The translations a Persian and an Arabic translator wrote, by field.
TRANSLATIONS = {
    "fa": {
        "lead[0]": "مجموع {{ arrivals_total }} پس از <b>UPDATE</b> در https://example.org/news/ امروز است.",
        "sections[0].items[0].label": "شهرها",
        "sections[0].items[0].text": "پناه‌جویان به Goris، Gəncə، Ստեփանակերտ و Горис رسیدند: ۱۲۰٬۰۰۰ نفر.",
        "figures[0].label": "یک نفر",
        "figures[0].unit": ("{count} نفر", "{count} نفر"),
        "figures[1].label": "دو نفر",
        "figures[1].unit": ("{count} نفر", "{count} نفر"),
        "figures[2].label": "یازده نفر",
        "figures[2].unit": ("{count} نفر", "{count} نفر"),
    },
    "ar": {
        "lead[0]": "المجموع {{ arrivals_total }} بعد <b>UPDATE</b> على https://example.org/news/ اليوم.",
        "sections[0].items[0].label": "المدن",
        "sections[0].items[0].text": "وصل اللاجئون إلى Goris، Gəncə، Ստեփանակերտ و Горис: 120,000 شخص.",
        "figures[0].label": "شخص",
        # zero, one, two, few (3-10), many (11-99), other (100+): one and two are the noun alone
        "figures[0].unit": ("{count} شخص", "شخص واحد", "شخصان", "{count} أشخاص", "{count} شخصًا", "{count} شخص"),
        "figures[1].label": "شخصان",
        "figures[1].unit": ("{count} شخص", "شخص واحد", "شخصان", "{count} أشخاص", "{count} شخصًا", "{count} شخص"),
        "figures[2].label": "أحد عشر",
        "figures[2].unit": ("{count} شخص", "شخص واحد", "شخصان", "{count} أشخاص", "{count} شخصًا", "{count} شخص"),
    },
}

#: What the reader must get, written by hand (``data-provenance`` marks each reviewed field).
EXPECTED = {
    "fa": {
        "lead": '<p data-provenance="reviewed">مجموع {{ <bdi dir="ltr">arrivals_total</bdi> }} پس از '
                '<bdi dir="ltr">&lt;b&gt;UPDATE&lt;/b&gt;</bdi> در <bdi dir="ltr">https://example.org/news/</bdi> '
                'امروز است.</p>',
        "item": '<li><strong data-provenance="reviewed">شهرها</strong>: <span data-provenance="reviewed">'
                'پناه‌جویان به <bdi dir="ltr">Goris</bdi>، <bdi dir="ltr">Gəncə</bdi>، <bdi dir="ltr">Ստեփանակերտ</bdi>'
                ' و <bdi dir="ltr">Горис</bdi> رسیدند: ۱۲۰٬۰۰۰ نفر.</span> (منبع: <span class="cite" '
                'data-provenance="source" lang="en" dir="ltr" data-name="">AFP</span>)</li>',
        "amounts": ['<span data-provenance="reviewed"><data value="1">۱</data> نفر</span>',
                    '<span data-provenance="reviewed"><data value="2">۲</data> نفر</span>',
                    '<span data-provenance="reviewed"><data value="11">۱۱</data> نفر</span>'],
        "dateline": '<p class="dateline"><span data-provenance="source" lang="en" dir="ltr"><span '
                    'class="visually-hidden" lang="fa" dir="rtl">ترجمه‌نشده، به زبان اصلی: </span>Goris</span>، '
                    '<time datetime="2023-09-30">۳۰ سپتامبر ۲۰۲۳</time></p>',
    },
    "ar": {
        "lead": '<p data-provenance="reviewed">المجموع {{ <bdi dir="ltr">arrivals_total</bdi> }} بعد '
                '<bdi dir="ltr">&lt;b&gt;UPDATE&lt;/b&gt;</bdi> على <bdi dir="ltr">https://example.org/news/</bdi> '
                'اليوم.</p>',
        "item": '<li><strong data-provenance="reviewed">المدن</strong>: <span data-provenance="reviewed">'
                'وصل اللاجئون إلى <bdi dir="ltr">Goris</bdi>، <bdi dir="ltr">Gəncə</bdi>، <bdi dir="ltr">Ստեփանակերտ</bdi>'
                ' و <bdi dir="ltr">Горис</bdi>: 120,000 شخص.</span> (المصدر: <span class="cite" '
                'data-provenance="source" lang="en" dir="ltr" data-name="">AFP</span>)</li>',
        # Arabic drops the numeral for one and two: the noun's singular and dual are the number
        "amounts": ['<span data-provenance="reviewed">شخص واحد</span>',
                    '<span data-provenance="reviewed">شخصان</span>',
                    '<span data-provenance="reviewed"><data value="11">11</data> شخصًا</span>'],
        "dateline": '<p class="dateline"><span data-provenance="source" lang="en" dir="ltr"><span '
                    'class="visually-hidden" lang="ar" dir="rtl">غير مترجم، باللغة الأصلية: </span>Goris</span>، '
                    '<time datetime="2023-09-30">30 سبتمبر 2023</time></p>',
    },
}


@pytest.fixture(scope="module")
def brief():
    return polybrief.Brief.model_validate({
        "id": "rtl-golden", "language": "en", "headline": "Refugees reach Goris",
        "dateline": {"place": "Goris", "date": "2023-09-30"}, "published": "2023-09-30T21:15:00+04:00",
        "lead": [LEAD],
        "sections": [{"heading": "Updates", "items": [{"label": "Cities", "text": CITIES, "source": "AFP"}]}],
        "figures": [{"label": "One person", "value": 1, "unit": {"one": "person", "other": "people"}},
                    {"label": "Two people", "value": 2, "unit": {"one": "person", "other": "people"}},
                    {"label": "Eleven people", "value": 11, "unit": {"one": "person", "other": "people"}}],
        "sources": [{"name": "AFP", "url": "https://www.afp.com/"}],
    })


def _catalog(brief, tag, root, po_io):
    locale = get_locale(tag)
    path = update_catalog(brief, locale, root)
    catalog = po_io.read(path)
    for position, text in TRANSLATIONS[tag].items():
        key = field_key(brief, position)
        message = next(m for m in catalog if m.context == key)
        message.string = text
    po_io.write(path, catalog)
    return polybrief.load_brief_catalog(brief, locale, root)


@pytest.fixture(scope="module")
def pages(brief, tmp_path_factory, po_io):
    root = tmp_path_factory.mktemp("rtl-golden")
    renderer = Renderer()
    return {tag: renderer.render(localise(brief, tag, catalog=_catalog(brief, tag, root, po_io)))
            for tag in TRANSLATIONS}


@pytest.mark.parametrize("tag", ["fa", "ar"])
def test_lead_with_template_text_markup_and_a_url(pages, tag):
    assert EXPECTED[tag]["lead"] in pages[tag]


@pytest.mark.parametrize("tag", ["fa", "ar"])
def test_item_with_names_in_three_scripts_and_a_cited_source(pages, tag):
    assert EXPECTED[tag]["item"] in pages[tag]


@pytest.mark.parametrize("tag", ["fa", "ar"])
def test_exact_figures_with_one_and_two(pages, tag):
    cells = re.findall(r'<td class="amount"[^>]*>(.*?)</td>', pages[tag])
    assert cells == EXPECTED[tag]["amounts"]


@pytest.mark.parametrize("tag", ["fa", "ar"])
def test_untranslated_dateline_place_with_the_locale_comma(pages, tag):
    """The place fell back to English: marked, isolated, announced as untranslated; the comma is the page's."""
    assert EXPECTED[tag]["dateline"] in pages[tag]


def test_a_fallback_frame_never_holds_a_translated_item(brief, tmp_path, po_io, repo_root):
    """A Persian UI catalog without the item message: "(Source: …)" falls back to English, and only the word
    "Source" is marked English and left to right; the reviewed Persian label and text stay in the page's
    direction (wrapped in the English frame, the label sat at the left end of the line)."""
    ui = tmp_path / "ui" / "fa" / "LC_MESSAGES"
    ui.parent.mkdir(parents=True)
    shutil.copytree(repo_root / "locales" / "fa" / "LC_MESSAGES", ui)
    catalog = po_io.read(ui / "polybrief.po")
    catalog.delete("{label}: {text} (Source: {name})")
    po_io.write(ui / "polybrief.po", catalog)
    session = polybrief.Session(Project(locale_dirs=[tmp_path / "ui"]))
    html = session.renderer.render(localise(brief, session.locale("fa"),
                                            catalog=_catalog(brief, "fa", tmp_path / "briefs", po_io)))
    item = re.search(r"<li><strong.*?</li>", html).group(0)
    assert item == ('<li><strong data-provenance="reviewed">شهرها</strong>: <span data-provenance="reviewed">'
                    'پناه‌جویان به <bdi dir="ltr">Goris</bdi>، <bdi dir="ltr">Gəncə</bdi>، '
                    '<bdi dir="ltr">Ստեփանակերտ</bdi> و <bdi dir="ltr">Горис</bdi> رسیدند: ۱۲۰٬۰۰۰ نفر.</span> '
                    '(<span lang="en" dir="ltr">Source</span>: <span class="cite" data-provenance="source" lang="en" '
                    'dir="ltr" data-name="">AFP</span>)</li>')
