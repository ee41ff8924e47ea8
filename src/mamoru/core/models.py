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


class ScheduleState(models.Model):
    """Where one periodic job of ``mamoru.core.scheduler`` stands: global, not tenant data.

    (``tenancy`` below says so for the tenancy test.)

    The job itself (task, arguments, interval) is declared in code; this row only holds
    its timing and last outcome. Workers claim a due run by a conditional UPDATE of
    ``next_run_at`` (compare and swap), so each slot is enqueued once however many
    workers tick.
    """

    tenancy = Tenancy.shared("the timing of periodic jobs, declared in code")

    class Outcome(models.TextChoices):
        NEVER = "", _("未実行")
        PENDING = "pending", _("待機中・実行中")
        SUCCESSFUL = "successful", _("成功")
        FAILED = "failed", _("失敗")
        UNKNOWN = "unknown", _("不明（結果が残っていません）")

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_task_id = models.CharField(max_length=64, blank=True)
    last_outcome = models.CharField(
        max_length=16, choices=Outcome.choices, blank=True, default=Outcome.NEVER
    )
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    runs = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("定期実行の状態")
        verbose_name_plural = _("定期実行の状態")

    def __str__(self) -> str:
        return f"{self.name}: next {self.next_run_at:%Y-%m-%d %H:%M} ({self.last_outcome or '-'})"
