"""Who may call the API at all: a person (or their token) acting in an organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

if TYPE_CHECKING:  # DRF's views import the default permission classes: no cycle at run time
    from rest_framework.views import APIView


class HasPrincipal(BasePermission):
    """Signed in (session or token) and acting in an organisation. What the principal may
    do is then the services' and selectors' business, never the view's."""

    message = "この利用者はどの団体にも所属していません"

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not request.user or not request.user.is_authenticated:
            raise NotAuthenticated
        # The middleware put the session's principal there; token authentication replaced
        # it with the token's (``mamoru.orgs.authentication``).
        return getattr(request, "principal", None) is not None
