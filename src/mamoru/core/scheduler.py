"""Periodic work, declared once in code and run wherever the workers run — never OS cron.

Declaring a job
    An app declares its periodic jobs in its own ``tasks.py``, next to the tasks::

        periodic(deadline_reminders, every=timedelta(hours=1), name="incidents.deadline-reminders")

    ``periodic`` points at a django-tasks task and gives its arguments (JSON values, as
    for any task) and its interval. The registry is collected from every installed
    app's ``tasks`` module through Django's app registry (``autodiscover_modules``), so
    ``core`` names no domain app; scheduled scans, campaign reminders and the audit
    checkpoint are declared the same way when they arrive.

When a job runs
    Each job has a row in ``ScheduleState`` with its next run time. A new job is due at
    once. A tick looks at every declared job and, for each one that is due, *claims* the
    run with a conditional UPDATE (``WHERE name = … AND next_run_at = <the value it
    read>``) and checks the row count: only the tick whose UPDATE changed the row
    enqueues the task, so two or more workers ticking at the same moment never enqueue
    the same run twice. The next run is the first slot after now on the job's grid
    (``next_run_at + k × every``): a worker that was down does not replay the missed
    slots, and a failed run is simply tried again at its next slot. The task is enqueued
    in the claim's transaction: on the database backend both commit or neither does; on
    RQ a commit that fails after the enqueue could let the next tick enqueue the slot
    again, which is harmless because tasks are idempotent (STYLE.md, rule 6).

Outcomes
    The row keeps the last task id; every tick (and ``mamoru schedule list``) reads
    unfinished ones back from the task backend and records success or failure with the
    error's last line. A result the backend no longer has is recorded as unknown.

Who ticks
    * Database backend (the default, ``make run``): ``mamoru worker`` runs the tick in a
      thread of its own every ``MAMORU_SCHEDULER_TICK_SECONDS``, beside the task loop, so
      a long task never delays a reminder and no extra process is needed.
    * RQ: RQ's own cron scheduler (``rq.cron.CronScheduler``, the facility behind ``rq
      cron``; RQ ≥ 2.5, here RQ 3.0), through django-rq's ``DjangoCronScheduler`` so it
      uses the ``RQ_QUEUES`` connection: ``mamoru schedule cron`` registers one cron job
      that enqueues ``scheduler_tick`` every tick interval, and any RQ worker runs it.
      Why not register each job with its own interval in the cron scheduler: it keeps
      each job's phase in the memory of one process (a restarted scheduler enqueues every
      interval job at once, and two schedulers enqueue everything twice), so the
      database row stays the one source of truth and the cron scheduler only beats time.
      Several ``mamoru schedule cron`` processes may run for availability: the claim
      makes the extra ticks harmless. rq-scheduler (also installed, as a dependency of
      django-tasks-rq) was not chosen: it is a separate project that RQ's built-in
      cron scheduler has superseded.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks import TaskResult, TaskResultStatus, default_task_backend, task
from django_tasks.exceptions import TaskResultDoesNotExist

from mamoru.core.models import ScheduleState

if TYPE_CHECKING:
    from django_tasks.base import Task

logger = logging.getLogger("mamoru.scheduler")

NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
RQ_TICK_NAME = "mamoru.scheduler.tick"
Outcome = ScheduleState.Outcome


class UnknownJob(KeyError):  # noqa: N818 - read as "unknown job" in command errors
    """No periodic job is declared under this name."""


@dataclass(frozen=True, eq=False)
class PeriodicJob:
    """One declared periodic job: which task, with which arguments, how often."""

    name: str
    task: Task[Any, Any]
    every: timedelta
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""

    def enqueue(self) -> TaskResult[Any]:
        """Enqueue the task now through django-tasks (whichever backend settings choose)."""
        return self.task.enqueue(*self.args, **self.kwargs)

    def same_as(self, other: PeriodicJob) -> bool:
        return (self.task.module_path, self.every, self.args, dict(self.kwargs)) == (
            other.task.module_path,
            other.every,
            other.args,
            dict(other.kwargs),
        )


class ScheduleRegistry:
    """The declared jobs by name; ``REGISTRY`` is the platform's, collected from apps."""

    def __init__(self) -> None:
        self._jobs: dict[str, PeriodicJob] = {}

    def declare(self, job: PeriodicJob) -> PeriodicJob:
        """Add a job; the same name twice is an error unless the declaration is the same."""
        if not NAME.fullmatch(job.name):
            raise ImproperlyConfigured(
                f"定期実行ジョブの名前 {job.name!r} は英小文字・数字・「.」「-」「_」で"
                "100文字以内にしてください"
            )
        if job.every < timedelta(seconds=1):
            raise ImproperlyConfigured(f"定期実行ジョブ {job.name} の間隔は1秒以上にしてください")
        try:
            json.dumps([job.args, dict(job.kwargs)])
        except TypeError as exc:
            raise ImproperlyConfigured(
                f"定期実行ジョブ {job.name} の引数は JSON で表せる値にしてください: {exc}"
            ) from exc
        known = self._jobs.get(job.name)
        if known is not None and not known.same_as(job):
            raise ImproperlyConfigured(f"定期実行ジョブ {job.name} が二通りに宣言されています")
        self._jobs.setdefault(job.name, job)
        return self._jobs[job.name]

    def jobs(self) -> list[PeriodicJob]:
        return [self._jobs[name] for name in sorted(self._jobs)]

    def get(self, name: str) -> PeriodicJob:
        try:
            return self._jobs[name]
        except KeyError:
            known = ", ".join(sorted(self._jobs)) or "なし"
            raise UnknownJob(f"定期実行ジョブ {name} はありません（宣言済み: {known}）") from None


REGISTRY = ScheduleRegistry()
_discovery = threading.Lock()
_discovered = False


def periodic(
    task: Task[Any, Any],
    *,
    every: timedelta,
    name: str,
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
    description: str = "",
) -> PeriodicJob:
    """Declare a periodic job in the platform's registry (call it in an app's ``tasks.py``)."""
    return REGISTRY.declare(
        PeriodicJob(
            name=name,
            task=task,
            every=every,
            args=tuple(args),
            kwargs=dict(kwargs or {}),
            description=description,
        )
    )


def declared_jobs() -> list[PeriodicJob]:
    """Every job declared by the installed apps (their ``tasks`` modules are imported once)."""
    global _discovered  # noqa: PLW0603 - discovery happens once per process
    with _discovery:
        if not _discovered:
            autodiscover_modules("tasks")
            _discovered = True
    return REGISTRY.jobs()


def declared_job(name: str) -> PeriodicJob:
    """One declared job by name (``UnknownJob`` lists the known names)."""
    declared_jobs()
    return REGISTRY.get(name)


def next_slot(*, due: datetime, every: timedelta, now: datetime) -> datetime:
    """The first slot strictly after ``now`` on the grid ``due + k × every``."""
    if now < due:
        return due
    return due + every * ((now - due) // every + 1)


def _due_at(state: ScheduleState, job: PeriodicJob) -> datetime:
    # A shortened interval takes effect at once instead of after one old interval.
    if state.last_run_at is not None:
        return min(state.next_run_at, state.last_run_at + job.every)
    return state.next_run_at


def _states(jobs: Sequence[PeriodicJob], now: datetime) -> dict[str, ScheduleState]:
    names = [job.name for job in jobs]
    # A new job is due at once; two workers creating its row at once is not an error.
    ScheduleState.objects.bulk_create(
        [ScheduleState(name=name, next_run_at=now) for name in names], ignore_conflicts=True
    )
    return {state.name: state for state in ScheduleState.objects.filter(name__in=names)}


def _claim_and_enqueue(job: PeriodicJob, state: ScheduleState, now: datetime) -> str | None:
    """Enqueue one due run if this tick wins its claim; the task id, or None."""
    following = next_slot(due=_due_at(state, job), every=job.every, now=now)
    try:
        with transaction.atomic():
            claimed = ScheduleState.objects.filter(
                name=job.name, next_run_at=state.next_run_at
            ).update(
                next_run_at=following,
                last_run_at=now,
                last_task_id="",
                last_outcome=Outcome.PENDING,
                last_finished_at=None,
                last_error="",
                runs=F("runs") + 1,
            )
            if claimed != 1:
                logger.debug("schedule: %s was claimed by another worker", job.name)
                return None
            result = job.enqueue()
            ScheduleState.objects.filter(name=job.name).update(last_task_id=str(result.id))
    except Exception as exc:
        # The claim was rolled back with the failed enqueue: the next tick tries again.
        logger.exception("schedule: %s could not be enqueued", job.name)
        ScheduleState.objects.filter(name=job.name).update(
            last_outcome=Outcome.FAILED,
            last_error=f"キューに登録できませんでした: {exc}"[:500],
        )
        return None
    logger.info("schedule: enqueued %s as task %s", job.name, result.id)
    # The immediate backend has already run it.
    _record_outcome(job.name, result)
    return str(result.id)


def _error_line(result: TaskResult[Any]) -> str:
    if not result.errors:
        return ""
    error = result.errors[-1]
    lines = error.traceback.strip().splitlines()
    return (lines[-1] if lines else error.exception_class_path)[:500]


FINISHED = {
    TaskResultStatus.SUCCESSFUL: Outcome.SUCCESSFUL,
    TaskResultStatus.FAILED: Outcome.FAILED,
}


def _record_outcome(name: str, result: TaskResult[Any]) -> None:
    outcome = FINISHED.get(result.status)
    if outcome is None:
        return
    ScheduleState.objects.filter(
        name=name, last_task_id=str(result.id), last_outcome=Outcome.PENDING
    ).update(
        last_outcome=outcome,
        last_finished_at=result.finished_at or timezone.now(),
        last_error=_error_line(result),
    )


def _current_result(state: ScheduleState) -> TaskResult[Any] | None:
    """The backend's state of the row's last task; None when the backend no longer has it."""
    try:
        return default_task_backend.get_result(state.last_task_id)
    except TaskResultDoesNotExist:
        return None


def outcomes_refresh() -> None:
    """Record the outcome of every run still pending whose task has finished."""
    pending = ScheduleState.objects.filter(last_outcome=Outcome.PENDING).exclude(last_task_id="")
    for state in pending:
        result = _current_result(state)
        if result is None:
            ScheduleState.objects.filter(
                pk=state.pk, last_task_id=state.last_task_id, last_outcome=Outcome.PENDING
            ).update(last_outcome=Outcome.UNKNOWN)
        else:
            _record_outcome(state.name, result)


def schedule_tick(
    *, now: datetime | None = None, jobs: Sequence[PeriodicJob] | None = None
) -> list[str]:
    """Record finished runs, then enqueue every due job this tick wins; the names enqueued.

    ``jobs`` defaults to every declared job; ``now`` to the current time.
    """
    now = now or timezone.now()
    jobs = declared_jobs() if jobs is None else jobs
    outcomes_refresh()
    states = _states(jobs, now)
    enqueued = []
    for job in jobs:
        state = states[job.name]
        if _due_at(state, job) <= now and _claim_and_enqueue(job, state, now) is not None:
            enqueued.append(job.name)
    logger.debug("schedule tick: %d job(s), enqueued %s", len(jobs), enqueued or "none")
    return enqueued


def schedule_run_now(*, name: str, now: datetime | None = None) -> TaskResult[Any]:
    """Enqueue a declared job at once (``mamoru schedule run``), keeping its next slot."""
    job = declared_job(name)
    now = now or timezone.now()
    # A job that never ran gets its first regular slot one interval after this run.
    ScheduleState.objects.bulk_create(
        [ScheduleState(name=name, next_run_at=now + job.every)], ignore_conflicts=True
    )
    with transaction.atomic():
        result = job.enqueue()
        ScheduleState.objects.filter(name=name).update(
            last_run_at=now,
            last_task_id=str(result.id),
            last_outcome=Outcome.PENDING,
            last_finished_at=None,
            last_error="",
            runs=F("runs") + 1,
        )
    _record_outcome(name, result)
    return result


@dataclass(frozen=True)
class ScheduleEntry:
    """What ``mamoru schedule list`` shows for one job."""

    job: PeriodicJob
    last_run_at: datetime | None
    next_run_at: datetime | None
    outcome: str
    last_task_id: str
    last_error: str
    runs: int


def schedule_entries() -> list[ScheduleEntry]:
    """Every declared job with its timing and last outcome, as the task backend sees it now.

    A job that never ran has no next time: it runs at the next tick.
    """
    jobs = declared_jobs()
    states = {s.name: s for s in ScheduleState.objects.filter(name__in=[j.name for j in jobs])}
    entries = []
    for job in jobs:
        state = states.get(job.name)
        if state is None:
            entries.append(ScheduleEntry(job, None, None, Outcome.NEVER, "", "", 0))
            continue
        outcome, error = state.last_outcome, state.last_error
        if outcome == Outcome.PENDING and state.last_task_id:
            result = _current_result(state)
            if result is None:
                outcome = Outcome.UNKNOWN
            elif result.status in FINISHED:
                outcome, error = FINISHED[result.status], _error_line(result)
        entries.append(
            ScheduleEntry(
                job=job,
                last_run_at=state.last_run_at,
                next_run_at=_due_at(state, job),
                outcome=outcome,
                last_task_id=state.last_task_id,
                last_error=error,
                runs=state.runs,
            )
        )
    return entries


def tick_seconds() -> int:
    """How often workers (database) or the RQ cron scheduler tick, from settings."""
    return max(1, int(settings.MAMORU_SCHEDULER_TICK_SECONDS))


def scheduler_loop(stop: threading.Event, *, every: float | None = None) -> None:
    """Tick until ``stop`` is set (``mamoru worker`` runs this in a thread, database backend).

    A failing tick is logged and the loop goes on: the next tick retries.
    """
    interval = tick_seconds() if every is None else every
    logger.info("schedule: ticking every %s s", interval)
    while True:
        close_old_connections()
        try:
            schedule_tick()
        except Exception:
            logger.exception("schedule: tick failed")
        finally:
            # This thread's connection only: the worker's own is untouched.
            close_old_connections()
        if stop.wait(interval):
            return


def scheduler_thread(stop: threading.Event) -> threading.Thread:
    """A started daemon thread running ``scheduler_loop`` (it dies with the worker)."""
    thread = threading.Thread(
        target=scheduler_loop, args=(stop,), name="mamoru-scheduler", daemon=True
    )
    thread.start()
    return thread


@task()
def scheduler_tick() -> list[str]:
    """One tick as a task: what RQ's cron scheduler enqueues (``mamoru schedule cron``)."""
    return schedule_tick()


def rq_cron_scheduler() -> Any:
    """RQ's cron scheduler (django-rq's bridge) with the tick registered; start() runs it.

    The cron job enqueues the plain function behind ``scheduler_tick``: RQ stores its
    import path, which names the django-tasks task, so django-tasks-rq's job class (the
    one ``mamoru worker`` uses) runs it like any task; the meta names the backend as
    django-tasks-rq's own jobs do.
    """
    from django_rq.cron import DjangoCronScheduler

    scheduler = DjangoCronScheduler(logging_level=logging.INFO)
    scheduler.register(
        scheduler_tick.func,
        queue_name=scheduler_tick.queue_name,
        interval=tick_seconds(),
        meta={"backend_name": scheduler_tick.backend},
        name=RQ_TICK_NAME,
    )
    return scheduler
