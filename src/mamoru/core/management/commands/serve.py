"""``mamoru serve``: the web platform, and with ``--with-worker`` its background work.

The embedded worker ticks the periodic-work scheduler itself on the database backend;
on RQ the scheduler is RQ's cron scheduler, so ``--with-worker`` starts ``mamoru
schedule cron`` beside the worker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mamoru.core.tasks import backend_kind


class Command(BaseCommand):
    help = "Serve the platform with granian (WSGI), optionally with one embedded task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="web worker processes")
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="also run one task worker (and RQ's cron scheduler on RQ)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mamoru.settings"}
        server_cmd = [
            sys.executable, "-m", "granian", "--interface", "wsgi",
            "--host", options["host"], "--port", str(options["port"]),
            "--workers", str(options["workers"]), "--blocking-threads", "8",
            "mamoru.wsgi:application",
        ]  # fmt: skip
        children = [subprocess.Popen(server_cmd, env=env)]  # noqa: S603 - our own interpreter
        if options["with_worker"]:
            worker_cmd = [sys.executable, "-m", "mamoru", "worker"]
            children.append(subprocess.Popen(worker_cmd, env=env))  # noqa: S603
            if backend_kind() == "rq":
                cron_cmd = [sys.executable, "-m", "mamoru", "schedule", "cron"]
                children.append(subprocess.Popen(cron_cmd, env=env))  # noqa: S603
        self.stdout.write(f"mamoru: http://{options['host']}:{options['port']}/ (Ctrl+C で停止)")
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        # Supervise: if one child dies, stop the other, so a half-running platform
        # never looks healthy.
        while not stopping and all(c.poll() is None for c in children):
            time.sleep(0.5)
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            child.wait(timeout=20)
        failed = [c.args for c in children if c.returncode not in (0, -signal.SIGTERM, None)]
        if failed and not stopping:
            raise SystemExit(1)
