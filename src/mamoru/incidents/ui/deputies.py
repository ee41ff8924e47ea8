"""Who approves the organisation's reports: its CISOs, and the deputies named for their
absence (a report waiting for an absent approver misses deadlines counted in hours)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mamoru.core.access import Permission
from mamoru.core.pages import act, error_summary, page, run
from mamoru.incidents import selectors, services
from mamoru.incidents.ui.common import refused
from mamoru.incidents.ui.forms import DeputyForm
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import people_acting_in


@page
@require_http_methods(["GET", "POST"])
def approvers(request: HttpRequest, principal: Principal) -> HttpResponse:
    if not principal.organisation.is_local_government:
        return refused(request, _("承認者を設定するのは報告する地方公共団体だけです。"), status=404)
    organisation = principal.organisation
    editors = people_acting_in(organisation=organisation, permission=Permission.DATA_EDIT)
    form = DeputyForm(
        request.POST or None,
        people=[(u.pk, str(u)) for u in editors if u.pk != principal.user.pk],
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(u for u in editors if u.pk == form.cleaned_data["user"])
        deputy, errors = run(
            lambda: services.deputy_name(
                principal=principal,
                user=chosen,
                ends_at=form.moment(),
                reason=form.cleaned_data["reason"],
            )
        )
        if deputy is not None:
            messages.success(
                request, _("%(name)sを承認の代理者に指名しました。") % {"name": str(chosen)}
            )
            return redirect("incidents:approvers")
        for error in errors:
            form.add_error(None, error)
    context = {
        "cisos": people_acting_in(organisation=organisation, permission=Permission.REPORTS_APPROVE),
        "deputies": list(selectors.deputies_of(principal=principal)),
        "form": form,
        "errors": error_summary(form),
        "can_name": services.may_name_deputies(principal),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "incidents/approvers.html", context, status=status)


@page
@require_POST
def deputy_end(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    deputy = selectors.deputies_of(principal=principal).get(pk=pk)
    act(
        request,
        lambda: services.deputy_revoke(principal=principal, deputy=deputy),
        success=_("代理の指名を取り消しました。"),
    )
    return redirect("incidents:approvers")
