"""Reading reports: the reporter's own reports, a recipient's inbox, threads, overdue items.

The gate: a report is read by members (``data.view``) of the organisation that made it,
and — as the view its delivery grants — by members of a recipient it was delivered to.
Nobody else learns that it exists: lookups raise ``DoesNotExist`` (404 at the interfaces).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone

from mamoru.audit.reads import audited_read
from mamoru.incidents import due
from mamoru.incidents.content import SubmissionView
from mamoru.incidents.models import (
    Delivery,
    IncidentReport,
    Message,
    Notification,
    ReportStatus,
    Submission,
)
from mamoru.incidents.records import delivery_view
from mamoru.orgs.models import Organisation
from mamoru.orgs.policy import Access, DataKind
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import (
    organisation_acting,
    organisations_addressable,
    organisations_readable,
)


def _target(arguments: Mapping[str, Any]) -> str:
    return str(arguments.get("public_id") or arguments.get("pk") or "")


def _own_records(principal: Principal) -> QuerySet[Organisation]:
    """Whose reports the principal reads as records: its own organisation's (the policy gives
    supervisors statistics of incidents, not the reports)."""
    return organisations_readable(
        principal=principal, kind=DataKind.INCIDENTS, access=Access.RECORDS
    ).filter(pk=principal.organisation.pk)


def addressed_set(principal: Principal) -> QuerySet[Organisation]:
    """Where reports addressed by routing are read: the principal's own organisation."""
    return organisations_addressable(principal=principal, kind=DataKind.INCIDENTS)


def reports_own(*, principal: Principal, status: str = "") -> QuerySet[IncidentReport]:
    """The reports of the principal's organisation, newest first; only those in ``status``
    (a ``ReportStatus`` value) when given."""
    reports = IncidentReport.objects.within(_own_records(principal))
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    return reports.select_related("organisation__parent", "created_by").order_by(
        "-created_at", "-pk"
    )


@audited_read("incidents.report.read", target=_target)
def report_get(*, principal: Principal, public_id: UUID | str) -> IncidentReport:
    """One of the principal's own reports; ``IncidentReport.DoesNotExist`` otherwise."""
    return reports_own(principal=principal).get(public_id=public_id)


def submissions_of(*, principal: Principal, report: IncidentReport) -> QuerySet[Submission]:
    """Every version of an own report, oldest first."""
    return (
        Submission.objects.within(_own_records(principal))
        .filter(report=report)
        .select_related("report__organisation", "approved_by", "submitted_by")
        .order_by("version")
    )


def _current_deliveries(principal: Principal) -> QuerySet[Delivery]:
    return (
        Delivery.objects.within(_own_records(principal))
        .filter(current=True)
        .select_related("report", "recipient", "submission", "acknowledged_by")
        .order_by("recipient__code")
    )


def report_deliveries(*, principal: Principal, report: IncidentReport) -> QuerySet[Delivery]:
    """For the reporter: per recipient the newest delivery (what was sent, when, what is
    due next, whether it was acknowledged)."""
    return _current_deliveries(principal).filter(report=report)


def reports_deliveries(
    *, principal: Principal, reports: list[IncidentReport]
) -> dict[int, list[Delivery]]:
    """:func:`report_deliveries` of several own reports in one query, by report pk."""
    by_report: dict[int, list[Delivery]] = {r.pk: [] for r in reports}
    for delivery in _current_deliveries(principal).filter(report__in=list(by_report)):
        by_report[delivery.report_id].append(delivery)
    return by_report


# --- the recipient's side ------------------------------------------------------------------


def inbox(*, principal: Principal, unacknowledged: bool = False) -> QuerySet[Delivery]:
    """Deliveries addressed to the principal's organisation, newest first."""
    qs = Delivery.objects.addressed_to(addressed_set(principal))
    if unacknowledged:
        qs = qs.filter(acknowledged_at__isnull=True)
    # submission__report: the recipient's view (records.delivery_view) reads it per row.
    return qs.select_related(
        "submission__report__organisation",
        "submission__approved_by",
        "report__organisation",
        "recipient",
        "acknowledged_by",
    ).order_by("-delivered_at", "-pk")


def inbox_attention_first(deliveries: QuerySet[Delivery], *, now: datetime) -> QuerySet[Delivery]:
    """``deliveries`` with what needs the recipient first: not yet acknowledged, then overdue,
    then the newest."""
    pending = Case(When(acknowledged_at__isnull=True, then=Value(0)), default=Value(1))
    overdue = Case(When(due.overdue_q(now=now), then=Value(0)), default=Value(1))
    return deliveries.order_by(pending, overdue, "-delivered_at", "-pk")


INBOX_STATUSES = ("unacknowledged", "acknowledged", "overdue", "due_soon", "current")
INBOX_ORDERS = ("attention", "newest", "oldest", "due", "reporter")


@dataclass(frozen=True)
class InboxFilter:
    """What a recipient narrows its inbox to. Category and severity match only where the
    delivery lets the recipient see them (``Delivery.category``/``severity``), so a filter
    never reveals a withheld fact."""

    status: str = ""  # one of INBOX_STATUSES, or "" for all
    category: str = ""
    severity: str = ""
    prefecture: str = ""  # 2-digit prefecture code of the reporting organisation
    order: str = "attention"  # one of INBOX_ORDERS


def _status_q(status: str, now: datetime) -> Q:
    return {
        "unacknowledged": Q(acknowledged_at__isnull=True),
        "acknowledged": Q(acknowledged_at__isnull=False),
        "overdue": due.overdue_q(now=now),
        "due_soon": due.due_between_q(start=now, end=now + due.DUE_SOON),
        "current": Q(current=True),
    }.get(status, Q())


def _own_code(arguments: Mapping[str, Any]) -> str:
    return str(arguments["principal"].organisation.code)


@audited_read("incidents.inbox.list", target=_own_code)
def inbox_filtered(
    *, principal: Principal, filters: InboxFilter, now: datetime | None = None
) -> QuerySet[Delivery]:
    """:func:`inbox` narrowed by ``filters`` and sorted as they ask (unknown values are
    ignored rather than refused: a stale link still shows the inbox), for the inbox page and
    API: the read is recorded (one entry a page)."""
    now = now or timezone.now()
    qs = inbox(principal=principal).filter(_status_q(filters.status, now))
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.severity:
        qs = qs.filter(severity=filters.severity)
    if filters.prefecture:
        qs = qs.filter(report__organisation__prefecture_code=filters.prefecture)
    orders = {
        "newest": ("-delivered_at", "-pk"),
        "oldest": ("delivered_at", "pk"),
        "due": (F("next_due_at").asc(nulls_last=True), "-delivered_at", "-pk"),
        "reporter": ("report__organisation__code", "-delivered_at", "-pk"),
    }
    if filters.order in orders:
        return qs.order_by(*orders[filters.order])
    return inbox_attention_first(qs, now=now)


def inbox_prefectures(*, principal: Principal) -> list[str]:
    """The prefecture codes of the organisations that reported to the principal's one."""
    codes = (
        inbox(principal=principal)
        .order_by()
        .values_list("report__organisation__prefecture_code", flat=True)
        .distinct()
    )
    return sorted(c for c in codes if c)


def inbox_selected(*, principal: Principal, pks: list[int]) -> list[Delivery]:
    """The deliveries among ``pks`` addressed to the principal's organisation (the others,
    and pks that do not exist, are left out: the bulk action acts on what it may)."""
    return list(inbox(principal=principal).filter(pk__in=pks))


@dataclass(frozen=True)
class InboxItem:
    """A delivery and the only view of its submission its recipient may have."""

    delivery: Delivery
    view: SubmissionView
    facts: dict[str, Any]


@audited_read("incidents.inbox.read", target=_target)
def inbox_item_get(*, principal: Principal, pk: int) -> InboxItem:
    """One delivery to the principal's organisation, cut for it; ``Delivery.DoesNotExist``
    otherwise."""
    delivery = inbox(principal=principal).get(pk=pk)
    return InboxItem(delivery, *delivery_view(delivery))


def inbox_items(
    *, principal: Principal, deliveries: QuerySet[Delivery] | list[Delivery]
) -> list[InboxItem]:
    """Views of several deliveries (e.g. a page of :func:`inbox`), each cut for its recipient."""
    addressed = set(addressed_set(principal).values_list("pk", flat=True))
    return [InboxItem(d, *delivery_view(d)) for d in deliveries if d.recipient_id in addressed]


# --- both sides ------------------------------------------------------------------------------


def report_visible(*, principal: Principal, public_id: UUID | str) -> IncidentReport:
    """A report the principal made or received; ``IncidentReport.DoesNotExist`` otherwise."""
    made = IncidentReport.objects.within(_own_records(principal))
    received = IncidentReport.objects.addressed_to(addressed_set(principal))
    return (made | received).select_related("organisation").distinct().get(public_id=public_id)


def thread_recipient(
    *, principal: Principal, report: IncidentReport, recipient_code: str
) -> Organisation:
    """The recipient of a thread the principal takes part in; ``Organisation.DoesNotExist``
    when the principal is neither the reporter nor that recipient, or nothing was sent."""
    own = principal.organisation
    if own.pk != report.organisation_id and own.code != recipient_code:
        raise Organisation.DoesNotExist
    sent = Delivery.objects.within(_own_records(principal)) | Delivery.objects.addressed_to(
        addressed_set(principal)
    )
    delivered = sent.filter(report=report, recipient__code=recipient_code)
    return Organisation.objects.unscoped("a recipient of a report the principal sees").get(
        code=recipient_code, pk__in=delivered.values("recipient")
    )


@audited_read("incidents.thread.read", target=_target)
def thread_messages(
    *, principal: Principal, public_id: UUID | str, recipient_code: str
) -> QuerySet[Message]:
    """The thread between the reporter and one recipient, oldest first."""
    report = report_visible(principal=principal, public_id=public_id)
    recipient = thread_recipient(principal=principal, report=report, recipient_code=recipient_code)
    threads = Message.objects.within(_own_records(principal)) | Message.objects.addressed_to(
        addressed_set(principal)
    )
    return (
        threads.filter(report=report, recipient=recipient)
        .select_related("author", "organisation")
        .order_by("created_at", "pk")
    )


@audited_read("incidents.thread.read", target=_target)
def report_threads(*, principal: Principal, public_id: UUID | str) -> dict[str, list[Message]]:
    """Every thread of one of the principal's own reports, by recipient code, oldest message
    first: the report page reads them all at once (one audit entry, not one per thread)."""
    report = reports_own(principal=principal).get(public_id=public_id)
    threads: dict[str, list[Message]] = {}
    messages = (
        Message.objects.within(_own_records(principal))
        .filter(report=report)
        .select_related("author", "organisation", "recipient")
        .order_by("created_at", "pk")
    )
    for message in messages:
        threads.setdefault(message.recipient.code, []).append(message)
    return threads


def deliveries_overdue(*, principal: Principal, now: datetime | None = None) -> QuerySet[Delivery]:
    """Open reports whose next report (the 確報) is past its deadline for a recipient, on
    both sides: as reporter (own reports) and as recipient (addressed to the principal).

    An acknowledgement does not stop the clock: it confirms receipt of one version, while
    the deadline is the reporter's duty to send the next one.
    """
    made = Delivery.objects.within(_own_records(principal))
    received = Delivery.objects.addressed_to(addressed_set(principal))
    return (
        (made | received)
        .filter(due.overdue_q(now=now or timezone.now()))
        .select_related("report__organisation", "recipient", "submission")
        .order_by("next_due_at", "pk")
    )


def deliveries_due_soon(
    *, principal: Principal, until: datetime, now: datetime | None = None
) -> QuerySet[Delivery]:
    """The reporter's own open reports whose next deadline falls between now and ``until``."""
    return (
        Delivery.objects.within(_own_records(principal))
        .filter(due.due_between_q(start=now or timezone.now(), end=until))
        .select_related("report", "recipient")
        .order_by("next_due_at", "pk")
    )


# --- notifications ---------------------------------------------------------------------------


def notifications_of(*, principal: Principal, unread: bool = False) -> QuerySet[Notification]:
    """The principal's own notifications in the organisation it acts in, newest first."""
    qs = Notification.objects.within(organisation_acting(principal=principal)).filter(
        user=principal.user
    )
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def notification_get(*, principal: Principal, pk: int) -> Notification:
    return notifications_of(principal=principal).get(pk=pk)


# --- the lists people open: each read recorded once per page ---------------------------------


@audited_read("incidents.overdue.list", target=_own_code)
def overdue_listed(*, principal: Principal) -> QuerySet[Delivery]:
    """:func:`deliveries_overdue` for the overdue list, recorded."""
    return deliveries_overdue(principal=principal)


@audited_read("incidents.notifications.list", target=_own_code)
def notifications_listed(*, principal: Principal) -> QuerySet[Notification]:
    """:func:`notifications_of` for the notifications page and API, recorded."""
    return notifications_of(principal=principal)
