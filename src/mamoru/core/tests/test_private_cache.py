"""No cache keeps tenant data: every answer to a signed-in person or a token says
``no-store``; static files and public answers keep their own caching."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mamoru.orgs.principal import System
from mamoru.orgs.services import api_token_create
from mamoru.testing import CHIYODA, Cast, SignIn, all_denials

pytestmark = pytest.mark.django_db
MIDDLEWARE = "mamoru.core.middleware.PrivateResponsesMiddleware"
DENIALS = all_denials()


def never_cached(response: Any) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_every_url_answers_a_signed_in_person_with_no_store(cast: Cast, signed_in: SignIn) -> None:
    walked = 0
    for denial in DENIALS:
        url = reverse(denial.url_name, kwargs=denial.kwargs)
        # A client of its own each time: one of the URLs signs the person out.
        response = getattr(signed_in(cast.chiyoda), denial.method)(url)
        if "public" in response.get("Cache-Control", ""):
            assert denial.public, f"{url} declares public caching of a member's page"
        else:
            assert never_cached(response), (denial.method, url, response.status_code)
        walked += 1
    assert walked == len(DENIALS) > 50


def test_every_api_operation_answers_a_token_with_no_store(cast: Cast) -> None:
    _, plaintext = api_token_create(
        principal=System("test set-up"),
        user=cast.chiyoda,
        organisation=cast.org(CHIYODA),
        name="cache test",
    )
    client = Client(headers={"Authorization": f"Bearer {plaintext}"})
    api = [d for d in DENIALS if "api" in d.url_name.split(":")[0] and not d.public]
    assert len(api) > 20
    for denial in api:
        url = reverse(denial.url_name, kwargs=denial.kwargs)
        response = getattr(client, denial.method)(url, content_type="application/json")
        assert never_cached(response), (denial.method, url, response.status_code)


def test_public_answers_to_anonymous_visitors_keep_their_own_caching(settings: Any) -> None:
    public = [d for d in DENIALS if d.public]
    with_it = [getattr(Client(), d.method)(reverse(d.url_name, kwargs=d.kwargs)) for d in public]
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    without = [getattr(Client(), d.method)(reverse(d.url_name, kwargs=d.kwargs)) for d in public]
    assert [r.get("Cache-Control") for r in with_it] == [r.get("Cache-Control") for r in without]
    assert not never_cached(with_it[[d.url_name for d in public].index("api:schema")])


def test_static_files_and_answers_declared_public_keep_their_caching(
    cast: Cast, signed_in: SignIn, settings: Any
) -> None:
    redoc = signed_in(cast.chiyoda).get(reverse("api:redoc-script"))
    assert redoc["Cache-Control"] == "public, max-age=86400"
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    static = signed_in(cast.chiyoda).get("/static/web/logo.svg")
    static.close()  # a file response: close the file it streams
    assert static.status_code == 200
    assert "max-age" in static["Cache-Control"]
    assert not never_cached(static)
