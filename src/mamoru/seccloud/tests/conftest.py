"""Fixtures of the security-cloud tests: the engine's store and spool in a temporary
directory, tasks run where they are enqueued, and a small generated month of 東京都's logs
(generated once per session; ingested per test into that test's own store)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from mamoru.orgs.principal import System
from mamoru.seccloud import services
from mamoru.seccloud.generation import generate_month
from mamoru.seccloud.models import IngestRun
from mamoru.seccloud.testing import MONTH, GeneratedMonth
from mamoru.testing import TOKYO, Cast

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _seccloud_settings(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "seccloud"
    with override_settings(
        TASKS=IMMEDIATE,
        MAMORU_SECCLOUD_DATA_ROOT=root,
        MAMORU_SECCLOUD_TEMP_DIRECTORY=tmp_path / "spill",
        MAMORU_SECCLOUD_THREADS=1,
        MAMORU_SECCLOUD_MEMORY_LIMIT="512MB",
    ):
        yield root


@pytest.fixture(scope="session")
def tokyo_month(tmp_path_factory: pytest.TempPathFactory) -> GeneratedMonth:
    out = tmp_path_factory.mktemp("tokyo-month")
    logs = generate_month(out, prefecture="13", month=MONTH, rows=2_000, seed=1)
    return GeneratedMonth(out, logs)


@pytest.fixture(scope="session")
def shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store for the tests of the generated month: the first test ingests the files,
    the others find the segments in (the engine's checkpoints) and only redo the database's
    side, which each test starts afresh."""
    return tmp_path_factory.mktemp("seccloud-shared")


@pytest.fixture
def ingested(
    cast: Cast,
    tokyo_month: GeneratedMonth,
    shared_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> Iterator[IngestRun]:
    """The month ingested for 東京都 with its ranges and known-bad list, and its report
    (what runs after the commit — the alerts' notifications — runs too)."""
    with override_settings(MAMORU_SECCLOUD_DATA_ROOT=shared_root):
        yield _ingest(cast, tokyo_month, django_capture_on_commit_callbacks)


def _ingest(cast: Cast, tokyo_month: GeneratedMonth, on_commit: Any) -> IngestRun:
    system = System("test")
    tokyo = cast.org(TOKYO)
    services.ranges_import(principal=system, data=(tokyo_month.root / "ranges.csv").read_bytes())
    services.bad_destinations_import(
        principal=system, prefecture=tokyo, addresses=tokyo_month.logs.bad_destinations
    )
    with on_commit(execute=True):
        run = services.ingest_files(
            principal=system, prefecture=tokyo, paths=tokyo_month.logs.files
        )
    services.figures_compute(principal=system, prefecture=tokyo, month=tokyo_month.first_day)
    return run
