"""The one typed core table, named after OCSF classes and attributes.

Nested OCSF attributes are flattened with ``_`` (``src_endpoint.ip`` → ``src_endpoint_ip``)
so that DuckDB, Parquet and Spark SQL all address them the same way. Whatever a parser
reads but the core does not type goes into ``unmapped`` (OCSF's own name for it), a JSON
object (``json_extract_string`` in DuckDB, ``get_json_object`` in Spark).
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ACTION_ALLOWED",
    "ACTION_DENIED",
    "ACTION_OTHER",
    "ACTION_UNKNOWN",
    "CLASS_DETECTION_FINDING",
    "CLASS_EMAIL_ACTIVITY",
    "CLASS_HTTP_ACTIVITY",
    "CLASS_NETWORK_ACTIVITY",
    "CORE_COLUMNS",
    "LOG_KINDS",
    "PARTITION_COLUMNS",
    "ROLLUP_DIMENSIONS",
    "ROLLUP_MEASURES",
    "SEVERITY_NAMES",
]

CLASS_NETWORK_ACTIVITY: Final = 4001
CLASS_HTTP_ACTIVITY: Final = 4002
CLASS_EMAIL_ACTIVITY: Final = 4009
CLASS_DETECTION_FINDING: Final = 2004

# OCSF action_id
ACTION_UNKNOWN: Final = 0
ACTION_ALLOWED: Final = 1
ACTION_DENIED: Final = 2
ACTION_OTHER: Final = 99

# OCSF severity_id → name (0 Unknown … 6 Fatal)
SEVERITY_NAMES: Final = {
    0: "unknown",
    1: "informational",
    2: "low",
    3: "medium",
    4: "high",
    5: "critical",
    6: "fatal",
}

# What produced a row, in the report's terms (OCSF metadata.log_name).
LOG_KINDS: Final = (
    "traffic",  # firewall session (4001)
    "ips",  # IPS/IDS detection (2004)
    "virus",  # antivirus verdict on a file, in mail or web (2004)
    "sandbox",  # behaviour detection of a suspicious file (2004)
    "webfilter",  # URL-filter decision (4002)
    "web",  # proxy access without a filter decision (4002)
    "spam",  # spam verdict on a mail (4009)
    "mail",  # mail delivery without a verdict (4009)
    "event",  # appliance system event (4001 with no peer, kept for health pages)
)

# (name, DuckDB type) in table order. Spark reads the same names from Parquet.
CORE_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("time", "TIMESTAMPTZ"),
    ("class_uid", "SMALLINT"),
    ("metadata_log_name", "VARCHAR"),
    ("metadata_product_name", "VARCHAR"),
    ("severity", "VARCHAR"),
    ("severity_id", "TINYINT"),
    ("action", "VARCHAR"),
    ("action_id", "TINYINT"),
    ("src_endpoint_ip", "UINTEGER"),
    ("src_endpoint_port", "INTEGER"),
    ("src_endpoint_location_country", "VARCHAR"),
    ("dst_endpoint_ip", "UINTEGER"),
    ("dst_endpoint_port", "INTEGER"),
    ("dst_endpoint_location_country", "VARCHAR"),
    ("connection_info_protocol_num", "SMALLINT"),
    ("traffic_bytes_in", "BIGINT"),
    ("traffic_bytes_out", "BIGINT"),
    ("traffic_packets_in", "BIGINT"),
    ("traffic_packets_out", "BIGINT"),
    ("app_name", "VARCHAR"),
    ("category_name", "VARCHAR"),
    ("finding_uid", "VARCHAR"),
    ("finding_title", "VARCHAR"),
    ("url_hostname", "VARCHAR"),
    ("url_path", "VARCHAR"),
    ("email_from", "VARCHAR"),
    ("email_to", "VARCHAR"),
    ("file_name", "VARCHAR"),
    ("file_hash_sha256", "VARCHAR"),
    ("device_name", "VARCHAR"),
    ("device_uid", "VARCHAR"),
    ("org_uid", "VARCHAR"),
    # OCSF ``unmapped`` as JSON text: a DuckDB MAP costs ≈ 1.5 µs per row to build (a third
    # of the ingest budget, measured in bench/README.md); JSON text costs ≈ 0.1 µs.
    ("unmapped", "VARCHAR"),
)

# Hive partitions below dataset=…: prefecture code (2 digits), month and day in JST.
PARTITION_COLUMNS: Final = ("pref", "ym", "day")

ROLLUP_DIMENSIONS: Final = (
    "org_uid",
    "hour",
    "class_uid",
    "metadata_log_name",
    "action_id",
    "app_category",
    "country",
    "severity_id",
)
ROLLUP_MEASURES: Final = ("events", "bytes_in", "bytes_out")
