"""Vulnerability intelligence: global reference data (not tenant data), plus the identified
services the ASM records so that a new KEV entry can be matched against the whole nation.

Feeds arrive in any order (a KEV entry or an EPSS score before its CVE record), so KEV,
EPSS and distribution fixes refer to vulnerabilities by id, not by foreign key.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from mamoru.core.tenancy import Tenancy, TenantManager


class Vulnerability(models.Model):
    tenancy = Tenancy.shared("public vulnerability intelligence")
    id = models.CharField(primary_key=True, max_length=64)  # CVE-2024-6387, or a JVNDB id
    aliases = models.JSONField(default=list, blank=True)
    title = models.CharField(max_length=500, blank=True)
    summary = models.TextField(blank=True)
    title_ja = models.CharField(max_length=500, blank=True)
    summary_ja = models.TextField(blank=True)
    jvn_id = models.CharField(max_length=32, blank=True)
    cvss_score = models.FloatField(null=True, blank=True)
    cvss_vector = models.CharField(max_length=200, blank=True)
    cvss_version = models.CharField(max_length=8, blank=True)
    severity = models.CharField(max_length=16, blank=True)
    published = models.DateTimeField(null=True, blank=True)
    modified = models.DateTimeField(null=True, blank=True)
    rejected = models.BooleanField(default=False)
    # source → that source's last-modified stamp: lets a re-import skip unchanged records.
    sources = models.JSONField(default=dict, blank=True)
    # NVD configurations (AND/OR nodes), evaluated at match time.
    configurations = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("脆弱性")
        verbose_name_plural = _("脆弱性")

    def __str__(self) -> str:
        return self.id


class AffectedProduct(models.Model):
    """One product (and version range) a vulnerability affects, per source and rule."""

    tenancy = Tenancy.shared("public vulnerability intelligence")

    class Status(models.TextChoices):
        AFFECTED = "affected", _("影響あり")
        UNAFFECTED = "unaffected", _("影響なし")

    vulnerability = models.ForeignKey(
        Vulnerability, on_delete=models.CASCADE, related_name="affected"
    )
    source = models.CharField(max_length=16)
    rule = models.CharField(max_length=16)  # "cve5-affected" or "nvd-cpe"
    product_key = models.CharField(max_length=200)  # canonical "vendor:product"
    product_name = models.CharField(max_length=150)  # product half, for unknown vendors
    vendor = models.CharField(max_length=200, blank=True)
    product = models.CharField(max_length=200, blank=True)
    cpe = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.AFFECTED)
    scheme = models.CharField(max_length=16, default="generic")
    version_exact = models.CharField(max_length=100, blank=True)
    start_including = models.CharField(max_length=100, blank=True)
    start_excluding = models.CharField(max_length=100, blank=True)
    end_including = models.CharField(max_length=100, blank=True)
    end_excluding = models.CharField(max_length=100, blank=True)
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["product_key"], name="vulns_affected_product_key"),
            models.Index(fields=["product_name"], name="vulns_affected_product_name"),
            models.Index(fields=["vulnerability", "source"], name="vulns_affected_vuln_source"),
        ]

    def __str__(self) -> str:
        return f"{self.vulnerability_id} {self.product_key}"


class KevEntry(models.Model):
    tenancy = Tenancy.shared("public vulnerability intelligence")
    cve_id = models.CharField(primary_key=True, max_length=32)
    vendor_project = models.CharField(max_length=200, blank=True)
    product = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=500, blank=True)
    date_added = models.DateField()
    due_date = models.DateField(null=True, blank=True)
    known_ransomware_use = models.BooleanField(default=False)
    required_action = models.TextField(blank=True)
    short_description = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["date_added"], name="vulns_kev_date_added")]

    def __str__(self) -> str:
        return self.cve_id


class EpssScore(models.Model):
    """The latest EPSS score of a CVE (history is FIRST's to keep)."""

    tenancy = Tenancy.shared("public vulnerability intelligence")

    cve_id = models.CharField(primary_key=True, max_length=32)
    score = models.FloatField()
    percentile = models.FloatField()
    score_date = models.DateField(null=True, blank=True)
    model_version = models.CharField(max_length=32, blank=True)

    def __str__(self) -> str:
        return f"{self.cve_id} {self.score}"


class DistroAdvisory(models.Model):
    tenancy = Tenancy.shared("public vulnerability intelligence")
    id = models.CharField(primary_key=True, max_length=64)  # DSA-5724-1, USN-6859-1, RHSA-2024:4312
    source = models.CharField(max_length=16, default="osv")
    modified = models.DateTimeField(null=True, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    vulnerability_ids = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return self.id


class DistroFix(models.Model):
    """The source package version of a distribution release that fixed a CVE."""

    tenancy = Tenancy.shared("public vulnerability intelligence")

    advisory = models.ForeignKey(DistroAdvisory, on_delete=models.CASCADE, related_name="fixes")
    vulnerability_id = models.CharField(max_length=64)
    ecosystem = models.CharField(max_length=80)  # OSV spelling, e.g. "Debian:12"
    family = models.CharField(max_length=16)  # debian, ubuntu, rhel
    release = models.CharField(max_length=16)  # 12, 22.04, 9
    package = models.CharField(max_length=100)
    introduced = models.CharField(max_length=100, blank=True)
    fixed = models.CharField(max_length=100, blank=True)  # "" = no fix published yet
    scheme = models.CharField(max_length=8)  # dpkg or rpm

    class Meta:
        indexes = [
            models.Index(fields=["vulnerability_id", "package"], name="vulns_fix_vuln_package"),
        ]

    def __str__(self) -> str:
        return f"{self.vulnerability_id} {self.ecosystem} {self.package} {self.fixed}"


class ImportLog(models.Model):
    tenancy = Tenancy.shared("public vulnerability intelligence")

    class Status(models.TextChoices):
        RUNNING = "running", _("実行中")
        SUCCEEDED = "succeeded", _("成功")
        FAILED = "failed", _("失敗")

    source = models.CharField(max_length=16)
    location = models.CharField(max_length=1000)
    started = models.DateTimeField()
    finished = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    counts = models.JSONField(default=dict, blank=True)
    feed_version = models.CharField(max_length=64, blank=True)
    feed_released = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["source", "-started"], name="vulns_importlog_source")]

    def __str__(self) -> str:
        return f"{self.source} {self.started:%Y-%m-%d %H:%M} {self.status}"


class ObservedService(models.Model):
    """A service the ASM identified on an organisation's asset, kept for exposure queries.

    The attack-surface app (a layer above) writes these rows from its own services
    (``asm.Service.observed`` links each to its row) and removes them when a scan no longer
    finds the service; the exposure query reads them through the gate's set of
    organisations, or for the whole nation when an alert is raised.
    """

    tenancy = Tenancy.owned_by("organisation")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="observed_services"
    )
    ip = models.GenericIPAddressField()
    port = models.PositiveIntegerField()
    transport = models.CharField(max_length=8, default="tcp")
    hostname = models.CharField(max_length=255, blank=True)
    service = models.CharField(max_length=32, blank=True)
    product_key = models.CharField(max_length=200)
    product_name = models.CharField(max_length=150)
    vendor = models.CharField(max_length=200, blank=True)
    product = models.CharField(max_length=200, blank=True)
    version = models.CharField(max_length=100, blank=True)
    version_inferred = models.BooleanField(default=False)
    cpe = models.CharField(max_length=300, blank=True)
    os = models.CharField(max_length=64, blank=True)
    distro_package = models.CharField(max_length=100, blank=True)
    distro_release = models.CharField(max_length=16, blank=True)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "ip", "port", "transport"],
                name="vulns_observed_service_unique",
            )
        ]
        indexes = [
            models.Index(fields=["product_key", "version"], name="vulns_observed_product"),
            models.Index(fields=["product_name"], name="vulns_observed_product_name"),
        ]

    def __str__(self) -> str:
        return f"{self.ip}:{self.port} {self.product_key} {self.version}"

    def extra(self) -> dict[str, Any]:
        values = {"os": self.os, "distro_package": self.distro_package}
        values["distro_release"] = self.distro_release
        return {key: value for key, value in values.items() if value}
