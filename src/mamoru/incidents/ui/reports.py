"""The reporter's pages around the form: own reports, a report's detail (recipients,
deadlines, threads, the notice to individuals), the request for approval, the approval
and submission, what went where afterwards, reports made outside the platform, the
comparison of two versions and downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mamoru.core.access import Permission
from mamoru.core.pages import act, error_summary, page, paginate, run
from mamoru.incidents import due, selectors, services
from mamoru.incidents.content import content_warnings
from mamoru.incidents.models import IncidentReport, ReportStatus, Submission
from mamoru.incidents.routing.codes import NATIONAL_BODIES
from mamoru.incidents.selectors import RecipientState
from mamoru.incidents.ui import labels, present
from mamoru.incidents.ui.common import EXPORT_LABELS, download, refused
from mamoru.incidents.ui.forms import (
    CompareForm,
    MessageForm,
    NoticeForm,
    OutsideForm,
    ReopenForm,
    SubmitForm,
)
from mamoru.orgs.principal import Principal


def _own(principal: Principal, public_id: str) -> IncidentReport:
    return selectors.report_get(principal=principal, public_id=public_id)


def _detail(report: IncidentReport) -> HttpResponse:
    return redirect("incidents:report", public_id=report.public_id)


def _owed(report: IncidentReport, deliveries: list[Any]) -> list[due.Owed]:
    """What the report owes now: the 第一報 of a draft never sent, the 確報 of the rest."""
    return due.draft_owed(report) if not deliveries else due.delivery_owed(deliveries)


@page
def report_list(request: HttpRequest, principal: Principal) -> HttpResponse:
    status = request.GET.get("status", "")
    shown = paginate(request, selectors.reports_own(principal=principal, status=status))
    reports = list(shown.object_list)
    soon = timezone.now() + due.DUE_SOON
    deliveries = selectors.reports_deliveries(principal=principal, reports=reports)
    rows = [
        (
            report,
            present.delivery_rows(deliveries[report.pk], soon=soon),
            present.banners(_owed(report, deliveries[report.pk])),
        )
        for report in reports
    ]
    context = {
        "page": shown,
        "rows": rows,
        "status": status if status in ReportStatus.values else "",
        "statuses": ReportStatus.choices,
        "pressing": sum(1 for _r, _d, b in rows if b),
        "can_create": services.may_report(principal),
    }
    return render(request, "incidents/report_list.html", context)


@page
def report_edit(request: HttpRequest, principal: Principal, public_id: str) -> HttpResponse:
    """The old address of the form: the task list now."""
    report = _own(principal, public_id)
    return redirect("incidents:report_tasks", public_id=report.public_id)


def _draft_rows(report: IncidentReport) -> dict[str, Any]:
    """The draft as the detail and approval pages show it; no rows when it does not parse."""
    content = present.draft_or_none(report)
    if content is None:
        return {"content": None, "facts": [], "sections": [], "red": [], "warnings": []}
    names = dict(NATIONAL_BODIES)
    if report.organisation.parent is not None:
        names[report.organisation.parent.code] = report.organisation.parent.name
    return {
        "content": content,
        "facts": present.fact_rows(report.draft.get("facts", {})),
        "sections": present.section_rows(content),
        "red": present.red_names(content, names),
        "warnings": [w.message for w in content_warnings(content)],
    }


def _preview(report: IncidentReport, submissions: list[Submission]) -> present.Preview:
    first = submissions[0].submitted_at if submissions else None
    return present.routing_preview(report, first_submitted=first)


def _notice(principal: Principal, report: IncidentReport) -> Any:
    try:
        return selectors.report_individual_notice(
            principal=principal, public_id=str(report.public_id)
        )
    except ValueError:  # a draft that does not parse has no duty to show yet
        return None


@page
def report_detail(request: HttpRequest, principal: Principal, public_id: str) -> HttpResponse:
    report = _own(principal, public_id)
    submissions = list(selectors.submissions_of(principal=principal, report=report))
    recipients = selectors.report_recipients(principal=principal, report=report)
    deliveries = [r.delivery for r in recipients]
    threads = selectors.report_threads(principal=principal, public_id=report.public_id)
    open_report = report.status in (ReportStatus.DRAFT, ReportStatus.AWAITING_APPROVAL)
    can_edit = principal.can(Permission.DATA_EDIT) and report.status != ReportStatus.CLOSED
    context = {
        "report": report,
        **_draft_rows(report),
        "submissions": submissions,
        "recipients": _recipient_rows(recipients),
        "threads": [
            (
                labels.body_name(r.delivery.recipient.code, r.delivery.recipient.name),
                r.delivery.recipient.code,
                threads.get(r.delivery.recipient.code, []),
            )
            for r in recipients
            if r.reach.on_platform
        ],
        "banners": present.banners(_owed(report, deliveries)),
        "preview": _preview(report, submissions) if open_report else None,
        "notice": _notice(principal, report),
        "notice_form": NoticeForm(initial={"status": report.individual_notice_status or "pending"}),
        "approvers": selectors.approvers_of(principal=principal)
        if report.status == ReportStatus.AWAITING_APPROVAL
        else [],
        "can_edit": can_edit,
        "can_request": principal.can(Permission.DATA_EDIT) and report.status == ReportStatus.DRAFT,
        "can_approve": services.may_approve(principal) and report.status != ReportStatus.CLOSED,
        "can_reopen": services.may_approve(principal) and report.status == ReportStatus.CLOSED,
        "message_form": MessageForm(),
        "reopen_form": ReopenForm(),
        "formats": EXPORT_LABELS,
    }
    return render(request, "incidents/report_detail.html", context)


def _recipient_rows(recipients: list[RecipientState]) -> list[dict[str, Any]]:
    now = timezone.now()
    return [
        {
            "state": r,
            "name": labels.body_name(r.delivery.recipient.code, r.delivery.recipient.name),
            "overdue": due.is_overdue(r.delivery, now=now),
            "due_soon": due.is_due_soon(r.delivery, now=now),
        }
        for r in recipients
    ]


@page
@require_POST
def report_request_approval(
    request: HttpRequest, principal: Principal, public_id: str
) -> HttpResponse:
    report = _own(principal, public_id)
    done = act(
        request,
        lambda: services.report_request_approval(report=report, principal=principal),
    )
    if done:
        names = "、".join(str(u) for u in selectors.approvers_of(principal=principal))
        messages.success(
            request,
            _("承認を依頼しました。%(names)sにメールとmamoruの通知で知らせました。")
            % {"names": names}
            if names
            else _(
                "承認を依頼しましたが、この団体には承認できる人（CISO又は代理者）が"
                "登録されていません。管理者に登録を頼んでください。"
            ),
        )
    return _detail(report)


@page
@require_http_methods(["GET", "POST"])
def report_approve(request: HttpRequest, principal: Principal, public_id: str) -> HttpResponse:
    report = _own(principal, public_id)
    if not services.may_approve(principal):
        return refused(request, _("報告を承認できるのはCISO（又は代理者）だけです。"))
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
            return redirect("incidents:report_sent", public_id=report.public_id)
    deliveries = list(selectors.report_deliveries(principal=principal, report=report))
    preview = _preview(report, submissions)
    context = {
        "report": report,
        "form": form,
        "errors": error_summary(form) + [("", "", e) for e in errors],
        **_draft_rows(report),
        "preview": preview,
        "reach": selectors.recipients_reach(principal=principal, codes=preview.codes),
        "banners": present.banners(_owed(report, deliveries)),
        "submissions": submissions,
    }
    return render(request, "incidents/report_approve.html", context, status=400 if errors else 200)


@page
def report_sent(request: HttpRequest, principal: Principal, public_id: str) -> HttpResponse:
    """After a submission: what went where, by when the next report is due, and which
    recipients must still be told by phone or e-mail."""
    report = _own(principal, public_id)
    submissions = list(selectors.submissions_of(principal=principal, report=report))
    if not submissions:
        return _detail(report)
    recipients = selectors.report_recipients(principal=principal, report=report)
    rows = _recipient_rows(recipients)
    for row in rows:  # one form per recipient, each with its own field ids
        row["form"] = OutsideForm(prefix=row["state"].delivery.recipient.code)
    context = {
        "report": report,
        "submission": submissions[-1],
        "recipients": rows,
        "offline": any(not r.reach.on_platform for r in recipients),
        "notice": _notice(principal, report),
        "can_record": principal.can(Permission.DATA_EDIT),
    }
    return render(request, "incidents/report_sent.html", context)


@page
@require_POST
def report_outside(
    request: HttpRequest, principal: Principal, public_id: str, code: str
) -> HttpResponse:
    """Record that a recipient without anyone on the platform was told by other means."""
    report = _own(principal, public_id)
    recipients = {
        r.delivery.recipient.code: r.delivery.recipient
        for r in selectors.report_recipients(principal=principal, report=report)
    }
    recipient = recipients.get(code)
    form = OutsideForm(request.POST, prefix=code)
    if recipient is None:
        messages.error(request, _("この宛先にはまだ報告を提出していません。"))
    elif not form.is_valid():
        for _anchor, label, message in error_summary(form):
            messages.error(request, f"{label}: {message}" if label else message)
    else:
        act(
            request,
            lambda: services.outside_report_record(
                principal=principal,
                report=report,
                recipient=recipient,
                method=form.cleaned_data["method"],
                reported_at=form.moment(),
                contact_person=form.cleaned_data["contact_person"],
                note=form.cleaned_data["note"],
            ),
            success=_("%(name)sに伝えたことを記録しました。")
            % {"name": labels.body_name(recipient.code, recipient.name)},
        )
    if request.POST.get("back") == "sent":
        return redirect("incidents:report_sent", public_id=report.public_id)
    return redirect(reverse("incidents:report", args=[report.public_id]) + "#recipients")


@page
@require_POST
def report_notice(request: HttpRequest, principal: Principal, public_id: str) -> HttpResponse:
    """Record where the notice to the people whose data it is stands."""
    report = _own(principal, public_id)
    form = NoticeForm(request.POST)
    status = form.cleaned_data["status"] if form.is_valid() else request.POST.get("status", "")
    act(
        request,
        lambda: services.report_individual_notice_update(
            principal=principal,
            report=report,
            status=status,
            note=request.POST.get("note", ""),
        ),
        success=_("本人への通知の状況を記録しました。"),
    )
    return redirect(reverse("incidents:report", args=[report.public_id]) + "#notice")


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
        success=_("%(name)sに連絡を送りました。")
        % {"name": labels.body_name(recipient.code, recipient.name)},
    )
    return redirect(reverse("incidents:report", args=[report.public_id]) + f"#thread-{code}")


@page
def report_compare(request: HttpRequest, principal: Principal, public_id: str) -> HttpResponse:
    """What changed between two submitted versions of an own report."""
    report = _own(principal, public_id)
    submissions = list(selectors.submissions_of(principal=principal, report=report))
    versions = [
        (
            s.version,
            _("第%(version)d版（%(phase)s）")
            % {"version": s.version, "phase": labels.label(labels.PHASES, s.phase)},
        )
        for s in submissions
    ]
    latest = submissions[-1].version if submissions else 1
    form = CompareForm(
        request.GET or None,
        versions=versions,
        initial={"from_version": max(latest - 1, 1), "to_version": latest},
    )
    changes = None
    if len(submissions) >= 2 and form.is_valid():
        changes = present.change_rows(
            selectors.submission_diff(
                principal=principal,
                public_id=report.public_id,
                from_version=form.cleaned_data["from_version"],
                to_version=form.cleaned_data["to_version"],
            )
        )
    context = {"report": report, "form": form, "changes": changes, "enough": len(submissions) >= 2}
    return render(request, "incidents/report_compare.html", context)


@page
def report_export(
    request: HttpRequest, principal: Principal, public_id: str, version: int, fmt: str
) -> HttpResponse:
    return download(
        request,
        lambda: selectors.report_export(
            principal=principal, public_id=public_id, version=version, fmt=fmt
        ),
    )
