"""Small request helpers shared by the accounts pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from mamoru.accounts.models import User


def acting_user(request: HttpRequest) -> User:
    """The signed-in person (views call this behind ``login_required``)."""
    user = request.user
    assert isinstance(user, User), "behind login_required"
    return user


def home_url() -> str:
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def next_url(request: HttpRequest, default: str | None = None) -> str:
    """The ``next`` parameter when it points back to this site, else ``default`` or home."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or home_url()
