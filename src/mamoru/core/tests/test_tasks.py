"""The organisation import as a background task on the database backend, the worker,
progress, and recovery of tasks whose worker died."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mamoru.audit.models import AuditEvent
from mamoru.core.progress import progress_get, report_progress
from mamoru.core.tasks import WorkerLost, task_result_get
from mamoru.orgs.loader import BUNDLED_LIST
from mamoru.orgs.models import Organisation
from mamoru.orgs.tasks import import_organisations_task

pytestmark = pytest.mark.django_db

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOCAL_GOVERNMENTS = 1788


@pytest.fixture
def in_process_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let ``mamoru worker`` run inside the test: keep the test's connection and transaction
    (the worker closes "old" connections between tasks) and put back the signal handlers
    it installs."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


def bad_list(tmp_path: Path) -> Path:
    lines = BUNDLED_LIST.read_text(encoding="utf-8-sig").splitlines()
    header, tokyo = lines[0], next(line for line in lines if line.startswith("130001"))
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([header, tokyo, tokyo.replace("130001", "130002", 1)]) + "\n")
    return path


@override_settings(TASKS=DATABASE)
def test_the_database_worker_runs_the_import_and_reports_progress(in_process_worker: None) -> None:
    result = import_organisations_task.enqueue(None)
    assert task_result_get(task_id=str(result.id)).status == TaskResultStatus.READY

    call_command("worker", "--batch", "--max-tasks", "1", verbosity=0)

    done = task_result_get(task_id=str(result.id))
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == {"created": 0, "updated": 0, "unchanged": LOCAL_GOVERNMENTS + 10}
    progress = progress_get(task_id=str(result.id))
    assert progress is not None
    assert (progress.done, progress.total, progress.percent) == (1788, 1788, 100)
    assert progress.message.startswith("完了")


@override_settings(TASKS=DATABASE)
def test_a_bad_list_fails_the_task_and_changes_nothing(
    in_process_worker: None, tmp_path: Path
) -> None:
    before = Organisation.objects.count()
    result = import_organisations_task.enqueue(str(bad_list(tmp_path)))
    call_command("worker", "--batch", verbosity=0)

    failed = task_result_get(task_id=str(result.id))
    assert failed.status == TaskResultStatus.FAILED
    assert failed.errors[0].exception_class_path == "mamoru.orgs.loader.OrganisationListError"
    progress = progress_get(task_id=str(result.id))
    assert progress is not None
    assert "3行目" in progress.message
    assert Organisation.objects.count() == before


@override_settings(TASKS=IMMEDIATE)
def test_import_organisations_waits_and_prints_the_outcome() -> None:
    out = StringIO()
    call_command("import_organisations", "--wait", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("タスク ")
    assert lines[-1].startswith(f"{LOCAL_GOVERNMENTS}/{LOCAL_GOVERNMENTS} (100%) 完了")


@override_settings(TASKS=IMMEDIATE)
def test_import_organisations_with_wait_fails_when_the_task_fails(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="失敗しました"):
        call_command("import_organisations", str(bad_list(tmp_path)), "--wait", stdout=StringIO())


def test_import_organisations_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="ありません"):
        call_command("import_organisations", str(tmp_path / "nope.csv"))
    assert not DBTaskResult.objects.exists()


@override_settings(TASKS=DATABASE)
def test_import_organisations_without_a_worker_times_out_waiting() -> None:
    out = StringIO()
    with pytest.raises(CommandError, match="終わっていません"):
        call_command("import_organisations", "--wait", "--timeout", "0", stdout=out)
    assert "ワーカーを待っています" in out.getvalue()


@override_settings(TASKS=DATABASE)
def test_jobs_status_prints_state_and_progress() -> None:
    result = import_organisations_task.enqueue(None)
    report_progress(task_id=str(result.id), done=5, total=20, message="取り込み中")
    out = StringIO()
    call_command("jobs", "status", str(result.id), stdout=out)
    assert out.getvalue().splitlines() == [
        f"{result.id} import_organisations_task READY",
        "5/20 (25%) 取り込み中",
    ]


@override_settings(TASKS=DATABASE)
def test_jobs_status_of_an_unknown_task_is_an_error() -> None:
    with pytest.raises(CommandError, match="見つかりません"):
        call_command("jobs", "status", "00000000-0000-0000-0000-000000000000")


def left_running(started_minutes_ago: int) -> str:
    result = import_organisations_task.enqueue(None)
    DBTaskResult.objects.filter(id=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago),
        worker_ids=["killed-worker"],
    )
    return str(result.id)


@override_settings(TASKS=DATABASE)
def test_jobs_recover_marks_tasks_of_a_dead_worker_failed_and_leaves_recent_ones() -> None:
    stale, recent = left_running(120), left_running(5)
    out = StringIO()
    call_command("jobs", "recover", "--older-than", "60", stdout=out)

    assert f"{stale}: 失敗として記録しました" in out.getvalue()
    failed = task_result_get(task_id=stale)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.errors[0].exception_class_path == f"{WorkerLost.__module__}.WorkerLost"
    assert task_result_get(task_id=recent).status == TaskResultStatus.RUNNING
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.details["task_ids"]) == ("core.tasks.recover", [stale])


@override_settings(TASKS=DATABASE)
def test_the_database_worker_does_not_pick_up_a_task_left_running(in_process_worker: None) -> None:
    # Why ``jobs recover`` exists: db_worker only takes READY tasks.
    stale = left_running(120)
    call_command("worker", "--batch", verbosity=0)
    assert task_result_get(task_id=stale).status == TaskResultStatus.RUNNING


@override_settings(TASKS=IMMEDIATE)
def test_the_worker_has_nothing_to_do_with_the_immediate_backend() -> None:
    out = StringIO()
    call_command("worker", stdout=out)
    assert "ワーカーは不要です" in out.getvalue()


@override_settings(TASKS=IMMEDIATE)
def test_the_import_task_retries_a_locked_database_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import OperationalError

    from mamoru.orgs.services import organisations_import

    calls = []

    def flaky(**kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return organisations_import(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("mamoru.orgs.tasks.organisations_import", flaky)
    monkeypatch.setattr("mamoru.orgs.tasks.time.sleep", lambda seconds: None)
    result = import_organisations_task.enqueue(None)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert len(calls) == 2
