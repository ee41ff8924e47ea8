"""Measure the ransomware case filed by a village's one-person IT department, from its
home page to submission, in screens, clicks and fields (``flowcount``).

檜原村 (133078, 2,003 people, 東京都) finds its file server encrypted with a ransom note:
the staff member reports it, the CISO approves and submits it. Set
``MAMORU_MEASURE_FILE`` to append the figures to that file.
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
    lines = [f"{name}: {person.counts.line()} {person.counts.pages}\n" for name, person in pairs]
    with Path(target).open("a", encoding="utf-8") as out:
        out.writelines(lines)


def test_the_ransomware_case_from_the_village_home_page_to_submission(
    people: Cast, visit: Any
) -> None:
    village = people.org(VILLAGE)
    staff = add_member("hinohara", village, Role.EDITOR)
    ciso = add_member("hinohara_ciso", village, Role.CISO)

    seen = visit(staff)
    reporter = Person(seen.page, seen.base_url)
    reporter.open("/")
    reporter.click("main >> text=インシデントを報告する")
    reporter.type("#id_title", "庁内ファイルサーバーのランサムウェア感染")
    reporter.tick("#id_category_0")  # ランサムウェア
    reporter.type(
        "#id_text_overview", "ファイルサーバーのファイルが暗号化され、脅迫文が表示された。"
    )
    reporter.tick("#id_severity_2")  # 高
    reporter.tick("#id_serious")
    reporter.type("#id_aware", "2026-01-05T09:30")
    reporter.tick("input[name=segments][value=lgwan]")
    reporter.tick("input[name=services][value=resident_registry]")
    reporter.tick("#id_personal_involved")
    reporter.type("#id_personal_kinds", "氏名、住所、生年月日")
    reporter.type("#id_text_actions", "サーバーをネットワークから切り離した。")
    reporter.type("#id_contact_name", "総務課 山田")
    reporter.type("#id_contact_phone", "042-598-1011")
    reporter.click("button[value=request]")
    report = IncidentReport.objects.get(organisation=village)
    assert report.status == "awaiting_approval"

    seen = visit(ciso)
    approver = Person(seen.page, seen.base_url)
    approver.open("/")
    approver.click("main .notice >> text=承認する報告を開く")
    approver.click("main button[type=submit]")
    report.refresh_from_db()
    assert report.status == "submitted"
    assert Delivery.objects.filter(report=report, recipient__code="PPC").exists()
    record("reporter", reporter, "approver", approver)
