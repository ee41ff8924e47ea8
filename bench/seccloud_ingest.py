"""Ingest benchmark: raw FortiGate text → partitioned Parquet with attribution and rollups.

    .venv/bin/python bench/seccloud_ingest.py --rows 10000000 --segment-rows 1000000

Side by side in one run, on the same generated zstd files (each a contiguous slice of one
month, as rotated logs are): ``zstdcat | wc -l`` (the physical floor), a straightforward
Python parser (``key=value`` split per line into a dict), and the engine's ``ingest`` in a
child process, whose CPU seconds and peak RSS come from ``wait4``. "Per core" is given two
ways: rows per CPU-second of the engine's process (what one core does, whatever else the
machine runs), and rows per wall-second divided by the threads (only meaningful on an
otherwise idle machine). Then the monthly report over the stored month (from the rollups,
as the product reads it, and recomputed from the events themselves), extrapolated to a
prefecture-month of 1.5 billion rows. Input and output live in a temporary directory
(``--tmp``) that is removed afterwards.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import zstandard

from mamoru.seccloud.engine.db import EngineConfig, connect, cpu_count
from mamoru.seccloud.engine.generator import municipalities, write_fortigate_traffic

SHARED = Path(
    os.environ.get("MAMORU_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
MONTH_ROWS = 1_500_000_000

_CHILD = """
import sys, json, time
from pathlib import Path
from mamoru.seccloud.engine import ingest, EngineConfig
from mamoru.seccloud.engine.generator import synthetic_ranges
codes = json.loads(sys.argv[3])
started = time.perf_counter()
result = ingest(sorted(Path(sys.argv[1]).glob('*.zst')), store=Path(sys.argv[2]), prefecture='13',
                ranges=synthetic_ranges(codes, '13'), fmt='fortigate', keep_raw=sys.argv[6] == '1',
                config=EngineConfig(memory_limit=sys.argv[4], threads=int(sys.argv[5]),
                                    temp_directory=Path(sys.argv[2]) / '_spill'))
print(json.dumps({'seconds': time.perf_counter() - started, 'stored': result.rows_stored,
                  'quarantined': result.rows_quarantined}))
"""

_EVENTS_REPORT = """
SELECT
  count(*) FILTER (WHERE metadata_log_name = 'traffic' AND action_id <> 2),
  count(*) FILTER (WHERE metadata_log_name = 'traffic' AND action_id = 2),
  count(*) FILTER (WHERE metadata_log_name = 'ips'),
  count(*) FILTER (WHERE metadata_log_name = 'webfilter' AND action_id = 2)
FROM read_parquet('{glob}', hive_partitioning = true) WHERE ym = '2026-10'"""


def python_parser(files: list[Path]) -> tuple[int, float]:
    """The distance: parse every line into a dict in plain Python (its CPU seconds)."""
    started = time.process_time()
    count = 0
    for path in files:
        with path.open("rb") as raw, zstandard.ZstdDecompressor().stream_reader(raw) as reader:
            for line in io.TextIOWrapper(reader, encoding="utf-8"):
                fields: dict[str, str] = {}
                for token in line[line.index(">") + 1 :].split(" "):
                    key, _, value = token.partition("=")
                    fields[key] = value.strip('"\n')
                count += bool(fields.get("srcip"))
    return count, time.process_time() - started


def _generate(inputs: Path, rows: int, segment_rows: int, codes: list[str]) -> float:
    started = time.perf_counter()
    segments = (rows + segment_rows - 1) // segment_rows
    # A prefecture's real rate: 1.5 billion firewall sessions in October's 31 days.
    segment_seconds = segment_rows * 31 * 86400 / MONTH_ROWS
    for n in range(segments):
        count = min(segment_rows, rows - n * segment_rows)
        write_fortigate_traffic(
            inputs / f"fortigate-{n:05d}.log.zst", rows=count, prefecture="13",
            municipality_count=len(codes),
            start=datetime(2026, 10, 1) + timedelta(seconds=n * segment_seconds),
            seconds=segment_seconds * count / segment_rows, seed=n * segment_rows,
        )  # fmt: skip
    return time.perf_counter() - started


def _floor(files: list[Path]) -> tuple[int, float]:
    started = time.perf_counter()
    cat = subprocess.Popen(["zstdcat", *map(str, files)], stdout=subprocess.PIPE)
    wc = subprocess.run(["wc", "-l"], stdin=cat.stdout, capture_output=True, text=True, check=True)
    assert cat.stdout is not None
    cat.stdout.close()
    cat.wait()
    return int(wc.stdout), time.perf_counter() - started


def _engine(
    tmp: Path, inputs: Path, codes: list[str], args: argparse.Namespace
) -> dict[str, float]:
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(inputs), str(tmp / "store"), json.dumps(codes),
         args.memory, str(args.threads), "1" if args.keep_raw else "0"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"engine failed: {status}")
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    figures["cpu"] = usage.ru_utime + usage.ru_stime
    figures["rss_mib"] = usage.ru_maxrss / 1024
    return figures


def _report(store: Path) -> tuple[float, float]:
    """Seconds for the monthly report from the rollups and recomputed from the events."""
    from mamoru.seccloud.engine.report import monthly_report

    started = time.perf_counter()
    monthly_report(store=store, prefecture="13", month="2026-10")
    from_rollups = time.perf_counter() - started
    con = connect(EngineConfig(threads=cpu_count()))
    started = time.perf_counter()
    con.execute(
        _EVENTS_REPORT.format(glob=store / "dataset=events" / "*" / "*" / "*" / "*.parquet")
    )
    con.fetchall()
    from_events = time.perf_counter() - started
    con.close()
    return from_rollups, from_events


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--segment-rows", type=int, default=1_000_000)
    parser.add_argument("--memory", default="4GB")
    parser.add_argument("--threads", type=int, default=cpu_count())
    parser.add_argument("--tmp", default=None, help="where the input and the store go")
    parser.add_argument("--keep-raw", action="store_true", help="archive the input (a copy)")
    parser.add_argument("--skip-python", action="store_true")
    args = parser.parse_args()

    codes = [code for code, _ in municipalities(SHARED, "13")]
    with tempfile.TemporaryDirectory(prefix="seccloud-bench-", dir=args.tmp) as name:
        tmp = Path(name)
        inputs = tmp / "in"
        inputs.mkdir()
        generated = _generate(inputs, args.rows, args.segment_rows, codes)
        files = sorted(inputs.glob("*.zst"))
        size = sum(f.stat().st_size for f in files)
        print(
            f"generated {args.rows:,} lines in {len(files)} segments, {size / 1e6:,.0f} MB zstd, {generated:.1f} s"
        )
        lines, floor = _floor(files)
        print(f"zstdcat | wc -l   {lines:>13,} lines {floor:9.2f} s {lines / floor:12,.0f} rows/s")
        if not args.skip_python:
            count, python_s = python_parser(files)
            print(
                f"Python parser     {count:>13,} lines {python_s:9.2f} s {count / python_s:12,.0f} rows/s (1 core)"
            )
        figures = _engine(tmp, inputs, codes, args)
        stored, seconds, cpu = figures["stored"], figures["seconds"], figures["cpu"]
        print(
            f"engine ingest     {stored:>13,.0f} rows  {seconds:9.2f} s {stored / seconds:12,.0f} rows/s "
            f"({args.threads} threads); CPU {cpu:,.1f} s = {stored / cpu:,.0f} rows per CPU-second; "
            f"wall per thread {stored / seconds / args.threads:,.0f}; peak RSS {figures['rss_mib']:,.0f} MiB"
        )
        parquet = sum(p.stat().st_size for p in (tmp / "store").rglob("*.parquet"))
        print(f"Parquet written: {parquet / 1e6:,.0f} MB ({parquet / size:.2f} × the zstd input)")
        from_rollups, from_events = _report(tmp / "store")
        scale = MONTH_ROWS / max(stored, 1)
        print(
            f"monthly report: {from_rollups:.2f} s from the rollups, {from_events:.2f} s recomputed "
            f"from the events; × {scale:,.0f} for 1.5 billion rows ≈ {from_events * scale:,.0f} s "
            f"from the events (the rollups grow with hours × municipalities, not with rows)"
        )


if __name__ == "__main__":
    main()
