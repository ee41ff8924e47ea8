"""A browser context signed in as one person (or anonymous), checking pages with axe-core.

Debian's Chromium driven by Playwright, never a downloaded browser: the platform runs
inside closed networks and its tests use the distribution's browser
(scripts/install-system-packages.sh installs it).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parents[1] / "web" / "static" / "vendor" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


class Visitor:
    """A browser context signed in as one person (or anonymous), checking pages.

    Set ``MAMORU_SCREENSHOT_DIR`` to keep a full-page screenshot of every page checked.
    """

    def __init__(self, context: BrowserContext, base_url: str, axe_source: str) -> None:
        self.context = context
        self.base_url = base_url
        self.axe_source = axe_source
        self.page: Page = context.new_page()
        self.csp_errors: list[str] = []
        self.page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.csp_errors.append(message.text)

    def open(self, path: str) -> Page:
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None
        return self.page

    def violations(self) -> list[str]:
        """axe-core's serious and critical WCAG 2.1 AA violations on the current page."""
        self.page.evaluate(self.axe_source)
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:5])
            for v in result["violations"]
            if v["impact"] in BLOCKING
        ]

    def assert_accessible(self, name: str) -> Page:
        """The current page passes axe and the CSP refused nothing; screenshot it if asked."""
        found = self.violations()
        directory = os.environ.get("MAMORU_SCREENSHOT_DIR")
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)
        assert found == [], f"axe on {self.page.url}: " + "\n".join(found)
        assert self.csp_errors == [], f"CSP refused something on {self.page.url}: {self.csp_errors}"
        return self.page

    def check(self, path: str, name: str) -> Page:
        """Open ``path`` and assert it is accessible."""
        self.open(path)
        return self.assert_accessible(name)
