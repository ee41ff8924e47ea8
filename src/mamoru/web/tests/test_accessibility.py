"""Every page of the shell passes axe-core (WCAG 2.1 AA) in a real browser.

Debian's Chromium loads each page from the live server as the cast member who uses it;
axe-core (served by the platform itself, ``/static/vendor/axe.min.js``) must find no
serious or critical violation. The same pass checks that the Content Security Policy
refused nothing: an inline style or script would show up there first.

Set ``MAMORU_SCREENSHOT_DIR`` to keep a full-page screenshot of every page checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from mamoru.testing import CHIYODA, Cast, SignIn

if TYPE_CHECKING:
    pass

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "static" / "vendor" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


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
    directory = tokyo.check(reverse("orgs:directory") + "?kind=city", "directory")
    assert "立川市" in directory.locator("#directory-results").inner_text()
    detail = tokyo.check(reverse("orgs:organisation", args=[CHIYODA]), "organisation")
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


def test_the_account_pages_pass_axe(people: Cast, visit: Any, signed_in: SignIn) -> None:
    anonymous = visit()
    login = anonymous.check(reverse("accounts:login"), "login")
    assert login.locator("input[type=password]").count() == 1
    visit(people.chiyoda).check(reverse("accounts:settings"), "settings")
    # 東京都 staff must use MFA: without a factor they are sent to set one up.
    setup = visit(people.tokyo, mfa=False).check("/", "mfa-setup")
    assert reverse("accounts:mfa_setup") in setup.url
    # With a factor but not yet verified in this session, they are asked for a code.
    signed_in(people.osaka)
    verify = visit(people.osaka, mfa=False).check("/", "mfa-verify")
    assert reverse("accounts:mfa_verify") in verify.url


def test_the_directory_search_updates_the_results_in_place(people: Cast, visit: Any) -> None:
    tokyo = visit(people.tokyo)
    page = tokyo.open(reverse("orgs:directory"))
    page.evaluate("window.__same_document = true")
    page.fill("#id_q", "はちおうじ")
    expect(page.locator("#directory-results tbody tr")).to_have_count(1)
    assert "八王子市" in page.locator("#directory-results").inner_text()
    assert page.evaluate("window.__same_document") is True  # htmx, not a page load
    assert "q=" in page.url  # the address bar keeps the search for bookmarks and Back
    assert tokyo.csp_errors == []


def test_the_menu_groups_open_one_at_a_time_and_close_with_escape(people: Cast, visit: Any) -> None:
    visitor = visit(people.tokyo)
    page = visitor.open("/")
    nav = page.locator(".site-nav")
    reports, surveys = (
        nav.locator("summary", has_text="報告と連絡"),
        nav.locator("summary", has_text="調査と進捗"),
    )
    link = nav.get_by_role("link", name="受け付けた報告")
    expect(link).to_be_hidden()
    reports.click()
    expect(link).to_be_visible()
    visitor.assert_accessible("menu-open")
    surveys.click()  # opening another group closes the first
    expect(link).to_be_hidden()
    page.keyboard.press("Escape")
    expect(nav.locator("details[open]")).to_have_count(0)
    reports.click()
    link.click()
    expect(page.locator("h1")).to_be_visible()
    assert page.url.endswith("/incidents/inbox/")
