"""The PPC report items: the form's order, 調査中 for the unknown, and the My Number form."""

from __future__ import annotations

from dataclasses import replace

from mamoru.incidents.content import Phase
from mamoru.incidents.exports import EXPORTERS, ppc_report
from mamoru.incidents.exports.base import NOT_SHARED, UNDER_INVESTIGATION
from mamoru.incidents.exports.testing import RED_CAUSE, content, recipient_view, submission
from mamoru.incidents.routing.codes import SECTIONS
from mamoru.incidents.routing.testing import leak

FORM_LABELS = [
    "概要",
    "漏えい等が発生し、又は発生したおそれがある保有個人情報の項目",
    "漏えい等が発生し、又は発生したおそれがある保有個人情報に係る本人の数",
    "原因",
    "二次被害又はそのおそれの有無及びその内容",
    "本人への対応の実施状況",
    "公表の実施状況",
    "再発防止のための措置",
    "その他参考となる事項",
]


def test_the_items_follow_the_order_of_the_form() -> None:
    report = ppc_report(recipient_view("PPC"))
    assert [item.number for item in report.items] == list(range(1, 10))
    assert [item.label for item in report.items] == FORM_LABELS
    assert report.form.title == "保有個人情報の漏えい等に関する報告"
    assert report.report_kind == "速報（第一報）"


def test_the_named_recipient_of_a_red_section_reads_the_cause() -> None:
    cause = ppc_report(recipient_view("PPC")).items[3]
    assert RED_CAUSE in cause.text
    assert [m.value for m in cause.markings] == ["red", "amber"]


def test_the_people_count_and_the_data_kinds_come_from_the_facts() -> None:
    items = ppc_report(recipient_view("PPC")).items
    assert items[2].text == "1,234人"
    assert "氏名、住所" in items[1].text
    assert "要配慮個人情報を含む" in items[1].text
    assert "財産的被害が生じるおそれ" in items[4].text


def test_unknown_items_read_under_investigation() -> None:
    bare = submission(
        sections={"overview": "調査を開始した。"},
        facts=replace(content().facts, personal_data=leak(people=None, kinds=())),
    )
    items = ppc_report(bare).items
    assert items[2].text == UNDER_INVESTIGATION
    assert items[2].state == "investigating"
    assert items[5].text == UNDER_INVESTIGATION  # 本人への対応
    assert items[0].state == "answered"


def test_a_withheld_item_says_so_and_shows_nothing_of_it() -> None:
    view = recipient_view("MIC", granted=frozenset(SECTIONS) - {"personal_data"})
    items = ppc_report(view).items
    assert (items[1].text, items[1].state) == (NOT_SHARED, "withheld")
    assert (items[2].text, items[2].state) == (NOT_SHARED, "withheld")
    assert "1,234" not in EXPORTERS["ppc"].render([view]).decode()


def test_the_red_cause_is_absent_for_anyone_not_named() -> None:
    report = ppc_report(recipient_view("MIC"))
    assert RED_CAUSE not in report.items[3].text
    assert report.items[3].text.startswith(NOT_SHARED)  # the contractor line stays
    assert report.withheld == ("原因",)


def test_a_my_number_leak_uses_the_specific_personal_information_form() -> None:
    facts = replace(content().facts, personal_data=leak(people=3, my_number=True))
    report = ppc_report(recipient_view("PPC", facts=facts))
    assert report.form.title == "特定個人情報の漏えい等に関する報告"
    assert "第29条の4" in report.form.basis
    assert report.items[1].label.endswith("特定個人情報の項目")
    assert report.items[2].label.endswith("特定個人情報に係る本人の数")


def test_the_final_report_is_a_confirmed_report() -> None:
    assert ppc_report(submission(phase=Phase.FINAL, version=3)).report_kind == "確報"


def test_the_structured_form_is_json_ready_for_the_api() -> None:
    data = ppc_report(recipient_view("PPC")).as_dict()
    assert data["items"][0] == {
        "number": 1,
        "label": "概要",
        "text": data["items"][0]["text"],
        "state": "answered",
        "markings": ["amber"],
    }
    assert data["tlp"] == "amber"


def test_the_text_rendering_has_a_heading_per_item_and_the_withheld_note() -> None:
    text = EXPORTERS["ppc"].render([recipient_view("MIC")]).decode()
    assert text.startswith("# 保有個人情報の漏えい等に関する報告\n")
    for number, label in enumerate(FORM_LABELS, start=1):
        assert f"## {number}. {label}" in text
    assert (
        "## 2. 漏えい等が発生し、又は発生したおそれがある保有個人情報の項目（TLP:AMBER+STRICT）"
        in text
    )
    assert "提出日時: 2025年11月12日 16:30（令和7年11月12日）" in text
    assert "この版では次の項目は共有されていません: 原因" in text
