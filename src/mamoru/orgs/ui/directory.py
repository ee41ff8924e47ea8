"""The organisation directory, one organisation's page and a prefecture's municipalities,
all within the gate."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from mamoru.core.pages import page, paginate, wants_fragment
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import (
    has_administrator,
    members_readable,
    members_with_mfa,
    organisation_detail,
    organisation_search,
    prefectures_visible,
    supervised_municipalities,
)
from mamoru.orgs.ui.forms import DirectorySearchForm, MunicipalitySearchForm


def _fragment_or_page(
    request: HttpRequest, fragment: str, full: str, context: dict[str, object]
) -> HttpResponse:
    # htmx replaces only the results when a filter changes; the full page otherwise.
    response = render(request, fragment if wants_fragment(request) else full, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@page
def directory(request: HttpRequest, principal: Principal) -> HttpResponse:
    form = DirectorySearchForm(
        request.GET or None, prefectures=list(prefectures_visible(principal=principal))
    )
    results = organisation_search(principal=principal, **form.filters()).select_related("parent")
    context = {
        "form": form,
        "page": paginate(request, results),
        "filtered": any(form.filters().values()),
    }
    return _fragment_or_page(
        request, "orgs/_directory_results.html", "orgs/directory.html", context
    )


@page
def organisation(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    shown = organisation_detail(principal=principal, code=code)
    show_members = members_readable(principal=principal, organisation=shown)
    context = {
        "organisation": shown,
        "show_members": show_members,
        "members": members_with_mfa(principal=principal, organisation=shown)
        if show_members
        else [],
        "is_own": shown.pk == principal.organisation.pk,
        "needs_admin": shown.is_municipality and not has_administrator(organisation=shown),
    }
    return render(request, "orgs/organisation.html", context)


def municipalities_context(request: HttpRequest, principal: Principal) -> dict[str, object]:
    """The table of a prefecture's municipalities with its search (a page and a home panel)."""
    form = MunicipalitySearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    rows = supervised_municipalities(principal=principal, query=query)
    return {
        "form": form,
        "query": query,
        "rows": rows,
        "population": sum(r.organisation.population or 0 for r in rows),
        "without_secure_admin": sum(1 for r in rows if not r.admin_with_mfa),
    }


@page
def municipalities(request: HttpRequest, principal: Principal) -> HttpResponse:
    context = municipalities_context(request, principal)
    return _fragment_or_page(
        request, "orgs/_municipality_table.html", "orgs/municipalities.html", context
    )
