"""Browser fixtures: one Debian Chromium per test session, driven by Playwright.

Never ``playwright install``: the platform runs inside closed networks and its tests use
the distribution's browser (scripts/install-system-packages.sh installs it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

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
def organisations(transactional_db: Any) -> None:
    """The organisations, for tests on a live server.

    A live-server test runs in a real transaction and ends with a flush of every table,
    which removes the organisations loaded once per database: load them again if an
    earlier live-server test flushed them.
    """
    from mamoru.orgs.loader import read_local_governments
    from mamoru.orgs.models import Organisation
    from mamoru.orgs.services import organisations_import

    if not Organisation.objects.exists():
        organisations_import(rows=read_local_governments())
