"""The micro-batch ingest of the receiver's closed segments (at-least-once: a segment left
in ``closed/`` by a crash is ingested again without counting twice) and the monthly
reports on each prefecture's schedule."""

from __future__ import annotations

from datetime import date

import pytest
import zstandard
from django.utils import timezone

from mamoru.incidents.models import Notification
from mamoru.orgs.principal import System
from mamoru.seccloud import services, tasks
from mamoru.seccloud.models import DeviceDay, MonthlyFigures, ReportSchedule
from mamoru.seccloud.testing import fortigate_line
from mamoru.testing import CHIYODA, TOKYO, Cast

pytestmark = pytest.mark.django_db


def test_closed_segments_are_ingested_once_and_moved(cast: Cast) -> None:
    tokyo = cast.org(TOKYO)
    services.ranges_import(
        principal=System("test"),
        data=f"organisation,cidr,valid_from,valid_to\n{CHIYODA},10.1.0.0/16,,\n".encode(),
    )
    spool = services.spool_root(tokyo)
    (spool / "closed").mkdir(parents=True)
    text = "\n".join(fortigate_line("2026-10-05", f"10.1.0.{n}", "198.51.100.1") for n in range(3))
    segment = spool / "closed" / "syslog-1.log.zst"
    segment.write_bytes(zstandard.ZstdCompressor().compress((text + "\n").encode()))
    copy = segment.read_bytes()
    assert tasks.ingest_closed_segments.call() == 3
    assert not segment.exists()
    assert (spool / "ingested" / "syslog-1.log.zst").exists()
    segment.write_bytes(copy)  # a crash before the move: the same segment comes back
    assert tasks.ingest_closed_segments.call() == 0
    assert DeviceDay.objects.unscoped("test").get(device__name="FGT-TEST").lines == 3


def test_scheduled_reports_run_once_a_month_after_their_day(cast: Cast) -> None:
    tokyo = cast.org(TOKYO)
    services.schedule_save(principal=System("test"), prefecture=tokyo, day_of_month=1)
    assert tasks.scheduled_monthly_reports.call() == 1
    month = services.last_month(timezone.localdate())
    assert ReportSchedule.objects.unscoped("test").get(prefecture=tokyo).last_month == month
    assert MonthlyFigures.objects.unscoped("test").filter(organisation=tokyo, month=month).exists()
    assert tasks.scheduled_monthly_reports.call() == 0
    told = Notification.objects.unscoped("test").filter(key__startswith="seccloud-report:")
    assert {n.user for n in told} == {cast.tokyo}
    assert services.scheduled_reports_due(today=date(2099, 1, 2)) == [(tokyo, date(2098, 12, 1))]
