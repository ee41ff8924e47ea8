"""Monthly report figures for a prefecture or one municipality, read from the hourly rollups.

The names are the ones the policy documents cite and the CLI's JSON uses: firewall
sessions allowed and blocked, IPS detections by severity, malware removed from mail, spam,
suspicious files (sandbox), URL-filter blocks by category; with the previous months for
trends, the most attacked services and the top source countries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from mamoru.seccloud.engine.db import EngineConfig, connect
from mamoru.seccloud.engine.schema import SEVERITY_NAMES
from mamoru.seccloud.engine.store import Store, normalise_prefecture

__all__ = ["MonthlyFigures", "monthly_report", "monthly_reports"]

# Mail protocols: an antivirus verdict on these is "malware removed from mail".
_MAIL_APPS = (
    "('SMTP', 'SMTPS', 'POP3', 'POP3S', 'IMAP', 'IMAPS', 'smtp', 'pop3', 'imap', 'm-FILTER')"
)

_FIGURES_SQL = f"""
SELECT
  coalesce(sum(events) FILTER (WHERE metadata_log_name = 'traffic' AND action_id <> 2), 0) AS fw_allowed,
  coalesce(sum(events) FILTER (WHERE metadata_log_name = 'traffic' AND action_id = 2), 0) AS fw_blocked,
  coalesce(sum(events) FILTER (WHERE metadata_log_name = 'virus' AND (class_uid = 2004 AND app_category IN {_MAIL_APPS})), 0) AS malware_mail,
  coalesce(sum(events) FILTER (WHERE metadata_log_name = 'virus'), 0) AS malware_all,
  coalesce(sum(events) FILTER (WHERE metadata_log_name = 'spam'), 0) AS spam,
  coalesce(sum(events) FILTER (WHERE metadata_log_name = 'sandbox'), 0) AS sandbox,
  coalesce(sum(events) FILTER (WHERE metadata_log_name = 'webfilter' AND action_id = 2), 0) AS url_blocks,
  coalesce(sum(events) FILTER (WHERE metadata_log_name = 'ips'), 0) AS ips
FROM rollup WHERE ym = $ym"""


@dataclass
class MonthlyFigures:
    """One month's report figures (JSON-ready through :meth:`as_dict`)."""

    prefecture: str
    organisation: str | None
    month: str
    firewall_sessions_allowed: int
    firewall_sessions_blocked: int
    ips_detections_by_severity: dict[str, int]
    malware_removed_from_mail: int
    malware_detected_total: int
    spam: int
    suspicious_files: int
    url_blocks_by_category: dict[str, int]
    trend: list[dict[str, Any]] = field(default_factory=list)
    top_attacked_services: list[dict[str, Any]] = field(default_factory=list)
    top_source_countries: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ips_detections(self) -> int:
        return sum(self.ips_detections_by_severity.values())

    @property
    def url_blocks(self) -> int:
        return sum(self.url_blocks_by_category.values())

    def as_dict(self) -> dict[str, Any]:
        """The figures by name, as the CLI's JSON prints them."""
        data = dict(self.__dict__)
        data["ips_detections"] = self.ips_detections
        data["url_blocks"] = self.url_blocks
        return data


def _months_back(month: str, count: int) -> list[str]:
    year, mon = (int(part) for part in month.split("-"))
    out = []
    for _ in range(count):
        mon -= 1
        if mon == 0:
            year, mon = year - 1, 12
        out.append(f"{year:04d}-{mon:02d}")
    return out


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _rollup_view(
    con: duckdb.DuckDBPyConnection,
    store: Store,
    pref: str,
    months: list[str],
    organisation: str | None,
) -> bool:
    files = [
        str(p)
        for m in months
        for p in (store.rollups / f"pref={pref}" / f"ym={m}").rglob("*.parquet")
    ]
    if not files:
        con.execute(
            "CREATE OR REPLACE TEMP VIEW rollup AS SELECT NULL::VARCHAR AS ym, NULL::VARCHAR AS org_uid, "
            "NULL::SMALLINT AS class_uid, NULL::VARCHAR AS metadata_log_name, NULL::TINYINT AS action_id, "
            "NULL::VARCHAR AS app_category, NULL::VARCHAR AS country, NULL::TINYINT AS severity_id, "
            "NULL::BIGINT AS events WHERE false"
        )
        return False
    # A view cannot take parameters: the file names and the code are quoted literals.
    where = f"WHERE org_uid = {_quote(organisation)}" if organisation else ""
    listed = ", ".join(_quote(f) for f in files)
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW rollup AS SELECT * FROM read_parquet([{listed}], hive_partitioning = true) {where}"
    )
    return True


def monthly_report(
    *,
    store: Path,
    prefecture: str,
    month: str,
    organisation: str | None = None,
    trend_months: int = 5,
    top: int = 10,
    config: EngineConfig | None = None,
) -> MonthlyFigures:
    """The monthly figures of ``prefecture`` (or of one ``organisation`` in it) for ``month`` (YYYY-MM)."""
    date.fromisoformat(month + "-01")  # validates YYYY-MM
    pref = normalise_prefecture(prefecture)
    months = [month, *_months_back(month, trend_months)]
    con = connect(config)
    try:
        _rollup_view(con, Store(store), pref, months, organisation)
        return _figures(
            con, pref=pref, month=month, months=months, organisation=organisation, top=top
        )
    finally:
        con.close()


def monthly_reports(
    *,
    store: Path,
    prefecture: str,
    month: str,
    trend_months: int = 5,
    top: int = 10,
    config: EngineConfig | None = None,
) -> dict[str | None, MonthlyFigures]:
    """The figures of the whole prefecture (key ``None``) and of every municipality with
    rollups in ``month``, from one read of the rollups (the files are read once into a
    table of the report's dimensions, then each organisation is a filter over it)."""
    date.fromisoformat(month + "-01")
    pref = normalise_prefecture(prefecture)
    months = [month, *_months_back(month, trend_months)]
    con = connect(config)
    try:
        _rollup_view(con, Store(store), pref, months, None)
        con.execute(
            "CREATE TEMP TABLE rollup_all AS SELECT ym, org_uid, class_uid, metadata_log_name, "
            "action_id, app_category, country, severity_id, sum(events)::BIGINT AS events "
            "FROM rollup GROUP BY ALL"
        )
        codes = [
            str(r[0])
            for r in con.execute(
                "SELECT DISTINCT org_uid FROM rollup_all WHERE ym = $ym AND org_uid IS NOT NULL "
                "ORDER BY 1",
                {"ym": month},
            ).fetchall()
        ]
        out: dict[str | None, MonthlyFigures] = {}
        for code in [None, *codes]:
            where = f"WHERE org_uid = {_quote(code)}" if code else ""
            con.execute(f"CREATE OR REPLACE TEMP VIEW rollup AS SELECT * FROM rollup_all {where}")
            out[code] = _figures(
                con, pref=pref, month=month, months=months, organisation=code, top=top
            )
        return out
    finally:
        con.close()


def _figures(
    con: duckdb.DuckDBPyConnection,
    *,
    pref: str,
    month: str,
    months: list[str],
    organisation: str | None,
    top: int,
) -> MonthlyFigures:
    """The figures from the view ``rollup`` (already narrowed to the organisation)."""
    figures: dict[str, dict[str, int]] = {}
    for m in months:
        row = con.execute(_FIGURES_SQL, {"ym": m}).fetchone()
        names = [d[0] for d in con.description or []]
        figures[m] = dict(zip(names, (int(v) for v in row or ()), strict=True))
    ips = dict(
        con.execute(
            "SELECT severity_id, sum(events) FROM rollup WHERE ym = $ym AND metadata_log_name = 'ips' GROUP BY ALL",
            {"ym": month},
        ).fetchall()
    )
    url = con.execute(
        "SELECT app_category, sum(events)::BIGINT FROM rollup WHERE ym = $ym AND metadata_log_name = 'webfilter' "
        "AND action_id = 2 GROUP BY ALL ORDER BY 2 DESC, 1",
        {"ym": month},
    ).fetchall()
    services = con.execute(
        "SELECT app_category, sum(events)::BIGINT FROM rollup WHERE ym = $ym AND (metadata_log_name = 'ips' "
        "OR (metadata_log_name = 'traffic' AND action_id = 2)) GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT $top",
        {"ym": month, "top": top},
    ).fetchall()
    countries = con.execute(
        "SELECT country, sum(events)::BIGINT FROM rollup WHERE ym = $ym AND (metadata_log_name = 'ips' "
        "OR action_id = 2) GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT $top",
        {"ym": month, "top": top},
    ).fetchall()
    now = figures[month]
    return MonthlyFigures(
        prefecture=pref,
        organisation=organisation,
        month=month,
        firewall_sessions_allowed=now["fw_allowed"],
        firewall_sessions_blocked=now["fw_blocked"],
        ips_detections_by_severity={
            SEVERITY_NAMES[s]: int(ips.get(s, 0)) for s in (5, 4, 3, 2, 1, 0)
        },
        malware_removed_from_mail=now["malware_mail"],
        malware_detected_total=now["malware_all"],
        spam=now["spam"],
        suspicious_files=now["sandbox"],
        url_blocks_by_category={str(k): int(v) for k, v in url},
        trend=[
            {
                "month": m,
                "firewall_sessions_allowed": figures[m]["fw_allowed"],
                "firewall_sessions_blocked": figures[m]["fw_blocked"],
                "ips_detections": figures[m]["ips"],
                "malware_removed_from_mail": figures[m]["malware_mail"],
                "spam": figures[m]["spam"],
                "suspicious_files": figures[m]["sandbox"],
                "url_blocks": figures[m]["url_blocks"],
            }
            for m in reversed(months)
        ],
        top_attacked_services=[{"service": str(k), "events": int(v)} for k, v in services],
        top_source_countries=[{"country": str(k), "events": int(v)} for k, v in countries],
    )
