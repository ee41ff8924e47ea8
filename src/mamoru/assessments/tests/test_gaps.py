"""Gap prioritisation: lowest unmet level, then mandatory and weight, then what most peers
do and the organisation does not; each gap says what to do next."""

from __future__ import annotations

import functools

from mamoru.assessments.library import (
    ALL,
    GAP_ORDER_JA,
    Framework,
    ItemRate,
    Status,
    parse_framework,
    prioritise_gaps,
    score,
    shipped_framework,
    strengths,
)

ITEMS = {
    # id: (level, mandatory, weight)
    "G1": (1, True, 2),
    "G2": (1, False, 5),
    "G3": (1, True, 5),
    "G4": (2, True, 5),
    "G5": (1, True, 5),
    "G6": (3, False, 1),
    "G7": (1, True, 5),
}


@functools.cache
def framework() -> Framework:
    lines = [
        "format: mamoru.assessments.framework/1",
        "urn: urn:mamoru:framework:gap-test:1",
        'version: "1"',
        "name: {ja: 試験, en: Test}",
        "description: {ja: 説明, en: Description}",
        "source: {ja: 出典, en: Source}",
        "answer_sets:",
        "  implementation:",
        "    kind: choice",
        "    label: {ja: 実施状況, en: Status}",
        "    options:",
        '      - {id: "yes", label: {ja: 実施, en: "Yes"}, credit: 1, met: true}',
        "      - {id: part, label: {ja: 一部実施, en: Partly}, credit: 0.5, met: false}",
        '      - {id: "no", label: {ja: 未実施, en: "No"}, credit: 0, met: false}',
        "      - {id: na, label: {ja: 該当なし, en: N/A}, not_applicable: true}",
        "sections:",
        "  - id: s",
        "    title: {ja: 全項目, en: All}",
        "    items:",
    ]
    for item_id, (level, mandatory, weight) in ITEMS.items():
        lines.append(
            f"      - {{id: {item_id}, level: {level}, mandatory: {str(mandatory).lower()}, weight: {weight},"
            f" csf: [PR.AA-03], question: {{ja: 問{item_id}, en: Q}}, help: {{ja: 助{item_id}, en: H}},"
            f" next_step: {{ja: 次に{item_id}, en: Next}}}}"
        )
    return parse_framework("\n".join(lines) + "\n")


def rate(item_id: str, value: float | None) -> ItemRate:
    return ItemRate(ALL, item_id, 40, value)


def test_gaps_come_lowest_level_first_then_mandatory_and_weight_then_what_peers_do() -> None:
    answers = {"G1": "no", "G2": "no", "G3": "no", "G4": "no", "G5": "part", "G6": "no", "G7": "no"}
    card = score(framework(), "city", answers)
    peers = {"G3": rate("G3", 40.0), "G5": rate("G5", 90.0), "G7": rate("G7", None)}
    gaps = prioritise_gaps(framework(), card, peers)
    assert [gap.item.id for gap in gaps] == ["G5", "G3", "G7", "G1", "G2", "G4", "G6"]
    assert gaps[0].status is Status.PARTIAL
    assert gaps[0].peer_rate == peers["G5"]
    assert gaps[0].what_to_do.ja == "次にG5"


def test_without_peer_figures_the_framework_order_breaks_ties() -> None:
    answers = dict.fromkeys(ITEMS, "no")
    gaps = prioritise_gaps(framework(), score(framework(), "city", answers))
    assert [gap.item.id for gap in gaps] == ["G3", "G5", "G7", "G1", "G2", "G4", "G6"]


def test_only_answered_items_not_met_are_gaps() -> None:
    answers = {"G1": "yes", "G2": "na", "G3": "part", "G4": "no"}  # G5–G7 unanswered
    gaps = prioritise_gaps(framework(), score(framework(), "city", answers))
    assert [gap.item.id for gap in gaps] == ["G3", "G4"]


def test_strengths_list_what_few_peers_do_first() -> None:
    answers = dict.fromkeys(ITEMS, "yes")
    card = score(framework(), "city", answers)
    peers = {"G2": rate("G2", 20.0), "G4": rate("G4", 60.0), "G1": rate("G1", 95.0)}
    listed = [s.item.id for s in strengths(framework(), card, peers)]
    assert listed[:3] == ["G2", "G4", "G1"]
    assert listed[3] == "G6"  # no published rate: by level, highest first
    assert len(listed) == len(ITEMS)


def test_the_shipped_framework_gives_each_gap_a_next_step() -> None:
    lg = shipped_framework("urn:mamoru:framework:lg-measures:2026")
    answers = {item.id: "not_implemented" for item in lg.items}
    gaps = prioritise_gaps(lg, score(lg, "town", answers))
    assert gaps[0].item.level == 1
    assert gaps[0].item.mandatory
    assert gaps[0].item.weight == 5
    assert all(gap.what_to_do.ja for gap in gaps)
    assert "成熟度レベル" in GAP_ORDER_JA
