"""What the progress pages share: the month a page shows, table downloads, heat-map cells."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.safestring import SafeString, mark_safe
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


def heat_cells_html(cells: list[HeatCell]) -> SafeString:
    """The ``<td>`` cells of one heat-map row (built here: a page has a thousand of them,
    and the template engine would spend most of the page's time on them). The state is
    one of five fixed words and the step an integer; only the text needs escaping."""
    return mark_safe(  # noqa: S308 - the only free text is escaped
        "".join(
            f'<td class="heat heat--{cell.state}"><span class="heat__step">{cell.step:d}</span> '
            f'<span class="heat__text">{escape(cell.text)}</span></td>'
            for cell in cells
        )
    )


def heat_cells(plan: CampaignPlan, row: OrganisationMonth) -> list[HeatCell]:
    """Each item's cell of ``row``: the step, and its state in colour and in words."""
    if row.last_reported is None:
        never = _("未報告")
        return [HeatCell(step, "none", never) for step in row.steps]
    done, on_plan, behind_text = _("完了"), _("予定どおり"), _("遅れ%(n)dか月")
    margin, last = plan.campaign.late_margin, plan.step_count
    cells = []
    for step, behind in zip(row.steps, row.behind, strict=False):
        if step >= last:
            cells.append(HeatCell(step, "done", done))
        elif behind:
            state = "late" if behind >= margin else "behind"
            cells.append(HeatCell(step, state, behind_text % {"n": behind}))
        else:
            cells.append(HeatCell(step, "ok", on_plan))
    return cells
