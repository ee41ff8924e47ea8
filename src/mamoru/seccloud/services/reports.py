"""The monthly report: the engine's figures of a prefecture-month (from the hourly
rollups) stored as aggregates for the prefecture and each municipality with data, on a
schedule (``tasks``) or on demand."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.incidents.models import NotificationKind
from mamoru.incidents.services import notify_organisation
from mamoru.orgs.models import MUNICIPAL_KINDS, Organisation
from mamoru.orgs.principal import Actor, audit
from mamoru.seccloud import engine
from mamoru.seccloud.models import MonthlyFigures, ReportSchedule
from mamoru.seccloud.services.common import engine_config, require_operator, store_root


def month_text(month: date) -> str:
    return f"{month:%Y-%m}"


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
    computed = engine.monthly_reports(
        store=store_root(), prefecture=prefecture.prefecture_code, month=month_text(month),
        config=engine_config(),
    )  # fmt: skip
    owners = {
        o.code: o
        for o in Organisation.objects.unscoped("the municipalities present in the logs").filter(
            code__in=[c for c in computed if c],
            kind__in=MUNICIPAL_KINDS,
            prefecture_code=prefecture.prefecture_code,
        )
    }
    with transaction.atomic():
        rows = [_store(prefecture, prefecture, month, computed[None])]
        rows += [
            _store(prefecture, owners[code], month, figures)
            for code, figures in computed.items()
            if code in owners
        ]
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
    """Record the month produced, and tell the prefecture's members the report is ready."""
    ReportSchedule.objects.unscoped("the scheduler records the month it produced").filter(
        prefecture=prefecture
    ).update(last_month=month)
    notify_organisation(
        organisation=prefecture, kind=NotificationKind.MESSAGE,
        text=_("セキュリティクラウドの月次報告（%(month)s）ができました。") % {"month": f"{month:%Y-%m}"},
        link=reverse("seccloud:report", args=[prefecture.code, month_text(month)]),
        key=f"seccloud-report:{prefecture.code}:{month_text(month)}",
    )  # fmt: skip
