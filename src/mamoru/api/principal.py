"""The acting principal of an API request, whichever way it authenticated."""

from __future__ import annotations

from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from mamoru.accounts.models import ApiToken
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import principal_for_token


def principal_of(request: Request) -> Principal:
    """Token requests act as the token (never more than its owner); sessions as the
    organisation chosen in the session. No principal → 403, never a guess."""
    if not request.user or not request.user.is_authenticated:
        raise NotAuthenticated
    # The middleware put the session's principal there; token authentication replaced it
    # with the token's. Recompute only if a token request somehow lacks its own.
    principal: Principal | None = getattr(request._request, "principal", None)
    token = request.auth if isinstance(request.auth, ApiToken) else None
    if token is not None and (principal is None or principal.token is not token):
        principal = principal_for_token(token=token)
    if principal is None:
        raise PermissionDenied("この利用者はどの団体にも所属していません")
    return principal


class HasPrincipal(BasePermission):
    message = "この利用者はどの団体にも所属していません"

    def has_permission(self, request: Request, view: APIView) -> bool:
        principal_of(request)
        return True
