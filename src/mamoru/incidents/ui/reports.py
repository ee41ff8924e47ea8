"""The reporter's pages: own reports, the form, the request for approval, the CISO's
approval and submission, and a report's detail with its recipients and threads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mamoru.core.access import Permission
from mamoru.core.jpcalendar import to_jst
from mamoru.core.pages import act, error_summary, page, paginate, run
from mamoru.incidents import due, selectors, services
from mamoru.incidents.content import Phase
from mamoru.incidents.models import IncidentReport, ReportStatus, Submission
from mamoru.incidents.records import reporter_context, submission_view
from mamoru.incidents.routing.codes import NATIONAL_BODIES
from mamoru.incidents.ui import present
from mamoru.incidents.ui.common import EXPORT_LABELS, download, refused
from mamoru.incidents.ui.forms import (
    MessageForm,
    ReopenForm,
    ReportForm,
    SubmitForm,
    initial_from_content,
    red_recipient_choices,
    service_choices,
)
from mamoru.orgs.principal import Principal


def _own(principal: Principal, public_id: str) -> IncidentReport:
    return selectors.report_get(principal=principal, public_id=public_id)


def _detail(report: IncidentReport) -> HttpResponse:
    return redirect("incidents:report", public_id=report.public_id)


@page
def report_list(request: HttpRequest, principal: Principal) -> HttpResponse:
    shown = paginate(request, selectors.reports_own(principal=principal))
    reports = list(shown.object_list)
    soon = timezone.now() + due.DUE_SOON
    deliveries = selectors.reports_deliveries(principal=principal, reports=reports)
    rows = [(report, present.delivery_rows(deliveries[report.pk], soon=soon)) for report in reports]
    context = {
        "page": shown,
        "rows": rows,
        "can_create": principal.can(Permission.DATA_EDIT)
        and principal.organisation.is_local_government,
    }
    return render(request, "incidents/report_list.html", context)


def _form(principal: Principal, report: IncidentReport | None, **kwargs: Any) -> ReportForm:
    reporter = reporter_context(principal.organisation)
    prefecture = None
    if reporter.prefecture_lg_code != reporter.lg_code:
        prefecture = (reporter.prefecture_lg_code, reporter.prefecture_name)
    created = to_jst(report.created_at).date() if report else timezone.localdate()
    return ReportForm(
        services=service_choices(created),
        red_recipients=red_recipient_choices(prefecture),
        **kwargs,
    )


def _save(
    request: HttpRequest, principal: Principal, form: ReportForm, report: IncidentReport | None
) -> IncidentReport | None:
    content = form.content()
    if report is None:
        saved, errors = run(lambda: services.report_create(principal=principal, content=content))
    else:
        saved, errors = run(
            lambda: services.report_update_draft(
                report=report, principal=principal, content=content
            )
        )
    if saved is None:
        form.add_error(None, "\n".join(errors))
        return None
    messages.success(request, _("下書きを保存しました。"))
    if request.POST.get("action") == "request":
        _request_approval(request, principal, saved)
    return saved


def _request_approval(request: HttpRequest, principal: Principal, report: IncidentReport) -> None:
    act(
        request,
        lambda: services.report_request_approval(report=report, principal=principal),
        success=_("CISOに承認を依頼しました。"),
    )


def _form_page(
    request: HttpRequest, principal: Principal, report: IncidentReport | None
) -> HttpResponse:
    if not principal.can(Permission.DATA_EDIT) or not principal.organisation.is_local_government:
        return refused(request, _("この団体では報告を作成・編集する権限がありません。"))
    if report is not None and report.status == ReportStatus.CLOSED:
        messages.error(request, _("確報を提出済みの報告です。変更するには報告を再開してください。"))
        return _detail(report)
    if request.method == "POST":
        form = _form(principal, report, data=request.POST)
        if form.is_valid():
            saved = _save(request, principal, form, report)
            if saved is not None:
                return _detail(saved)
    else:
        initial = initial_from_content(report.draft) if report else {}
        form = _form(principal, report, initial=initial)
    context = {"form": form, "report": report, "errors": error_summary(form)}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "incidents/report_form.html", context, status=status)


@page
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, principal: Principal) -> HttpResponse:
    return _form_page(request, principal, None)


@page
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, principal: Principal, public_id: str) -> HttpResponse:
    return _form_page(request, principal, _own(principal, public_id))


def _threads(principal: Principal, report: IncidentReport, codes: list[str]) -> list[Any]:
    return [
        (
            code,
            list(
                selectors.thread_messages(
                    principal=principal, public_id=report.public_id, recipient_code=code
                )
            ),
        )
        for code in codes
    ]


def _draft_rows(report: IncidentReport, names: Mapping[str, str]) -> dict[str, Any]:
    """The draft as the detail and approval pages show it; no rows when it does not parse."""
    content = present.draft_or_none(report)
    if content is None:
        return {"content": None, "facts": [], "sections": [], "red": []}
    return {
        "content": content,
        "facts": present.fact_rows(report.draft.get("facts", {})),
        "sections": present.section_rows(content),
        "red": present.red_names(content, names),
    }


def _preview(report: IncidentReport, submissions: list[Submission]) -> present.Preview:
    first = submissions[0].submitted_at if submissions else None
    return present.routing_preview(report, first_submitted=first)


@page
def report_detail(request: HttpRequest, principal: Principal, public_id: str) -> HttpResponse:
    report = _own(principal, public_id)
    submissions = list(selectors.submissions_of(principal=principal, report=report))
    deliveries = present.delivery_rows(
        selectors.report_deliveries(principal=principal, report=report),
        soon=timezone.now() + due.DUE_SOON,
    )
    names = {d.delivery.recipient.code: d.delivery.recipient.name for d in deliveries}
    open_report = report.status in (ReportStatus.DRAFT, ReportStatus.AWAITING_APPROVAL)
    context = {
        "report": report,
        **_draft_rows(report, {**NATIONAL_BODIES, **names}),
        "submissions": submissions,
        "deliveries": deliveries,
        "threads": [
            (names[code], code, thread)
            for code, thread in _threads(principal, report, sorted(names))
        ],
        "preview": _preview(report, submissions) if open_report else None,
        "can_edit": principal.can(Permission.DATA_EDIT) and report.status != ReportStatus.CLOSED,
        "can_request": principal.can(Permission.DATA_EDIT) and report.status == ReportStatus.DRAFT,
        "can_approve": principal.can(Permission.REPORTS_APPROVE)
        and report.status != ReportStatus.CLOSED,
        "can_reopen": principal.can(Permission.REPORTS_APPROVE)
        and report.status == ReportStatus.CLOSED,
        "message_form": MessageForm(),
        "reopen_form": ReopenForm(),
        "formats": EXPORT_LABELS,
    }
    return render(request, "incidents/report_detail.html", context)


@page
@require_POST
def report_request_approval(
    request: HttpRequest, principal: Principal, public_id: str
) -> HttpResponse:
    report = _own(principal, public_id)
    _request_approval(request, principal, report)
    return _detail(report)


@page
@require_http_methods(["GET", "POST"])
def report_approve(request: HttpRequest, principal: Principal, public_id: str) -> HttpResponse:
    report = _own(principal, public_id)
    if not principal.can(Permission.REPORTS_APPROVE):
        return refused(request, _("報告を承認できるのはCISO（又は委任を受けた人）だけです。"))
    submissions = list(selectors.submissions_of(principal=principal, report=report))
    form = SubmitForm(request.POST or None, first=not submissions)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        final = bool(form.cleaned_data["final"])
        submission, errors = run(
            lambda: services.report_approve_and_submit(
                report=report, principal=principal, final=final
            )
        )
        if submission is not None:
            messages.success(
                request,
                _("第%(version)d版（%(phase)s）を提出しました。")
                % {"version": submission.version, "phase": Phase(submission.phase).label},
            )
            return _detail(report)
    context = {
        "report": report,
        "form": form,
        "errors": error_summary(form) + [("", "", e) for e in errors],
        **_draft_rows(report, NATIONAL_BODIES),
        "preview": _preview(report, submissions),
        "submissions": submissions,
    }
    return render(request, "incidents/report_approve.html", context, status=400 if errors else 200)


@page
@require_POST
def report_reopen(request: HttpRequest, principal: Principal, public_id: str) -> HttpResponse:
    report = _own(principal, public_id)
    form = ReopenForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    act(
        request,
        lambda: services.report_reopen(report=report, principal=principal, reason=reason),
        success=_("報告を再開しました。内容を直して、続報又は確報を提出してください。"),
    )
    return _detail(report)


@page
@require_POST
def report_message(
    request: HttpRequest, principal: Principal, public_id: str, code: str
) -> HttpResponse:
    report = _own(principal, public_id)
    recipient = selectors.thread_recipient(principal=principal, report=report, recipient_code=code)
    form = MessageForm(request.POST)
    body = form.cleaned_data["body"] if form.is_valid() else ""
    act(
        request,
        lambda: services.message_post(
            report=report, recipient=recipient, principal=principal, body=body
        ),
        success=_("%(name)sに連絡を送りました。") % {"name": recipient.name},
    )
    return redirect(reverse("incidents:report", args=[report.public_id]) + f"#thread-{code}")


@page
def report_export(
    request: HttpRequest, principal: Principal, public_id: str, version: int, fmt: str
) -> HttpResponse:
    report = _own(principal, public_id)
    submission = selectors.submissions_of(principal=principal, report=report).get(version=version)
    return download(request, fmt, [submission_view(submission)], f"incident-{public_id}-v{version}")
