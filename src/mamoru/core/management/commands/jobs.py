"""``mamoru jobs status ID`` and ``mamoru jobs recover --older-than MINUTES``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks.exceptions import TaskResultDoesNotExist

from mamoru.core.progress import progress_get, progress_text
from mamoru.core.tasks import backend_kind, task_result_get, tasks_recover_stale


class Command(BaseCommand):
    help = "Show a background task's state and progress, or recover tasks of dead workers."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        status = sub.add_parser("status", help="state, progress and errors of one task")
        status.add_argument("task_id")
        recover = sub.add_parser(
            "recover", help="mark tasks left running by a dead worker as failed (database)"
        )
        recover.add_argument("--older-than", type=int, required=True, metavar="MINUTES")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "status":
            self._status(options["task_id"])
        else:
            self._recover(options["older_than"])

    def _status(self, task_id: str) -> None:
        try:
            result = task_result_get(task_id=task_id)
        except TaskResultDoesNotExist as exc:
            raise CommandError(f"タスク {task_id} は見つかりません") from exc
        self.stdout.write(f"{result.id} {result.task.name} {result.status}")
        self.stdout.write(progress_text(progress_get(task_id=task_id)))
        for error in result.errors:
            self.stdout.write(error.traceback.strip().splitlines()[-1])

    def _recover(self, minutes: int) -> None:
        if minutes < 1:
            raise CommandError("--older-than は1分以上にしてください")
        if backend_kind() != "database":
            self.stdout.write("この基盤では停止したワーカーのタスクは自動的に失敗扱いになります")
            return
        marked = tasks_recover_stale(older_than=timedelta(minutes=minutes))
        for task_id in marked:
            self.stdout.write(f"{task_id}: 失敗として記録しました")
        self.stdout.write(f"{len(marked)}件のタスクを回復しました")
