"""mamoru's security-cloud analytics engine: a pure library (no Django), DuckDB + Parquet.

The Django app calls these; see README.md beside this file.
"""

from __future__ import annotations

from mamoru.seccloud.engine.db import EngineConfig, connect
from mamoru.seccloud.engine.detect import BUILTIN_RULES, Alert, Rule, detect, load_rules
from mamoru.seccloud.engine.formats import FORMATS
from mamoru.seccloud.engine.generator import GeneratedLogs, generate
from mamoru.seccloud.engine.health import DeviceCount, segment_devices
from mamoru.seccloud.engine.ingest import (
    IngestProgress,
    IngestResult,
    SegmentResult,
    ingest,
    segment_id,
)
from mamoru.seccloud.engine.national import (
    NATIONAL_ROLLUP_SQL,
    duckdb_national_rollup,
    spark_national_rollup,
    spark_session,
)
from mamoru.seccloud.engine.ranges import AddressRange, CountryRange, read_ranges_csv
from mamoru.seccloud.engine.receiver import ReceiverConfig, SegmentSpool, SyslogReceiver
from mamoru.seccloud.engine.report import MonthlyFigures, monthly_report, monthly_reports
from mamoru.seccloud.engine.store import Store

__all__ = [
    "BUILTIN_RULES",
    "FORMATS",
    "NATIONAL_ROLLUP_SQL",
    "AddressRange",
    "Alert",
    "CountryRange",
    "DeviceCount",
    "EngineConfig",
    "GeneratedLogs",
    "IngestProgress",
    "IngestResult",
    "MonthlyFigures",
    "ReceiverConfig",
    "Rule",
    "SegmentResult",
    "SegmentSpool",
    "Store",
    "SyslogReceiver",
    "connect",
    "detect",
    "duckdb_national_rollup",
    "generate",
    "ingest",
    "load_rules",
    "monthly_report",
    "monthly_reports",
    "read_ranges_csv",
    "segment_devices",
    "segment_id",
    "spark_national_rollup",
    "spark_session",
]
