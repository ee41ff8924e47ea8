"""Filing a report in short steps: the start page, each step, autosave, the task list, the
check-your-answers page and the request for approval, as a person without training
meets them."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from mamoru.accounts.models import User
from mamoru.audit.models import AuditEvent
from mamoru.incidents.models import IncidentReport, NotificationKind, ReportStatus
from mamoru.incidents.tests.factories import draft_report
from mamoru.incidents.ui.steps import STEPS
from mamoru.orgs.models import Membership
from mamoru.orgs.principal import System
from mamoru.orgs.roles import Role
from mamoru.orgs.services import organisation_contact_update
from mamoru.testing import CHIYODA, TOKYO, Cast, SignIn

pytestmark = pytest.mark.django_db

BASE = "/incidents"
FIRST = {"category": "ransomware", "aware_date": "2026-01-05", "aware_time": "09:30"}


def start_report(client: Client, **data: Any) -> IncidentReport:
    response = client.post(f"{BASE}/reports/new/", {**FIRST, **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    return IncidentReport.objects.get()


def step_url(report: IncidentReport, step: str, suffix: str = "") -> str:
    return f"{BASE}/reports/{report.public_id}/steps/{step}/{suffix}"


# --- the start page ---------------------------------------------------------------------------


def test_the_start_page_says_what_to_do_first_and_whom_to_call(
    cast: Cast, signed_in: SignIn
) -> None:
    organisation_contact_update(
        principal=System("test"),
        organisation=cast.org(TOKYO),
        desk="東京都CSIRT",
        phone="03-5388-0000",
    )
    page = signed_in(cast.chiyoda).get(f"{BASE}/start/").text
    assert 'href="/incidents/reports/new/"' in page
    assert "LANケーブルを抜き" in page  # isolate
    assert "ログを消さない" in page or "ファイルやログを消さない" in page  # keep the logs
    assert "東京都CSIRT" in page
    assert 'href="tel:03-5388-0000"' in page


def test_every_local_government_home_page_leads_to_the_start_page(
    cast: Cast, signed_in: SignIn
) -> None:
    for user in (cast.chiyoda, cast.chiyoda_viewer, cast.tokyo):
        home = signed_in(user).get("/").text
        assert 'href="/incidents/start/"' in home, user
    assert 'href="/incidents/start/"' not in signed_in(cast.ppc).get("/").text


def test_a_viewer_sees_the_checklist_but_no_button(cast: Cast, signed_in: SignIn) -> None:
    page = signed_in(cast.chiyoda_viewer).get(f"{BASE}/start/").text
    assert "LANケーブルを抜き" in page
    assert 'id="start-report"' not in page


# --- the first step creates the report ---------------------------------------------------------


def test_the_first_step_creates_the_report_with_its_number_and_a_title(
    cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda)
    response = client.post(f"{BASE}/reports/new/", FIRST)
    report = IncidentReport.objects.get()
    assert response["Location"] == step_url(report, "overview")
    assert re.fullmatch(rf"\d{{4}}-{CHIYODA}-0001", report.number or "")
    assert report.title == "ランサムウェア（2026年1月5日に認知）"
    assert report.draft["facts"]["timeline"]["aware"] == "2026-01-05T09:30:00+09:00"
    assert report.steps_done == ["incident"]
    second = client.post(f"{BASE}/reports/new/", FIRST)
    assert second.status_code == 302
    assert IncidentReport.objects.order_by("pk").last().number.endswith("-0002")  # type: ignore[union-attr]


def test_a_date_alone_is_taken_as_the_start_of_that_day_and_said_so(
    cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda)
    response = client.post(f"{BASE}/reports/new/", {**FIRST, "aware_time": ""}, follow=True)
    report = IncidentReport.objects.get()
    assert report.draft["facts"]["timeline"]["aware"] == "2026-01-05T00:00:00+09:00"
    assert "時刻が空欄のため、その日の0:00として保存しました" in response.text


def test_errors_are_summarised_and_linked_with_the_format_shown(
    cast: Cast, signed_in: SignIn
) -> None:
    response = signed_in(cast.chiyoda).post(
        f"{BASE}/reports/new/", {"aware_date": "5/1/2026", "aware_time": "9時半"}
    )
    assert response.status_code == 400
    html = response.text
    assert html.index('id="error-summary"') < html.index('class="step-form"')
    assert 'href="#id_category_0"' in html
    assert "年-月-日 の形で入力してください" in html
    assert "24時間の 時:分 の形で入力してください" in html
    assert "日付はカレンダーで選ぶか、2026-01-05 の形で入力します" in html
    assert not IncidentReport.objects.exists()


def test_the_now_button_works_without_script(cast: Cast, signed_in: SignIn) -> None:
    response = signed_in(cast.chiyoda).post(
        f"{BASE}/reports/new/", {"category": "ransomware", "now": "aware"}
    )
    assert response.status_code == 200
    assert re.search(r'name="aware_date" value="\d{4}-\d{2}-\d{2}"', response.text)
    assert re.search(r'name="aware_time" value="\d{2}:\d{2}"', response.text)
    assert 'value="ransomware"' in response.text
    assert not IncidentReport.objects.exists()  # filled in, not saved


def test_every_choice_is_explained_in_plain_words(cast: Cast, signed_in: SignIn) -> None:
    client = signed_in(cast.chiyoda)
    first = client.get(f"{BASE}/reports/new/").text
    assert "ファイルが暗号化されて開けない" in first  # ransomware, said plainly
    report = start_report(client)
    severity = client.get(step_url(report, "severity")).text
    assert "100人を超える個人情報が漏れた" in severity  # the threshold of 重大
    systems = client.get(step_url(report, "systems")).text
    assert "三層の対策" in systems
    assert "住民記録・税・福祉など" in systems
    sharing = client.get(step_url(report, "sharing")).text
    for level in ("だれに見せても", "機関の間で共有", "必要な人だけ", "委託先などには渡しません"):
        assert level in sharing
    assert "受け取った担当者だけが読めます" in sharing


def test_no_question_is_asked_twice(cast: Cast, signed_in: SignIn) -> None:
    client = signed_in(cast.chiyoda)
    report = start_report(client)
    labels: list[str] = []
    for step in STEPS:
        if step.key in ("personal_details", "my_number"):
            continue
        page = client.get(step_url(report, step.key)).text
        # Questions, not the choices repeated under each one (はい/いいえ, TLP levels, the
        # recipients of each TLP:RED section) nor the date and time boxes of each moment.
        labels += re.findall(r"<legend>([^<]+)", page)
        labels += re.findall(r'<label for="id_(?!red_|tlp_)[a-z_]+"[^>]*>([^<]+)', page)
    ignored = {"日付", "時刻（分からなければ空欄）"}
    questions = [label.strip() for label in labels if label.strip() not in ignored]
    twice = {q for q in questions if questions.count(q) > 1}
    assert twice == set()
    others = client.get(step_url(report, "others")).text
    assert others.count("警察") >= 1
    assert "警察への相談" not in others  # the old duplicate label


def test_each_step_saves_and_leads_to_the_next_then_the_check_page(
    cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda)
    report = start_report(client)
    response = client.post(
        step_url(report, "overview"),
        {"text_overview": "ファイルが暗号化された。", "title": "庁内サーバーの暗号化"},
    )
    assert response["Location"] == step_url(report, "severity")
    response = client.post(step_url(report, "severity"), {"severity": "high", "serious": "yes"})
    assert response["Location"] == step_url(report, "systems")
    response = client.post(
        step_url(report, "personal"),
        {"involved": "yes", "kinds": "氏名、住所", "people": "", "go": "check"},
    )
    assert response["Location"] == f"{BASE}/reports/{report.public_id}/check/"
    report.refresh_from_db()
    assert report.title == "庁内サーバーの暗号化"
    assert report.draft["facts"]["serious"] is True
    assert report.draft["facts"]["personal_data"]["people"] is None
    assert report.steps_done == ["incident", "overview", "severity", "personal"]
    tasks = client.get(f"{BASE}/reports/{report.public_id}/tasks/").text
    assert "済み" in tasks
    assert 'max="12"' in tasks  # personal data now applies: its details step counts


def test_a_timeline_out_of_order_is_refused_in_japanese(cast: Cast, signed_in: SignIn) -> None:
    client = signed_in(cast.chiyoda)
    report = start_report(client)
    response = client.post(
        step_url(report, "timeline"), {"started_date": "2026-01-06", "started_time": "09:00"}
    )
    assert response.status_code == 400
    assert "発生日時は認知日時より後にできません" in response.text


def test_a_late_determination_is_warned_about_on_its_step(cast: Cast, signed_in: SignIn) -> None:
    client = signed_in(cast.chiyoda)
    report = start_report(client)
    client.post(step_url(report, "timeline"), {"determined_date": "2026-01-20"})
    page = client.get(step_url(report, "timeline")).text
    assert "上司やCISOが判断した日時ではありません" in page
    assert 'class="notice notice--warning"' in page


def test_autosave_saves_without_finishing_the_step_and_says_so(
    cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda)
    report = start_report(client)
    url = step_url(report, "overview", "autosave/")
    saved = client.post(url, {"text_overview": "途中まで", "title": "件名"}, HTTP_HX_REQUEST="true")
    assert "自動保存しました" in saved.text
    assert "<html" not in saved.text  # a fragment for htmx
    again = client.post(url, {"text_overview": "途中まで", "title": "件名"}, HTTP_HX_REQUEST="true")
    assert "自動保存しました" in again.text
    report.refresh_from_db()
    assert report.draft["sections"]["overview"] == "途中まで"
    assert "overview" not in report.steps_done
    updates = AuditEvent.objects.filter(action="incidents.report.update").count()
    assert updates == 1  # saving the same text again records nothing
    refused = client.post(url, {"text_overview": "x", "title": ""}, HTTP_HX_REQUEST="true")
    assert "まだ保存していません" in refused.text
    page = client.get(step_url(report, "overview")).text
    assert 'hx-post="' in page
    assert "<script>" not in page


def test_the_contact_step_starts_from_the_person_filling_it_in(
    cast: Cast, signed_in: SignIn
) -> None:
    cast.chiyoda.display_name = "山田 太郎"
    cast.chiyoda.save()
    client = signed_in(cast.chiyoda)
    report = start_report(client)
    page = client.get(step_url(report, "contact")).text
    assert 'value="山田 太郎"' in page
    assert f'value="{cast.chiyoda.email}"' in page


# --- check your answers, then approval ---------------------------------------------------------


def test_the_check_page_shows_answers_recipients_and_no_internal_code(
    cast: Cast, ciso: User, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda)
    report = start_report(client)
    client.post(step_url(report, "personal"), {"involved": "yes", "kinds": "氏名"})
    page = client.get(f"{BASE}/reports/{report.public_id}/check/").text
    assert "ランサムウェア" in page
    assert 'href="' + step_url(report, "personal") + '"' in page  # 変更
    assert "個人情報保護委員会" in page
    assert "本人の数が未入力のため" in page  # content_warnings
    assert "本人への通知も必要です" in page
    assert "2025-07-01r" not in page
    assert "警察庁は、まだmamoruで報告を受け取っていません" in page  # nobody on the platform
    assert "chiyoda_ciso" in page  # who will be asked
    assert 'id="send-for-approval"' in page


def test_sending_for_approval_tells_the_ciso_and_the_deputy_at_once_with_a_direct_link(
    cast: Cast, ciso: User, signed_in: SignIn, django_capture_on_commit_callbacks: Any
) -> None:
    deputy = cast.chiyoda_viewer
    Membership.objects.filter(user=deputy).update(role=Role.EDITOR)
    client = signed_in(cast.chiyoda)
    response = client.post(
        f"{BASE}/approvers/",
        {"user": deputy.pk, "date": "2099-01-01", "reason": "CISOの出張"},
    )
    assert response.status_code == 400  # more than 90 days ahead: refused in Japanese
    assert "90日以内" in response.text
    soon = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        f"{BASE}/approvers/", {"user": deputy.pk, "date": soon, "reason": "CISOの出張"}
    )
    assert response.status_code == 302
    report = start_report(client)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/reports/{report.public_id}/request-approval/", follow=True)
    assert "にメールとmamoruの通知で知らせました" in response.text
    report.refresh_from_db()
    assert report.status == ReportStatus.AWAITING_APPROVAL
    told = {m.to[0] for m in mail.outbox}
    assert told == {ciso.email, deputy.email}
    assert f"/incidents/reports/{report.public_id}/approve/" in mail.outbox[0].body
    notes = ciso.incident_notifications.filter(kind=NotificationKind.APPROVAL_REQUESTED)
    assert notes.get().link == f"/incidents/reports/{report.public_id}/approve/"
    approve = signed_in(deputy).post(
        f"{BASE}/reports/{report.public_id}/approve/", {"final": "interim"}
    )
    assert approve["Location"] == f"{BASE}/reports/{report.public_id}/sent/"
    event = AuditEvent.objects.get(action="incidents.report.submit")
    assert event.details["as_deputy"] is True


def test_a_village_without_a_ciso_is_told_before_it_asks(cast: Cast, signed_in: SignIn) -> None:
    report = draft_report(cast.chiyoda)
    page = signed_in(cast.chiyoda).get(f"{BASE}/reports/{report.public_id}/check/").text
    assert "報告を承認できる人（CISO又は代理者）が登録されていません" in page
