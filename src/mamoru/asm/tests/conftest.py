"""Fixtures of the attack-surface tests: scans allowed on loopback with only the assets'
own ports, tasks run where they are enqueued (so a scan runs inside the test), and the
loopback lab."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mamoru.asm.tests.loopback import Lab, loopback_lab

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _scanning(settings: Any) -> None:
    settings.SCAN_ALLOW_PRIVATE = True
    settings.ASM_SCAN_PORTS = ""
    settings.ASM_SCAN_TIMEOUT = 1.0
    settings.ASM_JOB_HEARTBEAT_SECONDS = 0.2
    settings.ASM_RESOLVER = "127.0.0.1:9"  # nothing answers: no test asks the real DNS
    settings.TASKS = IMMEDIATE


@pytest.fixture
def lab() -> Iterator[Lab]:
    with loopback_lab() as running:
        yield running
