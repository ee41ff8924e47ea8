from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

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
