"""Questions from organisations, their answers, and the FAQ entries made from them.

A question belongs to the organisation that asked it. Its prefecture reads it as the
supervisor (``DataKind.QUESTIONS``); once forwarded, the nation (the PMO helpdesk) reads
it because it is addressed to it (``assignee``). FAQ entries are published to everyone:
edited and anonymised, they belong to no organisation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.core.tenancy import Tenancy, TenantManager
from mamoru.progress.models.attachments import AttachmentBase


class QuestionCategory(models.TextChoices):
    STANDARDISATION = "standardisation", _("標準化・移行")
    CLOUD = "cloud", _("ガバメントクラウド")
    SECURITY = "security", _("セキュリティ対策")
    PROCUREMENT = "procurement", _("調達・契約")
    BUDGET = "budget", _("予算・補助金")
    OPERATION = "operation", _("システムの運用")
    OTHER = "other", _("その他")


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("回答待ち（都道府県）")
    FORWARDED = "forwarded", _("回答待ち（国）")
    ANSWERED = "answered", _("回答済み")


class Question(models.Model):
    tenancy = Tenancy.owned_by("organisation", addressed_to="assignee")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    assignee = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("分類"), max_length=20, choices=QuestionCategory.choices)
    title = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("質問"), max_length=10000)
    may_name_organisation = models.BooleanField(_("FAQに団体名を載せてよい"), default=False)
    status = models.CharField(
        _("状態"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.OPEN
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    forward_note = models.TextField(_("転送時のメモ"), blank=True, max_length=4000)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("回答（Markdown）"), blank=True, max_length=20000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_by_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        ordering = ["-asked_at", "-pk"]
        indexes = [models.Index(fields=["assignee", "status"])]

    def __str__(self) -> str:
        return self.title


class QuestionAttachment(AttachmentBase):
    tenancy = Tenancy.owned_by("question__organisation", addressed_to="question__assignee")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="attachments")

    objects = TenantManager()


class FaqEntry(models.Model):
    tenancy = Tenancy.shared("published FAQ: edited and anonymised, for every organisation")
    question = models.OneToOneField(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="faq"
    )
    category = models.CharField(_("分類"), max_length=20, choices=QuestionCategory.choices)
    title = models.CharField(_("質問"), max_length=200)
    body = models.TextField(_("質問の内容"), max_length=10000)
    answer = models.TextField(_("回答（Markdown）"), max_length=20000)
    asked_by_label = models.CharField(_("質問した団体"), max_length=100, blank=True)
    published_by = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    search_text = models.TextField(blank=True)  # normalised title, body and answer

    class Meta:
        verbose_name = _("よくある質問")
        verbose_name_plural = _("よくある質問")
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class FaqGram(models.Model):
    """A two-character gram of an entry's normalised text (``mamoru.progress.search``)."""

    tenancy = Tenancy.shared("the search index of the published FAQ")
    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="grams")
    gram = models.CharField(max_length=2)
    in_title = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "gram"], name="progress_faq_gram_unique")
        ]
        indexes = [models.Index(fields=["gram", "entry"], name="progress_faq_gram")]

    def __str__(self) -> str:
        return self.gram
