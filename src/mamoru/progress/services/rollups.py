"""The derived month-by-month state the dashboards read (``OrganisationMonth`` and the
per-prefecture counts), recomputed from the submitted reports.

A participant's state in a month is its report of that month, or — when it did not
report — its last report before (steps carried forward; lateness evaluated against the
plan of *that* month, so an organisation that stops reporting falls behind). The work
is split by prefecture: one prefecture's reports (at most a few hundred participants ×
the months × the items) are read in one query, and its rows rewritten in one transaction.
Idempotent: running it again gives the same rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.selectors import organisation_list
from mamoru.progress.models import (
    Campaign,
    ItemReport,
    OrganisationMonth,
    Participation,
    PrefectureMonthItem,
    PrefectureMonthStep,
    ReportStatus,
)
from mamoru.progress.schedule import CampaignPlan, plan_of

Steps = dict[int, int]  # item pk → step


def _reports_of(
    campaign: Campaign, organisations: Iterable[int], until: date
) -> dict[int, dict[date, Steps]]:
    """Submitted steps by organisation, month and item."""
    found: dict[int, dict[date, Steps]] = defaultdict(lambda: defaultdict(dict))
    rows = (
        ItemReport.objects.unscoped("rollups: the task recomputes every participant's state")
        .filter(
            report__campaign=campaign,
            report__organisation__in=list(organisations),
            report__status=ReportStatus.SUBMITTED,
            report__month__lte=until,
        )
        .values_list("report__organisation_id", "report__month", "item_id", "step")
    )
    for organisation_id, month, item_id, step in rows.iterator(chunk_size=5000):
        found[organisation_id][month][item_id] = step
    return found


def _organisation_rows(
    plan: CampaignPlan,
    organisation: Organisation,
    reports: dict[date, Steps],
    months: list[date],
) -> list[OrganisationMonth]:
    current: Steps = {}
    last: date | None = None
    for month in sorted(m for m in reports if m < months[0]):
        current, last = reports[month], month
    rows = []
    total = max(1, len(plan.items) * plan.step_count)
    margin = plan.campaign.late_margin
    for month in months:
        if month in reports:
            current, last = reports[month], month
        number = plan.month_number(month)
        steps = [current.get(item.pk, 0) for item in plan.items]
        behind = [
            plan.behind(item.pk, s, number) for item, s in zip(plan.items, steps, strict=True)
        ]
        rows.append(
            OrganisationMonth(
                campaign=plan.campaign,
                organisation=organisation,
                prefecture_code=organisation.prefecture_code,
                month=month,
                reported=month in reports,
                last_reported=last,
                steps=steps,
                behind=behind,
                late_items=sum(1 for b in behind if b >= margin),
                max_behind=max(behind, default=0),
                progress=sum(steps) * 1000 // total,
            )
        )
    return rows


def _prefecture_rows(
    plan: CampaignPlan, prefecture: Organisation, rows: list[OrganisationMonth]
) -> tuple[list[PrefectureMonthItem], list[PrefectureMonthStep]]:
    items: list[PrefectureMonthItem] = []
    steps: list[PrefectureMonthStep] = []
    by_month: dict[date, list[OrganisationMonth]] = defaultdict(list)
    for row in rows:
        by_month[row.month].append(row)
    for month, group in sorted(by_month.items()):
        histogram: Counter[int] = Counter()
        for index, item in enumerate(plan.items):
            item_steps = [row.steps[index] for row in group]
            histogram.update(item_steps)
            items.append(
                PrefectureMonthItem(
                    campaign=plan.campaign,
                    prefecture=prefecture,
                    month=month,
                    item=item,
                    participants=len(group),
                    reported=sum(1 for row in group if row.reported),
                    late=sum(1 for row in group if row.behind[index] >= plan.campaign.late_margin),
                    done=sum(1 for s in item_steps if s >= plan.step_count),
                    step_sum=sum(item_steps),
                )
            )
        steps += [
            PrefectureMonthStep(
                campaign=plan.campaign, prefecture=prefecture, month=month, step=s, items=n
            )
            for s, n in sorted(histogram.items())
        ]
    return items, steps


def _participants_by_prefecture(
    campaign: Campaign, prefecture_codes: set[str] | None
) -> dict[str, list[Organisation]]:
    participations = Participation.objects.unscoped(
        "rollups: the task recomputes every participant's state"
    ).filter(campaign=campaign)
    if prefecture_codes is not None:
        participations = participations.filter(organisation__prefecture_code__in=prefecture_codes)
    grouped: dict[str, list[Organisation]] = defaultdict(list)
    for participation in participations.select_related("organisation"):
        grouped[participation.organisation.prefecture_code].append(participation.organisation)
    return grouped


def campaign_rollups_refresh(
    *,
    campaign: Campaign,
    prefecture_codes: set[str] | None = None,
    from_month: date | None = None,
    today: date | None = None,
) -> int:
    """Recompute the derived rows of ``campaign`` for the given prefectures (default: all)
    from ``from_month`` (default: the first) to now. Returns the organisation-months written.

    Runs as the system (tasks, the demo, the benchmark's set-up): it reads every report.
    """
    plan = plan_of(campaign)
    months = [m for m in plan.months(today) if from_month is None or m >= from_month]
    if not months:
        return 0
    written = 0
    prefectures = {
        p.prefecture_code: p for p in organisation_list(kind=OrganisationKind.PREFECTURE)
    }
    for code, organisations in sorted(
        _participants_by_prefecture(campaign, prefecture_codes).items()
    ):
        if code not in prefectures:  # campaigns address local governments only
            continue
        reports = _reports_of(campaign, (o.pk for o in organisations), months[-1])
        rows = [
            row
            for organisation in organisations
            for row in _organisation_rows(
                plan, organisation, reports.get(organisation.pk, {}), months
            )
        ]
        items, steps = _prefecture_rows(plan, prefectures[code], rows)
        with transaction.atomic():
            OrganisationMonth.objects.unscoped("rollups: rewriting derived rows").filter(
                campaign=campaign, prefecture_code=code, month__in=months
            ).delete()
            PrefectureMonthItem.objects.unscoped("rollups: rewriting derived rows").filter(
                campaign=campaign, prefecture=prefectures[code], month__in=months
            ).delete()
            PrefectureMonthStep.objects.unscoped("rollups: rewriting derived rows").filter(
                campaign=campaign, prefecture=prefectures[code], month__in=months
            ).delete()
            OrganisationMonth.objects.bulk_create(rows, batch_size=1000)
            PrefectureMonthItem.objects.bulk_create(items, batch_size=1000)
            PrefectureMonthStep.objects.bulk_create(steps, batch_size=1000)
        written += len(rows)
    return written


def campaigns_running(today: date | None = None) -> list[tuple[Campaign, date]]:
    """Campaigns still being reported on, each with the month to recompute from (last
    month, whose reports arrive until the deadline, or the campaign's first)."""
    from mamoru.progress.lateness import add_months, month_of

    current = month_of(today or timezone.localdate())
    previous = add_months(current, -1)
    running = Campaign.objects.filter(start_month__lte=current, end_month__gte=previous)
    return [(campaign, max(previous, campaign.start_month)) for campaign in running]
