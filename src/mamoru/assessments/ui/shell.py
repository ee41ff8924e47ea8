"""What the surveys add to the shell: the menu entry, the home panel of campaigns due soon,
and the items of "what needs attention" — a deadline near, answers returned, items
assigned to the person, submissions awaiting the supervisor's review — each linking to
the thing itself. Registered when ``AssessmentsConfig.ready()`` imports this module."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamoru.assessments import selectors
from mamoru.assessments.models import CampaignStatus, Target, TargetStatus
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
from mamoru.orgs import audiences
from mamoru.orgs.principal import Principal

MAX_ENTRIES = 10


nav_entry(
    NavEntry(
        key="assessments.campaigns",
        section=Section.SURVEYS,
        label=gettext_lazy("実施状況調査"),
        url_name="assessments:campaigns",
        order=20,
        description=gettext_lazy(
            "総務省や都道府県からの情報セキュリティ対策の調査に回答し、評価と次にすることを確かめます。"
        ),
        show=audiences.local_or_supervisor,
    )
)


def _target_link(target: Target) -> str:
    return reverse("assessments:target", args=[target.pk])


def _due(request: HttpRequest, principal: Principal) -> list[Target]:
    """The principal's campaigns due soon, read once per request (panel and attention)."""
    cached: list[Target] | None = getattr(request, "_assessments_due", None)
    if cached is None:
        cached = list(selectors.targets_due_soon(principal=principal)[:MAX_ENTRIES])
        request._assessments_due = cached  # type: ignore[attr-defined]
    return cached


def _due_panel(request: HttpRequest, principal: Principal | None) -> dict[str, Any] | None:
    if not audiences.local_or_supervisor(principal):
        return None
    assert principal is not None
    due = _due(request, principal)
    if not due:
        return None
    return {"targets": due, "now": timezone.now()}


home_panel(Panel("assessments.due", "assessments/panels/due.html", 20, _due_panel))


@attention_check
def survey_deadlines(request: HttpRequest, principal: Principal | None) -> Attention | None:
    if not audiences.local_or_supervisor(principal):
        return None
    assert principal is not None
    due = _due(request, principal)
    if not due:
        return None
    now = timezone.now()
    overdue = any(t.campaign.deadline < now for t in due)
    return Attention(
        key="survey-deadlines",
        level=Level.DANGER if overdue else Level.WARNING,
        title=_("回答期限が近い調査があります"),
        detail=_(
            "項目ごとに回答を保存し、CISO が提出してください。期限を過ぎても締切までは回答できます。"
        ),
        url=_target_link(due[0]),
        action=_("調査に回答する"),
        entries=[
            _("%(title)s（期限 %(deadline)s）")
            % {
                "title": t.campaign.title,
                "deadline": timezone.localtime(t.campaign.deadline).strftime("%Y年%m月%d日"),
            }
            for t in due
        ],
    )


@attention_check
def survey_returned(request: HttpRequest, principal: Principal | None) -> Attention | None:
    if not audiences.local_or_supervisor(principal):
        return None
    assert principal is not None
    returned = list(
        selectors.own_targets(principal=principal).filter(status=TargetStatus.RETURNED)[
            :MAX_ENTRIES
        ]
    )
    if not returned:
        return None
    return Attention(
        key="survey-returned",
        level=Level.DANGER,
        title=_("差し戻された調査の回答があります"),
        detail=_("確認した団体のコメントを読み、回答を直してから、もう一度提出してください。"),
        url=_target_link(returned[0]),
        action=_("コメントを読む"),
        entries=[t.campaign.title for t in returned],
    )


@attention_check
def survey_assigned(request: HttpRequest, principal: Principal | None) -> Attention | None:
    if not audiences.local_or_supervisor(principal):
        return None
    assert principal is not None
    assigned = list(selectors.assigned_to(principal=principal)[:MAX_ENTRIES])
    if not assigned:
        return None
    first = assigned[0]
    return Attention(
        key="survey-assigned",
        level=Level.INFO,
        title=_("あなたに割り当てられた調査の項目があります（%(count)d件）")
        % {"count": len(assigned)},
        detail=_("項目を開いて回答を選び、保存してください。"),
        url=_target_link(first.target),
        action=_("割り当てられた項目に回答する"),
        entries=[f"{a.target.campaign.title}: {a.item_id}" for a in assigned],
    )


@attention_check
def survey_reviews(request: HttpRequest, principal: Principal | None) -> Attention | None:
    if principal is None or principal.supervisor is None or not principal.can(Permission.DATA_EDIT):
        return None
    own = principal.organisation
    waiting = list(
        selectors.targets_visible(principal=principal)
        .filter(status=TargetStatus.SUBMITTED, campaign__status=CampaignStatus.OPEN)
        .filter(Q(organisation__parent=own) | Q(campaign__owner=own))
        .exclude(organisation=own)
        .order_by("updated_at", "pk")[:MAX_ENTRIES]
    )
    if not waiting:
        return None
    return Attention(
        key="survey-reviews",
        level=Level.WARNING,
        title=_("確認を待っている調査の回答があります"),
        detail=_(
            "提出された回答を読み、確認済みにするか、直してほしい点を書いて差し戻してください。"
        ),
        url=_target_link(waiting[0]),
        action=_("回答を確認する"),
        entries=[f"{t.organisation.name}: {t.campaign.title}" for t in waiting],
    )
