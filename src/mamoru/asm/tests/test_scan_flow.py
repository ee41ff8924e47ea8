"""End to end on loopback: approved assets → a scan task → services and findings stored →
"fixed" queues a re-scan that reopens (still there) or verifies (gone)."""

from __future__ import annotations

from typing import Any

import pytest

from mamoru.asm import services
from mamoru.asm.models import Finding, FindingStatus, Scan, ScanStatus, Service
from mamoru.asm.testing import approved_asset, load_vulnerabilities, principal
from mamoru.asm.tests.loopback import Lab
from mamoru.testing import CHIYODA, Cast

pytestmark = pytest.mark.django_db


def test_a_scan_stores_what_the_lab_exposes_and_a_fix_is_verified(
    cast: Cast, lab: Lab, django_capture_on_commit_callbacks: Any
) -> None:
    load_vulnerabilities()
    chiyoda = principal(cast.chiyoda, CHIYODA)
    approved_asset(chiyoda.organisation, lab.ip, ports=lab.port_list)
    with django_capture_on_commit_callbacks(execute=True):
        scan = services.scan_request(principal=chiyoda, organisation=chiyoda.organisation)
    scan.refresh_from_db()
    assert scan.status == ScanStatus.SUCCEEDED, scan.notes
    found = {f.kind: f for f in Finding.objects.all()}
    assert "known-vulnerability" in found, found
    assert found["known-vulnerability"].vulnerability_id == "CVE-2024-6387"
    assert "http-directory-listing" in found
    assert Service.objects.filter(present=True).count() == 2

    listing = found["http-directory-listing"]
    with django_capture_on_commit_callbacks(execute=True):
        services.finding_mark_fixed(principal=chiyoda, finding=listing)
    listing.refresh_from_db()
    assert listing.status == FindingStatus.OPEN  # still listed: reopened with a note
    last = listing.events.last()
    assert last is not None
    assert "まだ検出" in last.note

    lab.stop("web")
    with django_capture_on_commit_callbacks(execute=True):
        services.finding_mark_fixed(principal=chiyoda, finding=listing)
    listing.refresh_from_db()
    assert listing.status == FindingStatus.VERIFIED
    assert Scan.objects.filter(reason="verification").count() == 2
    assert Finding.objects.count() == len(found)  # no duplicate after three scans
