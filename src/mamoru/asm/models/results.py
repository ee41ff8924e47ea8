"""What scans found: services on open ports and findings, each kept once per organisation
under a stable key however many scans see it, with the full history of a finding."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.core.tenancy import Tenancy, TenantManager


class Service(models.Model):
    """A service on an open port of an organisation, as the last scan identified it.

    ``observed`` links the row the vulnerability intelligence matches new KEV entries and
    advisories against (``vulns.ObservedService``); a service that a later scan no longer
    finds loses it, so nobody is alerted about a machine that is gone.
    """

    tenancy = Tenancy.owned_by("organisation")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="asm_services"
    )
    asset = models.ForeignKey(
        "asm.Asset", on_delete=models.SET_NULL, null=True, blank=True, related_name="services"
    )
    ip = models.GenericIPAddressField()
    port = models.PositiveIntegerField()
    transport = models.CharField(max_length=8, default="tcp")
    hostname = models.CharField(max_length=255, blank=True)
    service = models.CharField(_("種類"), max_length=32, blank=True)
    product = models.CharField(_("製品"), max_length=200, blank=True)
    vendor = models.CharField(_("ベンダー"), max_length=200, blank=True)
    version = models.CharField(_("版"), max_length=100, blank=True)
    cpe = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=16, blank=True)  # "mamoru", "recog" or ""
    extra = models.JSONField(default=dict, blank=True)
    tls = models.JSONField(null=True, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    present = models.BooleanField(default=True)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    last_scan = models.ForeignKey(
        "asm.Scan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    observed = models.OneToOneField(
        "vulns.ObservedService",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="asm_service",
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("サービス")
        verbose_name_plural = _("サービス")
        ordering = ["ip", "port"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "ip", "port", "transport"], name="asm_service_unique"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "present"]),
            models.Index(fields=["product"]),
        ]

    def __str__(self) -> str:
        return f"{self.ip}:{self.port} {self.product} {self.version}".strip()

    @property
    def product_label(self) -> str:
        return " ".join(p for p in (self.product, self.version) if p) or self.service


class FindingStatus(models.TextChoices):
    OPEN = "open", _("未対応")
    ACKNOWLEDGED = "acknowledged", _("対応中")
    FIXED = "fixed", _("修正済み（再診断で確認中）")
    VERIFIED = "verified", _("解決（再診断で確認済み）")
    RISK_ACCEPTED = "risk_accepted", _("リスク受容")


# Still exposed: these count in every figure of exposure.
UNRESOLVED = (FindingStatus.OPEN, FindingStatus.ACKNOWLEDGED, FindingStatus.FIXED)


class Priority(models.IntegerChoices):
    """How soon to act (1 first): KEV and ransomware first, then EPSS and CVSS; for a
    misconfiguration, its severity."""

    URGENT = 1, _("最優先")
    HIGH = 2, _("高")
    MEDIUM = 3, _("中")
    LOW = 4, _("低")


class Finding(models.Model):
    """A weakness of an organisation, deduplicated across scans by ``key``."""

    tenancy = Tenancy.owned_by("organisation")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="asm_findings"
    )
    key = models.CharField(max_length=64)  # sha256 of what identifies it (services.results)
    asset = models.ForeignKey(
        "asm.Asset", on_delete=models.SET_NULL, null=True, blank=True, related_name="findings"
    )
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="findings"
    )
    kind = models.CharField(_("種類"), max_length=64)
    severity = models.CharField(_("深刻度"), max_length=10)
    priority = models.PositiveSmallIntegerField(_("優先度"), choices=Priority.choices)
    title = models.CharField(_("件名"), max_length=500)
    vulnerability_id = models.CharField(_("脆弱性"), max_length=64, blank=True)
    kev = models.BooleanField(default=False)
    kev_due = models.DateField(null=True, blank=True)
    ransomware = models.BooleanField(default=False)
    epss = models.FloatField(null=True, blank=True)
    cvss = models.FloatField(null=True, blank=True)
    product = models.CharField(max_length=200, blank=True)  # "OpenSSH 9.2p1", for figures
    ip = models.GenericIPAddressField(null=True, blank=True)
    port = models.PositiveIntegerField(null=True, blank=True)
    hostname = models.CharField(max_length=255, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    details = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("状態"), max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    accepted_reason = models.TextField(blank=True)
    accepted_until = models.DateField(null=True, blank=True)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    last_scan = models.ForeignKey(
        "asm.Scan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    times_seen = models.PositiveIntegerField(default=1)

    objects = TenantManager()

    class Meta:
        verbose_name = _("検出結果")
        verbose_name_plural = _("検出結果")
        ordering = ["priority", "-kev", "-last_seen", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="asm_finding_unique_key")
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "priority"]),
            models.Index(fields=["organisation", "kev", "kev_due"]),
            models.Index(fields=["vulnerability_id"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unresolved(self) -> bool:
        return self.status in UNRESOLVED

    @property
    def where(self) -> str:
        host = self.hostname or self.ip or ""
        return f"{host}:{self.port}" if self.port else host


class FindingEvent(models.Model):
    """One step of a finding's history: who (or which scan) did what, and why."""

    tenancy = Tenancy.owned_by("finding__organisation")

    class Action(models.TextChoices):
        FOUND = "found", _("検出")
        SEEN_AGAIN = "seen_again", _("再び検出")
        ACKNOWLEDGED = "acknowledged", _("対応を開始")
        FIXED = "fixed", _("修正済みにした")
        VERIFIED = "verified", _("再診断で解決を確認")
        REOPENED = "reopened", _("再び未対応に")
        RISK_ACCEPTED = "risk_accepted", _("リスクを受容")
        RISK_EXPIRED = "risk_expired", _("リスク受容の期限切れ")
        NOTE = "note", _("メモ")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=16, choices=Action.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scan = models.ForeignKey(
        "asm.Scan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.finding_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
