"""Scans as jobs: a scan of one organisation is cut into jobs that workers claim; a
national campaign is one scan per organisation; slots bound how many jobs run at once
across every worker (``ASM_MAX_RUNNING_JOBS``).

A job is claimed with a conditional UPDATE on ``lease`` (the same pattern as
``core.scheduler``): only the worker whose UPDATE changed the row runs it, it keeps the row
alive with ``heartbeat_at``, and its results are kept only while the lease is still its
own. A job whose heartbeat stops (a SIGKILLed worker) is queued again up to
``max_attempts`` times, then marked failed with the reason — never lost, never run twice
at once, and its results are keyed so that a second run adds no duplicate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.core.tenancy import Tenancy, TenantManager


class Campaign(models.Model):
    """A national diagnosis of many organisations, run by a national body."""

    tenancy = Tenancy.owned_by("organisation")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="asm_campaigns"
    )
    name = models.CharField(_("名称"), max_length=200)
    prefecture_code = models.CharField(max_length=2, blank=True)  # "" = every prefecture
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("全国診断")
        verbose_name_plural = _("全国診断")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class ScanReason(models.TextChoices):
    ON_DEMAND = "on_demand", _("依頼による診断")
    SCHEDULED = "scheduled", _("定期診断")
    CAMPAIGN = "campaign", _("全国診断")
    VERIFICATION = "verification", _("修正の確認（再診断）")


class ScanStatus(models.TextChoices):
    QUEUED = "queued", _("待機中")
    RUNNING = "running", _("実行中")
    SUCCEEDED = "succeeded", _("完了")
    PARTIAL = "partial", _("一部失敗")
    FAILED = "failed", _("失敗")


FINISHED_SCAN = frozenset({ScanStatus.SUCCEEDED, ScanStatus.PARTIAL, ScanStatus.FAILED})


class Scan(models.Model):
    """One diagnosis of one organisation's approved assets."""

    tenancy = Tenancy.owned_by("organisation")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="asm_scans"
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="scans"
    )
    reason = models.CharField(_("きっかけ"), max_length=16, choices=ScanReason.choices)
    status = models.CharField(
        _("状態"), max_length=10, choices=ScanStatus.choices, default=ScanStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_for = models.ForeignKey(
        "orgs.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # For a verification: the findings it re-checks (their ids), and only their assets.
    verifies = models.JSONField(default=list, blank=True)
    ports = models.CharField(max_length=200, blank=True)  # the default port set used
    rate = models.PositiveIntegerField(default=0)  # probes per second for each job
    concurrency = models.PositiveIntegerField(default=0)
    jobs_total = models.PositiveIntegerField(default=0)
    jobs_done = models.PositiveIntegerField(default=0)
    jobs_failed = models.PositiveIntegerField(default=0)
    probes_total = models.PositiveBigIntegerField(default=0)
    services_seen = models.PositiveIntegerField(default=0)
    findings_seen = models.PositiveIntegerField(default=0)
    notes = models.JSONField(default=list, blank=True)  # plain-Japanese lines for people
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("診断")
        verbose_name_plural = _("診断")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"]),
            models.Index(fields=["campaign", "status"]),
        ]
        constraints = [
            # One scan of an organisation at a time (re-scans that verify a fix aside),
            # however many processes ask at once: a schedule, a campaign and a person.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status__in=["queued", "running"])
                & ~models.Q(reason="verification"),
                name="asm_scan_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.get_reason_display()} {self.created_at:%Y-%m-%d}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_SCAN

    @property
    def progress_key(self) -> str:
        """The id under which ``core.progress`` keeps this scan's progress."""
        return f"asm.scan.{self.pk}"


class JobStatus(models.TextChoices):
    WAITING = "waiting", _("順番待ち")  # a later job of a scan: its turn comes after the last
    QUEUED = "queued", _("待機中")
    DISPATCHED = "dispatched", _("実行待ち")  # holds a slot, its task is enqueued
    RUNNING = "running", _("実行中")
    SUCCEEDED = "succeeded", _("完了")
    FAILED = "failed", _("失敗")


class ScanJob(models.Model):
    """A slice of a scan's targets, small enough to redo whole when a worker dies.

    ``targets`` holds ``{"asset": id, "target": text}`` items: assets, or parts of a range.
    The jobs of one scan run one after another (each finished job dispatches its
    successor), so a scan never exceeds its own rate and concurrency.
    """

    tenancy = Tenancy.owned_by("scan__organisation")
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="jobs")
    sequence = models.PositiveIntegerField()
    targets = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    lease = models.CharField(max_length=32, blank=True)  # who holds it now
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    probes_done = models.PositiveBigIntegerField(default=0)
    probes_total = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["scan_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["scan", "sequence"], name="asm_job_unique_sequence")
        ]
        indexes = [
            models.Index(fields=["status", "heartbeat_at"]),
            models.Index(fields=["status", "scan"]),
        ]

    def __str__(self) -> str:
        return f"scan {self.scan_id} job {self.sequence} {self.status}"


class ScanSlot(models.Model):
    """One of ``ASM_MAX_RUNNING_JOBS`` places where a job may run, across all workers.

    A job is dispatched only into a slot it claimed by a conditional UPDATE, so the global
    limit holds on any database and any number of workers.
    """

    tenancy = Tenancy.shared("the platform-wide limit on running scan jobs")
    number = models.PositiveSmallIntegerField(primary_key=True)
    job = models.OneToOneField(
        ScanJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="slot"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"slot {self.number}: {self.job_id or '-'}"
