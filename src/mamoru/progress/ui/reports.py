"""A month's report: the form (saved as one goes, with htmx, or with the button), its
submission, "no change since last month" in one click, Excel/CSV out and in, attachments."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mamoru.core.pages import act, page, run, wants_fragment
from mamoru.orgs.principal import Principal
from mamoru.progress import selectors, services
from mamoru.progress.attachments import download_response
from mamoru.progress.models import Campaign, MonthlyReport, ReportStatus
from mamoru.progress.schedule import plan_of
from mamoru.progress.ui.common import table_download
from mamoru.progress.ui.forms import AttachForm, ImportForm, ReportForm


def _open(principal: Principal, key: str, code: str, month: date) -> tuple[Campaign, MonthlyReport]:
    """The campaign and the month's report of the principal's own organisation (opened
    through the service, which refuses anyone but the organisation's editors)."""
    campaign = selectors.campaign_get(principal=principal, key=key)
    target = selectors.participant_get(principal=principal, campaign=campaign, code=code)
    report = services.report_open(
        principal=principal, campaign=campaign, organisation=target, month=month
    )
    return campaign, report


def _back(report: MonthlyReport) -> HttpResponse:
    return redirect(
        "progress:report",
        key=report.campaign.key,
        code=report.organisation.code,
        month=report.month,
    )


@page
@require_http_methods(["GET", "POST"])
def report(
    request: HttpRequest, principal: Principal, key: str, code: str, month: date
) -> HttpResponse:
    campaign, monthly = _open(principal, key, code, month)
    plan = plan_of(campaign)
    rows = list(selectors.report_items(principal=principal, report=monthly))
    form = ReportForm(plan, rows, data=request.POST if request.method == "POST" else None)
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            saved, errors = run(
                lambda: services.report_save(
                    principal=principal, report=monthly, entries=form.entries()
                )
            )
            if saved is not None:
                monthly = saved
        if wants_fragment(request):
            context = {"report": monthly, "errors": errors, "form": form, "saved": not errors}
            return render(request, "progress/_save_status.html", context)
        if form.is_valid() and not errors:
            messages.success(request, _("下書きを保存しました。"))
            return _back(monthly)
    context = {
        "campaign": campaign,
        "report": monthly,
        "plan": plan,
        "form": form,
        "errors": errors,
        "import_form": ImportForm(),
        "attach_form": AttachForm(),
        "attachments": selectors.report_attachments(principal=principal, report=monthly),
        "submitted": monthly.status == ReportStatus.SUBMITTED,
    }
    status = 400 if form.is_bound and (form.errors or errors) else 200
    return render(request, "progress/report_form.html", context, status=status)


@page
@require_POST
def report_submit(
    request: HttpRequest, principal: Principal, key: str, code: str, month: date
) -> HttpResponse:
    _campaign, monthly = _open(principal, key, code, month)
    act(
        request,
        lambda: services.report_submit(principal=principal, report=monthly),
        success=_("%(month)sの報告を提出しました。") % {"month": f"{month:%Y年%m月}"},
    )
    return _back(monthly)


@page
@require_POST
def report_unchanged(
    request: HttpRequest, principal: Principal, key: str, code: str, month: date
) -> HttpResponse:
    campaign = selectors.campaign_get(principal=principal, key=key)
    target = selectors.participant_get(principal=principal, campaign=campaign, code=code)
    done = act(
        request,
        lambda: services.report_confirm_unchanged(
            principal=principal, campaign=campaign, organisation=target, month=month
        ),
        success=_("「前月から変更なし」で提出しました。"),
    )
    if done:
        return redirect("progress:organisation", key=key, code=code)
    return redirect("progress:report", key=key, code=code, month=month)


@page
@require_POST
def report_import(
    request: HttpRequest, principal: Principal, key: str, code: str, month: date
) -> HttpResponse:
    _campaign, monthly = _open(principal, key, code, month)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("取り込むファイルを選んでください。"))
        return _back(monthly)
    upload = form.cleaned_data["file"]
    act(
        request,
        lambda: services.report_import(
            principal=principal, report=monthly, data=upload.read(), filename=upload.name or ""
        ),
        success=_("ファイルの内容を取り込みました（下書き）。確認して提出してください。"),
    )
    return _back(monthly)


@page
def report_export(
    request: HttpRequest, principal: Principal, *, key: str, code: str, month: date, fmt: str
) -> HttpResponse:
    """The month's report as a table (the import reads the same columns back)."""
    campaign = selectors.campaign_get(principal=principal, key=key)
    target = selectors.participant_get(principal=principal, campaign=campaign, code=code)
    rows = selectors.report_table(
        principal=principal, campaign=campaign, organisation=target, month=month
    )
    name = f"{campaign.key}-{target.code}-{month:%Y-%m}"
    return table_download(fmt, name, services.REPORT_COLUMNS, rows)


@page
@require_POST
def report_attach(
    request: HttpRequest, principal: Principal, key: str, code: str, month: date
) -> HttpResponse:
    _campaign, monthly = _open(principal, key, code, month)
    form = AttachForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("添付するファイルを選んでください。"))
        return _back(monthly)
    act(
        request,
        lambda: services.report_attachment_add(
            principal=principal, report=monthly, upload=form.cleaned_data["file"]
        ),
        success=_("ファイルを添付しました。"),
    )
    return _back(monthly)


@page
def report_attachment(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    attachment = selectors.report_attachment_get(principal=principal, pk=pk)
    return download_response(attachment.name, attachment.data)
