"""The security cloud's control plane: devices and their formats, the municipalities'
dated address ranges, the prefecture's detection rules and known-bad list, alerts with
their workflow, report schedules, and the aggregates the pages read.

Events stay in the engine's Parquet store (``mamoru.seccloud.engine``): only aggregates
(monthly figures, ingest health per device and day, segments' counts) and alerts enter
the database. The prefecture that operates the security cloud owns its devices, rules and
runs; each municipality owns its ranges, alerts and figures (the prefecture reads them
through the hierarchy, the nation reads statistics: ``orgs.policy``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from mamoru.core.tenancy import Tenancy, TenantManager


class LogFormat(models.TextChoices):
    AUTO = "auto", _("自動判別")
    FORTIGATE = "fortigate", "FortiGate"
    CEF = "cef", "CEF"
    LEEF = "leef", "LEEF"
    PANOS = "panos", "PAN-OS"
    IFILTER = "ifilter", "i-FILTER"
    MFILTER = "mfilter", "m-FILTER"
    SURICATA = "suricata", "Suricata EVE"
    SQUID = "squid", "Squid"


class Device(models.Model):
    """An appliance of the prefecture's security cloud, by the name its logs carry."""

    tenancy = Tenancy.owned_by("prefecture")
    prefecture = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("都道府県")
    )
    name = models.CharField(_("機器名（ログ上の名前）"), max_length=100)
    format = models.CharField(
        _("ログの形式"), max_length=20, choices=LogFormat.choices, default=LogFormat.AUTO
    )
    description = models.CharField(_("説明"), max_length=200, blank=True)
    # The appliance's own severity word or verdict (lower-cased) → OCSF severity_id 0–6.
    severity_map = models.JSONField(_("重大度の対応"), default=dict, blank=True)
    registered_by_ingest = models.BooleanField(_("取り込み時に自動登録"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("機器")
        verbose_name_plural = _("機器")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["prefecture", "name"], name="seccloud_device_unique")
        ]

    def __str__(self) -> str:
        return self.name


class AddressRange(models.Model):
    """An address block of a municipality, valid between two days (inclusive, JST)."""

    tenancy = Tenancy.owned_by("organisation")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体")
    )
    prefecture_code = models.CharField(_("都道府県コード"), max_length=2, db_index=True)
    cidr = models.CharField(_("アドレス範囲（CIDR）"), max_length=43)
    valid_from = models.DateField(_("有効期間の始め"), null=True, blank=True)
    valid_to = models.DateField(_("有効期間の終わり"), null=True, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("アドレス範囲")
        verbose_name_plural = _("アドレス範囲")
        ordering = ["organisation__code", "cidr", "valid_from"]

    def __str__(self) -> str:
        return self.cidr


class DetectionRule(models.Model):
    """One of the shipped Sigma rules as a prefecture runs it (on or off)."""

    tenancy = Tenancy.owned_by("prefecture")
    prefecture = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    rule_id = models.CharField(_("ルールID"), max_length=64)
    title = models.CharField(_("ルール名"), max_length=200)
    level = models.CharField(_("レベル"), max_length=20)
    enabled = models.BooleanField(_("有効"), default=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("検知ルール")
        verbose_name_plural = _("検知ルール")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["prefecture", "rule_id"], name="seccloud_rule_unique")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def level_label(self) -> str:
        return severity_label(self.level)


class BadDestination(models.Model):
    """An address of the prefecture's imported known-bad list (C2, phishing hosts)."""

    tenancy = Tenancy.owned_by("prefecture")
    prefecture = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    address = models.GenericIPAddressField(_("アドレス"), protocol="IPv4")
    note = models.CharField(_("出典・メモ"), max_length=200, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["address"]
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "address"], name="seccloud_bad_destination_unique"
            )
        ]

    def __str__(self) -> str:
        return self.address


class AlertStatus(models.TextChoices):
    OPEN = "open", _("未対応")
    ACKNOWLEDGED = "acknowledged", _("確認済み")
    CLOSED = "closed", _("対応完了")


class Alert(models.Model):
    """One alert per (rule, source, municipality, day): recomputing a day updates it.

    ``organisation`` is the municipality the events belong to, or the prefecture itself
    when the addresses were not attributed to a municipality.
    """

    tenancy = Tenancy.owned_by("organisation")
    prefecture = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体")
    )
    rule_id = models.CharField(_("ルールID"), max_length=64)
    title = models.CharField(_("検知内容"), max_length=200)
    level = models.CharField(_("レベル"), max_length=20)
    severity_id = models.PositiveSmallIntegerField(_("重大度"))
    source = models.CharField(_("送信元"), max_length=64)
    day = models.DateField(_("日"))
    first_seen = models.DateTimeField(_("最初"))
    last_seen = models.DateTimeField(_("最後"))
    events = models.PositiveBigIntegerField(_("件数"))
    status = models.CharField(
        _("状態"), max_length=20, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    note = models.TextField(_("対応の記録"), blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("アラート")
        verbose_name_plural = _("アラート")
        ordering = ["-day", "-severity_id", "-events"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_id", "source", "organisation", "day"], name="seccloud_alert_unique"
            )
        ]
        indexes = [models.Index(fields=["prefecture", "status", "severity_id"])]

    def __str__(self) -> str:
        return f"{self.title} {self.source} {self.day}"

    @property
    def high(self) -> bool:
        return self.severity_id >= HIGH_SEVERITY

    @property
    def level_label(self) -> str:
        return severity_label(self.level)


HIGH_SEVERITY = 4  # OCSF: 4 high, 5 critical, 6 fatal
# The words of Sigma levels and OCSF severities, as the pages and reports say them.
SEVERITY_LABELS = {
    "fatal": gettext_noop("致命的"),
    "critical": gettext_noop("緊急"),
    "high": gettext_noop("高"),
    "medium": gettext_noop("中"),
    "low": gettext_noop("低"),
    "informational": gettext_noop("情報"),
    "unknown": gettext_noop("不明"),
}


def severity_label(level: str) -> str:
    """``level`` (a Sigma level or severity word) in the reader's language."""
    return gettext(SEVERITY_LABELS.get(level, level))


class ReportSchedule(models.Model):
    """When the prefecture's monthly report of last month is produced by the scheduler."""

    tenancy = Tenancy.owned_by("prefecture")
    prefecture = models.OneToOneField(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    day_of_month = models.PositiveSmallIntegerField(_("作成する日（毎月）"), default=1)
    enabled = models.BooleanField(_("有効"), default=True)
    last_month = models.DateField(_("最後に作成した月"), null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("月次報告の予定")
        verbose_name_plural = _("月次報告の予定")

    def __str__(self) -> str:
        return f"{self.prefecture_id}: {self.day_of_month}"


class MonthlyFigures(models.Model):
    """The monthly figures of a municipality, or of the whole prefecture (``organisation``
    is then the prefecture): the engine's ``MonthlyFigures.as_dict()`` plus the headline
    numbers as columns, so that the national view sums them without reading JSON."""

    tenancy = Tenancy.owned_by("organisation")
    prefecture = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("月"))
    figures = models.JSONField(_("集計"))
    sessions_allowed = models.BigIntegerField(default=0)
    sessions_blocked = models.BigIntegerField(default=0)
    ips_detections = models.BigIntegerField(default=0)
    malware = models.BigIntegerField(default=0)
    spam = models.BigIntegerField(default=0)
    url_blocks = models.BigIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        ordering = ["-month", "organisation__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month"], name="seccloud_figures_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m}"

    @property
    def whole_prefecture(self) -> bool:
        return self.organisation_id == self.prefecture_id


class RunStatus(models.TextChoices):
    RUNNING = "running", _("取り込み中")
    DONE = "done", _("完了")
    FAILED = "failed", _("失敗")


class IngestRun(models.Model):
    """One ingest call (a command, a page's upload, the micro-batch of closed segments)."""

    tenancy = Tenancy.owned_by("prefecture")
    prefecture = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("取り込み元"), max_length=200)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    task_id = models.CharField(max_length=64, blank=True)
    files = models.PositiveIntegerField(default=0)
    segments = models.PositiveIntegerField(default=0)
    segments_skipped = models.PositiveIntegerField(default=0)
    rows_read = models.BigIntegerField(default=0)
    rows_stored = models.BigIntegerField(default=0)
    rows_quarantined = models.BigIntegerField(default=0)
    bytes_total = models.BigIntegerField(default=0)
    bytes_done = models.BigIntegerField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        """How much of the input (by bytes) is done."""
        if self.status != "running":
            return 100
        return min(100, self.bytes_done * 100 // self.bytes_total) if self.bytes_total else 0


class IngestedSegment(models.Model):
    """A segment whose counts are in the health rows: recorded once, whatever the retries."""

    tenancy = Tenancy.owned_by("prefecture")
    prefecture = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    segment = models.CharField(max_length=64)
    rows_read = models.BigIntegerField()
    rows_stored = models.BigIntegerField()
    rows_quarantined = models.BigIntegerField()
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "segment"], name="seccloud_segment_unique"
            )
        ]

    def __str__(self) -> str:
        return self.segment


class DeviceDay(models.Model):
    """Ingest health of one device on one day: lines stored, quarantined, last line seen."""

    tenancy = Tenancy.owned_by("device__prefecture")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    lines = models.BigIntegerField(default=0)
    quarantined = models.BigIntegerField(default=0)
    first_line_at = models.DateTimeField(null=True, blank=True)
    last_line_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["-day", "device__name"]
        constraints = [
            models.UniqueConstraint(fields=["device", "day"], name="seccloud_device_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.device_id} {self.day}"

    @property
    def lines_per_minute(self) -> int:
        """Lines per minute between the day's first and last line."""
        if self.first_line_at is None or self.last_line_at is None:
            return 0
        minutes = max((self.last_line_at - self.first_line_at).total_seconds() / 60, 1)
        return round(self.lines / minutes)
