"""Writes to API tokens: a person's bearer credential for acting in one organisation.

The plaintext (``mmr_<prefix>_<secret>``) exists only in ``api_token_create``'s return
value; the database keeps its SHA-256 digest (``mamoru.accounts.selectors.token_digest``).
A token never carries more than its owner holds in its organisation, cannot mint tokens,
and acts only there.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.accounts.models import ApiToken, User
from mamoru.accounts.selectors import token_digest
from mamoru.core.access import Permission
from mamoru.orgs.models import Membership, Organisation
from mamoru.orgs.principal import Actor, Principal, audit
from mamoru.orgs.selectors.gate import principal_for

TOKEN_SCHEME = "mmr"  # noqa: S105 - the token prefix, not a secret
MAX_TOKEN_DAYS = 3650
# last_used_at is bookkeeping, not an audit record: write it at most once a minute.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


def _token_permissions(
    *, user: User, organisation: Organisation, permissions: Iterable[str] | None
) -> list[str]:
    owner = principal_for(user=user, organisation_code=organisation.code)
    if owner is None:
        raise ValidationError(_("この団体で活動する権限がないため、トークンを作成できません。"))
    held = {str(p) for p in owner.permissions}
    wanted = held if permissions is None else set(permissions)
    unknown = wanted - {str(p) for p in Permission}
    if unknown:
        raise ValidationError(
            _("不明な権限です: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    beyond = wanted - held
    if beyond:
        raise ValidationError(
            _("あなたがこの団体で持たない権限はトークンに与えられません: %(names)s")
            % {"names": ", ".join(sorted(beyond))}
        )
    if not wanted:
        raise ValidationError(_("権限を一つ以上選んでください。"))
    return sorted(wanted)


def _own_credentials(principal: Actor, user: User) -> None:
    """A person manages their own tokens, signed in (a token cannot mint or manage tokens:
    a leaked token must not outlive its own expiry); the system may issue any."""
    if isinstance(principal, Principal) and (
        principal.token is not None or principal.user.pk != user.pk
    ):
        raise PermissionDenied(_("APIトークンは本人がログインして管理します。"))


def api_token_create(
    *,
    principal: Actor,
    user: User,
    organisation: Organisation,
    name: str,
    permissions: Iterable[str] | None = None,
    expires_in_days: int | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token for ``user`` acting in ``organisation``; returns it and its plaintext.

    ``permissions`` default to everything the person holds there and may never exceed it.
    Raises ``ValidationError`` in Japanese.
    """
    _own_credentials(principal, user)
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError(_("トークンの名前を100文字以内で入力してください。"))
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            _("有効期限は1日から%(max)d日の間で指定してください。") % {"max": MAX_TOKEN_DAYS}
        )
    granted = _token_permissions(user=user, organisation=organisation, permissions=permissions)
    now = timezone.now()
    expires_at = now + timedelta(days=expires_in_days) if expires_in_days else None
    for _attempt in range(3):  # a prefix collision is possible in theory, never twice
        prefix = secrets.token_hex(6)
        plaintext = f"{TOKEN_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user,
                    organisation=organisation,
                    name=name,
                    prefix=prefix,
                    digest=token_digest(plaintext),
                    permissions=granted,
                    created_at=now,
                    expires_at=expires_at,
                )
                audit(
                    principal,
                    "orgs.token.create",
                    organisation=organisation,
                    target=f"api_token:{token.pk}",
                    details={
                        "owner": user.get_username(),
                        "name": name,
                        "prefix": prefix,
                        "permissions": granted,
                        "expires_at": expires_at.isoformat() if expires_at else None,
                    },
                )
        except IntegrityError:  # pragma: no cover - 48-bit prefix collision
            continue
        return token, plaintext
    raise RuntimeError("could not allocate a unique token prefix")  # pragma: no cover


def api_token_revoke(*, principal: Actor, token: ApiToken) -> ApiToken:
    """Revoke ``token`` from now on (idempotent: a revoked token keeps its first date)."""
    _own_credentials(principal, token.user)
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(
            principal,
            "orgs.token.revoke",
            organisation=token.organisation,
            target=f"api_token:{token.pk}",
            details={"owner": token.user.get_username(), "prefix": token.prefix},
        )
    return token


def api_tokens_revoke_for_membership(*, principal: Actor, membership: Membership) -> int:
    """Revoke every live token of the membership's person in its organisation (the caller,
    ``membership_remove``, checked the principal and audits)."""
    return (
        ApiToken.objects.unscoped("membership removal: the principal was checked")
        .filter(
            user_id=membership.user_id,
            organisation_id=membership.organisation_id,
            revoked_at__isnull=True,
        )
        .update(revoked_at=timezone.now())
    )


def api_token_touch(*, token: ApiToken) -> None:
    """Note that the token was used; at most one write a minute per token, not audited
    (the API's own audit records say what the token did)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_TOUCH_INTERVAL:
        return
    ApiToken.objects.unscoped("bookkeeping of the authenticated token").filter(pk=token.pk).update(
        last_used_at=now
    )
    token.last_used_at = now
