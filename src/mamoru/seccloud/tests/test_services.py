"""The control plane's services: ranges imported all or nothing, ingest recorded once per
segment whatever the retries, alerts upserted and worked through their states by the
people concerned, figures stored for the prefecture and each municipality."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mamoru.core.exceptions import StateConflict
from mamoru.incidents.models import Notification
from mamoru.orgs.principal import System
from mamoru.orgs.selectors import principal_for
from mamoru.seccloud import engine, services
from mamoru.seccloud.engine.testing import events
from mamoru.seccloud.engine.tests import samples
from mamoru.seccloud.models import (
    AddressRange,
    Alert,
    AlertStatus,
    DeviceDay,
    IngestedSegment,
    IngestRun,
    MonthlyFigures,
)
from mamoru.seccloud.testing import GeneratedMonth, fortigate_line
from mamoru.seccloud.tests.factories import AlertFactory
from mamoru.testing import CHIYODA, HACHIOJI, OSAKA_CITY, TOKYO, Cast

pytestmark = pytest.mark.django_db

SYSTEM = System("test")


def test_ranges_import_is_all_or_nothing_with_japanese_line_errors(cast: Cast) -> None:
    tokyo = principal_for(user=cast.tokyo, organisation_code=TOKYO)
    assert tokyo is not None
    good = f"organisation,cidr,valid_from,valid_to\n{CHIYODA},10.1.0.0/16,,\n".encode()
    assert services.ranges_import(principal=tokyo, data=good) == 1
    bad = (
        "organisation,cidr,valid_from,valid_to\n"
        f"{HACHIOJI},10.2.0.0/16,2026-04-01,\n"
        f"{CHIYODA},10.1.0.1/16,,\n"
        f"{OSAKA_CITY},10.3.0.0/16,,\n"
        f"{HACHIOJI},10.4.0.0/16,2026-13-01,\n"
    ).encode()
    with pytest.raises(ValidationError) as refused:
        services.ranges_import(principal=tokyo, data=bad)
    assert refused.value.messages == [
        "3行目: アドレス範囲「10.1.0.1/16」が正しくありません（例: 192.0.2.0/24）。",
        f"4行目: 団体コード「{OSAKA_CITY}」は取り込めません（管内の団体ではありません）。",
        "5行目: 日付「2026-13-01」は YYYY-MM-DD で書いてください。",
    ]
    stored = AddressRange.objects.unscoped("test").values_list("organisation__code", "cidr")
    assert list(stored) == [(CHIYODA, "10.1.0.0/16")]


def test_a_municipality_may_not_import_ranges(cast: Cast) -> None:
    chiyoda = principal_for(user=cast.chiyoda, organisation_code=CHIYODA)
    data = f"organisation,cidr,valid_from,valid_to\n{CHIYODA},10.1.0.0/16,,\n".encode()
    with pytest.raises(PermissionDenied):
        services.ranges_import(principal=chiyoda, data=data)  # type: ignore[arg-type]


def test_ingest_records_each_segment_once_even_after_a_crash_before_recording(
    cast: Cast, tmp_path: Path
) -> None:
    tokyo = cast.org(TOKYO)
    services.ranges_import(
        principal=SYSTEM,
        data=f"organisation,cidr,valid_from,valid_to\n{CHIYODA},10.1.0.0/16,,\n".encode(),
    )
    path = tmp_path / "fgt.log"
    lines = [fortigate_line("2026-10-05", f"10.1.0.{n}", "198.51.100.1") for n in range(1, 6)]
    path.write_text("\n".join([*lines, "garbage that no parser reads"]) + "\n", encoding="utf-8")
    # The engine stored the segment, then the process died before the database heard of it.
    engine.ingest(
        [path], store=services.store_root(), prefecture="13", ranges=services.ranges_for(tokyo)
    )
    first = services.ingest_files(principal=SYSTEM, prefecture=tokyo, paths=[path])
    again = services.ingest_files(principal=SYSTEM, prefecture=tokyo, paths=[path])
    assert (first.segments_skipped, again.segments_skipped) == (1, 1)
    assert IngestedSegment.objects.unscoped("test").count() == 1
    day = DeviceDay.objects.unscoped("test").get(device__name="FGT-TEST")
    assert (day.lines, str(day.day)) == (5, "2026-10-05")
    assert DeviceDay.objects.unscoped("test").filter(quarantined=1).count() == 1
    fresh = tmp_path / "fresh.log"
    fresh.write_text(fortigate_line("2026-10-05", "10.1.0.9", "198.51.100.1") + "\n")
    run = services.ingest_files(principal=SYSTEM, prefecture=tokyo, paths=[fresh])
    assert (run.rows_read, run.rows_stored, run.rows_quarantined) == (1, 1, 0)
    day.refresh_from_db()
    assert day.lines == 6


def test_a_syslog_segment_without_a_device_takes_each_devices_severity_map(
    cast: Cast, tmp_path: Path
) -> None:
    tokyo = cast.org(TOKYO)
    services.device_save(
        principal=SYSTEM, prefecture=tokyo, name="FGT-PREF-01", severity_map={"critical": 2}
    )
    other = samples.FORTIGATE_IPS.replace("FGT-PREF-01", "FGT-BRANCH").replace("10:01", "10:02")
    path = tmp_path / "spooled.log"
    path.write_text(f"{samples.FORTIGATE_IPS}\n{other}\n", encoding="utf-8")
    services.ingest_files(principal=SYSTEM, prefecture=tokyo, paths=[path], detect=False)
    levels = {r["device_name"]: r["severity_id"] for r in events(services.store_root())}
    assert levels["FGT-PREF-01"] == 2  # the registered device's own map
    assert levels["FGT-BRANCH"] != 2  # no map: the appliance's level, untouched


def test_a_municipality_may_not_ingest(cast: Cast, tmp_path: Path) -> None:
    chiyoda = principal_for(user=cast.chiyoda, organisation_code=CHIYODA)
    with pytest.raises(PermissionDenied):
        services.ingest_files(principal=chiyoda, prefecture=cast.org(TOKYO), paths=[tmp_path])  # type: ignore[arg-type]
    assert not IngestRun.objects.unscoped("test").exists()


def test_alerts_of_the_planted_attacks_are_upserted_and_told(
    cast: Cast, ingested: IngestRun, tokyo_month: GeneratedMonth
) -> None:
    alerts = Alert.objects.unscoped("test")
    titles = set(alerts.values_list("title", flat=True))
    assert {"多数の市区町村に対する探索（集計）", "既知の悪性宛先への通信"} <= titles
    count = alerts.count()
    scan = alerts.filter(source="198.51.100.250", organisation__code=CHIYODA).first()
    assert scan is not None
    services.alert_acknowledge(principal=SYSTEM, alert=scan)
    services.detect_days(prefecture=cast.org(TOKYO), days=[scan.day])
    scan.refresh_from_db()
    assert alerts.count() == count  # recomputing a day updates, never duplicates
    assert scan.status == AlertStatus.ACKNOWLEDGED
    told = Notification.objects.unscoped("test").filter(key=f"seccloud-alert:{scan.pk}")
    assert {n.organisation.code for n in told} == {TOKYO, CHIYODA}


def test_an_alert_is_worked_by_the_prefecture_or_its_municipality_only(cast: Cast) -> None:
    alert = AlertFactory(prefecture=cast.org(TOKYO), organisation=cast.org(CHIYODA))
    hachioji = principal_for(user=cast.hachioji, organisation_code=HACHIOJI)
    with pytest.raises(PermissionDenied):
        services.alert_acknowledge(principal=hachioji, alert=alert)  # type: ignore[arg-type]
    chiyoda = principal_for(user=cast.chiyoda, organisation_code=CHIYODA)
    services.alert_acknowledge(principal=chiyoda, alert=alert)  # type: ignore[arg-type]
    with pytest.raises(StateConflict):
        services.alert_acknowledge(principal=chiyoda, alert=alert)  # type: ignore[arg-type]
    tokyo = principal_for(user=cast.tokyo, organisation_code=TOKYO)
    with pytest.raises(ValidationError, match="対応の記録を書いてください"):
        services.alert_close(principal=tokyo, alert=alert, note=" ")  # type: ignore[arg-type]
    services.alert_close(principal=tokyo, alert=alert, note="送信元をブロック済み")  # type: ignore[arg-type]
    alert.refresh_from_db()
    assert (alert.status, alert.closed_by, alert.acknowledged_by) == (
        AlertStatus.CLOSED,
        cast.tokyo,
        cast.chiyoda,
    )


def test_monthly_figures_for_the_prefecture_and_each_municipality(
    cast: Cast, ingested: IngestRun, tokyo_month: GeneratedMonth
) -> None:
    rows = MonthlyFigures.objects.unscoped("test").filter(month=tokyo_month.first_day)
    whole = rows.get(organisation__code=TOKYO)
    parts = rows.exclude(organisation__code=TOKYO)
    assert parts.count() == 62
    assert whole.sessions_blocked > 0
    assert whole.figures["firewall_sessions_blocked"] == whole.sessions_blocked
    # Every municipality's sessions are the prefecture's; unattributed ones only the latter's.
    assert sum(p.sessions_allowed for p in parts) <= whole.sessions_allowed
    assert sum(p.sessions_blocked for p in parts) <= whole.sessions_blocked
    again = services.figures_compute(
        principal=SYSTEM, prefecture=cast.org(TOKYO), month=tokyo_month.first_day
    )
    assert len(again) == 63
    assert rows.count() == 63
