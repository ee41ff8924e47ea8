"""The whole flow through the API: draft → approval → 第一報 → inboxes → acknowledgement →
a question thread → 続報 → what changed → 確報."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from mamoru.accounts.models import User
from mamoru.incidents.testing import (
    BASE,
    content_dict,
    create,
    inbox,
    report_url,
    submit,
)
from mamoru.testing import TOKYO, Cast, SignIn, results

pytestmark = pytest.mark.django_db


def test_from_draft_to_final(
    cast: Cast, ciso: User, django_capture_on_commit_callbacks: Any, signed_in: SignIn
) -> None:
    editor, approver = signed_in(cast.chiyoda, api=True), signed_in(ciso, api=True)
    public_id = create(editor, content_dict(people=150))
    assert editor.post(report_url(public_id, "request-approval/")).json()["status"] == (
        "awaiting_approval"
    )
    # The administrator is not the CISO: approval is refused.
    assert editor.post(report_url(public_id, "submit/"), {}, format="json").status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        first = submit(approver, public_id)
    assert (first["version"], first["phase"], first["phase_label"]) == (1, "preliminary", "第一報")

    # PPC and the prefecture receive it, each with its own sections and deadlines.
    ppc_items = inbox(signed_in(cast.ppc, api=True))
    assert [i["report_id"] for i in ppc_items] == [public_id]
    ppc_item = signed_in(cast.ppc, api=True).get(f"{BASE}/inbox/{ppc_items[0]['id']}/").json()
    assert "personal_data" in ppc_item["content"]["sections"]
    assert "police" not in ppc_item["content"]["sections"]  # not granted to PPC
    assert "police" in ppc_item["withheld"]
    assert "police_consulted" not in ppc_item["content"]["facts"]  # police: not granted
    assert "category" in ppc_item["content"]["facts"]  # granted: the ground of 第43条第3号
    assert ppc_item["content"]["facts"]["personal_data"]["people"] == 150
    tokyo_item = inbox(signed_in(cast.tokyo, api=True))[0]
    assert "category" in tokyo_item["sections"]
    detail = signed_in(cast.chiyoda, api=True).get(report_url(public_id)).json()
    by_recipient = {d["recipient"]["code"]: d for d in detail["deliveries"]}
    assert set(by_recipient) == {TOKYO, "MIC", "NPA", "PPC"}
    assert by_recipient["PPC"]["final"]["timing"] == "fixed"
    assert by_recipient[TOKYO]["preliminary"]["timing"] == "promptly"
    assert by_recipient["PPC"]["final"]["due_at"] != by_recipient[TOKYO]["final"]["due_at"]
    assert len([m for m in mail.outbox if m.to == [cast.ppc.email]]) == 1

    # PPC acknowledges and asks a question; the reporter answers.
    ack = signed_in(cast.ppc, api=True).post(f"{BASE}/inbox/{ppc_items[0]['id']}/acknowledge/")
    assert ack.status_code == 200
    assert ack.json()["acknowledged_at"] is not None
    thread = report_url(public_id, "threads/PPC/messages/")
    with django_capture_on_commit_callbacks(execute=True):
        asked = signed_in(cast.ppc, api=True).post(
            thread, {"body": "暗号化の有無を教えてください。"}
        )
    assert asked.status_code == 201
    assert (
        signed_in(cast.chiyoda, api=True)
        .post(thread, {"body": "暗号化されていません。"})
        .status_code
        == 201
    )
    bodies = [m["body"] for m in results(signed_in(cast.ppc, api=True).get(thread))]
    assert bodies == ["暗号化の有無を教えてください。", "暗号化されていません。"]
    # The prefecture is not part of PPC's thread.
    assert signed_in(cast.tokyo, api=True).get(thread).status_code == 404

    # 続報: more people; recipients see what changed.
    changed = content_dict(people=420, sections={"overview": "被害の範囲が広がった。"})
    assert editor.put(report_url(public_id), changed, format="json").status_code == 200
    second = submit(approver, public_id)
    assert (second["version"], second["phase"]) == (2, "interim")
    diff = signed_in(cast.ppc, api=True).get(
        report_url(public_id, "diff/?from_version=1&to_version=2")
    )
    keys = {c["key"]: c for c in diff.json()}
    assert keys["facts.personal_data"]["after"]["people"] == 420
    assert keys["sections.overview"]["after"] == "被害の範囲が広がった。"
    assert "sections.police" not in keys  # removed, but PPC never saw it

    # 確報 closes the report.
    final = submit(approver, public_id, final=True)
    assert final["phase"] == "final"
    assert signed_in(cast.chiyoda, api=True).get(report_url(public_id)).json()["status"] == "closed"
    assert [i["version"] for i in inbox(signed_in(cast.ppc, api=True))] == [3, 2, 1]
    listed = results(signed_in(cast.chiyoda, api=True).get(f"{BASE}/reports/"))
    assert [r["public_id"] for r in listed] == [public_id]


def test_invalid_drafts_are_refused_in_japanese(cast: Cast, signed_in: SignIn) -> None:
    client = signed_in(cast.chiyoda, api=True)
    data = content_dict()
    data["facts"]["timeline"]["started"] = "2099-01-01T00:00:00+09:00"
    response = client.post(f"{BASE}/reports/", data, format="json")
    assert response.status_code == 422  # well-formed, but started after it was noticed
    assert "発生日時" in str(response.json())
    del data["facts"]["category"]
    missing = client.post(f"{BASE}/reports/", data, format="json")
    assert missing.status_code == 400
    assert "category" in missing.json()["facts"]
    data = content_dict()
    data["title"] = 7
    assert client.post(f"{BASE}/reports/", data, format="json").status_code == 400


def test_a_closed_report_is_a_conflict(cast: Cast, ciso: User, signed_in: SignIn) -> None:
    public_id = create(signed_in(cast.chiyoda, api=True), content_dict())
    submit(signed_in(ciso, api=True), public_id, final=True)
    response = signed_in(cast.chiyoda, api=True).put(
        report_url(public_id), content_dict(), format="json"
    )
    assert response.status_code == 409
    assert "再開" in response.json()["detail"]
    again = signed_in(ciso, api=True).post(report_url(public_id, "reopen/"), {"reason": "訂正"})
    assert again.json()["status"] == "draft"
    assert (
        signed_in(ciso, api=True)
        .post(report_url(public_id, "reopen/"), {"reason": "x"})
        .status_code
        == 409
    )


def test_the_client_cannot_set_the_approval_time(cast: Cast, ciso: User, signed_in: SignIn) -> None:
    data = content_dict()
    data["facts"]["timeline"]["approved"] = "2020-01-01T00:00:00+09:00"
    public_id = create(signed_in(cast.chiyoda, api=True), data)
    draft = signed_in(cast.chiyoda, api=True).get(report_url(public_id)).json()["draft"]
    assert draft["facts"]["timeline"]["approved"] is None


def test_notifications_are_personal(
    cast: Cast, ciso: User, django_capture_on_commit_callbacks: Any, signed_in: SignIn
) -> None:
    public_id = create(signed_in(cast.chiyoda, api=True), content_dict())
    with django_capture_on_commit_callbacks(execute=True):
        submit(signed_in(ciso, api=True), public_id)
    mine = results(signed_in(cast.tokyo, api=True).get(f"{BASE}/notifications/"))
    assert len(mine) == 1
    assert "千代田区" in mine[0]["text"]
    assert results(signed_in(cast.hachioji, api=True).get(f"{BASE}/notifications/")) == []
    url = f"{BASE}/notifications/{mine[0]['id']}/read/"
    assert signed_in(cast.osaka, api=True).post(url).status_code == 404
    assert signed_in(cast.tokyo, api=True).post(url).json()["read_at"] is not None


def test_the_inbox_filters_unacknowledged_items_strictly(
    cast: Cast, ciso: User, signed_in: SignIn
) -> None:
    public_id = create(signed_in(cast.chiyoda, api=True), content_dict())
    submit(signed_in(ciso, api=True), public_id)
    client = signed_in(cast.tokyo, api=True)
    (item,) = inbox(client)
    client.post(f"{BASE}/inbox/{item['id']}/acknowledge/")
    assert results(client.get(f"{BASE}/inbox/?unacknowledged=true")) == []
    assert len(results(client.get(f"{BASE}/inbox/?unacknowledged=false"))) == 1
    assert client.get(f"{BASE}/inbox/?unacknowledged=").status_code == 400
    assert client.get(f"{BASE}/inbox/?unacknowledged=yes").status_code == 400


def test_the_reporter_diffs_whole_versions(cast: Cast, ciso: User, signed_in: SignIn) -> None:
    editor = signed_in(cast.chiyoda, api=True)
    public_id = create(editor, content_dict(people=10))
    submit(signed_in(ciso, api=True), public_id)
    draft = editor.get(report_url(public_id)).json()["draft"]
    draft["sections"]["police"] = "警察に被害届を提出した。"
    draft["facts"]["personal_data"]["people"] = 12
    editor.put(report_url(public_id), draft)
    submit(signed_in(ciso, api=True), public_id)
    changes = editor.get(report_url(public_id, "diff/?from_version=1&to_version=2")).json()
    assert [c["key"] for c in changes] == ["facts.personal_data", "sections.police"]
    assert changes[1]["kind"] == "changed"
    assert changes[1]["before"] == "警察に相談済み。"
    missing = editor.get(report_url(public_id, "diff/?from_version=1&to_version=9"))
    assert missing.status_code == 404


@pytest.mark.parametrize("moment", ["9999-12-31T23:00:00+09:00", "1850-01-01T10:00:00+09:00"])
def test_a_date_outside_any_incident_is_refused_in_japanese(
    cast: Cast, signed_in: SignIn, moment: str
) -> None:
    data = content_dict()
    data["facts"]["timeline"]["aware"] = moment
    response = signed_in(cast.chiyoda, api=True).post(f"{BASE}/reports/", data, format="json")
    assert response.status_code == 422
    assert "1990年1月1日から2099年12月31日まで" in str(response.json())


def test_an_administrator_who_approves_their_own_report_is_shown_to_the_prefecture(
    cast: Cast, signed_in: SignIn, django_capture_on_commit_callbacks: Any
) -> None:
    from mamoru.orgs.models import Membership
    from mamoru.orgs.roles import Role

    # 千代田区's administrator makes itself CISO, writes a report and approves it alone.
    Membership.objects.unscoped("test").filter(user=cast.chiyoda).update(role=Role.CISO)
    author = signed_in(cast.chiyoda, api=True)
    public_id = create(author, content_dict())
    with django_capture_on_commit_callbacks(execute=True):
        submit(author, public_id)
    tokyo = signed_in(cast.tokyo, api=True)
    item = inbox(tokyo)[0]
    assert item["self_approved"] is True
    page = signed_in(cast.tokyo).get(f"/incidents/inbox/{item['id']}/").text
    assert "自分で承認しています" in page
    from mamoru.audit.models import AuditEvent

    event = AuditEvent.objects.filter(action="incidents.report.submit").latest("id")
    assert event.details["self_approved"] is True
