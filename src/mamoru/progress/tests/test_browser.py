"""The progress flows in Debian's Chromium, with axe-core on every page: a municipality
saves its month as it goes (htmx) and submits; the prefecture reads the heat map and
asks about a delay; the nation reads the national dashboard and sends a notice the
municipality confirms; a question is asked and the FAQ searched."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from mamoru.progress import services
from mamoru.progress.lateness import add_months, month_of
from mamoru.progress.models import ItemReport, MonthlyReport, ReportStatus
from mamoru.progress.testing import make_campaign, principal, submit_month
from mamoru.testing import CHIYODA, HACHIOJI, TOKYO, Cast

pytestmark = pytest.mark.browser


@pytest.fixture
def campaign(people: Cast) -> Any:
    this_month = month_of(date.today())
    campaign = make_campaign(codes=[CHIYODA, HACHIOJI, TOKYO], start=add_months(this_month, -6))
    submit_month(campaign, HACHIOJI, add_months(this_month, -1), dict.fromkeys(["01", "02"], 3))
    submit_month(campaign, CHIYODA, add_months(this_month, -1), dict.fromkeys(["01", "02"], 5))
    services.campaign_rollups_refresh(campaign=campaign)
    return campaign


def test_a_municipality_reports_and_the_prefecture_and_nation_watch(
    people: Cast, visit: Any, campaign: Any
) -> None:
    month = month_of(date.today())
    chiyoda = visit(people.chiyoda)
    page = chiyoda.check(
        reverse("progress:report", args=[campaign.key, CHIYODA, month]), "progress-report-form"
    )
    page.select_option("#id_step-01", "7")
    expect(page.locator("#save-status")).to_contain_text("下書きを保存しました")
    saved = MonthlyReport.objects.get(organisation__code=CHIYODA, month=month)
    assert ItemReport.objects.get(report=saved, item__code="01").step == 7
    page.get_by_role(
        "button", name="提出する", exact=True
    ).click()  # refused: the late items have no reason yet
    expect(page.locator(".message--error")).to_contain_text("遅れの理由を選んでください")
    # the autosave answers before the person clicks again (the live server shares one
    # in-memory SQLite connection between its threads, so overlapping requests collide)
    with page.expect_response(lambda r: r.request.method == "POST"):
        for select in page.locator("select[name^=reason-]").all():
            select.select_option("vendor")
    page.get_by_role("button", name="下書きを保存").click()
    page.get_by_role("button", name="提出する", exact=True).click()
    expect(page.locator(".message--success")).to_contain_text("報告を提出しました")
    saved.refresh_from_db()
    assert saved.status == ReportStatus.SUBMITTED
    chiyoda.check(
        reverse("progress:organisation", args=[campaign.key, CHIYODA]), "progress-organisation"
    )

    services.campaign_rollups_refresh(campaign=campaign)
    tokyo = visit(people.tokyo)
    heat = tokyo.check(
        reverse("progress:prefecture", args=[campaign.key, TOKYO]), "progress-prefecture"
    )
    expect(heat.locator("#heat-map tbody tr")).to_have_count(3)
    heat.get_by_role("link", name="団体", exact=True).click()
    expect(heat.locator("#heat-map thead th[aria-sort=ascending]")).to_have_count(1)
    page = tokyo.open(reverse("progress:organisation", args=[campaign.key, HACHIOJI]))
    page.check("input[name=kind][value=asked]")
    page.fill("#id_text", "遅れの見通しを教えてください")
    page.get_by_role("button", name="記録する").click()
    expect(page.locator(".message--success")).to_be_visible()
    tokyo.assert_accessible("progress-follow-up")

    nation = visit(people.nation)
    board = nation.check(reverse("progress:national", args=[campaign.key]), "progress-national")
    expect(board.locator("#prefectures-table tbody tr")).to_have_count(1)


def test_a_notice_is_sent_confirmed_and_a_question_finds_the_faq(people: Cast, visit: Any) -> None:
    nation = visit(people.nation)
    page = nation.check(reverse("progress:notice_create"), "progress-notice-form")
    page.fill("#id_title", "説明会のお知らせ")
    page.fill("#id_body", "## 日時\n\n来月10日です。")
    page.check("input[name=audience][value=list]")
    page.fill("#id_codes", CHIYODA)
    page.get_by_role("button", name="発出する").click()
    expect(page.locator("h1")).to_have_text("説明会のお知らせ")
    nation.assert_accessible("progress-notice")

    chiyoda = visit(people.chiyoda)
    listed = chiyoda.check(reverse("progress:notices"), "progress-notices")
    listed.get_by_role("link", name="説明会のお知らせ").click()
    expect(listed.locator(".markdown h4")).to_have_text("日時")  # "##" under the page h1/h2
    listed.get_by_role("button", name="内容を確認しました").click()
    expect(listed.locator(".notice--success")).to_be_visible()

    services.faq_publish(
        principal=principal(people.nation),
        title="ランサムウェアに感染したときの初動",
        body="初動の質問",
        answer="切り離す",
        category="security",
    )
    faq = chiyoda.check(reverse("progress:faq") + "?q=ランサム", "progress-faq")
    expect(faq.locator(".faq-list__item")).to_have_count(1)
    ask = chiyoda.check(reverse("progress:question_create"), "progress-question-form")
    ask.fill("#id_title", "補助金について")
    ask.fill("#id_body", "対象経費を教えてください。")
    ask.get_by_role("button", name="送信する").click()
    expect(ask.locator("h1")).to_have_text("補助金について")
    chiyoda.assert_accessible("progress-question")
