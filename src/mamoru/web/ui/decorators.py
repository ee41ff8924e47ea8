"""Small decorators in front of the page views (healthchecks style)."""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mamoru.orgs.principal import Principal

P = ParamSpec("P")
PrincipalView = Callable[Concatenate[HttpRequest, Principal, P], HttpResponse]


def principal_required(
    view: PrincipalView[P],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Call ``view(request, principal, …)`` for a person acting in an organisation.

    Anonymous people are sent to the login page. A signed-in person who belongs to no
    organisation (and holds no live grant) gets a page saying so, with status 403: there
    is nothing they may see, and they need to know whom to ask.
    """

    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        principal: Principal | None = getattr(request, "principal", None)
        if principal is None:
            return render(request, "web/no_organisation.html", status=403)
        return view(request, principal, *args, **kwargs)

    update_wrapper(wrapper, view)
    return wrapper


def wants_fragment(request: HttpRequest) -> bool:
    """Whether htmx asks for a page's fragment rather than the whole page.

    htmx restoring history after the cache is missed asks for the whole page again (with
    ``HX-History-Restore-Request``), so that request gets the full layout.
    """
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )
