from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mamoru.core.tenancy import Tenancy


class JobProgress(models.Model):
    """How far a background task has got, keyed by its task result id.

    Written by the task through ``mamoru.core.progress.report_progress`` and read by
    pages and ``mamoru jobs status``; the same on every task backend.
    """

    tenancy = Tenancy.shared("progress of a task; tasks read their records through the gate")

    task_id = models.CharField(max_length=64, unique=True)
    task_name = models.CharField(max_length=200, blank=True)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ジョブの進捗")
        verbose_name_plural = _("ジョブの進捗")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.done}/{self.total or '?'} {self.message}"

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
