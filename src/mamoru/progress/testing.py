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
