"""Every write of the security cloud, each taking the acting principal (or ``System``)."""

from mamoru.seccloud.services.alerts import alert_acknowledge, alert_close, detect_days
from mamoru.seccloud.services.common import (
    engine_config,
    prefecture_by_code,
    require_operator,
    spool_root,
    store_root,
)
from mamoru.seccloud.services.control import (
    bad_destinations_import,
    device_save,
    ranges_import,
    rule_set_enabled,
    rules_sync,
    schedule_save,
    severity_lines,
)
from mamoru.seccloud.services.ingest import (
    closed_segments,
    drop_ingest,
    drop_root,
    drop_status,
    dropped_files,
    ingest_files,
    ranges_for,
    spool_ingest,
    upload_save,
)
from mamoru.seccloud.services.reports import (
    figures_compute,
    last_month,
    month_text,
    schedule_mark_done,
    scheduled_reports_due,
)

__all__ = [
    "alert_acknowledge",
    "alert_close",
    "bad_destinations_import",
    "closed_segments",
    "detect_days",
    "device_save",
    "drop_ingest",
    "drop_root",
    "drop_status",
    "dropped_files",
    "engine_config",
    "figures_compute",
    "ingest_files",
    "last_month",
    "month_text",
    "prefecture_by_code",
    "ranges_for",
    "ranges_import",
    "require_operator",
    "rule_set_enabled",
    "rules_sync",
    "schedule_mark_done",
    "schedule_save",
    "scheduled_reports_due",
    "severity_lines",
    "spool_ingest",
    "spool_root",
    "store_root",
    "upload_save",
]
