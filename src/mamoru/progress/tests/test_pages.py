"""The campaign pages for each role, with the sibling, the other prefecture and the
outsider refused on real records of 千代田区 (404, as if nothing existed)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from mamoru.progress import services
from mamoru.progress.lateness import add_months
from mamoru.progress.models import Campaign, FollowUp, ItemReport, MonthlyReport, ReportStatus
from mamoru.progress.testing import submit_month
from mamoru.testing import CHIYODA, HACHIOJI, TOKYO, Cast, SignIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(campaign: Campaign, start: date, this_month: date) -> Campaign:
    submit_month(campaign, CHIYODA, start, dict.fromkeys((f"{n:02d}" for n in range(1, 21)), 1))
    submit_month(campaign, HACHIOJI, this_month, {"01": 30})
    services.campaign_rollups_refresh(campaign=campaign)
    return campaign


def url(name: str, campaign: Campaign, **kwargs: Any) -> str:
    return reverse(f"progress:{name}", kwargs={"key": campaign.key, **kwargs})


def test_each_role_starts_at_its_own_dashboard(
    cast: Cast, reported: Campaign, signed_in: SignIn
) -> None:
    home = url("campaign", reported)
    assert signed_in(cast.nation).get(home)["Location"] == url("national", reported)
    assert signed_in(cast.tokyo).get(home)["Location"] == url("prefecture", reported, code=TOKYO)
    assert signed_in(cast.chiyoda).get(home)["Location"] == url(
        "organisation", reported, code=CHIYODA
    )


def test_the_organisation_page_shows_late_items_first_with_charts(
    cast: Cast, reported: Campaign, signed_in: SignIn
) -> None:
    page = signed_in(cast.chiyoda).get(url("organisation", reported, code=CHIYODA))
    html = page.content.decode()
    assert page.status_code == 200
    assert "遅れている業務" in html
    assert html.index("遅れ") < html.index("業務ごとの状況") or "state--late" in html
    assert html.count('role="img"') == 2  # the bars and the timeline, drawn on the server
    assert "この計画は例です" in html


@pytest.mark.parametrize("who", ["hachioji", "osaka_city", "osaka", "outsider"])
def test_others_cannot_see_chiyodas_progress(
    cast: Cast, reported: Campaign, start: date, signed_in: SignIn, who: str
) -> None:
    client = signed_in(getattr(cast, who))
    for target in (
        url("organisation", reported, code=CHIYODA),
        url("report", reported, code=CHIYODA, month=start),
        url("report_export", reported, code=CHIYODA, month=start, fmt="csv"),
    ):
        response = client.get(target)
        assert response.status_code in (403, 404), f"{who} {target}"
    assert client.post(url("report_submit", reported, code=CHIYODA, month=start)).status_code in (
        403,
        404,
    )


def test_the_prefecture_page_is_a_heat_map_in_colour_and_words(
    cast: Cast, reported: Campaign, signed_in: SignIn
) -> None:
    page = signed_in(cast.tokyo).get(url("prefecture", reported, code=TOKYO))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="heat-map"' in html
    assert "heat--late" in html
    assert "遅れ" in html
    assert "heat--none" in html
    assert "未報告" in html
    assert 'aria-sort="descending"' in html
    assert "千代田区" in html
    assert "八王子市" in html
    assert "大阪市" not in html
    assert signed_in(cast.osaka).get(url("prefecture", reported, code=TOKYO)).status_code == 404
    assert signed_in(cast.chiyoda).get(url("prefecture", reported, code=TOKYO)).status_code == 404


def test_the_national_page_has_every_view_and_the_nation_only(
    cast: Cast, reported: Campaign, signed_in: SignIn
) -> None:
    page = signed_in(cast.nation).get(url("national", reported))
    html = page.content.decode()
    assert page.status_code == 200
    for heading in ("都道府県別", "業務別", "到達ステップの分布", "月ごとの推移"):
        assert heading in html
    assert html.count('role="img"') == 4
    assert "東京都" in html
    assert "大阪府" in html
    assert signed_in(cast.tokyo).get(url("national", reported)).status_code == 403


def test_exports_are_csv_for_excel_and_xlsx(
    cast: Cast, reported: Campaign, signed_in: SignIn
) -> None:
    tokyo = signed_in(cast.tokyo)
    csv = tokyo.get(url("prefecture_export", reported, code=TOKYO, fmt="csv"))
    assert csv.status_code == 200
    assert csv.content.startswith("\ufeff団体コード".encode())
    assert "attachment" in csv["Content-Disposition"]
    xlsx = signed_in(cast.nation).get(url("national_export", reported, fmt="xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sheet["A1"].value == "都道府県"
    assert {sheet.cell(row=r, column=1).value for r in range(2, 4)} == {"東京都", "大阪府"}


def _form(campaign: Campaign, step: int, reason: str = "") -> dict[str, str]:
    data: dict[str, str] = {}
    for item in campaign.items.all():
        data |= {
            f"step-{item.code}": str(step),
            f"reached-{item.code}": "",
            f"reason-{item.code}": reason,
            f"note-{item.code}": "",
        }
    return data


def test_the_report_form_saves_as_one_goes_and_submits(
    cast: Cast, reported: Campaign, this_month: date, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda)
    form = url("report", reported, code=CHIYODA, month=this_month)
    assert client.get(form).status_code == 200
    # htmx posts the form on every change and gets the status line back.
    fragment = client.post(form, _form(reported, 12, "vendor"), headers={"HX-Request": "true"})
    assert "下書きを保存しました" in fragment.content.decode()
    report = MonthlyReport.objects.unscoped("test").get(
        organisation__code=CHIYODA, month=this_month
    )
    assert ItemReport.objects.unscoped("test").filter(report=report, step=12).count() == 20
    wrong = client.post(form, {**_form(reported, 12), "reached-01": "April"})
    assert wrong.status_code == 400
    assert "2025-04 の形" in wrong.content.decode()
    client.post(url("report_submit", reported, code=CHIYODA, month=this_month))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_viewer_is_refused_the_report_form(
    cast: Cast, reported: Campaign, this_month: date, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda_viewer)
    assert client.get(url("report", reported, code=CHIYODA, month=this_month)).status_code == 403


def test_no_change_is_one_click(
    cast: Cast, reported: Campaign, start: date, signed_in: SignIn
) -> None:
    month = add_months(start, 1)
    response = signed_in(cast.chiyoda).post(
        url("report_unchanged", reported, code=CHIYODA, month=month)
    )
    assert response.status_code == 302
    report = MonthlyReport.objects.unscoped("test").get(organisation__code=CHIYODA, month=month)
    assert report.unchanged
    assert report.status == ReportStatus.SUBMITTED


def test_an_attachment_is_served_as_a_download_only_to_readers(
    cast: Cast, reported: Campaign, start: date, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda)
    client.post(
        url("report_attach", reported, code=CHIYODA, month=start),
        {"file": SimpleUploadedFile("説明.html", b"<script>alert(1)</script>")},
    )
    report = reported.reports.get(organisation__code=CHIYODA, month=start)
    assert not report.attachments.exists()  # an HTML file is refused
    client.post(
        url("report_attach", reported, code=CHIYODA, month=start),
        {"file": SimpleUploadedFile("説明.txt", b"vendor schedule")},
    )
    attachment = report.attachments.get()
    link = reverse("progress:report_attachment", args=[attachment.pk])
    download = signed_in(cast.tokyo).get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download.content == b"vendor schedule"
    for who in ("hachioji", "osaka_city", "outsider"):
        assert signed_in(getattr(cast, who)).get(link).status_code in (403, 404)


def test_the_prefecture_follows_up_and_the_municipality_answers(
    cast: Cast, reported: Campaign, signed_in: SignIn
) -> None:
    target = url("follow_up_create", reported, code=CHIYODA)
    tokyo = signed_in(cast.tokyo)
    tokyo.post(target, {"kind": "note", "text": "電話で状況を確認した（都内のメモ）"})
    tokyo.post(target, {"kind": "asked", "text": "戸籍の遅れの見通しを教えてください"})
    asked = FollowUp.objects.unscoped("test").get(kind="asked")
    chiyoda = signed_in(cast.chiyoda)
    own = chiyoda.get(url("organisation", reported, code=CHIYODA)).content.decode()
    assert "戸籍の遅れの見通し" in own
    assert "都内のメモ" not in own  # the prefecture's internal note
    chiyoda.post(reverse("progress:follow_up_answer", args=[asked.pk]), {"answer": "来月に契約"})
    asked.refresh_from_db()
    assert asked.answer == "来月に契約"
    # A sibling municipality and another prefecture cannot follow up 千代田区.
    for who in ("hachioji", "osaka"):
        response = signed_in(getattr(cast, who)).post(target, {"kind": "note", "text": "x"})
        assert response.status_code == 404
    assert FollowUp.objects.unscoped("test").count() == 2


def test_the_nation_pages_through_every_escalated_delay(
    cast: Cast, reported: Campaign, signed_in: SignIn
) -> None:
    from mamoru.core.pages import PAGE_SIZE
    from mamoru.progress.models import FollowUpKind
    from mamoru.progress.testing import principal

    tokyo = principal(cast.tokyo)
    for n in range(PAGE_SIZE + 1):
        services.follow_up_create(
            principal=tokyo, campaign=reported, organisation=cast.org(CHIYODA),
            kind=FollowUpKind.ESCALATED, text=f"遅れの報告 {n:03d}",
        )  # fmt: skip
    nation = signed_in(cast.nation)
    first = nation.get(url("national", reported)).content.decode()
    assert "遅れの報告 050" in first  # the newest first
    assert "遅れの報告 000" not in first
    second = nation.get(url("national", reported) + "?page=2").content.decode()
    assert "遅れの報告 000" in second
