"""Findings: the list by priority, one finding with what it means, what to do, its
evidence and history, and the lifecycle actions; exports as CSV, Excel and a PDF summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from mamoru.asm import selectors, services
from mamoru.asm.explain import finding_explanation as explanation
from mamoru.asm.exports import export_header, export_rows
from mamoru.asm.models import Finding, FindingStatus
from mamoru.asm.selectors import FindingFilters
from mamoru.asm.ui.common import flash, month_charts, page_context
from mamoru.asm.ui.forms import AcceptRiskForm, FindingFilterForm, NoteForm
from mamoru.core import tabular
from mamoru.core.pages import page, paginate, run, wants_fragment
from mamoru.core.pdf import PdfUnavailableError, html_to_pdf
from mamoru.orgs.policy import DataKind
from mamoru.orgs.principal import Principal


@page
def findings(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    organisation = selectors.asm_organisation(
        principal=principal, code=code, kind=DataKind.FINDINGS
    )
    form = FindingFilterForm(request.GET or None)
    rows = selectors.findings_of(
        principal=principal, organisation=organisation, filters=form.filters()
    )
    context = {
        **page_context(principal, organisation),
        "form": form,
        "page": paginate(request, rows),
        "query": request.GET.urlencode(),
    }
    template = "asm/_findings_table.html" if wants_fragment(request) else "asm/findings.html"
    return render(request, template, context)


@page
def finding(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    found = selectors.finding_get(principal=principal, pk=pk)
    context = {
        **page_context(principal, found.organisation),
        "finding": found,
        "events": selectors.finding_events(principal=principal, finding=found),
        "explain": explanation(found),
        "note_form": NoteForm(),
        "accept_form": AcceptRiskForm(),
        "latest_scan_missed": found.last_scan_id is not None
        and found.is_unresolved
        and found.service is not None
        and not found.service.present,
        "statuses": FindingStatus,
    }
    return render(request, "asm/finding.html", context)


ACTIONS: dict[str, tuple[Callable[..., Finding], str]] = {
    "acknowledge": (services.finding_acknowledge, gettext_noop("対応中にしました。")),
    "fix": (
        services.finding_mark_fixed,
        gettext_noop(
            "修正済みにしました。再診断を依頼したので、結果が出るとこのページに表示されます。"
        ),
    ),
    "reopen": (services.finding_reopen, gettext_noop("未対応に戻しました。")),
    "note": (services.finding_note, gettext_noop("メモを残しました。")),
}


@page
@require_POST
def finding_action(
    request: HttpRequest, principal: Principal, pk: int, action: str
) -> HttpResponse:
    found = selectors.finding_get(principal=principal, pk=pk)
    if action == "accept":
        form = AcceptRiskForm(request.POST)
        if not form.is_valid():
            flash(request, [str(e) for errors in form.errors.values() for e in errors], "")
            return redirect("asm:finding", pk=pk)
        _result, errors = run(
            lambda: services.finding_accept_risk(
                principal=principal, finding=found, **form.cleaned_data
            )
        )
        flash(request, errors, _("リスクを受容しました。期限が来ると未対応に戻ります。"))
        return redirect("asm:finding", pk=pk)
    if action not in ACTIONS:
        raise Http404
    service, message = ACTIONS[action]
    note = NoteForm(request.POST)
    text = note.cleaned_data["note"] if note.is_valid() else ""
    _result, errors = run(lambda: service(principal=principal, finding=found, note=text))
    flash(request, errors, _(message))
    return redirect("asm:finding", pk=pk)


def _export_rows(principal: Principal, code: str) -> tuple[Any, list[list[Any]]]:
    organisation = selectors.asm_organisation(
        principal=principal, code=code, kind=DataKind.FINDINGS
    )
    rows = selectors.findings_for_export(
        principal=principal, organisation=organisation, filters=FindingFilters(status="all")
    )
    return organisation, export_rows(rows)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@page
def findings_csv(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    organisation, rows = _export_rows(principal, code)
    return _download(
        tabular.csv_bytes(export_header(), rows),
        "text/csv; charset=utf-8",
        f"findings-{organisation.code}.csv",
    )


@page
def findings_xlsx(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    organisation, rows = _export_rows(principal, code)
    return _download(
        tabular.xlsx_bytes({_("検出結果"): (export_header(), rows)}),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"findings-{organisation.code}.xlsx",
    )


@page
def summary_pdf(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    organisation = selectors.asm_organisation(
        principal=principal, code=code, kind=DataKind.FINDINGS
    )
    urgent = selectors.findings_for_export(
        principal=principal, organisation=organisation, filters=FindingFilters()
    ).order_by("priority", "-kev", "pk")
    exposure = selectors.organisation_exposure(principal=principal, organisation=organisation)
    snapshots = selectors.exposure_month(principal=principal, organisation=organisation)
    context = {
        **page_context(principal, organisation),
        **month_charts(list(snapshots), exposure),
        "exposure": exposure,
        "findings": [(f, explanation(f)) for f in urgent],
        "generated": timezone.localtime(),
    }
    html = render_to_string("asm/summary_pdf.html", context, request=request)
    try:
        content = html_to_pdf([html])
    except PdfUnavailableError:
        return HttpResponse(
            _("PDF を作成できません（サーバーに WeasyPrint がありません）。"), status=503
        )
    return _download(content, "application/pdf", f"asm-summary-{organisation.code}.pdf")
