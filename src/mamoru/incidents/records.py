"""From stored rows to the frozen records the rest of the code works on (no queries here).

``submission_view`` is the reporter's view of a stored submission; ``delivery_view`` is a
recipient's, cut by ``content.view_for`` with the sections its delivery grants.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from mamoru.incidents.content import (
    FACT_SECTIONS,
    Phase,
    ReportContent,
    SubmissionView,
    from_dict,
    to_dict,
    view_for,
    visible_sections,
)
from mamoru.incidents.models import Delivery, IncidentReport, Submission
from mamoru.incidents.routing import ReporterContext
from mamoru.orgs.models import Organisation, OrganisationKind


def canonical_bytes(content: dict[str, Any]) -> bytes:
    """The bytes a submission's checksum covers: sorted keys, no spaces, UTF-8."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def content_checksum(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(content)).hexdigest()


def draft_content(report: IncidentReport) -> ReportContent:
    return from_dict(report.draft)


def stored_form(content: ReportContent) -> dict[str, Any]:
    """``to_dict`` passed through JSON, i.e. exactly what the database gives back."""
    result: dict[str, Any] = json.loads(json.dumps(to_dict(content)))
    return result


def submission_view(submission: Submission) -> SubmissionView:
    """The whole submission, as the reporter (and the records) see it."""
    report = submission.report
    return SubmissionView(
        report_id=str(report.public_id),
        reporter_code=report.organisation.code,
        reporter_name=report.organisation.name,
        phase=Phase(submission.phase),
        version=submission.version,
        submitted_at=submission.submitted_at,
        content=from_dict(submission.content),
        approved_by=submission.approved_by.get_username(),
    )


def delivery_view(delivery: Delivery) -> tuple[SubmissionView, dict[str, Any]]:
    """The submission as its recipient may see it (granted sections, TLP:RED only if named)
    and the facts it may see, from one parse of the stored content."""
    whole = submission_view(delivery.submission)
    recipient = delivery.recipient.code
    granted = frozenset(delivery.sections)
    return (
        view_for(whole, recipient=recipient, granted=granted),
        visible_facts(whole.content, recipient=recipient, granted=granted),
    )


def self_approved(submission: Submission) -> bool:
    """Whether the person who approved ``submission`` also wrote the report or asked for its
    approval: allowed (a one-person village may have no one else), but recipients are told,
    so that the prefecture can follow it up."""
    report = submission.report
    return submission.approved_by_id in {report.created_by_id, report.approval_requested_by_id}


class NotALocalGovernmentError(ValueError):
    pass


def reporter_context(organisation: Organisation) -> ReporterContext:
    """Who reports, for routing: the organisation and the prefecture it belongs to."""
    if organisation.kind == OrganisationKind.PREFECTURE:
        prefecture = organisation
    elif organisation.is_municipality and organisation.parent is not None:
        prefecture = organisation.parent
        while prefecture.kind != OrganisationKind.PREFECTURE and prefecture.parent is not None:
            prefecture = prefecture.parent
    else:
        raise NotALocalGovernmentError(organisation.code)
    return ReporterContext(organisation.code, organisation.name, prefecture.code, prefecture.name)


def visible_facts(
    content: ReportContent, *, recipient: str | None = None, granted: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The facts of ``content`` as a dict, only those whose section ``recipient`` may see
    (``recipient=None``: the reporter, who sees everything). A section marked TLP:RED
    takes its facts with it, even when it has no text."""
    facts: dict[str, Any] = to_dict(content)["facts"]
    if recipient is None:
        return facts
    shown = visible_sections(content, recipient=recipient, granted=granted)
    return {name: value for name, value in facts.items() if FACT_SECTIONS.get(name) in shown}


__all__ = [
    "FACT_SECTIONS",
    "canonical_bytes",
    "content_checksum",
    "delivery_view",
    "draft_content",
    "reporter_context",
    "self_approved",
    "stored_form",
    "submission_view",
    "visible_facts",
    "visible_sections",
]
