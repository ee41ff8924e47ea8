"""Incident reports for tests, made through the services (a report's records — submissions,
deliveries, deadlines — only make sense as the services write them)."""

from __future__ import annotations

from typing import Any

from mamoru.accounts.models import User
from mamoru.incidents import services
from mamoru.incidents.models import IncidentReport
from mamoru.incidents.testing import content_dict, principal


def draft_report(author: User, **content: Any) -> IncidentReport:
    """A draft of ``author``'s organisation (``content`` goes to ``content_dict``)."""
    return services.report_create(principal=principal(author), content=content_dict(**content))


def submitted_report(author: User, approver: User, **content: Any) -> IncidentReport:
    """A report drafted by ``author`` and approved and submitted by ``approver``."""
    report = draft_report(author, **content)
    services.report_request_approval(report=report, principal=principal(author))
    services.report_approve_and_submit(report=report, principal=principal(approver))
    report.refresh_from_db()
    return report
