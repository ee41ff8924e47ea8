"""Version mappings carry answers forward: renamed, split, merged, removed items and
renamed answer options; invalid mappings are refused naming the rule."""

from __future__ import annotations

import functools

import pytest

from mamoru.assessments.library import (
    Framework,
    FrameworkError,
    VersionMapping,
    carry_forward,
    parse_framework,
    parse_mapping,
)

OLD_URN = "urn:mamoru:framework:mapping-test:2026"
NEW_URN = "urn:mamoru:framework:mapping-test:2027"

ANSWER_SETS = """
answer_sets:
  implementation:
    kind: choice
    label: {ja: 実施状況, en: Status}
    options:
      - {id: "yes", label: {ja: 実施, en: "Yes"}, credit: 1, met: true}
      - {id: part, label: {ja: 一部実施, en: Partly}, credit: 0.5, met: false}
      - {id: "no", label: {ja: 未実施, en: "No"}, credit: 0, met: false}
      - {id: na, label: {ja: 該当なし, en: N/A}, not_applicable: true}
  scale:
    kind: scale
    label: {ja: 段階, en: Scale}
    options:
      - {id: none, label: {ja: なし, en: None}, credit: 0, met: false}
      - {id: some, label: {ja: 一部, en: Some}, credit: 0.5, met: false}
      - {id: full, label: {ja: 全部, en: Full}, credit: 1, met: true}
"""


def framework_text(urn: str, version: str, items: dict[str, str]) -> str:
    lines = [
        "format: mamoru.assessments.framework/1",
        f"urn: {urn}",
        f'version: "{version}"',
        "name: {ja: 対応試験, en: Mapping test}",
        "description: {ja: 説明, en: Description}",
        "source: {ja: 出典, en: Source}",
        ANSWER_SETS,
        "defaults: {answers: implementation}",
        "sections:",
        "  - id: s",
        "    title: {ja: 全項目, en: All}",
        "    items:",
    ]
    for item_id, answers in items.items():
        lines.append(
            f"      - {{id: {item_id}, answers: {answers}, csf: [GV.PO-01], "
            "question: {ja: 問, en: Q}, help: {ja: 助, en: H}}"
        )
    return "\n".join(lines) + "\n"


@functools.cache
def old() -> Framework:
    items = dict.fromkeys(["A", "B", "C", "D", "E", "F", "G", "K", "L", "M", "N"], "implementation")
    return parse_framework(framework_text(OLD_URN, "2026", items))


@functools.cache
def new() -> Framework:
    items = dict.fromkeys(["A", "B2", "C1", "C2", "DE", "KL", "MN", "H"], "implementation")
    items["G"] = "scale"
    return parse_framework(framework_text(NEW_URN, "2027", items))


MAPPING = f"""
format: mamoru.assessments.mapping/1
from: {OLD_URN}
to: {NEW_URN}
rules:
  - {{from: B, to: B2}}
  - {{from: C, to: [C1, C2]}}
  - {{from: [D, E], to: DE}}
  - {{from: [K, L], to: KL, combine: strongest}}
  - {{from: [M, N], to: MN}}
  - {{from: F, removed: true}}
  - {{from: G, to: G, options: {{"no": none, part: some, "yes": full}}}}
"""


def mapping(text: str = MAPPING) -> VersionMapping:
    return parse_mapping(text, source="mapping-test.yaml", old=old(), new=new())


def test_answers_are_carried_through_every_kind_of_change() -> None:
    answers = {
        "A": "yes",  # same id in both versions
        "B": "part",  # renamed
        "C": "no",  # split
        "D": "yes",
        "E": "part",  # merged: the weakest
        "K": "no",
        "L": "yes",  # merged with combine: strongest
        "M": "na",
        "N": "na",  # merged, every source 該当なし
        "F": "yes",  # removed
        "G": "part",  # option renamed through the rule
    }
    carried = carry_forward(answers, mapping(), old=old(), new=new())
    assert carried.answers == {
        "A": "yes",
        "B2": "part",
        "C1": "no",
        "C2": "no",
        "DE": "part",
        "KL": "yes",
        "MN": "na",
        "G": "some",
    }
    assert carried.origins["DE"] == ("D", "E")
    assert carried.origins["C2"] == ("C",)
    assert carried.origins["A"] == ("A",)
    assert [(d.item_id, d.reason) for d in carried.dropped] == [
        ("F", "新しい版でこの項目は廃止されました")
    ]
    assert "H" not in carried.answers  # new in 2027: nothing to carry


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"D": "na", "E": "no"}, "no"),  # 該当なし does not make a merge weaker or stronger
        ({"D": "yes", "E": "yes"}, "yes"),
        ({"D": "no", "E": "part"}, "no"),
    ],
)
def test_a_merge_takes_the_weakest_answer_that_is_not_not_applicable(
    answers: dict[str, str], expected: str
) -> None:
    assert carry_forward(answers, mapping(), old=old(), new=new()).answers["DE"] == expected


def test_a_merge_with_a_source_unanswered_is_not_guessed() -> None:
    carried = carry_forward({"D": "yes"}, mapping(), old=old(), new=new())
    assert "DE" not in carried.answers
    assert carried.dropped[0].item_id == "D"
    assert carried.dropped[0].reason == "統合先の回答を決めるには E の回答も必要です"


def test_an_option_without_a_counterpart_is_dropped_with_its_reason() -> None:
    text = MAPPING.replace(
        'options: {"no": none, part: some, "yes": full}', 'options: {"no": none}'
    )
    carried = carry_forward({"G": "part"}, mapping(text), old=old(), new=new())
    assert carried.answers == {}
    assert carried.dropped[0].reason == "新版の項目 G に回答 part に当たる選択肢がありません"


def test_unanswered_items_carry_nothing() -> None:
    carried = carry_forward({}, mapping(), old=old(), new=new())
    assert carried.answers == {}
    assert carried.dropped == ()


def _without(rule: str) -> str:
    return "\n".join(line for line in MAPPING.splitlines() if rule not in line)


@pytest.mark.parametrize(
    ("text", "rule", "fragment"),
    [
        (
            MAPPING.replace(f"from: {OLD_URN}", "from: urn:mamoru:framework:other:2026"),
            None,
            "旧版",
        ),
        (_without("from: F,"), "F", "対応の規則もありません"),
        (MAPPING + "  - {from: Z, to: A}\n", "Z", "旧版に項目 Z はありません"),
        (MAPPING + "  - {from: A, to: Q}\n", "A", "新版に項目 Q はありません"),
        (MAPPING + "  - {from: B, to: H}\n", "B", "旧版の項目 B が複数の規則にあります"),
        (MAPPING + "  - {from: A, to: B2}\n", "A", "新版の項目 B2 が複数の規則で作られます"),
        (
            MAPPING.replace("{from: F, removed: true}", "{from: F, removed: true, to: A}"),
            "F",
            "removed: true の規則に to は書けません",
        ),
        (
            MAPPING.replace("{from: F, removed: true}", "{from: F}"),
            "F",
            "to（新しい項目）か removed: true",
        ),
        (
            MAPPING.replace("{from: B, to: B2}", "{from: B, to: B2, combine: weakest}"),
            "B",
            "combine は複数の項目を統合する規則",
        ),
        (MAPPING + "  - {from: K2, to: [A]}\n", "K2", "2 つ以上のリスト"),
        (
            MAPPING.replace("{from: B, to: B2}", "{from: B, to: B2, merge: true}"),
            "B",
            "定義されていないフィールド",
        ),
    ],
)
def test_an_invalid_mapping_is_refused_naming_the_rule(
    text: str, rule: str | None, fragment: str
) -> None:
    with pytest.raises(FrameworkError) as caught:
        mapping(text)
    assert any(issue.item == rule and fragment in issue.message for issue in caught.value.issues), (
        str(caught.value)
    )


def test_an_old_id_reused_by_a_rule_target_is_refused() -> None:
    text = MAPPING.replace("{from: B, to: B2}", "{from: B, to: A}")
    with pytest.raises(FrameworkError, match="同じ id の引き継ぎと衝突します"):
        mapping(text)
