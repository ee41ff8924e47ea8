"""After submission: what went where, recipients with nobody on the platform, the notice
to individuals, comparing versions, deadlines on every page; and the recipients' inbox
(filters, sorting, bulk acknowledgement) and statistics as charts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mamoru.accounts.models import User
from mamoru.audit.models import AuditEvent
from mamoru.incidents import services
from mamoru.incidents.models import Delivery, IncidentReport, OutsideReport
from mamoru.incidents.routing import Category, Severity
from mamoru.incidents.testing import add_member, content_dict, principal
from mamoru.incidents.tests.factories import draft_report, submitted_report
from mamoru.orgs.principal import System
from mamoru.orgs.services import organisation_contact_update
from mamoru.testing import CHIYODA, OSAKA_CITY, TOKYO, Cast, SignIn

pytestmark = pytest.mark.django_db

BASE = "/incidents"


@pytest.fixture
def ransomware(cast: Cast, ciso: User) -> IncidentReport:
    """千代田区's ransomware case with 101 people's data: PPC, the police (NPA, nobody on
    the platform), 東京都 and 総務省 receive it."""
    return submitted_report(
        cast.chiyoda, ciso, category=Category.RANSOMWARE, people=101, serious=True
    )


def test_the_sent_page_says_what_went_where_and_who_must_still_be_called(
    cast: Cast, ransomware: IncidentReport, signed_in: SignIn
) -> None:
    organisation_contact_update(
        principal=System("test"), organisation=cast.org("NPA"), phone="03-3581-0141"
    )
    page = signed_in(cast.chiyoda).get(f"{BASE}/reports/{ransomware.public_id}/sent/").text
    assert "第1版（第一報）を提出しました" in page
    assert ransomware.number in page  # the short number, beside the UUID elsewhere
    assert 'id="sent-PPC"' in page
    assert 'id="sent-NPA"' in page
    assert "mamoruを使っていません" in page
    assert 'href="tel:03-3581-0141"' in page
    assert "mamoruで届きました" in page


def test_the_reporter_records_telling_the_police_by_phone(
    cast: Cast, ransomware: IncidentReport, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda)
    url = f"{BASE}/reports/{ransomware.public_id}/outside/NPA/"
    earlier = timezone.localtime() - timedelta(minutes=30)
    response = client.post(
        url,
        {
            "NPA-method": "phone",
            "NPA-date": earlier.date().isoformat(),
            "NPA-time": earlier.strftime("%H:%M"),
            "NPA-contact_person": "サイバー犯罪相談窓口 佐藤",
            "back": "sent",
        },
    )
    assert response["Location"] == f"{BASE}/reports/{ransomware.public_id}/sent/"
    assert "警察庁に伝えたことを記録しました" in client.get(response["Location"]).text
    record = OutsideReport.objects.get()
    assert (record.recipient.code, record.version, record.method) == ("NPA", 1, "phone")
    assert AuditEvent.objects.filter(action="incidents.outside.record").exists()
    detail = client.get(f"{BASE}/reports/{ransomware.public_id}/").text
    assert "伝えた" in detail
    assert "サイバー犯罪相談窓口 佐藤" in detail
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    client.post(url, {"NPA-method": "phone", "NPA-date": future, "NPA-time": "10:00"})
    assert OutsideReport.objects.count() == 1  # a moment to come is refused


def test_the_detail_page_shows_the_notice_duty_and_records_it(
    cast: Cast, ransomware: IncidentReport, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda)
    page = client.get(f"{BASE}/reports/{ransomware.public_id}/").text
    assert 'id="notice"' in page
    assert "個人情報保護法第68条第2項" in page
    assert "未記録" in page
    client.post(
        f"{BASE}/reports/{ransomware.public_id}/notice/",
        {"status": "done", "note": "1月8日に101人へ郵送"},
    )
    ransomware.refresh_from_db()
    assert ransomware.individual_notice_status == "done"
    refused = client.post(f"{BASE}/reports/{ransomware.public_id}/notice/", {"status": "exempt"})
    assert refused.status_code == 302
    ransomware.refresh_from_db()
    assert ransomware.individual_notice_status == "done"  # exempt needs a note


def test_the_detail_page_reads_every_thread_in_one_audited_read(
    cast: Cast, ransomware: IncidentReport, signed_in: SignIn
) -> None:
    before = AuditEvent.objects.filter(action="incidents.thread.read").count()
    page = signed_in(cast.chiyoda).get(f"{BASE}/reports/{ransomware.public_id}/").text
    assert 'id="thread-PPC"' in page
    assert f'id="thread-{TOKYO}"' in page
    assert 'id="thread-NPA"' not in page  # nobody there to answer
    assert AuditEvent.objects.filter(action="incidents.thread.read").count() == before + 1
    assert ransomware.number in page
    assert str(ransomware.public_id) in page


def test_the_reporter_compares_two_versions(
    cast: Cast, ciso: User, ransomware: IncidentReport, signed_in: SignIn
) -> None:
    changed = content_dict(category=Category.RANSOMWARE, people=250, serious=True)
    changed["sections"]["actions"] = "全職員のパスワードを変更した。"
    services.report_update_draft(
        report=ransomware, principal=principal(cast.chiyoda), content=changed
    )
    services.report_approve_and_submit(report=ransomware, principal=principal(ciso))
    page = (
        signed_in(cast.chiyoda)
        .get(f"{BASE}/reports/{ransomware.public_id}/compare/?from_version=1&to_version=2")
        .text
    )
    assert "対応状況・再発防止策" in page
    assert "全職員のパスワードを変更した。" in page
    assert "本人の数: 101人" in page
    assert "本人の数: 250人" in page


def test_an_overdue_first_report_is_flagged_on_the_report_the_list_the_home_and_approval(
    cast: Cast, ciso: User, signed_in: SignIn
) -> None:
    aware = timezone.now() - timedelta(days=3)
    report = draft_report(cast.chiyoda, serious=True, aware=aware)
    client = signed_in(cast.chiyoda)
    detail = client.get(f"{BASE}/reports/{report.public_id}/").text
    assert "報告の期限を過ぎています" in detail
    assert "東京都への第一報" in detail
    assert 'id="list-deadlines"' in client.get(f"{BASE}/reports/").text
    home = client.get("/").text
    assert "インシデント報告の期限を過ぎています" in home
    approve = signed_in(ciso).get(f"{BASE}/reports/{report.public_id}/approve/").text
    assert 'id="approve-overdue"' in approve


def test_the_home_page_counts_every_report_awaiting_approval_and_links_to_the_list(
    cast: Cast, ciso: User, signed_in: SignIn
) -> None:
    for _ in range(12):
        report = draft_report(cast.chiyoda)
        services.report_request_approval(report=report, principal=principal(cast.chiyoda))
    home = signed_in(ciso).get("/").text
    assert "承認を待っているインシデント報告があります（12件）" in home
    assert "ほか2件" in home
    listed = signed_in(ciso).get(f"{BASE}/reports/?status=awaiting_approval").text
    assert listed.count('<li class="report-item') == 12


# --- the recipients --------------------------------------------------------------------------


@pytest.fixture
def two_reporters(cast: Cast, ciso: User) -> dict[str, IncidentReport]:
    """A ransomware case of 千代田区 (東京都) and a misdelivery of 大阪市 (大阪府), both
    routed to PPC and 総務省."""
    osaka_ciso = add_member("osaka_ciso", cast.org(OSAKA_CITY))
    return {
        "chiyoda": submitted_report(
            cast.chiyoda, ciso, category=Category.RANSOMWARE, people=101, severity=Severity.HIGH
        ),
        "osaka": submitted_report(
            cast.osaka_city, osaka_ciso, category=Category.MISDELIVERY, people=150
        ),
    }


def test_the_inbox_filters_by_category_prefecture_and_status_and_sorts(
    cast: Cast, two_reporters: dict[str, IncidentReport], signed_in: SignIn
) -> None:
    client = signed_in(cast.ppc)
    everything = client.get(f"{BASE}/inbox/").text
    assert two_reporters["chiyoda"].title in everything
    ransomware = client.get(f"{BASE}/inbox/?category=ransomware").text
    assert "ランサムウェア" in ransomware
    assert ransomware.count('name="delivery"') == 1
    osaka = client.get(f"{BASE}/inbox/?prefecture=27").text
    assert osaka.count('name="delivery"') == 1
    assert "大阪市" in osaka.split("<tbody>")[1]
    nothing = client.get(f"{BASE}/inbox/?status=acknowledged").text
    assert "条件に合う報告はありません" in nothing
    oldest = client.get(f"{BASE}/inbox/?order=oldest").text.split("<tbody>")[1]
    assert oldest.index("千代田区") < oldest.index("大阪市")
    bogus = client.get(f"{BASE}/inbox/?status=nonsense&order=nonsense")
    assert bogus.status_code == 200


def test_the_inbox_never_filters_on_a_withheld_fact(
    cast: Cast, ciso: User, signed_in: SignIn
) -> None:
    data = content_dict(people=101, category=Category.RANSOMWARE)
    data["section_tlp"] = {"overview": "red"}
    data["red_recipients"] = {"overview": [TOKYO]}
    report = services.report_create(principal=principal(cast.chiyoda), content=data)
    services.report_approve_and_submit(report=report, principal=principal(ciso))
    ppc = Delivery.objects.get(report=report, recipient__code="PPC")
    assert ppc.category == "ransomware"
    assert ppc.severity == ""  # the overview, which carries the severity, is RED for 東京都
    page = signed_in(cast.ppc).get(f"{BASE}/inbox/?severity=medium").text
    assert "条件に合う報告はありません" in page


def test_bulk_acknowledgement_acknowledges_only_what_is_addressed_to_the_reader(
    cast: Cast, two_reporters: dict[str, IncidentReport], signed_in: SignIn
) -> None:
    mine = list(Delivery.objects.filter(recipient__code="PPC").values_list("pk", flat=True))
    tokyo = Delivery.objects.get(recipient__code=TOKYO).pk
    response = signed_in(cast.ppc).post(
        f"{BASE}/inbox/acknowledge/",
        {"delivery": [*map(str, mine), str(tokyo)], "query": "category=ransomware"},
    )
    assert response["Location"] == f"{BASE}/inbox/?category=ransomware"
    assert not Delivery.objects.filter(pk__in=mine, acknowledged_at__isnull=True).exists()
    assert Delivery.objects.get(pk=tokyo).acknowledged_at is None
    assert AuditEvent.objects.filter(action="incidents.delivery.acknowledge").count() == 2


def test_statistics_are_charts_as_well_as_tables(
    cast: Cast, two_reporters: dict[str, IncidentReport], signed_in: SignIn
) -> None:
    ciso = User.objects.get(username="chiyoda_ciso")
    for _ in range(4):
        submitted_report(cast.chiyoda, ciso, category=Category.RANSOMWARE, people=101)
    # Two small cells hide each other; 5 ransomware cases stay shown and drawn.
    submitted_report(cast.chiyoda, ciso, category=Category.DATA_LEAK, people=101)
    page = signed_in(cast.ppc).get(f"{BASE}/statistics/").text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in page
    assert 'id="chart-category"' in page
    assert 'id="table-category"' in page
    assert "5件未満のため非表示" in page  # the misdelivery's single report


def test_other_tenants_cannot_reach_the_new_pages(
    cast: Cast, ransomware: IncidentReport, signed_in: SignIn
) -> None:
    for who in (cast.hachioji, cast.osaka_city, cast.ppc):
        client = signed_in(who)
        for url in (
            f"{BASE}/reports/{ransomware.public_id}/sent/",
            f"{BASE}/reports/{ransomware.public_id}/check/",
            f"{BASE}/reports/{ransomware.public_id}/tasks/",
            f"{BASE}/reports/{ransomware.public_id}/compare/",
        ):
            assert client.get(url).status_code == 404, (who, url)
    assert CHIYODA not in signed_in(cast.hachioji).get(f"{BASE}/approvers/").text


def test_a_recipient_is_never_shown_a_report_start_page_for_itself(
    cast: Cast, signed_in: SignIn
) -> None:
    page = signed_in(cast.ppc).get(f"{BASE}/start/").text
    assert 'id="start-report"' not in page
