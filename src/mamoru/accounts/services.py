"""Writes to people, their second factors and their API tokens. Every write is audited;
no password, token, TOTP seed or recovery code ever reaches the audit log."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import verify_token as otp_verify_token
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from mamoru.accounts.models import ApiToken, RecoveryCode, RecoveryCodeDevice, User
from mamoru.accounts.recovery import RECOVERY_CODE_COUNT, recovery_code_digest, recovery_code_new
from mamoru.accounts.selectors import (
    recovery_device_of,
    token_digest,
    totp_device_of,
)
from mamoru.audit.models import Outcome
from mamoru.audit.services import audit_record
from mamoru.orgs.models import Organisation
from mamoru.orgs.roles import Permission
from mamoru.orgs.selectors import acting_contexts, principal_for

TOKEN_SCHEME = "mmr"  # noqa: S105 - the token prefix, not a secret
MAX_TOKEN_DAYS = 3650
# last_used_at is bookkeeping, not an audit record: write it at most once a minute.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


# People -------------------------------------------------------------------------------


def user_create(
    *, username: str, email: str = "", password: str | None = None, actor: User | None = None
) -> User:
    """Create a person. Without ``password`` the account cannot sign in until one is set.

    Raises ``ValidationError`` (Japanese messages) for a taken or malformed user name or a
    password the settings' validators refuse.
    """
    user = User(username=username, email=email)
    errors: list[str] = []
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors += exc.messages
    if password is not None:
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            errors += exc.messages
    if errors:
        raise ValidationError(errors)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    with transaction.atomic():
        user.save()
        audit_record(
            action="user.create",
            actor=actor,
            target=f"user:{user.pk}",
            details={"username": username, "usable_password": password is not None},
        )
    return user


def user_profile_update(
    *, user: User, display_name: str, email: str, actor: User | None = None
) -> User:
    changed = [
        field
        for field, value in (("display_name", display_name), ("email", email))
        if getattr(user, field) != value
    ]
    if not changed:
        return user
    with transaction.atomic():
        user.display_name = display_name
        user.email = email
        user.save(update_fields=changed)
        audit_record(
            action="user.profile_update",
            actor=actor,
            target=f"user:{user.pk}",
            details={"fields": changed},
        )
    return user


def user_password_change(*, user: User, new_password: str, actor: User | None = None) -> User:
    """Set a new (already validated) password. Every other session of the person ends,
    because Django ties sessions to the password hash; the caller keeps its own with
    ``update_session_auth_hash``."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(
            action="user.password_change",
            actor=actor,
            target=f"user:{user.pk}",
        )
    return user


def login_record(*, username: str, user: User | None, success: bool) -> None:
    """Audit a sign-in attempt (django-axes counts the failures for the lockout)."""
    audit_record(
        action="auth.login",
        actor=user,
        target=f"user:{user.pk}" if user is not None else "",
        outcome=Outcome.SUCCESS if success else Outcome.FAILURE,
        details={"username": username[:150]},
    )


def logout_record(*, user: User) -> None:
    audit_record(action="auth.logout", actor=user, target=f"user:{user.pk}")


# Acting organisation ------------------------------------------------------------------


def acting_organisation_choose(*, user: User, code: str) -> Organisation:
    """The organisation ``user`` switches into; ``Organisation.DoesNotExist`` when they may
    not act there (the caller stores the choice in the session)."""
    context = next((c for c in acting_contexts(user=user) if c.organisation.code == code), None)
    if context is None:
        raise Organisation.DoesNotExist(code)
    audit_record(
        action="org.switch",
        actor=user,
        organisation=context.organisation,
        target=f"org:{code}",
        details={"role": context.role, "via_grant": context.via_grant},
    )
    return context.organisation


# API tokens ---------------------------------------------------------------------------


def _token_permissions(
    *, user: User, organisation: Organisation, permissions: Iterable[str] | None
) -> list[str]:
    principal = principal_for(user=user, organisation_code=organisation.code)
    if principal is None:
        raise ValidationError(_("この団体で活動する権限がないため、トークンを作成できません。"))
    held = {str(p) for p in principal.permissions}
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


def api_token_create(
    *,
    user: User,
    organisation: Organisation,
    name: str,
    permissions: Iterable[str] | None = None,
    expires_in_days: int | None = None,
    actor: User | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token for ``user`` acting in ``organisation``; returns it and its plaintext.

    The plaintext (``mmr_<prefix>_<secret>``) exists only in the return value: the
    database keeps its SHA-256 digest. ``permissions`` default to everything the person
    holds there and may never exceed it. Raises ``ValidationError`` in Japanese.
    """
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
                audit_record(
                    action="api_token.create",
                    actor=actor,
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


def api_token_revoke(*, token: ApiToken, actor: User | None = None) -> ApiToken:
    """Revoke ``token`` from now on (idempotent: a revoked token keeps its first date)."""
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action="api_token.revoke",
            actor=actor,
            organisation=token.organisation,
            target=f"api_token:{token.pk}",
            details={"owner": token.user.get_username(), "prefix": token.prefix},
        )
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Note that the token was used; at most one write a minute per token, not audited
    (the API's own audit records say what the token did)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


# Second factor ------------------------------------------------------------------------


def totp_device_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up (created on first call, then reused so
    that reloading the page keeps the same QR code)."""
    device = totp_device_of(user=user, confirmed=False)
    if device is not None:
        return device
    with transaction.atomic():
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
        audit_record(action="mfa.setup_start", actor=user, target=f"user:{user.pk}")
    return device


def _recovery_codes_replace(*, user: User) -> list[str]:
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=recovery_code_digest(c)) for c in codes
    )
    return codes


def totp_device_confirm(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Activate the authenticator if ``code`` is right; returns the new recovery codes
    (to be shown once), or ``None`` when the code is wrong."""
    user = device.user
    if otp_verify_token(user, device.persistent_id, code.strip()) is None:
        audit_record(
            action="mfa.enable",
            actor=user,
            target=f"user:{user.pk}",
            outcome=Outcome.FAILURE,
        )
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        codes = _recovery_codes_replace(user=user)
        audit_record(
            action="mfa.enable",
            actor=user,
            target=f"user:{user.pk}",
            details={"method": "totp", "recovery_codes": len(codes)},
        )
    return codes


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace every recovery code of the person; returns the new ones (shown once)."""
    with transaction.atomic():
        codes = _recovery_codes_replace(user=user)
        audit_record(
            action="mfa.recovery_regenerate",
            actor=user,
            target=f"user:{user.pk}",
        )
    return codes


def mfa_disable(*, user: User) -> None:
    """Remove every second factor of the person (they may set up a new one)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCodeDevice.objects.filter(user=user).delete()
        audit_record(action="mfa.disable", actor=user, target=f"user:{user.pk}")


def mfa_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts ``code`` (a TOTP code, or a recovery code, used up), if any.

    TOTP codes are six digits; anything else is tried as a recovery code. django-otp
    throttles repeated TOTP failures; recovery codes are too long to guess.
    """
    code = code.strip()
    method = "totp" if code.isdigit() and len(code) <= 8 else "recovery"
    candidate: Device | None = (
        totp_device_of(user=user) if method == "totp" else recovery_device_of(user=user)
    )
    # django-otp locks the device row while verifying, so throttling and the TOTP replay
    # guard (a code is accepted once) hold under concurrent requests.
    device = (
        otp_verify_token(user, candidate.persistent_id, code) if candidate is not None else None
    )
    ok = device is not None
    audit_record(
        action="mfa.verify",
        actor=user,
        target=f"user:{user.pk}",
        outcome=Outcome.SUCCESS if ok else Outcome.FAILURE,
        details={"method": method},
    )
    return device
