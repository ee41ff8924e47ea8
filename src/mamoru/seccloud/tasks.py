"""Background work of the security cloud: the micro-batch ingest of the receiver's closed
segments (at-least-once; the checkpoints and ``IngestedSegment`` make retries harmless),
and the monthly reports on each prefecture's schedule or on demand."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django_tasks import task

from mamoru.core.scheduler import periodic
from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.principal import System
from mamoru.seccloud.services import (
    drop_ingest,
    figures_compute,
    prefecture_by_code,
    schedule_mark_done,
    scheduled_reports_due,
    spool_ingest,
    spool_root,
)


@task()
def ingest_closed_segments() -> int:
    """Ingest every prefecture's closed syslog segments and the settled files of its drop
    folder; the rows read."""
    rows = 0
    system = System("seccloud micro-batch ingest")
    prefectures = Organisation.objects.unscoped(
        "the micro-batch visits every prefecture's spool"
    ).filter(kind=OrganisationKind.PREFECTURE)
    for prefecture in prefectures:
        spool = spool_root(prefecture)
        if (spool / "closed").is_dir():
            run = spool_ingest(principal=system, prefecture=prefecture, spool=spool)
            rows += run.rows_read if run else 0
        if (spool / "drop").is_dir():
            runs = drop_ingest(principal=system, prefecture=prefecture, spool=spool)
            rows += sum(r.rows_read for r in runs)
    return rows


@task()
def monthly_report(prefecture_code: str, month: str) -> int:
    """Compute one prefecture's figures of ``month`` (YYYY-MM); the rows stored."""
    prefecture = prefecture_by_code(prefecture_code)
    rows = figures_compute(
        principal=System("seccloud monthly report"),
        prefecture=prefecture,
        month=date.fromisoformat(month + "-01"),
    )
    return len(rows)


@task()
def scheduled_monthly_reports() -> int:
    """Last month's report of every prefecture whose schedule says it is due."""
    done = 0
    for prefecture, month in scheduled_reports_due(today=timezone.localdate()):
        figures_compute(
            principal=System("seccloud scheduled monthly report"),
            prefecture=prefecture,
            month=month,
        )
        schedule_mark_done(prefecture=prefecture, month=month)
        done += 1
    return done


periodic(
    ingest_closed_segments,
    every=timedelta(minutes=1),
    name="seccloud.ingest-closed-segments",
    description="セキュリティクラウド: 受信済みログ（閉じたセグメント）と取り込みフォルダのファイルの取り込み",
)
periodic(
    scheduled_monthly_reports,
    every=timedelta(hours=6),
    name="seccloud.monthly-reports",
    description="セキュリティクラウド: 予定日を過ぎた前月分の月次報告の作成",
)
