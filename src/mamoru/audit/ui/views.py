"""The audit log page: an organisation's own entries, for those holding ``audit.view``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mamoru.audit.actions import label
from mamoru.audit.selectors import audit_events_for
from mamoru.audit.ui.forms import AuditFilterForm
from mamoru.core.access import Acting
from mamoru.core.pages import page, paginate


@page
def audit_log(request: HttpRequest, principal: Acting) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = audit_events_for(principal=principal, filters=form.filters())
    shown = paginate(request, events)
    rows = [(event, label(event.action)) for event in shown.object_list]
    context = {
        "form": form,
        "page": shown,
        "rows": rows,
        "organisation": principal.organisation,
        "filtered": bool(request.GET.keys() - {"page"}),
    }
    return render(request, "audit/log.html", context)
