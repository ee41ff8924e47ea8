"""The prefecture's heat map and the national dashboard (charts drawn on the server)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mamoru.core.charts import bar_chart, line_chart
from mamoru.core.pages import page, paginate
from mamoru.orgs.principal import Principal
from mamoru.progress import selectors
from mamoru.progress.schedule import plan_of
from mamoru.progress.ui.common import heat_cells, heat_cells_html, shown_month, table_download

HEAT_ROWS = 50


@page
def prefecture(request: HttpRequest, principal: Principal, key: str, code: str) -> HttpResponse:
    campaign = selectors.campaign_get(principal=principal, key=key)
    prefecture = selectors.prefecture_get(principal=principal, code=code)
    plan = plan_of(campaign)
    month = shown_month(request, plan)
    sort = request.GET.get("sort", "late")
    sort = sort if sort in selectors.SORTS else "late"
    board = selectors.prefecture_dashboard(
        principal=principal, campaign=campaign, prefecture=prefecture, month=month, sort=sort
    )
    shown = paginate(request, board.rows, per_page=HEAT_ROWS)
    rows = [(row, heat_cells_html(heat_cells(plan, row))) for row in shown.object_list]
    chart = bar_chart(
        [(name, t.progress_percent) for name, t in board.items],
        title=_("業務ごとの平均進捗率"),
        unit="%",
        max_value=100,
    )
    context = {
        "campaign": campaign,
        "prefecture": prefecture,
        "board": board,
        "plan": plan,
        "month": month,
        "months": plan.months(),
        "sort": sort,
        "page": shown,
        "rows": rows,
        "chart": chart,
        "escalations": selectors.escalations(principal=principal, campaign=campaign)
        if principal.organisation.pk != prefecture.pk
        else None,
    }
    return render(request, "progress/prefecture.html", context)


@page
def prefecture_export(
    request: HttpRequest, principal: Principal, key: str, code: str, fmt: str
) -> HttpResponse:
    campaign = selectors.campaign_get(principal=principal, key=key)
    prefecture = selectors.prefecture_get(principal=principal, code=code)
    plan = plan_of(campaign)
    month = shown_month(request, plan)
    header, rows = selectors.prefecture_table(
        principal=principal, campaign=campaign, prefecture=prefecture, month=month
    )
    return table_download(fmt, f"{campaign.key}-{prefecture.code}-{month:%Y-%m}", header, rows)


@page
def national(request: HttpRequest, principal: Principal, key: str) -> HttpResponse:
    campaign = selectors.campaign_get(principal=principal, key=key)
    plan = plan_of(campaign)
    month = shown_month(request, plan)
    board = selectors.national_dashboard(principal=principal, campaign=campaign, month=month)
    charts = {
        "prefecture_chart": bar_chart(
            [(p["name"], t.progress_percent) for p, t in board.prefectures],
            title=_("都道府県ごとの平均進捗率"),
            unit="%",
            max_value=100,
        ),
        "item_chart": bar_chart(
            [(name, t.progress_percent) for name, t in board.items],
            title=_("業務ごとの平均進捗率"),
            unit="%",
            max_value=100,
        ),
        "step_chart": bar_chart(
            [(_("ステップ%(n)d") % {"n": step}, count) for step, count in board.steps],
            title=_("到達ステップの分布（団体×業務の数）"),
        ),
        "trend_chart": line_chart(
            [f"{m:%Y-%m}" for m, _t in board.trend],
            {
                _("平均進捗率"): [t.progress_percent for _m, t in board.trend],
                _("計画"): [plan.planned_percent(m) / 10 for m, _t in board.trend],
                _("遅れている割合"): [t.late_percent for _m, t in board.trend],
            },
            title=_("月ごとの推移"),
            unit="%",
        ),
    }
    context = {
        "campaign": campaign,
        "board": board,
        "plan": plan,
        "month": month,
        "months": plan.months(),
        "escalations": paginate(
            request, selectors.escalations(principal=principal, campaign=campaign)
        ),
        **charts,
    }
    return render(request, "progress/national.html", context)


@page
def national_export(request: HttpRequest, principal: Principal, key: str, fmt: str) -> HttpResponse:
    campaign = selectors.campaign_get(principal=principal, key=key)
    plan = plan_of(campaign)
    month = shown_month(request, plan)
    header, rows = selectors.national_table(principal=principal, campaign=campaign, month=month)
    return table_download(fmt, f"{campaign.key}-national-{month:%Y-%m}", header, rows)
