"""Exposure alerts (a new KEV entry or advisory matches an organisation's services) and the
figures the dashboards read.

The prefecture and national pages read precomputed rows — one per organisation, per
prefecture and day, and one national summary — so that they answer in the same number of
queries and about the same time for ten organisations or for all 1,788 with half a
million findings. The rows are rewritten when an organisation's findings change
(``services.exposure``) and by a periodic job.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.core.tenancy import Tenancy, TenantManager


class ExposureAlert(models.Model):
    """An organisation exposes a product that a newly known vulnerability affects."""

    tenancy = Tenancy.owned_by("organisation")

    class Source(models.TextChoices):
        KEV = "kev", _("既知の悪用された脆弱性カタログ（KEV）への追加")
        ADVISORY = "advisory", _("新しい脆弱性情報")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="asm_alerts"
    )
    vulnerability_id = models.CharField(max_length=64)
    source = models.CharField(max_length=10, choices=Source.choices)
    kev = models.BooleanField(default=False)
    ransomware = models.BooleanField(default=False)
    title = models.CharField(max_length=500)
    first_action = models.TextField(blank=True)
    # The affected services when the alert was raised: id, where, product, asset.
    affected = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("露出の警告")
        verbose_name_plural = _("露出の警告")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "vulnerability_id"], name="asm_alert_unique_vulnerability"
            )
        ]

    def __str__(self) -> str:
        return self.title


class AlertNotice(models.Model):
    """An alert told to one person acting in one organisation (the exposed organisation or
    its prefecture): read in the platform, and by e-mail without sensitive detail."""

    tenancy = Tenancy.owned_by("organisation")
    alert = models.ForeignKey(ExposureAlert, on_delete=models.CASCADE, related_name="notices")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asm_notices"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_wanted = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "user"], name="asm_notice_unique_person")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.user_id}"


class _Counts(models.Model):
    """The figures of exposure shared by every rollup row."""

    findings_open = models.PositiveIntegerField(default=0)
    priority_1 = models.PositiveIntegerField(default=0)
    priority_2 = models.PositiveIntegerField(default=0)
    priority_3 = models.PositiveIntegerField(default=0)
    priority_4 = models.PositiveIntegerField(default=0)
    kev_open = models.PositiveIntegerField(default=0)
    kev_overdue = models.PositiveIntegerField(default=0)
    ransomware_open = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class OrganisationExposure(_Counts):
    """An organisation's exposure now (one row per organisation with ASM data)."""

    tenancy = Tenancy.owned_by("organisation")
    organisation = models.OneToOneField(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="asm_exposure"
    )
    prefecture_code = models.CharField(max_length=2, db_index=True)
    assets_approved = models.PositiveIntegerField(default=0)
    assets_proposed = models.PositiveIntegerField(default=0)
    services = models.PositiveIntegerField(default=0)
    last_scan_at = models.DateTimeField(null=True, blank=True)
    last_scan_status = models.CharField(max_length=10, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.findings_open}"


class ExposureSnapshot(_Counts):
    """An organisation's exposure at the end of a day (the month chart of its own page)."""

    tenancy = Tenancy.owned_by("organisation")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField()

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "date"], name="asm_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.date}: {self.findings_open}"


class ExposureTotal(_Counts):
    """A prefecture's or the nation's total on a day (``prefecture_code`` "" = nation)."""

    tenancy = Tenancy.shared(
        "totals over many organisations; the pages show them to the nation and prefectures"
    )
    date = models.DateField()
    prefecture_code = models.CharField(max_length=2, blank=True)
    organisations = models.PositiveIntegerField(default=0)
    organisations_scanned = models.PositiveIntegerField(default=0)
    organisations_exposed = models.PositiveIntegerField(default=0)  # with a KEV finding open
    services = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["date", "prefecture_code"], name="asm_total_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefecture_code or 'nation'} {self.date}: {self.findings_open}"


class NationalRollup(models.Model):
    """The national ranking of vulnerabilities and products (recomputed periodically)."""

    tenancy = Tenancy.shared("national statistics over every organisation's findings")
    computed_at = models.DateTimeField(default=timezone.now)
    # [{"id", "title", "kev", "organisations", "findings"}], most organisations first
    vulnerabilities = models.JSONField(default=list)
    # [{"product", "organisations", "services", "kev_findings"}]
    products = models.JSONField(default=list)

    class Meta:
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"rollup {self.computed_at:%Y-%m-%d %H:%M}"
