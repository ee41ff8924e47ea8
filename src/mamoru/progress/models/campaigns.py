"""Progress campaigns: the plan (items × steps), who takes part, the monthly reports, the
prefecture's follow-up, and the month-by-month state the dashboards read.

``OrganisationMonth`` and the two ``Prefecture…`` tables are derived (``services.rollups``):
the state of every participant in every month (a month without a report carries the last
report forward), and per prefecture and month the counts the national dashboard sums.
They let the dashboards answer from a few small rows whatever the number of reports.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.core.tenancy import Tenancy, TenantManager
from mamoru.progress.models.attachments import AttachmentBase


class Campaign(models.Model):
    """A campaign runs one plan over a reporting period for the organisations taking part."""

    tenancy = Tenancy.shared(
        "a campaign's plan is published to the organisations taking part (Participation says who)"
    )
    key = models.SlugField(_("キー"), max_length=60, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    plan_key = models.CharField(_("計画"), max_length=60)
    plan_version = models.PositiveIntegerField(_("計画の版"))
    plan = models.JSONField(_("計画（作成時の写し）"))
    example = models.BooleanField(_("例示用の計画"), default=False)
    start_month = models.DateField(_("最初の月"))
    end_month = models.DateField(_("最後の月"))
    deadline_day = models.PositiveSmallIntegerField(_("報告の期限（翌月の日）"))
    late_margin = models.PositiveSmallIntegerField(_("遅れとみなす月数"))
    owner = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("実施団体")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("進捗管理")
        verbose_name_plural = _("進捗管理")
        ordering = ["-start_month", "key"]

    def __str__(self) -> str:
        return self.title


class CampaignItem(models.Model):
    tenancy = Tenancy.shared("part of a campaign's published plan")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("業務コード"), max_length=20)
    name = models.CharField(_("業務名"), max_length=100)
    order = models.PositiveSmallIntegerField()
    offset_months = models.SmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="progress_item_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class CampaignStep(models.Model):
    tenancy = Tenancy.shared("part of a campaign's published plan")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("ステップ"))
    name = models.CharField(_("ステップ名"), max_length=100)
    phase = models.CharField(_("段階"), max_length=50, blank=True)
    planned_month = models.PositiveSmallIntegerField(_("予定月（計画の何か月目）"))

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="progress_step_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Participation(models.Model):
    """An organisation that reports in a campaign."""

    tenancy = Tenancy.owned_by("organisation")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], name="progress_participation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} / {self.organisation}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("作成中")
    SUBMITTED = "submitted", _("提出済み")


class MonthlyReport(models.Model):
    """One organisation's report of one month: the state at the month's end."""

    tenancy = Tenancy.owned_by("organisation")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reports")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("報告月"))
    status = models.CharField(
        _("状態"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    unchanged = models.BooleanField(_("前月から変更なし"), default=False)
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation", "month"], name="progress_report_unique_month"
            )
        ]
        indexes = [models.Index(fields=["campaign", "organisation", "status", "month"])]

    def __str__(self) -> str:
        return f"{self.organisation} {self.month:%Y-%m}"


class DelayReason(models.TextChoices):
    VENDOR = "vendor", _("事業者の体制・作業の遅れ")
    SPECIFICATION = "specification", _("標準仕様書の改定・確認待ち")
    BUDGET = "budget", _("予算の確保")
    STAFF = "staff", _("職員の不足")
    DATA = "data", _("データ移行の課題")
    INTERFACE = "interface", _("他システムとの連携・調整")
    PROCUREMENT = "procurement", _("調達手続き")
    OTHER = "other", _("その他")


class ItemReport(models.Model):
    """Where one item stands in a monthly report."""

    tenancy = Tenancy.owned_by("report__organisation")
    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(CampaignItem, on_delete=models.CASCADE, related_name="+")
    step = models.PositiveSmallIntegerField(_("到達したステップ"), default=0)
    reached_month = models.DateField(_("到達した月"), null=True, blank=True)
    delay_reason = models.CharField(
        _("遅れの理由"), max_length=20, choices=DelayReason.choices, blank=True
    )
    delay_note = models.TextField(_("遅れの理由（詳しく）"), blank=True, max_length=2000)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "item"], name="progress_item_report_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.item.code}: {self.step}"


class ReportAttachment(AttachmentBase):
    tenancy = Tenancy.owned_by("report__organisation")
    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="attachments")
    item = models.ForeignKey(
        CampaignItem, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    objects = TenantManager()


class OrganisationMonth(models.Model):
    """Derived: a participant's state in one month (its report, or the last one before)."""

    tenancy = Tenancy.owned_by("organisation")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    prefecture_code = models.CharField(max_length=2, db_index=True)
    month = models.DateField()
    reported = models.BooleanField(default=False)  # a report of this very month was submitted
    last_reported = models.DateField(null=True, blank=True)
    steps = models.JSONField(default=list)  # per item, in plan order
    behind = models.JSONField(default=list)  # months behind the plan, per item
    late_items = models.PositiveSmallIntegerField(default=0)
    max_behind = models.PositiveSmallIntegerField(default=0)
    progress = models.PositiveIntegerField(default=0)  # per mille of every step of every item

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation", "month"], name="progress_org_month_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["campaign", "prefecture_code", "month", "-late_items", "-max_behind"],
                name="progress_org_month_lateness",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.month:%Y-%m}"


class PrefectureMonthItem(models.Model):
    """Derived: per prefecture, month and item, the counts over its participants."""

    tenancy = Tenancy.owned_by("prefecture")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    prefecture = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    item = models.ForeignKey(CampaignItem, on_delete=models.CASCADE, related_name="+")
    participants = models.PositiveIntegerField(default=0)
    reported = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    step_sum = models.PositiveIntegerField(default=0)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "prefecture", "month", "item"],
                name="progress_pref_month_item_unique",
            )
        ]
        indexes = [models.Index(fields=["campaign", "month"], name="progress_pmi_month")]

    def __str__(self) -> str:
        return f"{self.prefecture_id} {self.month:%Y-%m} {self.item_id}"


class PrefectureMonthStep(models.Model):
    """Derived: per prefecture and month, how many items of its participants are at each step."""

    tenancy = Tenancy.owned_by("prefecture")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    prefecture = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    step = models.PositiveSmallIntegerField()
    items = models.PositiveIntegerField(default=0)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "prefecture", "month", "step"],
                name="progress_pref_month_step_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefecture_id} {self.month:%Y-%m} {self.step}"


class FollowUpKind(models.TextChoices):
    NOTE = "note", _("メモ（都道府県内のみ）")
    ASKED = "asked", _("遅れについての問合せ")
    ESCALATED = "escalated", _("国への報告（エスカレーション）")


class FollowUp(models.Model):
    """The prefecture's follow-up of one municipality: a note, a question about the delay
    (which the municipality answers), or an escalation to the nation."""

    tenancy = Tenancy.owned_by("organisation")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="follow_ups")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    author_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("種類"), max_length=10, choices=FollowUpKind.choices)
    text = models.TextField(_("内容"), max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("回答"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_kind_display()}"
