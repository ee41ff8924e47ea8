"""Incident reports, their immutable submissions, deliveries to recipients, threads and
in-app notifications.

A report holds the reporter's current draft; each approved submission (第一報, 続報, 確報)
freezes a copy of it as a :class:`Submission`, which is never changed afterwards (the
services refuse it and a database trigger refuses it again). Each recipient the routing
rules name gets a :class:`Delivery` of that submission, carrying the sections it was
granted and its deadlines.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.core.tenancy import Tenancy, TenantManager
from mamoru.incidents.content import Phase
from mamoru.incidents.routing import Timing
from mamoru.orgs.models import Organisation


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    AWAITING_APPROVAL = "awaiting_approval", _("承認待ち")
    SUBMITTED = "submitted", _("提出済み")
    CLOSED = "closed", _("完了（確報提出済み）")


class PhaseChoice(models.TextChoices):
    PRELIMINARY = Phase.PRELIMINARY.value, _("第一報")
    INTERIM = Phase.INTERIM.value, _("続報")
    FINAL = Phase.FINAL.value, _("確報")


class TimingChoice(models.TextChoices):
    FIXED = Timing.FIXED.value, _("期限")
    PROMPTLY = Timing.PROMPTLY.value, _("速やかに")
    IMMEDIATELY = Timing.IMMEDIATELY.value, _("直ちに")


class NoticeStatus(models.TextChoices):
    """Where the duty to notify the people whose data it is stands (本人への通知,
    個人情報保護法第68条第2項, 番号法第29条の4第2項)."""

    NOT_RECORDED = "", _("未記録")
    PENDING = "pending", _("未実施")
    IN_PROGRESS = "in_progress", _("通知中（一部の本人に通知済み）")
    DONE = "done", _("通知済み")
    # 法第68条第2項第1号: notice is difficult, and a substitute measure (e.g. publication).
    SUBSTITUTE = "substitute", _("通知が困難なため代わりの措置（公表など）を実施")
    # 法第68条第2項第2号: the data includes information that may be withheld from disclosure.
    EXEMPT = "exempt", _("通知しない（不開示情報を含むため）")


class IncidentReport(models.Model):
    """One incident of one organisation, from the first draft to the final report."""

    tenancy = Tenancy.owned_by("organisation", addressed_to="deliveries__recipient")
    public_id = models.UUIDField(_("報告ID"), default=uuid.uuid4, unique=True, editable=False)
    # What people say on the phone: ``2026-133078-0001`` (year of creation in Japan, the
    # organisation's code, its count of reports that year). Null only while being created.
    number = models.CharField(_("報告番号"), max_length=32, unique=True, null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="incident_reports",
        verbose_name=_("報告団体"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    title = models.CharField(_("件名"), max_length=200)
    draft = models.JSONField(_("下書きの内容"))  # ``content.to_dict`` form
    approval_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approval_requested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    individual_notice_status = models.CharField(
        _("本人への通知の状況"),
        max_length=16,
        choices=NoticeStatus.choices,
        default=NoticeStatus.NOT_RECORDED,
        blank=True,
    )
    individual_notice_note = models.TextField(_("本人への通知の記録"), blank=True)
    individual_notice_updated_at = models.DateTimeField(null=True, blank=True)
    individual_notice_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The steps of the form the reporter finished (keys of ``ui.steps.STEPS``), for the task
    # list's progress; the content itself is always the whole ``draft``.
    steps_done = models.JSONField(_("入力を終えた手順"), default=list, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("インシデント報告")
        verbose_name_plural = _("インシデント報告")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class Submission(models.Model):
    """One approved, immutable version of a report as it was sent."""

    tenancy = Tenancy.owned_by("report__organisation", addressed_to="deliveries__recipient")
    report = models.ForeignKey(IncidentReport, on_delete=models.PROTECT, related_name="submissions")
    phase = models.CharField(_("報告の段階"), max_length=12, choices=PhaseChoice.choices)
    version = models.PositiveIntegerField(_("版"))
    content = models.JSONField(_("内容"))  # ``content.to_dict`` form, never changed
    checksum = models.CharField(_("SHA-256"), max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提出日時"))
    ruleset_version = models.CharField(_("適用ルール"), max_length=40)
    ruleset_effective_from = models.DateField(_("適用ルールの施行日"))
    routing = models.JSONField(_("宛先の判定"), default=list)  # ``routing.explain`` lines

    objects = TenantManager()

    class Meta:
        verbose_name = _("提出版")
        verbose_name_plural = _("提出版")
        ordering = ["report", "version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="submission_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.version} ({self.phase})"


class Delivery(models.Model):
    """A submission as addressed to one recipient: what it may see, and what is due when.

    ``due_*_at`` null with a timing set means the trigger has not happened yet; both null
    means the rule sets no deadline for that phase. ``next_due_at`` is the deadline of the
    next report the reporter owes this recipient (the final report), null once it is met.
    ``current`` marks the newest delivery of a report to a recipient.
    """

    tenancy = Tenancy.owned_by("report__organisation", addressed_to="recipient")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="deliveries")
    report = models.ForeignKey(IncidentReport, on_delete=models.PROTECT, related_name="deliveries")
    recipient = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="incident_deliveries"
    )
    rule_ids = models.JSONField(_("適用ルール"), default=list)
    sections = models.JSONField(_("開示する項目"), default=list)
    preliminary_timing = models.CharField(max_length=12, choices=TimingChoice.choices, blank=True)
    preliminary_due_at = models.DateTimeField(_("第一報の期限"), null=True, blank=True)
    final_timing = models.CharField(max_length=12, choices=TimingChoice.choices, blank=True)
    final_due_at = models.DateTimeField(_("確報の期限"), null=True, blank=True)
    next_due_at = models.DateTimeField(_("次の報告の期限"), null=True, blank=True)
    current = models.BooleanField(default=True)
    # The category and severity as this recipient may see them ("" when its view withholds
    # them), so that its inbox can be filtered without reading what it may not see.
    category = models.CharField(_("種別"), max_length=40, blank=True)
    severity = models.CharField(_("深刻度"), max_length=12, blank=True)
    delivered_at = models.DateTimeField(_("送付日時"))
    acknowledged_at = models.DateTimeField(_("受領確認日時"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("送付")
        verbose_name_plural = _("送付")
        ordering = ["-delivered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "recipient"], name="delivery_unique_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-delivered_at"], name="delivery_inbox"),
            models.Index(fields=["recipient", "acknowledged_at"], name="delivery_unacknowledged"),
            models.Index(fields=["current", "next_due_at"], name="delivery_next_due"),
            models.Index(fields=["report", "recipient", "current"], name="delivery_thread"),
            models.Index(fields=["recipient", "category"], name="delivery_category"),
        ]

    def __str__(self) -> str:
        return f"{self.submission} → {self.recipient}"


class Message(models.Model):
    """One message of the thread between a reporter and one recipient about one report."""

    tenancy = Tenancy.owned_by("report__organisation", addressed_to="recipient")
    report = models.ForeignKey(IncidentReport, on_delete=models.PROTECT, related_name="messages")
    recipient = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="incident_messages"
    )  # the author's organisation: the reporter or the recipient
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("本文"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("連絡")
        verbose_name_plural = _("連絡")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["report", "recipient", "created_at"])]

    def __str__(self) -> str:
        return f"{self.report} ⇄ {self.recipient}: {self.body[:30]}"


class OutsideMethod(models.TextChoices):
    PHONE = "phone", _("電話")
    EMAIL = "email", _("メール")
    FAX = "fax", _("FAX")
    VISIT = "visit", _("訪問・窓口")
    OTHER = "other", _("その他")


class OutsideReport(models.Model):
    """The reporter's record that it told a recipient who has nobody on the platform (the
    police, for instance) by other means: how, when, to whom, about which version."""

    tenancy = Tenancy.owned_by("report__organisation")
    report = models.ForeignKey(
        IncidentReport, on_delete=models.PROTECT, related_name="outside_reports"
    )
    recipient = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("伝えた版"))
    method = models.CharField(_("伝えた方法"), max_length=10, choices=OutsideMethod.choices)
    reported_at = models.DateTimeField(_("伝えた日時"))
    contact_person = models.CharField(_("相手の担当者"), max_length=100, blank=True)
    note = models.TextField(_("メモ"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("システム外での報告の記録")
        verbose_name_plural = _("システム外での報告の記録")
        ordering = ["report", "recipient", "-version", "-recorded_at"]
        indexes = [models.Index(fields=["report", "recipient", "version"])]

    def __str__(self) -> str:
        return f"{self.report} → {self.recipient} v{self.version} ({self.method})"


class ApprovalDeputy(models.Model):
    """A member named to approve and submit the organisation's reports while its CISO is
    away (出張・休暇・夜間), until ``ends_at`` or until revoked."""

    tenancy = Tenancy.owned_by("organisation")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("理由"), max_length=200)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("開始"), default=timezone.now)
    ends_at = models.DateTimeField(_("終了"))
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("承認の代理者")
        verbose_name_plural = _("承認の代理者")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.ends_at:%Y-%m-%d})"


class NotificationKind(models.TextChoices):
    REPORT_RECEIVED = "report_received", _("報告の受信")
    APPROVAL_REQUESTED = "approval_requested", _("承認の依頼")
    SUBMITTED = "submitted", _("提出の完了")
    DEPUTY = "deputy", _("承認の代理")
    ACKNOWLEDGED = "acknowledged", _("受領確認")
    MESSAGE = "message", _("連絡")
    DEADLINE = "deadline", _("期限の通知")


class Notification(models.Model):
    """An in-app notification for one person acting in one organisation.

    ``key`` makes a notification idempotent (reminders): one per person and key.
    """

    tenancy = Tenancy.owned_by("organisation")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="incident_notifications"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("種類"), max_length=20, choices=NotificationKind.choices)
    text = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("リンク"), max_length=300, blank=True)
    key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_wanted = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~models.Q(key=""),
                name="notification_unique_key",
            )
        ]

    def __str__(self) -> str:
        return self.text
