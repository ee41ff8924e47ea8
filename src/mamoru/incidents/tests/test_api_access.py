"""Access through the API: a sibling municipality, another prefecture, a recipient not
addressed and an outsider get nothing of 千代田区's report — not the report, its inbox
entry, its thread, its diff, its notifications nor a count in the statistics."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mamoru.accounts.models import User
from mamoru.incidents.models import Delivery
from mamoru.incidents.routing import Category
from mamoru.incidents.testing import BASE, content_dict, create, report_url, submit
from mamoru.incidents.tests.denials import ALL
from mamoru.testing import Cast, SignIn, results

pytestmark = pytest.mark.django_db

OTHERS = ("hachioji", "osaka_city", "osaka", "outsider")


@pytest.fixture
def sent(
    cast: Cast, ciso: User, django_capture_on_commit_callbacks: Any, signed_in: SignIn
) -> dict[str, Any]:
    """A report of 千代田区 with 50 people's data, a leak that is no attack, the police
    consulted: to 東京都, MIC and NPA, not to PPC."""
    data = content_dict(people=50, category=Category.DATA_LEAK, police_consulted=True)
    public_id = create(signed_in(cast.chiyoda, api=True), data)
    with django_capture_on_commit_callbacks(execute=True):
        submit(signed_in(ciso, api=True), public_id)
    tokyo = Delivery.objects.get(report__public_id=public_id, recipient__code="130001")
    return {"public_id": public_id, "delivery": tokyo.pk}


def urls_of(sent: dict[str, Any]) -> list[tuple[str, str]]:
    public_id, pk = sent["public_id"], sent["delivery"]
    return [
        ("get", report_url(public_id)),
        ("put", report_url(public_id)),
        ("post", report_url(public_id, "request-approval/")),
        ("post", report_url(public_id, "submit/")),
        ("post", report_url(public_id, "reopen/")),
        ("get", report_url(public_id, "diff/?from_version=1&to_version=1")),
        ("get", report_url(public_id, "threads/130001/messages/")),
        ("post", report_url(public_id, "threads/130001/messages/")),
        ("get", report_url(public_id, "versions/1/export/csv/")),
        ("get", report_url(public_id, "recipients/")),
        ("post", report_url(public_id, "recipients/NPA/outside/")),
        ("get", report_url(public_id, "notice/")),
        ("put", report_url(public_id, "notice/")),
        ("get", f"{BASE}/inbox/{pk}/"),
        ("post", f"{BASE}/inbox/{pk}/acknowledge/"),
        ("get", f"{BASE}/inbox/{pk}/export/stix/"),
    ]


@pytest.mark.parametrize("who", [*OTHERS, "ppc", "nation_unaddressed"])
def test_others_get_404_or_403_for_every_object_url(
    cast: Cast, sent: dict[str, Any], who: str, signed_in: SignIn
) -> None:
    user = cast.ppc if who == "nation_unaddressed" else getattr(cast, who)
    client = signed_in(user, api=True)
    for method, url in urls_of(sent):
        data = None if method == "get" else {"body": "x", "reason": "x"}
        response = getattr(client, method)(url, data, format="json")
        assert response.status_code in (403, 404), f"{who} {method} {url}"
        assert "不正アクセス" not in response.content.decode()


@pytest.mark.parametrize("who", OTHERS)
def test_others_see_nothing_in_lists(
    cast: Cast, sent: dict[str, Any], who: str, signed_in: SignIn
) -> None:
    client = signed_in(getattr(cast, who), api=True)
    for path in ("reports/", "inbox/", "overdue/", "notifications/"):
        response = client.get(f"{BASE}/{path}")
        assert response.status_code in (200, 403)
        if response.status_code == 200:
            assert results(response) == [], f"{who} {path}"
    stats = client.get(f"{BASE}/statistics/")
    if stats.status_code == 200:
        assert stats.json()["total"] == 0


def test_an_unaddressed_recipient_sees_nothing(
    cast: Cast, sent: dict[str, Any], signed_in: SignIn
) -> None:
    client = signed_in(cast.ppc, api=True)  # 50 people: PPC is not addressed
    assert results(client.get(f"{BASE}/inbox/")) == []
    assert results(client.get(f"{BASE}/notifications/")) == []
    assert client.get(f"{BASE}/statistics/").json()["total"] == 0


def test_the_addressed_prefecture_reads_but_cannot_edit(
    cast: Cast, sent: dict[str, Any], signed_in: SignIn
) -> None:
    client = signed_in(cast.tokyo, api=True)
    assert client.get(f"{BASE}/inbox/{sent['delivery']}/").status_code == 200
    assert client.get(report_url(sent["public_id"])).status_code == 404
    assert (
        client.put(report_url(sent["public_id"]), content_dict(), format="json").status_code == 404
    )
    diff = client.get(report_url(sent["public_id"], "diff/?from_version=1&to_version=1"))
    assert diff.status_code == 200


def test_a_viewer_of_the_reporter_reads_but_cannot_submit(
    cast: Cast, sent: dict[str, Any], signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda_viewer, api=True)
    assert client.get(report_url(sent["public_id"])).status_code == 200
    assert (
        client.post(report_url(sent["public_id"], "submit/"), {}, format="json").status_code == 403
    )


@pytest.mark.parametrize("denial", ALL, ids=lambda d: f"{d.method}:{d.url_name}")
def test_every_denial_holds_with_the_api_mounted(
    cast: Cast, denial: Any, signed_in: SignIn
) -> None:
    url = reverse(denial.url_name, kwargs=denial.kwargs)
    anonymous = getattr(Client(), denial.method)(url)
    assert anonymous.status_code in denial.refusal_statuses
    for who in denial.refused:
        response = getattr(signed_in(getattr(cast, who)), denial.method)(url)
        assert response.status_code in denial.refusal_statuses, f"{who} reached {url}"


def test_a_read_only_token_cannot_acknowledge_or_write_in_a_thread(
    cast: Cast, sent: dict[str, Any]
) -> None:
    from mamoru.orgs.principal import System
    from mamoru.orgs.services import api_token_create

    _token, plaintext = api_token_create(
        principal=System("test"),
        user=cast.tokyo,
        organisation=cast.org("130001"),
        name="read only",
        permissions=["org.view", "data.view"],
    )
    client = Client(headers={"Authorization": f"Bearer {plaintext}"})
    delivery = sent["delivery"]
    assert client.get(f"{BASE}/inbox/{delivery}/").status_code == 200
    ack = client.post(f"{BASE}/inbox/{delivery}/acknowledge/")
    assert ack.status_code == 403
    thread = report_url(sent["public_id"], "threads/130001/messages/")
    said = client.post(thread, {"body": "x"}, content_type="application/json")
    assert said.status_code == 403
    assert Delivery.objects.get(pk=delivery).acknowledged_at is None
