"""Every page of the shell passes axe-core (WCAG 2.1 AA) in a real browser.

Debian's Chromium loads each page from the live server as the cast member who uses it;
axe-core (served by the platform itself, ``/static/vendor/axe.min.js``) must find no
serious or critical violation. The same pass checks that the Content Security Policy
refused nothing: an inline style or script would show up there first.

Set ``MAMORU_SCREENSHOT_DIR`` to keep a full-page screenshot of every page checked.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from mamoru.core.testing import CHIYODA, Cast, login_verified, make_cast

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "static" / "vendor" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


@pytest.fixture
def people(organisations: None) -> Cast:
    return make_cast()


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/build-assets.sh")
    return AXE.read_text(encoding="utf-8")


class Visitor:
    """A browser context signed in as one person (or anonymous), checking pages."""

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

    def check(self, path: str, name: str) -> Page:
        page = self.open(path)
        found = self.violations()
        directory = os.environ.get("MAMORU_SCREENSHOT_DIR")
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)
        assert found == [], f"axe on {path}: " + "\n".join(found)
        assert self.csp_errors == [], f"CSP refused something on {path}: {self.csp_errors}"
        return page


@pytest.fixture
def visit(browser: Browser, live_server: Any, axe_source: str) -> Iterator[Any]:
    contexts: list[BrowserContext] = []

    def visitor(
        user: Any = None, *, mfa: bool = True, language: str = "ja", width: int = 1280
    ) -> Visitor:
        context = browser.new_context(locale=language, viewport={"width": width, "height": 900})
        contexts.append(context)
        if user is not None:
            client = Client()
            if mfa:
                login_verified(client, user)
            else:
                client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
        return Visitor(context, live_server.url, axe_source)

    yield visitor
    for context in contexts:
        context.close()


def test_the_home_page_of_every_role_passes_axe(people: Cast, visit: Any) -> None:
    municipality = visit(people.chiyoda).check("/", "home-municipality")
    assert municipality.locator("h1").inner_text() == "千代田区"
    prefecture = visit(people.tokyo).check("/", "home-prefecture")
    assert prefecture.locator("tbody tr").count() == 62
    nation = visit(people.nation).check("/", "home-nation")
    assert nation.locator("tbody tr").count() == 47
    recipient = visit(people.ppc).check("/", "home-recipient")
    assert recipient.locator("h1").inner_text() == "個人情報保護委員会"


def test_the_directory_and_an_organisation_page_pass_axe(people: Cast, visit: Any) -> None:
    tokyo = visit(people.tokyo)
    directory = tokyo.check(reverse("web:directory") + "?kind=city", "directory")
    assert "立川市" in directory.locator("#directory-results").inner_text()
    detail = tokyo.check(reverse("web:organisation", args=[CHIYODA]), "organisation")
    assert detail.locator("#members-heading").count() == 1


def test_the_page_for_a_person_without_organisation_passes_axe(people: Cast, visit: Any) -> None:
    page = visit(people.outsider).check("/", "no-organisation")
    assert page.locator("h1").inner_text() == "所属する団体がありません"


def test_the_english_home_page_passes_axe(people: Cast, visit: Any) -> None:
    page = visit(people.chiyoda, language="en").check("/", "home-municipality-en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#attention-heading").inner_text() == "What needs attention"


def test_the_home_pages_fit_a_phone_screen_and_print_without_controls(
    people: Cast, visit: Any
) -> None:
    for user, name in [(people.chiyoda, "phone-municipality"), (people.tokyo, "phone-prefecture")]:
        page = visit(user, width=390).check("/", name)
        # Wide tables scroll inside their own region; the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    assert page.locator(".filters").is_hidden()
    assert page.locator("h1").is_visible()


def test_the_account_pages_pass_axe(people: Cast, visit: Any) -> None:
    anonymous = visit()
    login = anonymous.check(reverse("accounts:login"), "login")
    assert login.locator("input[type=password]").count() == 1
    visit(people.chiyoda).check(reverse("accounts:settings"), "settings")
    # 東京都 staff must use MFA: without a factor they are sent to set one up.
    setup = visit(people.tokyo, mfa=False).check("/", "mfa-setup")
    assert reverse("accounts:mfa_setup") in setup.url
    # With a factor but not yet verified in this session, they are asked for a code.
    login_verified(Client(), people.osaka)
    verify = visit(people.osaka, mfa=False).check("/", "mfa-verify")
    assert reverse("accounts:mfa_verify") in verify.url


def test_the_directory_search_updates_the_results_in_place(people: Cast, visit: Any) -> None:
    tokyo = visit(people.tokyo)
    page = tokyo.open(reverse("web:directory"))
    page.evaluate("window.__same_document = true")
    page.fill("#id_q", "はちおうじ")
    expect(page.locator("#directory-results tbody tr")).to_have_count(1)
    assert "八王子市" in page.locator("#directory-results").inner_text()
    assert page.evaluate("window.__same_document") is True  # htmx, not a page load
    assert "q=" in page.url  # the address bar keeps the search for bookmarks and Back
    assert tokyo.csp_errors == []
