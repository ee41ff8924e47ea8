"""Frameworks, campaigns, the organisations they target, answers, submissions, reviews,
the snapshot frozen at close, follow-up notes and the per-prefecture answer counts.

Who owns what (``tenancy``), and who else reads it (``orgs.policy``):

* a campaign belongs to the organisation that sent it (総務省 or a prefecture) and is
  addressed to every organisation it targets;
* a target (one organisation in one campaign), its answers, evidence and submissions
  belong to the answering organisation; submissions, reviews, evidence and notes are also
  addressed to the campaign's sender, which reads the answers sent to it by name
  (``ADDRESSED_ACCESS``); the hierarchy gives a prefecture its municipalities' records;
* frameworks and version mappings are public reference data.

Live answers (:class:`Answer`) are the organisation's working copy; what supervisors read
is a :class:`Submission`, an immutable copy of the answers with their scores.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.core.tenancy import Tenancy, TenantManager
from mamoru.orgs.models import Organisation


class Framework(models.Model):
    """A framework version loaded from its YAML document (validated by the library)."""

    tenancy = Tenancy.shared("published frameworks: public measures and NIST CSF, no one's data")
    urn = models.CharField(_("URN"), max_length=200, unique=True)
    slug = models.CharField(_("識別名"), max_length=100)
    version = models.CharField(_("版"), max_length=40)
    name = models.CharField(_("名称"), max_length=300)
    name_en = models.CharField(_("英語名称"), max_length=300)
    document = models.TextField(_("定義（YAML）"))
    digest = models.CharField(_("SHA-256"), max_length=64)
    item_count = models.PositiveIntegerField(_("項目数"))
    loaded_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("フレームワーク")
        verbose_name_plural = _("フレームワーク")
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="framework_unique_version")
        ]

    def __str__(self) -> str:
        return self.name


class FrameworkMapping(models.Model):
    """How answers to one framework version carry forward to another."""

    tenancy = Tenancy.shared("mappings between public framework versions")
    source = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    document = models.TextField(_("定義（YAML）"))
    digest = models.CharField(_("SHA-256"), max_length=64)
    loaded_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("版の対応付け")
        verbose_name_plural = _("版の対応付け")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="mapping_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.source.urn} → {self.target.urn}"


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("回答受付中")
    CLOSED = "closed", _("締切済み")


class Campaign(models.Model):
    """A framework sent by 総務省 or a prefecture to organisations, with a deadline."""

    tenancy = Tenancy.owned_by("owner", addressed_to="targets__organisation")
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="assessment_campaigns",
        verbose_name=_("実施団体"),
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField(_("調査名"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    deadline = models.DateTimeField(_("回答期限"))
    status = models.CharField(
        _("状態"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("締切日時"), null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("調査")
        verbose_name_plural = _("調査")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.title


class TargetStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未着手")
    ANSWERING = "answering", _("回答中")
    SUBMITTED = "submitted", _("提出済み")
    RETURNED = "returned", _("差し戻し")
    ACCEPTED = "accepted", _("確認済み")


# Statuses whose current submission counts in dashboards and in the snapshot at close.
COUNTED = (TargetStatus.SUBMITTED, TargetStatus.ACCEPTED)
# Statuses in which the organisation may still change its answers.
EDITABLE = (TargetStatus.NOT_STARTED, TargetStatus.ANSWERING, TargetStatus.RETURNED)


class Target(models.Model):
    """One organisation asked to answer one campaign: its progress and latest submission.

    ``size_class`` and ``prefecture_code`` are the organisation's as the campaign was
    sent, so that peer groups and dashboards do not move when a city changes kind.
    """

    tenancy = Tenancy.owned_by("organisation", addressed_to="campaign__owner")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="targets")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assessment_targets"
    )
    size_class = models.CharField(_("団体の種別"), max_length=20)
    prefecture_code = models.CharField(_("都道府県コード"), max_length=2, db_index=True)
    status = models.CharField(
        _("状態"), max_length=12, choices=TargetStatus.choices, default=TargetStatus.NOT_STARTED
    )
    current_submission = models.ForeignKey(
        "Submission", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Applicable mandatory items not met in the current submission (unanswered included).
    mandatory_unmet = models.PositiveIntegerField(null=True, blank=True)
    # In the snapshot frozen at close: its current submission's scores are final (a
    # closed campaign's submissions never change).
    in_snapshot = models.BooleanField(default=False)
    reminded_days = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("調査対象団体")
        verbose_name_plural = _("調査対象団体")
        ordering = ["organisation__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], name="target_unique_organisation"
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "status"], name="target_progress"),
            models.Index(fields=["campaign", "-mandatory_unmet"], name="target_behind"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.organisation}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


class Answer(models.Model):
    """The organisation's working answer to one item (``option_id`` empty: not answered
    yet), with its comment and the colleague it is assigned to."""

    tenancy = Tenancy.owned_by("target__organisation")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(_("項目"), max_length=40)
    option_id = models.CharField(_("回答"), max_length=40, blank=True)
    comment = models.TextField(_("コメント"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当者"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        constraints = [
            models.UniqueConstraint(fields=["target", "item_id"], name="answer_unique_item")
        ]
        indexes = [models.Index(fields=["assignee"], name="answer_assignee")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.option_id or '-'}"


class Evidence(models.Model):
    """A file attached to an answer (a policy, a training record, a screenshot).

    Kept in the database rather than on a file system: evidence is an organisation's
    record, read only through the gate, saved in the same transaction as the answer and
    backed up with everything else; files are small (``EVIDENCE_MAX_BYTES``).
    """

    tenancy = Tenancy.owned_by(
        "answer__target__organisation", addressed_to="answer__target__campaign__owner"
    )
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    filename = models.CharField(_("ファイル名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("大きさ（バイト）"))
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("根拠資料")
        verbose_name_plural = _("根拠資料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.filename


class Submission(models.Model):
    """The answers as submitted (one version per submission), never changed afterwards,
    with the library's scores of them (``scores``: group key → figures)."""

    tenancy = Tenancy.owned_by("target__organisation", addressed_to="target__campaign__owner")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="submissions")
    version = models.PositiveIntegerField(_("版"))
    answers = models.JSONField(_("回答"))  # item id -> option id
    comments = models.JSONField(_("コメント"), default=dict)  # item id -> comment
    scores = models.JSONField(_("評価"))
    overall_coverage = models.FloatField(_("実施率"), null=True)
    overall_level = models.PositiveSmallIntegerField(_("成熟度"), null=True)
    completeness = models.FloatField(_("回答率"), null=True)
    mandatory_unmet = models.PositiveIntegerField(_("未達成の必須項目"))
    # None: imported by an operator (results collected outside the platform).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提出日時"))

    objects = TenantManager()

    class Meta:
        verbose_name = _("提出")
        verbose_name_plural = _("提出")
        ordering = ["target", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "version"], name="assessment_submission_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} v{self.version}"


class ReviewDecision(models.TextChoices):
    RETURNED = "returned", _("差し戻し")
    ACCEPTED = "accepted", _("確認済み")


class Review(models.Model):
    """A supervisor's decision on one submission: returned with a comment, or accepted."""

    tenancy = Tenancy.owned_by("target__organisation", addressed_to="target__campaign__owner")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="reviews")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="reviews")
    decision = models.CharField(_("判断"), max_length=10, choices=ReviewDecision.choices)
    comment = models.TextField(_("コメント"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewer_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("確認")
        verbose_name_plural = _("確認")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.target}: {self.decision}"


class FollowUpNote(models.Model):
    """A supervisor's note on following up one organisation (a call made, help offered).
    Read by the supervisors, not by the organisation (its channel is the review comment)."""

    tenancy = Tenancy.owned_by("target__organisation", addressed_to="target__campaign__owner")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField(_("メモ"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("フォローアップのメモ")
        verbose_name_plural = _("フォローアップのメモ")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Snapshot(models.Model):
    """Every counted organisation's scores, frozen once when the campaign closed
    (``library.PeerSnapshot.to_dict``); every peer statistic is computed from it."""

    tenancy = Tenancy.owned_by("campaign__owner")
    campaign = models.OneToOneField(Campaign, on_delete=models.PROTECT, related_name="snapshot")
    document = models.JSONField()
    digest = models.CharField(max_length=64)
    organisations = models.PositiveIntegerField(_("団体数"))
    frozen_at = models.DateTimeField()

    objects = TenantManager()

    class Meta:
        verbose_name = _("締切時のスナップショット")
        verbose_name_plural = _("締切時のスナップショット")

    def __str__(self) -> str:
        return f"{self.campaign} ({self.digest[:12]})"


class ItemTally(models.Model):
    """How the counted submissions of one prefecture's organisations answered one item
    (``prefecture_code`` empty: of every organisation of the campaign), kept up to date by
    the services as submissions are counted and withdrawn, so that a dashboard reads one
    row per item however many organisations answered."""

    tenancy = Tenancy.owned_by("campaign__owner")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    prefecture_code = models.CharField(max_length=2)
    item_id = models.CharField(max_length=40)
    met = models.IntegerField(default=0)
    partial = models.IntegerField(default=0)
    unmet = models.IntegerField(default=0)
    not_applicable = models.IntegerField(default=0)
    unanswered = models.IntegerField(default=0)

    objects = TenantManager()

    class Meta:
        verbose_name = _("項目ごとの回答数")
        verbose_name_plural = _("項目ごとの回答数")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "prefecture_code", "item_id"], name="tally_unique_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.prefecture_code}/{self.item_id}"
