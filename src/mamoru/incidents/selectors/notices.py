"""Reading the duty to notify the people whose data it is (本人への通知) of an own report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mamoru.core.jpcalendar import to_jst
from mamoru.incidents.models import IncidentReport, NoticeStatus
from mamoru.incidents.records import draft_content, reporter_context
from mamoru.incidents.routing import individual_notice_bases, route, ruleset_for
from mamoru.incidents.selectors.reports import report_get
from mamoru.orgs.principal import Principal


@dataclass(frozen=True, slots=True)
class IndividualNotice:
    """The duty and where it stands. ``required`` follows the routing of the report as it
    is now (the draft, which after a submission is what was submitted): the duty stands in
    the cases the report to PPC does. ``status`` is what the reporter recorded."""

    required: bool
    bases: tuple[str, ...]  # e.g. ("個人情報保護法第68条第2項",)
    status: NoticeStatus
    note: str
    updated_at: datetime | None

    @property
    def status_label(self) -> str:
        return str(self.status.label)

    @property
    def outstanding(self) -> bool:
        """Required, and nothing that discharges it has been recorded yet."""
        settled = {NoticeStatus.DONE, NoticeStatus.SUBSTITUTE, NoticeStatus.EXEMPT}
        return self.required and self.status not in settled


def individual_notice_of(report: IncidentReport) -> IndividualNotice:
    """The notice duty of ``report`` (no access check: callers hold a report they may read)."""
    content = draft_content(report)
    ruleset = ruleset_for(to_jst(report.created_at).date())
    routed = route(content.facts, reporter=reporter_context(report.organisation), ruleset=ruleset)
    bases = individual_notice_bases(routed)
    return IndividualNotice(
        required=bool(bases),
        bases=bases,
        status=NoticeStatus(report.individual_notice_status),
        note=report.individual_notice_note,
        updated_at=report.individual_notice_updated_at,
    )


def report_individual_notice(*, principal: Principal, public_id: str) -> IndividualNotice:
    """The notice duty of one of the principal's own reports; ``DoesNotExist`` outside."""
    return individual_notice_of(report_get(principal=principal, public_id=public_id))
