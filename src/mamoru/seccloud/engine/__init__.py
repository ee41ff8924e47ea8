"""mamoru's security-cloud analytics engine: a pure library (no Django), DuckDB + Parquet.

The Django app calls these; see README.md beside this file.
"""

from __future__ import annotations

from mamoru.seccloud.engine.db import EngineConfig, connect
from mamoru.seccloud.engine.formats import FORMATS
from mamoru.seccloud.engine.ingest import (
    IngestProgress,
    IngestResult,
    SegmentResult,
    ingest,
    segment_id,
)
from mamoru.seccloud.engine.ranges import AddressRange, CountryRange, read_ranges_csv
from mamoru.seccloud.engine.report import MonthlyFigures, monthly_report
from mamoru.seccloud.engine.store import Store

__all__ = [
    "FORMATS",
    "AddressRange",
    "CountryRange",
    "EngineConfig",
    "IngestProgress",
    "IngestResult",
    "MonthlyFigures",
    "SegmentResult",
    "Store",
    "connect",
    "ingest",
    "monthly_report",
    "read_ranges_csv",
    "segment_id",
]
