"""Published pages in a real browser: accessibility (axe-core, light and dark), narrow screens,
no network, structured data, print styles, and plain text served by a plain static server.

Headless Chromium (Debian's, driven by Playwright for Python) opens every page of a site that has
each kind of segment — reviewed, human drafts, machine drafts, live machine translation, source
text — in en, hy, az, ru and fa (right to left), and the index.  See :mod:`browser` for the set-up;
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

import pytest

from browser import SCREENSHOTS, Browser, Report, require_browser
from disclosure_site import BASE_URL, DisclosureSite

TOOLS = require_browser()

PAGES = ["index", "en", "hy", "az", "ru", "fa"]
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


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations(browser, site, report, name, mode):
    with browser.visit(site.pages()[name].as_uri(), color_scheme=mode) as visit:
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
def test_no_horizontal_overflow_on_narrow_screens(browser, site, report, name, width):
    for mode in MODES:
        with browser.visit(site.pages()[name].as_uri(), width=width, height=700, color_scheme=mode) as visit:
            measured = visit.width()
            visit.page.screenshot(path=str(SCREENSHOTS / f"{name}-{mode}-{width}.png"), full_page=True)
        report.add("widths", f"{name}/{width}/{mode}", measured)
        assert measured["scroll"] <= width, f"{name} at {width}px ({mode}) is {measured}"


@pytest.mark.parametrize("name", PAGES)
def test_no_request_leaves_the_file_system(browser, site, name):
    with browser.visit(site.pages()[name].as_uri()) as visit:
        visit.page.wait_for_load_state("networkidle")
        requests = list(visit.requests)
    assert visit.blocked == []
    assert requests and all(url.startswith(("file:", "data:", "about:")) for url in requests), requests


def _json_ld(visit) -> dict:  # noqa: ANN001
    scripts = visit.page.eval_on_selector_all('script[type="application/ld+json"]', "els => els.map(e => e.textContent)")
    assert len(scripts) == 1, scripts
    return json.loads(scripts[0])


@pytest.mark.parametrize("tag", ["en", "hy", "az", "ru", "fa"])
def test_structured_data_matches_the_brief(browser, site, tag):
    item = next(x for x in site.report.localised if x.locale.tag == tag)
    with browser.visit(site.page(tag).as_uri()) as visit:
        data = _json_ld(visit)
        h1 = visit.page.inner_text("h1")
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
