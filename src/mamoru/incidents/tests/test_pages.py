"""The incident pages: the reporter's form and approval, the recipients' inbox, exports,
statistics and notifications, each refusing whoever the gate refuses."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from mamoru.accounts.models import User
from mamoru.incidents import services
from mamoru.incidents.models import Delivery, IncidentReport, ReportStatus, Submission
from mamoru.incidents.routing import Category
from mamoru.incidents.testing import content_dict, principal
from mamoru.testing import TOKYO, Cast, SignIn

pytestmark = pytest.mark.django_db

CAUSE = "VPN装置の脆弱性を悪用された可能性がある。"
BASE = "/incidents"


def red_cause_content(people: int = 101, **fields: Any) -> dict[str, Any]:
    data = content_dict(people=people, **fields)
    data["section_tlp"] = {"cause": "red"}
    data["red_recipients"] = {"cause": ["PPC"]}
    return data


def submit(cast: Cast, ciso: User, data: dict[str, Any], *, final: bool = False) -> str:
    report = services.report_create(principal=principal(cast.chiyoda), content=data)
    services.report_approve_and_submit(report=report, principal=principal(ciso), final=final)
    return str(report.public_id)


@pytest.fixture
def sent(cast: Cast, ciso: User) -> dict[str, Any]:
    """千代田区's report of 101 people's data, its cause TLP:RED for PPC only, submitted."""
    public_id = submit(cast, ciso, red_cause_content())
    deliveries = {
        d.recipient.code: d.pk for d in Delivery.objects.filter(report__public_id=public_id)
    }
    return {"public_id": public_id, "deliveries": deliveries}


# --- the reporter's pages (the steps of the form: test_pages_steps) ------------------------


@pytest.mark.parametrize("who", ["chiyoda_viewer", "ppc", "nation"])
def test_people_who_may_not_report_are_refused_the_form(
    cast: Cast, who: str, signed_in: SignIn
) -> None:
    data = {"category": "malware", "aware_date": "2026-01-05", "aware_time": "09:30"}
    response = signed_in(getattr(cast, who)).post(f"{BASE}/reports/new/", data)
    assert response.status_code == 403
    assert not IncidentReport.objects.exists()


def test_only_the_ciso_approves_and_submits(cast: Cast, ciso: User, signed_in: SignIn) -> None:
    report = services.report_create(principal=principal(cast.chiyoda), content=red_cause_content())
    url = f"{BASE}/reports/{report.public_id}/approve/"
    assert signed_in(cast.chiyoda).get(url).status_code == 403
    page = signed_in(ciso).get(url)
    assert page.status_code == 200
    assert "第一報（分かっていることだけで早く知らせる）" in page.text
    assert "個人情報保護委員会" in page.text
    assert "東京都" in page.text
    response = signed_in(ciso).post(url, {"final": "interim"})
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/reports/{report.public_id}/sent/"
    submission = Submission.objects.get(report=report)
    assert (submission.version, submission.phase) == (1, "preliminary")
    detail = signed_in(ciso).get(f"{BASE}/reports/{report.public_id}/").text
    assert "第1版（第一報）" in detail
    assert "未確認" in detail


def test_the_final_report_closes_it_and_the_reporter_may_reopen(
    cast: Cast, ciso: User, signed_in: SignIn
) -> None:
    public_id = submit(cast, ciso, red_cause_content())
    client = signed_in(ciso)
    client.post(f"{BASE}/reports/{public_id}/approve/", {"final": "final"})
    report = IncidentReport.objects.get(public_id=public_id)
    assert report.status == ReportStatus.CLOSED
    assert "報告を再開する" in client.get(f"{BASE}/reports/{public_id}/").text
    client.post(f"{BASE}/reports/{public_id}/reopen/", {"reason": "新たな被害が判明"})
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_the_list_shows_status_and_next_deadline_per_recipient(
    cast: Cast, sent: dict[str, Any], signed_in: SignIn
) -> None:
    Delivery.objects.filter(recipient__code="PPC").update(
        next_due_at=timezone.now() + timedelta(hours=5)
    )
    page = signed_in(cast.chiyoda).get(f"{BASE}/reports/").text
    report = IncidentReport.objects.get(public_id=sent["public_id"])
    assert "住民情報システムへの不正アクセス" in page
    assert "提出済み" in page
    assert report.number in page
    assert "個人情報保護委員会への確報:" in page  # due within two days
    assert 'id="list-deadlines"' in page
    assert "住民情報システム" not in signed_in(cast.hachioji).get(f"{BASE}/reports/").text


def test_an_overdue_recipient_is_highlighted_for_the_reporter(
    cast: Cast, sent: dict[str, Any], signed_in: SignIn
) -> None:
    Delivery.objects.filter(recipient__code="PPC").update(
        next_due_at=timezone.now() - timedelta(days=1)
    )
    page = signed_in(cast.chiyoda).get(f"{BASE}/reports/{sent['public_id']}/").text
    assert 'class="recipient recipient--overdue" id="recipient-PPC"' in page
    assert "報告の期限を過ぎています" in page  # the banner at the top
    assert "期限切れ" in page


# --- the recipients' pages ----------------------------------------------------------------


def test_ppc_sees_the_red_cause_and_tokyo_does_not(
    cast: Cast, sent: dict[str, Any], signed_in: SignIn
) -> None:
    ppc = signed_in(cast.ppc).get(f"{BASE}/inbox/{sent['deliveries']['PPC']}/").text
    tokyo = signed_in(cast.tokyo).get(f"{BASE}/inbox/{sent['deliveries'][TOKYO]}/").text
    assert CAUSE in ppc
    assert CAUSE not in tokyo
    assert "この団体には開示されていない項目" in tokyo
    assert "原因" in tokyo


def test_the_inbox_lists_unacknowledged_and_overdue_first(
    cast: Cast, ciso: User, sent: dict[str, Any], signed_in: SignIn
) -> None:
    older = submit(cast, ciso, red_cause_content())
    first = Delivery.objects.get(report__public_id=older, recipient__code="PPC")
    services.delivery_acknowledge(delivery=first, principal=principal(cast.ppc))
    Delivery.objects.filter(pk=sent["deliveries"]["PPC"]).update(
        next_due_at=timezone.now() - timedelta(hours=1)
    )
    page = signed_in(cast.ppc).get(f"{BASE}/inbox/").text
    rows = page.split("<tbody>")[1].split("</tr>")
    assert f"/inbox/{sent['deliveries']['PPC']}/" in rows[0]
    assert 'class="row--overdue"' in rows[0]
    assert f"/inbox/{first.pk}/" in rows[1]


def test_the_inbox_counts_a_report_overdue_once_not_per_version_received(
    cast: Cast, ciso: User, sent: dict[str, Any], signed_in: SignIn
) -> None:
    report = IncidentReport.objects.get(public_id=sent["public_id"])
    report = services.report_update_draft(
        report=report, principal=principal(ciso), content=red_cause_content(people=102)
    )
    services.report_approve_and_submit(report=report, principal=principal(ciso))
    Delivery.objects.filter(report=report).update(next_due_at=timezone.now() - timedelta(hours=1))
    page = signed_in(cast.ppc).get(f"{BASE}/inbox/").text
    rows = page.split("<tbody>")[1].split("</tr>")
    overdue = [row for row in rows if 'class="row--overdue"' in row]
    assert len(overdue) == 1
    assert f"/inbox/{sent['deliveries']['PPC']}/" not in overdue[0]


def test_acknowledging_and_the_question_thread(
    cast: Cast, sent: dict[str, Any], signed_in: SignIn
) -> None:
    pk = sent["deliveries"]["PPC"]
    ppc = signed_in(cast.ppc)
    assert ppc.post(f"{BASE}/inbox/{pk}/acknowledge/").status_code == 302
    assert Delivery.objects.get(pk=pk).acknowledged_at is not None
    ppc.post(f"{BASE}/inbox/{pk}/messages/", {"body": "本人への通知はいつ行いますか。"})
    reporter = signed_in(cast.chiyoda)
    detail = reporter.get(f"{BASE}/reports/{sent['public_id']}/").text
    assert "本人への通知はいつ行いますか。" in detail
    assert "確認済み" in detail
    reporter.post(
        f"{BASE}/reports/{sent['public_id']}/threads/PPC/", {"body": "明日郵送で通知します。"}
    )
    assert "明日郵送で通知します。" in ppc.get(f"{BASE}/inbox/{pk}/").text
    tokyo_thread = signed_in(cast.tokyo).get(f"{BASE}/inbox/{sent['deliveries'][TOKYO]}/")
    assert "明日郵送で通知します。" not in tokyo_thread.text


def test_a_recipient_sees_what_changed_since_the_previous_version(
    cast: Cast, ciso: User, sent: dict[str, Any], signed_in: SignIn
) -> None:
    report = IncidentReport.objects.get(public_id=sent["public_id"])
    changed = red_cause_content(people=250)
    changed["sections"]["actions"] = "全職員のパスワードを変更した。"
    services.report_update_draft(report=report, principal=principal(cast.chiyoda), content=changed)
    services.report_approve_and_submit(report=report, principal=principal(ciso))
    second = Delivery.objects.get(report=report, recipient__code=TOKYO, current=True)
    page = signed_in(cast.tokyo).get(f"{BASE}/inbox/{second.pk}/").text
    assert "前の版からの変更" in page
    assert "対応状況・再発防止策" in page
    assert "個人情報" in page


@pytest.mark.parametrize("fmt", ["pdf", "csv", "stix", "ppc"])
def test_exports_are_exactly_the_viewers_view(
    cast: Cast, sent: dict[str, Any], fmt: str, signed_in: SignIn
) -> None:
    if fmt == "pdf":
        pytest.importorskip("weasyprint")
    tokyo = signed_in(cast.tokyo).get(f"{BASE}/inbox/{sent['deliveries'][TOKYO]}/export/{fmt}/")
    ppc = signed_in(cast.ppc).get(f"{BASE}/inbox/{sent['deliveries']['PPC']}/export/{fmt}/")
    mine = signed_in(cast.chiyoda).get(
        f"{BASE}/reports/{sent['public_id']}/versions/1/export/{fmt}/"
    )
    for response in (tokyo, ppc, mine):
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
    if fmt != "pdf":  # PDF text is compressed; the exporters' own tests extract it
        assert CAUSE not in tokyo.content.decode()
        assert CAUSE in ppc.content.decode()
        assert CAUSE in mine.content.decode()


def test_an_unknown_export_format_is_404(
    cast: Cast, sent: dict[str, Any], signed_in: SignIn
) -> None:
    url = f"{BASE}/inbox/{sent['deliveries'][TOKYO]}/export/docx/"
    assert signed_in(cast.tokyo).get(url).status_code == 404


# --- refusals across tenants --------------------------------------------------------------


def object_urls(sent: dict[str, Any], delivery: int) -> list[tuple[str, str]]:
    report = f"{BASE}/reports/{sent['public_id']}"
    return [
        ("get", f"{report}/"),
        ("get", f"{report}/edit/"),
        ("get", f"{report}/tasks/"),
        ("get", f"{report}/steps/overview/"),
        ("post", f"{report}/steps/overview/"),
        ("post", f"{report}/steps/overview/autosave/"),
        ("get", f"{report}/check/"),
        ("get", f"{report}/sent/"),
        ("get", f"{report}/compare/"),
        ("post", f"{report}/notice/"),
        ("post", f"{report}/outside/NPA/"),
        ("post", f"{report}/request-approval/"),
        ("get", f"{report}/approve/"),
        ("post", f"{report}/approve/"),
        ("post", f"{report}/reopen/"),
        ("post", f"{report}/threads/{TOKYO}/"),
        ("get", f"{report}/versions/1/export/csv/"),
        ("get", f"{BASE}/inbox/{delivery}/"),
        ("post", f"{BASE}/inbox/{delivery}/acknowledge/"),
        ("post", f"{BASE}/inbox/{delivery}/messages/"),
        ("get", f"{BASE}/inbox/{delivery}/export/csv/"),
    ]


@pytest.mark.parametrize("who", ["hachioji", "osaka_city", "osaka", "outsider", "nation", "ppc"])
def test_others_get_404_for_every_object_page(
    cast: Cast, ciso: User, sent: dict[str, Any], who: str, signed_in: SignIn
) -> None:
    # 東京都's delivery: MIC and PPC received the report too, but not this delivery.
    client = signed_in(getattr(cast, who))
    for method, url in object_urls(sent, sent["deliveries"][TOKYO]):
        response = getattr(client, method)(url, {"body": "x", "reason": "x", "final": "final"})
        expected = (403,) if who == "outsider" else (404,)
        assert response.status_code in expected, f"{who} {method} {url}"
    assert Delivery.objects.get(pk=sent["deliveries"][TOKYO]).acknowledged_at is None
    assert Submission.objects.filter(report__public_id=sent["public_id"]).count() == 1


def test_a_recipient_not_addressed_gets_nothing(cast: Cast, ciso: User, signed_in: SignIn) -> None:
    """A leak of 50 people that is no attack: no report to PPC, so PPC's staff learn
    nothing of it."""
    public_id = submit(cast, ciso, red_cause_content(people=50, category=Category.DATA_LEAK))
    assert not Delivery.objects.filter(report__public_id=public_id, recipient__code="PPC").exists()
    ppc = signed_in(cast.ppc)
    tokyo = Delivery.objects.get(report__public_id=public_id, recipient__code=TOKYO)
    for method, url in object_urls({"public_id": public_id}, tokyo.pk):
        assert getattr(ppc, method)(url).status_code == 404, url
    assert "住民情報システム" not in ppc.get(f"{BASE}/inbox/").text
    assert "住民情報システム" not in ppc.get(f"{BASE}/notifications/").text


def test_anonymous_people_are_sent_to_the_login_page() -> None:
    response = Client().get(f"{BASE}/inbox/")
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


# --- statistics, notifications and the home page ------------------------------------------


def test_statistics_suppress_small_counts_with_an_explanation(
    cast: Cast, sent: dict[str, Any], signed_in: SignIn
) -> None:
    page = signed_in(cast.nation).get(f"{BASE}/statistics/").text
    assert "5件未満" in page
    assert "どの団体の報告か推測できてしまうため" in page
    assert "千代田区" not in page.split("<main")[1]


def test_notifications_are_listed_and_marked_read(
    cast: Cast, sent: dict[str, Any], signed_in: SignIn
) -> None:
    client = signed_in(cast.ppc)
    page = client.get(f"{BASE}/notifications/").text
    assert "千代田区からインシデント報告（第一報・第1版）が届きました。" in page
    notification = cast.ppc.incident_notifications.get()
    response = client.post(
        f"{BASE}/notifications/{notification.pk}/read/", {"next": notification.link}
    )
    assert response["Location"] == notification.link
    notification.refresh_from_db()
    assert notification.read_at is not None
    other = signed_in(cast.tokyo).post(f"{BASE}/notifications/{notification.pk}/read/")
    assert other.status_code == 404


def test_the_home_page_tells_the_ciso_what_waits(cast: Cast, ciso: User, signed_in: SignIn) -> None:
    report = services.report_create(principal=principal(cast.chiyoda), content=red_cause_content())
    services.report_request_approval(report=report, principal=principal(cast.chiyoda))
    page = signed_in(ciso).get("/").text
    assert "承認を待っているインシデント報告があります（1件）" in page
    # The item links to the approval page of the report itself.
    assert f'href="/incidents/reports/{report.public_id}/approve/"' in page
    assert "承認を待っている" not in signed_in(cast.hachioji).get("/").text
