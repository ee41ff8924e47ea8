"""Answers with tenant data are never kept by a browser's or a proxy's cache.

Every page and API answer given to a signed-in person or to a token carries
``Cache-Control: no-store`` (Django's ``never_cache`` headers: also ``private``,
``no-cache``, ``must-revalidate``, ``max-age=0``): a shared office PC's back button, its
disk cache or a caching proxy in an LGWAN segment would otherwise keep a municipality's
incident report after the person signed out. Exports already said so themselves; now
nothing has to remember to.

Left as they are: answers to anonymous visitors (the login page, the API's
documentation), static files (WhiteNoise answers them before this middleware, which
stands right after it), and an answer a view itself declared ``public`` (ReDoc's
bundle, the same for everyone).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers


def _acting(request: HttpRequest) -> bool:
    """Whether the request came from a signed-in person or a token (DRF's token
    authentication sets the wrapped request's ``user`` too). The session is asked as
    well: a view that authenticates by token only (TAXII) sets ``user`` to anonymous for
    a person who is signed in all the same."""
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    session = getattr(request, "session", None)
    if session is not None and SESSION_KEY in session:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _declared_public(response: HttpResponseBase) -> bool:
    directives = {
        d.strip().split("=")[0].lower() for d in response.get("Cache-Control", "").split(",")
    }
    return "public" in directives


class PrivateResponsesMiddleware:
    """Adds the never-cache headers to every answer to a signed-in person or a token."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if _acting(request) and not _declared_public(response):
            add_never_cache_headers(response)
        return response
