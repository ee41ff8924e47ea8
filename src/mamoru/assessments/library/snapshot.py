"""The frozen snapshot of a campaign's scores that every peer statistic is computed from.

At campaign close the app turns each organisation's :class:`Scorecard` into an
:class:`OrgRecord` and calls :func:`freeze_snapshot` once. The snapshot is immutable (frozen
dataclasses, read-only mappings, copies of everything it was given) and carries a SHA-256
digest of its content, so it can be stored (:meth:`PeerSnapshot.to_dict`), read back with
its integrity checked (:meth:`PeerSnapshot.from_dict`), and shown to be the one a report
was computed from. Statistics never look at live answers: a late change to an answer
cannot move a published median, which is what stops "compare before and after" inference.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final

from mamoru.assessments.library.errors import SnapshotError
from mamoru.assessments.library.model import SIZE_CLASSES
from mamoru.assessments.library.scoring import Scorecard, Status

SNAPSHOT_FORMAT: Final = "mamoru.assessments.snapshot/1"


@dataclass(frozen=True, slots=True)
class OrgRecord:
    """One organisation in a snapshot: where it belongs, its figures and item outcomes.

    ``values`` maps a metric (``coverage:<group key>``, ``level:<group key>``) to the
    figure; a metric the organisation has no figure for is absent. ``outcomes`` maps each
    item that applies to the organisation to its :class:`Status` value.
    """

    org_id: str
    size_class: str
    prefecture: str
    values: Mapping[str, float]
    outcomes: Mapping[str, str]


def record_from_scorecard(org_id: str, prefecture: str, card: Scorecard) -> OrgRecord:
    """The snapshot record of one organisation's scorecard."""
    values: dict[str, float] = {}
    for key, group in card.groups.items():
        if group.coverage is not None:
            values[f"coverage:{key}"] = round(group.coverage, 6)
        if group.level is not None:
            values[f"level:{key}"] = float(group.level)
    outcomes = {item_id: result.status.value for item_id, result in card.items.items()}
    return OrgRecord(org_id, card.size_class, prefecture, values, outcomes)


@dataclass(frozen=True)
class PeerSnapshot:
    """Scores of every organisation that took part in one campaign, frozen at its close."""

    campaign: str
    framework_urn: str
    closed_at: datetime
    records: tuple[OrgRecord, ...]  # sorted by org_id
    digest: str
    _index: Mapping[str, OrgRecord] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = MappingProxyType({record.org_id: record for record in self.records})
        object.__setattr__(self, "_index", index)

    def record(self, org_id: str) -> OrgRecord | None:
        """The record of ``org_id``; ``None`` when it did not take part."""
        return self._index.get(org_id)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form (to store in the database at campaign close)."""
        return {
            **_content(self.campaign, self.framework_urn, self.closed_at, self.records),
            "digest": self.digest,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PeerSnapshot:
        """Read a stored snapshot back; :class:`SnapshotError` when it was altered."""
        if data.get("format") != SNAPSHOT_FORMAT:
            raise SnapshotError(f"スナップショットの形式が {SNAPSHOT_FORMAT} ではありません")
        records = [
            OrgRecord(r["org_id"], r["size_class"], r["prefecture"], r["values"], r["outcomes"])
            for r in data["records"]
        ]
        snapshot = freeze_snapshot(
            campaign=data["campaign"],
            framework_urn=data["framework_urn"],
            closed_at=datetime.fromisoformat(data["closed_at"]),
            records=records,
        )
        if snapshot.digest != data.get("digest"):
            raise SnapshotError(
                "スナップショットの内容がダイジェストと一致しません（改変されています）"
            )
        return snapshot


def freeze_snapshot(
    *, campaign: str, framework_urn: str, closed_at: datetime, records: Iterable[OrgRecord]
) -> PeerSnapshot:
    """Freeze ``records`` (copied; later changes to the originals have no effect).

    Raises :class:`SnapshotError` for a naive ``closed_at``, an organisation given twice,
    an unknown size class, a value that is not a finite number or an unknown outcome.
    """
    if closed_at.tzinfo is None:
        raise SnapshotError("締切日時（closed_at）にはタイムゾーンが必要です")
    frozen: dict[str, OrgRecord] = {}
    statuses = {status.value for status in Status}
    for record in records:
        if record.org_id in frozen:
            raise SnapshotError(f"団体 {record.org_id} が 2 回含まれています")
        if record.size_class not in SIZE_CLASSES:
            raise SnapshotError(
                f"団体 {record.org_id} の種別 {record.size_class!r} は評価の対象ではありません"
            )
        values = {str(k): float(v) for k, v in record.values.items()}
        if not all(math.isfinite(v) for v in values.values()):
            raise SnapshotError(f"団体 {record.org_id} の値に数値でないものがあります")
        outcomes = {str(k): str(v) for k, v in record.outcomes.items()}
        unknown = sorted(set(outcomes.values()) - statuses)
        if unknown:
            raise SnapshotError(f"団体 {record.org_id} の回答結果 {unknown} は不明です")
        frozen[record.org_id] = OrgRecord(
            record.org_id,
            record.size_class,
            record.prefecture,
            MappingProxyType(dict(sorted(values.items()))),
            MappingProxyType(dict(sorted(outcomes.items()))),
        )
    ordered = tuple(frozen[org_id] for org_id in sorted(frozen))
    content = _content(campaign, framework_urn, closed_at, ordered)
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return PeerSnapshot(campaign, framework_urn, closed_at, ordered, digest)


def _content(
    campaign: str, framework_urn: str, closed_at: datetime, records: Iterable[OrgRecord]
) -> dict[str, Any]:
    return {
        "format": SNAPSHOT_FORMAT,
        "campaign": campaign,
        "framework_urn": framework_urn,
        "closed_at": closed_at.isoformat(),
        "records": [
            {
                "org_id": r.org_id,
                "size_class": r.size_class,
                "prefecture": r.prefecture,
                "values": dict(r.values),
                "outcomes": dict(r.outcomes),
            }
            for r in records
        ],
    }
