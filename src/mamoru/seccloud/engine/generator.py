"""Synthetic FortiGate traffic for a prefecture, written by DuckDB straight to zstd.

Only the firewall's traffic log so far (the bulk of a prefecture-month: 1.51 billion of the
cited figures); the other appliances' mix and planted attacks are still to come. Addresses
are synthetic: municipality *i* of the prefecture gets 10.<pref>.<i>.0/24.
"""

from __future__ import annotations

import csv
from pathlib import Path

from mamoru.seccloud.engine.db import EngineConfig, connect
from mamoru.seccloud.engine.ranges import AddressRange

__all__ = ["municipalities", "synthetic_ranges", "write_fortigate_traffic"]


def municipalities(shared_data: Path, prefecture: str) -> list[tuple[str, str]]:
    """(code, name) of the prefecture's municipalities from the shared code list."""
    path = shared_data / "local-governments" / "local_governments.csv"
    with path.open(encoding="utf-8") as handle:
        return [
            (row["code"], row["name"])
            for row in csv.DictReader(handle)
            if row["prefecture_code"] == prefecture and row["kind"] != "都道府県"
        ]


def synthetic_ranges(codes: list[str], prefecture: str) -> list[AddressRange]:
    """One /24 per municipality under 10.<pref>.0.0/16 (at most 256 municipalities)."""
    return [
        AddressRange(code, f"10.{int(prefecture)}.{i}.0/24") for i, code in enumerate(codes[:256])
    ]


def write_fortigate_traffic(
    path: Path, *, rows: int, prefecture: str, municipality_count: int, month: str, seed: int = 0,
    config: EngineConfig | None = None,
) -> None:  # fmt: skip
    """Write ``rows`` FortiGate traffic lines (zstd) spread over ``month``; 10% denied inbound."""
    pref = int(prefecture)
    con = connect(config)
    try:
        con.execute(
            f"""COPY (
              SELECT format('<189>date={{}} time={{}} devname="FGT-PREF-{pref:02d}" devid="FG1HFTK0000{pref:04d}" '
                || 'eventtime={{}} tz="+0900" logid="0000000013" type="traffic" subtype="forward" level="notice" '
                || 'vd="root" srcip={{}} srcport={{}} srcintf="{{}}" dstip={{}} dstport={{}} dstintf="{{}}" '
                || 'sessionid={{}} proto=6 action="{{}}" policyid={{}} service="{{}}" duration={{}} '
                || 'sentbyte={{}} rcvdbyte={{}} sentpkt={{}} rcvdpkt={{}} appcat="unscanned"',
                strftime(ts, '%Y-%m-%d'), strftime(ts, '%H:%M:%S'),
                epoch_ns(ts - INTERVAL 9 HOUR), src, sport, CASE WHEN inbound THEN 'wan1' ELSE 'lgwan' END,
                dst, dport, CASE WHEN inbound THEN 'lgwan' ELSE 'wan1' END, i,
                CASE WHEN inbound THEN 'deny' ELSE 'close' END, CASE WHEN inbound THEN 0 ELSE 3 END,
                CASE dport WHEN 443 THEN 'HTTPS' WHEN 80 THEN 'HTTP' WHEN 22 THEN 'SSH' ELSE 'RDP' END,
                h % 300, h % 90000, h % 700000, h % 80, h % 600) AS line
              FROM (
                SELECT i, h, (h % 10 = 0) AS inbound,
                  TIMESTAMP '{month}-01' + to_microseconds((i * 2592000000000 // {rows})::BIGINT) AS ts,
                  CASE WHEN h % 10 = 0 THEN '203.0.113.' || (h // 10 % 250)
                       ELSE '10.{pref}.' || (h // 7 % {municipality_count}) || '.' || (h // 3 % 250 + 1) END AS src,
                  CASE WHEN h % 10 = 0 THEN '10.{pref}.' || (h // 7 % {municipality_count}) || '.' || (h // 3 % 250 + 1)
                       ELSE '198.51.100.' || (h // 11 % 250) END AS dst,
                  1024 + h % 60000 AS sport,
                  CASE h % 7 WHEN 0 THEN 80 WHEN 1 THEN 22 WHEN 2 THEN 3389 ELSE 443 END AS dport
                FROM (SELECT i, hash(i + {seed}) // 2 AS h FROM range({rows}) t(i))
              )) TO '{path}' (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x01',
                COMPRESSION zstd)"""
        )
    finally:
        con.close()
