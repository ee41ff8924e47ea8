"""Statistics for the nation and the prefectures, and the in-app notifications."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamoru.core.pages import act, page, paginate
from mamoru.core.suppression import THRESHOLD
from mamoru.incidents import selectors, services
from mamoru.incidents.selectors.statistics import DIMENSIONS
from mamoru.orgs.principal import Principal

DIMENSION_LABELS = {
    "category": "種別",
    "phase": "報告の段階",
    "severity": "深刻度",
    "prefecture": "都道府県",
    "month": "月（第一報の提出月）",
}


@page
def statistics(request: HttpRequest, principal: Principal) -> HttpResponse:
    stats = selectors.incident_statistics(principal=principal)
    tables = [(name, DIMENSION_LABELS[name], stats.tables[name]) for name in DIMENSIONS]
    context = {"stats": stats, "tables": tables, "threshold": THRESHOLD}
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
