"""Real ``mamoru`` processes on a database of the test's own, for tests that kill workers.

The test's own Django connection points at pytest's test database; processes get a new
one on the engine the suite runs on — a SQLite file, or a fresh PostgreSQL database
dropped afterwards — migrated before they start. The test reads it with plain SQL.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings

TIMEOUT = 180.0
Query = Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]


@dataclass(frozen=True)
class Database:
    url: str
    query: Query

    def value(self, sql: str, *params: Any) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None


def _sqlite(path: Path) -> Database:
    def query(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(path, timeout=30)) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()

    return Database(f"sqlite:///{path}", query)


@contextmanager
def _postgres() -> Iterator[Database]:
    import psycopg

    server = settings.DATABASES["default"]
    login = quote(str(server["USER"])) + (
        f":{quote(str(server['PASSWORD']))}" if server["PASSWORD"] else ""
    )
    base = f"postgresql://{login}@{server['HOST']}:{server['PORT']}/"
    name = f"mamoru_proc_{uuid.uuid4().hex[:12]}"
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


@contextmanager
def process_database(data_dir: Path, **env: str) -> Iterator[Database]:
    """A new, migrated database for the processes, on the engine the suite runs on."""
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        with _postgres() as db:
            mamoru(db.url, data_dir, "migrate", "--no-input", "-v", "0", **env)
            yield db
    else:
        db = _sqlite(data_dir / "mamoru.sqlite3")
        mamoru(db.url, data_dir, "migrate", "--no-input", "-v", "0", **env)
        yield db


def environment(url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mamoru.settings",
        "MAMORU_DATABASE_URL": url,
        "MAMORU_DATA_DIR": str(data_dir),
        "MAMORU_SCHEDULER_TICK_SECONDS": "1",
        **{f"MAMORU_{key}": value for key, value in extra.items()},
    }


def mamoru(url: str, data_dir: Path, *args: str, **extra: str) -> str:
    """Run ``mamoru ARGS`` to its end on the database; its output (it must succeed)."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "mamoru", *args],
        env=environment(url, data_dir, **extra),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL: the worker gets no chance to record anything."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


@contextmanager
def started(url: str, data_dir: Path, *args: str, name: str, **extra: str) -> Iterator[Running]:
    """Start ``mamoru ARGS`` in the background; SIGTERM (then SIGKILL) it at the end."""
    log = data_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "mamoru", *args],
            env=environment(url, data_dir, **extra),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    running = Running(process, log)
    try:
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(condition: Callable[[], bool], what: str, *running: Running) -> None:
    """Poll ``condition`` (no timed assertion: a generous deadline, then the logs)."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}\n" + "\n".join(r.tail() for r in running))
        time.sleep(0.2)
