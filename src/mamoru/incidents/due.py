"""When a reporter owes a recipient its next report: the overdue and due-soon rules, in
one place for the selectors, the reminders, the pages and the home page.

A delivery is *open* while it is the newest to its recipient (``current``), its report is
not closed, and it names the deadline of the next report owed (``next_due_at``, the 確報).
It is *overdue* once that deadline has passed, and *due soon* within ``DUE_SOON`` of it.
An acknowledgement does not stop the clock: it confirms receipt of one version, while the
deadline is the reporter's duty to send the next one. A superseded delivery keeps the
deadline it was sent with and counts for nothing.

A report never submitted owes each recipient its routing names the 第一報 (preliminary
report), by the deadline that routing computes from the draft: :func:`draft_owed`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q

from mamoru.core.jpcalendar import to_jst
from mamoru.incidents.content import ContentError, Phase
from mamoru.incidents.models import Delivery, IncidentReport, ReportStatus
from mamoru.incidents.records import NotALocalGovernmentError, draft_content, reporter_context
from mamoru.incidents.routing import NoRuleSetError, route, ruleset_for

# How long before a deadline the reporter is warned (pages, home page, reminders).
DUE_SOON = timedelta(days=2)


def open_q() -> Q:
    """Deliveries that still name a deadline the reporter owes."""
    return Q(current=True, next_due_at__isnull=False) & ~Q(report__status=ReportStatus.CLOSED)


def overdue_q(*, now: datetime) -> Q:
    return open_q() & Q(next_due_at__lt=now)


def due_between_q(*, start: datetime, end: datetime) -> Q:
    return open_q() & Q(next_due_at__gte=start, next_due_at__lte=end)


def is_overdue(delivery: Delivery, *, now: datetime) -> bool:
    return (
        delivery.current
        and delivery.next_due_at is not None
        and delivery.next_due_at < now
        and delivery.report.status != ReportStatus.CLOSED
    )


def is_due_soon(delivery: Delivery, *, now: datetime) -> bool:
    return (
        delivery.current
        and delivery.next_due_at is not None
        and now <= delivery.next_due_at <= now + DUE_SOON
        and delivery.report.status != ReportStatus.CLOSED
    )


# --- what is owed, submitted or not ---------------------------------------------------------


class State(enum.StrEnum):
    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"


def state_of(due_at: datetime, *, now: datetime) -> State:
    if due_at < now:
        return State.OVERDUE
    return State.SOON if due_at <= now + DUE_SOON else State.LATER


@dataclass(frozen=True)
class Owed:
    """A report the reporting organisation owes one recipient, and by when."""

    report: IncidentReport
    recipient_code: str
    recipient_name: str
    phase: Phase  # its code goes into reminder keys, its label into texts
    due_at: datetime
    timing: str  # routing.Timing value: fixed | promptly | immediately

    def state(self, *, now: datetime) -> State:
        return state_of(self.due_at, now=now)


def draft_owed(report: IncidentReport) -> list[Owed]:
    """The 第一報 deadlines of a report never submitted, from the routing of its draft by
    the rule set in force on the day it was made. Empty once a version was submitted, or
    when the draft cannot be routed (the form always stores a routable draft)."""
    if report.status not in (ReportStatus.DRAFT, ReportStatus.AWAITING_APPROVAL):
        return []
    try:
        content = draft_content(report)
        ruleset = ruleset_for(to_jst(report.created_at).date())
        reporter = reporter_context(report.organisation)
    except (ContentError, ValueError, NoRuleSetError, NotALocalGovernmentError):
        return []
    owed = []
    for recipient in route(content.facts, reporter=reporter, ruleset=ruleset):
        first = recipient.preliminary
        if first is not None and first.due_at is not None:
            owed.append(
                Owed(
                    report,
                    recipient.code,
                    recipient.name,
                    Phase.PRELIMINARY,
                    first.due_at,
                    first.timing.value,
                )
            )
    return sorted(owed, key=lambda o: o.due_at)


def delivery_owed(deliveries: Iterable[Delivery]) -> list[Owed]:
    """The 確報 still owed on open deliveries (``next_due_at``), earliest first."""
    owed = [
        Owed(
            d.report, d.recipient.code, d.recipient.name, Phase.FINAL, d.next_due_at, d.final_timing
        )
        for d in deliveries
        if d.current and d.next_due_at is not None and d.report.status != ReportStatus.CLOSED
    ]
    return sorted(owed, key=lambda o: o.due_at)


def pressing(owed: Iterable[Owed], *, now: datetime) -> list[Owed]:
    """What the pages warn about: overdue or due within ``DUE_SOON``, earliest first."""
    return sorted((o for o in owed if o.state(now=now) is not State.LATER), key=lambda o: o.due_at)
