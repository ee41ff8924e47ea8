"""The frameworks loaded on this platform, readable by everyone signed in: what each item
asks, why (plain help), what to do next, and how it maps to NIST CSF 2.0."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mamoru.assessments import definitions, selectors
from mamoru.core.pages import page, paginate
from mamoru.orgs.principal import Principal


@page
def framework_list(request: HttpRequest, principal: Principal) -> HttpResponse:
    shown = paginate(request, selectors.frameworks())
    return render(request, "assessments/framework_list.html", {"page": shown})


@page
def framework_detail(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    stored = selectors.framework_get(pk=pk)
    framework = definitions.definition(stored)
    context = {
        "stored": stored,
        "framework": framework,
        "csf": definitions.catalogue(),
    }
    return render(request, "assessments/framework_detail.html", context)
