"""Synthetic security-cloud logs for a prefecture, written by DuckDB straight to zstd.

The bulk is FortiGate traffic (1.51 billion of a prefecture-month's cited figures); the
other kinds follow the same month's proportions (:data:`MONTHLY_FIGURES`): IPS detections,
URL-filter blocks, spam, malware removed from mail and suspicious files, in the formats of
the appliances a security cloud runs (FortiGate key=value, i-FILTER block log, m-FILTER
CSV, Trend Micro CEF for the sandbox). Addresses are synthetic: municipality *i* of the
prefecture gets 10.<pref>.<i>.0/24; the internet side uses the documentation ranges
(RFC 5737). A few attacks can be planted so that the detection rules have something to find.
"""

from __future__ import annotations

import csv
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from mamoru.seccloud.engine.db import EngineConfig, connect
from mamoru.seccloud.engine.ranges import AddressRange

__all__ = [
    "MONTHLY_FIGURES",
    "GeneratedLogs",
    "generate",
    "municipalities",
    "plan_mix",
    "synthetic_ranges",
    "write_fortigate_traffic",
]

# One prefecture's month as the policy documents cite it (PRODUCT.md §F).
MONTHLY_FIGURES: dict[str, int] = {
    "traffic": 1_510_000_000,
    "url_blocks": 26_150_000,
    "spam": 3_470_000,
    "ips": 2_010_000,
    "malware_mail": 6_988,
    "suspicious_files": 1_764,
}

# A known-bad destination the planted beacon calls (documentation range, RFC 5737).
BAD_DESTINATION = "203.0.113.66"
SCANNER = "198.51.100.250"
BRUTE_FORCER = "192.0.2.99"
# Wall times here are Japan time: the Unix epoch as a JST wall time.
_EPOCH_JST = datetime(1970, 1, 1, 9)


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


def plan_mix(rows: int) -> dict[str, int]:
    """Lines per kind for ``rows`` lines in the cited proportions (each kind at least one
    once there are 10,000 lines, so a small demo still shows every figure)."""
    total = sum(MONTHLY_FIGURES.values())
    plan = {kind: rows * count // total for kind, count in MONTHLY_FIGURES.items()}
    if rows >= 10_000:
        plan = {kind: max(1, count) for kind, count in plan.items()}
    plan["traffic"] += rows - sum(plan.values())
    return plan


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_fortigate_traffic(
    path: Path, *, rows: int, prefecture: str, municipality_count: int, start: datetime,
    seconds: float, seed: int = 0, config: EngineConfig | None = None,
) -> None:  # fmt: skip
    """Write ``rows`` FortiGate traffic lines (zstd) evenly over ``seconds`` from ``start``
    (JST wall time); 10 % are denied inbound sessions."""
    pref = int(prefecture)
    span_us = int(seconds * 1_000_000)
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
                  TIMESTAMP {_q(start.strftime("%Y-%m-%d %H:%M:%S"))}
                    + to_microseconds((i * {span_us} // {max(rows, 1)})::BIGINT) AS ts,
                  CASE WHEN h % 10 = 0 THEN '203.0.113.' || (h // 10 % 250)
                       ELSE '10.{pref}.' || (h // 7 % {municipality_count}) || '.' || (h // 3 % 250 + 1) END AS src,
                  CASE WHEN h % 10 = 0 THEN '10.{pref}.' || (h // 7 % {municipality_count}) || '.' || (h // 3 % 250 + 1)
                       ELSE '198.51.100.' || (h // 11 % 250) END AS dst,
                  1024 + h % 60000 AS sport,
                  CASE h % 7 WHEN 0 THEN 80 WHEN 1 THEN 22 WHEN 2 THEN 3389 ELSE 443 END AS dport
                FROM (SELECT i, hash(i + {seed}) // 2 AS h FROM range({rows}) t(i))
              )) TO {_q(str(path))} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x01',
                COMPRESSION zstd)"""
        )
    finally:
        con.close()


@dataclass
class GeneratedLogs:
    """What :func:`generate` wrote."""

    files: list[Path] = field(default_factory=list)
    ranges: list[AddressRange] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    bad_destinations: list[str] = field(default_factory=list)
    attacks: list[str] = field(default_factory=list)


def _minor_lines(
    kind: str, count: int, *, pref: int, municipality_count: int, start: datetime, seed: int
) -> list[str]:
    """Lines of the small kinds (Python: a few thousand per million traffic lines)."""
    out = []
    for n in range(count):
        h = zlib.crc32(f"{kind}:{n}:{seed}".encode())
        when = start + timedelta(seconds=h % (28 * 86400))
        host = f"10.{pref}.{h // 7 % municipality_count}.{h // 3 % 250 + 1}"
        out.append(_line(kind, when, host, h, pref))
    return out


def _line(kind: str, when: datetime, host: str, h: int, pref: int) -> str:
    day, clock = when.strftime("%Y-%m-%d"), when.strftime("%H:%M:%S")
    head = f'date={day} time={clock} devname="FGT-PREF-{pref:02d}" tz="+0900"'
    if kind == "ips":
        severity = ("critical", "high", "medium", "low")[h % 4]
        return (
            f'<185>{head} logid="0419016384" type="utm" subtype="ips" eventtype="signature" '
            f'level="alert" severity="{severity}" srcip=198.51.100.{h % 200} srcport={1024 + h % 60000} '
            f'dstip={host} dstport=443 proto=6 service="HTTPS" action="dropped" '
            f'attack="Web.Server.Attack.{h % 50}" attackid={40000 + h % 50}'
        )
    if kind == "url_blocks":
        category = ("malware", "phishing", "gambling", "adult")[h % 4]
        return (
            f"{h % 9000} {host} user{h % 90:02d} group01 7 "
            f"{when.strftime('%d/%b/%Y:%H:%M:%S')} +0900 http://blocked{h % 300}.example.com/ "
            f"block 43 {category} 99 28 0 -1 0 -"
        )
    if kind == "spam":
        return (
            f"{when.strftime('%Y/%m/%d %H:%M:%S')},{when.strftime('%d/%b/%Y:%H:%M:%S')},{h % 99},"
            f"q{h},{900 + h % 9000},1,0,group,%E8%BF%B7%E6%83%91%E3%83%A1%E3%83%BC%E3%83%AB,"
            f'spam,-,1,spam{h % 500}@example.org,"1,staff{h % 40}@city.example.lg.jp",0,'
        )
    if kind == "malware_mail":
        return (
            f'<188>{head} logid="0211008192" type="utm" subtype="virus" eventtype="infected" '
            f'level="warning" srcip=192.0.2.{h % 200} dstip={host} srcport=25000 dstport=25 proto=6 '
            f'service="SMTP" action="blocked" virus="W32/Emotet.{h % 9}!tr" virusid={8000000 + h % 9} '
            f'filename="invoice{h % 99}.zip" from="a{h % 50}@example.net" to="staff@city.example.lg.jp"'
        )
    rt = int((when - _EPOCH_JST).total_seconds() * 1000)
    return (
        f"CEF:0|Trend Micro|Deep Discovery Analyzer|7.5|200120|Sandbox file analysis|6|"
        f"rt={rt} src=192.0.2.{h % 200} dst={host} fname=report{h % 99}.xlsm "
        f"suser=x@example.net duser=y@city.example.lg.jp act=Quarantine"
    )


def _attack_lines(
    pref: int, municipality_count: int, start: datetime
) -> tuple[list[str], list[str]]:
    """The planted attacks: a scan of every municipality, repeated blocked logins from one
    source across municipalities, a malware verdict, and a beacon to a known-bad host."""
    lines = []
    when = start + timedelta(days=3, hours=2)
    for i in range(municipality_count):
        for port in (22, 445, 3389):
            t = when + timedelta(seconds=i * 3 + port % 7)
            lines.append(
                f'<189>date={t:%Y-%m-%d} time={t:%H:%M:%S} devname="FGT-PREF-{pref:02d}" tz="+0900" '
                f'logid="0000000013" type="traffic" subtype="forward" level="notice" srcip={SCANNER} '
                f'srcport={40000 + i} dstip=10.{pref}.{i}.10 dstport={port} proto=6 action="deny" '
                f'policyid=0 service="tcp/{port}" sentbyte=0 rcvdbyte=0'
            )
    when = start + timedelta(days=9, hours=21)
    for i in range(min(municipality_count, 12)):
        for attempt in range(25):
            t = when + timedelta(seconds=i * 60 + attempt)
            lines.append(
                f'<185>date={t:%Y-%m-%d} time={t:%H:%M:%S} devname="FGT-PREF-{pref:02d}" tz="+0900" '
                f'logid="0419016384" type="utm" subtype="ips" level="alert" severity="high" '
                f"srcip={BRUTE_FORCER} srcport={50000 + attempt} dstip=10.{pref}.{i}.20 dstport=443 "
                f'proto=6 action="dropped" attack="SSL.VPN.Brute.Force.Login" attackid=49000'
            )
    t = start + timedelta(days=14, hours=10)
    lines.append(
        f'<188>date={t:%Y-%m-%d} time={t:%H:%M:%S} devname="FGT-PREF-{pref:02d}" tz="+0900" '
        f'logid="0211008192" type="utm" subtype="virus" eventtype="infected" level="warning" '
        f"srcip=192.0.2.77 dstip=10.{pref}.1.30 srcport=25000 dstport=25 proto=6 "
        f'service="SMTP" action="blocked" virus="W32/Emotet.PLANTED!tr" virusid=8999999 '
        f'filename="請求書.zip" from="attacker@example.net" to="kikaku@city.example.lg.jp"'
    )
    for k in range(6):
        t = start + timedelta(days=20, hours=3, minutes=10 * k)
        lines.append(
            f'<189>date={t:%Y-%m-%d} time={t:%H:%M:%S} devname="FGT-PREF-{pref:02d}" tz="+0900" '
            f'logid="0000000013" type="traffic" subtype="forward" level="notice" '
            f"srcip=10.{pref}.2.44 srcport={51000 + k} dstip={BAD_DESTINATION} dstport=443 proto=6 "
            f'action="close" policyid=3 service="HTTPS" sentbyte=900 rcvdbyte=300'
        )
    attacks = [
        f"scan: {SCANNER} → every municipality on 22/445/3389 (denied)",
        f"brute force: {BRUTE_FORCER} → SSL-VPN of 12 municipalities, 25 attempts each (IPS)",
        "malware: W32/Emotet.PLANTED!tr in mail to municipality 1 (removed)",
        f"beacon: 10.{pref}.2.44 → {BAD_DESTINATION}:443 six times (known-bad destination)",
    ]
    return lines, attacks


def _write_zst(path: Path, lines: list[str]) -> None:
    import zstandard

    path.write_bytes(zstandard.ZstdCompressor(level=3).compress(("\n".join(lines) + "\n").encode()))


def generate(
    out_dir: Path,
    *,
    prefecture: str,
    shared_data: Path,
    month: str,
    rows: int,
    segment_rows: int = 1_000_000,
    seed: int = 0,
    plant_attacks: bool = True,
    config: EngineConfig | None = None,
) -> GeneratedLogs:
    """Write a month of a prefecture's security-cloud logs into ``out_dir``.

    Traffic comes in segments of ``segment_rows`` lines, each a contiguous slice of the
    month (as a rotated log or a closed syslog segment is); the other kinds and the planted
    attacks in one file per appliance.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    pref = int(prefecture)
    codes = [code for code, _ in municipalities(shared_data, prefecture)]
    start = datetime.fromisoformat(month + "-01")
    days = ((start.replace(day=28) + timedelta(days=4)).replace(day=1) - start).days
    plan = plan_mix(rows)
    result = GeneratedLogs(ranges=synthetic_ranges(codes, prefecture), lines=dict(plan))
    traffic = plan["traffic"]
    segments = max(1, -(-traffic // segment_rows))
    span = days * 86400 / segments
    for n in range(segments):
        count = min(segment_rows, traffic - n * segment_rows)
        path = out_dir / f"fortigate-traffic-{n:05d}.log.zst"
        write_fortigate_traffic(
            path, rows=count, prefecture=prefecture, municipality_count=len(codes),
            start=start + timedelta(seconds=n * span), seconds=span, seed=seed + n * segment_rows,
            config=config,
        )  # fmt: skip
        result.files.append(path)

    def lines_of(kind: str) -> list[str]:
        return _minor_lines(
            kind, plan[kind], pref=pref, municipality_count=len(codes), start=start, seed=seed
        )

    minor = {
        "fortigate-utm.log.zst": [*lines_of("ips"), *lines_of("malware_mail")],
        "ifilter-block.log.zst": lines_of("url_blocks"),
        "mfilter-tsushin.log.zst": lines_of("spam"),
        "ddan-cef.log.zst": lines_of("suspicious_files"),
    }
    if plant_attacks:
        lines, result.attacks = _attack_lines(pref, len(codes), start)
        minor["planted-attacks.log.zst"] = lines
        result.bad_destinations = [BAD_DESTINATION]
    for name, lines in minor.items():
        if lines:
            _write_zst(out_dir / name, lines)
            result.files.append(out_dir / name)
    return result
