"""Reminders to reporters before (and once after) the deadlines they owe their recipients."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.core.jpcalendar import format_wareki_datetime, to_jst
from mamoru.incidents import due
from mamoru.incidents.content import ContentError, Phase
from mamoru.incidents.links import report_link
from mamoru.incidents.models import (
    Delivery,
    IncidentReport,
    NotificationKind,
    PhaseChoice,
    ReportStatus,
)
from mamoru.incidents.records import draft_content, reporter_context
from mamoru.incidents.routing import NoRuleSetError, route, ruleset_for
from mamoru.incidents.services.notifications import notify_organisation


@dataclass(frozen=True)
class _Due:
    report: IncidentReport
    recipient_name: str
    phase: Phase  # its code goes into the idempotence key, its label into the text
    due_at: datetime


def _final_dues(horizon: datetime) -> Iterator[_Due]:
    deliveries = (
        Delivery.objects.unscoped("reminders go to every reporter")
        .filter(due.open_q(), next_due_at__lte=horizon)
        .select_related("report__organisation", "recipient")
    )
    for delivery in deliveries:
        assert delivery.next_due_at is not None  # filtered above
        yield _Due(delivery.report, delivery.recipient.name, Phase.FINAL, delivery.next_due_at)


def _preliminary_dues(horizon: datetime) -> Iterator[_Due]:
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
        try:
            content = draft_content(report)
            ruleset = ruleset_for(to_jst(report.created_at).date())
        except (ContentError, ValueError, NoRuleSetError):
            continue
        reporter = reporter_context(report.organisation)
        for recipient in route(content.facts, reporter=reporter, ruleset=ruleset):
            first = recipient.preliminary
            if first is not None and first.due_at is not None and first.due_at <= horizon:
                yield _Due(report, recipient.name, Phase.PRELIMINARY, first.due_at)


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
            "due": format_wareki_datetime(owed.due_at),
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
