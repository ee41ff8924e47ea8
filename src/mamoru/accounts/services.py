"""Writes to people and their second factors. Every write is audited; no password, TOTP
seed or recovery code ever reaches the audit log.

These services act on one person's own account (self-service, or the system creating it);
who may manage *other* people is decided in ``mamoru.orgs`` (memberships, invitations),
which calls them after checking its principal.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django_otp import verify_token as otp_verify_token
from django_otp.models import Device

from mamoru.accounts.models import RecoveryCode, RecoveryCodeDevice, TotpDevice, User
from mamoru.accounts.recovery import RECOVERY_CODE_COUNT, recovery_code_digest, recovery_code_new
from mamoru.accounts.seeds import SeedUndecryptable, seed_reencrypt
from mamoru.accounts.selectors import recovery_device_of, totp_device_of
from mamoru.audit.models import Outcome
from mamoru.audit.services import audit_record

# People -------------------------------------------------------------------------------


def user_create(
    *,
    username: str,
    email: str = "",
    password: str | None = None,
    display_name: str = "",
    actor: User | None = None,
) -> User:
    """Create a person. Without ``password`` the account cannot sign in until one is set.

    Raises ``ValidationError`` (Japanese messages) for a taken or malformed user name or a
    password the settings' validators refuse.
    """
    user = User(username=username, email=email, display_name=display_name)
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
            action="accounts.user.create",
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
            action="accounts.profile.update",
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
            action="accounts.password.change",
            actor=actor,
            target=f"user:{user.pk}",
        )
    return user


def _username_as_recorded(username: str) -> dict[str, str]:
    """What the log keeps of a typed user name: the name when it names an account; otherwise
    a keyed hash, because people type their password into the user name field and the log
    must never keep a password. The hash still groups repeated attempts at one name."""
    if User.objects.filter(username=username).exists():
        return {"username": username[:150]}
    digest = hmac.new(settings.AUDIT_KEY.encode(), username.encode(), hashlib.sha256)
    return {"unknown_username_hmac": digest.hexdigest()[:32]}


def login_record(*, username: str, user: User | None, success: bool) -> None:
    """Audit a sign-in attempt (django-axes counts the failures for the lockout)."""
    audit_record(
        action="accounts.login",
        actor=user,
        target=f"user:{user.pk}" if user is not None else "",
        outcome=Outcome.SUCCESS if success else Outcome.FAILURE,
        details=_username_as_recorded(username),
    )


def logout_record(*, user: User) -> None:
    audit_record(action="accounts.logout", actor=user, target=f"user:{user.pk}")


# Second factor ------------------------------------------------------------------------


def totp_device_start(*, user: User) -> TotpDevice:
    """The unconfirmed authenticator being set up (created on first call, then reused so
    that reloading the page keeps the same QR code)."""
    pending = totp_device_of(user=user, confirmed=False)
    if pending is not None:
        return pending
    with transaction.atomic():
        device: TotpDevice = TotpDevice.objects.create(
            user=user, name="authenticator", confirmed=False
        )
        audit_record(action="accounts.mfa.setup_start", actor=user, target=f"user:{user.pk}")
    return device


def _recovery_codes_replace(*, user: User) -> list[str]:
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=recovery_code_digest(c)) for c in codes
    )
    return codes


def totp_device_confirm(*, device: TotpDevice, code: str) -> list[str] | None:
    """Activate the authenticator if ``code`` is right; returns the new recovery codes
    (to be shown once), or ``None`` when the code is wrong."""
    user = device.user
    if otp_verify_token(user, device.persistent_id, code.strip()) is None:
        audit_record(
            action="accounts.mfa.enable",
            actor=user,
            target=f"user:{user.pk}",
            outcome=Outcome.FAILURE,
        )
        return None
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TotpDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        codes = _recovery_codes_replace(user=user)
        audit_record(
            action="accounts.mfa.enable",
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
            action="accounts.mfa.recovery_regenerate",
            actor=user,
            target=f"user:{user.pk}",
        )
    return codes


def mfa_disable(*, user: User) -> None:
    """Remove every second factor of the person (they may set up a new one)."""
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCodeDevice.objects.filter(user=user).delete()
        audit_record(action="accounts.mfa.disable", actor=user, target=f"user:{user.pk}")


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
        action="accounts.mfa.verify",
        actor=user,
        target=f"user:{user.pk}",
        outcome=Outcome.SUCCESS if ok else Outcome.FAILURE,
        details={"method": method},
    )
    return device


# Keys ---------------------------------------------------------------------------------

ROTATION_BATCH = 500


@dataclass
class SeedRotation:
    """What ``otp_seeds_reencrypt`` did: devices re-encrypted, and those no key opens."""

    reencrypted: int = 0
    undecryptable: list[int] = field(default_factory=list)


def _reencrypt_range(first: int, last: int, result: SeedRotation) -> None:
    """Re-encrypt the devices whose ids lie in ``first..last``. The rows are locked, so a
    sign-in verifying a code at the same moment (which also locks its device) cannot
    write the old ciphertext back."""
    with transaction.atomic():
        devices = (
            TotpDevice.objects.select_for_update()
            .filter(pk__range=(first, last))
            .order_by("pk")
            .only("pk", "encrypted_key")
        )
        for device in devices:
            try:
                ciphertext = seed_reencrypt(device.encrypted_key)
            except SeedUndecryptable:
                result.undecryptable.append(device.pk)
                continue
            TotpDevice.objects.filter(pk=device.pk).update(encrypted_key=ciphertext)
            result.reencrypted += 1


def otp_seeds_reencrypt() -> SeedRotation:
    """Encrypt every authenticator seed again under the newest key of
    ``OTP_ENCRYPTION_KEYS`` (the first), so the older keys can be removed afterwards.

    Idempotent: running it twice only re-encrypts under the same key again. Devices no
    key opens are left as they are and listed (their people must set up again)."""
    result = SeedRotation()
    # Every id up to the highest at the start, in ranges of ROTATION_BATCH ids, each in a
    # transaction of its own (a device enrolled meanwhile is encrypted under the new key).
    highest = TotpDevice.objects.aggregate(highest=Max("pk"))["highest"] or 0
    for first in range(1, highest + 1, ROTATION_BATCH):
        _reencrypt_range(first, first + ROTATION_BATCH - 1, result)
    audit_record(
        action="accounts.otp_key.rotate",
        outcome=Outcome.FAILURE if result.undecryptable else Outcome.SUCCESS,
        details={"reencrypted": result.reencrypted, "undecryptable": result.undecryptable},
    )
    return result
