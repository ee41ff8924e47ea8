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


def test_the_demo_seeds_twice_and_every_login_reaches_its_home(settings: Any) -> None:
    """One test, because seeding the whole demo takes seconds: the output names every
    login, a second seeding changes nothing that breaks, each demo person reaches the home
    page of their organisation, and the demo report is in the PPC's inbox."""
    settings.MFA_ENFORCED = False  # as `make run` serves the demo
    ensure_organisations()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())  # idempotent
    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    for username, _name, code, *_rest in DEMO_PEOPLE:
        assert username in printed
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        home = client.get("/")
        assert home.status_code == 200, username
        assert organisation_by_code(code=code).name in home.content.decode(), username
    client = Client()
    client.post("/accounts/login/", {"username": "demo-ppc", "password": DEMO_PASSWORD})
    inbox = client.get("/incidents/inbox/").content.decode()
    assert "千代田区" in inbox
    assert "【デモ】" in inbox


def test_seeding_the_demo_is_refused_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(Exception, match="本番環境"):
        call_command("seed_demo", stdout=StringIO())
