"""The suite's shared fixtures (loaded for every test by ``src/conftest.py``).

* ``cast``: the people of ``mamoru.testing.Cast`` (organisations loaded once per database);
* ``signed_in``: ``signed_in(user, *, mfa=True, api=False)`` — the one way tests sign in;
* ``browser``, ``people``, ``visit``: Debian's Chromium on a live server, axe-core checks.

Models are imported inside the fixtures: the scanning engine's tests run without Django.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from mamoru.testing.browser import AXE, CHROMIUM, CHROMIUM_ARGS, Visitor

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

    from mamoru.testing import Cast, SignIn


@pytest.fixture
def cast(db: None) -> Cast:
    from mamoru.testing import ensure_organisations, make_cast

    ensure_organisations()
    return make_cast()


@pytest.fixture
def signed_in() -> SignIn:
    """``signed_in(user, *, mfa=True, api=False, headers=None)``: a signed-in test client."""
    from mamoru.testing import sign_in

    return sign_in


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/install-system-packages.sh test as root")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself (not by the live server thread) are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def people(transactional_db: Any) -> Cast:
    """The cast on a live server: a real transaction, flushed afterwards (so the
    organisations are loaded again when an earlier live-server test flushed them)."""
    from mamoru.testing import ensure_organisations, make_cast

    ensure_organisations()
    return make_cast()


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/build-assets.sh")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def visit(browser: Browser, live_server: Any, axe_source: str) -> Iterator[Any]:
    """``visit(user=None, *, mfa=True, language="ja", width=1280)``: a signed-in browser."""
    from django.conf import settings

    from mamoru.testing import sign_in

    contexts: list[BrowserContext] = []

    def visitor(
        user: Any = None, *, mfa: bool = True, language: str = "ja", width: int = 1280
    ) -> Visitor:
        context = browser.new_context(locale=language, viewport={"width": width, "height": 900})
        contexts.append(context)
        if user is not None:
            cookie = sign_in(user, mfa=mfa).cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
        return Visitor(context, live_server.url, axe_source)

    yield visitor
    for context in contexts:
        context.close()
