"""The shipped frameworks: NIST CSF 2.0 exactly as published (6 functions, 22 categories,
106 subcategories) and the local-government measures framework (chapters, priorities,
mappings)."""

from __future__ import annotations

import re
from collections import Counter

from mamoru.assessments.library import (
    CSF_URN,
    SIZE_CLASSES,
    default_catalogue,
    shipped_framework,
    shipped_frameworks,
)

LG_URN = "urn:mamoru:framework:lg-measures:2026"

# NIST CSWP 29 (2024-02-26): every category and the numbers of its subcategories. CSF 2.0
# keeps the gaps left by withdrawn outcomes (there is no ID.AM-06, DE.AE-01…).
CSF_2_0: dict[str, tuple[int, ...]] = {
    "GV.OC": (1, 2, 3, 4, 5),
    "GV.RM": (1, 2, 3, 4, 5, 6, 7),
    "GV.RR": (1, 2, 3, 4),
    "GV.PO": (1, 2),
    "GV.OV": (1, 2, 3),
    "GV.SC": (1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
    "ID.AM": (1, 2, 3, 4, 5, 7, 8),
    "ID.RA": (1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
    "ID.IM": (1, 2, 3, 4),
    "PR.AA": (1, 2, 3, 4, 5, 6),
    "PR.AT": (1, 2),
    "PR.DS": (1, 2, 10, 11),
    "PR.PS": (1, 2, 3, 4, 5, 6),
    "PR.IR": (1, 2, 3, 4),
    "DE.CM": (1, 2, 3, 6, 9),
    "DE.AE": (2, 3, 4, 6, 7, 8),
    "RS.MA": (1, 2, 3, 4, 5),
    "RS.AN": (3, 6, 7, 8),
    "RS.CO": (2, 3),
    "RS.MI": (1, 2),
    "RC.RP": (1, 2, 3, 4, 5, 6),
    "RC.CO": (3, 4),
}


def test_csf_2_0_has_6_functions_22_categories_and_106_subcategories() -> None:
    csf = shipped_framework(CSF_URN)
    functions = csf.sections
    categories = [c for f in functions for c in f.sections]
    assert [f.id for f in functions] == ["GV", "ID", "PR", "DE", "RS", "RC"]
    assert len(categories) == 22
    assert len(csf.items) == 106
    assert Counter(c.id[:2] for c in categories) == {
        "GV": 6,
        "ID": 3,
        "PR": 5,
        "DE": 2,
        "RS": 4,
        "RC": 2,
    }


def test_csf_2_0_ids_are_exactly_those_of_the_publication() -> None:
    csf = shipped_framework(CSF_URN)
    expected = {f"{cat}-{n:02d}" for cat, numbers in CSF_2_0.items() for n in numbers}
    assert len(expected) == 106
    assert {item.id for item in csf.items} == expected
    for function in csf.sections:
        for category in function.sections:
            assert category.id.startswith(function.id + ".")
            for item in category.items:
                assert re.fullmatch(rf"{re.escape(category.id)}-\d{{2}}", item.id)
                assert item.csf == (item.id,)


def test_csf_statements_are_nist_english_with_japanese_of_our_own() -> None:
    csf = shipped_framework(CSF_URN)
    first = csf.item("GV.OC-01")
    assert first.question.en == (
        "The organizational mission is understood and informs cybersecurity risk management."
    )
    assert csf.item("RS.MI-02").question.en == "Incidents are eradicated."
    for item in csf.items:
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", item.question.ja), item.id
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", item.help.ja), item.id
        assert item.help.en


def test_the_catalogue_resolves_ids_of_every_precision() -> None:
    catalogue = default_catalogue()
    assert len(catalogue.functions) == 6
    assert len(catalogue.categories) == 22
    assert len(catalogue.subcategories) == 106
    ref = catalogue.resolve("GV.OC-01")
    assert (ref.function, ref.category, ref.subcategory) == ("GV", "GV.OC", "GV.OC-01")
    ref = catalogue.resolve("PR.AA")
    assert (ref.function, ref.category, ref.subcategory) == ("PR", "PR.AA", None)
    assert catalogue.resolve("RC").category is None
    assert "ID.AM-06" not in catalogue
    assert catalogue.label("PR.AA").ja == "識別情報の管理・認証・アクセス制御"
    assert catalogue.categories_of("RS") == ("RS.MA", "RS.AN", "RS.CO", "RS.MI")


def test_the_lg_framework_has_at_least_80_items_in_the_guideline_chapters() -> None:
    lg = shipped_framework(LG_URN)
    assert len(lg.items) >= 80
    titles = {chapter.id: chapter.title.ja for chapter in lg.chapters}
    assert titles == {
        "1": "組織体制",
        "2": "情報資産の分類と管理",
        "3": "情報システム全体の強靭性の向上（三層の対策）",
        "4": "物理的セキュリティ",
        "5": "人的セキュリティ",
        "6": "技術的セキュリティ",
        "7": "運用",
        "8": "業務委託と外部サービスの利用",
        "9": "評価・見直し",
    }
    per_chapter = Counter(item.guideline.chapter for item in lg.items if item.guideline)
    assert set(per_chapter) == set(titles)
    assert min(per_chapter.values()) >= 5


def test_every_lg_item_is_mapped_to_csf_and_a_chapter_and_says_what_to_do() -> None:
    lg = shipped_framework(LG_URN)
    catalogue = default_catalogue()
    functions = set()
    for item in lg.items:
        assert item.guideline is not None
        assert item.csf
        assert all(csf_id in catalogue for csf_id in item.csf)
        functions |= {catalogue.resolve(csf_id).function for csf_id in item.csf}
        assert item.next_step is not None
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", item.help.ja)
        assert item.level in (1, 2, 3)
        assert item.size_classes <= set(SIZE_CLASSES)
    assert functions == {"GV", "ID", "PR", "DE", "RS", "RC"}


def test_the_policy_priorities_are_all_asked() -> None:
    lg = shipped_framework(LG_URN)
    priorities = {
        "ORG-01": ("244条の6", "GV.PO-01"),  # the cybersecurity policy of the Local Autonomy Act
        "ORG-03": ("CISO", "GV.RR-01"),
        "ORG-05": ("CSIRT", "GV.RR-02"),
        "OPS-04": ("インシデント対応計画", "ID.IM-04"),
        "OPS-06": ("ICT-BCP", "ID.IM-04"),
        "HUM-02": ("研修", "PR.AT-01"),
        "REV-01": ("監査", "GV.OV-03"),
        "TEC-22": ("侵入テスト", "ID.RA-01"),
        "TEC-10": ("多要素認証", "PR.AA-03"),
        "RES-02": ("多要素認証", "PR.AA-03"),
        "TEC-01": ("オフライン", "PR.DS-11"),
        "TEC-18": ("VPN", "PR.PS-02"),
        "SUP-01": ("委託契約", "GV.SC-05"),
        "SUP-06": ("委託先", "GV.SC-02"),
    }
    for item_id, (word, csf_id) in priorities.items():
        item = lg.item(item_id)
        assert word in item.question.ja, item_id
        assert csf_id in item.csf, item_id
    baseline = {
        "ORG-01",
        "ORG-03",
        "ORG-05",
        "OPS-04",
        "OPS-06",
        "TEC-01",
        "TEC-10",
        "TEC-18",
        "SUP-01",
    }
    assert all(lg.item(i).mandatory and lg.item(i).level == 1 for i in baseline)


def test_some_items_apply_only_to_some_size_classes() -> None:
    lg = shipped_framework(LG_URN)
    assert lg.item("ORG-11").size_classes == {"prefecture"}
    assert not lg.item("OPS-02").applies_to("village")
    assert len(lg.items_for("village")) < len(lg.items_for("prefecture"))
    assert len(lg.items_for("village")) >= 80


def test_frameworks_are_indexed_by_urn() -> None:
    assert set(shipped_frameworks()) == {CSF_URN, LG_URN}
