"""The feedback report and the one-page summary for the council: as pages and as PDF
(``core.pdf``: WeasyPrint with the Noto CJK fonts, no outside fetch). The page and the
PDF render the same body template; the PDF carries its own print stylesheet."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from mamoru.assessments import selectors
from mamoru.assessments.library import Gap, Item, Strength
from mamoru.assessments.models import Target
from mamoru.assessments.selectors import CouncilSummary, FeedbackReport
from mamoru.assessments.ui.common import download, refused, target_for
from mamoru.core import charts
from mamoru.core.pages import page
from mamoru.core.pdf import PdfUnavailableError, html_to_pdf
from mamoru.orgs.principal import Principal

PDF = "application/pdf"


def radar(report: FeedbackReport) -> SafeString:
    """Coverage per CSF function, the organisation against its peers' median."""
    axes = [row.label for row in report.functions]
    series: dict[str, list[float]] = {
        _("自団体"): [row.coverage or 0.0 for row in report.functions]
    }
    medians = [row.peers.distribution.median if row.peers else None for row in report.functions]
    if medians and all(m is not None for m in medians):
        series[_("比較対象の中央値")] = [float(m or 0.0) for m in medians]
    return charts.radar_chart(axes, series, title=_("機能ごとの実施率（NIST CSF 2.0）"))


STATUS_LABELS = {"partial": "一部実施", "unmet": "未実施", "met": "実施"}


@dataclass(frozen=True)
class ItemRow:
    """A gap or a strength as the report lists it."""

    item: Item
    status: str
    peer_rate: float | None
    peer_group: str
    chapter: str


def _item_rows(
    report: FeedbackReport, entries: Sequence[Gap | Strength], status: Callable[[Any], str]
) -> list[ItemRow]:
    rows = []
    for entry in entries:
        rate = entry.peer_rate
        item = entry.item
        chapter = ""
        if item.guideline is not None:
            chapter = report.framework.chapter(item.guideline.chapter).title.ja
        rows.append(
            ItemRow(
                item=item,
                status=status(entry),
                peer_rate=None if rate is None else rate.rate,
                peer_group="" if rate is None else rate.group.label(report.group_names),
                chapter=chapter,
            )
        )
    return rows


def gap_rows(report: FeedbackReport) -> list[ItemRow]:
    return _item_rows(report, report.gaps, lambda gap: STATUS_LABELS[gap.status.value])


def strength_rows(report: FeedbackReport) -> list[ItemRow]:
    return _item_rows(report, report.strengths, lambda _strength: STATUS_LABELS["met"])


def year_chart(summary: CouncilSummary) -> SafeString | str:
    rows = [row for row in summary.functions if row.previous is not None]
    if not rows:
        return ""
    return charts.bar_chart(
        [(f"{row.label} {_('前回')}", float(row.previous or 0.0)) for row in rows]
        + [(f"{row.label} {_('今回')}", float(row.coverage or 0.0)) for row in rows],
        title=_("機能ごとの実施率（前回と今回）"),
        unit="%",
        max_value=100,
    )


def _target(principal: Principal, pk: int) -> Target:
    target, _framework = target_for(principal, pk)
    return target


def _report_context(principal: Principal, pk: int) -> dict[str, Any] | None:
    target = _target(principal, pk)
    report = selectors.feedback_report(principal=principal, target=target)
    if report is None:
        return None
    return {
        "target": target,
        "campaign": target.campaign,
        "report": report,
        "radar": radar(report),
        "gaps": gap_rows(report),
        "strengths": strength_rows(report),
        "generated_at": timezone.localtime(),
    }


def _not_submitted(request: HttpRequest) -> HttpResponse:
    return refused(
        request,
        _("まだ回答が提出されていません。提出すると、評価と報告書を見ることができます。"),
        status=404,
    )


@page
def report(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    context = _report_context(principal, pk)
    if context is None:
        return _not_submitted(request)
    return render(request, "assessments/report.html", context)


def _pdf(request: HttpRequest, template: str, context: dict[str, Any], name: str) -> HttpResponse:
    html = render_to_string(template, context, request=request)
    try:
        body = html_to_pdf([html])
    except PdfUnavailableError:
        return refused(
            request, _("PDFを作成できません（サーバーにフォントがありません）。"), status=503
        )
    return download(body, content_type=PDF, filename=name)


@page
def report_pdf(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    context = _report_context(principal, pk)
    if context is None:
        return _not_submitted(request)
    target: Target = context["target"]
    name = f"{target.organisation.name}-{target.campaign.title}-報告書.pdf"
    return _pdf(request, "assessments/report_pdf.html", context, name)


def _summary_context(principal: Principal, pk: int) -> dict[str, Any] | None:
    target = _target(principal, pk)
    summary = selectors.council_summary(principal=principal, target=target)
    if summary is None:
        return None
    return {
        "target": target,
        "campaign": target.campaign,
        "summary": summary,
        "chart": year_chart(summary),
        "generated_at": timezone.localtime(),
    }


@page
def summary(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    context = _summary_context(principal, pk)
    if context is None:
        return _not_submitted(request)
    return render(request, "assessments/summary.html", context)


@page
def summary_pdf(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    context = _summary_context(principal, pk)
    if context is None:
        return _not_submitted(request)
    target: Target = context["target"]
    name = f"{target.organisation.name}-{target.campaign.title}-概要.pdf"
    return _pdf(request, "assessments/summary_pdf.html", context, name)
