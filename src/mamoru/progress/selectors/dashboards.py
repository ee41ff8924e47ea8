"""The prefecture's and the nation's dashboards, read from the derived rows
(``services.rollups``): a constant number of queries, each over a few small rows, whatever
the number of reports behind them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Max, QuerySet, Sum
from django.utils.translation import gettext as _

from mamoru.audit.reads import audited_read
from mamoru.core.tabular import Cell
from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.policy import DataKind, Supervisor
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisations_readable
from mamoru.progress.models import (
    Campaign,
    OrganisationMonth,
    PrefectureMonthItem,
    PrefectureMonthStep,
)
from mamoru.progress.schedule import CampaignPlan, plan_of

# How the prefecture's heat map can be ordered (the most late first by default).
SORTS: dict[str, tuple[str, ...]] = {
    "late": ("-late_items", "-max_behind", "progress", "organisation__code"),
    "progress": ("progress", "-late_items", "organisation__code"),
    "code": ("organisation__code",),
}


def _readable(principal: Principal) -> QuerySet[Organisation]:
    return organisations_readable(principal=principal, kind=DataKind.PROGRESS)


@dataclass(frozen=True)
class Totals:
    """Counts over participants × items in one month."""

    participants: int
    reported: int
    late: int
    done: int
    step_sum: int
    cells: int  # participants × items
    step_count: int  # steps of the plan

    @property
    def progress_percent(self) -> float:
        """Of every step of every cell, the share reached."""
        return round(self.step_sum * 100 / max(1, self.cells * self.step_count), 1)

    @property
    def late_percent(self) -> float:
        return round(self.late * 100 / max(1, self.cells), 1)


def _totals(row: Mapping[str, Any], items: int, step_count: int) -> Totals:
    return Totals(
        participants=row["participants"] or 0,
        reported=row["reported"] or 0,
        late=row["late"] or 0,
        done=row["done"] or 0,
        step_sum=row["step_sum"] or 0,
        cells=(row.get("cells") or 0) or (row["participants"] or 0) * items,
        step_count=step_count,
    )


@dataclass(frozen=True)
class PrefectureDashboard:
    plan: CampaignPlan
    prefecture: Organisation
    month: date
    rows: QuerySet[OrganisationMonth]  # the heat map's rows, ordered; the page pages them
    items: list[tuple[str, Totals]]  # per item
    total: Totals


def prefecture_get(*, principal: Principal, code: str) -> Organisation:
    """A prefecture whose municipalities' progress the principal reads (itself, or any
    for the nation); ``Organisation.DoesNotExist`` otherwise."""
    prefecture = _readable(principal).get(code=code, kind=OrganisationKind.PREFECTURE)
    if principal.supervisor is None:
        raise Organisation.DoesNotExist
    return prefecture


def prefecture_dashboard(
    *,
    principal: Principal,
    campaign: Campaign,
    prefecture: Organisation,
    month: date,
    sort: str = "late",
) -> PrefectureDashboard:
    """The prefecture's heat map (its participants × items in ``month``) and its totals."""
    plan = plan_of(campaign)
    readable = _readable(principal)
    rows = (
        OrganisationMonth.objects.within(readable)
        .filter(campaign=campaign, prefecture_code=prefecture.prefecture_code, month=month)
        .select_related("organisation")
        .order_by(*SORTS.get(sort, SORTS["late"]))
    )
    per_item = (
        PrefectureMonthItem.objects.within(readable)
        .filter(campaign=campaign, prefecture=prefecture, month=month)
        .values("item__order", "item__name", "participants", "reported", "late", "done", "step_sum")
        .order_by("item__order")
    )
    items = [(row["item__name"], _totals(row, 1, plan.step_count)) for row in per_item]
    total = Totals(
        participants=max((t.participants for _, t in items), default=0),
        reported=max((t.reported for _, t in items), default=0),
        late=sum(t.late for _, t in items),
        done=sum(t.done for _, t in items),
        step_sum=sum(t.step_sum for _, t in items),
        cells=sum(t.cells for _, t in items),
        step_count=plan.step_count,
    )
    return PrefectureDashboard(plan, prefecture, month, rows, items, total)


@dataclass(frozen=True)
class NationalDashboard:
    plan: CampaignPlan
    month: date
    total: Totals
    prefectures: list[tuple[dict[str, Any], Totals]]  # code and name, and its totals
    items: list[tuple[str, Totals]]
    steps: list[tuple[int, int]]  # (step, items at that step)
    trend: list[tuple[date, Totals]]


def national_dashboard(
    *, principal: Principal, campaign: Campaign, month: date
) -> NationalDashboard:
    """Every prefecture and every item (the largest share late first), the distribution of
    steps and the months so far."""
    if principal.supervisor != Supervisor.NATION:
        raise PermissionDenied(_("全国の集計を見られるのは国の担当者です。"))
    plan = plan_of(campaign)
    n_items = len(plan.items)
    readable = _readable(principal)
    per_item = PrefectureMonthItem.objects.within(readable).filter(campaign=campaign)
    sums = {
        "late": Sum("late"),
        "done": Sum("done"),
        "step_sum": Sum("step_sum"),
    }
    prefectures = [
        (
            {"code": row["prefecture__code"], "name": row["prefecture__name"]},
            _totals(row, n_items, plan.step_count),
        )
        for row in per_item.filter(month=month)
        .values("prefecture__code", "prefecture__name")
        .annotate(participants=Max("participants"), reported=Max("reported"), **sums)
        .order_by("prefecture__code")
    ]
    items = [
        (row["item__name"], _totals(row, 1, plan.step_count))
        for row in per_item.filter(month=month)
        .values("item__order", "item__name")
        .annotate(participants=Sum("participants"), reported=Sum("reported"), **sums)
        .order_by("item__order")
    ]
    # Late first (PRODUCT.md §E): the prefectures and items with the largest share late.
    prefectures.sort(key=lambda p: (-p[1].late_percent, p[0]["code"]))
    items.sort(key=lambda i: -i[1].late_percent)
    steps = [
        (row["step"], row["count"])
        for row in PrefectureMonthStep.objects.within(readable)
        .filter(campaign=campaign, month=month)
        .values("step")
        .annotate(count=Sum("items"))
        .order_by("step")
    ]
    trend = []
    for row in (
        per_item.filter(month__lte=month)
        .values("month")
        .annotate(cells=Sum("participants"), reported=Sum("reported"), **sums)
        .order_by("month")
    ):
        values: dict[str, Any] = dict(row)
        values["participants"] = values["cells"] // max(1, n_items)
        values["reported"] = values["reported"] // max(1, n_items)
        trend.append((values["month"], _totals(values, 1, plan.step_count)))
    total = Totals(
        participants=sum(t.participants for _, t in prefectures),
        reported=sum(t.reported for _, t in prefectures),
        late=sum(t.late for _, t in prefectures),
        done=sum(t.done for _, t in prefectures),
        step_sum=sum(t.step_sum for _, t in prefectures),
        cells=sum(t.cells for _, t in prefectures),
        step_count=plan.step_count,
    )
    return NationalDashboard(plan, month, total, prefectures, items, steps, trend)


def _table_target(arguments: Mapping[str, Any]) -> str:
    prefecture = arguments.get("prefecture")
    month = arguments.get("month")
    where = getattr(prefecture, "code", "national")
    return f"{where}:{month:%Y-%m}" if isinstance(month, date) else where


@audited_read("progress.report.export", target=_table_target)
def prefecture_table(
    *, principal: Principal, campaign: Campaign, prefecture: Organisation, month: date
) -> tuple[list[str], list[list[Cell]]]:
    """The prefecture's participants × items in ``month`` as a table (steps reached, and
    months behind the plan). Audited: a download leaves the platform."""
    plan = plan_of(campaign)
    board = prefecture_dashboard(
        principal=principal, campaign=campaign, prefecture=prefecture, month=month, sort="code"
    )
    header = [_("団体コード"), _("団体名"), _("報告月"), _("遅れている業務"), _("進捗率（%）")]
    for item in plan.items:
        header += [item.name, _("%(item)s 遅れ（月）") % {"item": item.name}]
    rows: list[list[Cell]] = []
    for row in board.rows.iterator():
        line: list[Cell] = [
            row.organisation.code,
            row.organisation.name,
            f"{row.last_reported:%Y-%m}" if row.last_reported else "",
            row.late_items,
            row.progress / 10,
        ]
        for step, behind in zip(row.steps, row.behind, strict=False):
            line += [step, behind]
        rows.append(line)
    return header, rows


@audited_read("progress.report.export", target=_table_target)
def national_table(
    *, principal: Principal, campaign: Campaign, month: date
) -> tuple[list[str], list[list[Cell]]]:
    """Every prefecture's totals in ``month`` as a table. Audited."""
    board = national_dashboard(principal=principal, campaign=campaign, month=month)
    header = [
        _("都道府県"),
        _("対象団体"),
        _("今月報告した団体"),
        _("遅れている業務（団体×業務）"),
        _("完了した業務（団体×業務）"),
        _("平均進捗率（%）"),
    ]
    rows: list[list[Cell]] = [
        [p["name"], t.participants, t.reported, t.late, t.done, t.progress_percent]
        for p, t in board.prefectures
    ]
    return header, rows
