"""``mamoru worker``: run the configured task backend's worker.

* database backend: Django Tasks' ``db_worker`` (polls the task table);
* RQ: an RQ worker on the configured queues with django-tasks-rq's job class (one
  forked work horse per task; ``--in-process`` runs tasks in this process instead);
* immediate backend: tasks run where they are enqueued, so there is nothing to do.

``--batch`` runs what is queued and exits (``db_worker --batch``, RQ's burst mode).

On the database backend a long-running worker also ticks the periodic-work scheduler
(``mamoru.core.scheduler``) in a thread, so ``make run``'s one embedded worker runs the
reminders and feed imports; ``--no-scheduler`` turns that off. On RQ the scheduler is
RQ's cron scheduler, a process of its own: ``mamoru schedule cron``.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from mamoru.core.scheduler import scheduler_thread
from mamoru.core.tasks import backend_kind


class Command(BaseCommand):
    help = "Run a background task worker for the configured backend (database or RQ)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue",
            action="append",
            dest="queues",
            help="queue to work (repeatable; default all)",
        )
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--max-tasks", type=int, default=None, help="exit after N tasks")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls (database)"
        )
        parser.add_argument(
            "--in-process",
            action="store_true",
            help="RQ: run tasks in this process instead of a forked one (tests, debugging)",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="database: do not tick the periodic-work scheduler in this worker",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        # No QUEUES in the backend's settings means any queue name is allowed: work them all.
        queues: list[str] = options["queues"] or sorted(backend.queues) or ["*"]
        kind = backend_kind()
        if kind == "database":
            self._database(queues, options)
        elif kind == "rq":
            self._rq(queues, options)
        elif kind == "immediate":
            self.stdout.write(
                "即時実行の設定のため、ワーカーは不要です（タスクは登録時に実行されます）"
            )
        else:
            raise CommandError(f"ワーカーの起動方法が不明なタスク基盤です: {kind}")

    def _database(self, queues: list[str], options: dict[str, Any]) -> None:
        stop = threading.Event()
        if not (options["batch"] or options["no_scheduler"]):
            scheduler_thread(stop)
        try:
            self._db_worker(queues, options)
        finally:
            stop.set()

    def _db_worker(self, queues: list[str], options: dict[str, Any]) -> None:
        call_command(
            "db_worker",
            queue_name=",".join(queues),
            batch=options["batch"],
            max_tasks=options["max_tasks"],
            interval=options["interval"],
            # A random start-up delay only spreads a fleet of long-running workers.
            startup_delay=not options["batch"],
            reload=False,
            verbosity=options["verbosity"],
            stdout=self.stdout,
        )

    def _rq(self, queues: list[str], options: dict[str, Any]) -> None:
        from django_rq.workers import get_worker
        from django_tasks_rq.backend import Job
        from redis.exceptions import ConnectionError as RedisConnectionError
        from rq import SimpleWorker, Worker

        worker_class: Any = SimpleWorker if options["in_process"] else Worker
        worker = get_worker(*queues, job_class=Job, worker_class=worker_class)
        if not options["in_process"]:
            # Work horses are forked: they must not inherit this process's connections.
            from django.db import connections

            connections.close_all()
        try:
            worker.work(
                burst=options["batch"],
                max_jobs=options["max_tasks"],
                with_scheduler=not options["batch"],
                logging_level="INFO" if options["verbosity"] > 1 else "WARNING",
            )
        except RedisConnectionError as exc:
            raise CommandError(f"Redis に接続できません: {exc}") from exc
