"""Incident items of "what needs attention" on an organisation's home page."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mamoru.incidents.selectors import deliveries_due_soon, deliveries_overdue, inbox
from mamoru.web.attention import Attention, AttentionContext, Level, attention_check

DUE_SOON = timedelta(days=3)


def _acting_here(context: AttentionContext) -> bool:
    return context.principal.organisation.pk == context.organisation.pk


@attention_check
def incident_reports_overdue(context: AttentionContext) -> Attention | None:
    if not _acting_here(context):
        return None
    overdue = list(deliveries_overdue(principal=context.principal)[:20])
    if not overdue:
        return None
    return Attention(
        key="incident-reports-overdue",
        level=Level.DANGER,
        title=str(_("期限を過ぎたインシデント報告があります")),
        detail=ngettext(
            "%(count)d件の報告で、確報の期限を過ぎています。",
            "%(count)d件の報告で、確報の期限を過ぎています。",
            len(overdue),
        )
        % {"count": len(overdue)},
        entries=[
            f"{d.report.title}（{d.recipient.name}、"
            f"{date_format(localtime(d.next_due_at), 'DATE_FORMAT')} まで）"
            for d in overdue
            if d.next_due_at is not None
        ],
    )


@attention_check
def incident_reports_due_soon(context: AttentionContext) -> Attention | None:
    if not _acting_here(context):
        return None
    due = list(
        deliveries_due_soon(principal=context.principal, until=timezone.now() + DUE_SOON)[:20]
    )
    if not due:
        return None
    return Attention(
        key="incident-reports-due-soon",
        level=Level.WARNING,
        title=str(_("まもなく期限を迎えるインシデント報告があります")),
        detail=str(_("3日以内に確報の期限を迎える報告です。")),
        entries=[f"{d.report.title}（{d.recipient.name}）" for d in due],
    )


@attention_check
def incident_reports_unacknowledged(context: AttentionContext) -> Attention | None:
    if not _acting_here(context):
        return None
    count = inbox(principal=context.principal, unacknowledged=True).count()
    if not count:
        return None
    return Attention(
        key="incident-reports-unacknowledged",
        level=Level.WARNING,
        title=str(_("受領を確認していないインシデント報告があります")),
        detail=ngettext(
            "%(count)d件の報告が届いています。内容を確認し、受領を確認してください。",
            "%(count)d件の報告が届いています。内容を確認し、受領を確認してください。",
            count,
        )
        % {"count": count},
    )
