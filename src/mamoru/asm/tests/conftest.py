"""Fixtures of the attack-surface tests: scans allowed on loopback with only the assets'
own ports, tasks run where they are enqueued (so a scan runs inside the test), and the
loopback lab."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mamoru.asm import services
from mamoru.asm.models import Finding
from mamoru.asm.testing import Scanned, approved_asset, load_vulnerabilities, principal
from mamoru.asm.tests.loopback import Lab, loopback_lab
from mamoru.testing import CHIYODA, Cast

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _scanning(settings: Any) -> None:
    settings.SCAN_ALLOW_PRIVATE = True
    settings.ASM_SCAN_PORTS = ""
    settings.ASM_SCAN_TIMEOUT = 1.0
    settings.ASM_JOB_HEARTBEAT_SECONDS = 0.2
    settings.ASM_RESOLVER = "127.0.0.1:9"  # nothing answers: no test asks the real DNS
    settings.ASM_DNS_TIMEOUT = 0.3
    settings.TASKS = IMMEDIATE


@pytest.fixture
def lab(settings: Any) -> Iterator[Lab]:
    with loopback_lab() as running:
        settings.ASM_RESOLVER = running.resolver
        yield running


@pytest.fixture
def scanned(cast: Cast, lab: Lab, django_capture_on_commit_callbacks: Any) -> Scanned:
    """千代田区 with the lab approved and scanned once (the vulnerability database loaded)."""
    load_vulnerabilities()
    chiyoda = principal(cast.chiyoda, CHIYODA)
    asset = approved_asset(chiyoda.organisation, lab.ip, ports=lab.port_list)
    with django_capture_on_commit_callbacks(execute=True):
        scan = services.scan_request(principal=chiyoda, organisation=chiyoda.organisation)
    scan.refresh_from_db()
    findings = {f.kind: f for f in Finding.objects.filter(organisation=chiyoda.organisation)}
    return Scanned(chiyoda, asset, scan, findings, lab)
