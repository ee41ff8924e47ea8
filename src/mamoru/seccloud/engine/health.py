"""What one stored segment holds per device and day: the ingest health a control plane
keeps (lines, first and last line seen), read from the segment's own Parquet files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from mamoru.seccloud.engine.db import EngineConfig, connect
from mamoru.seccloud.engine.store import Store, normalise_prefecture

__all__ = ["DeviceCount", "segment_devices"]


@dataclass(frozen=True)
class DeviceCount:
    """Lines of one device on one local day within a segment."""

    device: str
    day: date
    lines: int
    first_line: datetime
    last_line: datetime


def segment_devices(
    *, store: Path, prefecture: str, segment: str, config: EngineConfig | None = None
) -> list[DeviceCount]:
    """Per device name and day, the events a segment stored (none when it stored nothing).

    Works the same for a segment ingested now or skipped because it was already in, so a
    caller that records these counts once per segment stays idempotent under retries.
    """
    pref = normalise_prefecture(prefecture)
    if not all(c in "0123456789abcdef" for c in segment):
        raise ValueError(f"セグメントIDが正しくありません: {segment!r}")
    files = sorted(
        (Store(store).events / f"pref={pref}").glob(f"ym=*/day=*/seg-{segment}-*.parquet")
    )
    if not files:
        return []
    listed = "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"
    con = connect(config)
    try:
        con.execute("SET TimeZone = 'UTC'")
        rows = con.execute(
            f"""SELECT coalesce(device_name, ''), CAST(day AS DATE), count(*), min(time), max(time)
                FROM read_parquet({listed}, hive_partitioning = true)
                GROUP BY ALL ORDER BY 1, 2"""
        ).fetchall()
    finally:
        con.close()
    return [DeviceCount(str(d), day, int(n), first, last) for d, day, n, first, last in rows]
