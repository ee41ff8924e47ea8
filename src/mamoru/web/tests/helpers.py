"""Signing the cast in for page tests."""

from __future__ import annotations

from django.test import Client

from mamoru.accounts.models import User
from mamoru.core.testing import login_verified


def signed_in(user: User, *, mfa: bool = True, headers: dict[str, str] | None = None) -> Client:
    """A client with ``user`` signed in; with a verified second factor unless ``mfa=False``.

    Administrators and prefectural or national staff must use MFA, so their page tests
    sign in with it; ``mfa=False`` shows a member who has not set it up.
    """
    client = Client(headers=headers)
    if mfa:
        login_verified(client, user)
    else:
        client.force_login(user)
    return client
