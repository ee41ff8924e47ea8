"""Reminders to reporters before deadlines: the task, the command, and idempotence."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mamoru.accounts.models import User
from mamoru.incidents.models import Delivery, Notification
from mamoru.incidents.routing.testing import DEFAULT_AWARE
from mamoru.incidents.services import (
    deadline_reminders_send,
    report_approve_and_submit,
    report_create,
)
from mamoru.incidents.tasks import deadline_reminders
from mamoru.incidents.testing import content_dict, principal
from mamoru.testing import Cast

pytestmark = pytest.mark.django_db

# A Wednesday 10:00 JST: the 第一報 is due "promptly" (indicative: the next business day).
SOON_AFTER = DEFAULT_AWARE + timedelta(hours=1)


def reminders_of(user: User) -> list[str]:
    return list(
        Notification.objects.filter(user=user, kind="deadline").values_list("text", flat=True)
    )


def test_a_draft_is_reminded_of_its_first_report(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    report_create(
        principal=principal(cast.chiyoda),
        content=content_dict(title="サーバー停止", aware=DEFAULT_AWARE),
    )
    with django_capture_on_commit_callbacks(execute=True):
        created = deadline_reminders_send(now=SOON_AFTER)
    texts = reminders_of(cast.chiyoda)
    assert created >= 1
    assert any("サーバー停止" in t and "第一報" in t for t in texts)
    assert not reminders_of(cast.hachioji)
    assert not reminders_of(cast.tokyo)
    (email,) = {m.subject for m in mail.outbox if m.to == [cast.chiyoda.email]}
    assert email == "【mamoru】インシデント報告の期限が近づいています"
    assert all("サーバー停止" not in m.body for m in mail.outbox)


def test_reminders_are_sent_once(cast: Cast) -> None:
    report_create(principal=principal(cast.chiyoda), content=content_dict(aware=DEFAULT_AWARE))
    assert deadline_reminders_send(now=SOON_AFTER) >= 1
    assert deadline_reminders_send(now=SOON_AFTER) == 0
    # Later, past the deadline, the task (the same service) reminds once more, then never.
    assert deadline_reminders.call() >= 1
    assert deadline_reminders.call() == 0


def test_a_final_report_due_soon_is_reminded_and_then_overdue(cast: Cast, ciso: User) -> None:
    report = report_create(principal=principal(cast.chiyoda), content=content_dict())
    report_approve_and_submit(report=report, principal=principal(ciso))
    delivery = Delivery.objects.get(report=report, recipient__code="MIC")
    assert delivery.next_due_at is not None
    assert deadline_reminders_send() == 0  # 30 days away
    soon = delivery.next_due_at - timedelta(days=1)
    assert deadline_reminders_send(now=soon) >= 1
    assert any("総務省" in t and "確報の期限は" in t for t in reminders_of(cast.chiyoda))
    late = delivery.next_due_at + timedelta(hours=1)
    assert deadline_reminders_send(now=late) >= 1
    assert any("を過ぎています" in t for t in reminders_of(cast.chiyoda))
    assert deadline_reminders_send(now=late) == 0


def test_a_closed_report_is_not_reminded(cast: Cast, ciso: User) -> None:
    report = report_create(principal=principal(cast.chiyoda), content=content_dict())
    report_approve_and_submit(report=report, principal=principal(ciso), final=True)
    assert deadline_reminders_send(now=timezone.now() + timedelta(days=40)) == 0


def test_the_command_reminds(cast: Cast) -> None:
    report_create(principal=principal(cast.chiyoda), content=content_dict())
    out = StringIO()
    call_command("incidents", "remind", stdout=out)
    assert "期限の通知を" in out.getvalue()
    assert reminders_of(cast.chiyoda)
