"""Test support of the security-cloud engine: address ranges of two municipalities, input
files of sample lines, and the stored events read back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb

from mamoru.seccloud.engine.ingest import IngestResult
from mamoru.seccloud.engine.ranges import AddressRange

RANGES = (
    AddressRange("131016", "10.1.0.0/16"),
    AddressRange("131024", "10.2.0.0/16"),
)


def write_lines(path: Path, lines: Sequence[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


Ingest = Callable[..., IngestResult]


def events(store: Path, where: str = "TRUE") -> list[dict[str, object]]:
    """Rows of the events dataset as dicts (ordered by time)."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    rel = con.sql(
        f"SELECT * FROM read_parquet('{store}/dataset=events/*/*/*/*.parquet', hive_partitioning = true) "
        f"WHERE {where} ORDER BY time"
    )
    names = [d[0] for d in rel.description]
    return [dict(zip(names, row, strict=True)) for row in rel.fetchall()]
