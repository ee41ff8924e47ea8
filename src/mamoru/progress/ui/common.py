"""What the progress pages share: the month a page shows, table downloads, heat-map cells."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from mamoru.core.tabular import Cell, csv_bytes, xlsx_bytes
from mamoru.progress.converters import parse_month
from mamoru.progress.models import OrganisationMonth
from mamoru.progress.schedule import CampaignPlan

FORMATS = {"csv", "xlsx"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def shown_month(request: HttpRequest, plan: CampaignPlan) -> date:
    """``?month=2025-04`` when it is one of the campaign's months so far, else the latest."""
    months = plan.months()
    if not months:
        raise Http404
    wanted = parse_month(request.GET.get("month"))
    return wanted if wanted in months else months[-1]


def table_download(
    fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> HttpResponse:
    """A table as CSV for Excel or as .xlsx (``core.tabular``: formulas made inert)."""
    if fmt not in FORMATS:
        raise Http404
    if fmt == "csv":
        response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes({filename[:31]: (header, rows)}), content_type=XLSX)
    name = f"{filename}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@dataclass(frozen=True)
class HeatCell:
    """One cell of the heat map: the step, and the state in words (never colour alone)."""

    step: int
    state: str  # done | ok | behind | late | none
    text: str


def heat_cells(plan: CampaignPlan, row: OrganisationMonth) -> list[HeatCell]:
    cells = []
    margin = plan.campaign.late_margin
    for step, behind in zip(row.steps, row.behind, strict=False):
        if row.last_reported is None:
            cells.append(HeatCell(step, "none", _("未報告")))
        elif step >= plan.step_count:
            cells.append(HeatCell(step, "done", _("完了")))
        elif behind >= margin:
            cells.append(HeatCell(step, "late", _("遅れ%(n)dか月") % {"n": behind}))
        elif behind > 0:
            cells.append(HeatCell(step, "behind", _("遅れ%(n)dか月") % {"n": behind}))
        else:
            cells.append(HeatCell(step, "ok", _("予定どおり")))
    return cells
