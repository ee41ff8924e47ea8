"""Reads of the audit log: an organisation's own entries, for people holding ``audit.view``.

Supervisors see nothing of other organisations' logs (``DataKind.AUDIT`` is
``Access.NONE`` in ``mamoru.orgs.policy``). Reading the log is itself recorded — once per
person and organisation in ``READ_RECORDED_EVERY``, so that paging through the log and
changing its filters does not flood it with entries about reading it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.audit.models import AuditEvent
from mamoru.audit.services import audit_record
from mamoru.core.access import Acting, Permission

READ_RECORDED_EVERY = timedelta(minutes=30)


@dataclass(frozen=True)
class AuditFilters:
    """What the page's filters ask for; empty values filter nothing."""

    who: str = ""  # a user name or part of one
    action: str = ""
    outcome: str = ""
    since: date | None = None
    until: date | None = None


def audit_events_latest(*, limit: int) -> list[AuditEvent]:
    """The newest ``limit`` entries, oldest first (for operators at the command line)."""
    newest = AuditEvent.objects.unscoped("operators at the server's command line").order_by("-id")
    return list(newest[: max(limit, 0)])[::-1]


def _record_read(principal: Acting) -> None:
    since = timezone.now() - READ_RECORDED_EVERY
    recent = (
        AuditEvent.objects.unscoped("whether this reader's read is already recorded")
        .filter(
            organisation_id=principal.organisation.pk,
            actor_id=principal.user.pk,
            action="audit.log.read",
            occurred_at__gte=since,
        )
        .exists()
    )
    if not recent:
        audit_record(
            action="audit.log.read",
            actor=principal.user,
            organisation=principal.organisation,
            target=str(principal.organisation.code),
            details={"via": principal.via},
        )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events_for(
    *, principal: Acting, filters: AuditFilters | None = None
) -> QuerySet[AuditEvent]:
    """The entries written while acting in the principal's organisation, newest first;
    ``PermissionDenied`` without ``audit.view``."""
    if not principal.can(Permission.AUDIT_VIEW):
        raise PermissionDenied(_("監査ログは、団体の管理者と CISO が閲覧できます。"))
    _record_read(principal)
    events = AuditEvent.objects.unscoped("the principal's own organisation, checked above").filter(
        organisation_id=principal.organisation.pk
    )
    f = filters or AuditFilters()
    if f.who:
        events = events.filter(actor_username__icontains=f.who)
    if f.action:
        events = events.filter(Q(action=f.action))
    if f.outcome:
        events = events.filter(outcome=f.outcome)
    if f.since:
        events = events.filter(occurred_at__gte=_day_start(f.since))
    if f.until:
        events = events.filter(occurred_at__lt=_day_start(f.until + timedelta(days=1)))
    return events.order_by("-id")
