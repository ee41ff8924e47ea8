"""The monthly report: the engine's figures of a prefecture-month (from the hourly
rollups) stored as aggregates for the prefecture and each municipality with data, on a
schedule (``tasks``) or on demand."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
from django.db import transaction
from django.utils import timezone

from mamoru.orgs.models import MUNICIPAL_KINDS, Organisation
from mamoru.orgs.principal import Actor, audit
from mamoru.seccloud import engine
from mamoru.seccloud.models import MonthlyFigures, ReportSchedule
from mamoru.seccloud.services.common import engine_config, require_operator, store_root


def month_text(month: date) -> str:
    return f"{month:%Y-%m}"


def _municipality_codes(prefecture: Organisation, month: date) -> list[str]:
    """Municipalities of the prefecture whose rollups of ``month`` exist."""
    glob = engine.Store(store_root()).rollups_glob(prefecture.prefecture_code, month_text(month))
    try:
        con = duckdb.connect()
        rows = con.execute(
            "SELECT DISTINCT org_uid FROM read_parquet(?, hive_partitioning = true) "
            "WHERE org_uid IS NOT NULL",
            [glob],
        ).fetchall()
        con.close()
    except duckdb.IOException:  # no file for the month
        return []
    codes = {str(r[0]) for r in rows}
    return list(
        Organisation.objects.unscoped("the municipalities present in the prefecture's logs")
        .filter(
            code__in=codes, kind__in=MUNICIPAL_KINDS, prefecture_code=prefecture.prefecture_code
        )
        .order_by("code")
        .values_list("code", flat=True)
    )


def _store(
    prefecture: Organisation, owner: Organisation, month: date, figures: engine.MonthlyFigures
) -> MonthlyFigures:
    row, _created = MonthlyFigures.objects.unscoped(
        "figures written by the report service for the prefecture it checked"
    ).update_or_create(
        organisation=owner,
        month=month,
        defaults={
            "prefecture": prefecture,
            "figures": figures.as_dict(),
            "sessions_allowed": figures.firewall_sessions_allowed,
            "sessions_blocked": figures.firewall_sessions_blocked,
            "ips_detections": figures.ips_detections,
            "malware": figures.malware_detected_total,
            "spam": figures.spam,
            "url_blocks": figures.url_blocks,
            "computed_at": timezone.now(),
        },
    )
    return row


def prefecture_figures_refresh(*, prefecture: Organisation, months: set[date]) -> None:
    """The whole-prefecture figures of ``months`` again (after an ingest, by the service
    that checked the principal): the dashboard's "this month" follows the ingest, while
    the municipalities' figures wait for the monthly report."""
    for month in sorted(m.replace(day=1) for m in months):
        figures = engine.monthly_report(
            store=store_root(), prefecture=prefecture.prefecture_code, month=month_text(month),
            config=engine_config(),
        )  # fmt: skip
        _store(prefecture, prefecture, month, figures)


def figures_compute(
    *, principal: Actor, prefecture: Organisation, month: date
) -> list[MonthlyFigures]:
    """Compute and store the month's figures: the whole prefecture first, then each
    municipality with data. Recomputing replaces the rows (idempotent)."""
    require_operator(principal, prefecture)
    month = month.replace(day=1)
    config = engine_config()
    rows = []
    whole = engine.monthly_report(
        store=store_root(), prefecture=prefecture.prefecture_code, month=month_text(month),
        config=config,
    )  # fmt: skip
    with transaction.atomic():
        rows.append(_store(prefecture, prefecture, month, whole))
        codes = _municipality_codes(prefecture, month)
        owners = {
            o.code: o
            for o in Organisation.objects.unscoped("the municipalities just listed").filter(
                code__in=codes
            )
        }
        for code in codes:
            figures = engine.monthly_report(
                store=store_root(), prefecture=prefecture.prefecture_code,
                month=month_text(month), organisation=code, config=config,
            )  # fmt: skip
            rows.append(_store(prefecture, owners[code], month, figures))
        audit(
            principal, "seccloud.report.compute", organisation=prefecture,
            target=f"month:{month_text(month)}", details={"organisations": len(rows)},
        )  # fmt: skip
    return rows


def last_month(today: date) -> date:
    """The first day of the month before ``today``'s."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def scheduled_reports_due(*, today: date) -> list[tuple[Organisation, date]]:
    """Prefectures whose schedule says last month's report is due today or earlier."""
    month = last_month(today)
    due = []
    for schedule in (
        ReportSchedule.objects.unscoped("the scheduler reads every schedule")
        .filter(enabled=True, day_of_month__lte=today.day)
        .select_related("prefecture")
    ):
        if schedule.last_month is None or schedule.last_month < month:
            due.append((schedule.prefecture, month))
    return due


def schedule_mark_done(*, prefecture: Organisation, month: date) -> None:
    ReportSchedule.objects.unscoped("the scheduler records the month it produced").filter(
        prefecture=prefecture
    ).update(last_month=month)
