"""The national view on the same Parquet: DuckDB and PySpark (local mode), same SQL.

    .venv/bin/python bench/seccloud_national.py [--prefectures 13 27 01] [--rows 1000000]

Generates a month of each prefecture's logs (``engine.generator``), ingests them into one
store, then runs the national rollup (hourly rollups summed by prefecture, day and kind)
with DuckDB and with PySpark in local mode on the same Parquet files, checks that both
return exactly the same rows, and prints the median time of each over ``--repeat`` runs
(Spark's session start-up is timed apart: a national deployment keeps a session or a
cluster running). Everything lives in a temporary directory removed afterwards.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mamoru.seccloud.engine.generator import generate
from mamoru.seccloud.engine.ingest import ingest
from mamoru.seccloud.engine.national import (
    duckdb_national_rollup,
    spark_national_rollup,
    spark_session,
)

SHARED = Path(
    os.environ.get("MAMORU_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)


def _median(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefectures", nargs="+", default=["13", "27", "01"])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows per prefecture")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--tmp", type=Path, default=None)
    args = parser.parse_args()
    logging.getLogger("py4j").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        store = Path(tmp) / "store"
        for pref in args.prefectures:
            logs = generate(
                Path(tmp) / f"in-{pref}", prefecture=pref, shared_data=SHARED,
                month="2026-10", rows=args.rows,
            )  # fmt: skip
            ingest(logs.files, store=store, prefecture=pref, ranges=logs.ranges)
        total = args.rows * len(args.prefectures)
        duck, expected = _median(lambda: duckdb_national_rollup(store), args.repeat)
        start = time.perf_counter()
        spark = spark_session(threads=2)
        started = time.perf_counter() - start
        try:
            spark_national_rollup(store, spark)  # warm-up: the JVM compiles the plan once
            sparked, got = _median(lambda: spark_national_rollup(store, spark), args.repeat)
        finally:
            spark.stop()
    same = "yes" if got == expected else "NO"
    print(
        f"events: {total:,} in {len(args.prefectures)} prefectures; rollup rows: {len(expected):,}"
    )
    print(f"DuckDB national rollup: {duck * 1000:.1f} ms (median of {args.repeat})")
    print(f"PySpark local[2] national rollup: {sparked * 1000:.1f} ms (median of {args.repeat}); "
          f"session start {started:.1f} s")  # fmt: skip
    print(f"same rows: {same}; PySpark ÷ DuckDB: {sparked / duck:.1f}×")


if __name__ == "__main__":
    main()
