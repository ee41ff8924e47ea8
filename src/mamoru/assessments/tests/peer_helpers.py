"""Small builders for peer-statistics tests: records and snapshots from compact specs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from mamoru.assessments.library import OrgRecord, PeerSnapshot, freeze_snapshot

CLOSED = datetime(2026, 12, 25, 17, 0, tzinfo=UTC)


def rec(
    org_id: str,
    size_class: str = "town",
    prefecture: str = "01",
    *,
    values: Mapping[str, float] | None = None,
    outcomes: Mapping[str, str] | None = None,
) -> OrgRecord:
    return OrgRecord(org_id, size_class, prefecture, dict(values or {}), dict(outcomes or {}))


def snap(records: Iterable[OrgRecord], campaign: str = "2026") -> PeerSnapshot:
    return freeze_snapshot(
        campaign=campaign,
        framework_urn="urn:mamoru:framework:lg-measures:2026",
        closed_at=CLOSED,
        records=records,
    )


def towns(
    prefecture: str, values: Iterable[float], *, start: int = 0, size_class: str = "town"
) -> list[OrgRecord]:
    """One record per value, ids ``<prefecture>-<size_class>-<n>``, metric ``coverage:overall``."""
    return [
        rec(
            f"{prefecture}-{size_class}-{start + n}",
            size_class,
            prefecture,
            values={"coverage:overall": v},
        )
        for n, v in enumerate(values)
    ]
