"""Advisories in Debian's Chromium with axe-core on every page: the nation writes one,
a municipality reads and answers it, the nation reads the answers per prefecture, and a
municipality shares a phishing mail back."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from mamoru.advisories.models import Advisory, AdvisoryDelivery, ShareBack
from mamoru.testing import CHIYODA, HACHIOJI, Cast

pytestmark = pytest.mark.browser


def test_an_advisory_from_the_form_to_the_answers(people: Cast, visit: Any) -> None:
    nation = visit(people.nation)
    page = nation.check(reverse("advisories:advisory_create"), "advisory-form")
    page.fill("#id_title", "メールサーバの脆弱性への注意喚起")
    page.fill("#id_summary", "**至急**確認してください。")
    page.fill("#id_actions_first", "バージョンを確認する")
    page.fill("#id_products", "exim:exim <4.98")
    page.fill("#id_cves", "CVE-2024-39929")
    page.check("input[name=audience][value=list]")
    page.fill("#id_codes", f"{CHIYODA} {HACHIOJI}")
    page.get_by_role("button", name="発出する").click()
    expect(page.locator("h1")).to_have_text("メールサーバの脆弱性への注意喚起")
    nation.assert_accessible("advisory-detail-sender")
    advisory = Advisory.objects.get(title="メールサーバの脆弱性への注意喚起")

    chiyoda = visit(people.chiyoda)
    listed = chiyoda.check(reverse("advisories:advisories"), "advisory-list")
    listed.get_by_role("link", name=advisory.title).click()
    expect(listed.locator(".markdown strong").first).to_have_text("至急")
    chiyoda.assert_accessible("advisory-detail")
    listed.check("input[name=answer][value=affected]")
    listed.get_by_role("button", name="回答する").click()
    expect(listed.locator(".message--success")).to_be_visible()
    assert (
        AdvisoryDelivery.objects.get(advisory=advisory, organisation__code=CHIYODA).answer
        == "affected"
    )

    state = nation.check(
        reverse("advisories:advisory_state", args=[advisory.public_id]), "advisory-state"
    )
    expect(state.locator("#state-table tbody tr")).to_have_count(1)
    assert "東京都" in state.locator("#state-table").inner_text()


def test_sharing_a_phishing_mail_back(people: Cast, visit: Any) -> None:
    chiyoda = visit(people.chiyoda)
    page = chiyoda.check(reverse("advisories:share_create"), "share-form")
    page.check("input[name=kind][value=phishing]")
    page.fill("#id_title", "請求書を装うメール")
    page.fill("#id_body", "開かずに削除した。")
    page.fill("#id_indicators", "invoice@example.net")
    page.get_by_role("button", name="共有する").click()
    expect(page.locator("h1")).to_have_text("請求書を装うメール")
    chiyoda.assert_accessible("share-detail")
    share = ShareBack.objects.get(title="請求書を装うメール")
    tokyo = visit(people.tokyo)
    tokyo.check(reverse("advisories:shares"), "share-list")
    assert share.title in tokyo.page.locator("table").inner_text()
