"""Ingest benchmark: raw FortiGate text → partitioned Parquet with attribution and rollups.

    .venv/bin/python bench/seccloud_ingest.py --rows 1000000 --segment-rows 500000

Side by side in one run, on the same generated zstd files: ``zstdcat | wc -l`` (the
physical floor), a straightforward Python parser (``key=value`` split per line into a
dict), and the engine's ``ingest`` (in a child process, for its peak RSS from wait4).
Generated input and output live in a temporary directory that is removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import zstandard

from mamoru.seccloud.engine.db import cpu_count
from mamoru.seccloud.engine.generator import municipalities, write_fortigate_traffic

SHARED = Path(
    os.environ.get("MAMORU_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)

_CHILD = """
import sys, json, time
from pathlib import Path
from mamoru.seccloud.engine import ingest, EngineConfig
from mamoru.seccloud.engine.generator import synthetic_ranges
codes = json.loads(sys.argv[3])
started = time.perf_counter()
result = ingest(sorted(Path(sys.argv[1]).glob('*.zst')), store=Path(sys.argv[2]), prefecture='13',
                ranges=synthetic_ranges(codes, '13'), fmt='fortigate',
                config=EngineConfig(memory_limit=sys.argv[4], threads=int(sys.argv[5])))
print(json.dumps({'seconds': time.perf_counter() - started, 'stored': result.rows_stored,
                  'quarantined': result.rows_quarantined}))
"""


def python_parser(files: list[Path]) -> tuple[int, float]:
    """The distance: parse every line into a dict in plain Python."""
    started = time.perf_counter()
    count = 0
    for path in files:
        with path.open("rb") as raw, zstandard.ZstdDecompressor().stream_reader(raw) as reader:
            import io

            for line in io.TextIOWrapper(reader, encoding="utf-8"):
                fields: dict[str, str] = {}
                for token in line[line.index(">") + 1 :].split(" "):
                    key, _, value = token.partition("=")
                    fields[key] = value.strip('"\n')
                count += bool(fields.get("srcip"))
    return count, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--segment-rows", type=int, default=1_000_000)
    parser.add_argument("--memory", default="4GB")
    parser.add_argument("--threads", type=int, default=cpu_count())
    args = parser.parse_args()
    import json

    codes = [code for code, _ in municipalities(SHARED, "13")]
    with tempfile.TemporaryDirectory(prefix="seccloud-bench-") as tmp:
        inputs = Path(tmp) / "in"
        inputs.mkdir()
        started = time.perf_counter()
        segments = (args.rows + args.segment_rows - 1) // args.segment_rows
        for n in range(segments):
            rows = min(args.segment_rows, args.rows - n * args.segment_rows)
            write_fortigate_traffic(
                inputs / f"fortigate-{n:04d}.log.zst", rows=rows, prefecture="13",
                municipality_count=len(codes), month="2026-10", seed=n * args.segment_rows,
            )  # fmt: skip
        generated = time.perf_counter() - started
        files = sorted(inputs.glob("*.zst"))
        size = sum(f.stat().st_size for f in files)
        print(
            f"generated {args.rows:,} lines in {segments} segments, {size / 1e6:.0f} MB zstd, {generated:.1f} s"
        )

        started = time.perf_counter()
        cat = subprocess.Popen(["zstdcat", *map(str, files)], stdout=subprocess.PIPE)
        wc = subprocess.run(
            ["wc", "-l"], stdin=cat.stdout, capture_output=True, text=True, check=True
        )
        assert cat.stdout is not None
        cat.stdout.close()
        cat.wait()
        floor = time.perf_counter() - started
        print(
            f"zstdcat | wc -l      {int(wc.stdout):>12,} lines {floor:8.2f} s {args.rows / floor:12,.0f} rows/s"
        )

        count, python_s = python_parser(files)
        print(
            f"Python parser        {count:>12,} lines {python_s:8.2f} s {args.rows / python_s:12,.0f} rows/s (1 core)"
        )

        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(inputs), str(Path(tmp) / "store"), json.dumps(codes),
             args.memory, str(args.threads)],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        out, _ = child.communicate()
        figures = json.loads(out.strip().splitlines()[-1])
        # The largest child so far: the engine's process (zstdcat and wc are small).
        peak = _peak_from_proc()
        rate = figures["stored"] / figures["seconds"]
        print(
            f"engine ingest        {figures['stored']:>12,} rows  {figures['seconds']:8.2f} s {rate:12,.0f} rows/s "
            f"= {rate / args.threads:,.0f} rows/s per core ({args.threads} threads), peak RSS {peak:,.0f} MiB"
        )
        parquet = sum(p.stat().st_size for p in (Path(tmp) / "store").rglob("*.parquet"))
        print(
            f"Parquet written: {parquet / 1e6:.0f} MB; ratio engine/Python {python_s / figures['seconds']:.1f}x faster"
        )


def _peak_from_proc() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


if __name__ == "__main__":
    main()
