"""The whole flow through the API: draft → approval → 第一報 → inboxes → acknowledgement →
a question thread → 続報 → what changed → 確報."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from mamoru.accounts.models import User
from mamoru.core.testing import TOKYO, Cast
from mamoru.incidents.testing import content_dict
from mamoru.incidents.tests.api_helpers import (
    BASE,
    client_for,
    create,
    inbox,
    report_url,
    submit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("mamoru.incidents.tests.urls")]


def test_from_draft_to_final(
    cast: Cast, ciso: User, django_capture_on_commit_callbacks: Any
) -> None:
    editor, approver = client_for(cast.chiyoda), client_for(ciso)
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
    ppc_items = inbox(client_for(cast.ppc))
    assert [i["report_id"] for i in ppc_items] == [public_id]
    ppc_item = client_for(cast.ppc).get(f"{BASE}/inbox/{ppc_items[0]['id']}/").json()
    assert "personal_data" in ppc_item["content"]["sections"]
    assert "police" not in ppc_item["content"]["sections"]  # not granted to PPC
    assert "police" in ppc_item["withheld"]
    assert "police_consulted" not in ppc_item["content"]["facts"]  # police: not granted
    assert "category" in ppc_item["content"]["facts"]  # granted: the ground of 第43条第3号
    assert ppc_item["content"]["facts"]["personal_data"]["people"] == 150
    tokyo_item = inbox(client_for(cast.tokyo))[0]
    assert "category" in tokyo_item["sections"]
    detail = client_for(cast.chiyoda).get(report_url(public_id)).json()
    by_recipient = {d["recipient"]["code"]: d for d in detail["deliveries"]}
    assert set(by_recipient) == {TOKYO, "MIC", "NPA", "PPC"}
    assert by_recipient["PPC"]["final"]["timing"] == "fixed"
    assert by_recipient[TOKYO]["preliminary"]["timing"] == "promptly"
    assert by_recipient["PPC"]["final"]["due_at"] != by_recipient[TOKYO]["final"]["due_at"]
    assert len([m for m in mail.outbox if m.to == [cast.ppc.email]]) == 1

    # PPC acknowledges and asks a question; the reporter answers.
    ack = client_for(cast.ppc).post(f"{BASE}/inbox/{ppc_items[0]['id']}/acknowledge/")
    assert ack.status_code == 200
    assert ack.json()["acknowledged_at"] is not None
    thread = report_url(public_id, "threads/PPC/messages/")
    with django_capture_on_commit_callbacks(execute=True):
        asked = client_for(cast.ppc).post(thread, {"body": "暗号化の有無を教えてください。"})
    assert asked.status_code == 201
    assert (
        client_for(cast.chiyoda).post(thread, {"body": "暗号化されていません。"}).status_code == 201
    )
    bodies = [m["body"] for m in client_for(cast.ppc).get(thread).json()]
    assert bodies == ["暗号化の有無を教えてください。", "暗号化されていません。"]
    # The prefecture is not part of PPC's thread.
    assert client_for(cast.tokyo).get(thread).status_code == 404

    # 続報: more people; recipients see what changed.
    changed = content_dict(people=420, sections={"overview": "被害の範囲が広がった。"})
    assert editor.put(report_url(public_id), changed, format="json").status_code == 200
    second = submit(approver, public_id)
    assert (second["version"], second["phase"]) == (2, "interim")
    diff = client_for(cast.ppc).get(report_url(public_id, "diff/?from_version=1&to_version=2"))
    keys = {c["key"]: c for c in diff.json()}
    assert keys["facts.personal_data"]["after"]["people"] == 420
    assert keys["sections.overview"]["after"] == "被害の範囲が広がった。"
    assert "sections.police" not in keys  # removed, but PPC never saw it

    # 確報 closes the report.
    final = submit(approver, public_id, final=True)
    assert final["phase"] == "final"
    assert client_for(cast.chiyoda).get(report_url(public_id)).json()["status"] == "closed"
    assert [i["version"] for i in inbox(client_for(cast.ppc))] == [3, 2, 1]
    listed = client_for(cast.chiyoda).get(f"{BASE}/reports/").json()
    assert [r["public_id"] for r in listed] == [public_id]


def test_invalid_drafts_are_refused_in_japanese(cast: Cast) -> None:
    client = client_for(cast.chiyoda)
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


def test_a_closed_report_is_a_conflict(cast: Cast, ciso: User) -> None:
    public_id = create(client_for(cast.chiyoda), content_dict())
    submit(client_for(ciso), public_id, final=True)
    response = client_for(cast.chiyoda).put(report_url(public_id), content_dict(), format="json")
    assert response.status_code == 409
    assert "再開" in response.json()["detail"]
    again = client_for(ciso).post(report_url(public_id, "reopen/"), {"reason": "訂正"})
    assert again.json()["status"] == "draft"
    assert (
        client_for(ciso).post(report_url(public_id, "reopen/"), {"reason": "x"}).status_code == 409
    )


def test_the_client_cannot_set_the_approval_time(cast: Cast, ciso: User) -> None:
    data = content_dict()
    data["facts"]["timeline"]["approved"] = "2020-01-01T00:00:00+09:00"
    public_id = create(client_for(cast.chiyoda), data)
    draft = client_for(cast.chiyoda).get(report_url(public_id)).json()["draft"]
    assert draft["facts"]["timeline"]["approved"] is None


def test_notifications_are_personal(
    cast: Cast, ciso: User, django_capture_on_commit_callbacks: Any
) -> None:
    public_id = create(client_for(cast.chiyoda), content_dict())
    with django_capture_on_commit_callbacks(execute=True):
        submit(client_for(ciso), public_id)
    mine = client_for(cast.tokyo).get(f"{BASE}/notifications/").json()
    assert len(mine) == 1
    assert "千代田区" in mine[0]["text"]
    assert client_for(cast.hachioji).get(f"{BASE}/notifications/").json() == []
    url = f"{BASE}/notifications/{mine[0]['id']}/read/"
    assert client_for(cast.osaka).post(url).status_code == 404
    assert client_for(cast.tokyo).post(url).json()["read_at"] is not None


def test_the_inbox_filters_unacknowledged_items_strictly(cast: Cast, ciso: User) -> None:
    public_id = create(client_for(cast.chiyoda), content_dict())
    submit(client_for(ciso), public_id)
    client = client_for(cast.tokyo)
    (item,) = inbox(client)
    client.post(f"{BASE}/inbox/{item['id']}/acknowledge/")
    assert client.get(f"{BASE}/inbox/?unacknowledged=true").json() == []
    assert len(client.get(f"{BASE}/inbox/?unacknowledged=false").json()) == 1
    assert client.get(f"{BASE}/inbox/?unacknowledged=").status_code == 400
    assert client.get(f"{BASE}/inbox/?unacknowledged=yes").status_code == 400


def test_the_reporter_diffs_whole_versions(cast: Cast, ciso: User) -> None:
    editor = client_for(cast.chiyoda)
    public_id = create(editor, content_dict(people=10))
    submit(client_for(ciso), public_id)
    draft = editor.get(report_url(public_id)).json()["draft"]
    draft["sections"]["police"] = "警察に被害届を提出した。"
    draft["facts"]["personal_data"]["people"] = 12
    editor.put(report_url(public_id), draft)
    submit(client_for(ciso), public_id)
    changes = editor.get(report_url(public_id, "diff/?from_version=1&to_version=2")).json()
    assert [c["key"] for c in changes] == ["facts.personal_data", "sections.police"]
    assert changes[1]["kind"] == "changed"
    assert changes[1]["before"] == "警察に相談済み。"
    missing = editor.get(report_url(public_id, "diff/?from_version=1&to_version=9"))
    assert missing.status_code == 404
