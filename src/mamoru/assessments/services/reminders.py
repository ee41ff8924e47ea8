"""Reminders before a campaign's deadline to the organisations that have not submitted.

Each organisation is reminded once a week before the deadline and once the day before
(``REMINDER_DAYS``). Each reminder is claimed with a conditional UPDATE of the target's
``reminded_days`` before it is sent, so running the job as often as wanted, on as many
workers as run it, sends each reminder once. A return by the prefecture resets it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.assessments.models import EDITABLE, Campaign, CampaignStatus, Target
from mamoru.core.access import Permission
from mamoru.core.jpcalendar import to_jst
from mamoru.orgs.principal import System, audit
from mamoru.orgs.selectors import people_acting_in

REMINDER_DAYS: Final = (7, 1)
SYSTEM: Final = System("assessments deadline reminders")


def reminder_stage(deadline: datetime, now: datetime) -> int | None:
    """The reminder due at ``now``: the fewest days in ``REMINDER_DAYS`` that the time
    left is within; ``None`` when the deadline is further away or has passed."""
    left = deadline - now
    if left <= timedelta(0):
        return None
    due = [days for days in REMINDER_DAYS if left <= timedelta(days=days)]
    return min(due) if due else None


def _claim(target: Target, stage: int) -> bool:
    claimed = (
        Target.objects.unscoped("claiming one reminder of one target")
        .filter(pk=target.pk, status__in=EDITABLE)
        .filter(Q(reminded_days__isnull=True) | Q(reminded_days__gt=stage))
        .update(reminded_days=stage)
    )
    return claimed == 1


def _send(target: Target, campaign: Campaign) -> int:
    people = people_acting_in(organisation=target.organisation, permission=Permission.DATA_EDIT)
    addresses = [person.email for person in people if person.email]
    if not addresses:
        return 0
    deadline = to_jst(campaign.deadline)
    link = settings.SITE_URL.rstrip("/") + reverse("assessments:target", args=[target.pk])
    send_mail(
        _("【mamoru】回答期限が近い調査があります: %(title)s") % {"title": campaign.title},
        _(
            "%(organisation)s 御中\n\n「%(title)s」の回答期限は %(deadline)s です。"
            "まだ提出されていません。次のページから回答を続けてください。\n\n%(link)s\n"
        )
        % {
            "organisation": target.organisation.name,
            "title": campaign.title,
            "deadline": deadline.strftime("%Y年%m月%d日 %H:%M"),
            "link": link,
        },
        None,
        addresses,
    )
    return len(addresses)


def reminders_send(*, now: datetime | None = None) -> int:
    """Send the reminders due now; the number of organisations reminded."""
    now = now or timezone.now()
    horizon = now + timedelta(days=max(REMINDER_DAYS))
    campaigns = Campaign.objects.unscoped("reminders cover every open campaign").filter(
        status=CampaignStatus.OPEN, deadline__gt=now, deadline__lte=horizon
    )
    reminded = 0
    for campaign in campaigns:
        stage = reminder_stage(campaign.deadline, now)
        if stage is None:
            continue
        due = (
            Target.objects.unscoped("reminders go to every target that has not submitted")
            .filter(campaign=campaign, status__in=EDITABLE)
            .filter(Q(reminded_days__isnull=True) | Q(reminded_days__gt=stage))
            .select_related("organisation")
        )
        for target in due:
            if not _claim(target, stage):
                continue
            sent = _send(target, campaign)
            audit(
                SYSTEM,
                "assessments.reminder.send",
                organisation=target.organisation,
                target=f"target:{target.pk}",
                details={"days": stage, "recipients": sent},
            )
            reminded += 1
    return reminded
