"""Scoring, table-driven: gating, 該当なし, incomplete answers, size classes, CSF groups."""

from __future__ import annotations

import functools

import pytest

from mamoru.assessments.library import (
    SCORING_RULE_JA,
    AnswerError,
    Framework,
    Scorer,
    Status,
    parse_framework,
    score,
    shipped_framework,
)

FIXTURE = """
format: mamoru.assessments.framework/1
urn: urn:mamoru:framework:scoring-test:1
version: "1"
name: {ja: 採点試験, en: Scoring test}
description: {ja: 説明, en: Description}
source: {ja: 出典, en: Source}
chapters:
  - {id: "1", title: {ja: 組織体制, en: Organisation}}
  - {id: "2", title: {ja: 情報資産, en: Assets}}
  - {id: "6", title: {ja: 技術, en: Technical}}
  - {id: "7", title: {ja: 運用, en: Operations}}
answer_sets:
  implementation:
    kind: choice
    label: {ja: 実施状況, en: Status}
    options:
      - {id: "yes", label: {ja: 実施, en: "Yes"}, credit: 1, met: true}
      - {id: part, label: {ja: 一部実施, en: Partly}, credit: 0.5, met: false}
      - {id: "no", label: {ja: 未実施, en: "No"}, credit: 0, met: false}
      - {id: na, label: {ja: 該当なし, en: N/A}, not_applicable: true}
sections:
  - id: all
    title: {ja: 全項目, en: All}
    items:
      - {id: A1, level: 1, weight: 2, csf: [GV.PO-01], guideline: {chapter: "1"},
         question: {ja: 問, en: Q}, help: {ja: 助, en: H}}
      - {id: A2, level: 1, weight: 1, csf: [PR.AA-03, PR.AA-05], guideline: {chapter: "6"},
         question: {ja: 問, en: Q}, help: {ja: 助, en: H}}
      - {id: B1, level: 2, weight: 3, csf: [PR.DS-11], guideline: {chapter: "6"},
         question: {ja: 問, en: Q}, help: {ja: 助, en: H}}
      - {id: B2, level: 2, weight: 1, csf: [DE.CM-01, GV.OV-01], guideline: {chapter: "7"},
         question: {ja: 問, en: Q}, help: {ja: 助, en: H}}
      - {id: C1, level: 3, weight: 2, csf: [RS.MA-01], guideline: {chapter: "7"},
         question: {ja: 問, en: Q}, help: {ja: 助, en: H}}
      - {id: T1, level: 1, weight: 1, size_classes: [town, village], csf: [ID.AM-01],
         guideline: {chapter: "2"}, question: {ja: 問, en: Q}, help: {ja: 助, en: H}}
      - {id: P1, level: 1, weight: 1, size_classes: [prefecture], csf: [GV.RR-02],
         guideline: {chapter: "1"}, question: {ja: 問, en: Q}, help: {ja: 助, en: H}}
"""

CITY_ITEMS = ("A1", "A2", "B1", "B2", "C1")


@functools.cache
def framework() -> Framework:
    return parse_framework(FIXTURE, source="scoring-test.yaml")


def answers(default: str | None = "yes", **overrides: str | None) -> dict[str, str]:
    """The city's answers: every item ``default`` except the ``overrides`` (None: no answer)."""
    chosen = {item: overrides.get(item, default) for item in CITY_ITEMS}
    return {item: option for item, option in chosen.items() if option is not None}


# (case, answers, overall coverage, completeness, level, potential level)
OVERALL_CASES: list[tuple[str, dict[str, str], float | None, float, int | None, int | None]] = [
    ("everything implemented", answers(), 100.0, 100.0, 3, 3),
    ("nothing answered", answers(None), None, 0.0, 0, 3),
    ("a level-1 item partly done", answers(A1="part"), 100 * 8 / 9, 100.0, 0, 0),
    ("a level-2 item partly done", answers(B1="part"), 100 * 7.5 / 9, 100.0, 1, 1),
    ("the level-3 item not done", answers(C1="no"), 100 * 7 / 9, 100.0, 2, 2),
    ("the level-3 item unanswered", answers(C1=None), 100.0, 80.0, 2, 3),
    ("a level-1 item unanswered", answers(A2=None), 100.0, 80.0, 0, 3),
    ("unanswered above an unmet item", answers(B1="no", C1=None), 100 * 4 / 7, 80.0, 1, 1),
    ("該当なし leaves the denominators", answers(B1="na"), 100.0, 100.0, 3, 3),
    ("該当なし beside an unmet item", answers(B1="na", C1="no"), 100 * 4 / 6, 100.0, 2, 2),
    ("everything 該当なし", answers("na"), None, 100.0, None, None),
    (
        "level 1 all 該当なし, level 2 met",
        answers(A1="na", A2="na", C1="no"),
        100 * 4 / 6,
        100.0,
        2,
        2,
    ),
    (
        "level 1 all 該当なし, level 2 unmet",
        answers(A1="na", A2="na", B1="no"),
        100 * 3 / 6,
        100.0,
        0,
        0,
    ),
    ("nothing done", answers("no"), 0.0, 100.0, 0, 0),
    ("half of it unanswered, rest not done", answers("no", A1=None, B1=None), 0.0, 60.0, 0, 0),
]


@pytest.mark.parametrize(
    ("given", "coverage", "completeness", "level", "potential"),
    [case[1:] for case in OVERALL_CASES],
    ids=[case[0] for case in OVERALL_CASES],
)
def test_overall_score(
    given: dict[str, str],
    coverage: float | None,
    completeness: float,
    level: int | None,
    potential: int | None,
) -> None:
    overall = score(framework(), "city", given).overall
    if coverage is None:
        assert overall.coverage is None
    else:
        assert overall.coverage == pytest.approx(coverage)
    assert overall.completeness == pytest.approx(completeness)
    assert overall.level == level
    assert overall.potential_level == potential
    assert overall.provisional == (level is not None and level != potential)


# (case, answers, group key, (applicable, answered, met, coverage, level))
Expected = tuple[int, int, int, float | None, int | None]
GROUP_CASES: list[tuple[str, dict[str, str], str, Expected]] = [
    ("two subcategories of one category count once", answers(), "csf:PR.AA", (1, 1, 1, 100.0, 1)),
    ("a function gathers its categories", answers(), "csf:PR", (2, 2, 2, 100.0, 2)),
    (
        "an item in two functions counts in both",
        answers(B2="no"),
        "csf:GV",
        (2, 2, 1, 100 * 2 / 3, 1),
    ),
    ("an item in two functions counts in both (DE)", answers(B2="no"), "csf:DE", (1, 1, 0, 0.0, 0)),
    ("a chapter", answers(B1="part"), "chapter:6", (2, 2, 1, 100 * 2.5 / 4, 1)),
    ("a chapter with an unanswered item", answers(C1=None), "chapter:7", (2, 1, 1, 100.0, 2)),
    (
        "a category whose only item is 該当なし",
        answers(C1="na"),
        "csf:RS.MA",
        (1, 1, 0, None, None),
    ),
    ("only level-1 items: the level cannot exceed 1", answers(), "chapter:1", (1, 1, 1, 100.0, 1)),
]


@pytest.mark.parametrize(
    ("given", "key", "expected"),
    [case[1:] for case in GROUP_CASES],
    ids=[case[0] for case in GROUP_CASES],
)
def test_group_score(given: dict[str, str], key: str, expected: Expected) -> None:
    group = score(framework(), "city", given).groups[key]
    applicable, answered, met, coverage, level = expected
    assert (group.applicable, group.answered, group.met) == (applicable, answered, met)
    assert group.coverage == (None if coverage is None else pytest.approx(coverage))
    assert group.level == level


def test_items_of_other_size_classes_are_left_out() -> None:
    card = score(framework(), "city", answers())
    assert set(card.items) == set(CITY_ITEMS)
    assert "chapter:2" not in card.groups  # only T1 (towns and villages) is in chapter 2
    town = score(framework(), "town", {**answers(), "T1": "no", "P1": "no"})
    assert set(town.items) == {*CITY_ITEMS, "T1"}  # P1 (prefectures only) is ignored
    assert town.overall.level == 0  # T1 is a level-1 item not met
    assert town.chapter("2").coverage == 0.0
    prefecture = score(framework(), "prefecture", {**answers(), "P1": "yes"})
    assert prefecture.overall.level == 3
    assert prefecture.chapter("1").applicable == 2


def test_item_results_say_what_each_answer_made_of_the_item() -> None:
    card = score(framework(), "city", answers(A1="part", A2="no", B1="na", C1=None))
    assert card.items["A1"].status is Status.PARTIAL
    assert card.items["A1"].credit == 0.5
    assert card.items["A2"].status is Status.UNMET
    assert card.items["B1"].status is Status.NOT_APPLICABLE
    assert card.items["B1"].credit is None
    assert card.items["B2"].status is Status.MET
    assert card.items["C1"].status is Status.UNANSWERED


def test_groups_come_in_a_stable_order() -> None:
    card = score(framework(), "town", answers())
    assert list(card.groups) == [
        "overall",
        "csf:GV",
        "csf:ID",
        "csf:PR",
        "csf:DE",
        "csf:RS",
        "csf:GV.PO",
        "csf:GV.OV",
        "csf:ID.AM",
        "csf:PR.AA",
        "csf:PR.DS",
        "csf:DE.CM",
        "csf:RS.MA",
        "chapter:1",
        "chapter:2",
        "chapter:6",
        "chapter:7",
    ]
    assert set(card.of_kind("function")) == {"GV", "ID", "PR", "DE", "RS"}
    assert set(card.of_kind("chapter")) == {"1", "2", "6", "7"}
    assert "PR.AA" in card.of_kind("category")
    assert card.csf("PR.AA").key == "csf:PR.AA"


@pytest.mark.parametrize(
    ("size_class", "given", "message"),
    [
        ("city", {"Z9": "yes"}, "項目 Z9 はありません"),
        (
            "city",
            {"A1": "maybe"},
            "項目 A1 の回答 'maybe' は選択肢（yes、part、no、na）にありません",
        ),
        ("metropolis", {}, "団体の種別 'metropolis' は評価の対象ではありません"),
    ],
)
def test_bad_answers_are_refused_in_japanese(
    size_class: str, given: dict[str, str], message: str
) -> None:
    with pytest.raises(AnswerError, match=message):
        score(framework(), size_class, given)


def test_the_scorer_can_be_reused_and_answers_are_not_changed() -> None:
    scorer = Scorer(framework())
    given = answers(C1=None)
    first = scorer.score("city", given)
    second = scorer.score("city", given)
    assert first == second
    assert given == answers(C1=None)
    assert scorer.groups_of("B2") == (
        "overall",
        "csf:GV",
        "csf:DE",
        "csf:GV.OV",
        "csf:DE.CM",
        "chapter:7",
    )


def test_the_shipped_framework_scores_every_function() -> None:
    lg = shipped_framework("urn:mamoru:framework:lg-measures:2026")
    everything = {item.id: "implemented" for item in lg.items}
    card = score(lg, "village", everything)
    assert card.overall.level == 3
    assert card.overall.coverage == 100.0
    assert set(card.of_kind("function")) == {"GV", "ID", "PR", "DE", "RS", "RC"}
    assert set(card.of_kind("chapter")) == {str(n) for n in range(1, 10)}
    assert "ORG-11" not in card.items  # prefectures only


def test_the_rule_is_written_for_the_report() -> None:
    for phrase in ("該当なし", "未回答", "一部実施", "成熟度レベル", "回答率", "団体の種別"):
        assert phrase in SCORING_RULE_JA


SCALE = FIXTURE.replace(
    "sections:",
    """  steps:
    kind: scale
    label: {ja: 段階, en: Steps}
    options:
      - {id: "0", label: {ja: 未着手, en: None}, credit: 0, met: false}
      - {id: "1", label: {ja: 計画中, en: Planned}, credit: 0.25, met: false}
      - {id: "2", label: {ja: 一部, en: Partly}, credit: 0.5, met: false}
      - {id: "3", label: {ja: 大半, en: Mostly}, credit: 0.75, met: true}
      - {id: "4", label: {ja: 全部, en: Fully}, credit: 1, met: true}
defaults: {answers: implementation}
sections:""",
).replace("{id: A1, level: 1, weight: 2,", "{id: A1, answers: steps, level: 1, weight: 2,")


@pytest.mark.parametrize(
    ("step", "status", "coverage", "level"),
    [
        ("4", Status.MET, 100.0, 3),
        ("3", Status.MET, 100 * 8.5 / 9, 3),
        ("2", Status.PARTIAL, 100 * 8 / 9, 0),
        ("0", Status.UNMET, 100 * 7 / 9, 0),
    ],
)
def test_a_scale_answer_scores_by_its_credit_and_gates_by_met(
    step: str, status: Status, coverage: float, level: int
) -> None:
    scale_framework = parse_framework(SCALE, source="scale.yaml")
    card = score(scale_framework, "city", answers(A1=step))
    assert card.items["A1"].status is status
    assert card.overall.coverage == pytest.approx(coverage)
    assert card.overall.level == level
