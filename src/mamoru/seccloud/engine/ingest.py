"""Ingest: raw log segments → typed, attributed rows in Parquet, hourly rollups, quarantine.

One *segment* is one input file (a rotated log, a closed syslog segment). Its id is the
SHA-256 of its bytes, and every file it produces carries that id, so the same segment
ingested twice — after a crash, or dropped twice into the folder — replaces its own files
and never adds rows (see :mod:`store`). Per segment, in one DuckDB connection:

1. read the lines (``read_csv`` with one column; undecodable lines are kept as rejects),
2. strip the syslog header and recognise the format per line (or take the one given),
3. parse with the format's SQL into the core columns, map severities per device,
4. attribute each row to its municipality with ASOF joins on the address ranges (source
   first, then destination) and look up the remote side's country,
5. write events (sorted by municipality and time) and hourly rollups as Hive-partitioned
   zstd Parquet into staging, the unreadable lines into the quarantine, then publish.
"""

from __future__ import annotations

import hashlib
import shutil
import time as clock
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import zstandard

from mamoru.seccloud.engine.db import EngineConfig, connect
from mamoru.seccloud.engine.formats import FORMATS, HOST_SQL, MSG_SQL, detect_sql, select_sql
from mamoru.seccloud.engine.ranges import (
    AddressRange,
    CountryRange,
    flatten_countries,
    flatten_ranges,
)
from mamoru.seccloud.engine.schema import CORE_COLUMNS
from mamoru.seccloud.engine.store import Store, normalise_prefecture

__all__ = ["IngestProgress", "IngestResult", "SegmentResult", "ingest", "segment_id"]

JST = timedelta(hours=9)
_CHUNK = 1 << 20


@dataclass(frozen=True)
class IngestProgress:
    """Handed to the progress callback after each segment (rows total is an estimate)."""

    segments_done: int
    segments_total: int
    bytes_done: int
    bytes_total: int
    rows_done: int
    rows_total_estimate: int


@dataclass(frozen=True)
class SegmentResult:
    """What one segment gave; ``skipped`` when its checkpoint said it was already in."""

    path: str
    segment: str
    rows_read: int
    rows_stored: int
    rows_quarantined: int
    quarantined_by_device: dict[str, int]
    skipped: bool = False
    seconds: float = 0.0


@dataclass
class IngestResult:
    """All segments of one ingest call."""

    segments: list[SegmentResult] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return sum(s.rows_read for s in self.segments if not s.skipped)

    @property
    def rows_stored(self) -> int:
        return sum(s.rows_stored for s in self.segments if not s.skipped)

    @property
    def rows_quarantined(self) -> int:
        return sum(s.rows_quarantined for s in self.segments if not s.skipped)

    def quarantined_by_device(self) -> dict[str, int]:
        """Quarantined lines per device over the segments ingested now."""
        totals: dict[str, int] = {}
        for seg in self.segments:
            if seg.skipped:
                continue
            for device, count in seg.quarantined_by_device.items():
                totals[device] = totals.get(device, 0) + count
        return totals


def segment_id(path: Path) -> str:
    """The segment's identity: SHA-256 of its bytes (first 32 hex digits)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()[:32]


def _compression(path: Path) -> str:
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic[:2] == b"\x1f\x8b":
        return "gzip"
    if magic == b"\x28\xb5\x2f\xfd":
        return "zstd"
    return "none"


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _load_references(
    con: duckdb.DuckDBPyConnection,
    ranges: Sequence[AddressRange],
    countries: Sequence[CountryRange],
    severity_map: Mapping[str, int],
    utc_offset: timedelta,
) -> str:
    """Create the lookup tables; return the SQL expression of a row's range epoch."""
    flat = flatten_ranges(ranges, utc_offset)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE attr_ranges (epoch INTEGER, start_ip UINTEGER, end_ip UINTEGER, org VARCHAR)"
    )
    if flat.intervals:
        con.executemany("INSERT INTO attr_ranges VALUES (?, ?, ?, ?)", list(flat.intervals))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE countries (start_ip UINTEGER, end_ip UINTEGER, country VARCHAR)"
    )
    country_rows = flatten_countries(countries)
    if country_rows:
        con.executemany("INSERT INTO countries VALUES (?, ?, ?)", country_rows)
    con.execute("CREATE OR REPLACE TEMP TABLE severity_map (value VARCHAR, severity_id TINYINT)")
    if severity_map:
        con.executemany(
            "INSERT INTO severity_map VALUES (?, ?)",
            [(k.strip().lower(), int(v)) for k, v in severity_map.items()],
        )
    minutes = int(utc_offset.total_seconds() // 60)
    con.execute(
        f"CREATE OR REPLACE MACRO local_to_utc(ts) AS (ts - INTERVAL {minutes} MINUTE)::TIMESTAMPTZ"
    )
    whens = " ".join(
        f"WHEN time < TIMESTAMPTZ '{start.isoformat()}' THEN {epoch - 1}"
        for epoch, start in enumerate(flat.epoch_starts)
        if epoch > 0
    )
    last = len(flat.epoch_starts) - 1
    return f"CASE {whens} ELSE {last} END" if whens else "0"


def _parsed_sql(fmt: str, source: str) -> str:
    if fmt == "auto":
        parts = [select_sql(f, source, f"fmt = '{name}'") for name, f in FORMATS.items()]
        columns = ", ".join(
            "NULL::" + t + " AS " + n
            for n, t in CORE_COLUMNS
            if n
            not in {
                "device_uid",
                "org_uid",
                "src_endpoint_location_country",
                "dst_endpoint_location_country",
            }
        )
        parts.append(
            f"SELECT {columns}, host, line, 'no parser recognised the line' AS reason "
            f"FROM {source} WHERE fmt IS NULL"
        )
        return " UNION ALL ".join(parts)
    return select_sql(FORMATS[fmt], source, "TRUE")


def _attributed_sql(
    parsed: str, epoch_sql: str, device: str, pref: str, utc_offset: timedelta
) -> str:
    minutes = int(utc_offset.total_seconds() // 60)
    local = f"(p.time + INTERVAL {minutes} MINUTE)"
    core = [
        n
        for n, _ in CORE_COLUMNS
        if n
        not in {
            "org_uid",
            "device_uid",
            "severity_id",
            "src_endpoint_location_country",
            "dst_endpoint_location_country",
        }
    ]
    return f"""
      WITH p0 AS (SELECT *, {epoch_sql} AS epoch FROM ({parsed})),
      p1 AS (
        SELECT p0.*, CASE WHEN p0.src_endpoint_ip <= rs.end_ip THEN rs.org END AS src_org
        FROM p0 ASOF LEFT JOIN attr_ranges rs
          ON p0.epoch = rs.epoch AND p0.src_endpoint_ip >= rs.start_ip),
      p2 AS (
        SELECT p1.*, CASE WHEN p1.dst_endpoint_ip <= rd.end_ip THEN rd.org END AS dst_org
        FROM p1 ASOF LEFT JOIN attr_ranges rd
          ON p1.epoch = rd.epoch AND p1.dst_endpoint_ip >= rd.start_ip),
      p3 AS (
        SELECT p2.*, CASE WHEN src_org IS NOT NULL THEN dst_endpoint_ip ELSE src_endpoint_ip END AS remote_ip
        FROM p2),
      p AS (
        SELECT p3.*, CASE WHEN p3.remote_ip <= c.end_ip THEN c.country END AS remote_country
        FROM p3 ASOF LEFT JOIN countries c ON p3.remote_ip >= c.start_ip)
      SELECT {", ".join("p." + n for n in core)},
        coalesce(m.severity_id, p.severity_id) AS severity_id,
        CASE WHEN p.src_org IS NULL THEN p.remote_country END AS src_endpoint_location_country,
        CASE WHEN p.src_org IS NOT NULL THEN p.remote_country END AS dst_endpoint_location_country,
        {_sql_text(device) if device else "NULL"}::VARCHAR AS device_uid,
        coalesce(p.src_org, p.dst_org) AS org_uid,
        '{pref}' AS pref,
        strftime({local}, '%Y-%m') AS ym,
        strftime({local}, '%Y-%m-%d') AS day,
        p.line, p.host, p.reason
      FROM p LEFT JOIN severity_map m ON lower(p.severity) = m.value"""


_ROLLUP_SQL = """
  SELECT pref, ym, day, org_uid, date_trunc('hour', time) AS hour, class_uid, metadata_log_name,
    action_id,
    CASE WHEN class_uid = 4002 THEN coalesce(category_name, app_name, 'unknown')
         ELSE coalesce(app_name, category_name, 'unknown') END AS app_category,
    coalesce(src_endpoint_location_country, dst_endpoint_location_country, 'unknown') AS country,
    severity_id,
    count(*)::BIGINT AS events,
    coalesce(sum(traffic_bytes_in), 0)::BIGINT AS bytes_in,
    coalesce(sum(traffic_bytes_out), 0)::BIGINT AS bytes_out
  FROM segment_rows WHERE reason IS NULL
  GROUP BY ALL"""


@dataclass(frozen=True)
class _Job:
    store: Store
    pref: str
    fmt: str
    device: str
    utc_offset: timedelta
    keep_raw: bool


def _copy_partitioned(
    con: duckdb.DuckDBPyConnection, query: str, target: Path, segment: str
) -> None:
    con.execute(
        f"COPY ({query}) TO {_sql_text(str(target))} (FORMAT parquet, COMPRESSION zstd, "
        f"PARTITION_BY (pref, ym, day), FILENAME_PATTERN 'seg-{segment}-{{i}}', OVERWRITE_OR_IGNORE true)"
    )


def _write_quarantine(
    con: duckdb.DuckDBPyConnection, job: _Job, segment: str, staging: Path
) -> dict[str, int]:
    rows = con.execute(
        "SELECT coalesce(device_uid, device_name, host, 'unknown') AS device, count(*) "
        "FROM segment_rows WHERE reason IS NOT NULL GROUP BY ALL"
    ).fetchall()
    by_device = {str(device): int(count) for device, count in rows}
    if by_device:
        target = staging / "quarantine" / f"pref={job.pref}" / f"{segment}.jsonl.zst"
        target.parent.mkdir(parents=True, exist_ok=True)
        con.execute(
            "COPY (SELECT line, reason, coalesce(device_uid, device_name, host) AS device "
            f"FROM segment_rows WHERE reason IS NOT NULL) TO {_sql_text(str(target))} "
            "(FORMAT json, COMPRESSION zstd)"
        )
    return by_device


def _archive_raw(path: Path, compression: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if compression == "zstd":
        shutil.copyfile(path, target)
        return
    opener: Callable[..., Any] = open
    if compression == "gzip":
        import gzip

        opener = gzip.open
    with opener(path, "rb") as source, target.open("wb") as sink:
        zstandard.ZstdCompressor(level=3).copy_stream(source, sink)


def _run_segment(
    con: duckdb.DuckDBPyConnection, job: _Job, path: Path, segment: str, epoch_sql: str
) -> SegmentResult:
    started = clock.perf_counter()
    staging = job.store.staging(segment)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    compression = _compression(path)
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW raw_lines AS SELECT line FROM read_csv(
          {_sql_text(str(path))}, columns = {{'line': 'VARCHAR'}}, header = false,
          delim = '\x01', quote = '', escape = '', auto_detect = false, strict_mode = true,
          store_rejects = true, rejects_table = 'rejects', rejects_scan = 'rejects_scan',
          compression = '{compression}', max_line_size = 1048576) WHERE line IS NOT NULL"""
    )
    detect = detect_sql() if job.fmt == "auto" else "NULL"
    # format=auto reads each format's lines in its own branch of a UNION: the lines are
    # materialised once so that the file is read (and its rejects counted) once.
    kind = "TABLE" if job.fmt == "auto" else "VIEW"
    con.execute(
        f"""CREATE OR REPLACE TEMP {kind} lines AS SELECT line, msg, {HOST_SQL} AS host, {detect} AS fmt
          FROM (SELECT line, {MSG_SQL} AS msg FROM raw_lines)"""
    )
    attributed = _attributed_sql(
        _parsed_sql(job.fmt, "lines"), epoch_sql, job.device, job.pref, job.utc_offset
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE segment_rows AS {attributed}")
    # Lines DuckDB could not even read as text (bad encoding, stray delimiters) join the quarantine.
    con.execute(
        """INSERT INTO segment_rows (line, reason, device_uid)
           SELECT trim(csv_line, chr(10) || chr(13)), 'unreadable line: ' || error_type, ?
           FROM rejects""",
        [job.device or None],
    )
    stored, quarantined = con.execute(
        "SELECT count(*) FILTER (WHERE reason IS NULL), count(*) FILTER (WHERE reason IS NOT NULL) FROM segment_rows"
    ).fetchone() or (0, 0)
    columns = ", ".join(n for n, _ in CORE_COLUMNS)
    _copy_partitioned(
        con,
        f"SELECT {columns}, pref, ym, day FROM segment_rows WHERE reason IS NULL ORDER BY org_uid, time",
        staging / "dataset=events",
        segment,
    )
    _copy_partitioned(con, _ROLLUP_SQL, staging / "dataset=rollup_hourly", segment)
    by_device = _write_quarantine(con, job, segment, staging)
    if job.keep_raw:
        ym = con.execute(
            "SELECT coalesce(min(ym), strftime(now(), '%Y-%m')) FROM segment_rows WHERE reason IS NULL"
        ).fetchone()
        month = ym[0] if ym else "unknown"
        _archive_raw(
            path,
            compression,
            staging / "raw" / f"pref={job.pref}" / f"ym={month}" / f"{segment}.log.zst",
        )
    con.execute("DROP TABLE segment_rows")
    con.execute(f"DROP {kind} lines")
    con.execute("DROP TABLE IF EXISTS rejects")
    con.execute("DROP TABLE IF EXISTS rejects_scan")
    return SegmentResult(
        path=str(path),
        segment=segment,
        rows_read=int(stored) + int(quarantined),
        rows_stored=int(stored),
        rows_quarantined=int(quarantined),
        quarantined_by_device=by_device,
        seconds=clock.perf_counter() - started,
    )


def ingest(
    paths: Sequence[Path],
    *,
    store: Path,
    prefecture: str,
    ranges: Sequence[AddressRange],
    fmt: str = "auto",
    device: str = "",
    severity_map: Mapping[str, int] | None = None,
    countries: Sequence[CountryRange] = (),
    config: EngineConfig | None = None,
    progress: Callable[[IngestProgress], None] | None = None,
    utc_offset: timedelta = JST,
    keep_raw: bool = True,
) -> IngestResult:
    """Ingest log files (plain, gzip or zstd) into ``store`` for one prefecture.

    ``fmt`` is ``auto`` or a name in :data:`formats.FORMATS`; ``device`` is the caller's
    device id, stored with each row and used for ``severity_map`` (the appliance's severity
    word or verdict, lower-cased → OCSF severity_id). Times without a zone are read at
    ``utc_offset``. A segment whose checkpoint exists is skipped; one interrupted while
    publishing is cleaned and redone. ``progress`` is called after every segment.
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise ValueError(f"形式 {fmt!r} は扱えません（auto, {', '.join(FORMATS)}）")
    job = _Job(Store(store), normalise_prefecture(prefecture), fmt, device, utc_offset, keep_raw)
    files = [Path(p) for p in paths]
    sizes = [p.stat().st_size for p in files]
    result = IngestResult()
    con = connect(config)
    try:
        epoch_sql = _load_references(con, ranges, countries, severity_map or {}, utc_offset)
        bytes_done = rows_done = 0
        for index, (path, size) in enumerate(zip(files, sizes, strict=True)):
            seg = segment_id(path)
            done = job.store.checkpoint(seg)
            if done is not None:
                result.segments.append(
                    SegmentResult(**{**done, "path": str(path), "skipped": True})
                )
            else:
                job.store.undo_partial_publish(seg)
                outcome = _run_segment(con, job, path, seg, epoch_sql)
                job.store.publish(seg)
                record = {k: v for k, v in outcome.__dict__.items() if k not in {"skipped"}}
                job.store.mark_done(seg, record)
                job.store.finish_publish(seg)
                shutil.rmtree(job.store.staging(seg), ignore_errors=True)
                result.segments.append(outcome)
                rows_done += outcome.rows_read
            bytes_done += size
            if progress is not None:
                estimate = rows_done * sum(sizes) // bytes_done if bytes_done else 0
                progress(
                    IngestProgress(
                        index + 1, len(files), bytes_done, sum(sizes), rows_done, estimate
                    )
                )
    finally:
        con.close()
    return result
