"""Reads of accounts data: a person's credentials and second factors, never anyone else's.

What a person may do in an organisation is ``mamoru.orgs``'s business; the one question
this app must ask it (must this person use a second factor?) goes through the dotted path
in ``settings.MFA_REQUIRED_POLICY``, so this app does not import the one above it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string
from django_otp.models import Device

from mamoru.accounts.models import ApiToken, RecoveryCode, RecoveryCodeDevice, TotpDevice, User


def token_digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def api_token_by_plaintext(*, plaintext: str) -> ApiToken | None:
    """The token (active or not) whose digest matches, with its owner and organisation.

    The lookup is by digest on a unique index, so its timing tells nothing about how
    much of a guessed token was right.
    """
    return (
        ApiToken.objects.unscoped("authentication: the credential names its organisation")
        .select_related("user", "organisation")
        .filter(digest=token_digest(plaintext))
        .first()
    )


def mfa_required_for(*, user: User) -> bool:
    """Whether ``user`` must use a second factor (``mamoru.orgs`` decides who)."""
    policy = import_string(settings.MFA_REQUIRED_POLICY)
    return bool(policy(user=user))


def users_with_mfa(user_ids: Iterable[int]) -> set[int]:
    """The users among ``user_ids`` with a confirmed second factor of any django-otp kind.

    Same meaning as ``django_otp.user_has_device(user, confirmed=True)``, in one query per
    device type instead of one per person, so a prefecture's table of 179 municipalities
    stays a handful of queries.
    """
    ids = list(user_ids)
    if not ids:
        return set()
    found: set[int] = set()
    for model in apps.get_models():
        if issubclass(model, Device) and not model._meta.abstract:
            found.update(
                model._default_manager.filter(user_id__in=ids, confirmed=True).values_list(
                    "user_id", flat=True
                )
            )
    return found


def totp_device_of(*, user: User, confirmed: bool = True) -> TotpDevice | None:
    device: TotpDevice | None = (
        TotpDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()
    )
    return device


def recovery_device_of(*, user: User) -> RecoveryCodeDevice | None:
    device: RecoveryCodeDevice | None = (
        RecoveryCodeDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    )
    return device


def has_confirmed_device(*, user: User) -> bool:
    exists: bool = TotpDevice.objects.filter(user=user, confirmed=True).exists()
    return exists


@dataclass(frozen=True)
class MfaStatus:
    required: bool
    enabled: bool
    recovery_codes_left: int


def mfa_status(*, user: User) -> MfaStatus:
    left = RecoveryCode.objects.filter(
        device__user=user, device__confirmed=True, used_at__isnull=True
    ).count()
    return MfaStatus(
        required=mfa_required_for(user=user),
        enabled=has_confirmed_device(user=user),
        recovery_codes_left=left,
    )
