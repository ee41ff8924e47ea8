"""Home-page items of incident reporting (``web.attention``): reports awaiting approval,
deadlines within two days or past, and reports received but not yet acknowledged.

Registered when this module is imported: ``IncidentsConfig.ready()`` imports it.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.incidents import selectors
from mamoru.incidents.models import ReportStatus
from mamoru.orgs.roles import Permission
from mamoru.web.attention import Attention, AttentionContext, Level, attention_check

DUE_SOON = timedelta(days=2)
MAX_ENTRIES = 10


@attention_check
def incident_reports_awaiting_approval(context: AttentionContext) -> Attention | None:
    if not context.principal.can(Permission.REPORTS_APPROVE):
        return None
    waiting = list(
        selectors.reports_own(principal=context.principal).filter(
            status=ReportStatus.AWAITING_APPROVAL
        )[:MAX_ENTRIES]
    )
    if not waiting:
        return None
    return Attention(
        key="incident-reports-awaiting-approval",
        level=Level.DANGER,
        title=_("承認を待っているインシデント報告があります（%(count)d件）")
        % {"count": len(waiting)},
        detail=_("内容を確認して承認すると、法令等で定められた宛先へ報告が届きます。"),
        entries=[r.title for r in waiting],
    )


@attention_check
def incident_deadlines(context: AttentionContext) -> Attention | None:
    principal = context.principal
    overdue = list(selectors.deliveries_overdue(principal=principal)[:MAX_ENTRIES])
    overdue = [d for d in overdue if d.report.organisation_id == principal.organisation.pk]
    soon = list(
        selectors.deliveries_due_soon(principal=principal, until=timezone.now() + DUE_SOON)[
            :MAX_ENTRIES
        ]
    )
    if not overdue and not soon:
        return None
    entries = [
        _("%(recipient)s: 「%(title)s」の確報 — %(state)s")
        % {
            "recipient": d.recipient.name,
            "title": d.report.title,
            "state": _("期限切れ") if d in overdue else _("2日以内が期限"),
        }
        for d in [*overdue, *soon]
    ]
    return Attention(
        key="incident-deadlines",
        level=Level.DANGER if overdue else Level.WARNING,
        title=_("インシデント報告の期限が迫っています"),
        detail=_("宛先ごとの期限までに続報又は確報を提出してください。"),
        entries=entries,
    )


@attention_check
def incident_inbox_unacknowledged(context: AttentionContext) -> Attention | None:
    pending = list(selectors.inbox(principal=context.principal, unacknowledged=True)[:MAX_ENTRIES])
    if not pending:
        return None
    return Attention(
        key="incident-inbox-unacknowledged",
        level=Level.WARNING,
        title=_("受領を確認していないインシデント報告があります"),
        detail=_("受信箱で報告を開き、「受領を確認する」を押してください。"),
        entries=[f"{d.report.organisation.name}: {d.report.title}" for d in pending],
    )
