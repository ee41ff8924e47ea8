"""Builders for the progress app's tests, demo and benchmark: a campaign of the shipped
example plan, principals of people, and a month's report written through the services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from mamoru.accounts.models import User
from mamoru.orgs.principal import Principal, System
from mamoru.orgs.selectors import organisation_by_code, principal_for
from mamoru.progress import services
from mamoru.progress.audience import Audience, AudienceKind
from mamoru.progress.models import Campaign, ItemReport, MonthlyReport
from mamoru.progress.plan import PLANS_DIR, Plan, load_plan
from mamoru.progress.schedule import plan_of

EXAMPLE_PLAN = PLANS_DIR / "standardisation-example.yaml"


def example_plan() -> Plan:
    return load_plan(EXAMPLE_PLAN)


def principal(user: User, code: str | None = None) -> Principal:
    """The principal of ``user`` acting in ``code`` (default: their first organisation)."""
    found = principal_for(user=user, organisation_code=code)
    assert found is not None, f"{user} does not act in {code}"
    return found


def make_campaign(
    *,
    codes: Iterable[str] | None = None,
    start: date,
    key: str = "example",
    late_margin: int | None = None,
    plan: Plan | None = None,
) -> Campaign:
    """A campaign of the example plan owned by the nation, for ``codes`` (default: every
    local government), made as the system."""
    listed = tuple(codes) if codes is not None else ()
    audience = (
        Audience(kind=AudienceKind.LIST, codes=listed)
        if listed
        else Audience(kind=AudienceKind.ALL)
    )
    return services.campaign_create(
        principal=System("test set-up"),
        plan=plan or example_plan(),
        key=key,
        start_month=start,
        audience=audience,
        late_margin=late_margin,
        owner=organisation_by_code(code="MIC"),
    )


def submit_month(
    campaign: Campaign,
    code: str,
    month: date,
    steps: Mapping[str, int],
    *,
    reasons: Mapping[str, str] | None = None,
    today: date | None = None,
) -> MonthlyReport:
    """Report ``steps`` (item code → step) for ``month`` and submit, as the system. Items
    not named keep last month's step; every item then late gets its reason from
    ``reasons`` (default: 事業者の体制・作業の遅れ)."""
    system = System("test set-up")
    organisation = organisation_by_code(code=code)
    report = services.report_open(
        principal=system, campaign=campaign, organisation=organisation, month=month, today=today
    )
    plan = plan_of(campaign)
    carried = {
        row.item_id: row for row in ItemReport.objects.unscoped("test set-up").filter(report=report)
    }
    reasons = reasons or {}
    entries = {}
    for item in plan.items:
        row = carried.get(item.pk)
        step = steps.get(item.code, row.step if row else 0)
        late = plan.standing(item, step, month).late
        entries[item.code] = services.ItemEntry(
            step=step,
            reached_month=month
            if item.code in steps and step
            else (row.reached_month if row else None),
            delay_reason=reasons.get(item.code, "vendor") if late else "",
        )
    report = services.report_save(principal=system, report=report, entries=entries)
    return services.report_submit(principal=system, report=report)


def bulk_history(
    campaign: Campaign,
    codes: Iterable[str],
    months: list[date],
    *,
    seed: int = 2026,
    silent_share: float = 0.1,
) -> int:
    """Submitted reports of ``codes`` for ``months``, written in bulk for the demo and the
    benchmark (the services write one report at a time; this writes a history of
    thousands). Each organisation follows the plan at its own pace, some items lag, late
    items carry a reason, and a share of organisations stops reporting for the last two
    months. Deterministic for a ``seed``. Returns the item rows written."""
    import bisect
    import random

    from django.utils import timezone

    from mamoru.orgs.selectors import organisation_list
    from mamoru.progress.models import DelayReason, ReportStatus

    rng = random.Random(seed)  # noqa: S311 - made-up demo data, not a secret
    plan = plan_of(campaign)
    reasons = [r for r in DelayReason.values if r != DelayReason.OTHER]
    margin = campaign.late_margin
    now = timezone.now()
    reports: list[MonthlyReport] = []
    steps_of: list[list[int]] = []
    for organisation in organisation_list().filter(code__in=list(codes)):
        pace = rng.uniform(0.55, 1.15)
        lag = {item.pk: rng.choice((0, 0, 0, 1, 2, 4)) for item in plan.items}
        silent = rng.random() < silent_share
        for month in months[:-2] if silent else months:
            elapsed = plan.month_number(month) * pace
            steps_of.append(
                [
                    bisect.bisect_right(plan.due[item.pk], elapsed - lag[item.pk])
                    for item in plan.items
                ]
            )
            reports.append(
                MonthlyReport(
                    campaign=campaign,
                    organisation=organisation,
                    month=month,
                    status=ReportStatus.SUBMITTED,
                    saved_at=now,
                    submitted_at=now,
                )
            )
    MonthlyReport.objects.bulk_create(reports, batch_size=2000)
    saved = MonthlyReport.objects.unscoped(
        "the demo's and benchmark's history, written in bulk"
    ).filter(campaign=campaign, month__in=months)
    ids = {(r.organisation_id, r.month): r.pk for r in saved.only("pk", "organisation_id", "month")}
    rows: list[ItemReport] = []
    reached: dict[tuple[int, int], tuple[int, date]] = {}  # the step and when it was reached
    for report, steps in zip(reports, steps_of, strict=True):
        pk = ids[(report.organisation_id, report.month)]
        number = plan.month_number(report.month)
        for item, step in zip(plan.items, steps, strict=True):
            key = (report.organisation_id, item.pk)
            if step and reached.get(key, (0, report.month))[0] != step:
                reached[key] = (step, report.month)
            late = plan.behind(item.pk, step, number) >= margin
            rows.append(
                ItemReport(
                    report_id=pk,
                    item_id=item.pk,
                    step=step,
                    reached_month=reached[key][1] if step else None,
                    delay_reason=rng.choice(reasons) if late else "",
                )
            )
    ItemReport.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
