from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mamoru.core.tenancy import Tenancy, TenantManager


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    DENIED = "denied", _("拒否")
    FAILURE = "failure", _("失敗")


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit log.

    ``digest`` is HMAC-SHA256 over the previous entry's digest and this entry's fields,
    so editing, inserting or deleting any entry breaks the chain from there on.
    Names are copied (not only referenced) so the log survives deletions of people.
    """

    tenancy = Tenancy.owned_by("organisation_id")
    occurred_at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True)
    actor_username = models.CharField(max_length=150, blank=True)
    organisation_id = models.BigIntegerField(null=True, db_index=True)
    organisation_code = models.CharField(max_length=16, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    target = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    ip_address = models.GenericIPAddressField(null=True)
    details = models.JSONField(default=dict)
    previous_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("監査ログ")
        verbose_name_plural = _("監査ログ")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action} {self.outcome}"


class AuditHead(models.Model):
    """A single row holding the latest digest: locking it serialises appends to the chain."""

    tenancy = Tenancy.shared("the head of the whole chain: one row")

    digest = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("監査ログの先頭")

    def __str__(self) -> str:
        return f"{self.count}: {self.digest[:12]}"
