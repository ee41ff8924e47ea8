"""The directory and the organisation page never show what the gate hides."""

from __future__ import annotations

import pytest
from django.test import override_settings

from mamoru.audit.models import AuditEvent
from mamoru.testing import CHIYODA, HACHIOJI, OSAKA_CITY, TOKYO, Cast, SignIn

pytestmark = pytest.mark.django_db


def codes(response: object) -> list[str]:
    return [o.code for o in response.context["page"].object_list]  # type: ignore[attr-defined]


def test_a_search_never_lists_a_sibling_municipality(cast: Cast, signed_in: SignIn) -> None:
    response = signed_in(cast.chiyoda).get("/organisations/", {"q": "八王子"})
    assert response.status_code == 200
    assert codes(response) == []
    assert "八王子市" not in response.content.decode()


def test_a_search_by_code_prefix_stays_within_the_gate(cast: Cast, signed_in: SignIn) -> None:
    response = signed_in(cast.chiyoda).get("/organisations/", {"q": "13"})
    assert codes(response) == [TOKYO, CHIYODA]


def test_the_prefecture_finds_its_municipality_by_name_reading_or_code(
    cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.tokyo)
    for query in ["八王子", "はちおうじ", HACHIOJI]:
        assert codes(client.get("/organisations/", {"q": query})) == [HACHIOJI]
    assert codes(client.get("/organisations/", {"q": "大阪"})) == []


def test_the_directory_filters_by_kind_and_prefecture(cast: Cast, signed_in: SignIn) -> None:
    client = signed_in(cast.nation)
    response = client.get("/organisations/", {"kind": "special_ward", "prefecture": "13"})
    assert response.context["page"].paginator.count == 23
    assert client.get("/organisations/", {"kind": "national"}).context["page"].paginator.count == 10


def test_the_directory_is_paginated(cast: Cast, signed_in: SignIn) -> None:
    client = signed_in(cast.nation)
    first = client.get("/organisations/")
    assert first.context["page"].paginator.count == 1798
    assert len(codes(first)) == 50
    second = client.get("/organisations/", {"page": 2})
    assert codes(second)[0] not in codes(first)
    assert "page=2" in first.content.decode()


def test_an_invalid_filter_is_shown_as_an_error_and_ignored(cast: Cast, signed_in: SignIn) -> None:
    response = signed_in(cast.tokyo).get("/organisations/", {"kind": "castle"})
    assert response.context["form"].errors["kind"]
    assert 'aria-invalid="true"' in response.content.decode()
    assert response.context["page"].paginator.count == 73  # 東京都, its 62 and 10 national


def test_another_prefecture_is_not_offered_as_a_filter(cast: Cast, signed_in: SignIn) -> None:
    response = signed_in(cast.tokyo).get("/organisations/", {"prefecture": "27"})
    assert "prefecture" in response.context["form"].errors
    assert OSAKA_CITY not in codes(response)


def test_htmx_gets_the_results_alone(cast: Cast, signed_in: SignIn) -> None:
    response = signed_in(cast.tokyo).get(
        "/organisations/", {"q": "八王子"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "八王子市" in page
    assert "HX-Request" in response["Vary"]


def test_htmx_restoring_history_gets_the_whole_page(cast: Cast, signed_in: SignIn) -> None:
    response = signed_in(cast.tokyo).get(
        "/organisations/",
        {"q": "八王子"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_a_sibling_municipality_gets_404_for_chiyoda(cast: Cast, signed_in: SignIn) -> None:
    assert signed_in(cast.hachioji).get(f"/organisations/{CHIYODA}/").status_code == 404


def test_another_prefectures_municipality_gets_404_for_chiyoda(
    cast: Cast, signed_in: SignIn
) -> None:
    assert signed_in(cast.osaka_city).get(f"/organisations/{CHIYODA}/").status_code == 404


def test_an_unknown_code_is_404(cast: Cast, signed_in: SignIn) -> None:
    assert signed_in(cast.nation).get("/organisations/999999/").status_code == 404


def test_the_prefecture_sees_chiyoda_and_its_members_and_the_read_is_audited(
    cast: Cast,
    signed_in: SignIn,
) -> None:
    response = signed_in(cast.tokyo).get(f"/organisations/{CHIYODA}/")
    assert response.status_code == 200
    assert response.context["show_members"] is True
    assert "chiyoda_viewer" in response.content.decode()
    event = AuditEvent.objects.filter(action="orgs.members.read").latest("id")
    assert (event.actor_username, event.organisation_code, event.target) == (
        "tokyo",
        TOKYO,
        CHIYODA,
    )


def test_the_nation_sees_chiyoda_but_not_its_members(cast: Cast, signed_in: SignIn) -> None:
    before = AuditEvent.objects.filter(action="orgs.members.read").count()
    response = signed_in(cast.nation).get(f"/organisations/{CHIYODA}/")
    assert response.status_code == 200
    assert response.context["show_members"] is False
    assert "chiyoda_viewer" not in response.content.decode()
    assert AuditEvent.objects.filter(action="orgs.members.read").count() == before


def test_a_municipality_sees_its_prefecture_but_not_its_members(
    cast: Cast, signed_in: SignIn
) -> None:
    response = signed_in(cast.chiyoda).get(f"/organisations/{TOKYO}/")
    assert response.status_code == 200
    assert response.context["show_members"] is False
    assert "tokyo" not in [m.user.username for m in response.context["members"]]


@override_settings(MAMORU_TRUSTED_PROXY_COUNT=1)
def test_a_member_read_behind_a_trusted_proxy_records_the_forwarded_address(
    cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.tokyo, headers={"X-Forwarded-For": "198.51.100.23"})
    assert client.get(f"/organisations/{CHIYODA}/").status_code == 200
    event = AuditEvent.objects.filter(action="orgs.members.read").latest("id")
    assert event.ip_address == "198.51.100.23"
