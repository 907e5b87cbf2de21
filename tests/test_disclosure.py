"""Every passage nobody reviewed is disclosed by its kind — a translator's draft, a machine draft from
the catalog (naming its model), live machine translation (naming its model), or source text — in
HTML and plain text, with a notice counting each kind in the page's language and a legend; and the
page's head says what a newsroom page must (canonical, hreflang with x-default, JSON-LD, Open Graph),
and the index shows each version in its own language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import polybrief
from conftest import EXAMPLE_ID
from disclosure_site import BASE_URL, DisclosureSite
from polybrief import Project, Session, publish
from polybrief.rendering import TEXT_MARKS
from test_render import parse

DRAFT = ("{num} passage on this page is a translator's draft that has not been reviewed yet.",
         "{num} passages on this page are translators' drafts that have not been reviewed yet.")
MACHINE_DRAFT = ("{num} passage on this page is a machine translation draft ({model}) that no translator has "
                 "reviewed.",
                 "{num} passages on this page are machine translation drafts ({model}) that no translator has "
                 "reviewed.")
MACHINE = ("{num} passage on this page was translated by machine ({model}) and has not been reviewed by a "
           "translator.",
           "{num} passages on this page were translated by machine ({model}) and have not been reviewed by a "
           "translator.")
SOURCE = ("{num} passage on this page is not yet translated and is shown in the original language ({language}).",
          "{num} passages on this page are not yet translated and are shown in the original language ({language}).")
LEGEND = {
    "draft": "a translator's draft, not yet reviewed",
    "machine-draft": "a machine translation draft, not yet reviewed",
    "machine": "translated by machine for this page",
    "source": "not yet translated, in the original language",
}


@pytest.fixture(scope="module")
def site(disclosure_site: DisclosureSite) -> DisclosureSite:
    return disclosure_site


def _localised(site: DisclosureSite, tag: str) -> polybrief.LocalisedBrief:
    return next(x for x in site.report.localised if x.locale.tag == tag)


def _ui(tag: str):  # noqa: ANN202 - gettext translations
    project = Project()
    session = Session(project)
    return session.renderer.ui.translations(session.locale(tag))


def _notice_text(tag: str, message: tuple[str, str], n: int, **values: str) -> str:
    """The notice sentence as the page's UI catalog (or the English fallback) words it."""
    locale = polybrief.get_locale(tag)
    return _ui(tag).ngettext(*message, n).format(num=locale.format_number(n), **values)


def _marked(page, kind: str) -> list:  # noqa: ANN001
    return [e for e in page.elements if e.attrs.get("data-provenance") == kind and "data-name" not in e.attrs]


def test_human_and_machine_drafts_are_told_apart(site):
    """Defect 1: machine drafts from `translate` were shown as data-provenance="draft", like a translator's."""
    hy = parse(site.page("hy").read_text(encoding="utf-8"))
    az = parse(site.page("az").read_text(encoding="utf-8"))
    assert len(_marked(hy, "draft")) == len(site.human_drafts) and not _marked(hy, "machine-draft")
    machine_drafts = _marked(az, "machine-draft")
    assert len(machine_drafts) == len(site.machine_drafts) and not _marked(az, "draft")
    assert {e.attrs.get("data-model") for e in machine_drafts} == {"en→az test-model"}
    counts = _localised(site, "az").provenance_counts()
    assert counts["machine-draft"] == len(site.machine_drafts) and counts["draft"] == 0
    ru = parse(site.page("ru").read_text(encoding="utf-8"))
    assert {e.attrs.get("data-model") for e in _marked(ru, "machine")} == {"en→ru tagging"}
    (fallback,) = _marked(ru, "source")  # the one field whose machine translation was rejected
    assert fallback.attrs["lang"] == "en"


@pytest.mark.parametrize(("tag", "expected"), [
    ("hy", [(DRAFT, "draft", {})]),
    ("az", [(MACHINE_DRAFT, "machine-draft", {"model": "en→az test-model"})]),
    ("ru", [(MACHINE, "machine", {"model": "en→ru tagging"}), (SOURCE, "source", {"language": "английский"})]),
    ("fa", [(SOURCE, "source", {"language": "انگلیسی"})]),
])
def test_notice_counts_each_kind_in_the_page_language(site, tag, expected):
    """Defect 1: `--drafts include` published drafts with no notice; machine kinds did not name the model."""
    counts = _localised(site, tag).provenance_counts()
    (notice,) = parse(site.page(tag).read_text(encoding="utf-8")).find("aside", class_="notice")
    text = " ".join(notice.text.split())
    for message, kind, values in expected:
        sentence = _notice_text(tag, message, counts[kind], **values)
        assert " ".join(sentence.split()) in text, (tag, kind, sentence, text)
    if tag in ("hy", "ru"):  # shipped UI catalogs: the notice is in the page's language, not English
        assert "passage" not in text


def test_legend_lists_the_marking_of_each_kind_shown(site):
    for tag, kinds in (("hy", {"draft"}), ("az", {"machine-draft"}), ("ru", {"machine", "source"}),
                       ("fa", {"source"})):
        page = parse(site.page(tag).read_text(encoding="utf-8"))
        legend = {e.attrs["data-mark"]: e.text for e in page.elements if "data-mark" in e.attrs}
        assert set(legend) == kinds, tag
        for kind, text in legend.items():
            assert text == _ui(tag).gettext(LEGEND[kind]), (tag, kind)
    assert not parse(site.page("en").read_text(encoding="utf-8")).find("aside")


def _text_page(site: DisclosureSite, tag: str) -> str:
    return site.page(tag, "txt").read_bytes().decode("utf-8-sig")


def test_text_output_marks_every_unreviewed_passage(site):
    plural = {u.path for u in polybrief.translation_units(site.brief) if u.is_plural}
    for tag in ("hy", "az", "ru", "fa"):
        item = _localised(site, tag)
        text = _text_page(site, tag)
        flat = " ".join(text.split())
        for segment in item.segments():
            if segment.provenance is polybrief.Provenance.REVIEWED or "\n" in segment.text or len(segment.text) > 60 \
                    or "{" in segment.text or segment.path in plural:  # shown in another form or filled in
                continue
            sign = TEXT_MARKS[segment.provenance]
            # Short segments are never wrapped inside, so the mark follows the text directly.
            assert " ".join(f"{segment.text}{sign}".split()) in flat, (tag, segment.path, sign)
        for kind in item.disclosed:
            line = f"{TEXT_MARKS[kind]}   {_ui(tag).gettext(LEGEND[kind.value])}"
            # (a line of a right-to-left page starts with its direction mark)
            assert any(candidate.lstrip("\u200e\u200f").startswith(line[:40]) for candidate in text.splitlines()), \
                (tag, kind, line)
    # Reviewed passages and names shown as written carry no mark; the original page none at all.
    original = _text_page(site, "en")
    assert not any(sign in original for sign in TEXT_MARKS.values() if sign != "*") and "AFP*" not in original
    assert "AFP*" not in _text_page(site, "ru")


def test_reviewed_pages_stay_unmarked(tmp_path, example_path):
    report = publish([example_path], locales=["hy", "ru"], out_dir=tmp_path / "out")
    for tag in ("hy", "ru"):
        page = parse((tmp_path / "out" / tag / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8"))
        assert not page.find("aside") and not [e for e in page.elements if "data-mark" in e.attrs]
        assert not page.find("main", class_="translation") or all(
            e.attrs["data-provenance"] == "reviewed" or "data-name" in e.attrs
            for e in page.elements if "data-provenance" in e.attrs)
        text = (tmp_path / "out" / tag / f"{EXAMPLE_ID}.txt").read_bytes().decode("utf-8-sig")
        assert not any(sign in text for sign in ("\u2020", "\u2021", "\u00a7")), tag
    assert report.provenance(EXAMPLE_ID, "hy")["reviewed"] == 52


def _head(path: Path) -> tuple[object, dict, str]:
    html = path.read_text(encoding="utf-8")
    page = parse(html)
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return page, json.loads(script), html


def test_head_with_a_base_url(site):
    for tag in ("en", "hy", "az", "ru", "fa"):
        page, data, _ = _head(site.page(tag))
        (canonical,) = page.find("link", rel="canonical")
        assert canonical.attrs["href"] == f"{BASE_URL}{tag}/{site.brief.id}.html"
        links = {link.attrs["hreflang"]: link.attrs["href"] for link in page.find("link", rel="alternate")
                 if "hreflang" in link.attrs}
        assert links == {**{t: f"{BASE_URL}{t}/{site.brief.id}.html" for t in ("en", "hy", "az", "ru", "fa")},
                         "x-default": f"{BASE_URL}en/{site.brief.id}.html"}
        og = {m.attrs["property"]: m.attrs["content"] for m in page.find("meta") if "property" in m.attrs}
        item = _localised(site, tag)
        assert og["og:type"] == "article" and og["og:title"] == item.headline.text
        assert og["og:url"] == canonical.attrs["href"]
        assert og["og:locale"].split("_")[0] == tag
        assert og["article:published_time"] == site.brief.published.isoformat()
        assert data["@type"] == "NewsArticle" and data["inLanguage"] == tag and data["headline"] == item.headline.text
        assert data["datePublished"] == site.brief.published.isoformat()
        keywords = [m.attrs["content"] for m in page.find("meta", name="keywords")]
        if tag == "en":
            assert keywords == [", ".join(site.brief.tags)] and data["keywords"] == site.brief.tags
            assert {w["inLanguage"] for w in data["workTranslation"]} == {"hy", "az", "ru", "fa"}
        else:
            # Tags are not translatable: a translated page carries no (English) keywords at all.
            assert keywords == [] and "keywords" not in data and "article:tag" not in og
            assert data["translationOfWork"]["url"] == f"{BASE_URL}en/{site.brief.id}.html"


def test_head_without_a_base_url_keeps_links_relative(tmp_path, example_path):
    out = tmp_path / "out"
    publish([example_path], locales=["hy", "ru"], out_dir=out, formats=["html"])
    page, data, html = _head(out / "hy" / f"{EXAMPLE_ID}.html")
    assert not page.find("link", rel="canonical") and "og:url" not in html
    links = {link.attrs["hreflang"]: link.attrs["href"] for link in page.find("link", rel="alternate")
                 if "hreflang" in link.attrs}
    assert links == {**{t: f"../{t}/{EXAMPLE_ID}.html" for t in ("en", "hy", "ru")},
                     "x-default": f"../en/{EXAMPLE_ID}.html"}
    assert data["translationOfWork"]["url"] == f"../en/{EXAMPLE_ID}.html"


def test_main_landmark_and_translated_skip_link(site):
    for tag, label in (("hy", "Անցնել բովանդակությանը"), ("ru", "Перейти к содержанию"), ("en", "Skip to content")):
        page = parse(site.page(tag).read_text(encoding="utf-8"))
        (main,) = page.find("main")
        assert main.attrs["id"] == "main"
        first_link = next(e for e in page.elements if e.tag == "a")
        assert first_link.attrs["href"] == "#main" and first_link.text == label


def test_text_pages_carry_a_utf8_byte_order_mark(site, example_brief):
    """A plain static server sends .txt without a charset; the BOM makes browsers read UTF-8."""
    for tag in ("en", "hy", "ru", "fa"):
        data = site.page(tag, "txt").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and not data.startswith(b"\xef\xbb\xbf\xef\xbb\xbf")
    rendered = Session().renderer.render(polybrief.localise(example_brief, "hy"), format="text")
    assert not rendered.startswith("\ufeff")  # the renderer's own output (polybrief render) has none


def test_index_shows_each_version_in_its_own_language(site):
    """Defect 5: the index was English-only, with link text "text" four times and no date."""
    page = parse((site.out / "index.html").read_text(encoding="utf-8"))
    (main,) = page.find("main")
    items = [e for e in page.elements if e.tag == "li" and "lang" in e.attrs]
    assert {li.attrs["lang"] for li in items} == {"en", "hy", "az", "ru", "fa"}
    links = [a for a in page.find("a") if a.attrs.get("hreflang") and not a.attrs.get("type")
             and not a.attrs["href"].endswith("/index.html")]  # not the language indexes' links
    for a in links:
        tag = a.attrs["hreflang"]
        item = _localised(site, tag)
        assert " ".join(a.text.split()) == " ".join(item.headline.text.split()), tag
        assert a.attrs["href"] == f"{tag}/{site.brief.id}.html"
    text_links = {a.attrs["hreflang"]: a.text for a in page.find("a") if a.attrs.get("type") == "text/plain"}
    assert text_links["hy"] == "Պարզ տեքստ" and text_links["ru"] == "Текстовая версия"
    assert "text" not in text_links.values()
    times = [e for e in page.elements if e.tag == "time"]
    published = site.brief.published
    for tag in ("hy", "ru", "fa"):
        expected = polybrief.get_locale(tag).format_date(published, "long")
        assert any(t.text == expected for t in times), (tag, expected)
    # The headline of a version shown in the source language (fa has no catalog) is marked as English.
    fa_headline = next(e for e in page.elements if e.tag == "span" and e.attrs.get("lang") == "en"
                       and e.text == site.brief.headline)
    assert fa_headline.attrs["dir"] == "ltr"
