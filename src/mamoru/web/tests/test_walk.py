"""Every capability a person may use is one click from their home page.

Each demo login of ``make run`` opens its home page in Debian's Chromium and, for each entry
the menu registry gives its role, clicks the link in 「できること」 — by its visible name, as a
person would — and lands on that capability's page, which passes axe-core. The items of
「対応が必要なこと」 that can be acted on link to the thing itself.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from mamoru.core.navigation import navigation_for
from mamoru.orgs.demo import DEMO_PEOPLE
from mamoru.orgs.selectors import principal_for
from mamoru.testing import ensure_organisations

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db: Any, settings: Any) -> None:
    settings.MFA_ENFORCED = False  # as `make run` serves the demo
    ensure_organisations()
    call_command("seed_demo", stdout=StringIO())


@pytest.mark.parametrize("username", [p[0] for p in DEMO_PEOPLE])
def test_each_capability_is_one_click_from_home(demo: None, visit: Any, username: str) -> None:
    from mamoru.accounts.models import User

    user = User.objects.get(username=username)
    principal = principal_for(user=user)
    assert principal is not None
    entries = navigation_for(principal)
    assert entries, f"{username} can do nothing"
    visitor = visit(user)
    for entry in entries:
        page = visitor.open("/")
        capabilities = page.locator("#capabilities")
        capabilities.get_by_role("link", name=str(entry.label), exact=True).click()
        page.wait_for_load_state("load")
        # where the entry leads (an app's start may send each role on to its own view)
        landing = page.request.get(visitor.base_url + entry.url(principal)).url
        assert page.url == landing, (username, entry.key, page.url)
        assert page.locator("h1").count() == 1, (username, entry.key)
        visitor.assert_accessible(f"walk-{username}-{entry.key}")
    # What needs attention links to the thing itself, and that link works.
    page = visitor.open("/")
    for link in page.locator(".attention-list a").all():
        href = link.get_attribute("href")
        assert href is not None, username
        assert href.startswith("/"), (username, href)
        response = page.request.get(visitor.base_url + href)
        assert response.status < 400, (username, href, response.status)
