"""The whole flow in Debian's Chromium, with axe-core on every incident page.

千代田区's staff drafts a report of 101 people's data whose cause is TLP:RED for PPC only;
the CISO approves and submits it; PPC's inbox shows the cause and 東京都's does not; PPC
acknowledges and asks a question; the reporter answers; the CISO submits the 確報.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

from mamoru.incidents.models import Delivery
from mamoru.incidents.testing import add_member
from mamoru.testing import CHIYODA, TOKYO, Cast

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

CAUSE = "委託先のVPN装置の脆弱性を悪用された。"
QUESTION = "本人への通知はいつ行いますか。"
ANSWER = "明日、対象者全員に郵送で通知します。"


def draft_the_report(page: Page) -> None:
    page.fill("#id_title", "窓口端末からの個人情報漏えい")
    page.check("#id_category_2")  # 情報漏えい
    page.fill("#id_text_overview", "窓口端末がマルウェアに感染し、住民情報が外部に送信された。")
    page.fill("#id_aware", "2026-01-05T09:30")
    page.check("#id_personal_involved")
    page.fill("#id_personal_kinds", "氏名、住所、電話番号")
    page.fill("#id_personal_people", "101")
    page.fill("#id_text_cause", CAUSE)
    page.fill("#id_contact_name", "情報政策課 山田")
    page.click("#marking-cause > summary")
    page.select_option("#id_tlp_cause", "red")
    page.check("#marking-cause input[value=PPC]")


def test_from_draft_to_final_report_in_the_browser(people: Cast, visit: Any) -> None:
    ciso_user = add_member("chiyoda_ciso", people.org(CHIYODA))
    editor, ciso = visit(people.chiyoda), visit(ciso_user)
    ppc, tokyo = visit(people.ppc), visit(people.tokyo)

    # The editor's first try lacks the required fields: the summary at the top says so.
    page = editor.check("/incidents/reports/new/", "report-form")
    page.click("button[value=save]")
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary a[href='#id_aware']")).to_have_count(1)
    editor.assert_accessible("report-form-errors")

    draft_the_report(page)
    page.click("button[value=request]")
    expect(page.locator("#report-status")).to_have_text("承認待ち")
    assert "個人情報保護委員会" in page.locator("#preview-heading").locator("..").inner_text()
    editor.assert_accessible("report-detail-draft")
    report_path = re.sub(r"^https?://[^/]+", "", page.url)

    # The CISO approves and submits the 第一報.
    approve = ciso.check(report_path + "approve/", "report-approve")
    approve.click("main button[type=submit]")
    expect(approve.locator("#report-status")).to_have_text("提出済み")
    ciso.assert_accessible("report-detail-submitted")

    # PPC sees the cause; 東京都 does not.
    inbox = ppc.check("/incidents/inbox/", "inbox")
    inbox.click("text=窓口端末からの個人情報漏えい")
    expect(inbox.locator("h1")).to_have_text("窓口端末からの個人情報漏えい")
    assert CAUSE in inbox.inner_text("main")
    ppc.assert_accessible("inbox-item")
    tokyo_delivery = Delivery.objects.get(recipient__code=TOKYO)
    tokyo_page = tokyo.check(f"/incidents/inbox/{tokyo_delivery.pk}/", "inbox-item-tokyo")
    assert CAUSE not in tokyo_page.inner_text("main")
    assert "原因" in tokyo_page.locator("main").inner_text()

    # PPC acknowledges and asks a question; the reporter answers.
    inbox.click("text=受領を確認する")
    expect(inbox.locator("#ack-state")).to_contain_text("確認済み")
    inbox.fill("#thread-body", QUESTION)
    inbox.click("#thread button[type=submit]")
    expect(inbox.locator("#thread .thread")).to_contain_text(QUESTION)
    detail = editor.open(report_path)
    expect(detail.locator("#thread-PPC")).to_contain_text(QUESTION)
    detail.fill("#thread-body-PPC", ANSWER)
    detail.click("#thread-PPC button[type=submit]")
    expect(detail.locator("#thread-PPC .thread")).to_contain_text(ANSWER)
    editor.assert_accessible("report-detail-thread")
    again = ppc.open(inbox.url.split("#")[0].replace(ppc.base_url, ""))
    expect(again.locator("#thread")).to_contain_text(ANSWER)

    # The CISO submits the 確報, which closes the report.
    final = ciso.open(report_path + "approve/")
    final.check("#id_final_1")
    final.click("main button[type=submit]")
    expect(final.locator("#report-status")).to_have_text("完了（確報提出済み）")
    assert Delivery.objects.filter(submission__phase="final").count() >= 3


def test_the_other_incident_pages_pass_axe(people: Cast, visit: Any) -> None:
    from mamoru.incidents import services
    from mamoru.incidents.testing import content_dict, principal

    ciso_user = add_member("chiyoda_ciso", people.org(CHIYODA))
    report = services.report_create(
        principal=principal(people.chiyoda), content=content_dict(people=101)
    )
    services.report_approve_and_submit(report=report, principal=principal(ciso_user))
    visit(people.chiyoda).check("/incidents/reports/", "report-list")
    visit(people.chiyoda, width=390).check(f"/incidents/reports/{report.public_id}/", "phone")
    visit(people.nation).check("/incidents/statistics/", "statistics")
    visit(people.ppc).check("/incidents/notifications/", "notifications")
    visit(people.tokyo).check("/incidents/inbox/", "inbox-tokyo")
    visit(people.chiyoda, language="en").check("/incidents/reports/new/", "report-form-en")
