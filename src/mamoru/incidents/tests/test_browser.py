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


def next_step(page: Page) -> None:
    page.click("button[value=next]")
    page.wait_for_load_state("load")


def draft_the_report(page: Page) -> None:
    """Every step in turn, as the 次へ button leads (the first one is already open)."""
    page.check("#id_category_2")  # 情報漏えい
    page.click("button[data-now=aware]")  # the script fills in the moment, in Japan time
    assert page.input_value("#id_aware_date") != ""
    page.fill("#id_aware_date", "2026-01-05")
    page.fill("#id_aware_time", "09:30")
    next_step(page)
    page.fill("#id_title", "窓口端末からの個人情報漏えい")
    page.fill("#id_text_overview", "窓口端末がマルウェアに感染し、住民情報が外部に送信された。")
    # htmx saves as the person types (no inline script: the CSP would refuse it).
    expect(page.locator("#autosave-status")).to_contain_text("自動保存しました", timeout=10000)
    next_step(page)
    for _severity_systems_services in range(3):
        next_step(page)
    page.check("#id_involved_0")
    page.fill("#id_kinds", "氏名、住所、電話番号")
    page.fill("#id_people", "101")
    next_step(page)
    next_step(page)  # the details of the personal data: nothing to tick
    page.fill("#id_text_cause", CAUSE)
    next_step(page)
    page.fill("#id_contact_name", "情報政策課 山田")
    next_step(page)
    next_step(page)  # the other moments
    next_step(page)  # announcement, police, contractor
    page.click("#marking-cause > summary")
    page.select_option("#id_tlp_cause", "red")
    page.check("#marking-cause input[value=PPC]")
    next_step(page)  # the last step leads to the check page


def test_from_draft_to_final_report_in_the_browser(people: Cast, visit: Any) -> None:
    ciso_user = add_member("chiyoda_ciso", people.org(CHIYODA))
    editor, ciso = visit(people.chiyoda), visit(ciso_user)
    ppc, tokyo = visit(people.ppc), visit(people.tokyo)

    # The editor's first try lacks the required answers: the summary at the top says so.
    page = editor.check("/incidents/reports/new/", "report-step-first")
    page.click("button[value=next]")
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary a[href='#id_category_0']")).to_have_count(1)
    editor.assert_accessible("report-step-errors")

    draft_the_report(page)
    expect(page.locator("h1")).to_have_text("内容を確認して、承認を依頼してください")
    assert "個人情報保護委員会" in page.locator("#preview-heading").locator("..").inner_text()
    editor.assert_accessible("report-check")
    page.click("#send-for-approval")
    expect(page.locator("#report-status")).to_have_text("承認待ち")
    editor.assert_accessible("report-detail-draft")
    report_path = re.sub(r"^https?://[^/]+", "", page.url)

    # The CISO approves and submits the 第一報, and sees what went where.
    approve = ciso.check(report_path + "approve/", "report-approve")
    approve.click("#approve-form button[type=submit]")
    expect(approve.locator("#sent-heading")).to_contain_text("提出しました")
    ciso.assert_accessible("report-sent")
    detail = ciso.open(report_path)
    expect(detail.locator("#report-status")).to_have_text("提出済み")
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
    final.click("#approve-form button[type=submit]")
    expect(final.locator("#sent-heading")).to_contain_text("確報")
    expect(ciso.open(report_path).locator("#report-status")).to_have_text("完了（確報提出済み）")
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
    visit(people.chiyoda).check("/incidents/start/", "start")
    visit(people.chiyoda).check(f"/incidents/reports/{report.public_id}/tasks/", "tasks")
    visit(people.chiyoda).check(f"/incidents/reports/{report.public_id}/sent/", "sent")
    visit(people.chiyoda).check("/incidents/approvers/", "approvers")
    visit(people.nation).check("/incidents/statistics/", "statistics")
    visit(people.ppc).check("/incidents/notifications/", "notifications")
    visit(people.tokyo).check("/incidents/inbox/", "inbox-tokyo")
    english = visit(people.chiyoda, language="en")
    english.check("/incidents/reports/new/", "report-form-en")
    english.check(f"/incidents/reports/{report.public_id}/check/", "report-check-en")
    english.check(f"/incidents/reports/{report.public_id}/", "report-detail-en")
    for step in ("sharing", "personal", "others", "timeline"):
        visit(people.chiyoda).check(f"/incidents/reports/{report.public_id}/steps/{step}/", step)
    changed = content_dict(people=250)
    changed["sections"]["actions"] = "全職員のパスワードを変更した。"
    services.report_update_draft(
        report=report, principal=principal(people.chiyoda), content=changed
    )
    services.report_approve_and_submit(report=report, principal=principal(ciso_user))
    compare = visit(people.chiyoda).check(
        f"/incidents/reports/{report.public_id}/compare/?from_version=1&to_version=2", "compare"
    )
    expect(compare.locator("main")).to_contain_text("全職員のパスワードを変更した。")


PHONE_PAGES = (
    "/incidents/start/",
    "/incidents/reports/",
    "/incidents/reports/new/",
    "/incidents/reports/{id}/",
    "/incidents/reports/{id}/tasks/",
    "/incidents/reports/{id}/steps/timeline/",
    "/incidents/reports/{id}/steps/sharing/",
    "/incidents/reports/{id}/check/",
    "/incidents/reports/{id}/sent/",
)


def test_no_incident_page_scrolls_sideways_on_a_390px_phone(people: Cast, visit: Any) -> None:
    from mamoru.incidents import services
    from mamoru.incidents.testing import content_dict, principal

    ciso_user = add_member("chiyoda_ciso", people.org(CHIYODA))
    report = services.report_create(
        principal=principal(people.chiyoda), content=content_dict(people=101)
    )
    services.report_approve_and_submit(report=report, principal=principal(ciso_user))
    phone = visit(people.chiyoda, width=390)
    for path in PHONE_PAGES:
        name = "phone-" + path.strip("/").replace("/", "-").replace("{id}", "report")
        page = phone.check(path.format(id=report.public_id), name)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide"
