"""Peer statistics: the threshold, fallback groups, suppression of small cells and of
extreme rates, complementary suppression, percentiles, and the frozen snapshot."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from mamoru.assessments.library import (
    ALL,
    Dimension,
    OrgRecord,
    PeerGroup,
    PeerSnapshot,
    PeerStatistics,
    Scope,
    SnapshotError,
    Viewer,
    freeze_snapshot,
    is_disclosive,
    publication_plan,
    record_from_scorecard,
    score,
    shipped_framework,
)
from mamoru.assessments.tests.peer_helpers import CLOSED, rec, snap, towns

METRIC = "coverage:overall"
TOWN_01 = PeerGroup(Scope.SIZE_CLASS_IN_PREFECTURE, "town", "01")
TOWN_02 = PeerGroup(Scope.SIZE_CLASS_IN_PREFECTURE, "town", "02")
TOWNS = PeerGroup(Scope.SIZE_CLASS, "town")
VILLAGES = PeerGroup(Scope.SIZE_CLASS, "village")


@pytest.mark.parametrize(
    ("size", "counts", "disclosive"),
    [
        (0, (), True),
        (5, (), True),
        (6, (), False),
        (6, (2, 2, 2), False),
        (6, (4, 2, 0), False),
        (6, (5, 1, 0), True),  # a viewer among the five learns the sixth
        (6, (6, 0, 0), True),
        (7, (1, 6), True),
        (19, (18, 1, 0), True),
        (19, (17, 2, 0), False),
        (20, (20, 0, 0), False),  # 100 % in a group of 20 is shown
    ],
)
def test_the_suppression_rule(size: int, counts: tuple[int, ...], disclosive: bool) -> None:
    assert is_disclosive(size, counts) is disclosive


def test_a_group_is_shown_with_five_others_besides_the_viewer() -> None:
    stats = PeerStatistics(snap(towns("01", [10, 20, 30, 40, 50, 60])))
    # The same six towns make up four groups (town in 01, towns, prefecture 01, all).
    assert stats.published == (4, 0)
    comparison = stats.compare(Viewer("01-town-0", "town", "01"), METRIC)
    assert comparison is not None
    assert comparison.distribution.group == TOWN_01
    assert comparison.distribution.n == 6
    assert comparison.fallback == 0
    assert (
        comparison.distribution.q1,
        comparison.distribution.median,
        comparison.distribution.q3,
    ) == (
        22.5,
        35.0,
        47.5,
    )


def test_with_four_others_nothing_is_shown() -> None:
    stats = PeerStatistics(snap(towns("01", [10, 20, 30, 40, 50])))
    assert stats.compare(Viewer("01-town-0", "town", "01"), METRIC) is None
    assert stats.distribution(ALL, METRIC) is None


def test_a_small_group_falls_back_to_the_size_class_nationally() -> None:
    records = [*towns("01", [10, 20, 30]), *towns("02", [15, 25, 35, 45])]  # 3 + 4 towns
    stats = PeerStatistics(snap(records))
    town = stats.compare(Viewer("01-town-0", "town", "01"), METRIC)
    assert town is not None
    assert town.distribution.group == TOWNS
    assert town.distribution.n == 7
    assert town.fallback == 1


def test_a_small_size_class_falls_back_to_all() -> None:
    records = [
        *towns("01", [10, 20, 30]),
        *towns("02", [15, 25, 35, 45]),
        *towns("01", [50, 60], size_class="village"),  # 2 villages: too few anywhere
    ]
    stats = PeerStatistics(snap(records))
    village = stats.compare(Viewer("01-village-0", "village", "01"), METRIC)
    assert village is not None
    assert village.distribution.group == ALL
    assert village.fallback == 2
    # "All" minus the 7 towns is the 2 villages: both nested groups cannot be shown, so
    # the towns fall back to "all" as well.
    assert stats.distribution(TOWNS, METRIC) is None
    town = stats.compare(Viewer("01-town-0", "town", "01"), METRIC)
    assert town is not None
    assert town.distribution.group == ALL


def test_a_remainder_of_fewer_than_six_withdraws_the_smallest_published_sub_group() -> None:
    records = [*towns("01", range(10, 80, 10)), *towns("02", [5, 15])]  # 7 + 2 towns
    stats = PeerStatistics(snap(records))
    # Publishing 01's 7 towns and the 9 towns of the nation would show the two towns of 02.
    assert stats.distribution(TOWN_01, METRIC) is None
    assert stats.distribution(TOWNS, METRIC) is not None
    viewer = stats.compare(Viewer("01-town-0", "town", "01"), METRIC)
    assert viewer is not None
    assert viewer.distribution.group == TOWNS


def test_every_viewer_of_a_group_sees_the_same_figures() -> None:
    stats = PeerStatistics(snap(towns("01", [10, 20, 30, 40, 50, 60, 70])))
    first = stats.compare(Viewer("01-town-0", "town", "01"), METRIC)
    last = stats.compare(Viewer("01-town-6", "town", "01"), METRIC)
    outsider = stats.compare(Viewer(None, "town", "01"), METRIC)
    assert first is not None
    assert last is not None
    assert outsider is not None
    assert first.distribution == last.distribution == outsider.distribution
    assert first.percentile == 0.0
    assert last.percentile == 100.0
    assert outsider.value is None
    assert outsider.percentile is None


def test_a_viewer_is_placed_where_the_snapshot_counted_it() -> None:
    records = [
        *towns("01", [10, 20, 30, 40, 50, 60]),
        *towns("01", [15, 25, 35, 45, 55, 65], size_class="city"),
    ]
    stats = PeerStatistics(snap(records))
    # 01-town-0 became a city after the campaign closed: it is still compared with towns.
    comparison = stats.compare(Viewer("01-town-0", "city", "01"), METRIC)
    assert comparison is not None
    assert comparison.distribution.group == TOWN_01
    assert comparison.percentile == 0.0


def test_the_percentile_counts_the_others_and_half_the_ties() -> None:
    stats = PeerStatistics(snap(towns("01", [10, 20, 40, 40, 50, 60, 70])))
    middle = stats.compare(Viewer("01-town-2", "town", "01"), METRIC)
    assert middle is not None
    assert middle.value == 40
    assert middle.percentile == pytest.approx(100 * (2 + 0.5) / 6, abs=0.05)


def test_the_prefecture_dimension_compares_with_everyone_in_the_prefecture() -> None:
    records = [*towns("01", [10, 20, 30]), *towns("01", [40, 50, 60, 70], size_class="city")]
    stats = PeerStatistics(snap(records))
    viewer = Viewer("01-town-0", "town", "01")
    by_prefecture = stats.compare(viewer, METRIC, Dimension.PREFECTURE)
    assert by_prefecture is not None
    assert by_prefecture.distribution.group == PeerGroup(Scope.PREFECTURE, prefecture="01")
    assert by_prefecture.distribution.n == 7
    assert by_prefecture.distribution.group.label({"01": "北海道"}) == "北海道内の全団体"


def test_only_the_overall_score_and_the_functions_are_compared_by_prefecture() -> None:
    metrics = {
        "coverage:overall": 1.0,
        "coverage:csf:PR": 2.0,
        "coverage:csf:PR.AA": 3.0,
        "coverage:chapter:6": 4.0,
    }
    records = [rec(f"t{n}", values={m: v * 10 + n for m, v in metrics.items()}) for n in range(7)]
    stats = PeerStatistics(snap(records))
    viewer = Viewer("t0", "town", "01")
    assert stats.compare(viewer, "coverage:overall", Dimension.PREFECTURE) is not None
    assert stats.compare(viewer, "coverage:csf:PR", Dimension.PREFECTURE) is not None
    prefecture = PeerGroup(Scope.PREFECTURE, prefecture="01")
    assert stats.distribution(prefecture, "coverage:csf:PR.AA") is None
    assert stats.distribution(prefecture, "coverage:chapter:6") is None
    # …which still fall back to "all" by prefecture, and are compared by size class.
    category = stats.compare(viewer, "coverage:csf:PR.AA", Dimension.PREFECTURE)
    assert category is not None
    assert category.distribution.group == ALL
    assert stats.distribution(TOWN_01, "coverage:chapter:6") is not None


def test_a_distribution_where_all_but_one_share_a_value_is_hidden_in_a_small_group() -> None:
    levels = [3.0] * 7 + [0.0]
    records = [rec(f"t{n}", values={"level:overall": v}) for n, v in enumerate(levels)]
    stats = PeerStatistics(snap(records))
    assert stats.compare(Viewer("t7", "town", "01"), "level:overall") is None
    varied = [rec(f"t{n}", values={"level:overall": float(n % 4)}) for n in range(8)]
    assert (
        PeerStatistics(snap(varied)).compare(Viewer("t0", "town", "01"), "level:overall")
        is not None
    )


def _rate_records(outcomes: list[str], prefecture: str = "01", start: int = 0) -> list[OrgRecord]:
    return [
        rec(f"{prefecture}-{start + n}", prefecture=prefecture, outcomes={"TEC-10": o})
        for n, o in enumerate(outcomes)
    ]


@pytest.mark.parametrize(
    ("outcomes", "rate"),
    [
        (["met"] * 8, None),  # 100 % in a group of 8
        (["unmet"] * 8, None),  # 0 %
        (["met"] * 7 + ["unmet"], None),  # 100 % once the one not doing it takes itself out
        (["met"] + ["partial"] * 7, None),  # 0 % once the one doing it takes itself out
        (["met"] * 6 + ["unmet"] * 2, 75.0),
        (["met"] * 3 + ["partial", "unmet"] + ["not_applicable"] * 3, 60.0),
        (["met"] * 20, 100.0),  # a group of 20 is not small
        (["not_applicable"] * 7 + ["met"], None),  # everyone but one answered 該当なし
    ],
)
def test_item_rates_in_small_groups_hide_0_and_100_percent(
    outcomes: list[str], rate: float | None
) -> None:
    stats = PeerStatistics(snap(_rate_records(outcomes)))
    shown = stats.item_rate(Viewer("01-0", "town", "01"), "TEC-10")
    if rate is None:
        assert shown is None
    else:
        assert shown is not None
        assert shown.rate == rate
        assert shown.group == TOWN_01


def test_an_item_rate_falls_back_per_item() -> None:
    records = [
        *_rate_records(["met"] * 8),  # 01: all implement (hidden)
        *_rate_records(["unmet"] * 4 + ["met"] * 4, prefecture="02"),
    ]
    stats = PeerStatistics(snap(records))
    rate = stats.item_rate(Viewer("01-0", "town", "01"), "TEC-10")
    assert rate is not None
    assert rate.group == TOWNS
    assert rate.rate == 75.0
    assert stats.group_item_rate(TOWN_02, "TEC-10") is None  # else 02 = nation − 01's 100 %
    assert stats.item_rates(Viewer("01-0", "town", "01"), ["TEC-10", "TEC-11"]) == {"TEC-10": rate}


def test_the_publication_plan_withdraws_a_sub_group_whose_sibling_would_be_exposed() -> None:
    plan = publication_plan({TOWN_01: (3, 4, 0), TOWN_02: (1, 0, 0)})
    assert plan == {TOWNS, ALL}  # 8 towns; 01's 7 alone would expose 02's single town
    plan = publication_plan({TOWN_01: (3, 4, 0), TOWN_02: (3, 3, 1)})
    assert plan == {TOWN_01, TOWN_02, TOWNS, ALL}


def test_the_shipped_framework_gives_peer_figures_from_scorecards() -> None:
    lg = shipped_framework("urn:mamoru:framework:lg-measures:2026")
    records = []
    for n in range(12):
        answers = {
            item.id: ("implemented" if (n + i) % 3 else "not_implemented")
            for i, item in enumerate(lg.items)
        }
        records.append(record_from_scorecard(f"org{n}", "02", score(lg, "village", answers)))
    stats = PeerStatistics(snap(records))
    comparison = stats.compare(Viewer("org0", "village", "02"), "coverage:csf:PR")
    assert comparison is not None
    assert comparison.distribution.n == 12
    assert "coverage:chapter:6" in stats.metrics
    # Every one of the 12 villages is at level 0 in chapter 6: quartiles would tell each
    # village the others' level, so the distribution is not published.
    assert {r.values["level:chapter:6"] for r in records} == {0.0}
    assert "level:chapter:6" not in stats.metrics
    assert stats.item_rate(Viewer("org0", "village", "02"), "TEC-10") is not None


# --- the frozen snapshot ------------------------------------------------------------------


def test_the_snapshot_is_frozen_and_copies_what_it_was_given() -> None:
    records = towns("01", [10, 20, 30, 40, 50, 60])
    snapshot = snap(records)
    before = PeerStatistics(snapshot).distribution(TOWN_01, METRIC)
    records[0].values["coverage:overall"] = 99.0  # type: ignore[index]  # the source changes later
    assert snapshot.record("01-town-0").values[METRIC] == 10.0  # type: ignore[union-attr]
    assert PeerStatistics(snapshot).distribution(TOWN_01, METRIC) == before
    with pytest.raises(dataclasses.FrozenInstanceError):
        snapshot.records = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        snapshot.records[0].values[METRIC] = 0.0  # type: ignore[index]


def test_the_digest_names_the_content_whatever_the_order() -> None:
    records = towns("01", [10, 20, 30, 40, 50, 60])
    assert snap(records).digest == snap(reversed(records)).digest
    changed = [*records[:-1], rec("01-town-5", values={METRIC: 61.0})]
    assert snap(changed).digest != snap(records).digest


def test_a_stored_snapshot_reads_back_and_refuses_tampering() -> None:
    snapshot = snap(towns("01", [10, 20, 30, 40, 50, 60]))
    stored = snapshot.to_dict()
    assert PeerSnapshot.from_dict(stored) == snapshot
    stored["records"][0]["values"][METRIC] = 11.0
    with pytest.raises(SnapshotError, match="改変"):
        PeerSnapshot.from_dict(stored)


@pytest.mark.parametrize(
    ("records", "closed_at", "message"),
    [
        ([rec("a"), rec("a")], CLOSED, "2 回含まれています"),
        ([rec("a", "national")], CLOSED, "評価の対象ではありません"),
        ([rec("a", values={METRIC: float("nan")})], CLOSED, "数値でない"),
        ([rec("a", outcomes={"X": "maybe"})], CLOSED, "不明"),
        ([rec("a")], datetime(2026, 12, 25), "タイムゾーン"),  # naive: the point of the test
    ],
)
def test_a_snapshot_refuses_bad_records(
    records: list[OrgRecord], closed_at: datetime, message: str
) -> None:
    with pytest.raises(SnapshotError, match=message):
        freeze_snapshot(campaign="c", framework_urn="urn:x", closed_at=closed_at, records=records)
