"""The demo of `make run`: every demo login reaches its own home page."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from mamoru.orgs.demo import DEMO_PASSWORD, DEMO_PEOPLE
from mamoru.orgs.selectors import organisation_by_code
from mamoru.testing import ensure_organisations

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any) -> str:
    settings.MFA_ENFORCED = False  # as `make run` serves the demo
    ensure_organisations()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())  # idempotent
    return out.getvalue()


def test_it_prints_every_demo_login(demo: str) -> None:
    assert DEMO_PASSWORD in demo
    for username, *_ in DEMO_PEOPLE:
        assert username in demo


@pytest.mark.parametrize(("username", "code"), [(p[0], p[2]) for p in DEMO_PEOPLE])
def test_each_demo_login_reaches_its_home_page(demo: str, username: str, code: str) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert organisation_by_code(code=code).name in home.content.decode()


def test_the_demo_report_reaches_the_ppc_inbox(demo: str) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "demo-ppc", "password": DEMO_PASSWORD})
    inbox = client.get("/incidents/inbox/").content.decode()
    assert "千代田区" in inbox
    assert "【デモ】" in inbox


def test_seeding_the_demo_is_refused_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(Exception, match="本番環境"):
        call_command("seed_demo", stdout=StringIO())
