from __future__ import annotations

import base64
import time
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from mamoru.accounts.seeds import seed_decrypt, seed_new_encrypted
from mamoru.core.tenancy import Tenancy, TenantManager


class User(AbstractUser):  # type: ignore[django-manager-missing]  # django-otp is untyped
    """A person. What they may do comes from memberships and grants (``mamoru.orgs``)."""

    tenancy = Tenancy.shared(
        "a person's own account: they act in organisations through memberships"
    )

    display_name = models.CharField(_("表示名"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    """A bearer token for one person acting in one organisation with a subset of permissions.

    Only a SHA-256 digest is stored: tokens carry 256 bits of randomness, so a slow hash
    buys nothing, and the digest lets authentication look the token up by index.
    """

    tenancy = Tenancy.owned_by("organisation")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名前"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)  # shown to the owner to tell tokens apart
    digest = models.CharField(max_length=64, unique=True)
    permissions = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("有効期限"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("APIトークン")
        verbose_name_plural = _("APIトークン")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, now: object = None) -> bool:
        moment = timezone.now() if now is None else now
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > moment  # type: ignore[operator]


class RecoveryCodeDevice(Device):  # type: ignore[misc]  # django-otp is untyped
    """A django-otp device holding one-time recovery codes, stored as digests only.

    django-otp's own static device keeps its codes in plain text; this one keeps a SHA-256
    digest of each. The codes carry 80 random bits, so (as for API tokens) a slow hash buys
    nothing and the digest can be looked up by index.
    """

    tenancy = Tenancy.shared("a person's own recovery codes")

    class Meta:
        verbose_name = _("リカバリーコード")
        verbose_name_plural = _("リカバリーコード")

    def verify_token(self, token: str) -> bool:
        """Use up the code ``token`` if it is one of this device's unused codes."""
        from mamoru.accounts.recovery import recovery_code_digest

        claimed = RecoveryCode.objects.filter(
            device=self, digest=recovery_code_digest(token), used_at__isnull=True
        ).update(used_at=timezone.now())
        return claimed == 1


class RecoveryCode(models.Model):
    tenancy = Tenancy.shared("a person's own recovery codes")
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("リカバリーコード")
        verbose_name_plural = _("リカバリーコード")
        constraints = [
            models.UniqueConstraint(fields=["device", "digest"], name="recovery_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.device_id}: {'used' if self.used_at else 'unused'}"


class TotpDevice(TimestampMixin, ThrottlingMixin, Device):  # type: ignore[misc]  # django-otp is untyped
    """An authenticator app (TOTP, RFC 6238) whose seed is stored encrypted.

    django-otp's own ``TOTPDevice`` keeps the seed as plain hex; this one keeps only its
    Fernet ciphertext (``mamoru.accounts.seeds``) and decrypts it for the moment a code
    is checked or the set-up QR code is drawn. Verification is django-otp's: the same
    clock tolerance, drift, replay guard (a code is accepted once) and throttling.
    """

    tenancy = Tenancy.shared("a person's own authenticator")

    encrypted_key = models.TextField(default=seed_new_encrypted)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta:
        verbose_name = _("認証アプリ")
        verbose_name_plural = _("認証アプリ")

    @property
    def bin_key(self) -> bytes:
        """The seed (decrypted now; never kept on the instance)."""
        return seed_decrypt(self.encrypted_key)

    def verify_token(self, token: object) -> bool:
        """Whether ``token`` is the current code (within the tolerance) and newer than the
        last one accepted; failures count towards django-otp's back-off."""
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            code = int(str(token))
        except ValueError:
            code = None
        verified = False
        if code is not None:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = bool(totp.verify(code, self.tolerance, self.last_t + 1))
            if verified:
                self.last_t = totp.t()
                if getattr(settings, "OTP_TOTP_SYNC", True):
                    self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1))

    @property
    def config_url(self) -> str:
        """The ``otpauth://`` URI an authenticator app scans (Google's Key URI Format)."""
        issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
        label = f"{issuer}:{self.user.get_username()}"
        params = urlencode(
            {
                "secret": base64.b32encode(self.bin_key).decode("ascii"),
                "algorithm": "SHA1",
                "digits": self.digits,
                "period": self.step,
            }
        )
        return f"otpauth://totp/{quote(label)}?{params}&issuer={quote(issuer)}"
