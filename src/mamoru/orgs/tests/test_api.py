"""The REST API reads through the access gate: each principal gets only what it may see."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from mamoru.orgs.models import Membership
from mamoru.testing import CHIYODA, HACHIOJI, OSAKA_CITY, TOKYO, Cast, SignIn, results

pytestmark = pytest.mark.django_db


def all_codes(client: APIClient, query: str = "") -> set[str]:
    codes: set[str] = set()
    url: str | None = f"/api/v1/organisations/?limit=500{query}"
    while url:
        page = client.get(url).json()
        codes |= {o["code"] for o in page["results"]}
        url = page["next"]
    return codes


def test_me_describes_the_acting_organisation(cast: Cast, signed_in: SignIn) -> None:
    body = signed_in(cast.chiyoda, api=True).get("/api/v1/me/").json()
    assert body["organisation"]["code"] == CHIYODA
    assert body["role"] == "admin"
    assert "members.manage" in body["permissions"]


def test_a_municipality_lists_only_what_it_may_see(cast: Cast, signed_in: SignIn) -> None:
    codes = all_codes(signed_in(cast.chiyoda, api=True))
    assert {CHIYODA, TOKYO, "PPC"} <= codes
    assert HACHIOJI not in codes
    assert OSAKA_CITY not in codes


def test_the_nation_lists_every_local_government_and_national_body(
    cast: Cast, signed_in: SignIn
) -> None:
    codes = all_codes(signed_in(cast.nation, api=True))
    assert len(codes) == 1798


def test_search_never_reaches_past_the_gate(cast: Cast, signed_in: SignIn) -> None:
    assert all_codes(signed_in(cast.chiyoda, api=True), "&q=八王子") == set()
    assert all_codes(signed_in(cast.tokyo, api=True), "&q=八王子") == {HACHIOJI}


def test_a_bad_filter_is_a_clear_400(cast: Cast, signed_in: SignIn) -> None:
    response = signed_in(cast.nation, api=True).get("/api/v1/organisations/?prefecture=tokyo")
    assert response.status_code == 400
    assert "prefecture" in response.json()


def test_a_sibling_gets_404_for_another_municipality(cast: Cast, signed_in: SignIn) -> None:
    assert (
        signed_in(cast.hachioji, api=True).get(f"/api/v1/organisations/{CHIYODA}/").status_code
        == 404
    )
    assert (
        signed_in(cast.tokyo, api=True).get(f"/api/v1/organisations/{CHIYODA}/").status_code == 200
    )


def test_the_prefecture_reads_a_municipalitys_members_and_the_nation_does_not(
    cast: Cast, signed_in: SignIn
) -> None:
    members = results(
        signed_in(cast.tokyo, api=True).get(f"/api/v1/organisations/{CHIYODA}/memberships/")
    )
    assert {m["username"] for m in members} == {"chiyoda", "chiyoda_viewer"}
    # The nation sees statistics of members, not who they are: it is told so, not given [].
    refused = signed_in(cast.nation, api=True).get(f"/api/v1/organisations/{CHIYODA}/memberships/")
    assert refused.status_code == 403
    assert "権限がありません" in refused.json()["detail"]


def test_an_admin_adds_and_removes_a_member(cast: Cast, signed_in: SignIn) -> None:
    client = signed_in(cast.chiyoda, api=True)
    created = client.post(
        f"/api/v1/organisations/{CHIYODA}/memberships/",
        {"username": "outsider", "role": "viewer"},
        format="json",
    )
    assert created.status_code == 201
    assert client.delete(f"/api/v1/memberships/{created.json()['id']}/").status_code == 204
    assert not Membership.objects.filter(user=cast.outsider).exists()


def test_a_viewer_or_a_supervisor_cannot_manage_members(cast: Cast, signed_in: SignIn) -> None:
    body = {"username": "outsider", "role": "admin"}
    url = f"/api/v1/organisations/{CHIYODA}/memberships/"
    assert (
        signed_in(cast.chiyoda_viewer, api=True).post(url, body, format="json").status_code == 403
    )
    assert signed_in(cast.tokyo, api=True).post(url, body, format="json").status_code == 403
    assert signed_in(cast.hachioji, api=True).post(url, body, format="json").status_code == 404
    viewer = Membership.objects.get(user=cast.chiyoda_viewer)
    assert (
        signed_in(cast.hachioji, api=True).delete(f"/api/v1/memberships/{viewer.pk}/").status_code
        == 404
    )
    assert (
        signed_in(cast.tokyo, api=True).delete(f"/api/v1/memberships/{viewer.pk}/").status_code
        == 403
    )
    assert Membership.objects.filter(pk=viewer.pk).exists()


def test_an_unknown_username_is_a_clear_error(cast: Cast, signed_in: SignIn) -> None:
    response = signed_in(cast.chiyoda, api=True).post(
        f"/api/v1/organisations/{CHIYODA}/memberships/",
        {"username": "nobody", "role": "viewer"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["username"] == ["この利用者はいません"]


def test_the_admin_invites_changes_a_role_and_revokes_through_the_api(
    cast: Cast, signed_in: SignIn
) -> None:
    from mamoru.orgs.models import Membership

    client = signed_in(cast.chiyoda, api=True)
    made = client.post(
        f"/api/v1/organisations/{CHIYODA}/invitations/",
        {"email": "api@example.jp", "role": "editor"},
        format="json",
    )
    assert made.status_code == 201
    assert "secret" not in made.json()
    assert "digest" not in made.json()
    listed = results(client.get(f"/api/v1/organisations/{CHIYODA}/invitations/"))
    assert [i["email"] for i in listed] == ["api@example.jp"]
    assert client.delete(f"/api/v1/invitations/{made.json()['id']}/").status_code == 204
    assert results(client.get(f"/api/v1/organisations/{CHIYODA}/invitations/")) == []
    viewer = Membership.objects.unscoped("test").get(user=cast.chiyoda_viewer)
    changed = client.patch(f"/api/v1/memberships/{viewer.pk}/", {"role": "editor"}, format="json")
    assert changed.json()["role"] == "editor"
    # 八王子市 sees nothing of 千代田区's invitations and cannot change its roles.
    other = signed_in(cast.hachioji, api=True)
    assert other.get(f"/api/v1/organisations/{CHIYODA}/invitations/").status_code == 404
    assert (
        other.patch(
            f"/api/v1/memberships/{viewer.pk}/", {"role": "admin"}, format="json"
        ).status_code
        == 404
    )
