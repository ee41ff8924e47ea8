"""Sigma rules over generated logs with planted attacks: each attack raises its alerts,
deduplicated per (rule, source, municipality, day)."""

from __future__ import annotations

import os
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from mamoru.seccloud.engine.detect import Alert, detect, load_rules
from mamoru.seccloud.engine.generator import (
    BAD_DESTINATION,
    BRUTE_FORCER,
    MONTHLY_FIGURES,
    SCANNER,
    generate,
    municipalities,
    plan_mix,
)
from mamoru.seccloud.engine.ingest import ingest

SHARED = Path(
    os.environ.get("MAMORU_SHARED_DATA", Path(__file__).resolve().parents[6] / "shared" / "data")
)
OCTOBER = [date(2026, 10, 1) + timedelta(days=n) for n in range(31)]
TOKYO = [code for code, _ in municipalities(SHARED, "13")]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("detect")
    logs = generate(tmp / "in", prefecture="13", shared_data=SHARED, month="2026-10", rows=300)
    result = ingest(logs.files, store=tmp / "store", prefecture="13", ranges=logs.ranges)
    assert result.rows_quarantined == 0
    return tmp / "store"


def _by(alerts: list[Alert], title_part: str) -> list[Alert]:
    return [a for a in alerts if title_part in a.title]


def test_the_built_in_rules_convert_to_duckdb_sql() -> None:
    rules = {r.title: r for r in load_rules()}
    scan = rules["多数の市区町村に対する探索（集計）"]
    assert scan.aggregate == 'count(DISTINCT "org_uid") >= 10'
    assert scan.group_by == ("src_ip",)
    assert "action_id = 2" in scan.where
    bad = rules["既知の悪性宛先への通信"]
    assert "known_bad" in bad.where
    # The base rules of correlations do not alert on their own.
    assert "多数の市区町村に対する探索（スキャン）" not in rules


def test_planted_attacks_raise_their_alerts(store: Path) -> None:
    alerts = detect(
        store=store,
        prefecture="13",
        days=OCTOBER,
        known_bad={"known_bad_destinations": [BAD_DESTINATION]},
    )
    scan = [a for a in _by(alerts, "探索") if a.source == SCANNER]
    assert len(scan) == len(TOKYO)  # one alert per municipality scanned
    assert {a.events for a in scan} == {3}
    assert {a.organisation for a in scan} == set(TOKYO)
    brute = [a for a in _by(alerts, "繰り返し") if a.source == BRUTE_FORCER]
    assert sorted(str(a.organisation) for a in brute) == sorted(TOKYO[:12])
    assert {a.events for a in brute} == {25}
    (beacon,) = _by(alerts, "既知の悪性宛先")
    assert (beacon.organisation, beacon.events, beacon.level) == (TOKYO[2], 6, "critical")
    malware = _by(alerts, "マルウェア")
    assert TOKYO[1] in {a.organisation for a in malware}


def test_without_the_list_no_known_bad_alert_and_detection_is_repeatable(store: Path) -> None:
    first = detect(store=store, prefecture="13", days=OCTOBER)
    assert not _by(first, "既知の悪性宛先")
    assert detect(store=store, prefecture="13", days=OCTOBER) == first
    assert (
        Counter((a.rule_id, a.source, a.organisation, a.day) for a in first).most_common(1)[0][1]
        == 1
    )


def test_the_mix_follows_the_cited_proportions() -> None:
    plan = plan_mix(sum(MONTHLY_FIGURES.values()))
    assert plan["traffic"] == 1_510_000_000
    assert plan["url_blocks"] == 26_150_000
    assert plan["suspicious_files"] == 1_764
    small = plan_mix(10_000)
    assert sum(small.values()) == 10_000
    assert min(small.values()) == 1
