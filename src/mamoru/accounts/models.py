from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person. What they may do comes from memberships and grants (``mamoru.orgs``)."""

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
