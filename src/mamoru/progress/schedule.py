"""A campaign's plan in calendar months: when each step of each item is due, which months
have been reported on so far, and an item's standing (``mamoru.progress.lateness``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.progress.lateness import (
    Standing,
    add_months,
    month_of,
    month_range,
    months_between,
    standing,
)
from mamoru.progress.models import Campaign, CampaignItem, CampaignStep


@dataclass(frozen=True)
class CampaignPlan:
    campaign: Campaign
    items: tuple[CampaignItem, ...]
    steps: tuple[CampaignStep, ...]
    planned: dict[int, tuple[date, ...]]  # item pk → the month each step is due
    due: dict[int, tuple[int, ...]]  # the same, as month numbers (0 = the first month)

    @property
    def step_count(self) -> int:
        return len(self.steps)

    def last_month(self, today: date | None = None) -> date:
        """The latest month one can report on: this month, or the campaign's last."""
        current = month_of(today or timezone.localdate())
        return min(current, self.campaign.end_month)

    def months(self, today: date | None = None) -> list[date]:
        """The campaign's months up to now (empty before it starts)."""
        return month_range(self.campaign.start_month, self.last_month(today))

    def reportable(self, month: date, today: date | None = None) -> bool:
        return self.campaign.start_month <= month <= self.last_month(today)

    def standing(self, item: CampaignItem | int, step: int, month: date) -> Standing:
        key = item if isinstance(item, int) else item.pk
        return standing(step, self.planned[key], month, margin=self.campaign.late_margin)

    def behind(self, item: int, step: int, month_number: int) -> int:
        """Months behind the plan (``lateness.months_behind``) in arithmetic, for the
        rollups that evaluate every participant × item × month."""
        due = self.due[item]
        return max(0, month_number - due[step]) if step < len(due) else 0

    def month_number(self, month: date) -> int:
        return months_between(self.campaign.start_month, month)

    def planned_percent(self, month: date) -> int:
        """Per mille of every step of every item the plan expects done by ``month``."""
        total = sum(sum(1 for due in months if due <= month) for months in self.planned.values())
        return total * 1000 // max(1, len(self.items) * self.step_count)

    def step_name(self, number: int) -> str:
        if number <= 0:
            return _("未着手")
        return self.steps[min(number, self.step_count) - 1].name


def plan_of(campaign: Campaign) -> CampaignPlan:
    """The campaign's plan (two queries: its items and its steps), kept on the campaign
    object so that one request builds it once."""
    cached: CampaignPlan | None = getattr(campaign, "_mamoru_plan", None)
    if cached is not None:
        return cached
    items = tuple(campaign.items.all())
    steps = tuple(campaign.steps.all())
    planned = {
        item.pk: tuple(
            add_months(campaign.start_month, step.planned_month - 1 + item.offset_months)
            for step in steps
        )
        for item in items
    }
    due = {
        item.pk: tuple(step.planned_month - 1 + item.offset_months for step in steps)
        for item in items
    }
    plan = CampaignPlan(campaign=campaign, items=items, steps=steps, planned=planned, due=due)
    campaign._mamoru_plan = plan  # type: ignore[attr-defined]
    return plan
