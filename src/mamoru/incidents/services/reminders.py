"""Reminders to reporters before (and once after) the deadlines they owe their recipients.

What is owed and when is decided in ``incidents.due``; this sends the notifications.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.incidents import due
from mamoru.incidents.links import report_link
from mamoru.incidents.models import (
    Delivery,
    IncidentReport,
    NotificationKind,
    PhaseChoice,
    ReportStatus,
)
from mamoru.incidents.services.notifications import notify_organisation


def _final_dues(horizon: datetime) -> Iterator[due.Owed]:
    deliveries = (
        Delivery.objects.unscoped("reminders go to every reporter")
        .filter(due.open_q(), next_due_at__lte=horizon)
        .select_related("report__organisation", "recipient")
    )
    yield from due.delivery_owed(deliveries)


def _preliminary_dues(horizon: datetime) -> Iterator[due.Owed]:
    """Reports never submitted: the 第一報 deadlines their draft would be routed with."""
    drafts = (
        IncidentReport.objects.unscoped("reminders go to every reporter")
        .filter(
            status__in=[ReportStatus.DRAFT, ReportStatus.AWAITING_APPROVAL],
            submissions__isnull=True,
        )
        .select_related("organisation__parent__parent")
    )
    for report in drafts:
        yield from (owed for owed in due.draft_owed(report) if owed.due_at <= horizon)


def _when(moment: datetime) -> str:
    """The Western calendar, as on every page the reminder links to."""
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local.hour:02d}:{local.minute:02d}"


def deadline_reminders_send(
    *, now: datetime | None = None, within: timedelta = due.DUE_SOON
) -> int:
    """Notify reporters of deadlines due within ``within``, and once more when one has
    passed. Idempotent: each person is told once per report, recipient, phase, deadline
    and state (coming / overdue). Returns the number of notifications created."""
    now = now or timezone.now()
    horizon = now + within
    created = 0
    for owed in [*_final_dues(horizon), *_preliminary_dues(horizon)]:
        overdue = owed.due_at <= now
        state = "overdue" if overdue else "soon"
        key = ":".join(
            (
                "deadline",
                str(owed.report.pk),
                owed.recipient_name,
                owed.phase.value,
                owed.due_at.isoformat(),
                state,
            )
        )
        template = (
            _("「%(title)s」の%(recipient)sへの%(phase)sの期限（%(due)s）を過ぎています。")
            if overdue
            else _("「%(title)s」の%(recipient)sへの%(phase)sの期限は%(due)sです。")
        )
        text = str(template) % {
            "title": owed.report.title,
            "recipient": owed.recipient_name,
            "phase": PhaseChoice(owed.phase.value).label,
            "due": _when(owed.due_at),
        }
        created += len(
            notify_organisation(
                organisation=owed.report.organisation,
                kind=NotificationKind.DEADLINE,
                text=text,
                link=report_link(owed.report),
                email=True,
                key=key[:200],
            )
        )
    return created
