"""Reads of the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from mamoru.audit.models import AuditEvent
from mamoru.audit.reads import audited_read
from mamoru.orgs.principal import Principal
from mamoru.orgs.roles import Permission


def audit_events_latest(*, limit: int) -> list[AuditEvent]:
    """The newest ``limit`` entries, oldest first (for operators at the command line)."""
    newest = list(AuditEvent.objects.order_by("-id")[: max(limit, 0)])
    return newest[::-1]


@audited_read("audit.read", target=lambda kwargs: str(kwargs["principal"].organisation.code))
def audit_events_for(*, principal: Principal) -> QuerySet[AuditEvent]:
    """The entries written while acting in the principal's organisation, newest first.

    Only principals holding ``audit.view`` there see anything; supervisors see nothing
    of other organisations' logs (``DataKind.AUDIT`` is ``Access.NONE`` in the policy).
    Reading the log is itself recorded.
    """
    if not principal.can(Permission.AUDIT_VIEW):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(organisation_id=principal.organisation.pk).order_by("-id")
