"""Measure the ransomware case filed by a village's one-person IT department, from its
home page to submission, in screens, clicks, fields, controls seen and page height
(``flowcount``).

檜原村 (133078, 2,003 people, 東京都) finds its file server encrypted with a ransom note.
The staff member reports what they know (the same 13 facts as measured on the
single-page form before the task list, commit c1f2e1a); the CISO approves and submits
it. Two paths: pressing 「保存して次へ」 through every step, and leaving the steps that
a first report may skip with 「保存して確認画面へ」. Set ``MAMORU_MEASURE_FILE`` to
append the figures to that file. The bounds keep the flow from quietly growing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from mamoru.incidents.models import Delivery, IncidentReport
from mamoru.incidents.testing import add_member
from mamoru.incidents.tests.flowcount import Person
from mamoru.orgs.roles import Role
from mamoru.testing import Cast

pytestmark = pytest.mark.browser

VILLAGE = "133078"  # 檜原村


def record(*named: Any) -> None:
    target = os.environ.get("MAMORU_MEASURE_FILE")
    if not target:
        return
    pairs = zip(named[::2], named[1::2], strict=True)
    lines = [
        f"{name}: {person.counts.line()} {person.counts.screens_seen}\n" for name, person in pairs
    ]
    with Path(target).open("a", encoding="utf-8") as out:
        out.writelines(lines)


def file_the_ransomware_case(reporter: Person, *, skip_optional: bool) -> None:
    """From the home page to 「承認を依頼する」, answering what the person knows."""
    reporter.open("/")
    reporter.click("#home-report-incident")
    reporter.click("#start-report")
    reporter.tick("#id_category_0")  # ランサムウェア
    reporter.press("button[data-now=aware]")  # noticed just now
    reporter.click("button[value=next]")
    reporter.type(
        "#id_text_overview", "ファイルサーバーのファイルが暗号化され、脅迫文が表示された。"
    )
    reporter.click("button[value=next]")  # the title made from the kind and the day is kept
    reporter.tick("#id_severity_2")  # 高
    reporter.tick("#id_serious_0")  # 重大: はい
    reporter.click("button[value=next]")
    reporter.tick("input[name=segments][value=lgwan]")
    reporter.click("button[value=next]")
    reporter.tick("input[name=services][value=resident_registry]")
    reporter.click("button[value=next]")
    reporter.tick("#id_involved_0")  # はい（おそれを含む）
    reporter.type("#id_kinds", "氏名、住所、生年月日")
    reporter.click("button[value=next]")
    reporter.click("button[value=next]")  # the personal data's details: nothing applies
    reporter.type("#id_text_actions", "サーバーをネットワークから切り離した。")
    reporter.click("button[value=next]")
    reporter.type("#id_contact_name", "総務課 山田")  # the e-mail is filled in already
    reporter.type("#id_contact_phone", "042-598-1011")
    if skip_optional:
        reporter.click("button[value=check]")
    else:
        for _timeline_others_sharing in range(4):
            reporter.click("button[value=next]")
    reporter.click("#send-for-approval")


@pytest.mark.parametrize("skip_optional", [False, True], ids=["every-step", "skip-optional"])
def test_the_ransomware_case_from_the_village_home_page_to_submission(
    people: Cast, visit: Any, skip_optional: bool
) -> None:
    village = people.org(VILLAGE)
    staff = add_member("hinohara", village, Role.EDITOR)
    ciso = add_member("hinohara_ciso", village, Role.CISO)

    seen = visit(staff)
    reporter = Person(seen.page, seen.base_url)
    file_the_ransomware_case(reporter, skip_optional=skip_optional)
    report = IncidentReport.objects.get(organisation=village)
    assert report.status == "awaiting_approval"
    assert [s["kind"] for s in report.draft["facts"]["services"]] == ["resident_registry"]
    assert report.draft["contact"]["phone"] == "042-598-1011"

    seen = visit(ciso)
    approver = Person(seen.page, seen.base_url)
    approver.open("/")
    approver.click("main .notice >> text=承認する報告を開く")
    approver.click("#approve-form button[type=submit]")
    report.refresh_from_db()
    assert report.status == "submitted"
    assert Delivery.objects.filter(report=report, recipient__code="PPC").exists()
    record(f"reporter ({'skip' if skip_optional else 'every'})", reporter, "approver", approver)
    # Bounds: the figures of the closing note, with a little room.
    assert reporter.counts.fields <= 13
    assert reporter.counts.tallest < 5000  # the check page; the single-page form: 11,000
    # No screen asks much at once: the single-page form showed 89 controls on one screen.
    assert max(controls for _path, controls, _px in reporter.counts.screens_seen) <= 25
    assert approver.counts.clicks <= 2
