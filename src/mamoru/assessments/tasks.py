"""Background work of the assessments app: freezing a closed campaign's snapshot, and the
reminders before deadlines (a periodic job). Tasks take ids, call a service, and are
idempotent: running one twice changes nothing more."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from mamoru.assessments.models import Campaign
from mamoru.assessments.services import campaign_freeze, reminders_send
from mamoru.core.scheduler import periodic
from mamoru.orgs.principal import System


@task()
def freeze_campaign(campaign_id: int) -> int:
    """Freeze the snapshot of a closed campaign (scores and peer statistics, once); the
    number of organisations it holds."""
    campaign = Campaign.objects.unscoped("a task that works for the campaign's sender").get(
        pk=campaign_id
    )
    snapshot = campaign_freeze(principal=System("assessments freeze at close"), campaign=campaign)
    return snapshot.organisations


@task()
def deadline_reminders() -> int:
    """Remind organisations that have not submitted, a week and a day before the deadline
    (each reminder once, however often this runs)."""
    return reminders_send()


periodic(
    deadline_reminders,
    every=timedelta(hours=1),
    name="assessments.deadline-reminders",
    description="回答期限が近い調査の通知（7日前・前日）",
)
