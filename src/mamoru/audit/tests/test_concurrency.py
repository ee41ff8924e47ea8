"""Appends from several processes or threads at once never fork the chain."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection, connections

from mamoru.audit.models import AuditEvent
from mamoru.audit.services import audit_record
from mamoru.audit.verify import audit_chain_verify

# Each writer starts Django, waits for the starting signal (a file), then appends.
WRITER = """
import sys, time, pathlib, django
django.setup()
from mamoru.audit.services import audit_record
from mamoru.orgs.principal import System
worker, count, go = sys.argv[1], int(sys.argv[2]), pathlib.Path(sys.argv[3])
while not go.exists():
    time.sleep(0.01)
for i in range(count):
    audit_record(action="test.concurrent", target=f"{worker}-{i}")
"""


def mamoru_env(database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mamoru.settings",
        "MAMORU_DATABASE_URL": f"sqlite:///{database}",
        "MAMORU_DATA_DIR": str(database.parent),
    }


def test_processes_appending_to_one_sqlite_file_keep_a_single_chain(tmp_path: Path) -> None:
    env = mamoru_env(tmp_path / "audit.sqlite3")
    mamoru = [sys.executable, "-m", "mamoru"]
    go = tmp_path / "go"
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, f"w{n}", "25", str(go)], env=env)
        for n in range(4)
    ]
    subprocess.run([*mamoru, "migrate", "audit", "-v", "0"], env=env, check=True)
    go.touch()
    assert [w.wait(timeout=60) for w in writers] == [0, 0, 0, 0]
    verify = subprocess.run(
        [*mamoru, "audit", "verify"], env=env, capture_output=True, text=True, check=False
    )
    assert (verify.returncode, verify.stdout.strip()) == (0, "監査ログは正常です（100件）")


@pytest.fixture
def organisations_restored(django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """Transactional tests end with a flush; put the reference data back afterwards."""
    yield
    from mamoru.orgs.loader import read_local_governments
    from mamoru.orgs.principal import System
    from mamoru.orgs.services import organisations_import

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        organisations_import(principal=System("test set-up"), rows=read_local_governments())


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database is private to one connection, so threads "
    "cannot share it; the process test above covers SQLite on a file",
)
def test_threads_appending_at_once_keep_a_single_chain(
    organisations_restored: None, transactional_db: None
) -> None:
    barrier = threading.Barrier(4)

    def append(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(20):
                audit_record(action="test.concurrent", target=f"{worker}-{i}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert AuditEvent.objects.filter(action="test.concurrent").count() == 80
    report = audit_chain_verify()
    assert report.ok, report.problems
