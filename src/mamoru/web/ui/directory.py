"""The organisation directory and one organisation's page, both within the gate."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisation_get, organisation_search
from mamoru.web.selectors import members_readable, prefectures_visible
from mamoru.web.ui.decorators import principal_required, wants_fragment
from mamoru.web.ui.forms import DirectorySearchForm
from mamoru.web.ui.members import members_read

PAGE_SIZE = 50


@principal_required
def directory(request: HttpRequest, principal: Principal) -> HttpResponse:
    form = DirectorySearchForm(
        request.GET or None, prefectures=list(prefectures_visible(principal=principal))
    )
    results = organisation_search(principal=principal, **form.filters()).select_related("parent")
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "filtered": any(form.filters().values())}
    # htmx replaces only the results when a filter changes; the full page otherwise.
    template = "web/_directory_results.html" if wants_fragment(request) else "web/directory.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@principal_required
def organisation(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    try:
        shown = organisation_get(principal=principal, code=code)
    except Organisation.DoesNotExist:
        raise Http404 from None
    show_members = members_readable(principal=principal, organisation=shown)
    context = {
        "organisation": shown,
        "show_members": show_members,
        "members": members_read(request, principal=principal, organisation=shown)
        if show_members
        else [],
        "is_own": shown.pk == principal.organisation.pk,
    }
    return render(request, "web/organisation.html", context)
