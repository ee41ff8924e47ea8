"""The security-cloud pages for each role, with the sibling municipality, the nation (which
reads statistics only) and the other prefecture refused on real records (404)."""

from __future__ import annotations

import csv
import gzip
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mamoru.audit.models import AuditEvent
from mamoru.seccloud.models import AddressRange, Alert, AlertStatus, Device, IngestRun
from mamoru.seccloud.testing import MONTH
from mamoru.testing import CHIYODA, OSAKA, TOKYO, Cast, SignIn

pytestmark = pytest.mark.django_db


def test_each_role_starts_at_its_own_view(cast: Cast, signed_in: SignIn) -> None:
    home = reverse("seccloud:home")
    assert signed_in(cast.tokyo).get(home)["Location"] == reverse(
        "seccloud:prefecture", args=[TOKYO]
    )
    assert signed_in(cast.nation).get(home)["Location"] == reverse("seccloud:national")
    assert signed_in(cast.chiyoda).get(home)["Location"] == reverse(
        "seccloud:organisation", args=[CHIYODA]
    )


def test_the_prefecture_dashboard_ingest_and_settings(
    cast: Cast, signed_in: SignIn, ingested: IngestRun
) -> None:
    tokyo = signed_in(cast.tokyo)
    page = tokyo.get(reverse("seccloud:prefecture", args=[TOKYO]) + "?status=all")
    text = page.content.decode()
    assert page.status_code == 200
    assert "多数の市区町村に対する探索（集計）" in text
    assert 'id="device-health"' in text
    assert "FGT-" in text  # the generated firewall, registered on first sight
    assert '<span class="badge badge--danger">高</span>' in text  # levels in Japanese
    assert ">high<" not in text
    runs = tokyo.get(reverse("seccloud:ingest", args=[TOKYO])).content.decode()
    assert "fortigate-traffic-00000.log.zst" in runs
    assert "完了" in runs
    settings_page = tokyo.get(reverse("seccloud:settings", args=[TOKYO])).content.decode()
    assert "既知の悪性宛先への通信" in settings_page
    assert "10.13." in settings_page  # the imported ranges


def test_home_lists_open_high_alerts_for_the_prefecture_and_the_municipality(
    cast: Cast, signed_in: SignIn, ingested: IngestRun
) -> None:
    for user in (cast.tokyo, cast.chiyoda):
        home = signed_in(user).get(reverse("web:home")).content.decode()
        assert "重大度「高」以上の未対応アラートがあります" in home
    assert "重大度「高」以上の未対応アラート" not in (
        signed_in(cast.osaka).get(reverse("web:home")).content.decode()
    )


def test_a_municipality_sees_its_own_figures_and_no_one_elses(
    cast: Cast, signed_in: SignIn, ingested: IngestRun
) -> None:
    own = reverse("seccloud:organisation", args=[CHIYODA]) + f"?month={MONTH}"
    page = signed_in(cast.chiyoda).get(own)
    assert page.status_code == 200
    assert "ファイアウォールが止めた通信" in page.content.decode()
    for stranger in (cast.hachioji, cast.osaka_city, cast.nation):
        assert signed_in(stranger).get(own).status_code == 404
    assert (
        signed_in(cast.chiyoda).get(reverse("seccloud:prefecture", args=[TOKYO])).status_code == 404
    )
    assert signed_in(cast.tokyo).get(own).status_code == 200


def test_the_nation_reads_rollups_by_prefecture_only(
    cast: Cast, signed_in: SignIn, ingested: IngestRun
) -> None:
    page = signed_in(cast.nation).get(reverse("seccloud:national") + f"?month={MONTH}")
    text = page.content.decode()
    assert "東京都" in text
    assert "千代田区" not in text
    assert (
        signed_in(cast.nation).get(reverse("seccloud:prefecture", args=[TOKYO])).status_code == 404
    )
    osaka = signed_in(cast.osaka).get(reverse("seccloud:national") + f"?month={MONTH}")
    assert "東京都" not in osaka.content.decode()  # a prefecture sees its own row only


def test_the_monthly_report_page_csv_and_pdf(
    cast: Cast, signed_in: SignIn, ingested: IngestRun
) -> None:
    chiyoda = signed_in(cast.chiyoda)
    page = chiyoda.get(reverse("seccloud:report", args=[CHIYODA, MONTH])).content.decode()
    assert "千代田区へのインターネットからの不正な通信のうち" in page
    body = chiyoda.get(reverse("seccloud:report_csv", args=[CHIYODA, MONTH])).content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["項目", "区分", "件数"]
    assert rows[2][0] == "ファイアウォールが止めた通信"
    assert int(rows[2][2]) > 0
    pdf = chiyoda.get(reverse("seccloud:report_pdf", args=[CHIYODA, MONTH]))
    assert pdf.content.startswith(b"%PDF")
    exports = AuditEvent.objects.unscoped("test").filter(action="seccloud.report.export")
    assert list(exports.values_list("target", flat=True)) == [CHIYODA, CHIYODA]
    assert sorted(e.details["format"] for e in exports) == ["csv", "pdf"]
    assert {e.details["month"] for e in exports} == {MONTH}
    assert (
        signed_in(cast.hachioji)
        .get(reverse("seccloud:report_csv", args=[CHIYODA, MONTH]))
        .status_code
        == 404
    )


def test_an_alert_is_worked_through_its_page(
    cast: Cast, signed_in: SignIn, ingested: IngestRun
) -> None:
    alert = Alert.objects.unscoped("test").filter(organisation__code=CHIYODA).first()
    assert alert is not None
    assert (
        signed_in(cast.hachioji)
        .post(reverse("seccloud:alert_acknowledge", args=[alert.pk]))
        .status_code
        == 404
    )
    chiyoda = signed_in(cast.chiyoda)
    chiyoda.post(reverse("seccloud:alert_acknowledge", args=[alert.pk]))
    refused = chiyoda.post(
        reverse("seccloud:alert_close", args=[alert.pk]), {"note": ""}, follow=True
    )
    assert "対応の記録を書いてください" in refused.content.decode()
    chiyoda.post(reverse("seccloud:alert_close", args=[alert.pk]), {"note": "端末を隔離し駆除"})
    alert.refresh_from_db()
    assert (alert.status, alert.note) == (AlertStatus.CLOSED, "端末を隔離し駆除")


def test_a_running_ingest_shows_how_far_it_got(cast: Cast, signed_in: SignIn) -> None:
    IngestRun.objects.create(
        prefecture=cast.org(TOKYO), source="big.log.zst", bytes_total=1000, bytes_done=400
    )
    page = signed_in(cast.tokyo).get(reverse("seccloud:ingest", args=[TOKYO])).content.decode()
    assert '<progress max="100" value="40"' in page
    assert 'http-equiv="refresh"' in page


def test_the_ranges_upload_saves_nothing_on_a_bad_row(cast: Cast, signed_in: SignIn) -> None:
    upload = SimpleUploadedFile(
        "ranges.csv",
        f"organisation,cidr,valid_from,valid_to\n{CHIYODA},10.1.0.0/16,,\n{OSAKA},10.2.0.0/16,,\n".encode(),
    )
    page = signed_in(cast.tokyo).post(
        reverse("seccloud:ranges_import", args=[TOKYO]), {"file": upload}, follow=True
    )
    assert "3行目: 団体コード" in page.content.decode()
    assert not AddressRange.objects.unscoped("test").exists()


def test_a_device_is_registered_with_its_severity_map_or_not_at_all(
    cast: Cast, signed_in: SignIn
) -> None:
    tokyo, url = signed_in(cast.tokyo), reverse("seccloud:device_save", args=[TOKYO])
    bad = {"name": "FGT-01", "format": "fortigate", "severity_map": "critical=緊急\nhigh=とても"}
    page = tokyo.post(url, bad, follow=True).content.decode()
    assert "2行目「high=とても」" in page
    assert not Device.objects.unscoped("test").exists()
    good = {"name": "FGT-01", "format": "fortigate", "severity_map": "Critical = 高\n\nlow=1"}
    page = tokyo.post(url, good, follow=True).content.decode()
    assert Device.objects.unscoped("test").get().severity_map == {"critical": 4, "low": 1}
    assert "<code>critical</code> → 高" in page
    assert signed_in(cast.osaka).post(url, good).status_code == 404
    assert signed_in(cast.chiyoda).post(url, good).status_code in (403, 404)


def test_log_files_uploaded_on_the_ingest_page_are_ingested(
    cast: Cast, signed_in: SignIn, settings: Any
) -> None:
    from mamoru.seccloud.testing import fortigate_line

    tokyo, url = signed_in(cast.tokyo), reverse("seccloud:upload", args=[TOKYO])
    lines = "\n".join(
        fortigate_line("2026-10-07", f"10.13.1.{n}", "198.51.100.1") for n in range(3)
    )
    log = SimpleUploadedFile("../../fortigate.log.1.gz", gzip.compress((lines + "\n").encode()))
    page = tokyo.post(url, {"files": [log]}, follow=True).content.decode()
    assert "1件のファイルを受け付けました" in page
    run = IngestRun.objects.unscoped("test").get()
    assert (run.rows_read, run.status) == (3, "done")
    assert "fortigate.log.1.gz" in run.source
    assert "取り込みフォルダ" in page  # the page names the folder for large files
    upload = AuditEvent.objects.unscoped("test").get(action="seccloud.upload")
    assert ".." not in upload.target  # the name is the file's own, never a path
    settings.MAMORU_SECCLOUD_UPLOAD_MAX_BYTES = 10
    big = SimpleUploadedFile("big.log", b"x" * 11)
    assert (
        "ファイルが大きすぎます" in tokyo.post(url, {"files": [big]}, follow=True).content.decode()
    )
    assert IngestRun.objects.unscoped("test").count() == 1
    for other in (cast.osaka, cast.chiyoda):
        again = SimpleUploadedFile("x.log", b"x")
        assert signed_in(other).post(url, {"files": [again]}).status_code in (403, 404)
    assert AuditEvent.objects.unscoped("test").filter(action="seccloud.upload").count() == 1
