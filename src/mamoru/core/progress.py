"""Progress of long background tasks, readable by the web UI and the CLI.

A task that takes its context (``@task(takes_context=True)``) reports with its own
result id::

    report_progress(task_id=context.task_result.id, done=i, total=n, message="…")

and anyone holding the id reads it back with ``progress_get``. Progress lives in the
database whichever task backend runs the work, so a page can show it without talking
to Redis. Writes are their own small transactions, never part of the task's work, so a
task that rolls back still shows how far it got.
"""

from __future__ import annotations

from django.db import transaction

from mamoru.core.models import JobProgress


def report_progress(
    *, task_id: str, done: int, total: int | None = None, message: str = "", task_name: str = ""
) -> JobProgress:
    """Create or update the progress row of ``task_id``."""
    with transaction.atomic():
        progress, _ = JobProgress.objects.update_or_create(
            task_id=str(task_id),
            defaults={"done": done, "total": total, "message": message[:500]},
            create_defaults={
                "done": done,
                "total": total,
                "message": message[:500],
                "task_name": task_name[:200],
            },
        )
    return progress


def progress_get(*, task_id: str) -> JobProgress | None:
    """The latest progress reported by ``task_id``, if it reported any."""
    return JobProgress.objects.filter(task_id=str(task_id)).first()


def progress_text(progress: JobProgress | None) -> str:
    """One line for people: ``1788/1788 (100%) 完了: …``."""
    if progress is None:
        return "進捗の報告はまだありません"
    amount = f"{progress.done}/{progress.total} ({progress.percent}%)" if progress.total else ""
    return " ".join(part for part in (amount, progress.message) if part)
