"""Reads of campaigns, one organisation's reports and standing, and the follow-ups —
each from the access gate (``DataKind.PROGRESS``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from mamoru.audit.reads import audited_read
from mamoru.core.tabular import Cell
from mamoru.orgs.models import Organisation
from mamoru.orgs.policy import DataKind
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisations_readable
from mamoru.progress.models import (
    Campaign,
    CampaignItem,
    FollowUp,
    FollowUpKind,
    ItemReport,
    MonthlyReport,
    OrganisationMonth,
    Participation,
    ReportAttachment,
    ReportStatus,
)
from mamoru.progress.schedule import CampaignPlan, plan_of


def _readable(principal: Principal) -> QuerySet[Organisation]:
    return organisations_readable(principal=principal, kind=DataKind.PROGRESS)


def campaigns_visible(*, principal: Principal) -> QuerySet[Campaign]:
    """Campaigns the principal's organisation runs, takes part in, or supervises."""
    taking_part = Participation.objects.within(_readable(principal)).values("campaign_id")
    return Campaign.objects.filter(
        Q(owner=principal.organisation) | Q(pk__in=taking_part)
    ).order_by("-start_month", "key")


def campaign_get(*, principal: Principal, key: str) -> Campaign:
    """One visible campaign; ``Campaign.DoesNotExist`` otherwise."""
    return campaigns_visible(principal=principal).get(key=key)


def participant_get(*, principal: Principal, campaign: Campaign, code: str) -> Organisation:
    """An organisation taking part whose progress the principal may read (itself, or one
    it supervises); ``Organisation.DoesNotExist`` otherwise."""
    taking_part = Participation.objects.within(_readable(principal)).filter(campaign=campaign)
    return _readable(principal).get(code=code, pk__in=taking_part.values("organisation_id"))


def is_participant(*, principal: Principal, campaign: Campaign) -> bool:
    """Whether the principal's own organisation reports in ``campaign``."""
    return (
        Participation.objects.within(_readable(principal))
        .filter(campaign=campaign, organisation=principal.organisation)
        .exists()
    )


def report_get(
    *, principal: Principal, campaign: Campaign, organisation: Organisation, month: date
) -> MonthlyReport:
    """One month's report of a readable organisation; ``DoesNotExist`` otherwise."""
    return (
        MonthlyReport.objects.within(_readable(principal))
        .select_related("campaign", "organisation")
        .get(campaign=campaign, organisation=organisation, month=month)
    )


def reports_of(
    *, principal: Principal, campaign: Campaign, organisation: Organisation
) -> QuerySet[MonthlyReport]:
    """Every month's report of a readable organisation, the newest first."""
    return (
        MonthlyReport.objects.within(_readable(principal))
        .filter(campaign=campaign, organisation=organisation)
        .order_by("-month")
    )


def report_items(*, principal: Principal, report: MonthlyReport) -> QuerySet[ItemReport]:
    return (
        ItemReport.objects.within(_readable(principal))
        .filter(report=report)
        .select_related("item")
        .order_by("item__order")
    )


def report_attachments(
    *, principal: Principal, report: MonthlyReport
) -> QuerySet[ReportAttachment]:
    return (
        ReportAttachment.objects.within(_readable(principal))
        .filter(report=report)
        .defer("data")
        .select_related("item")
        .order_by("uploaded_at")
    )


@audited_read("progress.attachment.read", target=lambda a: f"report-attachment:{a.get('pk')}")
def report_attachment_get(*, principal: Principal, pk: int) -> ReportAttachment:
    """One attachment of a readable report (its bytes included); audited."""
    return (
        ReportAttachment.objects.within(_readable(principal))
        .select_related("report__organisation", "report__campaign")
        .get(pk=pk)
    )


@dataclass(frozen=True)
class ItemRow:
    """One item of an organisation in one month, for its page and its exports."""

    item: CampaignItem
    step: int
    step_name: str
    planned_step: int
    behind: int
    late: bool
    done: bool
    reached_month: date | None
    delay_reason: str
    delay_reason_label: str
    delay_note: str
    percent: int  # of the item's steps


def _rows(plan: CampaignPlan, month: date, items: dict[int, ItemReport]) -> list[ItemRow]:
    rows = []
    for item in plan.items:
        reported = items.get(item.pk)
        step = reported.step if reported else 0
        standing = plan.standing(item, step, month)
        rows.append(
            ItemRow(
                item=item,
                step=standing.step,
                step_name=plan.step_name(standing.step),
                planned_step=standing.planned_step,
                behind=standing.behind,
                late=standing.late,
                done=standing.done,
                reached_month=reported.reached_month if reported else None,
                delay_reason=reported.delay_reason if reported else "",
                delay_reason_label=str(reported.get_delay_reason_display()) if reported else "",
                delay_note=reported.delay_note if reported else "",
                percent=standing.step * 100 // max(1, plan.step_count),
            )
        )
    return rows


@dataclass(frozen=True)
class Standing:
    """An organisation's items in a month: from the month's own report when there is one
    (a draft counts for the organisation itself), else from the last submitted one."""

    plan: CampaignPlan
    month: date
    report: MonthlyReport | None  # the month's own report
    source: MonthlyReport | None  # the report the values come from
    rows: list[ItemRow]

    @property
    def late_first(self) -> list[ItemRow]:
        return sorted(self.rows, key=lambda r: (not r.late, -r.behind, r.item.order))

    @property
    def late_count(self) -> int:
        return sum(1 for r in self.rows if r.late)


def organisation_standing(
    *, principal: Principal, campaign: Campaign, organisation: Organisation, month: date
) -> Standing:
    """Where each item of ``organisation`` stands in ``month``, late items first."""
    plan = plan_of(campaign)
    reports = reports_of(principal=principal, campaign=campaign, organisation=organisation)
    own = reports.filter(month=month).first()
    own_counts = own is not None and (
        own.status == ReportStatus.SUBMITTED or organisation.pk == principal.organisation.pk
    )
    source = (
        own
        if own_counts
        else reports.filter(month__lte=month, status=ReportStatus.SUBMITTED).first()
    )
    items = {}
    if source is not None:
        items = {row.item_id: row for row in report_items(principal=principal, report=source)}
    return Standing(
        plan=plan, month=month, report=own, source=source, rows=_rows(plan, month, items)
    )


def organisation_timeline(
    *, principal: Principal, campaign: Campaign, organisation: Organisation
) -> list[OrganisationMonth]:
    """The organisation's derived state, month by month (for its timeline)."""
    return list(
        OrganisationMonth.objects.within(_readable(principal))
        .filter(campaign=campaign, organisation=organisation)
        .order_by("month")
    )


def follow_ups_of(
    *, principal: Principal, campaign: Campaign, organisation: Organisation
) -> QuerySet[FollowUp]:
    """The follow-ups of one organisation; the organisation itself does not see the
    prefecture's internal notes."""
    found = (
        FollowUp.objects.within(_readable(principal))
        .filter(campaign=campaign, organisation=organisation)
        .select_related("author_organisation", "created_by", "answered_by")
    )
    if organisation.pk == principal.organisation.pk:
        found = found.exclude(kind=FollowUpKind.NOTE)
    return found


def follow_up_get(*, principal: Principal, pk: int) -> FollowUp:
    found = FollowUp.objects.within(_readable(principal)).select_related("campaign", "organisation")
    return found.exclude(kind=FollowUpKind.NOTE, organisation=principal.organisation).get(pk=pk)


def follow_ups_unanswered(*, principal: Principal) -> QuerySet[FollowUp]:
    """Questions about a delay that the principal's organisation has not answered yet."""
    return (
        FollowUp.objects.within(_readable(principal))
        .filter(
            organisation=principal.organisation, kind=FollowUpKind.ASKED, answered_at__isnull=True
        )
        .select_related("campaign")
    )


def escalations(*, principal: Principal, campaign: Campaign) -> QuerySet[FollowUp]:
    """Delays the prefectures escalated to the nation, the newest first."""
    return (
        FollowUp.objects.within(_readable(principal))
        .filter(campaign=campaign, kind=FollowUpKind.ESCALATED)
        .exclude(organisation=principal.organisation)
        .select_related("organisation", "author_organisation")
        .order_by("-created_at", "-pk")
    )


def _export_target(arguments: Mapping[str, Any]) -> str:
    organisation = arguments.get("organisation")
    month = arguments.get("month")
    return f"{getattr(organisation, 'code', '')}:{month:%Y-%m}" if isinstance(month, date) else ""


@audited_read("progress.report.export", target=_export_target)
def report_table(
    *, principal: Principal, campaign: Campaign, organisation: Organisation, month: date
) -> list[tuple[Cell, ...]]:
    """The month's items as table rows (``services.REPORT_COLUMNS``; the import reads them
    back). Audited: a download leaves the platform."""
    standing = organisation_standing(
        principal=principal, campaign=campaign, organisation=organisation, month=month
    )
    return [
        (
            row.item.code,
            row.item.name,
            row.step,
            row.step_name,
            f"{row.reached_month:%Y-%m}" if row.reached_month else "",
            row.delay_reason_label,
            row.delay_note,
        )
        for row in standing.rows
    ]


@dataclass(frozen=True)
class ReportDue:
    campaign: Campaign
    month: date  # the month to report on
    deadline: date
    overdue: bool


def reports_due(*, principal: Principal, today: date | None = None) -> list[ReportDue]:
    """Last month's reports the principal's organisation still owes (one per campaign it
    takes part in), with their deadline: day ``deadline_day`` of this month."""
    from mamoru.progress.lateness import add_months, month_of

    today = today or timezone.localdate()
    last_month = add_months(month_of(today), -1)
    taking_part = Participation.objects.within(_readable(principal)).filter(
        organisation=principal.organisation,
        campaign__start_month__lte=last_month,
        campaign__end_month__gte=last_month,
    )
    submitted = set(
        MonthlyReport.objects.within(_readable(principal))
        .filter(
            organisation=principal.organisation,
            month=last_month,
            status=ReportStatus.SUBMITTED,
        )
        .values_list("campaign_id", flat=True)
    )
    due = []
    for participation in taking_part.select_related("campaign"):
        campaign = participation.campaign
        if campaign.pk in submitted:
            continue
        deadline = month_of(today).replace(day=campaign.deadline_day)
        due.append(ReportDue(campaign, last_month, deadline, today > deadline))
    return due
