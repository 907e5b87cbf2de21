"""A live brief in a newsroom: its revision time, bylines, lead image and corrections (translated through
the catalogs like every field), the notice a lagging translation shows, each page's dateModified in its
own language with a history in the site manifest, and the page metadata Google documents for
NewsArticle: JSON-LD extracted from the HTML by extruct and expanded by pyld, Open Graph and Twitter
cards, the page's own plain-text alternate and the favicon."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import lxml.html
import polib
import pytest
import yaml

from conftest import EXAMPLE, EXAMPLE_ID
from polybrief import (
    BriefError,
    Newsroom,
    Project,
    brief_json_schema,
    get_locale,
    load,
    localise,
    publish,
    render,
    translation_units,
    update_catalog,
)

BASE = "https://news.example.org/briefs/"
LOCALES = ("hy", "az", "ru", "uk")
CORRECTION = "corrections[correction-20230919-2130].text"
DESK = "authors[world-desk].name"


def _catalog(tag: str, root: Path = EXAMPLE.parent / "locales") -> polib.POFile:
    return polib.pofile(str(root / tag / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"))


def _msgstr(tag: str, context: str, root: Path = EXAMPLE.parent / "locales") -> str:
    (entry,) = [e for e in _catalog(tag, root) if e.msgctxt == context]
    assert entry.msgstr and "fuzzy" not in entry.flags
    return entry.msgstr


def _json_ld(html: str) -> dict:
    import extruct

    (data,) = extruct.extract(html, syntaxes=["json-ld"], uniform=True)["json-ld"]
    return data


def _expanded(data: dict) -> dict:
    """The JSON-LD expanded by pyld against schema.org's vocabulary (no network: the context is given)."""
    from pyld import jsonld

    def loader(url, options=None):
        assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
        return {"contextUrl": None, "documentUrl": url, "document": {"@context": {"@vocab": "https://schema.org/"}}}

    (node,) = jsonld.expand(data, {"documentLoader": loader})
    return node


def _value(node: dict, name: str) -> list:
    return [v.get("@value", v.get("@id", v)) for v in node.get(f"https://schema.org/{name}", [])]


# -- the brief ------------------------------------------------------------------------------------------------------


def test_the_schema_documents_the_new_fields_and_the_example_validates(example_brief):
    import jsonschema

    schema = brief_json_schema()
    for name in ("updated", "authors", "image", "corrections"):
        assert name in schema["properties"], name
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)
    assert example_brief.updated.isoformat() == "2023-09-19T22:00:00+05:30"
    assert example_brief.last_modified == example_brief.updated
    assert load(EXAMPLE.parent / "goris-refugees.yaml").authors == []  # briefs without them stay valid


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"updated": "2023-09-19T17:00:00+05:30"}, "updated", "earlier than published"),
    ({"updated": "2023-09-19T22:00:00"}, "updated", "time zone"),
    ({"corrections": [{"date": "2023-09-18T10:00:00+05:30", "text": "Fixed."}]}, "corrections[0].date",
     "earlier than the brief's publication"),
    ({"updated": "2023-09-19T20:00:00+05:30", "corrections": [{"date": "2023-09-19T21:00:00+05:30",
                                                                 "text": "Fixed."}]}, "corrections[0].date",
     "set updated"),
    ({"image": {"url": "mailto:desk@example.org", "alt": "x"}}, "image.url", "http"),
    ({"image": {"url": "https://example.org/a.jpg"}}, "image.alt", "required"),
    ({"authors": [{"name": "A", "url": "javascript:alert(1)"}]}, "authors[0].url", "http"),
])
def test_bad_newsroom_fields_name_their_field(tmp_path, change, field, words):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data.pop("updated")
    data.pop("corrections")
    data.update(change)
    path = tmp_path / "brief.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(BriefError) as info:
        load(path)
    problem = next(p for p in info.value.problems if p.field == field)
    assert words in problem.message and problem.file == str(path) and problem.line


def test_new_translatable_fields_go_through_the_catalogs(make_brief, tmp_path):
    brief = make_brief(
        authors=[{"name": "Anna Petrosyan", "role": "Caucasus correspondent", "url": "https://example.org/anna"},
                 {"name": "World Desk", "kind": "organization", "translatable": True}],
        image={"url": "https://example.org/bridge.jpg", "alt": "The reopened bridge at dawn",
               "caption": "Traffic on the bridge on Tuesday", "credit": "Example Photo/A. Hakobyan"},
        corrections=[{"date": "2024-03-05T12:00:00+04:00", "text": "An earlier version misspelled the river."}],
        updated="2024-03-05T12:00:00+04:00")
    paths = [u.path for u in translation_units(brief)]
    for expected in ("authors[anna-petrosyan].role", "authors[world-desk].name", "image.alt", "image.caption",
                     "corrections[correction-20240305-1200].text"):
        assert expected in paths, paths
    assert "authors[anna-petrosyan].name" not in paths  # a person's name is shown as written
    po = update_catalog(brief, "ru", tmp_path)
    assert 'msgctxt "image.alt"' in po.read_text(encoding="utf-8")


# -- the seed example's pages ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("newsroom") / "site"
    project = Project(base_url=BASE, newsroom=Newsroom(site_name="Caucasus Briefs", publisher="Example News",
                                                       logo="logo.png", favicon="favicon.ico"))
    publish([EXAMPLE], locales=list(LOCALES), out_dir=out, project=project)
    return out


@pytest.mark.parametrize("tag", ("en", *LOCALES))
def test_the_example_shows_its_revision_byline_and_correction_in_every_locale(example_site, tag):
    html = (example_site / tag / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8")
    page = lxml.html.fromstring(html)
    info = get_locale(tag)
    brief = load(EXAMPLE)
    (updated,) = page.xpath('//p[@class="updated"]/descendant::time')
    assert updated.get("datetime") == "2023-09-19T22:00:00+05:30"
    assert updated.text_content() == info.format_datetime(brief.updated, "long")
    desk = "World Desk" if tag == "en" else _msgstr(tag, DESK)
    correction = brief.corrections[0].text if tag == "en" else _msgstr(tag, CORRECTION)
    (byline,) = page.xpath('//p[@class="byline"]')
    assert desk in byline.text_content()
    (item,) = page.xpath('//section[@class="corrections"]//li')
    assert " ".join(item.text_content().split()) .endswith(" ".join(correction.split()))
    assert item.xpath(".//time")[0].get("datetime") == "2023-09-19T21:30:00+05:30"
    assert info.format_datetime(brief.corrections[0].date, "medium") in item.text_content()
    assert not page.xpath('//p[@class="lag"]')  # every translation has caught up
    text = (example_site / tag / f"{EXAMPLE_ID}.txt").read_text(encoding="utf-8-sig")
    assert info.format_datetime(brief.updated, "long") in text and desk in text
    assert " ".join(correction.split()) in " ".join(text.split())


@pytest.mark.parametrize("tag", ("en", "hy"))
def test_json_ld_holds_what_google_documents_for_news_articles(example_site, tag):
    html = (example_site / tag / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8")
    data = _json_ld(html)
    node = _expanded(data)
    url = f"{BASE}{tag}/{EXAMPLE_ID}.html"
    assert node["@type"] == ["https://schema.org/NewsArticle"] and node["@id"] == f"{url}#article"
    (main,) = node["https://schema.org/mainEntityOfPage"]
    assert main["@id"] == url and main["@type"] == ["https://schema.org/WebPage"]
    assert _value(node, "headline") and len(_value(node, "headline")[0]) <= 110
    published, modified = _value(node, "datePublished")[0], _value(node, "dateModified")[0]
    assert published == "2023-09-19T18:00:00+05:30"
    # dateModified: when the page changed in its own language (the source's revision; hy's catalog).
    assert modified == ("2023-09-19T22:00:00+05:30" if tag == "en" else "2023-09-20T09:30:00+04:00")
    (author,) = node["https://schema.org/author"]
    assert author["@type"] == ["https://schema.org/Organization"]
    assert _value(author, "name") == ["World Desk" if tag == "en" else _msgstr("hy", DESK)]
    (publisher,) = node["https://schema.org/publisher"]
    assert publisher["@type"] == ["https://schema.org/Organization"] and _value(publisher, "name") == ["Example News"]
    (logo,) = publisher["https://schema.org/logo"]
    assert _value(logo, "url") == [f"{BASE}logo.png"]
    assert _value(node, "inLanguage") == [tag]


def test_image_author_and_cards_in_page_metadata(make_brief):
    brief = make_brief(
        authors=[{"name": "Anna Petrosyan", "role": "Caucasus correspondent", "url": "https://example.org/anna"}],
        image={"url": "https://example.org/bridge.jpg", "alt": "The reopened bridge at dawn", "width": 1200,
               "height": 800, "credit": "Example Photo"},
        updated="2024-03-05T12:00:00+04:00")
    html = render(brief, "en", project=Project(newsroom=Newsroom(site_name="Caucasus Briefs")))
    node = _expanded(_json_ld(html))
    (image,) = node["https://schema.org/image"]
    assert _value(image, "url") == ["https://example.org/bridge.jpg"] and _value(image, "width") == [1200]
    (author,) = node["https://schema.org/author"]
    assert author["@type"] == ["https://schema.org/Person"] and _value(author, "jobTitle") == ["Caucasus correspondent"]
    assert _value(author, "url") == ["https://example.org/anna"]
    page = lxml.html.fromstring(html)
    og = {m.get("property"): m.get("content") for m in page.xpath("//meta[@property]")}
    assert og["og:site_name"] == "Caucasus Briefs" and og["og:image"] == "https://example.org/bridge.jpg"
    assert og["og:image:alt"] == "The reopened bridge at dawn" and og["article:modified_time"] == "2024-03-05T12:00:00+04:00"
    assert og["article:author"] == "https://example.org/anna"
    cards = {m.get("name"): m.get("content") for m in page.xpath("//meta[starts-with(@name, 'twitter:')]")}
    assert cards == {"twitter:card": "summary_large_image", "twitter:title": "Bridge reopens after repairs",
                     "twitter:image": "https://example.org/bridge.jpg", "twitter:image:alt": "The reopened bridge at dawn"}
    (img,) = page.xpath("//figure[@class='lead-image']/img")
    assert img.get("alt") == "The reopened bridge at dawn" and img.get("width") == "1200"


def test_a_page_links_its_own_text_version_and_the_favicon(example_site):
    page = lxml.html.fromstring((example_site / "ru" / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8"))
    (text,) = page.xpath("//link[@rel='alternate'][@type='text/plain']")
    assert text.get("href") == f"{BASE}ru/{EXAMPLE_ID}.txt" and text.get("hreflang") is None
    assert (example_site / "ru" / f"{EXAMPLE_ID}.txt").is_file()
    (icon,) = page.xpath("//link[@rel='icon']")
    assert icon.get("href") == f"{BASE}favicon.ico"


def test_key_update_times_are_shown_in_each_locales_format(make_brief):
    brief = make_brief(sections=[{"heading": "Updates", "items": [
        {"label": "Traffic", "text": "Both lanes are open again.", "time": "2024-03-05T10:15:00+04:00"}]}])
    for tag in ("en", "hy", "ru"):
        page = lxml.html.fromstring(render(brief, tag))
        (stamp,) = page.xpath("//li/time[@class='stamp']")
        assert stamp.get("datetime") == "2024-03-05T10:15:00+04:00"
        assert stamp.text_content() == get_locale(tag).format_datetime(brief.sections[0].items[0].time, "medium")
        assert get_locale(tag).format_datetime(brief.sections[0].items[0].time, "medium") in render(brief, tag,
                                                                                                      format="text")


# -- a translation lagging behind its source ------------------------------------------------------------------------


def _set_revision(po: Path, when: str) -> None:
    text = po.read_text(encoding="utf-8")
    start = text.index('"PO-Revision-Date: ')
    end = text.index('\\n"', start)
    po.write_text(text[:start] + f'"PO-Revision-Date: {when}' + text[end:], encoding="utf-8")


def test_a_lagging_translation_says_so_and_keeps_its_own_date(tmp_path):
    folder = tmp_path / "brief"
    shutil.copytree(EXAMPLE.parent / "locales", folder / "locales")
    path = folder / EXAMPLE.name
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["updated"] = "2023-09-20T14:00:00+05:30"
    data["sections"][0]["items"].append({"label": "Situation Update",
                                         "text": "Officials said more details would be released later in the day.",
                                         "time": "2023-09-20T13:45:00+05:30"})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    brief = load(path)
    root = folder / "locales"
    po = root / "ru" / "LC_MESSAGES" / f"{EXAMPLE_ID}.po"
    revised = _catalog("ru", root).metadata["PO-Revision-Date"]
    update_catalog(brief, "ru", root)
    assert _catalog("ru", root).metadata["PO-Revision-Date"] == revised  # update changes no translation
    out = tmp_path / "site"
    publish([path], locales=["ru"], out_dir=out)
    html = (out / "ru" / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8")
    page = lxml.html.fromstring(html)
    (lag,) = page.xpath("//p[@class='lag']")
    when = get_locale("ru").format_datetime(brief.updated, "long")
    expected = f"Оригинал (английский) обновлён {when}; 2 фрагмента этой страницы ещё не переведены или не проверены."
    assert " ".join(lag.text_content().split()) == " ".join(expected.split())
    assert _json_ld(html)["dateModified"] == "2023-09-20T08:10:00+03:00"  # the Russian text did not change
    assert _json_ld((out / "en" / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8"))["dateModified"] == \
        "2023-09-20T14:00:00+05:30"
    assert "2 фрагмента этой страницы" in " ".join((out / "ru" / f"{EXAMPLE_ID}.txt").read_text(
        encoding="utf-8-sig").split())

    # The translator catches up: the notice goes, and the page is as new as the translation.
    catalog = polib.pofile(str(po))
    for entry in catalog:
        if entry.msgid == "Situation Update":
            entry.msgstr = "Обстановка"
        elif entry.msgid.startswith("Officials said"):
            entry.msgstr = "Официальные лица заявили, что подробности будут опубликованы позже в течение дня."
    catalog.save()
    _set_revision(po, "2023-09-20 13:30+0300")
    publish([path], locales=["ru"], out_dir=out)
    html = (out / "ru" / f"{EXAMPLE_ID}.html").read_text(encoding="utf-8")
    assert not lxml.html.fromstring(html).xpath("//p[@class='lag']")
    assert _json_ld(html)["dateModified"] == "2023-09-20T13:30:00+03:00"
    manifest = json.loads((out / ".polybrief-site.json").read_text(encoding="utf-8"))
    history = manifest["briefs"][EXAMPLE_ID]["pages"]["ru"]["history"]
    assert history == [{"modified": "2023-09-20T08:10:00+03:00", "source": "2023-09-20T14:00:00+05:30"},
                       {"modified": "2023-09-20T13:30:00+03:00", "source": "2023-09-20T14:00:00+05:30"}]
    assert manifest["briefs"][EXAMPLE_ID]["pages"]["ru"]["full"] is True


def test_a_page_localised_without_catalog_dates_from_publication(make_brief):
    brief = make_brief(updated="2024-03-05T18:00:00+04:00")
    page = localise(brief, "hy")
    assert page.modified == brief.published and page.lags and not page.is_full
    assert page.pending_count == len(translation_units(brief))
