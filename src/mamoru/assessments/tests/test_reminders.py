"""Reminders a week and a day before the deadline, each once, to the organisations that
have not submitted — and again after a return; the periodic job is declared."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from mamoru.accounts.models import User
from mamoru.assessments import services
from mamoru.assessments.models import Framework
from mamoru.assessments.testing import campaign, principal, submit, target_of, uniform
from mamoru.core.scheduler import declared_job
from mamoru.testing import CHIYODA, HACHIOJI, Cast

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("left", "stage"),
    [
        (timedelta(days=9), None),
        (timedelta(days=6), 7),
        (timedelta(hours=20), 1),
        (-timedelta(hours=1), None),
    ],
)
def test_the_stage_follows_the_time_left(left: timedelta, stage: int | None) -> None:
    now = timezone.now()
    assert services.reminder_stage(now + left, now) == stage


def test_each_reminder_is_sent_once_to_those_who_have_not_submitted(
    cast: Cast, framework: Framework, ciso: User
) -> None:
    now = timezone.now()
    made = campaign(
        framework, codes=[CHIYODA, HACHIOJI], deadline=now + timedelta(days=10), now=now
    )
    submit(target_of(made, HACHIOJI), uniform(framework, "city"))
    assert services.reminders_send(now=now) == 0  # ten days left: nothing yet
    week = now + timedelta(days=4)
    assert services.reminders_send(now=week) == 1
    assert services.reminders_send(now=week + timedelta(hours=1)) == 0
    (sent,) = mail.outbox
    assert "回答期限が近い調査があります" in sent.subject
    assert cast.chiyoda.email in sent.to
    assert f"/assessments/targets/{target_of(made, CHIYODA).pk}/" in sent.body
    day = now + timedelta(days=9, hours=12)
    assert services.reminders_send(now=day) == 1
    assert services.reminders_send(now=day) == 0
    assert len(mail.outbox) == 2


def test_a_return_starts_the_reminders_again(cast: Cast, framework: Framework, ciso: User) -> None:
    now = timezone.now()
    made = campaign(framework, codes=[CHIYODA], deadline=now + timedelta(hours=12), now=now)
    target = target_of(made, CHIYODA)
    assert services.reminders_send(now=now) == 1
    submit(target, uniform(framework, "special_ward"), approver=ciso)
    assert services.reminders_send(now=now) == 0
    services.target_review(
        principal=principal(cast.tokyo), target=target, decision="returned", comment="直して"
    )
    assert services.reminders_send(now=now) == 1


def test_the_reminders_run_hourly_from_the_scheduler() -> None:
    job = declared_job("assessments.deadline-reminders")
    assert job.every == timedelta(hours=1)
