"""The home page, one per role: what this organisation needs to see first."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from mamoru.orgs.models import OrganisationKind
from mamoru.orgs.policy import Supervisor
from mamoru.orgs.principal import Principal
from mamoru.web.attention import attention_for
from mamoru.web.selectors import (
    organisation_counts_by_prefecture,
    supervised_municipalities,
)
from mamoru.web.ui.decorators import principal_required, wants_fragment
from mamoru.web.ui.forms import MunicipalitySearchForm
from mamoru.web.ui.members import members_read


@principal_required
def home(request: HttpRequest, principal: Principal) -> HttpResponse:
    organisation = principal.organisation
    if organisation.is_municipality:
        return _municipality_home(request, principal)
    if organisation.kind == OrganisationKind.PREFECTURE:
        return _prefecture_home(request, principal)
    if principal.supervisor == Supervisor.NATION:
        return _nation_home(request, principal)
    return render(request, "web/home/recipient.html", {"organisation": organisation})


def _municipality_home(request: HttpRequest, principal: Principal) -> HttpResponse:
    organisation = principal.organisation
    members = members_read(request, principal=principal, organisation=organisation)
    context = {
        "organisation": organisation,
        "members": members,
        "attention": attention_for(principal=principal, organisation=organisation, members=members),
    }
    return render(request, "web/home/municipality.html", context)


def _prefecture_home(request: HttpRequest, principal: Principal) -> HttpResponse:
    form = MunicipalitySearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    rows = supervised_municipalities(principal=principal, query=query)
    context = {
        "organisation": principal.organisation,
        "form": form,
        "query": query,
        "rows": rows,
        "population": sum(r.organisation.population or 0 for r in rows),
        "without_secure_admin": sum(1 for r in rows if not r.admin_with_mfa),
    }
    # htmx asks for the table alone when the search changes; the full page otherwise.
    template = (
        "web/home/_municipality_table.html"
        if wants_fragment(request)
        else "web/home/prefecture.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _nation_home(request: HttpRequest, principal: Principal) -> HttpResponse:
    rows = organisation_counts_by_prefecture(principal=principal)
    kinds = [
        (value, label)
        for value, label in OrganisationKind.choices
        if value not in {OrganisationKind.NATIONAL, OrganisationKind.PREFECTURE}
    ]
    totals = {kind: sum(r.by_kind[kind] for r in rows) for kind, _ in kinds}
    context = {
        "organisation": principal.organisation,
        "rows": rows,
        "kinds": kinds,
        "totals": [totals[kind] for kind, _ in kinds],
        "municipalities": sum(totals.values()),
        "prefectures": len(rows),
    }
    return render(request, "web/home/nation.html", context)
