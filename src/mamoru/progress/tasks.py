"""Background work of the progress app: the derived dashboard rows and the reminders.
Each task takes ids and plain values, calls a service, and may run any number of times."""

from __future__ import annotations

from datetime import date, timedelta

from django_tasks import task

from mamoru.core.scheduler import periodic
from mamoru.progress.services import (
    campaign_rollups_refresh,
    campaigns_running,
    notice_reminders_send,
)


@task()
def refresh_campaign(campaign_id: int) -> int:
    """Recompute every derived row of one campaign (after it starts)."""
    from mamoru.progress.models import Campaign

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    return 0 if campaign is None else campaign_rollups_refresh(campaign=campaign)


@task()
def refresh_prefecture(campaign_id: int, prefecture_code: str, month: str) -> int:
    """Recompute one prefecture's derived rows from ``month`` (a report was submitted)."""
    from mamoru.progress.models import Campaign

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    return campaign_rollups_refresh(
        campaign=campaign,
        prefecture_codes={prefecture_code},
        from_month=date.fromisoformat(month),
    )


@task()
def refresh_current_months() -> int:
    """Carry every participant into the current month (and recompute last month, whose
    reports arrive until the deadline), so a month without reports still shows who is late."""
    return sum(
        campaign_rollups_refresh(campaign=campaign, from_month=from_month)
        for campaign, from_month in campaigns_running()
    )


@task()
def notice_reminders() -> int:
    """Remind recipients who have not confirmed a notice whose confirmation date is near
    or past (each delivery at most once before and once after the date)."""
    return notice_reminders_send()


periodic(
    refresh_current_months,
    every=timedelta(hours=6),
    name="progress.refresh-current-months",
    description="進捗管理の今月分の集計（未報告の団体の遅れを含む）",
)
periodic(
    notice_reminders,
    every=timedelta(hours=6),
    name="progress.notice-reminders",
    description="確認期限が近い・過ぎたお知らせの催促",
)
