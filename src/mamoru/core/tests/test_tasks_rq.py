"""The organisation import on the RQ backend, against a real ``redis-server`` started on
127.0.0.1 for these tests (``redis_url`` in conftest.py), run by ``mamoru worker --batch
--in-process`` (RQ's ``SimpleWorker`` in burst mode, so the task shares the test's
database)."""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks import TaskResultStatus

from mamoru.core.progress import progress_get
from mamoru.core.tasks import backend_kind, task_result_get
from mamoru.orgs.loader import BUNDLED_LIST
from mamoru.orgs.models import Organisation
from mamoru.orgs.national import NATIONAL_BODIES
from mamoru.orgs.tasks import import_organisations_task

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("redis-server") is None,
        reason="redis-server is not installed (scripts/install-system-packages.sh test)",
    ),
]


@pytest.fixture
def rq_backend(redis_url: str) -> Iterator[None]:
    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queues = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 600}}
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    with override_settings(TASKS=tasks, RQ_QUEUES=queues):
        import django_rq

        django_rq.get_connection("default").flushdb()
        yield
    for sig, handler in handlers.items():  # the RQ worker installs its own
        signal.signal(sig, handler)


def test_rq_is_the_backend_in_use(rq_backend: None) -> None:
    assert backend_kind() == "rq"


def test_an_rq_worker_runs_the_import_and_reports_progress(rq_backend: None) -> None:
    result = import_organisations_task.enqueue(None)
    assert task_result_get(task_id=str(result.id)).status == TaskResultStatus.READY

    call_command("worker", "--batch", "--in-process", verbosity=0)

    done = task_result_get(task_id=str(result.id))
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value is not None
    # every row of the bundled list and every national body was read (other modules of this
    # worker may have left organisations behind or changed one, so the split is not fixed)
    read = sum(done.return_value[k] for k in ("created", "updated", "unchanged"))
    assert read == 1788 + len(NATIONAL_BODIES)
    progress = progress_get(task_id=str(result.id))
    assert progress is not None
    assert (progress.done, progress.total) == (1788, 1788)


def test_a_failing_import_is_failed_on_rq_and_changes_nothing(
    rq_backend: None, tmp_path: Path
) -> None:
    lines = BUNDLED_LIST.read_text(encoding="utf-8-sig").splitlines()
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([lines[0], lines[1].replace(",", ",x", 1)]) + "\n")
    before = Organisation.objects.count()

    result = import_organisations_task.enqueue(str(bad))
    call_command("worker", "--batch", "--in-process", verbosity=0)

    failed = task_result_get(task_id=str(result.id))
    assert failed.status == TaskResultStatus.FAILED
    assert failed.errors[0].exception_class_path == "mamoru.orgs.loader.OrganisationListError"
    assert Organisation.objects.count() == before
