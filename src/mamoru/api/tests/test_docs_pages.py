"""The API documentation pages render in a real browser with the site's Content Security
Policy on, and nothing they load comes from outside the platform.

Debian's Chromium opens ``/api/v1/docs/`` (Swagger UI) and ``/api/v1/redoc/`` (ReDoc) on
the live server under a host name that is not ``localhost`` (``mamoru.test``, mapped to
127.0.0.1 inside this browser only), as a real deployment is seen: browser libraries
treat local addresses specially (Swagger UI skips its online validator for them). Every
request the pages make goes through a route that lets through only the live server and
refuses (and records) anything else, so the test itself never reaches the internet.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import expect

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Route

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path("/usr/bin/chromium")
HOST = "mamoru.test"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    f"--host-resolver-rules=MAP {HOST} 127.0.0.1",
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/install-system-packages.sh test as root")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # (not the live server's) stay synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    """One page as the browser saw it."""

    page: Page
    console: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return [text for text in self.console if "Content Security Policy" in text]

    def page_errors(self) -> list[str]:
        """Uncaught script errors (a page that failed to start shows one)."""
        return [text for text in self.console if text.startswith("pageerror")]


@pytest.fixture
def visit(chromium: Browser, live_server: Any, settings: Any) -> Iterator[Any]:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    origin = f"http://{HOST}:{urlsplit(live_server.url).port}"
    contexts = []

    def open_page(path: str) -> Visit:
        context = chromium.new_context(locale="ja")
        contexts.append(context)
        seen = Visit(page=context.new_page())

        def only_the_platform(route: Route) -> None:
            if route.request.url.startswith(origin + "/"):
                route.continue_()
            else:
                seen.refused.append(route.request.url)
                route.abort()

        def console(message: ConsoleMessage) -> None:
            seen.console.append(f"{message.type}: {message.text}")

        context.route("**/*", only_the_platform)
        seen.page.on("console", console)
        seen.page.on("pageerror", lambda error: seen.console.append(f"pageerror: {error}"))
        response = seen.page.goto(origin + path, wait_until="load")
        assert response is not None
        assert response.status == 200
        assert "Content-Security-Policy" in response.headers or (
            "content-security-policy" in response.headers
        )
        return seen

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def summaries() -> list[str]:
    """The name of every operation of the API, from its schema."""
    schema = Client().get("/api/v1/schema/", {"format": "json"}).json()
    names = [
        operation["summary"]
        for operations in schema["paths"].values()
        for operation in operations.values()
    ]
    assert len(names) > 10
    return names


def test_swagger_ui_shows_every_operation_with_the_csp_on(visit: Any, summaries: list[str]) -> None:
    seen = visit("/api/v1/docs/")

    shown = seen.page.locator(".opblock-summary-description")
    expect(shown).to_have_count(len(summaries), timeout=30_000)
    expect(shown.first).to_be_visible()
    assert sorted(shown.all_inner_texts()) == sorted(summaries)
    assert seen.csp_violations() == []
    assert seen.refused == []
    assert seen.page_errors() == []


def test_redoc_shows_every_operation_with_the_csp_on(visit: Any, summaries: list[str]) -> None:
    seen = visit("/api/v1/redoc/")

    headings = seen.page.locator("h2")
    expect(headings.filter(has_text=summaries[-1])).to_be_visible(timeout=30_000)
    shown = set(headings.all_inner_texts())
    assert [name for name in summaries if name not in shown] == []
    # ReDoc's own search (a worker the page allows) finds an operation.
    seen.page.get_by_placeholder("Search...").fill("APIトークン")
    found = seen.page.get_by_role("search").get_by_role("menuitem").filter(has_text="APIトークン")
    expect(found.first).to_be_visible(timeout=30_000)  # the index is built in a worker
    assert seen.csp_violations() == []
    assert seen.refused == []
    assert seen.page_errors() == []
