"""Filing a report: the start page, the task list, one step per page with autosave, and
the check-your-answers page whose main action is sending it for approval.

A report exists from its first step (what happened and when it was noticed: the two
things routing cannot do without), so every later step saves into a valid draft, and
autosave (htmx, no inline script) never loses what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mamoru.core.jpcalendar import to_jst
from mamoru.core.pages import error_summary, page, run
from mamoru.incidents import due, selectors, services
from mamoru.incidents.content import content_warnings, from_dict
from mamoru.incidents.models import IncidentReport, ReportStatus
from mamoru.incidents.records import reporter_context
from mamoru.incidents.routing import NoRuleSetError, ruleset_for
from mamoru.incidents.routing.codes import NATIONAL_BODIES
from mamoru.incidents.ui import labels, present
from mamoru.incidents.ui.common import refused
from mamoru.incidents.ui.forms import field_for_path
from mamoru.incidents.ui.steps import (
    BY_KEY,
    Step,
    StepContext,
    StepForm,
    blank_content,
    form_for,
    next_step,
    previous_step,
    progress,
    updated,
)
from mamoru.incidents.ui.summary import check_answers
from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisation_by_code


def _own(principal: Principal, public_id: str) -> IncidentReport:
    return selectors.report_get(principal=principal, public_id=public_id)


def service_choices(report: IncidentReport | None) -> list[tuple[str, str]]:
    """The service catalogue of the rule set in force when the report was made."""
    day = to_jst(report.created_at).date() if report else timezone.localdate()
    try:
        ruleset = ruleset_for(day)
    except NoRuleSetError:
        return []
    return [(kind, service.label) for kind, service in ruleset.services.items()]


def step_context(principal: Principal, report: IncidentReport | None) -> StepContext:
    reporter = reporter_context(principal.organisation)
    red = [(code, labels.body_name(code, name)) for code, name in NATIONAL_BODIES.items()]
    if reporter.prefecture_lg_code != reporter.lg_code:
        red.insert(0, (reporter.prefecture_lg_code, reporter.prefecture_name))
    user = principal.user
    return StepContext(
        services=service_choices(report),
        red_recipients=red,
        person_name=user.display_name,
        person_email=user.email,
        done=frozenset(report.steps_done if report else ()),
    )


def _with_now(step: Step, data: QueryDict, context: StepContext) -> StepForm:
    """The "now" button without script: the form as typed, with that moment set to now."""
    name = data.get("now", "")
    values = data.copy()
    if any(m.name == name for m in step.form.moments):
        local = timezone.localtime()
        values[f"{name}_date"] = local.strftime("%Y-%m-%d")
        values[f"{name}_time"] = local.strftime("%H:%M")
    probe = step.form(values, context=context)
    initial = {
        field: probe.fields[field].widget.value_from_datadict(values, {}, probe.add_prefix(field))
        for field in probe.fields
    }
    return step.form(initial=initial, context=context)


def _saved(
    request: HttpRequest,
    principal: Principal,
    form: StepForm,
    report: IncidentReport | None,
    step: Step,
    *,
    finished: bool = True,
) -> IncidentReport | None:
    """Save the step's answers into the draft (a new report for the first step); a
    service's refusal lands on the form."""
    base = report.draft if report else blank_content()
    content = updated(form, base)
    done = step.key if finished else ""
    if report is None:
        saved, errors = run(
            lambda: services.report_create(principal=principal, content=content, step_done=done)
        )
    else:
        saved, errors = run(
            lambda: services.report_update_draft(
                report=report, principal=principal, content=content, step_done=done
            )
        )
    if saved is None:
        for message in errors:
            form.add_error(None, message)
    return saved


def _after(request: HttpRequest, report: IncidentReport, step: Step) -> HttpResponse:
    """Where a finished step leads: the next one, or the check page (or where asked)."""
    where = request.POST.get("go", "")
    if where == "check":
        return redirect("incidents:report_check", public_id=report.public_id)
    if where == "tasks":
        return redirect("incidents:report_tasks", public_id=report.public_id)
    following = next_step(report.draft, step.key)
    if following is None:
        return redirect("incidents:report_check", public_id=report.public_id)
    return redirect("incidents:report_step", public_id=report.public_id, step=following.key)


def _step_page(
    request: HttpRequest,
    principal: Principal,
    report: IncidentReport | None,
    step: Step,
) -> HttpResponse:
    if not services.may_report(principal):
        return refused(request, _("この団体では報告を作成・編集する権限がありません。"))
    if report is not None and report.status == ReportStatus.CLOSED:
        messages.error(request, _("確報を提出済みの報告です。変更するには報告を再開してください。"))
        return redirect("incidents:report", public_id=report.public_id)
    context = step_context(principal, report)
    content = report.draft if report else blank_content()
    status = 200
    if request.method == "POST" and "now" in request.POST:
        form = _with_now(step, request.POST, context)
    elif request.method == "POST":
        form = form_for(step, content, context, data=request.POST)
        if form.is_valid():
            saved = _saved(request, principal, form, report, step)
            if saved is not None:
                for note in form.notes:
                    messages.info(request, note)
                return _after(request, saved, step)
        status = 400
    else:
        form = form_for(step, content, context)
    return render(
        request,
        "incidents/step.html",
        _step_context(principal, report, step, form, content),
        status=status,
    )


def _step_context(
    principal: Principal,
    report: IncidentReport | None,
    step: Step,
    form: StepForm,
    content: dict[str, Any],
) -> dict[str, Any]:
    shown = progress(content, list(report.steps_done) if report else [])
    keys = [s.key for s, _finished in shown.rows]
    position = keys.index(step.key) + 1 if step.key in keys else 1
    return {
        "report": report,
        "step": step,
        "form": form,
        "errors": error_summary(form),
        "position": position,
        "total": max(shown.total, 1),
        "previous": previous_step(content, step.key) if report else None,
        "warnings": _warnings(report, form),
        "template": select_template(
            [f"incidents/steps/{step.key}.html", "incidents/steps/_generic.html"]
        ).template.name,
    }


def _warnings(report: IncidentReport | None, form: StepForm) -> list[str]:
    """The content warnings that concern the fields of this step."""
    if report is None:
        return []
    try:
        found = content_warnings(from_dict(report.draft))
    except ValueError:
        return []
    return [w.message for w in found if field_for_path(w.path) in form.fields]


@page
def start(request: HttpRequest, principal: Principal) -> HttpResponse:
    """What to do first, whom to call, and the one button that starts a report."""
    organisation = principal.organisation
    context = {
        "can_report": services.may_report(principal),
        "is_local_government": organisation.is_local_government,
        "csirt": _support_desk(organisation),
        "police": _directory_entry("NPA"),
        "drafts": selectors.reports_own(principal=principal, status=ReportStatus.DRAFT).count()
        if organisation.is_local_government
        else 0,
    }
    return render(request, "incidents/start.html", context)


def _support_desk(organisation: Organisation) -> Organisation | None:
    """Whom a local government calls first: its prefecture's CSIRT (a prefecture: 総務省)."""
    if organisation.kind == OrganisationKind.PREFECTURE:
        return _directory_entry("MIC")
    parent = organisation.parent
    while parent is not None and parent.kind != OrganisationKind.PREFECTURE:
        parent = parent.parent
    return parent


def _directory_entry(code: str) -> Organisation | None:
    try:
        return organisation_by_code(code=code)
    except Organisation.DoesNotExist:
        return None


@page
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, principal: Principal) -> HttpResponse:
    """The first step, which creates the report."""
    return _step_page(request, principal, None, BY_KEY["incident"])


def _step_of(report: IncidentReport, key: str) -> Step:
    step = BY_KEY.get(key)
    if step is None:
        raise Http404
    return step


@page
@require_http_methods(["GET", "POST"])
def report_step(
    request: HttpRequest, principal: Principal, public_id: str, step: str
) -> HttpResponse:
    report = _own(principal, public_id)
    found = _step_of(report, step)
    if not found.applies(report.draft):
        return redirect("incidents:report_tasks", public_id=report.public_id)
    return _step_page(request, principal, report, found)


@page
@require_POST
def report_autosave(
    request: HttpRequest, principal: Principal, public_id: str, step: str
) -> HttpResponse:
    """htmx posts the step's form here as the person types: saved if it is valid so far
    (the step is not marked finished), and a short status either way."""
    report = _own(principal, public_id)
    found = _step_of(report, step)
    context = step_context(principal, report)
    form = form_for(found, report.draft, context, data=request.POST)
    saved = None
    if services.may_report(principal) and report.status != ReportStatus.CLOSED and form.is_valid():
        saved = _saved(request, principal, form, report, found, finished=False)
    reason = ""
    if saved is None:
        first = error_summary(form)
        reason = first[0][2] if first else _("この報告は変更できません。")
    return render(
        request,
        "incidents/_autosave.html",
        {"saved": saved is not None, "at": labels.when(timezone.now()), "reason": reason},
    )


@page
def report_tasks(request: HttpRequest, principal: Principal, public_id: str) -> HttpResponse:
    """The task list: every step with its state, and the way to the check page."""
    report = _own(principal, public_id)
    shown = progress(report.draft, list(report.steps_done))
    context = {
        "report": report,
        "progress": shown,
        "can_edit": services.may_report(principal) and report.status != ReportStatus.CLOSED,
    }
    return render(request, "incidents/tasks.html", context)


@page
def report_check(request: HttpRequest, principal: Principal, public_id: str) -> HttpResponse:
    """Check your answers, see who will receive it and by when, then send it for approval."""
    report = _own(principal, public_id)
    content = report.draft
    preview = present.routing_preview(report, first_submitted=None)
    parsed = present.draft_or_none(report)
    context = {
        "report": report,
        "answers": check_answers(content, step_context(principal, report), list(report.steps_done)),
        "preview": preview,
        "reach": selectors.recipients_reach(principal=principal, codes=preview.codes),
        "warnings": [w.message for w in content_warnings(parsed)] if parsed else [],
        "banners": present.banners(due.draft_owed(report)),
        "approvers": selectors.approvers_of(principal=principal),
        "can_request": services.may_report(principal) and report.status == ReportStatus.DRAFT,
        "can_approve": services.may_approve(principal) and report.status != ReportStatus.CLOSED,
        "tlp": labels.label(labels.TLPS, content.get("tlp", "amber")),
    }
    return render(request, "incidents/check.html", context)


def step_url(report: IncidentReport, key: str) -> str:
    return reverse("incidents:report_step", args=[report.public_id, key])
