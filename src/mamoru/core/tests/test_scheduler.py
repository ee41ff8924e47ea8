"""The periodic-work scheduler in one process: declarations, claims, slots, outcomes and
the ``mamoru schedule`` command. Two real workers racing are in test_scheduler_workers.py.

Ticks take an explicit ``now``: nothing here waits for a clock.
"""

from __future__ import annotations

import ast
import json
import re
import signal
from collections.abc import Iterator
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from mamoru.core import scheduler
from mamoru.core.models import ScheduleState
from mamoru.core.scheduler import (
    PeriodicJob,
    ScheduleRegistry,
    declared_job,
    declared_jobs,
    next_slot,
    schedule_tick,
)

pytestmark = pytest.mark.django_db

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ELSEWHERE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["elsewhere"]}}
HOUR = timedelta(hours=1)
T0 = datetime(2026, 4, 1, 9, 0, tzinfo=timezone.get_fixed_timezone(540))
Outcome = ScheduleState.Outcome
REMINDERS = "incidents.deadline-reminders"


@task()
def add(a: int, b: int) -> int:
    """A scheduled task that succeeds."""
    return a + b


@task()
def refuse(reason: str) -> None:
    """A scheduled task that fails."""
    raise RuntimeError(reason)


@pytest.fixture
def in_process_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let ``mamoru worker --batch`` run inside the test (keep the test's connection and
    transaction; put back the signal handlers the worker installs)."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


def registry_of(*jobs: PeriodicJob) -> list[PeriodicJob]:
    registry = ScheduleRegistry()
    for job in jobs:
        registry.declare(job)
    return registry.jobs()


def adding(every: timedelta = HOUR) -> PeriodicJob:
    return PeriodicJob(name="test.add", task=add, every=every, args=(2, 3))


def results_of(job: PeriodicJob) -> int:
    return DBTaskResult.objects.filter(task_path=job.task.module_path).count()


def run_worker() -> None:
    call_command("worker", "--batch", verbosity=0)


def test_the_apps_declare_their_jobs_through_the_app_registry() -> None:
    jobs = {job.name: job for job in declared_jobs()}
    reminders = jobs[REMINDERS]
    assert reminders.every == HOUR
    assert reminders.task.module_path == "mamoru.incidents.tasks.deadline_reminders"
    # No feed is configured in the tests (nor in LGWAN by default): none is imported.
    assert not [name for name in jobs if name.startswith("vulns.import-feed.")]


def test_core_names_no_domain_app() -> None:
    tree = ast.parse(Path(scheduler.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    mamoru = {name for name in imported if name.startswith("mamoru")}
    assert mamoru == {"mamoru.core.models"}


def test_a_name_is_declared_once() -> None:
    registry = ScheduleRegistry()
    registry.declare(adding())
    registry.declare(adding())  # the same declaration again (a module imported twice)
    with pytest.raises(ImproperlyConfigured, match="二通り"):
        registry.declare(adding(every=2 * HOUR))
    with pytest.raises(ImproperlyConfigured, match="JSON"):
        registry.declare(PeriodicJob(name="test.bad", task=add, every=HOUR, args=(object(),)))
    with pytest.raises(ImproperlyConfigured, match="名前"):
        registry.declare(PeriodicJob(name="Test Add", task=add, every=HOUR))


def test_the_next_slot_stays_on_the_grid_and_skips_missed_slots() -> None:
    assert next_slot(due=T0, every=HOUR, now=T0) == T0 + HOUR
    assert next_slot(due=T0, every=HOUR, now=T0 + timedelta(minutes=1)) == T0 + HOUR
    assert next_slot(due=T0, every=HOUR, now=T0 + 5.5 * HOUR) == T0 + 6 * HOUR
    assert next_slot(due=T0, every=HOUR, now=T0 - HOUR) == T0


@override_settings(TASKS=DATABASE)
def test_a_due_job_is_enqueued_once_per_slot() -> None:
    job = adding()
    jobs = registry_of(job)

    assert schedule_tick(now=T0, jobs=jobs) == ["test.add"]
    assert schedule_tick(now=T0, jobs=jobs) == []
    assert schedule_tick(now=T0 + 59 * timedelta(minutes=1), jobs=jobs) == []
    assert results_of(job) == 1

    assert schedule_tick(now=T0 + HOUR, jobs=jobs) == ["test.add"]
    assert results_of(job) == 2
    state = ScheduleState.objects.get(name="test.add")
    assert (state.runs, state.next_run_at, state.last_run_at) == (2, T0 + 2 * HOUR, T0 + HOUR)


@override_settings(TASKS=DATABASE)
def test_a_worker_that_lost_the_claim_enqueues_nothing() -> None:
    job = adding()
    jobs = registry_of(job)
    schedule_tick(now=T0, jobs=jobs)
    # Both workers read the row while the run was due; the other one claimed it first.
    seen = ScheduleState.objects.get(name="test.add")
    ScheduleState.objects.filter(pk=seen.pk).update(next_run_at=T0 + HOUR, runs=1)
    seen.next_run_at = T0
    later = T0 + timedelta(seconds=1)

    assert scheduler._claim_and_enqueue(job, seen, later) is None
    assert results_of(job) == 1
    assert ScheduleState.objects.get(pk=seen.pk).runs == 1


@override_settings(TASKS=DATABASE)
def test_missed_slots_are_not_replayed() -> None:
    job = adding()
    jobs = registry_of(job)
    schedule_tick(now=T0, jobs=jobs)

    assert schedule_tick(now=T0 + 5.5 * HOUR, jobs=jobs) == ["test.add"]
    assert results_of(job) == 2
    assert ScheduleState.objects.get(name="test.add").next_run_at == T0 + 6 * HOUR


@override_settings(TASKS=DATABASE)
def test_a_shorter_interval_takes_effect_at_once() -> None:
    schedule_tick(now=T0, jobs=registry_of(adding(every=24 * HOUR)))

    assert schedule_tick(now=T0 + HOUR, jobs=registry_of(adding(every=HOUR))) == ["test.add"]


@override_settings(TASKS=DATABASE)
def test_a_failing_job_is_recorded_and_retried_at_its_next_slot(in_process_worker: None) -> None:
    job = PeriodicJob(name="test.refuse", task=refuse, every=HOUR, args=("接続できません",))
    jobs = registry_of(job)
    schedule_tick(now=T0, jobs=jobs)
    run_worker()

    assert schedule_tick(now=T0 + timedelta(minutes=1), jobs=jobs) == []
    state = ScheduleState.objects.get(name="test.refuse")
    assert state.last_outcome == Outcome.FAILED
    assert state.last_error == "RuntimeError: 接続できません"
    assert state.last_finished_at is not None

    assert schedule_tick(now=T0 + HOUR, jobs=jobs) == ["test.refuse"]
    state.refresh_from_db()
    assert (state.last_outcome, state.last_error, state.runs) == (Outcome.PENDING, "", 2)
    assert results_of(job) == 2


@override_settings(TASKS=DATABASE)
def test_a_successful_run_is_recorded(in_process_worker: None) -> None:
    jobs = registry_of(adding())
    schedule_tick(now=T0, jobs=jobs)
    run_worker()
    schedule_tick(now=T0 + timedelta(minutes=1), jobs=jobs)

    state = ScheduleState.objects.get(name="test.add")
    assert (state.last_outcome, state.last_error) == (Outcome.SUCCESSFUL, "")
    result = DBTaskResult.objects.get(id=state.last_task_id)
    assert result.return_value == 5


@override_settings(TASKS=IMMEDIATE)
def test_on_the_immediate_backend_the_outcome_is_recorded_at_once() -> None:
    schedule_tick(now=T0, jobs=registry_of(adding()))

    assert ScheduleState.objects.get(name="test.add").last_outcome == Outcome.SUCCESSFUL


def test_a_run_that_cannot_be_enqueued_stays_due() -> None:
    job = adding()
    jobs = registry_of(job)
    with override_settings(TASKS=ELSEWHERE):  # the task's queue is not served
        assert schedule_tick(now=T0, jobs=jobs) == []
    state = ScheduleState.objects.get(name="test.add")
    assert state.last_outcome == Outcome.FAILED
    assert state.last_error.startswith("キューに登録できませんでした")
    assert (state.next_run_at, state.runs) == (T0, 0)

    with override_settings(TASKS=DATABASE):
        assert schedule_tick(now=T0 + timedelta(minutes=1), jobs=jobs) == ["test.add"]
        assert results_of(job) == 1


@override_settings(TASKS=DATABASE)
def test_schedule_list_shows_interval_last_and_next_run_and_outcome(
    in_process_worker: None,
) -> None:
    now = timezone.now()
    schedule_tick(now=now)
    run_worker()

    out = StringIO()
    call_command("schedule", "list", stdout=out)
    when = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
    following = timezone.localtime(now + HOUR).strftime("%Y-%m-%d %H:%M")
    row = f"{REMINDERS}\t1時間\t{when}\t{following}\t成功"
    assert row in out.getvalue().splitlines()
    assert "mamoru worker が60秒ごとに確認します" in out.getvalue()

    out = StringIO()
    call_command("schedule", "list", "--format", "json", stdout=out)
    entry = next(e for e in json.loads(out.getvalue()) if e["name"] == REMINDERS)
    assert entry["every_seconds"] == 3600
    assert (entry["last_outcome"], entry["runs"]) == ("successful", 1)


@override_settings(TASKS=DATABASE)
def test_schedule_run_enqueues_now_and_keeps_the_next_slot() -> None:
    now = timezone.now()
    schedule_tick(now=now)
    out = StringIO()

    call_command("schedule", "run", REMINDERS, stdout=out)

    state = ScheduleState.objects.get(name=REMINDERS)
    assert state.runs == 2
    assert state.next_run_at == now + HOUR
    assert state.last_task_id in out.getvalue()
    assert DBTaskResult.objects.filter(id=state.last_task_id).exists()


@override_settings(TASKS=DATABASE)
def test_running_a_new_job_by_hand_puts_its_first_slot_one_interval_later() -> None:
    before = timezone.now()
    call_command("schedule", "run", REMINDERS, stdout=StringIO())

    state = ScheduleState.objects.get(name=REMINDERS)
    assert state.runs == 1
    assert state.next_run_at >= before + HOUR
    reminders = [declared_job(REMINDERS)]  # other apps' new jobs are due at once
    assert schedule_tick(now=before + timedelta(minutes=1), jobs=reminders) == []


def test_schedule_run_names_the_known_jobs_for_an_unknown_one() -> None:
    with pytest.raises(CommandError, match=re.escape(REMINDERS)):
        call_command("schedule", "run", "no-such-job")


def test_schedule_cron_is_for_rq_only() -> None:
    with pytest.raises(CommandError, match="mamoru worker"):
        call_command("schedule", "cron")
