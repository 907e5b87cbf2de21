"""A real browser for the page tests: Playwright for Python driving the system Chromium, axe-core injected.

Playwright cannot download its own browser here, so it drives Debian's
``chromium`` through ``executable_path`` (``POLYBRIEF_CHROMIUM`` overrides the
search).  axe-core is the npm package, installed like vnu.jar by ``make``
into ``.cache/axe`` (``AXE_CORE_JS`` overrides), and injected into each page
as a script tag built from the file's contents — so no request is made for
it.  Without any of the three, :func:`require_browser` skips the calling
module with one line saying how to get what is missing; it never passes
silently.

Each page is opened from ``file://`` in a fresh browser context whose every
request is recorded, and any request for another scheme is aborted and
reported.  Screenshots go to ``.cache/screenshots/`` for people to look at; no
test compares pixels.  Measurements (axe results, page widths) are collected
in ``.cache/screenshots/report.json``.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

REPO = Path(__file__).resolve().parent.parent
AXE_DEFAULT = REPO / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / ".cache" / "screenshots"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: Schemes a page may load from: its own files, inline data, and the blank page.
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


@dataclass(frozen=True)
class BrowserTools:
    chromium: str
    axe: Path


def find_browser_tools() -> BrowserTools | str:
    """The tools, or one line saying what is missing and how to get it."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests need Playwright for Python: pip install -e '.[test]' (make test does it)"
    chromium = os.environ.get("POLYBRIEF_CHROMIUM") or next(
        (found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)
    if not chromium or not Path(chromium).exists():
        return ("browser tests need Chromium: `make test` installs it as root (apt-get install chromium), "
                "or set POLYBRIEF_CHROMIUM=/path/to/chromium")
    axe = Path(os.environ.get("AXE_CORE_JS") or AXE_DEFAULT)
    if not axe.is_file():
        return f"browser tests need axe-core at {axe}: run `make axe` (npm), or set AXE_CORE_JS"
    return BrowserTools(chromium=chromium, axe=axe)


def require_browser() -> BrowserTools:
    """The tools, or skip the calling test module with one line saying how to get them."""
    tools = find_browser_tools()
    if isinstance(tools, str):
        pytest.skip(tools, allow_module_level=True)
    return tools


@dataclass
class Visit:
    """One page opened in the browser, with every request it made."""

    page: Any
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def axe(self, script: str) -> dict[str, Any]:
        """Run axe-core (WCAG 2.x A/AA rules and best practices) on the page; returns its results."""
        self.page.add_script_tag(content=script)
        result: dict[str, Any] = self.page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ['violations', 'incomplete']});
                const brief = (items) => items.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
                return {violations: brief(r.violations), incomplete: brief(r.incomplete),
                        passes: r.passes.length};
            }"""
        )
        return result

    def width(self) -> dict[str, int]:
        """The page's widths in CSS pixels: the viewport, the document's scroll width, the widest element."""
        return dict(self.page.evaluate(
            """() => {
                let widest = 0, which = '';
                for (const el of document.body.querySelectorAll('*')) {
                    const right = el.getBoundingClientRect().right;
                    if (right > widest) { widest = right; which = el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''); }
                }
                return {viewport: window.innerWidth, scroll: document.documentElement.scrollWidth,
                        widest: Math.ceil(widest), widest_element: which};
            }"""
        ))


class Browser:
    """One Chromium for a test session (a fresh temporary profile), a new context per visit."""

    def __init__(self, tools: BrowserTools) -> None:
        from playwright.sync_api import sync_playwright

        self.tools = tools
        self.axe_script = tools.axe.read_text(encoding="utf-8")
        self._playwright = sync_playwright().start()
        # launch() (not launch_persistent_context) gives Chromium a fresh temporary profile every time.
        self._browser = self._playwright.chromium.launch(executable_path=tools.chromium, headless=True,
                                                         args=LAUNCH_ARGS)
        self.version = self._browser.version

    @contextmanager
    def visit(self, url: str, *, width: int = 1024, height: int = 800, color_scheme: str = "light",
              media: str = "screen") -> Iterator[Visit]:
        context = self._browser.new_context(viewport={"width": width, "height": height},
                                            color_scheme=color_scheme,  # type: ignore[arg-type]
                                            java_script_enabled=True, service_workers="block")
        try:
            page = context.new_page()
            visit = Visit(page)
            page.on("request", lambda request: visit.requests.append(request.url))

            def guard(route: Any) -> None:
                if route.request.url.startswith(LOCAL_SCHEMES):
                    route.continue_()
                else:
                    visit.blocked.append(route.request.url)
                    route.abort()

            if not url.startswith("http://127.0.0.1"):
                context.route("**/*", guard)
            page.emulate_media(media=media, color_scheme=color_scheme)  # type: ignore[arg-type]
            page.goto(url, wait_until="load")
            yield visit
        finally:
            context.close()

    def close(self) -> None:
        try:
            self._browser.close()
        finally:
            self._playwright.stop()


class Report:
    """Measurements for the closing note and for people: ``.cache/screenshots/report.json``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data: dict[str, Any] = {"axe": {}, "widths": {}}

    def add(self, section: str, key: str, value: Any) -> None:
        self.data.setdefault(section, {})[key] = value

    def save(self) -> None:
        """Merge into the file: under pytest-xdist each worker saves what its share of the tests measured,
        one at a time (a file lock), each replacing the file whole."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / "report.json"
        with FileLock(str(path) + ".lock"):
            merged: dict[str, Any] = {}
            if path.is_file():
                try:
                    merged = json.loads(path.read_text(encoding="utf-8"))
                except ValueError:
                    merged = {}
            for section, values in self.data.items():
                if isinstance(values, dict):
                    merged.setdefault(section, {}).update(values)
                else:
                    merged[section] = values
            partial = path.with_name(f".report.json.{os.getpid()}.tmp")
            partial.write_text(json.dumps(merged, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                               encoding="utf-8")
            os.replace(partial, path)
