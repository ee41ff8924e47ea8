from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from rest_framework.views import APIView

from mamoru.accounts.models import User
from mamoru.accounts.selectors import has_confirmed_device, mfa_required_for

# The pages a person who still owes a second factor may open.
EXEMPT_URL_NAMES = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:mfa_setup",
        "accounts:mfa_verify",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "orgs:invitation_accept",  # a new member accepts first, then sets up the factor
        "web:set_language",  # someone stuck at setup may still switch the language
    }
)


def _is_api(view_func: Callable[..., Any]) -> bool:
    cls = getattr(view_func, "cls", None)
    return isinstance(cls, type) and issubclass(cls, APIView)


class MfaRequiredMiddleware:
    """Sends a signed-in person who has not verified a second factor this session to the
    verify page when they have one, or to set one up when they must (administrators,
    national and prefectural staff, everyone with ``MFA_REQUIRED_FOR_ALL``).

    A person who chose to set up MFA is held to it too: a factor that can be skipped
    protects nothing. API calls get a 403 instead of a redirect; bearer-token calls are
    not session-authenticated and pass (a token is a factor of its own).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if not isinstance(user, User) or user.is_verified():  # type: ignore[attr-defined]
            return None
        match = request.resolver_match
        if (match and match.view_name in EXEMPT_URL_NAMES) or request.path.startswith(
            settings.STATIC_URL
        ):
            return None
        if has_confirmed_device(user=user):
            target = "accounts:mfa_verify"
        elif mfa_required_for(user=user):
            target = "accounts:mfa_setup"
        else:
            return None
        if _is_api(view_func):
            return JsonResponse(
                {"detail": _("二要素認証を完了してください。")},
                status=403,
                json_dumps_params={"ensure_ascii": False},
            )
        url = reverse(target)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
