"""The common ransomware/DDoS form: chosen by the shared category, cut to its recipient."""

from __future__ import annotations

import pytest

from mamoru.incidents.exports import EXPORTERS, ExportError, common_form_items
from mamoru.incidents.exports.base import NOT_SHARED
from mamoru.incidents.exports.testing import RED_CAUSE, recipient_view
from mamoru.incidents.routing import Category
from mamoru.incidents.routing.codes import SECTIONS
from mamoru.incidents.routing.testing import make_facts


def test_a_ransomware_report_fills_the_ransomware_form() -> None:
    title, items = common_form_items(recipient_view("PPC"))
    assert title == "ランサムウェア事案共通様式"
    labels = [item.label for item in items]
    assert labels[:4] == ["報告の区分", "被害組織", "連絡先", "事案の種別"]
    by_label = {item.label: item.text for item in items}
    assert "ランサムノート" in by_label["攻撃の技術情報"]
    assert RED_CAUSE in by_label["攻撃の技術情報"]
    assert "本人の数: 1,234人" in by_label["個人情報の漏えい等（おそれを含む）"]
    assert by_label["警察への相談"].startswith("相談済み")


def test_a_ddos_report_fills_the_ddos_form() -> None:
    facts = make_facts(category=Category.DDOS)
    title, items = common_form_items(recipient_view("NPA", facts=facts))
    assert title == "DDoS攻撃事案共通様式"
    technical = next(item.text for item in items if item.label == "攻撃の技術情報")
    assert "通信量" in technical
    assert "なし（現時点で確認されていない）" in [item.text for item in items]


def test_other_incidents_have_no_common_form() -> None:
    view = recipient_view("MIC", facts=make_facts(category=Category.MISDELIVERY))
    with pytest.raises(ExportError, match="ランサムウェア事案とDDoS攻撃事案"):
        EXPORTERS["common"].render([view])


def test_without_the_category_the_form_cannot_be_chosen() -> None:
    view = recipient_view("MIC", frozenset(SECTIONS) - {"category"})
    with pytest.raises(ExportError, match="共有されていません"):
        common_form_items(view)


def test_withheld_sections_say_so_and_show_nothing() -> None:
    granted = frozenset({"overview", "category", "timeline", "contact"})
    text = EXPORTERS["common"].render([recipient_view("NPA", granted)]).decode()
    assert "1,234人" not in text
    assert "VPN装置" not in text
    assert NOT_SHARED in text
    assert "この版では次の項目は共有されていません" in text


def test_a_red_item_carries_its_own_marking() -> None:
    text = EXPORTERS["common"].render([recipient_view("PPC")]).decode()
    assert "## 9. 攻撃の技術情報（TLP:RED）" in text
    assert text.startswith("# ランサムウェア事案共通様式")
