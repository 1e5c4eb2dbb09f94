"""Browser tests: Playwright driving Debian's Chromium against the live server,
with axe-core (from node_modules) checking every page visited."""

import json
import os
from pathlib import Path

import pytest

from fyren.demo.loader import load_demo_data

# Playwright's sync API runs an event loop in this thread; the test's own ORM
# calls are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


class Checked:
    """A page wrapper that runs axe-core and watches for CSP violations."""

    def __init__(self, page):
        self.page = page
        self.csp_errors = []
        self.visited = []
        page.on("console", self._console)
        page.add_init_script(path=str(AXE))

    def _console(self, message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.csp_errors.append(message.text)

    def check(self, label=""):
        """Zero axe violations and no CSP violation on the current page."""
        page = self.page
        page.wait_for_load_state("load")
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        violations = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]
        assert violations == [], f"axe violations on {label or page.url}: {json.dumps(violations, indent=1)}"
        assert self.csp_errors == [], f"CSP violations on {page.url}: {self.csp_errors}"
        self.reflows_at(320, label)
        self.visited.append(page.url)

    def reflows_at(self, width: int, label: str = ""):
        """WCAG 1.4.10: at ``width`` CSS pixels (a phone, or 1280 px at 400 %) the
        page does not scroll sideways; wide tables scroll inside their own region."""
        page = self.page
        size = page.viewport_size
        page.set_viewport_size({"width": width, "height": 700})
        try:
            self.fits_narrow_screen(label)
        finally:
            if size:
                page.set_viewport_size(size)

    def fits_narrow_screen(self, label: str = ""):
        """No sideways scrolling at the current width; names what sticks out if there is."""
        page = self.page
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 1:
            culprits = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.table-wrap'))
                    .slice(0, 5)
                    .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
            )
            raise AssertionError(f"{label or page.url} scrolls sideways by {overflow}px: {culprits}")


@pytest.fixture
def checked(page):
    page.set_default_timeout(15000)
    return Checked(page)


@pytest.fixture
def demo_live(transactional_db, live_server, settings):
    """The live server with the demo data exactly as `make run` loads it."""
    settings.DEMO = True
    load_demo_data()
    return live_server.url
