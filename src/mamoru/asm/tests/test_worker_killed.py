"""A worker SIGKILLed in the middle of a scan job: the job is taken back and finished by
another worker — or, past its attempts, marked failed with the reason — and never run
twice at once nor stored twice.

Real ``mamoru worker`` processes on a database of the test's own (SQLite, or PostgreSQL
when the suite runs there) scan the loopback lab of this process. The job is slowed by a
low rate over a band of closed ports, so it is surely running when the worker is killed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from mamoru.asm.tests.loopback import Lab
from mamoru.testing.processes import Database, mamoru, process_database, started, wait_for

CLOSED_BAND = "40100-40179"
SEED = """
from mamoru.asm import services
from mamoru.asm.testing import SYSTEM, approved_asset
from mamoru.orgs.selectors import organisation_by_code
org = organisation_by_code(code="{code}")
approved_asset(org, "127.0.0.1", ports="{ports}")
services.scan_request(principal=SYSTEM, organisation=org)
"""
ENV = {
    "SCAN_ALLOW_PRIVATE": "true",
    "ASM_SCAN_PORTS": "",
    "ASM_SCAN_RATE": "20",  # 80 closed ports and the lab's two: about four seconds
    "ASM_SCAN_TIMEOUT": "0.5",
    "ASM_JOB_HEARTBEAT_SECONDS": "0.3",
    "ASM_JOB_STALE_SECONDS": "2",
    "ASM_RECOVER_SECONDS": "1",
    "ASM_RESOLVER": "127.0.0.1:9",
    "LOG_LEVEL": "INFO",
}


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One database for the module (migrating and loading take most of the time); each
    test scans an organisation of its own."""
    directory = tmp_path_factory.mktemp("killed")
    with process_database(directory, **ENV) as db:
        mamoru(db.url, directory, "load-organisations", **ENV)
        yield db


JOB = (
    "SELECT j.status, j.attempts, j.probes_done, j.error FROM asm_scanjob j "
    "JOIN asm_scan s ON s.id = j.scan_id JOIN orgs_organisation o ON o.id = s.organisation_id "
    "WHERE o.code = %s"
)
SCAN = (
    "SELECT s.status, s.notes FROM asm_scan s "
    "JOIN orgs_organisation o ON o.id = s.organisation_id WHERE o.code = %s"
)


def _job(db: Database, code: str) -> tuple[str, int, int, str]:
    rows = db.query(JOB, (code,))
    return (rows[0][0], rows[0][1], rows[0][2], rows[0][3]) if rows else ("", 0, 0, "")


def _scan(db: Database, code: str) -> tuple[str, str]:
    rows = db.query(SCAN, (code,))
    if not rows:
        return ("", "")
    notes = rows[0][1]  # JSON: text from SQLite, already a list from PostgreSQL's driver
    return (rows[0][0], " ".join(json.loads(notes) if isinstance(notes, str) else notes))


def _of(db: Database, select: str, code: str, tail: str = "") -> list[tuple[object, ...]]:
    """``SELECT … FROM <table> t`` narrowed to one organisation's rows."""
    where = " JOIN orgs_organisation o ON o.id = t.organisation_id WHERE o.code = %s "
    return db.query(select + where + tail, (code,))


def _kill_while_running(db: Database, directory: Path, lab: Lab, code: str, **env: str) -> None:
    ports = f"{lab.port_list},{CLOSED_BAND}"
    mamoru(db.url, directory, "shell", "-c", SEED.format(ports=ports, code=code), **ENV, **env)
    worker = ["worker", "--interval", "0.2"]
    with started(db.url, directory, *worker, name=f"first-{code}", **ENV, **env) as first:
        wait_for(
            lambda: _job(db, code)[0] == "running" and _job(db, code)[2] > 0,
            "the job to run",
            first,
        )
        first.kill()
    assert _job(db, code)[0] == "running"  # nobody recorded anything: the worker just died


def test_a_killed_workers_job_is_finished_by_another_without_duplicates(
    database: Database, tmp_path: Path, lab: Lab
) -> None:
    code = "131016"  # 千代田区
    _kill_while_running(database, tmp_path, lab, code)
    worker = ["worker", "--interval", "0.2"]
    with started(database.url, tmp_path, *worker, name="second", **ENV) as second:
        wait_for(lambda: _scan(database, code)[0] == "succeeded", "the scan to finish", second)
    assert _job(database, code)[:2] == ("succeeded", 2)
    kinds = _of(database, "SELECT t.kind, COUNT(*) FROM asm_finding t", code, "GROUP BY t.kind")
    assert ("http-directory-listing", 1) in kinds
    assert all(count == 1 for _kind, count in kinds)
    assert _of(database, "SELECT COUNT(*) FROM asm_service t", code) == [(2,)]
    assert database.value("SELECT COUNT(*) FROM asm_scanslot WHERE job_id IS NOT NULL") == 0


def test_a_job_out_of_attempts_is_reported_failed_with_the_reason(
    database: Database, tmp_path: Path, lab: Lab
) -> None:
    code, once = "132012", {"ASM_JOB_MAX_ATTEMPTS": "1"}  # 八王子市
    _kill_while_running(database, tmp_path, lab, code, **once)
    worker = ["worker", "--interval", "0.2"]
    with started(database.url, tmp_path, *worker, name="second", **ENV, **once) as second:
        wait_for(
            lambda: _scan(database, code)[0] == "failed", "the scan to be marked failed", second
        )
    assert "応答しなくなりました" in _scan(database, code)[1]
    status, attempts, _done, error = _job(database, code)
    assert (status, attempts) == ("failed", 1)
    assert error.startswith("作業していたワーカー")
    assert _of(database, "SELECT COUNT(*) FROM asm_finding t", code) == [(0,)]
