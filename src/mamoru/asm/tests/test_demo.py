"""The demo of ``make run``: real findings from a scan of the in-process lab, and a real
KEV alert for 檜原村 told to 東京都."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from mamoru.asm.models import AlertNotice, ExposureAlert, Finding
from mamoru.orgs.demo import DEMO_PASSWORD
from mamoru.testing import ensure_organisations

pytestmark = pytest.mark.django_db


def test_the_demo_scans_its_lab_and_raises_a_kev_alert(settings: Any) -> None:
    settings.MFA_ENFORCED = False
    ensure_organisations()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "攻撃対象領域の診断のデモ: 千代田区" in out.getvalue()
    again = StringIO()
    call_command("seed_demo", stdout=again)  # idempotent
    assert "作成済み" in again.getvalue()
    village = (
        Finding.objects.unscoped("test")
        .filter(organisation__code="133078")
        .exclude(vulnerability_id="")
    )
    assert set(village.values_list("vulnerability_id", flat=True)) == {
        "CVE-2023-46805", "CVE-2024-21887",
    }  # fmt: skip
    assert all(f.kev for f in village)
    chiyoda = Finding.objects.unscoped("test").filter(organisation__code="131016")
    assert {"known-vulnerability", "http-directory-listing"} <= set(
        chiyoda.values_list("kind", flat=True)
    )
    alerts = ExposureAlert.objects.unscoped("test")
    assert set(alerts.values_list("organisation__code", "vulnerability_id")) == {
        ("133078", "CVE-2023-46805"), ("133078", "CVE-2024-21887"),
    }  # fmt: skip
    told = set(AlertNotice.objects.unscoped("test").values_list("user__username", flat=True))
    assert told == {"demo-village", "demo-village-ciso", "demo-tokyo"}
    client = Client()
    client.post("/accounts/login/", {"username": "demo-village", "password": DEMO_PASSWORD})
    home = client.get("/").content.decode()
    assert "KEVに該当する機器があります" in home
    assert "Ivanti" in home


def test_the_demo_scans_nothing_unless_loopback_is_allowed(settings: Any) -> None:
    settings.SCAN_ALLOW_PRIVATE = False
    ensure_organisations()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "MAMORU_SCAN_ALLOW_PRIVATE=true" in out.getvalue()
    assert Finding.objects.unscoped("test").count() == 0
