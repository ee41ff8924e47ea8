"""Attribution of parsed rows: address text → number, municipality and country.

A segment of a million firewall sessions has a few tens of thousands of distinct
addresses. So the ASOF joins (on the range table, sorted by epoch and start address, and
on the country table) run over the *distinct* (epoch, address) pairs of the segment, and
the rows take their answer with two hash joins on the address text — which also spares
the per-row conversion of dotted quads to numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

import duckdb

from mamoru.seccloud.engine.ranges import (
    AddressRange,
    CountryRange,
    flatten_countries,
    flatten_ranges,
)
from mamoru.seccloud.engine.schema import CORE_COLUMNS

__all__ = ["attributed_sql", "build_ipmap", "day_sql", "hour_sql", "load_references"]

_US_PER_DAY = 86_400_000_000
_US_PER_HOUR = 3_600_000_000


def load_references(
    con: duckdb.DuckDBPyConnection,
    ranges: Sequence[AddressRange],
    countries: Sequence[CountryRange],
    severity_maps: Mapping[str, Mapping[str, int]],
    utc_offset: timedelta,
) -> str:
    """Create the lookup tables; return the SQL expression of a row's range epoch.

    ``severity_maps``: per device name (as the logs carry it; "" for any device), the
    appliance's severity word or verdict (lower-cased) → OCSF severity_id."""
    flat = flatten_ranges(ranges, utc_offset)
    # The municipality's rank among the codes: events are sorted on this small integer
    # (the same order as the codes, cheaper to sort than text).
    rank = {org: number for number, org in enumerate(sorted({i[3] for i in flat.intervals}))}
    con.execute(
        "CREATE OR REPLACE TEMP TABLE attr_ranges "
        "(epoch INTEGER, start_ip UINTEGER, end_ip UINTEGER, org VARCHAR, org_rank SMALLINT)"
    )
    if flat.intervals:
        con.executemany(
            "INSERT INTO attr_ranges VALUES (?, ?, ?, ?, ?)",
            [(*interval, rank[interval[3]]) for interval in flat.intervals],
        )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE countries (start_ip UINTEGER, end_ip UINTEGER, country VARCHAR)"
    )
    country_rows = flatten_countries(countries)
    if country_rows:
        con.executemany("INSERT INTO countries VALUES (?, ?, ?)", country_rows)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE severity_map "
        "(device VARCHAR, value VARCHAR, severity_id TINYINT)"
    )
    # One row per (device, word), or the join would repeat an event ("Critical" and
    # "critical" are one word).
    mapped = {
        (device, word.strip().lower()): int(level)
        for device, words in severity_maps.items()
        for word, level in words.items()
    }
    if mapped:
        con.executemany(
            "INSERT INTO severity_map VALUES (?, ?, ?)", [(*k, v) for k, v in mapped.items()]
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


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def day_sql(utc_offset: timedelta) -> str:
    """SQL: the local calendar day of ``time`` (integer arithmetic, no calendar library)."""
    offset = int(utc_offset.total_seconds() * 1_000_000)
    return f"(DATE '1970-01-01' + CAST((epoch_us(time) + {offset}) // {_US_PER_DAY} AS INTEGER))"


def hour_sql() -> str:
    """SQL: ``time`` truncated to the hour (zones used here are whole hours from UTC)."""
    return f"make_timestamptz((epoch_us(time) // {_US_PER_HOUR}) * {_US_PER_HOUR})"


def build_ipmap(con: duckdb.DuckDBPyConnection, source: str, epoch_sql: str) -> int:
    """``ipmap``: every distinct (epoch, address text) of ``source`` with its number,
    municipality (ASOF on the ranges) and country (ASOF on the country table)."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE ipmap AS
        WITH ips AS (
          SELECT DISTINCT epoch, ip FROM (
            SELECT {epoch_sql} AS epoch, src_endpoint_ip AS ip FROM {source}
            UNION ALL SELECT {epoch_sql}, dst_endpoint_ip FROM {source})
          WHERE ip IS NOT NULL),
        num AS (SELECT epoch, ip, ip4(ip) AS ipn FROM ips),
        org AS (
          SELECT num.*, CASE WHEN num.ipn <= r.end_ip THEN r.org END AS org,
                 CASE WHEN num.ipn <= r.end_ip THEN r.org_rank END AS org_rank
          FROM num ASOF LEFT JOIN attr_ranges r ON num.epoch = r.epoch AND num.ipn >= r.start_ip)
        SELECT org.*, CASE WHEN org.ipn <= c.end_ip THEN c.country END AS country
        FROM org ASOF LEFT JOIN countries c ON org.ipn >= c.start_ip"""
    )
    row = con.execute("SELECT count(*) FROM ipmap").fetchone()
    return int(row[0]) if row else 0


def attributed_sql(
    source: str, epoch_sql: str, *, device: str, day: str, severity_map: bool
) -> str:
    """The core columns of ``source``'s stored rows with their municipality, plus ``day`` and
    ``org_rank`` (to sort on).

    A row belongs to the municipality of its source address, else of its destination;
    the remote side's country goes to the side that is not municipal.
    """
    special = {
        "src_endpoint_ip": "s.ipn",
        "dst_endpoint_ip": "d.ipn",
        "org_uid": "coalesce(s.org, d.org)",
        "src_endpoint_location_country": "CASE WHEN s.org IS NULL THEN s.country END",
        "dst_endpoint_location_country": "CASE WHEN s.org IS NOT NULL THEN d.country END",
        "device_uid": f"{_text(device)}::VARCHAR" if device else "NULL::VARCHAR",
    }
    mapped = ""
    if severity_map:
        # The map of the row's device (the caller's, else the name the line carries), else
        # the map for any device, else the appliance's own level.
        special["severity_id"] = "coalesce(m.severity_id, a.severity_id, p.severity_id)"
        key = _text(device) if device else "p.device_name"
        mapped = (
            f"LEFT JOIN severity_map m ON m.device = {key} AND m.value = lower(p.severity) "
            "LEFT JOIN severity_map a ON a.device = '' AND a.value = lower(p.severity)"
        )
    columns = ", ".join(f"{special.get(n, 'p.' + n)} AS {n}" for n, _ in CORE_COLUMNS)
    return f"""
      SELECT {columns}, p.day AS day, coalesce(s.org_rank, d.org_rank) AS org_rank
      FROM (SELECT *, {epoch_sql} AS epoch, {day} AS day FROM {source}) p
      LEFT JOIN ipmap s ON s.epoch = p.epoch AND s.ip = p.src_endpoint_ip
      LEFT JOIN ipmap d ON d.epoch = p.epoch AND d.ip = p.dst_endpoint_ip
      {mapped}"""
