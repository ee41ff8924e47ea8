"""The campaign pages: the list, one organisation's progress (bars per item, its
timeline, the follow-ups), and the follow-up forms."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamoru.core.access import Permission
from mamoru.core.charts import bar_chart, line_chart
from mamoru.core.pages import act, page, paginate
from mamoru.orgs.policy import Supervisor
from mamoru.orgs.principal import Principal
from mamoru.progress import selectors, services
from mamoru.progress.models import FollowUpKind, OrganisationMonth
from mamoru.progress.schedule import plan_of
from mamoru.progress.ui.common import shown_month
from mamoru.progress.ui.forms import AnswerForm, FollowUpForm


@page
def campaign_list(request: HttpRequest, principal: Principal) -> HttpResponse:
    shown = paginate(request, selectors.campaigns_visible(principal=principal))
    return render(request, "progress/campaign_list.html", {"page": shown})


@page
def campaign_home(request: HttpRequest, principal: Principal, key: str) -> HttpResponse:
    """Where a campaign starts for each principal: the nation's, the prefecture's or the
    organisation's own dashboard."""
    campaign = selectors.campaign_get(principal=principal, key=key)
    if principal.supervisor == Supervisor.NATION:
        return redirect("progress:national", key=key)
    if principal.supervisor == Supervisor.PREFECTURE:
        return redirect("progress:prefecture", key=key, code=principal.organisation.code)
    if selectors.is_participant(principal=principal, campaign=campaign):
        return redirect("progress:organisation", key=key, code=principal.organisation.code)
    return render(request, "progress/campaign_none.html", {"campaign": campaign})


def _charts(standing: selectors.Standing, timeline: list[OrganisationMonth]) -> dict[str, object]:
    plan = standing.plan
    bars = bar_chart(
        [(row.item.name, row.step) for row in standing.rows],
        title=_("業務ごとの到達ステップ（全%(n)dステップ）") % {"n": plan.step_count},
        max_value=plan.step_count,
    )
    line = line_chart(
        [f"{row.month:%Y-%m}" for row in timeline],
        {
            _("実績"): [row.progress / 10 for row in timeline],
            _("計画"): [plan.planned_percent(row.month) / 10 for row in timeline],
        },
        title=_("進捗率の推移（計画と実績）"),
        unit="%",
    )
    return {"bars": bars, "timeline_chart": line}


@page
def organisation(request: HttpRequest, principal: Principal, key: str, code: str) -> HttpResponse:
    campaign = selectors.campaign_get(principal=principal, key=key)
    target = selectors.participant_get(principal=principal, campaign=campaign, code=code)
    standing = selectors.organisation_standing(
        principal=principal,
        campaign=campaign,
        organisation=target,
        month=shown_month(request, plan_of(campaign)),
    )
    timeline = selectors.organisation_timeline(
        principal=principal, campaign=campaign, organisation=target
    )
    own = target.pk == principal.organisation.pk
    reports = paginate(
        request,
        selectors.reports_of(principal=principal, campaign=campaign, organisation=target),
        per_page=12,
    )
    context = {
        "campaign": campaign,
        "target": target,
        "standing": standing,
        "timeline": timeline,
        "own": own,
        "can_report": own and principal.can(Permission.DATA_EDIT),
        "months": standing.plan.months(),
        "page": reports,
        "follow_ups": selectors.follow_ups_of(
            principal=principal, campaign=campaign, organisation=target
        ),
        "can_follow_up": principal.supervisor == Supervisor.PREFECTURE
        and not own
        and principal.can(Permission.DATA_EDIT),
        "follow_up_form": FollowUpForm(initial={"kind": FollowUpKind.ASKED}),
        "answer_form": AnswerForm(),
        **_charts(standing, timeline),
    }
    return render(request, "progress/organisation.html", context)


@page
@require_POST
def follow_up_create(
    request: HttpRequest, principal: Principal, key: str, code: str
) -> HttpResponse:
    campaign = selectors.campaign_get(principal=principal, key=key)
    target = selectors.participant_get(principal=principal, campaign=campaign, code=code)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: services.follow_up_create(
                principal=principal,
                campaign=campaign,
                organisation=target,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
            ),
            success=_("フォローアップを記録しました。"),
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("progress:organisation", key=key, code=code)


@page
@require_POST
def follow_up_answer(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    follow_up = selectors.follow_up_get(principal=principal, pk=pk)
    form = AnswerForm(request.POST)
    answer = form.cleaned_data["answer"] if form.is_valid() else ""
    act(
        request,
        lambda: services.follow_up_answer(principal=principal, follow_up=follow_up, answer=answer),
        success=_("回答を送りました。"),
    )
    return redirect(
        "progress:organisation", key=follow_up.campaign.key, code=follow_up.organisation.code
    )
