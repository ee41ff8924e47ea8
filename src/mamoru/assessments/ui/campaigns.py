"""Campaign pages: the list, sending a new campaign, a campaign's page, closing it, the
follow-up dashboard and list of the sender and the prefectures, and the results export."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mamoru.assessments import selectors, services
from mamoru.assessments.library.csf import FUNCTION_ORDER
from mamoru.assessments.models import Campaign, CampaignStatus, Snapshot
from mamoru.assessments.ui.common import CSV, XLSX, download, refused
from mamoru.assessments.ui.forms import CampaignForm
from mamoru.core import charts, tabular
from mamoru.core.access import Permission
from mamoru.core.pages import act, error_summary, page, paginate, run
from mamoru.orgs.principal import Principal

RESULT_HEADER = [
    "団体コード",
    "団体名",
    "都道府県コード",
    "状態",
    "版",
    "提出日時",
    "実施率（全体）",
    "成熟度",
    "回答率",
    "未達成の必須項目",
    *(f"実施率（{f}）" for f in FUNCTION_ORDER),
]


@page
def campaign_list(request: HttpRequest, principal: Principal) -> HttpResponse:
    shown = paginate(request, selectors.campaigns_visible(principal=principal))
    campaigns = list(shown.object_list)
    own = {
        t.campaign_id: t
        for t in selectors.own_targets(principal=principal).filter(campaign__in=campaigns)
    }
    rows = [(c, own.get(c.pk)) for c in campaigns]
    context = {
        "page": shown,
        "rows": rows,
        "can_send": services.may_send(principal),
        "follows_up": principal.supervisor is not None,
    }
    return render(request, "assessments/campaign_list.html", context)


@page
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest, principal: Principal) -> HttpResponse:
    if not services.may_send(principal):
        return refused(request, _("調査を送ることができるのは総務省と都道府県の担当者です。"))
    form = CampaignForm(request.POST or None, frameworks=selectors.frameworks())
    if request.method == "POST" and form.is_valid():
        campaign, errors = run(
            lambda: services.campaign_create(
                principal=principal,
                framework=form.cleaned_data["framework"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                deadline=form.cleaned_data["deadline"],
                organisation_codes=form.organisation_codes(),
            )
        )
        if campaign is not None:
            messages.success(
                request,
                _("調査を%(count)d団体に送りました。") % {"count": campaign.targets.count()},
            )
            return redirect("assessments:campaign", pk=campaign.pk)
        form.add_error(None, "\n".join(errors))
    context = {"form": form, "errors": error_summary(form)}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "assessments/campaign_form.html", context, status=status)


def _campaign(principal: Principal, pk: int) -> Campaign:
    return selectors.campaign_get(principal=principal, pk=pk)


def _snapshot(campaign: Campaign) -> Snapshot | None:
    try:
        return campaign.snapshot
    except Snapshot.DoesNotExist:
        return None


@page
def campaign_detail(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    campaign = _campaign(principal, pk)
    sender = selectors.is_sender(principal, campaign)
    context = {
        "campaign": campaign,
        "own": selectors.own_target(principal=principal, campaign=campaign),
        "sender": sender,
        "can_close": sender
        and campaign.status == CampaignStatus.OPEN
        and principal.can(Permission.DATA_EDIT),
        "follows_up": principal.supervisor is not None,
        "targets": campaign.targets.count() if sender else None,
        "snapshot": _snapshot(campaign),
    }
    return render(request, "assessments/campaign_detail.html", context)


@page
@require_POST
def campaign_close(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    campaign = _campaign(principal, pk)
    act(
        request,
        lambda: services.campaign_close(principal=principal, campaign=campaign),
        success=_("調査を締め切りました。評価と比較の集計が済むと、各団体の報告書に表示されます。"),
    )
    return redirect("assessments:campaign", pk=campaign.pk)


def _progress_chart(dashboard: selectors.Dashboard) -> str:
    rows = dashboard.progress[:47]
    return charts.bar_chart(
        [(row.label, row.rate or 0.0) for row in rows],
        title=_("提出率（都道府県別）"),
        unit="%",
        max_value=100,
    )


@page
def dashboard(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    campaign = _campaign(principal, pk)
    board = selectors.dashboard(principal=principal, campaign=campaign)
    behind = paginate(
        request, selectors.behind_on_mandatory(principal=principal, campaign=campaign)
    )
    context = {
        "campaign": campaign,
        "board": board,
        "behind": behind,
        "page": behind,
        "chapter_chart": charts.bar_chart(
            [(rate.label, rate.rate or 0.0) for rate in board.chapters],
            title=_("章ごとの実施率"),
            unit="%",
            max_value=100,
        ),
        "progress_chart": _progress_chart(board) if board.area.whole else "",
    }
    return render(request, "assessments/dashboard.html", context)


@page
def follow_up(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    campaign = _campaign(principal, pk)
    shown = paginate(request, selectors.follow_up(principal=principal, campaign=campaign))
    context = {"campaign": campaign, "page": shown}
    return render(request, "assessments/follow_up.html", context)


@page
def results_export(request: HttpRequest, principal: Principal, pk: int, fmt: str) -> HttpResponse:
    if fmt not in {"xlsx", "csv"}:
        raise Http404
    campaign = _campaign(principal, pk)
    rows = selectors.results_rows(principal=principal, campaign=campaign)
    name = f"{campaign.title}-結果.{fmt}"
    if fmt == "csv":
        return download(tabular.csv_bytes(RESULT_HEADER, rows), content_type=CSV, filename=name)
    body = tabular.xlsx_bytes({"結果": (RESULT_HEADER, rows)})
    return download(body, content_type=XLSX, filename=name)
