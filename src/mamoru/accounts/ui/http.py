"""Small request helpers shared by the accounts pages."""

from __future__ import annotations

from django.http import HttpRequest

from mamoru.accounts.models import User


def acting_user(request: HttpRequest) -> User:
    """The signed-in person (views call this behind ``login_required``)."""
    user = request.user
    assert isinstance(user, User), "behind login_required"
    return user
