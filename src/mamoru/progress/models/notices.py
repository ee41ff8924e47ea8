"""Notices from the nation or a prefecture to an audience of organisations.

A notice belongs to its sender; each recipient's copy (``NoticeDelivery``) belongs to the
sender too — it records who read and confirmed — and is read by its recipient because
it is addressed to it (``Tenancy.owned_by(…, addressed_to=…)``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.core.tenancy import Tenancy, TenantManager
from mamoru.progress.models.attachments import AttachmentBase


class Notice(models.Model):
    tenancy = Tenancy.owned_by("sender", addressed_to="deliveries__organisation")
    sender = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("本文（Markdown）"), max_length=20000)
    audience = models.JSONField(_("宛先"))
    audience_label = models.CharField(_("宛先"), max_length=300)
    confirm_by = models.DateField(_("確認の期限"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class NoticeDelivery(models.Model):
    tenancy = Tenancy.owned_by("notice__sender", addressed_to="organisation")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reminded_soon_at = models.DateTimeField(null=True, blank=True)
    reminded_overdue_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "organisation"], name="progress_notice_delivery_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "read_at"])]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.organisation_id}"


class NoticeAttachment(AttachmentBase):
    tenancy = Tenancy.owned_by("notice__sender", addressed_to="notice__deliveries__organisation")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")

    objects = TenantManager()
