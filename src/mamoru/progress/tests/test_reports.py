"""Monthly reports: carried over from last month, saved as one goes, submitted with a
reason for every late item, "no change" in one click, and the Excel/CSV import that
changes nothing unless every row is right."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from mamoru.core.exceptions import StateConflict
from mamoru.core.tabular import csv_bytes
from mamoru.orgs.selectors import organisation_by_code
from mamoru.progress import services
from mamoru.progress.lateness import add_months
from mamoru.progress.models import Campaign, ItemReport, MonthlyReport, ReportStatus
from mamoru.progress.services import REPORT_COLUMNS, ItemEntry
from mamoru.progress.testing import principal, submit_month
from mamoru.testing import CHIYODA, Cast

pytestmark = pytest.mark.django_db


def open_report(cast: Cast, campaign: Campaign, month: date) -> MonthlyReport:
    return services.report_open(
        principal=principal(cast.chiyoda),
        campaign=campaign,
        organisation=organisation_by_code(code=CHIYODA),
        month=month,
    )


def steps_of(report: MonthlyReport) -> dict[str, int]:
    return {
        row.item.code: row.step
        for row in ItemReport.objects.unscoped("test").filter(report=report).select_related("item")
    }


def test_a_new_month_starts_from_the_last_submitted_report(
    cast: Cast, campaign: Campaign, start: date
) -> None:
    submit_month(campaign, CHIYODA, start, {"01": 2, "02": 1})
    report = open_report(cast, campaign, add_months(start, 2))
    steps = steps_of(report)
    assert (steps["01"], steps["02"], steps["03"]) == (2, 1, 0)
    assert report.status == ReportStatus.DRAFT


def test_saving_checks_every_entry_and_saves_nothing_when_one_is_wrong(
    cast: Cast, campaign: Campaign, start: date
) -> None:
    report = open_report(cast, campaign, start)
    with pytest.raises(ValidationError) as refused:
        services.report_save(
            principal=principal(cast.chiyoda),
            report=report,
            entries={"01": ItemEntry(3), "02": ItemEntry(41), "99": ItemEntry(1)},
        )
    text = " ".join(refused.value.messages)
    assert "戸籍の附票: ステップは0（未着手）から40まで" in text
    assert "業務コード 99" in text
    assert steps_of(report)["01"] == 0


def test_a_late_item_needs_a_reason_before_the_report_is_submitted(
    cast: Cast, campaign: Campaign, start: date
) -> None:
    # Four months in, step 3 of the plan (due in month 2) is two months overdue at step 0.
    month = add_months(start, 3)
    report = open_report(cast, campaign, month)
    chiyoda = principal(cast.chiyoda)
    with pytest.raises(ValidationError, match="住民基本台帳"):
        services.report_submit(principal=chiyoda, report=report)
    entries = {code: ItemEntry(0, delay_reason="budget") for code in steps_of(report)}
    report = services.report_save(principal=chiyoda, report=report, entries=entries)
    report = services.report_submit(principal=chiyoda, report=report)
    assert report.status == ReportStatus.SUBMITTED
    with pytest.raises(StateConflict):
        services.report_submit(principal=chiyoda, report=report)


def test_changing_a_submitted_report_makes_it_a_draft_again(
    cast: Cast, campaign: Campaign, start: date
) -> None:
    report = submit_month(campaign, CHIYODA, start, {"01": 1})
    report = services.report_save(
        principal=principal(cast.chiyoda), report=report, entries={"01": ItemEntry(2, start)}
    )
    assert report.status == ReportStatus.DRAFT


def test_no_change_since_last_month_is_one_call(
    cast: Cast, campaign: Campaign, start: date
) -> None:
    submit_month(campaign, CHIYODA, start, {"01": 2, "05": 1})
    report = services.report_confirm_unchanged(
        principal=principal(cast.chiyoda),
        campaign=campaign,
        organisation=organisation_by_code(code=CHIYODA),
        month=add_months(start, 1),
    )
    assert report.status == ReportStatus.SUBMITTED
    assert report.unchanged
    assert steps_of(report)["01"] == 2
    assert steps_of(report)["05"] == 1


def test_no_change_needs_an_earlier_report(cast: Cast, campaign: Campaign, start: date) -> None:
    with pytest.raises(StateConflict, match="前月まで"):
        services.report_confirm_unchanged(
            principal=principal(cast.chiyoda),
            campaign=campaign,
            organisation=organisation_by_code(code=CHIYODA),
            month=start,
        )


@pytest.mark.parametrize("who", ["chiyoda_viewer", "hachioji", "tokyo", "nation"])
def test_only_the_organisations_editors_report(
    cast: Cast, campaign: Campaign, start: date, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        services.report_open(
            principal=principal(getattr(cast, who)),
            campaign=campaign,
            organisation=organisation_by_code(code=CHIYODA),
            month=start,
        )


def test_a_month_outside_the_campaign_or_in_the_future_is_refused(
    cast: Cast, campaign: Campaign, start: date, this_month: date
) -> None:
    for month in (add_months(start, -1), add_months(this_month, 1)):
        with pytest.raises(ValidationError, match="この月の報告はできません"):
            open_report(cast, campaign, month)


def _rows(overrides: dict[str, list[object]] | None = None) -> list[list[object]]:
    rows: list[list[object]] = [[f"{n:02d}", "", 0, "", "", "", ""] for n in range(1, 21)]
    rows[0] = ["01", "住民基本台帳", 3, "", "2025-01", "", ""]
    rows[1] = ["02", "戸籍の附票", 2, "", "", "予算の確保", "補正予算待ち"]
    for code, row in (overrides or {}).items():
        rows[int(code) - 1] = row
    return rows


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(REPORT_COLUMNS))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_good_excel_file_is_imported(cast: Cast, campaign: Campaign, start: date) -> None:
    report = open_report(cast, campaign, add_months(start, 2))
    report = services.report_import(
        principal=principal(cast.chiyoda), report=report, data=_xlsx(_rows()), filename="m.xlsx"
    )
    rows = {
        r.item.code: r
        for r in ItemReport.objects.unscoped("test").filter(report=report).select_related("item")
    }
    assert rows["01"].step == 3
    assert rows["01"].reached_month == date(2025, 1, 1)
    assert rows["02"].delay_reason == "budget"
    assert rows["02"].delay_note == "補正予算待ち"


def test_a_good_csv_from_the_export_round_trips(
    cast: Cast, campaign: Campaign, start: date
) -> None:
    report = open_report(cast, campaign, start)
    data = csv_bytes(REPORT_COLUMNS, [[str(v) for v in row] for row in _rows()])
    services.report_import(
        principal=principal(cast.chiyoda), report=report, data=data, filename="m.csv"
    )
    assert steps_of(report)["01"] == 3


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (_rows({"03": ["03", "", "三", "", "", "", ""]}), "4行目: 到達したステップは0以上の整数"),
        (_rows({"04": ["04", "", 1, "", "April", "", ""]}), "5行目: 到達した月は 2025-04 の形"),
        (_rows({"05": ["05", "", 1, "", "", "忙しい", ""]}), "6行目: 遅れの理由は一覧にある言葉"),
        (_rows({"06": ["77", "", 1, "", "", "", ""]}), "7行目: 業務コード「77」"),
        (_rows({"07": ["01", "", 1, "", "", "", ""]}), "8行目: 業務コード「01」が2回"),
        (_rows()[:19], "次の業務の行がありません: 20"),
        (_rows({"08": ["08", "", 99, "", "", "", ""]}), "ステップは0（未着手）から40まで"),
    ],
)
def test_a_broken_file_changes_nothing_and_names_every_wrong_row(
    cast: Cast, campaign: Campaign, start: date, rows: list[list[object]], message: str
) -> None:
    submit_month(campaign, CHIYODA, start, {"01": 1})
    report = open_report(cast, campaign, add_months(start, 1))
    with pytest.raises(ValidationError) as refused:
        services.report_import(
            principal=principal(cast.chiyoda), report=report, data=_xlsx(rows), filename="m.xlsx"
        )
    assert any(message in m for m in refused.value.messages), refused.value.messages
    assert steps_of(report)["01"] == 1


def test_a_file_that_is_no_table_is_refused(cast: Cast, campaign: Campaign, start: date) -> None:
    report = open_report(cast, campaign, start)
    with pytest.raises(ValidationError, match="見出しに次の列がありません"):
        services.report_import(
            principal=principal(cast.chiyoda), report=report, data=b"a,b\n1,2\n", filename="x.csv"
        )
    with pytest.raises(ValidationError, match="Excel ファイルを読み取れません"):
        services.report_import(
            principal=principal(cast.chiyoda),
            report=report,
            data=b"PK\x03\x04broken",
            filename="x.xlsx",
        )


def test_attachments_are_checked_before_they_are_kept(
    cast: Cast, campaign: Campaign, start: date
) -> None:
    report = open_report(cast, campaign, start)
    chiyoda = principal(cast.chiyoda)
    kept = services.report_attachment_add(
        principal=chiyoda,
        report=report,
        upload=SimpleUploadedFile("../../etc/計画書.pdf", b"%PDF-1.7 test"),
    )
    assert kept.name == "計画書.pdf"
    assert kept.size == 13
    assert len(kept.sha256) == 64
    for upload, message in [
        (SimpleUploadedFile("run.exe", b"MZ"), "この種類のファイル"),
        (SimpleUploadedFile("empty.pdf", b""), "ファイルが空"),
        (SimpleUploadedFile("noext", b"x"), "拡張子"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.report_attachment_add(principal=chiyoda, report=report, upload=upload)
