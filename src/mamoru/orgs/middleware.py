from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse

from mamoru.accounts.models import User
from mamoru.orgs.principal import Principal, PrincipalRequest
from mamoru.orgs.selectors import ActingContext, acting_contexts, principal_for

SESSION_KEY = "mamoru_acting_org"


def _principal(request: HttpRequest, contexts: list[ActingContext]) -> Principal | None:
    if not request.user.is_authenticated:
        return None
    code = request.session.get(SESSION_KEY)
    principal = principal_for(user=request.user, organisation_code=code, contexts=contexts)
    if principal is None and code is not None:
        # The membership or grant behind the remembered choice is gone: fall back.
        principal = principal_for(user=request.user, contexts=contexts)
    return principal


class ActingOrganisationMiddleware:
    """Puts ``request.principal``: the signed-in person acting in their chosen organisation,
    and ``request.acting_contexts``: where else they may act (read once, for the switcher)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Computed eagerly (two small queries): a lazy proxy around None would not compare
        # as None, and every page needs the acting organisation for its layout anyway.
        typed = cast(PrincipalRequest, request)
        person = request.user if isinstance(request.user, User) else None
        contexts = acting_contexts(user=person) if person is not None else []
        typed.acting_contexts = contexts
        typed.principal = _principal(request, contexts)
        return self.get_response(request)
