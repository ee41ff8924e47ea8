"""Background tasks of the incidents app: they take ids, call a service, and are idempotent."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from mamoru.core.scheduler import periodic
from mamoru.incidents.services import deadline_reminders_send, notification_emails_send


@task()
def send_notification_emails(ids: list[int]) -> int:
    """E-mail these notifications (each at most once, however often this runs)."""
    return notification_emails_send(ids=ids)


@task()
def deadline_reminders() -> int:
    """Remind reporters of deadlines within two days, and once when one has passed.
    Safe to run as often as wanted (e.g. hourly): each reminder is sent once."""
    return deadline_reminders_send()


periodic(
    deadline_reminders,
    every=timedelta(hours=1),
    name="incidents.deadline-reminders",
    description="報告期限が近い・過ぎた報告の通知",
)
