"""Writes of the attack-surface app (``<entity>_<verb>(*, principal, …)``, atomic, audited).

Every service takes the acting principal and checks it (``services._access``): the
organisation's own editors change its records; a national operator may add assets and
request scans on its behalf; the system (tasks, commands, the demo) acts as
``System("why")``. Refusals are ``PermissionDenied``; bad input ``ValidationError`` and a
wrong state ``StateConflict``, with Japanese messages.
"""

from mamoru.asm.services.alerts import alert_emails_send, alert_notice_read, exposure_alerts_raise
from mamoru.asm.services.assets import (
    ImportSummary,
    asset_approve,
    asset_create,
    asset_retire,
    asset_update,
    assets_approve,
    assets_import,
)
from mamoru.asm.services.discovery import (
    suggestion_accept,
    suggestion_reject,
    suggestions_discover,
)
from mamoru.asm.services.exposure import (
    exposure_refresh,
    exposure_refresh_all,
    national_rollup_refresh,
)
from mamoru.asm.services.findings import (
    finding_accept_risk,
    finding_acknowledge,
    finding_mark_fixed,
    finding_note,
    finding_reopen,
    risk_acceptances_expire,
)
from mamoru.asm.services.jobs import job_run, jobs_dispatch, jobs_recover, scan_run_here
from mamoru.asm.services.scans import campaign_start, scan_request, scheduled_scans_queue

__all__ = [
    "ImportSummary",
    "alert_emails_send",
    "alert_notice_read",
    "asset_approve",
    "asset_create",
    "asset_retire",
    "asset_update",
    "assets_approve",
    "assets_import",
    "campaign_start",
    "exposure_alerts_raise",
    "exposure_refresh",
    "exposure_refresh_all",
    "finding_accept_risk",
    "finding_acknowledge",
    "finding_mark_fixed",
    "finding_note",
    "finding_reopen",
    "job_run",
    "jobs_dispatch",
    "jobs_recover",
    "national_rollup_refresh",
    "risk_acceptances_expire",
    "scan_request",
    "scan_run_here",
    "scheduled_scans_queue",
    "suggestion_accept",
    "suggestion_reject",
    "suggestions_discover",
]
