"""The micro-batch ingest of the receiver's closed segments (at-least-once: a segment left
in ``closed/`` by a crash is ingested again without counting twice) and of the drop folder
(rotated names, copies in progress left alone, unreadable files set aside with the
reason), and the monthly reports on each prefecture's schedule."""

from __future__ import annotations

import gzip
import os
import time
from datetime import date

import pytest
import zstandard
from django.utils import timezone

from mamoru.incidents.models import Notification
from mamoru.orgs.principal import System
from mamoru.seccloud import services, tasks
from mamoru.seccloud.models import (
    DeviceDay,
    IngestRun,
    MonthlyFigures,
    ReportSchedule,
    RunStatus,
)
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


def test_the_drop_folder_takes_rotated_names_waits_for_copies_and_sets_aside_what_it_cannot_read(
    cast: Cast,
) -> None:
    tokyo = cast.org(TOKYO)
    services.ranges_import(
        principal=System("test"),
        data=f"organisation,cidr,valid_from,valid_to\n{CHIYODA},10.1.0.0/16,,\n".encode(),
    )
    drop = services.drop_root(tokyo)
    drop.mkdir(parents=True)
    lines = [fortigate_line("2026-10-06", f"10.1.0.{n}", "198.51.100.1") for n in range(5)]
    (drop / "fortigate.log.1.gz").write_bytes(gzip.compress(("\n".join(lines[:2]) + "\n").encode()))
    (drop / "traffic.log-20261006").write_text("\n".join(lines[2:4]) + "\n", encoding="utf-8")
    whole = gzip.compress(("\n".join(lines) + "\n").encode())
    (drop / "broken.log.2.gz").write_bytes(whole[: len(whole) // 2])  # a copy cut short
    (drop / "copying.log.part").write_text(lines[4] + "\n", encoding="utf-8")
    (drop / "fresh.log").write_text(lines[4] + "\n", encoding="utf-8")
    settled = time.time() - 60
    for name in ("fortigate.log.1.gz", "traffic.log-20261006", "broken.log.2.gz"):
        os.utime(drop / name, (settled, settled))

    assert tasks.ingest_closed_segments.call() == 4
    assert sorted(p.name for p in drop.iterdir()) == ["copying.log.part", "fresh.log"]
    spool = services.spool_root(tokyo)
    assert len(list((spool / "ingested").iterdir())) == 2
    failed = sorted(p.name for p in (spool / "failed").iterdir())
    assert len(failed) == 2
    assert failed[0].endswith("broken.log.2.gz")
    assert failed[1].endswith("broken.log.2.gz.reason.txt")
    runs = IngestRun.objects.unscoped("test").order_by("pk")
    assert [(r.status, r.rows_stored) for r in runs] == [
        (RunStatus.FAILED, 0),
        (RunStatus.DONE, 2),
        (RunStatus.DONE, 2),
    ]
    assert "broken.log.2.gz" in runs[0].source
    assert "途中で切れています" in runs[0].error
    status = services.drop_status(tokyo)
    assert status.waiting == ["copying.log.part", "fresh.log"]
    assert [name for name, _ in status.failed] == [failed[0]]
    # the fresh file is taken once it has been left alone
    os.utime(drop / "fresh.log", (settled, settled))
    assert tasks.ingest_closed_segments.call() == 1
