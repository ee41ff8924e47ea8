"""Statistics for the nation and the prefectures, and the in-app notifications."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mamoru.core.charts import bar_chart, line_chart
from mamoru.core.pages import act, page, paginate
from mamoru.core.suppression import THRESHOLD, Cell, Table
from mamoru.incidents import selectors, services
from mamoru.incidents.selectors.statistics import DIMENSIONS, UNDISCLOSED
from mamoru.incidents.ui import labels
from mamoru.orgs.principal import Principal

DIMENSION_LABELS = {
    "category": gettext_lazy("種別"),
    "phase": gettext_lazy("報告の段階"),
    "severity": gettext_lazy("深刻度"),
    "prefecture": gettext_lazy("都道府県"),
    "month": gettext_lazy("月（第一報の提出月）"),
}
_CELL_LABELS: dict[str, Mapping[str, Any]] = {
    "category": labels.CATEGORIES,
    "severity": labels.SEVERITIES,
    "phase": labels.PHASES,
}


@dataclass(frozen=True)
class Figure:
    """One dimension of the statistics: its chart and its table, with the same labels."""

    name: str
    title: str
    chart: SafeString | None  # None: nothing to draw (every cell suppressed or empty)
    rows: list[tuple[str, Cell]]
    table: Table
    hidden: list[str]  # labels of the suppressed cells, said under the chart


def _cell_label(dimension: str, cell: Cell) -> str:
    if cell.key == UNDISCLOSED:
        return str(_("開示対象外"))
    table = _CELL_LABELS.get(dimension)
    return labels.label(table, cell.key) if table is not None else cell.label


def _figure(name: str, table: Table) -> Figure:
    title = str(DIMENSION_LABELS[name])
    rows = [(_cell_label(name, cell), cell) for cell in table.cells]
    shown = [(label, float(cell.count)) for label, cell in rows if cell.count is not None]
    chart: SafeString | None = None
    if any(value for _label, value in shown):
        heading = str(_("%(dimension)s別の件数") % {"dimension": title})
        if name == "month":
            chart = line_chart(
                [label for label, _v in shown],
                {str(_("件数")): [v for _l, v in shown]},
                title=heading,
                unit=str(_("件")),
            )
        else:
            chart = bar_chart(shown, title=heading, unit=str(_("件")))
    hidden = [label for label, cell in rows if cell.count is None]
    return Figure(name, title, chart, rows, table, hidden)


@page
def statistics(request: HttpRequest, principal: Principal) -> HttpResponse:
    stats = selectors.incident_statistics(principal=principal)
    figures = [_figure(name, stats.tables[name]) for name in DIMENSIONS]
    context = {"stats": stats, "figures": figures, "threshold": THRESHOLD}
    return render(request, "incidents/statistics.html", context)


@page
def notifications(request: HttpRequest, principal: Principal) -> HttpResponse:
    notifications = selectors.notifications_listed(principal=principal)
    shown = paginate(request, notifications)
    context = {
        "page": shown,
        "rows": list(shown.object_list),
        "unread": notifications.filter(read_at__isnull=True).count(),
    }
    return render(request, "incidents/notifications.html", context)


@page
@require_POST
def notification_read(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    notification = selectors.notification_get(principal=principal, pk=pk)
    done = act(
        request,
        lambda: services.notification_mark_read(notification=notification, principal=principal),
    )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    if done:
        messages.success(request, _("既読にしました。"))
    return redirect("incidents:notifications")
