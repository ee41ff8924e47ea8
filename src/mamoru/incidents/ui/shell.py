"""What incident reporting adds to the shell: menu entries for reporters and recipients,
and the home page's items — reports awaiting approval, deadlines within two days or past,
reports received but not yet acknowledged — each linking to the thing itself.

Registered when this module is imported: ``IncidentsConfig.ready()`` imports it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamoru.core.access import Permission
from mamoru.core.navigation import (
    Attention,
    Level,
    NavEntry,
    Panel,
    Section,
    attention_check,
    home_panel,
    nav_entry,
)
from mamoru.incidents import due, selectors, services
from mamoru.incidents.models import ReportStatus
from mamoru.incidents.ui import labels
from mamoru.orgs import audiences
from mamoru.orgs.principal import Principal

MAX_ENTRIES = 10


def _receives(principal: Principal | None) -> bool:
    return (
        principal is not None
        and principal.organisation.receives_reports
        and principal.can(Permission.DATA_VIEW)
    )


nav_entry(
    NavEntry(
        key="incidents.reports",
        section=Section.REPORTS,
        label=gettext_lazy("インシデント報告"),
        url_name="incidents:reports",
        order=10,
        description=gettext_lazy(
            "情報漏えいやランサムウェアなどが起きたとき、一度の報告で必要な宛先すべてに届けます。"
        ),
        show=audiences.local_government,
    )
)
nav_entry(
    NavEntry(
        key="incidents.inbox",
        section=Section.REPORTS,
        label=gettext_lazy("受け付けた報告"),
        url_name="incidents:inbox",
        order=12,
        description=gettext_lazy(
            "地方公共団体から貴団体あてに届いたインシデント報告を確認します。"
        ),
        show=_receives,
    )
)
nav_entry(
    NavEntry(
        key="incidents.statistics",
        section=Section.REPORTS,
        label=gettext_lazy("報告の統計"),
        url_name="incidents:statistics",
        order=14,
        description=gettext_lazy("受け付けた報告を種類・時期・都道府県ごとに数えます。"),
        show=_receives,
    )
)
nav_entry(
    NavEntry(
        key="incidents.notifications",
        section=Section.REPORTS,
        label=gettext_lazy("通知"),
        url_name="incidents:notifications",
        order=70,
        description=gettext_lazy("報告の承認依頼、期限、連絡などのお知らせを確認します。"),
    )
)


nav_entry(
    NavEntry(
        key="incidents.approvers",
        section=Section.REPORTS,
        label=gettext_lazy("報告の承認者と代理者"),
        url_name="incidents:approvers",
        order=16,
        description=gettext_lazy(
            "CISOが不在のときにインシデント報告を承認する代理者を指名します。"
        ),
        show=lambda p: (
            audiences.local_government(p)
            and (p.can(Permission.REPORTS_APPROVE) or p.can(Permission.MEMBERS_MANAGE))
        ),
    )
)

# The home page previews the newest few; the paged lists it links to have them all.
PANEL_ROWS = 5


def _report_panel(request: HttpRequest, principal: Principal | None) -> dict[str, Any] | None:
    """A local government's start of incident reporting: the button to the start page (for
    everyone, so that a viewer too finds what to do first), and its latest reports."""
    if not audiences.local_government(principal):
        return None
    assert principal is not None
    return {
        "can_report": principal.can(Permission.DATA_EDIT),
        "reports": list(selectors.reports_own(principal=principal)[:PANEL_ROWS]),
    }


def _inbox_panel(request: HttpRequest, principal: Principal | None) -> dict[str, Any] | None:
    """A recipient's newest reports (its inbox page has them all, paged)."""
    if not _receives(principal):
        return None
    assert principal is not None
    return {"deliveries": list(selectors.inbox(principal=principal)[:PANEL_ROWS])}


home_panel(Panel("incidents.report", "incidents/panels/report.html", 10, _report_panel))
home_panel(Panel("incidents.inbox", "incidents/panels/inbox.html", 12, _inbox_panel))


def _link(report: Any) -> str:
    return reverse("incidents:report", args=[report.public_id])


def _entries(shown: list[str], total: int) -> list[str]:
    """The first entries of an item, and how many more the linked page lists."""
    more = total - len(shown)
    return [*shown, _("ほか%(count)d件") % {"count": more}] if more > 0 else shown


@attention_check
def incident_reports_awaiting_approval(
    request: HttpRequest, principal: Principal | None
) -> Attention | None:
    if principal is None or not principal.organisation.is_local_government:
        return None
    if not services.may_approve(principal):
        return None
    waiting = selectors.reports_own(principal=principal, status=ReportStatus.AWAITING_APPROVAL)
    total = waiting.count()
    if not total:
        return None
    first = list(waiting[:MAX_ENTRIES])
    return Attention(
        key="incident-reports-awaiting-approval",
        level=Level.DANGER,
        title=_("承認を待っているインシデント報告があります（%(count)d件）") % {"count": total},
        detail=_("内容を確認して承認すると、法令等で定められた宛先へ報告が届きます。"),
        url=reverse("incidents:report_approve", args=[first[0].public_id])
        if total == 1
        else reverse("incidents:reports") + "?status=awaiting_approval",
        action=_("承認する報告を開く"),
        entries=_entries([f"{r.number} {r.title}" for r in first], total),
    )


def _owed_by(principal: Principal, now: datetime) -> list[due.Owed]:
    """Everything the principal's organisation owes: 第一報 of drafts never sent, 確報 of
    the rest (overdue or due within ``due.DUE_SOON``), earliest first."""
    drafts = selectors.reports_own(principal=principal).filter(
        status__in=[ReportStatus.DRAFT, ReportStatus.AWAITING_APPROVAL], submissions__isnull=True
    )
    owed = [o for report in drafts for o in due.draft_owed(report)]
    owed += due.delivery_owed(
        [
            d
            for d in selectors.deliveries_overdue(principal=principal, now=now)
            if d.report.organisation_id == principal.organisation.pk
        ]
    )
    owed += due.delivery_owed(
        selectors.deliveries_due_soon(principal=principal, until=now + due.DUE_SOON, now=now)
    )
    return due.pressing(owed, now=now)


@attention_check
def incident_deadlines(request: HttpRequest, principal: Principal | None) -> Attention | None:
    if principal is None or not principal.organisation.is_local_government:
        return None
    now = timezone.now()
    owed = _owed_by(principal, now)
    if not owed:
        return None
    overdue = [o for o in owed if o.state(now=now) is due.State.OVERDUE]
    entries = [
        _("%(recipient)s: 「%(title)s」の%(phase)s — %(state)s（%(due)s）")
        % {
            "recipient": labels.body_name(o.recipient_code, o.recipient_name),
            "title": o.report.title,
            "phase": labels.label(labels.PHASES, o.phase.value),
            "state": _("期限切れ") if o in overdue else _("2日以内が期限"),
            "due": labels.when(o.due_at),
        }
        for o in owed[:MAX_ENTRIES]
    ]
    return Attention(
        key="incident-deadlines",
        level=Level.DANGER if overdue else Level.WARNING,
        title=_("インシデント報告の期限を過ぎています")
        if overdue
        else _("インシデント報告の期限が迫っています"),
        detail=_("宛先ごとの期限までに、分かっていることだけで報告を提出してください。"),
        url=_link(owed[0].report),
        action=_("報告を開く"),
        entries=_entries(entries, len(owed)),
    )


@attention_check
def incident_inbox_unacknowledged(
    request: HttpRequest, principal: Principal | None
) -> Attention | None:
    if principal is None:
        return None
    waiting = selectors.inbox(principal=principal, unacknowledged=True)
    total = waiting.count()
    if not total:
        return None
    pending = list(waiting[:MAX_ENTRIES])
    return Attention(
        key="incident-inbox-unacknowledged",
        level=Level.WARNING,
        title=_("受領を確認していないインシデント報告があります（%(count)d件）") % {"count": total},
        detail=_(
            "受信箱で報告を開き、「受領を確認する」を押してください。まとめて確認もできます。"
        ),
        url=reverse("incidents:inbox_item", args=[pending[0].pk])
        if total == 1
        else reverse("incidents:inbox") + "?status=unacknowledged",
        action=_("受け付けた報告を開く"),
        entries=_entries(
            [f"{d.report.organisation.name}: {d.report.title}" for d in pending], total
        ),
    )
