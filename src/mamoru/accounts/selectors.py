"""Reads of accounts data: always for one person, never across people."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from mamoru.accounts.models import ApiToken, RecoveryCode, RecoveryCodeDevice, User
from mamoru.orgs.models import OrganisationKind
from mamoru.orgs.roles import Role
from mamoru.orgs.selectors import acting_contexts

# Members of these organisations see many local governments' data: a stolen password
# must not be enough.
_MFA_KINDS = frozenset({OrganisationKind.NATIONAL, OrganisationKind.PREFECTURE})


def token_digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def api_token_by_plaintext(*, plaintext: str) -> ApiToken | None:
    """The token (active or not) whose digest matches, with its owner and organisation.

    The lookup is by digest on a unique index, so its timing tells nothing about how
    much of a guessed token was right.
    """
    return (
        ApiToken.objects.select_related("user", "organisation")
        .filter(digest=token_digest(plaintext))
        .first()
    )


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The person's own tokens, newest first (revoked ones included, for the record)."""
    return ApiToken.objects.filter(user=user).select_related("organisation").order_by("-created_at")


def api_token_get(*, user: User, pk: int) -> ApiToken:
    """One of the person's own tokens; ``ApiToken.DoesNotExist`` for anyone else's."""
    return api_tokens_of(user=user).get(pk=pk)


def mfa_required_for(*, user: User) -> bool:
    """Whether ``user`` must use a second factor (see settings.MFA_REQUIRED_FOR_ALL).

    ``MFA_ENFORCED=false`` (the local demo only; production refuses it) makes it optional.
    """
    if not user.is_authenticated or not settings.MFA_ENFORCED:
        return False
    if settings.MFA_REQUIRED_FOR_ALL or user.is_staff or user.is_superuser:
        return True
    return any(
        c.role == Role.ADMIN or c.organisation.kind in _MFA_KINDS
        for c in acting_contexts(user=user)
    )


def totp_device_of(*, user: User, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def recovery_device_of(*, user: User) -> RecoveryCodeDevice | None:
    device: RecoveryCodeDevice | None = (
        RecoveryCodeDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    )
    return device


def has_confirmed_device(*, user: User) -> bool:
    exists: bool = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
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
