"""Counting what a person does in the browser: screens, clicks and fields (test support).

The measure of the issue ("a one-person IT department finishes in ten minutes"):

* a **screen** is a page the browser loads (a navigation; an htmx swap inside a page is
  not a new screen);
* a **click** is every pointer action: a link, a button, a tick, a radio choice, a choice
  in a list, and the click into a text box before typing in it;
* a **field** is a form control whose value the person sets (typed, ticked, chosen);
* **controls seen** adds up the form controls visible on each screen the person reaches
  (what they must read past to find their question), and **tallest** is the height in
  CSS pixels of the longest of those screens (how far they scroll).

A ``Person`` wraps a Playwright page and does those actions through its methods only, so
the counts are exactly the steps the test plays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page


@dataclass
class Counts:
    screens: int = 0
    clicks: int = 0
    fields: int = 0
    controls_seen: int = 0
    tallest: int = 0
    pages: list[str] = field(default_factory=list)
    screens_seen: list[tuple[str, int, int]] = field(default_factory=list)  # path, controls, px

    def line(self) -> str:
        return (
            f"screens={self.screens} clicks={self.clicks} fields={self.fields} "
            f"controls_seen={self.controls_seen} tallest={self.tallest}px"
        )


# Visible, usable form controls of the page: hidden inputs, CSRF tokens and what a closed
# <details> holds are not seen (checkVisibility knows the latter; offsetParent does not).
_CONTROLS = """() => Array.from(document.querySelectorAll(
  'main input:not([type=hidden]), main select, main textarea, main button'
)).filter(e => e.checkVisibility()).length"""


class Person:
    """A person using ``page``; every action they take is counted in ``counts``."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.counts = Counts()
        page.on("load", self._loaded)

    def _loaded(self, loaded: Any) -> None:
        self.counts.screens += 1
        self.counts.pages.append(loaded.url)

    def _survey(self, screens_before: int) -> None:
        if self.counts.screens == screens_before:
            return
        controls = int(self.page.evaluate(_CONTROLS))
        height = int(self.page.evaluate("document.documentElement.scrollHeight"))
        self.counts.controls_seen += controls
        self.counts.tallest = max(self.counts.tallest, height)
        path = self.page.url.removeprefix(self.base_url)
        self.counts.screens_seen.append((path, controls, height))

    def open(self, url: str) -> None:
        """Type an address (or follow a bookmark): one screen, no click."""
        before = self.counts.screens
        self.page.goto(self.base_url + url, wait_until="load")
        self._survey(before)

    def click(self, selector: str) -> None:
        """A link or a button (a new screen, if it leads to one, counts itself)."""
        before = self.counts.screens
        self.page.click(selector)
        self.page.wait_for_load_state("load")
        self.counts.clicks += 1
        self._survey(before)

    def tick(self, selector: str) -> None:
        """A checkbox or a radio choice: one click, one field."""
        self.page.check(selector)
        self.counts.clicks += 1
        self.counts.fields += 1

    def type(self, selector: str, text: str) -> None:
        """Click into a box and type: one click, one field."""
        self.page.fill(selector, text)
        self.counts.clicks += 1
        self.counts.fields += 1

    def press(self, selector: str) -> None:
        """A button that fills in a field for the person (the "now" button): one click, one
        field, no new screen."""
        self.page.click(selector)
        self.counts.clicks += 1
        self.counts.fields += 1

    def choose(self, selector: str, value: str) -> None:
        """Open a list and pick a value: two clicks, one field."""
        self.page.select_option(selector, value)
        self.counts.clicks += 2
        self.counts.fields += 1
