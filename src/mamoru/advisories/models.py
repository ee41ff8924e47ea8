"""Advisories the nation sends, each recipient's acknowledgement and answer, and what
organisations share back to their prefecture and the nation.

An advisory belongs to its sender (the nation); it is read by the organisations it was
sent to (``addressed_to``). Each recipient's copy (``AdvisoryDelivery``) belongs to the
recipient — the answer is its own — and the nation and the prefecture read it as
supervisors (``DataKind.ADVISORIES``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.core.tenancy import Tenancy, TenantManager
from mamoru.progress.models.attachments import AttachmentBase


class Tlp(models.TextChoices):
    """Traffic Light Protocol 2.0 (FIRST), as ``mamoru.incidents.content.Tlp``."""

    CLEAR = "clear", "TLP:CLEAR"
    GREEN = "green", "TLP:GREEN"
    AMBER = "amber", "TLP:AMBER"
    AMBER_STRICT = "amber+strict", "TLP:AMBER+STRICT"
    RED = "red", "TLP:RED"


# TLP 2.0 allows neither AMBER+STRICT nor RED to be passed on to every municipality.
PUBLISHABLE_TLP_CHOICES = [(t.value, t.label) for t in (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER)]


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", _("直ちに対応")
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class Importance(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class Targeting(models.TextChoices):
    AUDIENCE = "audience", _("宛先の指定による")
    EXPOSURE = "exposure", _("該当製品を公開している団体（攻撃対象領域の診断による）")


class Advisory(models.Model):
    tenancy = Tenancy.owned_by("sender", addressed_to="deliveries__organisation")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stix_id = models.CharField(max_length=100, unique=True)
    stix_modified = models.DateTimeField(default=timezone.now)
    sender = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("件名"), max_length=200)
    summary = models.TextField(_("概要（Markdown）"), max_length=20000)
    threat = models.TextField(_("脅威"), blank=True, max_length=4000)
    attacker = models.TextField(_("攻撃者"), blank=True, max_length=2000)
    purpose = models.TextField(_("攻撃の目的"), blank=True, max_length=2000)
    background = models.TextField(_("背景"), blank=True, max_length=4000)
    expected_damage = models.TextField(_("想定される被害"), blank=True, max_length=4000)
    actions_first = models.TextField(_("まず行うこと（Markdown）"), max_length=10000)
    actions_later = models.TextField(
        _("その後に行うこと（Markdown）"), blank=True, max_length=10000
    )
    urgency = models.CharField(_("緊急度"), max_length=10, choices=Urgency.choices)
    importance = models.CharField(_("重要度"), max_length=10, choices=Importance.choices)
    products = models.JSONField(_("影響を受ける製品"), default=list)
    cves = models.JSONField(_("CVE"), default=list)
    sources = models.JSONField(_("情報源"), default=list)
    tlp = models.CharField(_("TLP"), max_length=12, choices=Tlp.choices, default=Tlp.GREEN)
    targeting = models.CharField(
        _("対象の決め方"), max_length=10, choices=Targeting.choices, default=Targeting.AUDIENCE
    )
    audience = models.JSONField(_("宛先"), default=dict)
    audience_label = models.CharField(_("宛先"), max_length=300, blank=True)
    imported = models.BooleanField(_("STIXから取り込み"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("注意喚起")
        verbose_name_plural = _("注意喚起")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Answer(models.TextChoices):
    AFFECTED = "affected", _("影響あり（対応中）")
    NOT_AFFECTED = "not_affected", _("影響なし")
    FIXED = "fixed", _("対応済み")


class AdvisoryDelivery(models.Model):
    tenancy = Tenancy.owned_by("organisation")
    advisory = models.ForeignKey(Advisory, on_delete=models.CASCADE, related_name="deliveries")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    matched = models.BooleanField(_("診断で該当製品を検出"), default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answer = models.CharField(_("回答"), max_length=15, choices=Answer.choices, blank=True)
    note = models.TextField(_("補足"), blank=True, max_length=4000)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["advisory", "organisation"], name="advisories_delivery_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.advisory_id} → {self.organisation_id}"


class ShareKind(models.TextChoices):
    INDICATOR = "indicator", _("不審な通信先などの痕跡（IoC）")
    PHISHING = "phishing", _("受信した不審なメール")
    OBSERVATION = "observation", _("気付いたこと・観測")


class ShareBack(models.Model):
    """Something an organisation shares back to its prefecture (and the nation)."""

    tenancy = Tenancy.owned_by("organisation")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("種類"), max_length=12, choices=ShareKind.choices)
    title = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("内容"), max_length=20000)
    indicators = models.JSONField(_("痕跡"), default=list)
    tlp = models.CharField(_("TLP"), max_length=12, choices=Tlp.choices, default=Tlp.AMBER)
    to_nation = models.BooleanField(_("国にも共有する"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ShareAttachment(AttachmentBase):
    tenancy = Tenancy.owned_by("share__organisation")
    share = models.ForeignKey(ShareBack, on_delete=models.CASCADE, related_name="attachments")

    objects = TenantManager()
