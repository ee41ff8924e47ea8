"""Background work of the attack-surface app. Tasks take ids and plain values, call the
services and are idempotent: a scan job runs only with the lease it was dispatched with,
alerts are raised once per organisation and vulnerability, e-mails are claimed one by one.

Periodic jobs (``core.scheduler``): taking back the jobs of silent workers, scheduled
scans, expired risk acceptances, the dashboards' daily figures and the national ranking.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from mamoru.asm import services
from mamoru.core.scheduler import periodic
from mamoru.orgs.principal import System
from mamoru.orgs.selectors import organisation_list


@task()
def run_scan_job(job_id: int, lease: str) -> str:
    """Run one scan job dispatched with ``lease`` (see ``services.jobs``)."""
    return services.job_run(job_id=job_id, lease=lease)


@task()
def recover_scan_jobs() -> dict[str, list[int]]:
    """Queue again (or fail, with the reason) the jobs of workers that stopped answering."""
    return services.jobs_recover()


@task()
def queue_scheduled_scans() -> int:
    """Queue the scans that are due (``ASM_SCAN_INTERVAL_DAYS`` after the last one)."""
    return len(services.scheduled_scans_queue())


@task()
def expire_risk_acceptances() -> int:
    return services.risk_acceptances_expire()


@task()
def refresh_exposure() -> int:
    """Every organisation's figures of the day (overdue KEV items, the month charts)."""
    return services.exposure_refresh_all()


@task()
def refresh_national_rollup() -> int:
    return services.national_rollup_refresh().pk


@task()
def raise_exposure_alerts(kev_ids: list[str], vulnerability_ids: list[str]) -> int:
    """Alert the organisations exposed to new KEV entries and advisories (and their prefecture)."""
    return services.exposure_alerts_raise(kev_ids=kev_ids, vulnerability_ids=vulnerability_ids)


@task()
def send_alert_emails(ids: list[int]) -> int:
    return services.alert_emails_send(ids=ids)


@task()
def discover_suggestions(organisation_code: str) -> int:
    """Look for names in an organisation's own domains after its scan."""
    organisation = organisation_list().get(code=organisation_code)
    found = services.suggestions_discover(
        principal=System("asm: discovery after a scan"), organisation=organisation
    )
    return len(found)


periodic(
    recover_scan_jobs,
    every=timedelta(seconds=max(1, int(settings.ASM_RECOVER_SECONDS))),
    name="asm.scan-jobs-recover",
    description="応答しなくなったワーカーの診断作業を再実行（または失敗として記録）",
)
periodic(
    queue_scheduled_scans,
    every=timedelta(hours=1),
    name="asm.scheduled-scans",
    description="定期診断の登録（前回から ASM_SCAN_INTERVAL_DAYS 日たった団体）",
)
periodic(
    expire_risk_acceptances,
    every=timedelta(hours=1),
    name="asm.risk-acceptances-expire",
    description="期限が過ぎたリスク受容を未対応に戻す",
)
periodic(
    refresh_exposure,
    every=timedelta(days=1),
    name="asm.exposure-daily",
    description="団体・都道府県・全国の露出の集計（日次）",
)
periodic(
    refresh_national_rollup,
    every=timedelta(minutes=15),
    name="asm.national-rollup",
    description="全国の脆弱性・製品の順位の集計",
)
