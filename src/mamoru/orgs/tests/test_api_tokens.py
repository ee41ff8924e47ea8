"""API tokens: one organisation, a subset of the owner's permissions, revocable, hashed."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from mamoru.orgs.principal import System
from mamoru.orgs.services import api_token_create
from mamoru.testing import CHIYODA, HACHIOJI, Cast, SignIn, results

pytestmark = pytest.mark.django_db


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_a_municipal_token_sees_only_its_municipalitys_view(cast: Cast) -> None:
    _, plaintext = api_token_create(
        principal=System("test set-up"),
        user=cast.chiyoda,
        organisation=cast.org(CHIYODA),
        name="script",
    )
    body = bearer(plaintext).get("/api/v1/organisations/?limit=2000").json()
    codes = {o["code"] for o in body["results"]}
    assert CHIYODA in codes
    assert HACHIOJI not in codes
    assert body["count"] == 12


def test_a_national_operators_token_sees_all_1798(cast: Cast) -> None:
    _, plaintext = api_token_create(
        principal=System("test set-up"),
        user=cast.nation,
        organisation=cast.org("MIC"),
        name="stats",
    )
    assert bearer(plaintext).get("/api/v1/organisations/?limit=1").json()["count"] == 1798


def test_a_token_is_limited_to_its_permissions(cast: Cast) -> None:
    _, plaintext = api_token_create(
        principal=System("test set-up"),
        user=cast.chiyoda,
        organisation=cast.org(CHIYODA),
        name="read only",
        permissions=["org.view"],
    )
    client = bearer(plaintext)
    assert client.get("/api/v1/me/").json()["permissions"] == ["org.view"]
    response = client.post(
        f"/api/v1/organisations/{CHIYODA}/memberships/",
        {"username": "outsider", "role": "viewer"},
        format="json",
    )
    assert response.status_code == 403


def test_a_revoked_or_garbage_token_is_refused(cast: Cast, signed_in: SignIn) -> None:
    client = signed_in(cast.chiyoda, api=True)
    created = client.post(
        "/api/v1/tokens/", {"name": "ci", "expires_in_days": 30}, format="json"
    ).json()
    assert created["token"].startswith("mmr_")
    assert bearer(created["token"]).get("/api/v1/me/").status_code == 200
    assert "token" not in results(client.get("/api/v1/tokens/"))[0]
    assert client.delete(f"/api/v1/tokens/{created['id']}/").status_code == 204
    assert bearer(created["token"]).get("/api/v1/me/").status_code == 401
    assert bearer("mmr_nothing_here").get("/api/v1/me/").status_code == 401


def test_a_token_cannot_mint_tokens_nor_revoke_anothers(cast: Cast, signed_in: SignIn) -> None:
    token, plaintext = api_token_create(
        principal=System("test set-up"), user=cast.chiyoda, organisation=cast.org(CHIYODA), name="x"
    )
    assert (
        bearer(plaintext).post("/api/v1/tokens/", {"name": "y"}, format="json").status_code == 403
    )
    assert (
        signed_in(cast.hachioji, api=True).delete(f"/api/v1/tokens/{token.pk}/").status_code == 404
    )


def test_permissions_beyond_the_owners_are_refused_in_japanese(
    cast: Cast, signed_in: SignIn
) -> None:
    response = signed_in(cast.chiyoda_viewer, api=True).post(
        "/api/v1/tokens/", {"name": "x", "permissions": ["members.manage"]}, format="json"
    )
    assert response.status_code == 400
    assert "持たない権限" in response.json()["detail"][0]
