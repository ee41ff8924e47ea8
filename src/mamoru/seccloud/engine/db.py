"""DuckDB connections for the engine: offline, capped and with the engine's SQL macros.

LGWAN has no internet, so a connection never installs or loads an extension on its own:
only what the pinned wheel links statically (core_functions, icu, json, parquet) is used.
IPv4 addresses are stored as UINTEGER because the ``inet`` extension is not in the wheel.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

__all__ = ["BUILTIN_EXTENSIONS", "EngineConfig", "connect", "share_memory"]

# What the pinned wheel links statically; the test checks that nothing else gets loaded.
BUILTIN_EXTENSIONS = frozenset({"core_functions", "icu", "json", "parquet"})

_MACROS = (
    # IPv4 text → UINTEGER (NULL for anything that is not a dotted quad of 0–255).
    """CREATE OR REPLACE MACRO ip4(s) AS CASE
         WHEN s IS NULL OR split_part(s, '.', 5) <> '' THEN NULL
         ELSE try_cast(split_part(s, '.', 1) AS UTINYINT)::UINTEGER * 16777216
            + try_cast(split_part(s, '.', 2) AS UTINYINT)::UINTEGER * 65536
            + try_cast(split_part(s, '.', 3) AS UTINYINT)::UINTEGER * 256
            + try_cast(split_part(s, '.', 4) AS UTINYINT)::UINTEGER END""",
    """CREATE OR REPLACE MACRO ip4_text(u) AS CASE WHEN u IS NULL THEN NULL ELSE
         concat_ws('.', u // 16777216, (u // 65536) % 256, (u // 256) % 256, u % 256) END""",
    # The value of ``key=`` in a space-separated key=value line, quoted ("…") or bare.
    """CREATE OR REPLACE MACRO kv_after(s) AS CASE WHEN s = '' THEN NULL
         WHEN starts_with(s, '"') THEN split_part(s, '"', 2) ELSE split_part(s, ' ', 1) END""",
    """CREATE OR REPLACE MACRO kv(line, k) AS kv_after(split_part(line, ' ' || k || '=', 2))""",
    # The value of ``key=`` in a CEF extension (values run to the next `` key=``).
    """CREATE OR REPLACE MACRO cef_kv(ext, k) AS nullif(replace(replace(
         regexp_extract(ext, '(?:^| )' || k || '=((?:[^=\\\\]|\\\\.)*?)(?: [A-Za-z0-9_.]+=|$)', 1),
         '\\=', '='), '\\\\', '\\'), '')""",
    """CREATE OR REPLACE MACRO nn(s) AS nullif(nullif(trim(s), ''), '-')""",
    # URL-encoded UTF-8 (Digital Arts' logs): '+' is a space there, a literal '+' is %2B.
    """CREATE OR REPLACE MACRO urldec(s) AS url_decode(replace(s, '+', ' '))""",
    """CREATE OR REPLACE MACRO url_host(u) AS nullif(lower(split_part(split_part(split_part(
         regexp_replace(u, '^[A-Za-z][A-Za-z0-9+.-]*://', ''), '/', 1), '?', 1), ':', 1)), '')""",
    # One CSV record → its fields (RFC 4180 quoting: "a,b" and "" inside quotes). The regular
    # expression costs ≈ 18 s per million lines in DuckDB 2.0; most firewall records have no
    # quote at all, and for them one string_split is exact and ≈ 30× cheaper.
    """CREATE OR REPLACE MACRO csv_fields_quoted(s) AS list_transform(
         regexp_extract_all(s, '(?:^|,)("(?:[^"]|"")*"|[^,]*)', 1),
         lambda x: CASE WHEN starts_with(x, '"') THEN replace(x[2:-2], '""', '"') ELSE x END)""",
    """CREATE OR REPLACE MACRO csv_fields(s) AS CASE WHEN contains(s, '"')
         THEN csv_fields_quoted(s) ELSE string_split(s, ',') END""",
    """CREATE OR REPLACE MACRO proto_num(p) AS CASE upper(trim(p)) WHEN 'TCP' THEN 6
         WHEN 'UDP' THEN 17 WHEN 'ICMP' THEN 1 WHEN 'IPV6-ICMP' THEN 58 WHEN 'SCTP' THEN 132
         WHEN 'GRE' THEN 47 WHEN 'ESP' THEN 50 ELSE TRY_CAST(p AS SMALLINT) END""",
    # Appliances' own severity words and verdicts → OCSF severity_id (NULL when unknown).
    # The words firewalls write on almost every line come first: a CASE compares in order.
    """CREATE OR REPLACE MACRO sev_id(s) AS CASE lower(trim(s))
         WHEN 'notice' THEN 2 WHEN 'information' THEN 1 WHEN 'warning' THEN 3
         WHEN 'info' THEN 1 WHEN 'informational' THEN 1
         WHEN 'fatal' THEN 6
         WHEN 'critical' THEN 5 WHEN 'emergency' THEN 5 WHEN 'malicious' THEN 5
         WHEN 'high' THEN 4 WHEN 'alert' THEN 4 WHEN 'high risk' THEN 4 WHEN 'infected' THEN 4
         WHEN 'medium' THEN 3 WHEN 'error' THEN 3 WHEN 'medium risk' THEN 3
         WHEN 'suspicious' THEN 3
         WHEN 'low' THEN 2 WHEN 'low risk' THEN 2
         WHEN 'clean' THEN 1 WHEN 'debug' THEN 1 END""",
    # Vendors' action words → OCSF action_id: 1 allowed, 2 denied, NULL when unknown.
    """CREATE OR REPLACE MACRO action_of(a) AS CASE
         WHEN lower(a) IN ('accept', 'accepted', 'allow', 'allowed', 'pass', 'passthrough',
              'close', 'timeout', 'client-rst', 'server-rst', 'start', 'permit', 'detected',
              'monitored', 'alert', 'delivered', 'sent', 'send', 'relay', 'tcp_miss', 'tcp_hit',
              'tcp_refresh_modified', 'tcp_tunnel', 'exempted', 'tagged', 'warning', 'log') THEN 1
         WHEN lower(a) IN ('deny', 'denied', 'block', 'blocked', 'drop', 'dropped', 'reset',
              'reset-both', 'reset-client', 'reset-server', 'reject', 'rejected', 'quarantine',
              'quarantined', 'delete', 'deleted', 'discard', 'discarded', 'removed', 'prevent',
              'tcp_denied', 'blocked-url', 'block-url', 'drop-all-packets', 'clean', 'cleaned',
              'replaced') THEN 2 END""",
    """CREATE OR REPLACE MACRO url_path(u) AS nullif(regexp_extract(
         regexp_replace(u, '^[A-Za-z][A-Za-z0-9+.-]*://', ''), '(/.*)$', 1), '')""",
)


@dataclass(frozen=True)
class EngineConfig:
    """How much of the machine one engine connection may take.

    ``memory_limit`` is DuckDB's cap (e.g. ``"4GB"``); past it, operators spill to
    ``temp_directory``. The Django settings pass these through.
    """

    memory_limit: str = "2GB"
    threads: int = 2
    temp_directory: Path = field(
        default_factory=lambda: Path(tempfile.gettempdir()) / "mamoru-duckdb"
    )


def connect(config: EngineConfig | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection that never fetches an extension, with the macros."""
    cfg = config or EngineConfig()
    cfg.temp_directory.mkdir(parents=True, exist_ok=True)
    extension_dir = cfg.temp_directory / "no-extensions"
    extension_dir.mkdir(exist_ok=True)
    con = duckdb.connect(
        ":memory:",
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_community_extensions": False,
            "allow_unsigned_extensions": False,
            # An empty directory of our own: nothing installed elsewhere on the host is loaded.
            "extension_directory": str(extension_dir),
            "memory_limit": cfg.memory_limit,
            "threads": max(1, cfg.threads),
            "temp_directory": str(cfg.temp_directory),
            # Output order comes from explicit ORDER BY; this keeps COPY's memory flat.
            "preserve_insertion_order": False,
        },
    )
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    for macro in _MACROS:
        con.execute(macro)
    return con


_UNITS = {"": 1, "b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4,
          "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4}  # fmt: skip
_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z]*)\s*")


def share_memory(limit: str, parts: int) -> str:
    """One of ``parts`` equal shares of a DuckDB memory limit such as ``"4GB"`` (in bytes).

    Connections that run side by side share the operator's cap instead of each taking it.
    """
    match = _SIZE.fullmatch(limit.lower())
    if parts <= 1 or match is None or match.group(2) not in _UNITS:
        return limit
    total = float(match.group(1)) * _UNITS[match.group(2)]
    return f"{int(total // parts)}B"


def cpu_count() -> int:
    """Cores this process may use (the affinity mask, not the machine's total)."""
    return len(os.sched_getaffinity(0))
