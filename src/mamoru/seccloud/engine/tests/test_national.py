"""PySpark in local mode reads the same Parquet with the same SQL and gets exactly DuckDB's
national rollup (and every stored event, so Spark reads the events' Parquet too)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mamoru.seccloud.engine.generator import generate
from mamoru.seccloud.engine.ingest import ingest
from mamoru.seccloud.engine.national import (
    duckdb_national_rollup,
    spark_national_rollup,
    spark_session,
)

SHARED = Path(
    os.environ.get("MAMORU_SHARED_DATA", Path(__file__).resolve().parents[6] / "shared" / "data")
)

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    # py4j logs its shutdown at interpreter exit, after pytest has closed the streams.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    session = spark_session(threads=2)
    yield session
    session.stop()


def test_spark_gets_exactly_duckdbs_national_rollup(tmp_path: Path, spark: Any) -> None:
    store = tmp_path / "store"
    for pref in ("13", "01"):  # 北海道: a code with a leading zero stays a code
        logs = generate(
            tmp_path / f"in-{pref}", prefecture=pref, shared_data=SHARED, month="2026-10", rows=800
        )
        ingest(logs.files, store=store, prefecture=pref, ranges=logs.ranges)
    expected = duckdb_national_rollup(store)
    assert {row[0] for row in expected} == {"13", "01"}
    assert spark_national_rollup(store, spark) == expected
    stored = spark.read.parquet(str(store / "dataset=events")).count()
    assert stored == sum(row[5] for row in expected)
