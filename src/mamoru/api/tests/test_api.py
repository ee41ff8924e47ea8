"""The REST API reads through the access gate: each principal gets only what it may see."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from mamoru.core.testing import CHIYODA, HACHIOJI, OSAKA_CITY, TOKYO, Cast, login_verified
from mamoru.orgs.models import Membership

pytestmark = pytest.mark.django_db


def client_for(user: object) -> APIClient:
    client = APIClient()
    login_verified(client, user)  # type: ignore[arg-type]
    return client


def all_codes(client: APIClient, query: str = "") -> set[str]:
    codes: set[str] = set()
    url: str | None = f"/api/v1/organisations/?limit=500{query}"
    while url:
        page = client.get(url).json()
        codes |= {o["code"] for o in page["results"]}
        url = page["next"]
    return codes


def test_me_describes_the_acting_organisation(cast: Cast) -> None:
    body = client_for(cast.chiyoda).get("/api/v1/me/").json()
    assert body["organisation"]["code"] == CHIYODA
    assert body["role"] == "admin"
    assert "members.manage" in body["permissions"]


def test_a_municipality_lists_only_what_it_may_see(cast: Cast) -> None:
    codes = all_codes(client_for(cast.chiyoda))
    assert {CHIYODA, TOKYO, "PPC"} <= codes
    assert HACHIOJI not in codes
    assert OSAKA_CITY not in codes


def test_the_nation_lists_every_local_government_and_national_body(cast: Cast) -> None:
    codes = all_codes(client_for(cast.nation))
    assert len(codes) == 1798


def test_search_never_reaches_past_the_gate(cast: Cast) -> None:
    assert all_codes(client_for(cast.chiyoda), "&q=八王子") == set()
    assert all_codes(client_for(cast.tokyo), "&q=八王子") == {HACHIOJI}


def test_a_bad_filter_is_a_clear_400(cast: Cast) -> None:
    response = client_for(cast.nation).get("/api/v1/organisations/?prefecture=tokyo")
    assert response.status_code == 400
    assert "prefecture" in response.json()


def test_a_sibling_gets_404_for_another_municipality(cast: Cast) -> None:
    assert client_for(cast.hachioji).get(f"/api/v1/organisations/{CHIYODA}/").status_code == 404
    assert client_for(cast.tokyo).get(f"/api/v1/organisations/{CHIYODA}/").status_code == 200


def test_the_prefecture_reads_a_municipalitys_members_and_the_nation_does_not(cast: Cast) -> None:
    members = client_for(cast.tokyo).get(f"/api/v1/organisations/{CHIYODA}/memberships/").json()
    assert {m["username"] for m in members} == {"chiyoda", "chiyoda_viewer"}
    assert client_for(cast.nation).get(f"/api/v1/organisations/{CHIYODA}/memberships/").json() == []


def test_an_admin_adds_and_removes_a_member(cast: Cast) -> None:
    client = client_for(cast.chiyoda)
    created = client.post(
        f"/api/v1/organisations/{CHIYODA}/memberships/",
        {"username": "outsider", "role": "viewer"},
        format="json",
    )
    assert created.status_code == 201
    assert client.delete(f"/api/v1/memberships/{created.json()['id']}/").status_code == 204
    assert not Membership.objects.filter(user=cast.outsider).exists()


def test_a_viewer_or_a_supervisor_cannot_manage_members(cast: Cast) -> None:
    body = {"username": "outsider", "role": "admin"}
    url = f"/api/v1/organisations/{CHIYODA}/memberships/"
    assert client_for(cast.chiyoda_viewer).post(url, body, format="json").status_code == 403
    assert client_for(cast.tokyo).post(url, body, format="json").status_code == 403
    assert client_for(cast.hachioji).post(url, body, format="json").status_code == 404
    viewer = Membership.objects.get(user=cast.chiyoda_viewer)
    assert client_for(cast.hachioji).delete(f"/api/v1/memberships/{viewer.pk}/").status_code == 404
    assert client_for(cast.tokyo).delete(f"/api/v1/memberships/{viewer.pk}/").status_code == 403
    assert Membership.objects.filter(pk=viewer.pk).exists()


def test_an_unknown_username_is_a_clear_error(cast: Cast) -> None:
    response = client_for(cast.chiyoda).post(
        f"/api/v1/organisations/{CHIYODA}/memberships/",
        {"username": "nobody", "role": "viewer"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["username"] == ["この利用者はいません"]
