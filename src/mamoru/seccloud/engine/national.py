"""The national view: the same SQL over the same Parquet, in DuckDB or in Apache Spark.

One machine holds a prefecture-month; the nation (47 prefectures) is read by an existing
distributed engine. The rollups are Hive-partitioned Parquet (``pref=/ym=/day=``), so Spark
reads them as they lie — on a local disk, or on S3-compatible object storage through
``s3a://`` — and runs :data:`NATIONAL_ROLLUP_SQL` unchanged (the SQL is kept to what both
dialects read alike: ``CAST … AS STRING``, ``SUM``, ``GROUP BY``). See README.md,
"Deployment at national scale".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mamoru.seccloud.engine.db import EngineConfig, connect
from mamoru.seccloud.engine.store import Store

__all__ = [
    "NATIONAL_ROLLUP_SQL",
    "duckdb_national_rollup",
    "spark_national_rollup",
    "spark_session",
]

# Per prefecture and month: events and bytes by kind of record and action (the national
# dashboard's table). ``pref`` is read as a number by both engines' partition inference.
NATIONAL_ROLLUP_SQL = """
SELECT CAST(pref AS STRING) AS pref, CAST(ym AS STRING) AS ym, metadata_log_name,
       CAST(action_id AS INT) AS action_id, CAST(severity_id AS INT) AS severity_id,
       SUM(events) AS events, SUM(bytes_in) AS bytes_in, SUM(bytes_out) AS bytes_out
FROM rollup_hourly
GROUP BY CAST(pref AS STRING), CAST(ym AS STRING), metadata_log_name,
         CAST(action_id AS INT), CAST(severity_id AS INT)
ORDER BY pref, ym, metadata_log_name, action_id, severity_id NULLS LAST"""  # one NULL order for both


def _normalise(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [
        (
            str(p),
            str(ym),
            str(kind),
            int(act),
            sev if sev is None else int(sev),
            int(e),
            int(i),
            int(o),
        )
        for p, ym, kind, act, sev, e, i, o in rows
    ]


def duckdb_national_rollup(
    store: Path, config: EngineConfig | None = None
) -> list[tuple[Any, ...]]:
    """:data:`NATIONAL_ROLLUP_SQL` in DuckDB over ``store``'s rollups."""
    con = connect(config)
    try:
        glob = str(Store(store).rollups / "*" / "*" / "*" / "*.parquet")
        con.execute(
            f"CREATE VIEW rollup_hourly AS SELECT * FROM read_parquet('{glob}', hive_partitioning = true, hive_types_autocast = false)"
        )
        return _normalise(con.execute(NATIONAL_ROLLUP_SQL).fetchall())
    finally:
        con.close()


def spark_session(threads: int = 2) -> Any:
    """A local Spark session bound to the loopback address, without its web UI."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(f"local[{threads}]")
        .appName("mamoru-seccloud")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(max(2, threads)))
        # partition values are codes: 北海道's pref=01 must not become the number 1
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .getOrCreate()
    )


def spark_national_rollup(store: Path | str, spark: Any) -> list[tuple[Any, ...]]:
    """:data:`NATIONAL_ROLLUP_SQL` in Spark over the rollups at ``store`` (a path or an
    ``s3a://`` URI of the same layout)."""
    root = str(store).rstrip("/")
    frame = spark.read.option("basePath", f"{root}/dataset=rollup_hourly").parquet(
        f"{root}/dataset=rollup_hourly"
    )
    frame.createOrReplaceTempView("rollup_hourly")
    return _normalise([tuple(row) for row in spark.sql(NATIONAL_ROLLUP_SQL).collect()])
