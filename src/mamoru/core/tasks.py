"""Background work through Django's Tasks API, whichever backend settings choose.

Application code defines tasks with ``django_tasks.task`` and enqueues them; it never
names a backend. This module holds what the interfaces need around that: reading a
result by id, waiting for it, and recovering tasks whose worker died.

What happens when a worker dies mid-task:

* **database backend** (``django_tasks_db``): the row stays ``RUNNING`` for ever — the
  ``db_worker`` never looks at it again and does not retry it. ``mamoru jobs recover
  --older-than MINUTES`` (``tasks_recover_stale``) marks such rows ``FAILED`` with the
  reason, claiming each with a conditional UPDATE so a task that finishes meanwhile
  keeps its result. Our tasks are idempotent, so the operator re-enqueues them.
* **RQ**: a job whose worker stops sending heartbeats is moved by the next worker's
  registry clean-up from the started to the failed registry (``AbandonedJobError``),
  which the backend reports as ``FAILED``; nothing to do by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.dispatch import Signal
from django.utils import timezone
from django_tasks import (
    DEFAULT_TASK_BACKEND_ALIAS,
    TaskResult,
    TaskResultStatus,
    default_task_backend,
    task_backends,
)

# Sent with ``task_ids`` and ``older_than`` when ``tasks_recover_stale`` marked tasks failed;
# the audit app records it (core sits below every app and imports none of them).
tasks_recovered = Signal()

FINISHED = frozenset({TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED})


class WorkerLost(RuntimeError):  # noqa: N818 - a name operators read in task errors
    """The worker running a task stopped without recording an outcome."""


def backend_kind() -> str:
    """``database``, ``rq``, ``immediate`` or the backend's class name (for the CLI)."""
    name = type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__name__
    return {
        "DatabaseBackend": "database",
        "RQBackend": "rq",
        "ImmediateBackend": "immediate",
    }.get(name, name)


def task_result_get(*, task_id: str) -> TaskResult[Any]:
    """The current state of a task by id (``TaskResultDoesNotExist`` if unknown)."""
    return default_task_backend.get_result(task_id)


def task_result_wait(
    *,
    result: TaskResult[Any],
    timeout: float,
    poll: float = 0.5,
    on_poll: Callable[[TaskResult[Any]], None] | None = None,
) -> TaskResult[Any]:
    """Poll until the task finishes or ``timeout`` seconds pass; the last state seen.

    A result that is already finished (the immediate backend runs tasks when they are
    enqueued and cannot be asked again) is returned as it is.
    """
    deadline = time.monotonic() + timeout
    while True:
        if on_poll is not None:
            on_poll(result)
        if result.status in FINISHED or time.monotonic() >= deadline:
            return result
        time.sleep(poll)
        result = task_result_get(task_id=str(result.id))


def tasks_recover_stale(*, older_than: timedelta) -> list[str]:
    """Mark database-backend tasks ``RUNNING`` for longer than ``older_than`` as failed.

    Returns the ids marked. Only meaningful for the database backend (RQ recovers by
    itself); elsewhere it returns an empty list.
    """
    if backend_kind() != "database":
        return []
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - older_than
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).values_list("id", flat=True)
    marked = []
    for task_id in list(stale):
        reason = (
            f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: the worker stopped while "
            f"running this task (still RUNNING after {older_than}); marked failed by "
            "`mamoru jobs recover`. Re-enqueue it: tasks are idempotent."
        )
        # Conditional UPDATE: a task that finished meanwhile keeps its real outcome.
        updated = DBTaskResult.objects.filter(
            id=task_id, status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=reason,
        )
        if updated:
            marked.append(str(task_id))
    if marked:
        tasks_recovered.send(sender=tasks_recover_stale, task_ids=marked, older_than=older_than)
    return marked
