"""A due job runs once, not twice, when two real workers tick at the same time.

Each test migrates a database of its own — a SQLite file, or a new PostgreSQL database
when the suite runs on PostgreSQL — and starts real ``mamoru`` processes on it: two
database-backend workers, or two RQ workers and two RQ cron schedulers against a real
``redis-server`` on 127.0.0.1. The incident deadline reminders (hourly) are due at once
on a new database; the tests wait, with a generous timeout and never a timed assertion,
until the run has finished and every ticker has ticked again several times, then count
the runs.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from mamoru.core.models import ScheduleState

REMINDERS = "incidents.deadline-reminders"
REMINDERS_TASK = "mamoru.incidents.tasks.deadline_reminders"
TICK_TASK = "mamoru.core.scheduler.scheduler_tick"
TIMEOUT = 180.0


class Database:
    """A database of this test's own, read with plain SQL (the test's Django connection
    points at pytest's test database, not at this one)."""

    def __init__(self, url: str, query: Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]):
        self.url = url
        self.query = query

    def schedule(self, name: str) -> tuple[str, int] | None:
        table = ScheduleState._meta.db_table
        rows = self.query(f"SELECT last_outcome, runs FROM {table} WHERE name = %s", (name,))  # noqa: S608
        return (rows[0][0], rows[0][1]) if rows else None

    def results(self, task_path: str) -> int:
        table = DBTaskResult._meta.db_table
        rows = self.query(f"SELECT COUNT(*) FROM {table} WHERE task_path = %s", (task_path,))  # noqa: S608
        return int(rows[0][0])


def sqlite_database(path: Path) -> Database:
    def query(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(path, timeout=30)) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()

    return Database(f"sqlite:///{path}", query)


@contextmanager
def postgres_database() -> Iterator[Database]:
    """A new database on the suite's PostgreSQL server, dropped afterwards."""
    import psycopg

    server = settings.DATABASES["default"]
    login = quote(str(server["USER"])) + (
        f":{quote(str(server['PASSWORD']))}" if server["PASSWORD"] else ""
    )
    base = f"postgresql://{login}@{server['HOST']}:{server['PORT']}/"
    name = f"mamoru_sched_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base + "postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def query(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with psycopg.connect(base + name) as db:
            return db.execute(sql.encode(), params).fetchall()

    try:
        yield Database(base + name, query)
    finally:
        with psycopg.connect(base + "postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    """A new, migrated database for the processes, on the engine the suite runs on."""
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        with postgres_database() as db:
            mamoru(db.url, tmp_path, "migrate", "--no-input", "-v", "0")
            yield db
    else:
        db = sqlite_database(tmp_path / "mamoru.sqlite3")
        mamoru(db.url, tmp_path, "migrate", "--no-input", "-v", "0")
        yield db


def environment(url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mamoru.settings",
        "MAMORU_DATABASE_URL": url,
        "MAMORU_DATA_DIR": str(data_dir),
        "MAMORU_SCHEDULER_TICK_SECONDS": "1",
        "MAMORU_LOG_LEVEL": "DEBUG",
        **{f"MAMORU_{key}": value for key, value in extra.items()},
    }


def mamoru(url: str, data_dir: Path, *args: str, **extra: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "mamoru", *args],
        env=environment(url, data_dir, **extra),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@contextmanager
def processes(
    url: str, data_dir: Path, commands: list[list[str]], **extra: str
) -> Iterator[list[Path]]:
    """Start ``mamoru`` processes; yield their log files; stop them (SIGTERM) at the end."""
    logs = [data_dir / f"process-{i}.log" for i in range(len(commands))]
    started = []
    try:
        for command, log in zip(commands, logs, strict=True):
            with log.open("wb") as out:
                started.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "mamoru", *command],
                        env=environment(url, data_dir, **extra),
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
        yield logs
    finally:
        for process in started:
            process.send_signal(signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(condition: Callable[[], bool], what: str, processes_logs: list[Path]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            tails = "\n".join(p.read_text(errors="replace")[-2000:] for p in processes_logs)
            pytest.fail(f"timed out waiting for {what}\n{tails}")
        time.sleep(0.5)


def ticks(log: Path) -> int:
    return log.read_text(errors="replace").count("schedule tick:")


def test_two_database_workers_enqueue_a_due_job_once(database: Database, tmp_path: Path) -> None:
    worker = ["worker", "--interval", "0.2"]
    with processes(database.url, tmp_path, [worker, worker]) as logs:
        wait_for(lambda: database.schedule(REMINDERS) == ("successful", 1), "the reminders", logs)
        seen = [ticks(log) for log in logs]
        wait_for(
            lambda: all(ticks(log) >= n + 3 for log, n in zip(logs, seen, strict=True)),
            "three more ticks of each worker",
            logs,
        )

    assert database.results(REMINDERS_TASK) == 1
    assert database.schedule(REMINDERS) == ("successful", 1)
    listed = json.loads(mamoru(database.url, tmp_path, "schedule", "list", "--format", "json"))
    entry = next(e for e in listed if e["name"] == REMINDERS)
    assert (entry["last_outcome"], entry["runs"]) == ("successful", 1)


@pytest.mark.redis
@pytest.mark.skipif(
    shutil.which("redis-server") is None,
    reason="redis-server is not installed (scripts/install-system-packages.sh test)",
)
def test_two_rq_workers_and_two_cron_schedulers_enqueue_a_due_job_once(
    database: Database, tmp_path: Path, redis_url: str
) -> None:
    from redis import Redis
    from rq import Queue
    from rq.cron import CronScheduler
    from rq.job import Job
    from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry

    redis = Redis.from_url(redis_url)
    redis.flushdb()
    queue = Queue("default", connection=redis)

    def runs() -> Counter[str]:
        """Jobs of the queue by function: waiting, running, finished and failed."""
        ids = [
            *queue.get_job_ids(),
            *StartedJobRegistry(queue=queue).get_job_ids(),
            *FinishedJobRegistry(queue=queue).get_job_ids(),
            *FailedJobRegistry(queue=queue).get_job_ids(),
        ]
        return Counter(job.func_name or "" for job in Job.fetch_many(ids, connection=redis) if job)

    def finished_ticks() -> int:
        finished = FinishedJobRegistry(queue=queue).get_job_ids()
        return sum(j.func_name == TICK_TASK for j in Job.fetch_many(finished, redis) if j)

    rq = {"TASK_BACKEND": "rq", "REDIS_URL": redis_url}
    commands = [["worker"], ["worker"], ["schedule", "cron"], ["schedule", "cron"]]
    with processes(database.url, tmp_path, commands, **rq) as logs:
        wait_for(lambda: database.schedule(REMINDERS) == ("successful", 1), "the reminders", logs)
        wait_for(lambda: len(CronScheduler.all(redis)) == 2, "both cron schedulers", logs)
        seen = finished_ticks()
        wait_for(lambda: finished_ticks() >= seen + 4, "four more ticks", logs)

        assert runs()[REMINDERS_TASK] == 1
    assert database.schedule(REMINDERS) == ("successful", 1)
