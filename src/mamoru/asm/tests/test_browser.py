"""The attack-surface pages in Debian's Chromium: axe-core on every page, and each role
reaches its pages from its home page by clicking.

The data is real: 千代田区's lab is scanned, and a KEV import alerts it and 東京都.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from mamoru.asm import services
from mamoru.asm.models import ExposureAlert, Finding, Scan
from mamoru.asm.testing import approved_asset, kev_catalogue, load_vulnerabilities, principal
from mamoru.asm.tests.loopback import Lab
from mamoru.testing import CHIYODA, Cast
from mamoru.vulns.services import feed_import

pytestmark = pytest.mark.browser


@pytest.fixture
def exposed(people: Cast, lab: Lab, tmp_path: Path) -> dict[str, Any]:
    """千代田区 scanned (the scan runs as it is queued: a real transaction) and alerted."""
    load_vulnerabilities()
    chiyoda = principal(people.chiyoda, CHIYODA)
    approved_asset(chiyoda.organisation, lab.ip, ports=lab.port_list)
    services.asset_create(
        principal=principal(people.nation), organisation=chiyoda.organisation,
        kind="domain", value="city.example.jp",
    )  # fmt: skip
    scan = services.scan_request(principal=chiyoda, organisation=chiyoda.organisation)
    path = tmp_path / "kev.json"
    path.write_text(json.dumps(kev_catalogue("CVE-2024-6387", due="2024-07-01")), "utf-8")
    feed_import(source="kev", path=path)
    services.national_rollup_refresh()
    campaign = services.campaign_start(principal=principal(people.nation), name="東京都の診断",
                                       prefecture_code="13")  # fmt: skip
    return {
        "scan": Scan.objects.unscoped("test").get(pk=scan.pk),
        "finding": Finding.objects.unscoped("test").get(vulnerability_id="CVE-2024-6387"),
        "asset": chiyoda.organisation.asm_assets.first(),
        "alert": ExposureAlert.objects.unscoped("test").get(),
        "campaign": campaign,
    }


def test_every_attack_surface_page_passes_axe(
    people: Cast, visit: Any, exposed: dict[str, Any]
) -> None:
    # Everyone signs in before any page is served: SQLite's shared test database refuses a
    # session write while the live server's thread holds a lock.
    chiyoda, tokyo, nation = visit(people.chiyoda), visit(people.tokyo), visit(people.nation)
    phone = visit(people.chiyoda, width=390)
    english = visit(people.chiyoda, language="en")
    for path, name in [
        (f"/asm/o/{CHIYODA}/", "asm-overview"),
        (f"/asm/o/{CHIYODA}/findings/", "asm-findings"),
        (f"/asm/findings/{exposed['finding'].pk}/", "asm-finding"),
        (f"/asm/o/{CHIYODA}/assets/", "asm-assets"),
        (f"/asm/assets/{exposed['asset'].pk}/", "asm-asset"),
        (f"/asm/o/{CHIYODA}/services/", "asm-services"),
        (f"/asm/o/{CHIYODA}/scans/", "asm-scans"),
        (f"/asm/scans/{exposed['scan'].pk}/", "asm-scan"),
        ("/asm/alerts/", "asm-alerts"),
        (f"/asm/alerts/{exposed['alert'].pk}/", "asm-alert"),
    ]:
        chiyoda.check(path, name)
    tokyo.check("/asm/prefecture/", "asm-prefecture")
    tokyo.check("/asm/prefecture/overdue/", "asm-overdue")
    nation.check("/asm/nation/", "asm-nation")
    nation.check("/asm/campaigns/", "asm-campaigns")
    nation.check(f"/asm/campaigns/{exposed['campaign'].pk}/", "asm-campaign")
    phone.check(f"/asm/findings/{exposed['finding'].pk}/", "asm-phone")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    english.check(f"/asm/o/{CHIYODA}/", "asm-overview-en")


def test_each_role_reaches_its_pages_from_home_by_clicking(
    people: Cast, visit: Any, exposed: dict[str, Any]
) -> None:
    chiyoda, tokyo_visitor, nation_visitor = (
        visit(people.chiyoda),
        visit(people.tokyo),
        visit(people.nation),
    )
    page = chiyoda.open("/")
    page.click("text=KEVに該当する機器があります")
    expect(page.locator("#finding-status")).to_be_visible()
    page.click(".site-nav >> text=診断と監視")  # the menu's group opens
    page.click(".site-nav >> text=公開機器の診断")
    page.click(".asm-tabs >> text=資産")
    expect(page.locator("h1")).to_have_text("資産と診断の範囲")
    page.click(".asm-tabs >> text=検出結果")
    page.select_option("#id_status", "all")  # htmx swaps the table in place
    expect(page.locator("#findings-table caption")).to_contain_text("件")

    tokyo = tokyo_visitor.open("/")
    tokyo.click(".site-nav >> text=診断と監視")  # the menu's group opens
    tokyo.click(".site-nav >> text=域内の露出状況")
    tokyo.click("#prefecture-table >> text=千代田区")
    expect(tokyo.locator(".page-header__eyebrow")).to_have_text("千代田区")
    tokyo.go_back()
    tokyo.go_back()
    tokyo.click("text=確認していない露出の警告があります")
    expect(tokyo.locator("h1")).to_contain_text("CVE-2024-6387")

    nation = nation_visitor.open("/")
    nation.click(".site-nav >> text=診断と監視")
    nation.click(".site-nav >> text=全国の露出状況")
    nation.click("text=都道府県ごとの進み具合")
    expect(nation.locator("h1")).to_have_text("東京都の診断")
    nation.go_back()
    nation.click("table >> text=東京都")
    expect(nation.locator("h1")).to_have_text("域内の露出状況")
