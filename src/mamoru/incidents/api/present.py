"""From records to the plain dicts the output serializers render."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from mamoru.core.suppression import Table
from mamoru.incidents.content import Phase, SubmissionView, to_dict
from mamoru.incidents.due import is_overdue
from mamoru.incidents.models import Delivery, IncidentReport, ReportStatus, Submission
from mamoru.incidents.records import self_approved
from mamoru.incidents.selectors import InboxItem, IndividualNotice, RecipientState


def delivery_out(delivery: Delivery, now: datetime | None = None) -> dict[str, Any]:
    return {
        "id": delivery.pk,
        "recipient": delivery.recipient,
        "submission": delivery.submission,
        "delivered_at": delivery.delivered_at,
        "rule_ids": delivery.rule_ids,
        "sections": delivery.sections,
        "preliminary": {
            "timing": delivery.preliminary_timing,
            "due_at": delivery.preliminary_due_at,
        },
        "final": {"timing": delivery.final_timing, "due_at": delivery.final_due_at},
        "next_due_at": delivery.next_due_at,
        "overdue": is_overdue(delivery, now=now or timezone.now()),
        "acknowledged_at": delivery.acknowledged_at,
    }


def submission_out(submission: Submission) -> dict[str, Any]:
    return {
        "version": submission.version,
        "phase": submission.phase,
        "phase_label": Phase(submission.phase).label,
        "submitted_at": submission.submitted_at,
        "submitted_by": submission.submitted_by.get_username(),
        "approved_by": submission.approved_by.get_username(),
        "checksum": submission.checksum,
        "ruleset_version": submission.ruleset_version,
        "routing": submission.routing,
        "content": submission.content,
    }


def report_summary_out(report: IncidentReport) -> dict[str, Any]:
    return {
        "public_id": report.public_id,
        "number": report.number,
        "title": report.title,
        "status": report.status,
        "status_label": ReportStatus(report.status).label,
        "created_at": report.created_at,
        "updated_at": report.updated_at,
        "closed_at": report.closed_at,
    }


def report_out(
    report: IncidentReport, submissions: list[Submission], deliveries: list[Delivery]
) -> dict[str, Any]:
    now = timezone.now()
    return {
        **report_summary_out(report),
        "organisation": report.organisation,
        "created_by": report.created_by.get_username(),
        "draft": report.draft,
        "submissions": [submission_out(s) for s in submissions],
        "deliveries": [delivery_out(d, now) for d in deliveries],
    }


def inbox_item_out(item: InboxItem, now: datetime | None = None) -> dict[str, Any]:
    delivery = item.delivery
    return {
        "id": delivery.pk,
        "report_id": delivery.report.public_id,
        "report_number": delivery.report.number,
        "reporter": delivery.report.organisation,
        "title": item.view.content.title,
        "version": item.view.version,
        "phase": item.view.phase.value,
        "phase_label": item.view.phase.label,
        "delivered_at": delivery.delivered_at,
        "sections": delivery.sections,
        "next_due_at": delivery.next_due_at,
        "overdue": is_overdue(delivery, now=now or timezone.now()),
        "acknowledged_at": delivery.acknowledged_at,
        "self_approved": self_approved(delivery.submission),
    }


def view_content_out(view: SubmissionView, facts: dict[str, Any]) -> dict[str, Any]:
    """A recipient's view of a submission as the API shows it: the cut content, with the
    facts it may see (``records.visible_facts``) in place of the stored ones."""
    content = to_dict(view.content)
    content["facts"] = facts
    content.pop("red_recipients", None)
    return content


def inbox_detail_out(item: InboxItem, versions: list[int]) -> dict[str, Any]:
    content = view_content_out(item.view, item.facts)
    return {
        **inbox_item_out(item),
        "tlp": item.view.content.tlp.label,
        "content": content,
        "withheld": list(item.view.withheld),
        "versions": versions,
    }


def table_out(table: Table) -> dict[str, Any]:
    return {
        "cells": [
            {"key": c.key, "label": c.label, "count": c.count, "display": c.display}
            for c in table.cells
        ],
        "total": table.total,
        "total_display": table.total_display,
    }


def recipient_out(state: RecipientState) -> dict[str, Any]:
    delivery = state.delivery
    return {
        "recipient": delivery.recipient,
        "version": delivery.submission.version,
        "on_platform": state.reach.on_platform,
        "contact": delivery.recipient,
        "told_outside": state.told_outside,
        "needs_outside": state.needs_outside,
        "outside": state.outside,
    }


def notice_out(notice: IndividualNotice) -> dict[str, Any]:
    return {
        "required": notice.required,
        "bases": list(notice.bases),
        "status": notice.status.value,
        "status_label": notice.status_label,
        "note": notice.note,
        "updated_at": notice.updated_at,
        "outstanding": notice.outstanding,
    }
