"""The prefecture's and the nation's pages, campaigns, and the alerts people receive."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamoru.asm import selectors, services
from mamoru.asm.ui.common import flash
from mamoru.asm.ui.forms import CampaignForm, PrefectureTableForm
from mamoru.core import charts
from mamoru.core.pages import page, paginate, run, wants_fragment
from mamoru.orgs.models import OrganisationKind
from mamoru.orgs.policy import Supervisor
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisation_list


def _prefecture(principal: Principal, request: HttpRequest) -> str:
    code = selectors.supervised_prefecture(principal, request.GET.get("prefecture", ""))
    if not code:
        raise PermissionDenied(_("このページは都道府県と国の担当者のためのものです。"))
    return code


@page
def prefecture(request: HttpRequest, principal: Principal) -> HttpResponse:
    code = _prefecture(principal, request)
    form = PrefectureTableForm(request.GET or None)
    rows = selectors.prefecture_table(
        principal=principal, prefecture_code=code, filters=form.filters()
    )
    context = {
        "prefecture": organisation_list(
            kind=OrganisationKind.PREFECTURE, prefecture_code=code
        ).first(),
        "prefecture_code": code,
        "total": selectors.prefecture_total(principal=principal, prefecture_code=code),
        "overdue": selectors.overdue_kev(principal=principal, prefecture_code=code).count(),
        "form": form,
        "page": paginate(request, rows),
        "for_nation": principal.supervisor == Supervisor.NATION,
    }
    template = "asm/_prefecture_table.html" if wants_fragment(request) else "asm/prefecture.html"
    return render(request, template, context)


@page
def overdue(request: HttpRequest, principal: Principal) -> HttpResponse:
    code = _prefecture(principal, request)
    rows = selectors.overdue_kev(principal=principal, prefecture_code=code)
    context = {
        "prefecture": organisation_list(
            kind=OrganisationKind.PREFECTURE, prefecture_code=code
        ).first(),
        "prefecture_code": code,
        "page": paginate(request, rows),
        "for_nation": principal.supervisor == Supervisor.NATION,
    }
    return render(request, "asm/overdue.html", context)


def _nation_charts(overview: selectors.NationalOverview) -> dict[str, object]:
    by_prefecture = [(p.name, t.organisations_exposed if t else 0) for p, t in overview.prefectures]
    series = overview.kev_series
    return {
        "prefecture_chart": charts.bar_chart(
            by_prefecture,
            title=_("攻撃に使われている脆弱性（KEV）がある団体の数（都道府県ごと）"),
            unit=_("団体"),
        ),
        "kev_chart": charts.line_chart(
            [f"{t.date.month}/{t.date.day}" for t in series],
            {
                _("KEV の未解決"): [t.kev_open for t in series],
                _("うち期限切れ"): [t.kev_overdue for t in series],
            },
            title=_("全国の KEV の未解決の検出結果（日ごと）"),
            unit=_("件"),
        ),
    }


# Rows of each ranking on the nation's page; the ranking pages page through all of them.
TOP = 20
RANKINGS = ("vulnerabilities", "products")


def _require_nation(principal: Principal) -> None:
    if principal.supervisor != Supervisor.NATION:
        raise PermissionDenied(_("このページは国の担当者のためのものです。"))


@page
def nation(request: HttpRequest, principal: Principal) -> HttpResponse:
    _require_nation(principal)
    overview = selectors.national_overview(principal=principal)
    names = {p.prefecture_code: p.name for p, _total in overview.prefectures}
    status = [
        {**row, "name": names.get(row["prefecture_code"], "")} for row in overview.campaign_status
    ]
    context = {
        "overview": overview,
        "campaign_rows": status,
        "top": TOP,
        **_nation_charts(overview),
        "campaign_form": CampaignForm(prefectures=list(names.items())),
    }
    return render(request, "asm/nation.html", context)


@page
def nation_ranking(request: HttpRequest, principal: Principal, kind: str) -> HttpResponse:
    """Every row of one national ranking (vulnerabilities or products), paged."""
    rollup = selectors.national_rollup(principal=principal)
    if kind not in RANKINGS:
        raise Http404
    rows = getattr(rollup, kind) if rollup else []
    context = {"kind": kind, "rollup": rollup, "page": paginate(request, rows)}
    return render(request, "asm/nation_ranking.html", context)


@page
def campaigns(request: HttpRequest, principal: Principal) -> HttpResponse:
    _require_nation(principal)
    prefectures = [
        (p.prefecture_code, p.name) for p in organisation_list(kind=OrganisationKind.PREFECTURE)
    ]
    form = CampaignForm(request.POST or None, prefectures=prefectures)
    if request.method == "POST" and form.is_valid():
        campaign, errors = run(
            lambda: services.campaign_start(
                principal=principal,
                name=form.cleaned_data["name"],
                prefecture_code=form.cleaned_data["prefecture"],
            )
        )
        flash(request, errors, _("全国診断を始めました。団体ごとの診断が順に実行されます。"))
        if campaign is not None:
            return redirect("asm:campaign", pk=campaign.pk)
    context = {"form": form, "page": paginate(request, selectors.campaigns_of(principal=principal))}
    return render(request, "asm/campaigns.html", context)


@page
def campaign(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    _require_nation(principal)
    found = selectors.campaign_get(principal=principal, pk=pk)
    names = {p.prefecture_code: p.name for p in organisation_list(kind=OrganisationKind.PREFECTURE)}
    rows = [
        {**row, "name": names.get(row["prefecture_code"], "")}
        for row in selectors.campaign_status(principal=principal, campaign=found)
    ]
    context = {"campaign": found, "rows": rows, "totals": _totals(rows)}
    return render(request, "asm/campaign.html", context)


def _totals(rows: list[dict[str, object]]) -> dict[str, int]:
    keys = ("done", "partial", "failed", "running", "queued", "total")
    return {k: sum(int(str(r[k])) for r in rows) for k in keys}


@page
def alerts(request: HttpRequest, principal: Principal) -> HttpResponse:
    notices = selectors.notices_of(principal=principal)
    context = {
        "page": paginate(request, notices),
        "unread": notices.filter(read_at__isnull=True).count(),
    }
    return render(request, "asm/alerts.html", context)


@page
def alert(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    found = selectors.alert_get(principal=principal, pk=pk)
    from mamoru.asm.ui.common import page_context

    context = {
        **page_context(principal, found.organisation),
        "alert": found,
        "notice": selectors.notice_for(principal=principal, alert=found),
    }
    return render(request, "asm/alert.html", context)


@page
@require_POST
def alert_read(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    found = selectors.alert_get(principal=principal, pk=pk)
    notice = selectors.notice_for(principal=principal, alert=found)
    if notice is not None:
        _result, errors = run(
            lambda: services.alert_notice_read(principal=principal, notice=notice)
        )
        flash(request, errors, _("確認済みにしました。"))
    return redirect("asm:alert", pk=pk)
