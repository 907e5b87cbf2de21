"""Published pages in a real browser: accessibility (axe-core, light and dark), narrow screens,
no network, structured data, print styles, and plain text served by a plain static server.

Headless Chromium (Debian's, driven by Playwright for Python) opens every page of a site that has
each kind of segment — reviewed, human drafts, machine drafts, live machine translation, source
text — in en, hy, az, ru, and partly translated fa and ar (right to left), and the index; the seed's
Ukrainian page (its reviewed catalog ships); the Georgian page ``polybrief render --locale ka`` writes
(no Georgian catalog of the brief exists, so ``publish`` withholds it: Georgian chrome around English
passages, each disclosed as untranslated); and the pages of the second example (every kind of key
figure) in en, ru and fa.  On narrow screens (320 and
390 px) no page scrolls sideways and no word or number of the figures table or the headline is split
across lines (measured from Range client rects: a word may break only at a soft hyphen); on the
right-to-left pages a translated item reads in order (measured from element boxes).  See :mod:`browser` for the set-up;
without Chromium, Playwright or axe-core this module is skipped with one line saying how to get them.
Screenshots land in ``.cache/screenshots/`` for people; nothing here compares pixels.

Under pytest-xdist the tests are spread over the workers: each worker that runs some starts its own
Chromium (about a second), the screenshots have one file per test, and each worker merges its
measurements into ``report.json`` under a file lock.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser import REPO, SCREENSHOTS, Browser, Report, require_browser
from disclosure_site import BASE_URL, DisclosureSite

TOOLS = require_browser()

PAGES = ["index", "en", "hy", "az", "ru", "fa", "ar", "uk", "ka"]
#: The second example's pages: every kind of key figure (counts, percentages, money, decimals).
FIGURE_PAGES = ["en", "ru", "fa"]
MODES = ["light", "dark"]
WIDTHS = [320, 390]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    session = Browser(TOOLS)
    yield session
    session.close()


@pytest.fixture(scope="module")
def report(browser: Browser) -> Iterator[Report]:
    collected = Report(SCREENSHOTS)
    collected.data["chromium"] = browser.version
    yield collected
    collected.save()


@pytest.fixture(scope="module")
def site(disclosure_site: DisclosureSite) -> DisclosureSite:
    return disclosure_site


@pytest.fixture(scope="module")
def pages(site: DisclosureSite, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """:data:`PAGES` by name: the disclosure site's, the seed published in uk with its shipped reviewed
    catalog, and the seed rendered in ka (the shipped Georgian UI catalog; no catalog of the brief)."""
    import polybrief

    seed = REPO / "examples" / "nagorno-karabakh.yaml"
    out = tmp_path_factory.mktemp("uk-ka")
    polybrief.publish([seed], locales=["uk"], out_dir=out, formats=["html"])
    georgian = out / "ka" / f"{site.brief.id}.html"
    georgian.parent.mkdir()
    georgian.write_text(polybrief.render(seed, "ka"), encoding="utf-8")
    return {**site.pages(), "uk": out / "uk" / f"{site.brief.id}.html", "ka": georgian}


@pytest.fixture(scope="module")
def figures_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/goris-refugees.yaml published in en, ru and fa (reviewed catalogs ship for both)."""
    import polybrief

    out = tmp_path_factory.mktemp("figures-site")
    polybrief.publish([REPO / "examples" / "goris-refugees.yaml"], locales=["ru", "fa"], out_dir=out,
                      formats=["html"])
    return out


#: Every word (between spaces, and between soft hyphens, where a break is allowed) and every number
#: (``<data>``) under ``selector`` that the browser laid out on more than one line.
_SPLIT_WORDS = r"""(selector) => {
  // A line broken at a soft hyphen shows a hyphen that Chromium reports as a narrow first rect of the
  // fragment after it: rects narrower than half an em are that glyph, not a piece of the word.
  const lines = (range, em) => new Set([...range.getClientRects()].filter(r => r.width > em / 2)
                                         .map(r => Math.round(r.top))).size;
  const split = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.visually-hidden')) continue;
      const em = parseFloat(getComputedStyle(node.parentElement).fontSize);
      // fragments: between spaces and soft hyphens, and after a hyphen ("Nagorno-", "Karabakh")
      const re = /[^\s\u00ad\-\u2010]+[\-\u2010]?|[\-\u2010]/g;
      for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
        const range = document.createRange();
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        if (lines(range, em) > 1) split.push(m[0]);
      }
    }
    for (const number of root.querySelectorAll('data')) {
      const range = document.createRange(); range.selectNodeContents(number);
      if (lines(range, 0) > 1) split.push(number.textContent);
    }
  }
  return split;
}"""


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations(browser, pages, report, name, mode):
    with browser.visit(pages[name].as_uri(), color_scheme=mode) as visit:
        result = visit.axe(browser.axe_script)
        visit.page.screenshot(path=str(SCREENSHOTS / f"{name}-{mode}-1024.png"), full_page=True)
    report.add("axe", f"{name}/{mode}", {"violations": [v["id"] for v in result["violations"]],
                                         "incomplete": [v["id"] for v in result["incomplete"]],
                                         "passes": result["passes"]})
    shown = "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n    " +
                      "\n    ".join(f"{n['target']}: {n['summary']}" for n in v["nodes"][:4])
                      for v in result["violations"])
    assert result["violations"] == [], f"axe-core on {name} ({mode}):\n{shown}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_no_horizontal_overflow_on_narrow_screens(browser, pages, report, name, width):
    for mode in MODES:
        with browser.visit(pages[name].as_uri(), width=width, height=700, color_scheme=mode) as visit:
            measured = visit.width()
            split = visit.page.evaluate(_SPLIT_WORDS, ".figures td, h1")
            visit.page.screenshot(path=str(SCREENSHOTS / f"{name}-{mode}-{width}.png"), full_page=True)
        report.add("widths", f"{name}/{width}/{mode}", {**measured, "split_words": split})
        assert measured["scroll"] <= width, f"{name} at {width}px ({mode}) is {measured}"
        assert split == [], f"{name} at {width}px ({mode}) splits {split} across lines"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("tag", FIGURE_PAGES)
def test_figures_of_every_kind_keep_words_and_numbers_whole_on_narrow_screens(browser, figures_site, report, tag,
                                                                              width):
    page = figures_site / tag / "goris-refugees.html"
    for mode in MODES:
        with browser.visit(page.as_uri(), width=width, height=700, color_scheme=mode) as visit:
            measured = visit.width()
            split = visit.page.evaluate(_SPLIT_WORDS, ".figures td, h1")
            stacked = visit.page.evaluate("() => getComputedStyle(document.querySelector('.figures tr')).display")
            visit.page.screenshot(path=str(SCREENSHOTS / f"goris-{tag}-{mode}-{width}.png"), full_page=True)
        report.add("widths", f"goris-{tag}/{width}/{mode}", {**measured, "split_words": split, "rows": stacked})
        assert measured["scroll"] <= width, f"goris {tag} at {width}px ({mode}) is {measured}"
        assert split == [], f"goris {tag} at {width}px ({mode}) splits {split} across lines"
        assert stacked == "block"  # below about 480px the table's rows are stacked


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("tag", FIGURE_PAGES)
def test_figures_pages_find_no_axe_violations(browser, figures_site, report, tag, mode):
    with browser.visit((figures_site / tag / "goris-refugees.html").as_uri(), color_scheme=mode) as visit:
        result = visit.axe(browser.axe_script)
    report.add("axe", f"goris-{tag}/{mode}", {"violations": [v["id"] for v in result["violations"]],
                                             "passes": result["passes"]})
    assert result["violations"] == [], [(v["id"], v["nodes"][:2]) for v in result["violations"]]


#: Boxes of a translated item's parts: the label, the text's first and last line, the cited source.
_ITEM_BOXES = """(label) => {
  const strong = [...document.querySelectorAll('.updates li > strong')].find(s => s.textContent.trim() === label);
  const li = strong.parentElement;
  const text = strong.nextElementSibling, cite = li.querySelector('.cite');
  const box = (r) => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  const rects = (el) => [...el.getClientRects()].filter(r => r.width > 0).map(box);
  return {li: box(li.getBoundingClientRect()), label: rects(strong), text: rects(text), cite: rects(cite),
          direction: getComputedStyle(li).direction};
}"""


@pytest.mark.parametrize("width", [390, 1024])
@pytest.mark.parametrize("tag", ["fa", "ar"])
def test_a_translated_rtl_item_reads_in_order_on_screen(browser, site, report, tag, width):
    """Label at the right end of the first line, its text to the left of it, the cited source after the
    text's last line (to its left, or below): what the English fallback frame used to reverse."""
    from disclosure_site import RTL_TRANSLATIONS

    label = RTL_TRANSLATIONS[tag]["sections[0].items[0].label"]
    with browser.visit(site.page(tag).as_uri(), width=width) as visit:
        boxes = visit.page.evaluate(_ITEM_BOXES, label)
    report.add("order", f"{tag}/{width}", boxes)
    assert boxes["direction"] == "rtl"
    (label_box,), first, last, cite = boxes["label"], boxes["text"][0], boxes["text"][-1], boxes["cite"][-1]
    assert label_box["right"] >= max(r["right"] for r in boxes["text"]) - 1  # the label is rightmost
    assert abs(first["top"] - label_box["top"]) < label_box["bottom"] - label_box["top"]  # same first line
    assert first["right"] <= label_box["left"] + 1  # the text starts left of the label
    assert cite["top"] > last["top"] + 1 or cite["right"] <= last["left"] + 1  # the source comes after the text


@pytest.mark.parametrize("name", PAGES)
def test_no_request_leaves_the_file_system(browser, pages, name):
    with browser.visit(pages[name].as_uri()) as visit:
        visit.page.wait_for_load_state("networkidle")
        requests = list(visit.requests)
    assert visit.blocked == []
    assert requests and all(url.startswith(("file:", "data:", "about:")) for url in requests), requests


def _json_ld(visit) -> dict:  # noqa: ANN001
    scripts = visit.page.eval_on_selector_all('script[type="application/ld+json"]', "els => els.map(e => e.textContent)")
    assert len(scripts) == 1, scripts
    return json.loads(scripts[0])


@pytest.mark.parametrize("tag", ["en", "hy", "az", "ru", "fa", "ar"])
def test_structured_data_matches_the_brief(browser, site, tag):
    item = next(x for x in site.report.localised if x.locale.tag == tag)
    with browser.visit(site.page(tag).as_uri()) as visit:
        data = _json_ld(visit)
        h1 = visit.page.inner_text("h1").replace("\u00ad", "")  # soft hyphens: invisible unless a line breaks
        canonical = visit.page.get_attribute('link[rel="canonical"]', "href")
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["inLanguage"] == tag
    assert data["headline"] == item.headline.text == h1.strip()
    assert data["datePublished"] == site.brief.published.isoformat()
    assert data["url"] == canonical == f"{BASE_URL}{tag}/{site.brief.id}.html"
    if tag == "en":
        assert "translationOfWork" not in data
    else:
        original = data["translationOfWork"]
        assert original["@type"] == "NewsArticle" and original["inLanguage"] == "en"
        assert original["url"] == f"{BASE_URL}en/{site.brief.id}.html"
        assert original["headline"] == site.brief.headline


def test_skip_link_leads_to_main(browser, site):
    for tag in ["en", "hy", "ru", "fa"]:
        with browser.visit(site.page(tag).as_uri()) as visit:
            page = visit.page
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "() => { const e = document.activeElement, r = e.getBoundingClientRect();"
                " return {tag: e.tagName, href: e.getAttribute('href'), text: e.textContent.trim(),"
                " visible: r.height > 0 && r.width > 0 && r.top >= 0 && r.left >= 0 && r.right <= innerWidth}; }")
            assert focused["tag"] == "A" and focused["href"].startswith("#") and focused["visible"], (tag, focused)
            target = page.evaluate(f"() => document.getElementById({json.dumps(focused['href'][1:])})?.tagName")
            assert target == "MAIN", (tag, target)
            if tag in ("hy", "ru"):  # a shipped UI catalog: the link is in the page's language
                assert focused["text"] and focused["text"] != "Skip to content", (tag, focused)


_CONTRAST = """(sel) => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const background = (el) => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) return c; } return null; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  return [...document.querySelectorAll(sel)].map((el) => {
    const cs = getComputedStyle(el); const bg = background(el);
    const line = parse(cs.textDecorationLine && cs.textDecorationLine.includes('underline') ? cs.textDecorationColor : cs.borderTopColor);
    return {sel, background: bg, line, ratio: bg && line ? ratio(line, bg) : null};
  });
}"""


@pytest.mark.parametrize("mode", MODES)
def test_disclosure_marks_and_notice_border_are_visible(browser, site, mode):
    """WCAG 1.4.11 (non-text contrast, 3:1): the draft underline and the notice border, in both modes."""
    checked = 0
    for tag in ["hy", "az", "ru"]:
        with browser.visit(site.page(tag).as_uri(), color_scheme=mode) as visit:
            marks = visit.page.evaluate(_CONTRAST, "[data-provenance]:not([data-provenance=reviewed]):not([data-provenance=source])")
            notice = visit.page.evaluate(_CONTRAST, ".notice")
        assert marks and notice, tag
        for found in [*marks, *notice]:
            assert found["ratio"] is not None and found["ratio"] >= 3, (tag, mode, found)
            checked += 1
    assert checked >= 6


def test_print_hides_navigation_and_shows_source_urls(browser, site):
    with browser.visit(site.page("hy").as_uri(), media="print") as visit:
        page = visit.page
        nav = page.evaluate("() => [...document.querySelectorAll('nav, .skip-link')].map(e => getComputedStyle(e).display)")
        shown = page.evaluate("() => document.body.innerText")
    assert nav and all(display == "none" for display in nav), nav
    for source in site.brief.sources:
        if source.url:
            assert source.url in shown, f"{source.url} is not printed"


@pytest.fixture
def static_server(site: DisclosureSite) -> Iterator[str]:
    """Python's own static file server on 127.0.0.1 (text/plain, no charset), as a newsroom might use."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
            pass

    handler = functools.partial(Quiet, directory=str(site.out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("tag", ["hy", "ru", "az", "fa"])
def test_text_pages_decode_as_utf8_from_a_plain_server(browser, site, static_server, tag):
    path = site.page(tag, "txt")
    with browser.visit(f"{static_server}/{tag}/{site.brief.id}.txt") as visit:
        charset = visit.page.evaluate("() => document.characterSet")
        shown = visit.page.evaluate("() => document.body.innerText")
    assert charset == "UTF-8"
    expected = path.read_bytes().decode("utf-8-sig")
    first_line = expected.splitlines()[0].strip()
    assert first_line and first_line in shown, (first_line, shown[:200])
