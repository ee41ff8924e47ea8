"""The API beyond drafting: exports in every format through the gate and audited with their
format, the recipients of a report and reports made outside the platform, the notice to
individuals, inbox filters and bulk acknowledgement, deputies, and the short number."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mamoru.accounts.models import User
from mamoru.audit.models import AuditEvent
from mamoru.incidents.exports import EXPORTERS
from mamoru.incidents.models import Delivery, IncidentReport
from mamoru.incidents.routing import Category
from mamoru.incidents.testing import BASE, content_dict, create, report_url, submit
from mamoru.orgs.models import Membership
from mamoru.orgs.roles import Role
from mamoru.testing import TOKYO, Cast, SignIn, results

pytestmark = pytest.mark.django_db

SECRET = "攻撃者は203.0.113.7から侵入した。"


@pytest.fixture
def sent(cast: Cast, ciso: User, signed_in: SignIn) -> str:
    """A ransomware case of 101 people whose cause is TLP:RED for PPC only."""
    data = content_dict(people=101, category=Category.RANSOMWARE)
    data["sections"]["cause"] = SECRET
    data["section_tlp"] = {"cause": "red"}
    data["red_recipients"] = {"cause": ["PPC"]}
    public_id = create(signed_in(cast.chiyoda, api=True), data)
    submit(signed_in(ciso, api=True), public_id)
    return public_id


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_export_comes_through_the_gate_cut_for_its_reader_and_audited(
    cast: Cast, sent: str, fmt: str, signed_in: SignIn
) -> None:
    if fmt == "pdf":
        pytest.importorskip("weasyprint")
    mine = signed_in(cast.chiyoda, api=True).get(report_url(sent, f"versions/1/export/{fmt}/"))
    tokyo_pk = Delivery.objects.get(recipient__code=TOKYO).pk
    tokyo = signed_in(cast.tokyo, api=True).get(f"{BASE}/inbox/{tokyo_pk}/export/{fmt}/")
    for response in (mine, tokyo):
        assert response.status_code == 200, response.content[:300]
        assert response["Content-Type"].startswith(EXPORTERS[fmt].media_type.split(";")[0])
        assert "attachment" in response["Content-Disposition"]
    if fmt != "pdf":  # compressed; the exporters' own tests read it
        assert SECRET not in tokyo.content.decode()
    events = AuditEvent.objects.filter(action="incidents.export.read", outcome="success")
    assert {e.details["format"] for e in events} == {fmt}
    assert events.count() == 2


def test_an_export_refused_is_audited_too(cast: Cast, sent: str, signed_in: SignIn) -> None:
    tokyo_pk = Delivery.objects.get(recipient__code=TOKYO).pk
    response = signed_in(cast.ppc, api=True).get(f"{BASE}/inbox/{tokyo_pk}/export/csv/")
    assert response.status_code == 404
    unknown = signed_in(cast.chiyoda, api=True).get(report_url(sent, "versions/1/export/docx/"))
    assert unknown.status_code == 404
    denied = AuditEvent.objects.filter(action="incidents.export.read", outcome="denied")
    assert denied.count() == 2


def test_the_recipients_say_who_has_nobody_on_the_platform_and_what_was_told(
    cast: Cast, sent: str, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda, api=True)
    rows = {r["recipient"]["code"]: r for r in client.get(report_url(sent, "recipients/")).json()}
    assert rows["PPC"]["on_platform"] is True
    assert rows["NPA"]["on_platform"] is False
    assert rows["NPA"]["needs_outside"] is True
    told = client.post(
        report_url(sent, "recipients/NPA/outside/"),
        {
            "method": "phone",
            "reported_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
            "contact_person": "サイバー犯罪相談窓口",
        },
        format="json",
    )
    assert told.status_code == 201, told.content
    assert told.json()["version"] == 1
    rows = {r["recipient"]["code"]: r for r in client.get(report_url(sent, "recipients/")).json()}
    assert rows["NPA"]["told_outside"] is True
    assert rows["NPA"]["needs_outside"] is False
    missing = client.post(
        report_url(sent, "recipients/DA/outside/"),
        {"method": "phone", "reported_at": timezone.now().isoformat()},
        format="json",
    )
    assert missing.status_code == 404


def test_the_notice_to_individuals_is_read_and_recorded(
    cast: Cast, sent: str, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda, api=True)
    notice = client.get(report_url(sent, "notice/")).json()
    assert notice["required"] is True
    assert "個人情報保護法第68条第2項" in notice["bases"]
    assert notice["outstanding"] is True
    refused = client.put(report_url(sent, "notice/"), {"status": "exempt"}, format="json")
    assert refused.status_code == 400
    done = client.put(
        report_url(sent, "notice/"), {"status": "done", "note": "郵送で通知"}, format="json"
    )
    assert done.json()["outstanding"] is False


def test_the_inbox_filters_and_acknowledges_in_bulk(
    cast: Cast, sent: str, signed_in: SignIn
) -> None:
    client = signed_in(cast.ppc, api=True)
    assert len(results(client.get(f"{BASE}/inbox/?category=ransomware"))) == 1
    assert results(client.get(f"{BASE}/inbox/?category=ddos")) == []
    assert len(results(client.get(f"{BASE}/inbox/?prefecture=13&order=due"))) == 1
    assert client.get(f"{BASE}/inbox/?order=sideways").status_code == 400
    row = results(client.get(f"{BASE}/inbox/"))[0]
    assert row["report_number"] == IncidentReport.objects.get().number
    tokyo_pk = Delivery.objects.get(recipient__code=TOKYO).pk
    done = client.post(f"{BASE}/inbox/acknowledge/", {"ids": [row["id"], tokyo_pk]}, format="json")
    assert done.json() == {"acknowledged": 1}
    assert Delivery.objects.get(pk=tokyo_pk).acknowledged_at is None
    assert results(client.get(f"{BASE}/inbox/?status=unacknowledged")) == []


def test_the_reporter_compares_two_versions_through_the_api(
    cast: Cast, ciso: User, sent: str, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda, api=True)
    changed = content_dict(people=250, category=Category.RANSOMWARE)
    assert client.put(report_url(sent), changed, format="json").status_code == 200
    submit(signed_in(ciso, api=True), sent)
    diff = client.get(report_url(sent, "diff/?from_version=1&to_version=2")).json()
    keys = {change["key"] for change in diff}
    assert "facts.personal_data" in keys


def test_deputies_are_named_and_revoked_through_the_api(
    cast: Cast, ciso: User, signed_in: SignIn
) -> None:
    Membership.objects.filter(user=cast.chiyoda_viewer).update(role=Role.EDITOR)
    client = signed_in(ciso, api=True)
    ends = (timezone.now() + timedelta(days=5)).isoformat()
    named = client.post(
        f"{BASE}/deputies/",
        {"user": "chiyoda_viewer", "ends_at": ends, "reason": "CISOの休暇"},
        format="json",
    )
    assert named.status_code == 201, named.content
    assert [d["user"] for d in client.get(f"{BASE}/deputies/").json()] == ["chiyoda_viewer"]
    nobody = client.post(
        f"{BASE}/deputies/", {"user": "hachioji", "ends_at": ends, "reason": "x"}, format="json"
    )
    assert nobody.status_code == 422
    editor = signed_in(cast.hachioji, api=True)
    assert editor.post(f"{BASE}/deputies/{named.json()['id']}/revoke/").status_code == 404
    revoked = client.post(f"{BASE}/deputies/{named.json()['id']}/revoke/")
    assert revoked.json()["revoked_at"] is not None
    assert client.get(f"{BASE}/deputies/").json() == []


def test_the_report_carries_its_short_number(cast: Cast, sent: str, signed_in: SignIn) -> None:
    body = signed_in(cast.chiyoda, api=True).get(report_url(sent)).json()
    assert body["number"].endswith("-131016-0001")
    listed = results(signed_in(cast.chiyoda, api=True).get(f"{BASE}/reports/"))
    assert listed[0]["number"] == body["number"]
