"""Rendering through the real templates: HTML structure and attributes per
locale, plural forms, text wrapping by terminal cells, template overrides,
hostile content, and UI catalog fallbacks and checks."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser

import pytest
import wcwidth

import polybrief
from polybrief import CatalogError, Project, Renderer, Session, TemplateError, get_locale, localise, update_catalog
from polybrief.rendering import neutralise_controls

ALL_LOCALES = ("en", "hy", "az", "ru", "ka", "fa", "ar")
SOURCE_URLS = {"https://www.afp.com/", "https://mod.gov.az/", "https://www.mfa.am/", "https://theins.ru/"}
LABELS = {
    "ru": ("Ключевые цифры", "Источники", "Опубликовано"),
    "hy": ("Հիմնական թվեր", "Աղբյուրներ", "Հրապարակվել է"),
    "az": ("Əsas rəqəmlər", "Mənbələr", "Dərc olunub"),
    "en": ("Key figures", "Sources", "Published"),
    "ka": ("Key figures", "Sources", "Published"),  # no UI catalog: English, never blank
}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag, self.attrs, self.text = tag, attrs, ""


class Collector(HTMLParser):
    """Every element with its attributes and the text directly or indirectly inside it."""

    VOID = {"meta", "link", "br", "img", "input", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data):
        for element in self._open:
            element.text += data

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]


def parse(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector


@pytest.fixture(scope="module")
def source(example_path):
    return Session().open_brief(example_path)


@pytest.fixture(scope="module")
def renderer():
    return Renderer()


@pytest.fixture(scope="module")
def rendered(source, renderer):
    """(locale, format) -> output, for the seed brief with its shipped catalogs."""
    out = {}
    for tag in ALL_LOCALES:
        info = get_locale(tag)
        localised = localise(source.brief, info, catalog=Session().catalog(source, info))
        for fmt in ("html", "text"):
            out[tag, fmt] = renderer.render(localised, format=fmt)
    return out


# -- HTML ---------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ALL_LOCALES)
def test_html_document_structure(rendered, tag):
    html = rendered[tag, "html"]
    direction = "rtl" if tag in ("fa", "ar") else "ltr"
    assert html.startswith("<!DOCTYPE html>\n")
    assert f'<html lang="{tag}" dir="{direction}">' in html
    page = parse(html)
    assert len(page.find("article")) == 1
    assert page.find("meta", charset="utf-8")
    assert page.find("time", datetime="2023-09-19T18:00:00+05:30")
    assert page.find("time", datetime="2023-09-19")
    (table,) = page.find("table")
    rows = page.find("tr")
    assert len(rows) == 1 + 8  # header row and the eight figures
    assert [d.attrs["value"] for d in page.find("data")] == ["2", "11", "2", "23", "120000", "30000", "4", "2"]
    number = get_locale(tag).format_number(120000)
    assert number in table.text
    # sources: a list, linked where the brief gives a URL
    links = {a.attrs["href"] for a in page.find("a") if a.attrs.get("href", "").startswith("http")}
    assert links == SOURCE_URLS
    last_section = html[html.rindex("<section>"):]
    last_section = last_section[:last_section.index("</section>")]  # the sources (corrections follow them)
    items = re.findall(r"<li>(.*?)</li>", last_section)
    assert len(items) == 6  # every source, linked or not
    assert re.findall(r'<li><a href="(https://[^"]+)"', last_section) == [
        "https://www.afp.com/", "https://mod.gov.az/", "https://www.mfa.am/", "https://theins.ru/"]
    assert "AFP</a>" in items[0] and "<a " not in items[2]  # the Ombudsman has no URL


@pytest.mark.parametrize("tag", ALL_LOCALES)
def test_html_has_no_external_assets(rendered, tag):
    html = rendered[tag, "html"]
    # the only script is the page's JSON-LD data block, which browsers never execute or fetch
    assert re.findall(r"<script\b[^>]*>", html.lower()) == ['<script type="application/ld+json">']
    assert "src=" not in html
    assert "@import" not in html and "url(" not in html
    assert 'rel="stylesheet"' not in html
    for href in re.findall(r'href="([^"]*)"', html):
        if re.match(r"(?i)^[a-z][a-z0-9+.-]*:", href) or href.startswith("//"):
            assert href in SOURCE_URLS, href


@pytest.mark.parametrize("tag", ["ru", "hy", "az", "en", "ka"])
def test_ui_labels_translated_or_english(rendered, tag):
    for label in LABELS[tag]:
        assert label in rendered[tag, "html"], label
        assert label in rendered[tag, "text"], label
    if tag not in ("en", "ka"):
        assert "Key figures" not in rendered[tag, "html"]


@pytest.mark.parametrize("tag", ["hy", "az", "ru"])
def test_reviewed_pages_are_fully_translated(rendered, source, tag):
    page = parse(rendered[tag, "html"])
    provenances = [e.attrs["data-provenance"] for e in page.elements if "data-provenance" in e.attrs]
    assert provenances and set(provenances) <= {"reviewed", "source"}
    # the only "source" segments are proper names (AFP, The Insider), marked as the brief's language
    for element in page.elements:
        if element.attrs.get("data-provenance") == "source":
            assert element.text in ("AFP", "The Insider"), element.text
            assert element.attrs["lang"] == "en" and "dir" not in element.attrs
    assert not page.find("aside")
    assert source.brief.headline not in rendered[tag, "html"]


@pytest.mark.parametrize("tag", ["fa", "ar"])
def test_rtl_page_marks_untranslated_segments(rendered, source, tag):
    page = parse(rendered[tag, "html"])
    (h1,) = page.find("h1")
    assert h1.text == source.brief.headline
    assert (h1.attrs["lang"], h1.attrs["dir"], h1.attrs["data-provenance"]) == ("en", "ltr", "source")
    english = [e for e in page.elements if e.attrs.get("lang") == "en" and "data-provenance" in e.attrs]
    assert len(english) >= 50
    for element in page.elements:
        if element.attrs.get("data-provenance") == "source" and "lang" in element.attrs:
            assert (element.attrs["lang"], element.attrs.get("dir")) == ("en", "ltr"), element.text
    notice = page.find("aside", class_="notice")
    # the count in the page's digits (Persian digits on the fa page), inside the English fallback notice
    assert notice and f"{get_locale(tag).format_number(52)} passages" in notice[0].text


def test_ltr_page_marks_language_without_direction(rendered):
    (h1,) = parse(rendered["ka", "html"]).find("h1")
    assert h1.attrs["lang"] == "en" and "dir" not in h1.attrs


def test_english_page_is_the_original(rendered):
    page = parse(rendered["en", "html"])
    assert not page.find("aside")
    assert all("lang" not in e.attrs for e in page.elements if "data-provenance" in e.attrs)
    assert _figure_cells(rendered["en", "html"])[0] == "at least 2 civilians"


@pytest.mark.parametrize("tag", ["hy", "ru", "az"])
def test_quote_uses_locale_marks(rendered, tag):
    quotes = get_locale(tag).quotes
    (blockquote,) = parse(rendered[tag, "html"]).find("blockquote")
    text = blockquote.text.strip()
    assert text.startswith(quotes.start) and text.endswith(quotes.end)


# -- plural forms ---------------------------------------------------------------------


def _figure_cells(html: str) -> list[str]:
    return [" ".join(td.text.split()) for td in parse(html).find("td", class_="amount")]


def test_russian_plural_forms_from_catalog(tmp_path, make_brief, po_io):
    brief = make_brief(figures=[
        {"label": f"Residents {n}", "value": n, "unit": {"one": "resident", "other": "residents"}}
        for n in (1, 2, 5, 21)
    ])
    ru = get_locale("ru")
    path = update_catalog(brief, ru, tmp_path)
    catalog = po_io.read(path)
    plural_entries = [m for m in catalog if m.id and isinstance(m.id, tuple)]
    assert len(plural_entries) == 4 and catalog.num_plurals == 3
    for message in plural_entries:
        assert message.id == ("resident", "residents")
        message.string = ("житель", "жителя", "жителей")
    po_io.write(path, catalog)

    loaded = polybrief.load_brief_catalog(brief, ru, tmp_path)
    html = Renderer().render(localise(brief, ru, catalog=loaded), format="html")
    assert _figure_cells(html) == ["1 житель", "2 жителя", "5 жителей", "21 житель"]
    text = Renderer().render(localise(brief, ru, catalog=loaded), format="text")
    for cell in ("1 житель", "2 жителя", "5 жителей", "21 житель"):
        assert f": {cell}" in text


def test_english_source_plural_forms(rendered, make_brief):
    assert _figure_cells(rendered["en", "html"])[:3] == ["at least 2 civilians", "11 civilians", "2 civilians"]
    brief = make_brief(figures=[{"label": "One", "value": 1, "unit": {"one": "civilian", "other": "civilians"}},
                                {"label": "Many", "value": 3, "unit": {"one": "civilian", "other": "civilians"}}])
    assert _figure_cells(Renderer().render(localise(brief, "en"))) == ["1 civilian", "3 civilians"]
    # untranslated on a Russian page: the source forms, chosen by the source language's rules
    assert _figure_cells(Renderer().render(localise(brief, "ru"))) == ["1 civilian", "3 civilians"]


# -- text -----------------------------------------------------------------------------


def _assert_fits(text: str, width: int = 72) -> None:
    assert text.strip()
    for line in text.splitlines():
        cells = wcwidth.wcswidth(line)
        assert 0 <= cells <= width, (cells, line)


@pytest.mark.parametrize("tag", ALL_LOCALES)
def test_text_lines_fit_72_cells(rendered, tag):
    _assert_fits(rendered[tag, "text"])


def test_text_wraps_between_words(rendered, source):
    hy_catalog = Session().catalog(source, get_locale("hy"))
    for tag, paragraphs in (("en", source.brief.lead),
                            ("hy", [hy_catalog.lookup(u).text for u in polybrief.translation_units(source.brief)
                                    if u.path.startswith("lead[")])):
        blocks = [" ".join(block.split()) for block in rendered[tag, "text"].split("\n\n")]
        for paragraph in paragraphs:
            assert " ".join(paragraph.split()) in blocks, paragraph[:40]


@pytest.fixture(scope="module")
def cjk_brief():
    long_cjk = "地震で被害を受けた地域の住民は避難所に移動し、政府は救援物資を送ると発表した。" * 3
    return polybrief.Brief.model_validate({
        "id": "cjk",
        "headline": "東日本の沿岸部で大規模な地震が発生、政府が緊急対策本部を設置して対応を協議",
        "dateline": {"place": "東京都千代田区霞が関一丁目の内閣府庁舎前の記者会見場", "date": "2024-01-02"},
        "published": "2024-01-02T10:00:00+09:00",
        "lead": [long_cjk, "Mixed 中文 text with English words and 한국어 문장도 함께 들어 있는 긴 문단입니다. " * 3],
        "sections": [{"heading": "最新情報" * 12, "items": [
            {"label": "被害状況", "text": long_cjk, "source": "内閣府防災担当政策統括官付参事官室報道発表資料第一号"},
        ]}],
        "figures": [{"label": "避難者数" * 10, "value": 120000, "source": "内閣府防災担当政策統括官付参事官室報道発表資料第一号"}],
        "quotes": [{"text": long_cjk, "speaker": "内閣総理大臣兼内閣府特命担当大臣（防災担当）代理",
                    "source": "内閣府防災担当政策統括官付参事官室報道発表資料第一号"}],
        "sources": [{"name": "内閣府防災担当政策統括官付参事官室報道発表資料第一号", "url": "https://example.org/"}],
        "closing": [long_cjk],
    })


@pytest.mark.parametrize("tag", ["en", "ja", "hy"])
def test_text_with_cjk_fits_72_cells(cjk_brief, tag):
    text = Renderer().render(localise(cjk_brief, tag), format="text")
    _assert_fits(text)
    flat = "".join(text.split())
    assert "".join(cjk_brief.lead[0].split()) in flat  # nothing lost by wrapping
    assert "".join(cjk_brief.quotes[0].speaker.split()) in flat


def test_wrap_text_counts_cells_not_characters():
    from polybrief.rendering import wrap_text

    wide = "漢字" * 40  # 80 characters... of 2 cells each
    lines = wrap_text(wide).splitlines()
    assert [wcwidth.wcswidth(line) for line in lines] == [72, 72, 16]
    armenian = "Ադրբեջանի պաշտպանության նախարարությունը " * 6
    for line in wrap_text(armenian, 40, "  ", "* ").splitlines():
        assert wcwidth.wcswidth(line) <= 40
    assert wrap_text("a-b " * 30, 20).splitlines()[0] == "a-b a-b a-b a-b a-b"  # no breaks on hyphens


def test_wrapped_text_is_neutralised_indents_included(tmp_path, source):
    """``wrap`` output skips ``finalize`` (it is neutralised once, inside ``wrap_text``), so an indent a
    user's template takes from data must be neutralised there too."""
    from polybrief.rendering import wrap_text

    wrapped = wrap_text("a\u202eb " * 30, 30, "\u202e ", "\u2066* ")
    assert "\u202e" not in wrapped and "\u2066" not in wrapped
    assert wrapped.startswith("<U+2066>* a<U+202E>b")
    assert "\n<U+202E> a<U+202E>b" in wrapped
    (tmp_path / "brief.txt.j2").write_text(
        '{{ brief.headline|wrap(72, brief.tags[0], brief.tags[0]) }}\n{{ _("Sources")|wrap(72, "", brief.tags[0]) }}\n',
        encoding="utf-8")
    hostile = source.brief.model_copy(update={"tags": ["\u202e\x1b[31m "]})
    text = Renderer(Project(template_dirs=[tmp_path])).render(localise(hostile, "en"), format="text")
    assert "\u202e" not in text and "\x1b" not in text
    assert text.startswith("<U+202E><U+001B>[31m ")
    assert "\n<U+202E><U+001B>[31m Sources" in text


# -- template overrides ---------------------------------------------------------------


def test_override_folder_wins_for_its_own_files_only(tmp_path, source):
    (tmp_path / "brief.html.j2").write_text(
        '<!DOCTYPE html><html lang="{{ locale.tag }}"><body><h1 class="custom">{{ brief.headline }}</h1>'
        '<p>{{ _("Key figures") }}</p></body></html>\n', encoding="utf-8")
    renderer = Renderer(Project(template_dirs=[tmp_path]))
    ru = get_locale("ru")
    localised = localise(source.brief, ru, catalog=Session().catalog(source, ru))
    html = renderer.render(localised, format="html")
    assert '<h1 class="custom">Азербайджан начал' in html
    assert "<p>Ключевые цифры</p>" in html  # UI translations still installed
    text = renderer.render(localised, format="text")
    assert text == Renderer().render(localised, format="text")  # built-in brief.txt.j2


def test_override_folder_missing(tmp_path):
    missing = tmp_path / "no-such-folder"
    with pytest.raises(TemplateError) as info:
        Renderer(Project(template_dirs=[missing]))
    assert info.value.file == str(missing)
    assert "does not exist" in info.value.message


def test_override_template_with_syntax_error(tmp_path, source):
    (tmp_path / "brief.html.j2").write_text("<html>\n{% if brief %}\n{{ brief.headline }\n", encoding="utf-8")
    renderer = Renderer(Project(template_dirs=[tmp_path]))
    with pytest.raises(TemplateError) as info:
        renderer.check_templates(["html"])
    error = info.value
    assert error.file == str(tmp_path / "brief.html.j2")
    assert error.line == 3
    assert "does not compile" in error.message
    with pytest.raises(TemplateError):
        renderer.render(localise(source.brief, "en"), format="html")
    renderer.check_templates(["text"])  # the built-in text template is fine


def test_override_template_failing_at_render_time(tmp_path, source):
    (tmp_path / "brief.txt.j2").write_text("line one\n{{ brief.no_such_field }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        Renderer(Project(template_dirs=[tmp_path])).render(localise(source.brief, "en"), format="text")
    assert info.value.file == str(tmp_path / "brief.txt.j2")
    assert info.value.line == 2
    assert "no_such_field" in info.value.message


def test_a_failing_include_is_reported_at_its_own_file_and_line(tmp_path, source):
    (tmp_path / "brief.txt.j2").write_text("top\n{% include 'part.j2' %}\n", encoding="utf-8")
    (tmp_path / "part.j2").write_text("a\nb\n{{ 1 // 0 }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        Renderer(Project(template_dirs=[tmp_path])).render(localise(source.brief, "en"), format="text")
    assert (info.value.file, info.value.line) == (str(tmp_path / "part.j2"), 3)
    assert "ZeroDivisionError" in info.value.message


def test_unknown_format(source):
    with pytest.raises(TemplateError, match="unknown output format"):
        Renderer().render(localise(source.brief, "en"), format="pdf")  # type: ignore[arg-type]


# -- hostile content ------------------------------------------------------------------

HOSTILE = '<script>alert(1)</script> <b>bold</b> & {{ 7*7 }} {% include "x" %}'
HOSTILE_ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt; &amp; {{ 7*7 }} "
                   "{% include &#34;x&#34; %}")


@pytest.fixture(scope="module")
def hostile_brief():
    return polybrief.Brief.model_validate({
        "id": "hostile", "headline": HOSTILE, "standfirst": HOSTILE,
        "dateline": {"place": HOSTILE, "date": "2024-01-01"}, "published": "2024-01-01T00:00:00Z",
        "lead": [HOSTILE], "sections": [{"heading": HOSTILE, "items": [{"label": HOSTILE, "text": HOSTILE}]}],
        "quotes": [{"text": HOSTILE, "speaker": HOSTILE}], "tags": [HOSTILE],
        "figures": [{"label": HOSTILE, "value": 3, "unit": {"one": HOSTILE, "other": HOSTILE}}],
        "sources": [{"name": HOSTILE, "url": "https://example.org/?a=1&b=<2>"}], "closing": [HOSTILE],
    })


@pytest.mark.parametrize("tag", ["en", "ru", "fa"])
def test_hostile_content_is_escaped_in_html(hostile_brief, tag):
    page_html = Renderer().render(localise(hostile_brief, tag), format="html")
    # The JSON-LD block holds no "<" at all (tojson escapes it), so no content can close it early.
    (data,) = re.findall(r'<script type="application/ld\+json">([^<]*)</script>', page_html)
    assert json.loads(data)["headline"] == neutralise_controls(HOSTILE)
    html = page_html.replace(f'<script type="application/ld+json">{data}</script>', "")
    assert "<script" not in html and "alert(1)</script>" not in html
    assert "<b>" not in html
    assert "49" not in html
    assert html.count(HOSTILE_ESCAPED) >= 10
    assert "b=<2>" not in html  # the URL cannot break out of its attribute
    page = parse(html)
    (link,) = [a for a in page.find("a") if a.attrs.get("href", "").startswith("https://example.org/")]
    assert link.attrs["href"].startswith("https://example.org/?a=1&b=")
    (h1,) = page.find("h1")
    assert h1.text == HOSTILE  # the reader sees exactly what the editor typed
    assert not page.find("b") and not page.find("script")


def test_hostile_content_is_literal_in_text(hostile_brief):
    text = Renderer().render(localise(hostile_brief, "en"), format="text")
    assert text.splitlines()[0] == HOSTILE
    assert "49" not in text
    assert "&lt;" not in text and "&amp;" not in text
    assert '{% include "x" %}' in text


# -- UI catalogs ------------------------------------------------------------------------


@pytest.fixture
def ui_dir(tmp_path, repo_root, po_io):
    """A user locale folder holding a copy of the Russian UI catalog; returns (folder, catalog, path)."""
    folder = tmp_path / "ui"
    path = folder / "ru" / "LC_MESSAGES" / "polybrief.po"
    path.parent.mkdir(parents=True)
    shutil.copy(repo_root / "locales" / "ru" / "LC_MESSAGES" / "polybrief.po", path)
    return folder, po_io.read(path), path


def test_missing_ui_string_falls_back_to_english(ui_dir, po_io, source):
    folder, catalog, path = ui_dir
    catalog["Key figures"].string = ""
    po_io.write(path, catalog)
    ru = get_locale("ru")
    html = Renderer(Project(locale_dirs=[folder])).render(localise(source.brief, ru, catalog=Session().catalog(source, ru)))
    assert '<h2><span lang="en">Key figures</span></h2>' in html  # English, and marked as English
    assert "Ключевые цифры" not in html
    assert "<h2>Источники</h2>" in html  # the rest of the user catalog is used


def test_user_ui_catalog_overrides_builtin(ui_dir, po_io, source):
    folder, catalog, path = ui_dir
    catalog["Sources"].string = "Список источников"
    po_io.write(path, catalog)
    html = Renderer(Project(locale_dirs=[folder])).render(localise(source.brief, "ru"))
    assert "<h2>Список источников</h2>" in html
    assert "<h2>Источники</h2>" in Renderer().render(localise(source.brief, "ru"))  # nothing cached globally


@pytest.mark.parametrize(("msgid", "bad"), [
    ("at least {amount}", "не менее"),  # drops the variable
    ("at least {amount}", "не менее {amount} {extra}"),  # adds one
    ("about {amount}", "около {amout}"),  # misspells it
    ("{label}: {text}", "{label}: {text.__class__}"),  # reaches into a value
    ("Published: {datetime}", "Опубликовано: {datetime"),  # unbalanced brace
])
def test_ui_translation_changing_variables_is_refused(ui_dir, po_io, source, msgid, bad):
    folder, catalog, path = ui_dir
    catalog[msgid].string = bad
    po_io.write(path, catalog)
    with pytest.raises(CatalogError) as info:
        Renderer(Project(locale_dirs=[folder])).render(localise(source.brief, "ru"))
    assert info.value.file == str(path)
    assert info.value.field == f"msgid {msgid!r}"
    assert isinstance(info.value.line, int) and info.value.line > 1
    assert "template variables" in info.value.message or "not a valid message template" in info.value.message


def test_ui_catalog_in_wrong_language_is_refused(ui_dir, source, po_io):
    folder, catalog, path = ui_dir
    target = folder / "hy" / "LC_MESSAGES" / "polybrief.po"
    target.parent.mkdir(parents=True)
    shutil.copy(path, target)  # a Russian catalog filed under hy
    with pytest.raises(CatalogError) as info:
        Renderer(Project(locale_dirs=[folder])).render(localise(source.brief, "hy"))
    assert info.value.file == str(target) and info.value.field == "Language"


def test_environments_do_not_leak_between_locales(source, renderer):
    """One environment per locale: rendering hy after ru must not turn ru Armenian (Jinja overlay trap)."""
    pages = {}
    for tag in ("ru", "hy", "ru", "az", "hy"):
        info = get_locale(tag)
        pages.setdefault(tag, []).append(renderer.render(localise(source.brief, info), format="text"))
    assert all(page == pages[tag][0] for tag, rendered in pages.items() for page in rendered)
    assert LABELS["ru"][0] in pages["ru"][0] and LABELS["hy"][0] in pages["hy"][0]


def test_a_localised_brief_survives_pickle_and_deepcopy(example_path):
    """Worker processes and caches copy localised briefs: a copy renders the same pages (its nodes'
    ``__getattr__`` used to recurse without end while ``pickle`` rebuilt them)."""
    import copy
    import pickle

    brief = polybrief.load(example_path)
    catalog = polybrief.load_brief_catalog(brief, polybrief.get_locale("ru"), example_path.parent / "locales")
    localised = polybrief.localise(brief, "ru", catalog=catalog)
    renderer = Renderer()
    for copied in (pickle.loads(pickle.dumps(localised)), copy.deepcopy(localised)):
        assert copied.sections[0].items[0].text == localised.sections[0].items[0].text
        assert renderer.render(copied) == renderer.render(localised)
        assert renderer.render(copied, format="text") == renderer.render(localised, format="text")
