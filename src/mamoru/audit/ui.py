"""The audit log page: an organisation's own entries, for those holding ``audit.view``."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mamoru.audit.selectors import audit_events_for
from mamoru.orgs.principal import Principal
from mamoru.orgs.roles import Permission
from mamoru.web.ui.decorators import principal_required

PAGE_SIZE = 50


@principal_required
def audit_log(request: HttpRequest, principal: Principal) -> HttpResponse:
    if not principal.can(Permission.AUDIT_VIEW):
        return render(request, "audit/forbidden.html", status=403)
    page = Paginator(audit_events_for(principal=principal), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "audit/log.html", {"page": page, "organisation": principal.organisation})
