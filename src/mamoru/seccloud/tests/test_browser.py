"""The security cloud in Debian's Chromium, with axe-core on every page: 東京都 reads its
dashboard, works an alert from open to closed, looks at the ingest and the settings;
千代田区 reads its own figures and monthly report; the nation reads the rollup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from mamoru.orgs.principal import System
from mamoru.seccloud import services
from mamoru.seccloud.models import Alert, AlertStatus
from mamoru.seccloud.testing import MONTH, GeneratedMonth
from mamoru.testing import CHIYODA, TOKYO, Cast

pytestmark = pytest.mark.browser


@pytest.fixture
def month_in(people: Cast, tokyo_month: GeneratedMonth, shared_root: Path) -> Iterator[Alert]:
    """The generated month ingested for 東京都; a high-severity alert of 千代田区."""
    system = System("test")
    tokyo = people.org(TOKYO)
    with override_settings(MAMORU_SECCLOUD_DATA_ROOT=shared_root):
        services.ranges_import(
            principal=system, data=(tokyo_month.root / "ranges.csv").read_bytes()
        )
        services.ingest_files(principal=system, prefecture=tokyo, paths=tokyo_month.logs.files)
        services.figures_compute(principal=system, prefecture=tokyo, month=tokyo_month.first_day)
        alert = (
            Alert.objects.unscoped("test")
            .filter(organisation__code=CHIYODA, severity_id__gte=4)
            .first()
        )
        assert alert is not None
        yield alert


def test_the_prefecture_works_an_alert_and_everyone_reads_their_view(
    people: Cast, visit: Any, month_in: Alert
) -> None:
    tokyo = visit(people.tokyo)
    page = tokyo.check(reverse("seccloud:prefecture", args=[TOKYO]), "seccloud-prefecture")
    expect(page.locator("#device-health")).to_contain_text("FGT-")
    tokyo.check(reverse("web:home"), "seccloud-home-attention")
    expect(tokyo.page.get_by_text("重大度「高」以上の未対応アラートがあります")).to_be_visible()
    page = tokyo.check(reverse("seccloud:alert", args=[month_in.pk]), "seccloud-alert")
    page.get_by_role("button", name="確認済みにする").click()
    expect(page.locator(".message--success")).to_contain_text("確認済みにしました")
    page.get_by_label("対応の記録（何を確認し、どう対処したか）").fill("送信元を遮断し、端末を確認")
    page.get_by_role("button", name="対応を完了にする").click()
    expect(page.locator(".message--success")).to_contain_text("対応を完了にしました")
    tokyo.assert_accessible("seccloud-alert-closed")
    month_in.refresh_from_db()
    assert month_in.status == AlertStatus.CLOSED
    tokyo.check(reverse("seccloud:ingest", args=[TOKYO]), "seccloud-ingest")
    tokyo.check(reverse("seccloud:settings", args=[TOKYO]), "seccloud-settings")

    chiyoda = visit(people.chiyoda)
    page = chiyoda.check(
        reverse("seccloud:organisation", args=[CHIYODA]) + f"?month={MONTH}",
        "seccloud-organisation",
    )
    expect(page.locator("h1")).to_contain_text("千代田区")
    page = chiyoda.check(reverse("seccloud:report", args=[CHIYODA, MONTH]), "seccloud-report")
    expect(page.get_by_text("千代田区へのインターネットからの不正な通信のうち")).to_be_visible()

    nation = visit(people.nation)
    page = nation.check(reverse("seccloud:national") + f"?month={MONTH}", "seccloud-national")
    expect(page.locator("#national")).to_contain_text("東京都")
