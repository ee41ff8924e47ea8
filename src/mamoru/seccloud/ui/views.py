"""The security cloud's pages: the prefecture's operations dashboard and its ingest
progress and settings, an alert and its workflow, a municipality's own figures, the
national rollup by prefecture, and the monthly report (page, PDF, CSV)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamoru.core.access import Permission
from mamoru.core.charts import bar_chart
from mamoru.core.pages import act, page, paginate
from mamoru.core.pdf import PdfUnavailableError
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal
from mamoru.seccloud import reporting, selectors, services, tasks
from mamoru.seccloud.models import AlertStatus, LogFormat, RunStatus
from mamoru.seccloud.ui.common import asked_month, download, parse_month


@page
def home(request: HttpRequest, principal: Principal) -> HttpResponse:
    """Each role starts at its own view: the prefecture's dashboard, the nation's rollup,
    a municipality's own figures."""
    operated = selectors.operates(principal)
    if operated is not None:
        return redirect("seccloud:prefecture", code=operated.code)
    if selectors.sees_national(principal):
        return redirect("seccloud:national")
    own = selectors.organisation_get(principal=principal, code=principal.organisation.code)
    return redirect("seccloud:organisation", code=own.code)


@page
def prefecture(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    pref = selectors.prefecture_get(principal=principal, code=code)
    today = timezone.localdate()
    status = request.GET.get("status", AlertStatus.OPEN)
    alerts = selectors.alerts_of(principal=principal, organisation=pref, status=status)
    health = selectors.device_health(principal=principal, prefecture=pref, today=today)
    month = selectors.figures_of(principal=principal, organisation=pref, month=today)
    context = {
        "prefecture": pref,
        "today": today,
        "counts": selectors.alert_counts(principal=principal, prefecture=pref),
        "page": paginate(request, alerts),
        "status": status,
        "statuses": AlertStatus.choices,
        "health": health,
        "lines_today": sum(h.lines_today for h in health),
        "quarantined_today": sum(h.quarantined_today for h in health),
        "month": month,
        "headlines": reporting.headlines(month.figures) if month else [],
        "runs": selectors.ingest_runs(principal=principal, prefecture=pref)[:3],
    }
    return render(request, "seccloud/prefecture.html", context)


@page
def ingest_progress(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    pref = selectors.prefecture_get(principal=principal, code=code)
    runs = paginate(request, selectors.ingest_runs(principal=principal, prefecture=pref))
    context = {
        "prefecture": pref,
        "page": runs,
        "running": any(r.status == RunStatus.RUNNING for r in runs.object_list),
        "drop": services.drop_status(pref),
        "upload_limit_gb": settings.MAMORU_SECCLOUD_UPLOAD_MAX_BYTES // 1024**3,
    }
    return render(request, "seccloud/ingest.html", context)


@require_POST
@page
def upload(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    """Log files uploaded into the drop folder; the micro-batch is asked to run now."""
    pref = selectors.prefecture_get(principal=principal, code=code)
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, _("取り込むログファイルを選んでください。"))
    for upload in files:

        def save(upload: UploadedFile[Any] = upload) -> Path:
            return services.upload_save(
                principal=principal, prefecture=pref, name=upload.name or "upload.log",
                size=upload.size or 0, chunks=upload.chunks(),
            )  # fmt: skip

        saved = act(request, save)
        if not saved:
            break
    else:
        if files:
            tasks.ingest_closed_segments.enqueue()
            messages.success(
                request,
                _("%(n)d件のファイルを受け付けました。取り込みの進み具合は下の履歴に表示されます。")
                % {"n": len(files)},
            )
    return redirect("seccloud:ingest", code=code)


@page
def settings_page(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    pref = selectors.prefecture_get(principal=principal, code=code)
    services.rules_sync(prefecture=pref)
    context = {
        "prefecture": pref,
        "devices": selectors.devices_of(principal=principal, prefecture=pref),
        "rules": selectors.rules_of(principal=principal, prefecture=pref),
        "ranges": paginate(request, selectors.ranges_of(principal=principal, prefecture=pref)),
        "schedule": selectors.schedule_of(principal=principal, prefecture=pref),
        "formats": LogFormat.choices,
    }
    return render(request, "seccloud/settings.html", context)


def _back_to_settings(code: str) -> HttpResponse:
    return redirect(reverse("seccloud:settings", args=[code]))


@require_POST
@page
def device_save(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    pref = selectors.prefecture_get(principal=principal, code=code)
    act(
        request,
        lambda: services.device_save(
            principal=principal, prefecture=pref, name=request.POST.get("name", ""),
            format=request.POST.get("format", LogFormat.AUTO),
            description=request.POST.get("description", ""),
            severity_map=services.severity_lines(request.POST.get("severity_map", "")),
        ),
        success=_("機器を登録しました。"),
    )  # fmt: skip
    return _back_to_settings(code)


@require_POST
@page
def ranges_import(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    selectors.prefecture_get(principal=principal, code=code)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("取り込むファイルを選んでください。"))
        return _back_to_settings(code)
    data, name = upload.read(), upload.name or "ranges.csv"
    act(
        request,
        lambda: services.ranges_import(principal=principal, data=data, filename=name),
        success=_("アドレス範囲を取り込みました。"),
    )
    return _back_to_settings(code)


@require_POST
@page
def rule_toggle(request: HttpRequest, principal: Principal, code: str, pk: int) -> HttpResponse:
    pref = selectors.prefecture_get(principal=principal, code=code)
    rule = selectors.rules_of(principal=principal, prefecture=pref).get(pk=pk)
    enabled = request.POST.get("enabled") == "1"
    act(
        request,
        lambda: services.rule_set_enabled(principal=principal, rule=rule, enabled=enabled),
        success=_("検知ルールを変更しました。"),
    )
    return _back_to_settings(code)


@require_POST
@page
def schedule_save(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    pref = selectors.prefecture_get(principal=principal, code=code)
    day = request.POST.get("day_of_month", "")
    act(
        request,
        lambda: services.schedule_save(
            principal=principal, prefecture=pref, day_of_month=int(day) if day.isdigit() else 0,
            enabled=request.POST.get("enabled") == "1",
        ),
        success=_("月次報告の予定を保存しました。"),
    )  # fmt: skip
    return _back_to_settings(code)


@require_POST
@page
def report_compute(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    pref = selectors.prefecture_get(principal=principal, code=code)
    month = parse_month(request.POST.get("month", ""))
    act(
        request,
        lambda: services.figures_compute(principal=principal, prefecture=pref, month=month),
        success=_("月次報告を作成しました。"),
    )
    return redirect("seccloud:report", code=pref.code, month=f"{month:%Y-%m}")


@page
def alert(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    found = selectors.alert_get(principal=principal, pk=pk)
    may_act = principal.can(Permission.DATA_EDIT) and principal.organisation.pk in {
        found.prefecture_id,
        found.organisation_id,
    }
    context = {"alert": found, "may_act": may_act, "statuses": AlertStatus}
    return render(request, "seccloud/alert.html", context)


@require_POST
@page
def alert_acknowledge(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    found = selectors.alert_get(principal=principal, pk=pk)
    act(
        request,
        lambda: services.alert_acknowledge(
            principal=principal, alert=found, note=request.POST.get("note", "")
        ),
        success=_("アラートを確認済みにしました。"),
    )
    return redirect("seccloud:alert", pk=found.pk)


@require_POST
@page
def alert_close(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    found = selectors.alert_get(principal=principal, pk=pk)
    act(
        request,
        lambda: services.alert_close(
            principal=principal, alert=found, note=request.POST.get("note", "")
        ),
        success=_("アラートの対応を完了にしました。"),
    )
    return redirect("seccloud:alert", pk=found.pk)


@page
def organisation(request: HttpRequest, principal: Principal, code: str) -> HttpResponse:
    """A municipality's own figures and alerts (its prefecture reads them too)."""
    org = selectors.organisation_get(principal=principal, code=code)
    months = selectors.months_with_figures(principal=principal, organisation=org)
    month = asked_month(request, months[0] if months else None)
    figures = selectors.figures_of(principal=principal, organisation=org, month=month)
    context = {
        "organisation": org,
        "month": month,
        "months": months,
        "figures": figures,
        "report": reporting.report_context(
            figures.figures, name=org.name, month_label=_month_label(month)
        )
        if figures
        else None,
        "page": paginate(request, selectors.alerts_of(principal=principal, organisation=org)),
    }
    return render(request, "seccloud/organisation.html", context)


@page
def national(request: HttpRequest, principal: Principal) -> HttpResponse:
    """Rollups by prefecture (whole-prefecture figures only: statistics)."""
    month = asked_month(request, services.last_month(timezone.localdate()))
    rows = list(selectors.national_rollup(principal=principal, month=month))
    chart_rows = [(r.organisation.name, float(r.sessions_blocked)) for r in rows]
    context = {
        "month": month,
        "rows": rows,
        "chart": bar_chart(chart_rows, title=_("都道府県別の止めた通信"), unit=_("件"))
        if rows
        else None,
        "totals": {
            key: sum(getattr(r, key) for r in rows)
            for key in (
                "sessions_allowed",
                "sessions_blocked",
                "ips_detections",
                "malware",
                "spam",
                "url_blocks",
            )
        },
    }
    return render(request, "seccloud/national.html", context)


def _month_label(month: date) -> str:
    return _("%(y)d年%(m)d月") % {"y": month.year, "m": month.month}


def _report_figures(
    principal: Principal, code: str, month_text: str, fmt: str = ""
) -> tuple[Organisation, date, dict[str, Any]]:
    org = selectors.organisation_get(principal=principal, code=code)
    month = parse_month(month_text)
    row = (
        selectors.figures_for_export(principal=principal, organisation=org, month=month, fmt=fmt)
        if fmt
        else selectors.figures_of(principal=principal, organisation=org, month=month)
    )
    return org, month, (row.figures if row else {})


@page
def report(request: HttpRequest, principal: Principal, code: str, month: str) -> HttpResponse:
    org, first, figures = _report_figures(principal, code, month)
    context = {
        "organisation": org,
        "month": first,
        "month_text": month,
        "report": reporting.report_context(figures, name=org.name, month_label=_month_label(first))
        if figures
        else None,
        "may_compute": selectors.operates(principal) is not None,
    }
    return render(request, "seccloud/report.html", context)


@page
def report_pdf(request: HttpRequest, principal: Principal, code: str, month: str) -> HttpResponse:
    org, first, figures = _report_figures(principal, code, month, "pdf")
    if not figures:
        return redirect("seccloud:report", code=code, month=month)
    try:
        body = reporting.report_pdf(figures, name=org.name, month_label=_month_label(first))
    except PdfUnavailableError:
        return render(request, "seccloud/pdf_unavailable.html", status=503)
    return download(body, filename=f"月次報告_{code}_{month}.pdf", content_type="application/pdf")


@page
def report_csv(request: HttpRequest, principal: Principal, code: str, month: str) -> HttpResponse:
    org, _first, figures = _report_figures(principal, code, month, "csv")
    body = reporting.report_csv(figures, name=org.name)
    return download(
        body, filename=f"月次報告_{code}_{month}.csv", content_type="text/csv; charset=utf-8"
    )
