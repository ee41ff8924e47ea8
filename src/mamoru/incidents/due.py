"""When a reporter owes a recipient its next report: the overdue and due-soon rules, in
one place for the selectors, the reminders and the pages.

A delivery is *open* while it is the newest to its recipient (``current``), its report is
not closed, and it names the deadline of the next report owed (``next_due_at``, the 確報).
It is *overdue* once that deadline has passed, and *due soon* within ``DUE_SOON`` of it.
An acknowledgement does not stop the clock: it confirms receipt of one version, while the
deadline is the reporter's duty to send the next one. A superseded delivery keeps the
deadline it was sent with and counts for nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q

from mamoru.incidents.models import Delivery, ReportStatus

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
