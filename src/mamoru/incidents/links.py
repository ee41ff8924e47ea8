"""Where notifications point: the pages of a report and of an inbox item, by URL name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

if TYPE_CHECKING:
    from mamoru.incidents.models import Delivery, IncidentReport


def report_link(report: IncidentReport) -> str:
    return reverse("incidents:report", args=[report.public_id])


def approval_link(report: IncidentReport) -> str:
    """The approval page itself: the approver acts from the notification in one click."""
    return reverse("incidents:report_approve", args=[report.public_id])


def sent_link(report: IncidentReport) -> str:
    """What went where after the newest submission."""
    return reverse("incidents:report_sent", args=[report.public_id])


def inbox_link(delivery: Delivery) -> str:
    return reverse("incidents:inbox_item", args=[delivery.pk])
