"""The whole flow in Debian's Chromium, with axe-core on every assessment page.

東京都 sends a campaign to 千代田区 and eight other wards; 千代田区's staff answers an
item (saved the moment it is chosen) and the CISO submits; 東京都 returns it with a
comment; it is corrected and submitted again, accepted, and the campaign is closed; the
feedback report shows the ward against its peers, and the summary and dashboards render.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mamoru.assessments.models import Campaign, Framework, Target
from mamoru.assessments.services import submissions_import
from mamoru.assessments.testing import (
    SYSTEM,
    answer,
    load_framework,
    person,
    target_of,
    uniform,
)
from mamoru.assessments.testing import campaign as send
from mamoru.orgs.selectors import organisation_list
from mamoru.testing import CHIYODA, Cast

pytestmark = pytest.mark.browser

COMMENT = "技術的セキュリティの区分に未回答があります。補って再提出してください。"


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_a_campaign_from_sending_to_the_report_in_the_browser(people: Cast, visit: Any) -> None:
    framework: Framework = load_framework()
    wards = sorted(
        organisation_list(prefecture_code="13", kind="special_ward").values_list("code", flat=True)
    )[:9]
    tokyo, editor = visit(people.tokyo), visit(people.chiyoda)
    ciso = visit(person(CHIYODA))

    # 東京都 sends the campaign.
    form = tokyo.check("/assessments/campaigns/new/", "campaign-form")
    form.select_option("#id_framework", str(framework.pk))
    form.fill("#id_title", "都の情報セキュリティ対策調査")
    form.fill("#id_deadline", "2099-03-31T17:00")
    form.fill("#id_organisations", "\n".join(wards))
    form.click("main button[type=submit]")
    expect(form.locator("h1")).to_have_text("都の情報セキュリティ対策調査")
    tokyo.assert_accessible("campaign-detail")
    campaign_path = _path(form.url)
    campaign = Campaign.objects.unscoped("test").get(title="都の情報セキュリティ対策調査")
    others = {}
    for i, code in enumerate(c for c in wards if c != CHIYODA):
        given = uniform(framework, "special_ward", "not_implemented")
        for item in list(given)[: 40 + 6 * i]:
            given[item] = "implemented"
        others[code] = given
    submissions_import(principal=SYSTEM, campaign=campaign, answers=others)

    # 千代田区's staff answers one item: the choice is saved at once.
    editor.check("/assessments/", "campaign-list")
    target: Target = target_of(campaign, CHIYODA)
    editor.check(f"/assessments/targets/{target.pk}/", "target-own")
    section = editor.check(f"/assessments/targets/{target.pk}/sections/organisation/", "section")
    section.check("#item-ORG-01-partial")
    expect(section.locator("#item-ORG-01 .item__saved")).to_contain_text("保存しました")
    editor.assert_accessible("section-saved")
    answers = uniform(framework, "special_ward")
    answers.pop("ORG-01")
    answer(target, {k: v for k, v in answers.items() if not k.startswith("TEC")})

    # The CISO submits; 東京都 returns it with a comment.
    submit = ciso.check(f"/assessments/targets/{target.pk}/submit/", "submit")
    submit.click("main form button[type=submit]")
    expect(submit.locator(".stat__value").first).to_have_text("提出済み")
    review = tokyo.check(f"/assessments/targets/{target.pk}/", "target-review")
    review.check("#id_decision_0")  # 差し戻し
    review.fill("#id_comment", COMMENT)
    review.click("#review-heading ~ form button[type=submit]")
    expect(review.locator(".stat__value").first).to_have_text("差し戻し")
    tokyo.assert_accessible("target-returned")

    # The ward reads the comment, completes its answers and submits again; it is accepted.
    returned = editor.check(f"/assessments/targets/{target.pk}/", "target-returned-own")
    assert COMMENT in returned.inner_text("main")
    answer(target, {k: v for k, v in answers.items() if k.startswith("TEC")})
    again = ciso.check(f"/assessments/targets/{target.pk}/submit/", "submit-again")
    again.click("main form button[type=submit]")
    accept = tokyo.open(f"/assessments/targets/{target.pk}/")
    accept.check("#id_decision_1")  # 確認済み
    accept.click("#review-heading ~ form button[type=submit]")
    expect(accept.locator(".stat__value").first).to_have_text("確認済み")
    tokyo.check(f"{campaign_path}dashboard/", "dashboard")
    tokyo.check(f"{campaign_path}follow-up/", "follow-up")

    # 東京都 closes the campaign; the freeze runs when the close commits.
    close = tokyo.open(campaign_path)
    close.click("#close-heading ~ form button[type=submit]")
    expect(close.locator("main")).to_contain_text("9団体の回答で確定しました")

    # A campaign due in three days shows on the ward's home page, panel and attention.
    soon = send(framework, codes=[CHIYODA], deadline=timezone.now() + timedelta(days=3))
    home = editor.check("/", "home-survey-due")
    expect(home.locator("#survey-due-heading")).to_have_text("回答期限が近い調査があります")
    assert (
        home.locator(f"a[href='/assessments/targets/{target_of(soon, CHIYODA).pk}/']").count() >= 2
    )

    report = editor.check(f"/assessments/targets/{target.pk}/report/", "report")
    text = report.inner_text("main")
    assert "東京都の特別区の中央値" in text
    assert "優先して取り組むこと" in text
    assert report.locator("svg.chart[role=img]").count() == 1
    summary = editor.check(f"/assessments/targets/{target.pk}/summary/", "summary")
    assert "今後重点的に取り組むこと" in summary.inner_text("main")
    editor.check(f"/assessments/targets/{target.pk}/import/", "import")
    editor.check("/assessments/frameworks/", "frameworks")
    editor.check(f"/assessments/frameworks/{framework.pk}/", "framework")
