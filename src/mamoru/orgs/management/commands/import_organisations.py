"""``mamoru import-organisations [PATH] [--wait]``: the organisation import as a task.

Enqueues ``mamoru.orgs.tasks.import_organisations_task`` on the configured backend and
prints its id (``mamoru jobs status ID`` follows it). With ``--wait`` it follows the
task's progress until it finishes and fails when the task fails. For a synchronous
import in this process, use ``mamoru load-organisations``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import TaskResult, TaskResultStatus

from mamoru.core.progress import progress_get, progress_text
from mamoru.core.tasks import task_result_wait
from mamoru.orgs.tasks import import_organisations_task


class Command(BaseCommand):
    help = "Enqueue the import of the local governments list as a background task."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, help="CSV (default: the bundled list)")
        parser.add_argument("--wait", action="store_true", help="follow progress until done")
        parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["path"]
        if path is not None and not path.is_file():
            raise CommandError(f"{path} がありません")
        # Workers may run elsewhere: pass the absolute path, which must be readable there.
        result = import_organisations_task.enqueue(str(path.resolve()) if path else None)
        self.stdout.write(f"タスク {result.id} を登録しました")
        if options["wait"]:
            self._follow(result, options["timeout"])

    def _follow(self, enqueued: TaskResult[Any], timeout: float) -> None:
        task_id = str(enqueued.id)
        shown: list[str] = []

        def show(result: TaskResult[Any]) -> None:
            line = progress_text(progress_get(task_id=task_id))
            if result.status == TaskResultStatus.READY:
                line = "ワーカーを待っています（mamoru worker）"
            if not shown or shown[-1] != line:
                shown.append(line)
                self.stdout.write(line)

        result = task_result_wait(result=enqueued, timeout=timeout, on_poll=show)
        if result.status == TaskResultStatus.SUCCESSFUL:
            return
        if result.status == TaskResultStatus.FAILED:
            raise CommandError(f"タスク {task_id} は失敗しました（mamoru jobs status {task_id}）")
        raise CommandError(f"{timeout:.0f}秒待ちましたが、タスク {task_id} は終わっていません")
