"""Writing reports: drafts, the request for approval, approval with submission, reopening."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.audit.services import audit_record
from mamoru.core.access import Permission
from mamoru.core.jpcalendar import to_jst
from mamoru.incidents.content import ContentError, Phase, ReportContent, from_dict
from mamoru.incidents.errors import ContentInvalidError, ReportStateError
from mamoru.incidents.links import approval_link, sent_link
from mamoru.incidents.models import IncidentReport, NotificationKind, ReportStatus, Submission
from mamoru.incidents.records import (
    NotALocalGovernmentError,
    content_checksum,
    reporter_context,
    self_approved,
    stored_form,
)
from mamoru.incidents.routing import NoRuleSetError, explain, route, ruleset_for
from mamoru.incidents.services.deliveries import deliveries_create
from mamoru.incidents.services.deputies import active_deputies, may_approve
from mamoru.incidents.services.notifications import notify_organisation, notify_people
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal

# The records' own checks speak English; reporters read Japanese.
_FACT_MESSAGES: dict[str, str] = {
    "started must not be after aware": "発生日時は認知日時より後にできません。",
    "determined must not be before aware": "報告対象事態を知った日時は認知日時より前にできません。",
    "people must not be negative": "本人の数は0以上で入力してください。",
    "must be timezone-aware": "日時にはタイムゾーンが必要です。",
    "unknown ministry code": "所管省庁のコードが正しくありません。",
    "unknown report section": "報告の項目名が正しくありません。",
}


def content_validate(data: Mapping[str, Any]) -> ReportContent:
    """The content of a report from its dict form, or a Japanese ``ValidationError``."""
    try:
        return from_dict(data)
    except ContentError as exc:
        raise ContentInvalidError({exc.path or "content": [exc.message]}) from exc
    except ValueError as exc:
        text = next(
            (ja for en, ja in _FACT_MESSAGES.items() if en in str(exc)),
            _("報告の内容に誤りがあります。"),
        )
        raise ContentInvalidError({"content": [text]}) from exc


def _require(principal: Principal, report: IncidentReport, permission: Permission) -> None:
    if principal.organisation.pk != report.organisation_id or not principal.can(permission):
        raise PermissionDenied(_("この報告を操作する権限がありません。"))


def _require_approver(principal: Principal, report: IncidentReport) -> None:
    """The CISO of the reporting organisation, a delegate with its role, or a deputy in
    office (``services.deputies``)."""
    if principal.organisation.pk != report.organisation_id or not may_approve(principal):
        raise PermissionDenied(_("この報告を承認する権限がありません。"))


def _number(organisation: Organisation, created_at: datetime) -> str:
    """The next short number of ``organisation`` for the year of ``created_at`` (Japan time):
    ``2026-133078-0001``. The organisation's row is locked so that two reports made at the
    same moment never take the same number."""
    Organisation.objects.unscoped(
        "locking the reporter to count its reports"
    ).select_for_update().get(pk=organisation.pk)
    prefix = f"{to_jst(created_at).year}-{organisation.code}-"
    taken = (
        IncidentReport.objects.unscoped("counting the reporter's own numbers")
        .filter(number__startswith=prefix)
        .count()
    )
    return f"{prefix}{taken + 1:04d}"


def _locked(report: IncidentReport) -> IncidentReport:
    return (
        IncidentReport.objects.unscoped("the service checked the principal against this report")
        .select_for_update()
        .get(pk=report.pk)
    )


def _audit(action: str, principal: Principal, report: IncidentReport, **details: object) -> None:
    audit_record(
        action=action,
        actor=principal.user,
        organisation=report.organisation,
        target=str(report.public_id),
        details=details,
    )


def may_report(principal: Principal) -> bool:
    """Whether the principal may make and edit its organisation's reports: ``data.edit`` in
    a local government (the pages ask before showing a form; the services check again)."""
    return principal.can(Permission.DATA_EDIT) and principal.organisation.is_local_government


@transaction.atomic
def report_create(
    *, principal: Principal, content: Mapping[str, Any], step_done: str = ""
) -> IncidentReport:
    """A new draft report of the principal's organisation (needs ``data.edit``), with its
    short number. ``step_done`` records a finished step of the web form."""
    if not principal.can(Permission.DATA_EDIT):
        raise PermissionDenied(_("報告を作成する権限がありません。"))
    try:
        reporter_context(principal.organisation)
    except NotALocalGovernmentError as exc:
        raise PermissionDenied(_("インシデント報告は地方公共団体だけが作成できます。")) from exc
    parsed = content_validate(content)
    now = timezone.now()
    report = IncidentReport.objects.create(
        organisation=principal.organisation,
        number=_number(principal.organisation, now),
        created_by=principal.user,
        title=parsed.title[:200],
        draft=stored_form(parsed),
        created_at=now,
        updated_at=now,
        steps_done=[step_done] if step_done else [],
    )
    _audit("incidents.report.create", principal, report)
    return report


@transaction.atomic
def report_update_draft(
    *,
    report: IncidentReport,
    principal: Principal,
    content: Mapping[str, Any],
    step_done: str = "",
) -> IncidentReport:
    """Replace the draft. A changed draft awaiting approval goes back to draft: the approver
    must see what is sent. Saving what is already saved changes nothing and records nothing
    (autosave sends the page again and again). A closed report must be reopened first.
    ``step_done`` records a finished step of the web form."""
    _require(principal, report, Permission.DATA_EDIT)
    report = _locked(report)
    if report.status == ReportStatus.CLOSED:
        raise ReportStateError(_("確報を提出済みの報告です。変更するには報告を再開してください。"))
    stored = stored_form(content_validate(content))
    changed = stored != report.draft
    new_step = bool(step_done) and step_done not in report.steps_done
    if not changed and not new_step:
        return report
    fields = ["updated_at"]
    if changed:
        report.draft = stored
        report.title = str(stored["title"])[:200]
        report.status = ReportStatus.DRAFT
        fields += ["draft", "title", "status"]
    if new_step:
        report.steps_done = [*report.steps_done, step_done]
        fields.append("steps_done")
    report.updated_at = timezone.now()
    report.save(update_fields=fields)
    if changed:
        _audit("incidents.report.update", principal, report)
    return report


@transaction.atomic
def report_request_approval(*, report: IncidentReport, principal: Principal) -> IncidentReport:
    """Ask the CISO (and any deputy in office) to approve the draft: they are told at once,
    in the app and by e-mail, with a link to the approval page itself."""
    _require(principal, report, Permission.DATA_EDIT)
    report = _locked(report)
    if report.status != ReportStatus.DRAFT:
        raise ReportStateError(_("下書きの報告だけ承認を依頼できます。"))
    report.status = ReportStatus.AWAITING_APPROVAL
    report.approval_requested_by = principal.user
    report.approval_requested_at = timezone.now()
    report.save(update_fields=["status", "approval_requested_by", "approval_requested_at"])
    _audit("incidents.report.request_approval", principal, report)
    notify_organisation(
        organisation=report.organisation,
        kind=NotificationKind.APPROVAL_REQUESTED,
        text=str(_("「%(title)s」（%(number)s）の承認を依頼されました。"))
        % {"title": report.title, "number": report.number},
        link=approval_link(report),
        email=True,
        permission=Permission.REPORTS_APPROVE,
        also=[d.user for d in active_deputies(report.organisation)],
    )
    return report


def _next_phase(previous: int, *, final: bool) -> Phase:
    if final:
        return Phase.FINAL
    return Phase.INTERIM if previous else Phase.PRELIMINARY


def _stamped(content: ReportContent, *, approved: datetime, submitted: datetime) -> ReportContent:
    """The content with the approval and first-submission times that deadlines count from."""
    timeline = replace(content.facts.timeline, approved=approved, submitted=submitted)
    return replace(content, facts=replace(content.facts, timeline=timeline))


@transaction.atomic
def report_approve_and_submit(
    *, report: IncidentReport, principal: Principal, final: bool = False
) -> Submission:
    """Approve the draft and submit it as the next version to every recipient routing names.

    Only a principal with ``reports.approve`` in the reporting organisation (its CISO, or a
    delegate acting there through a grant), or a deputy in office (``services.deputies``). The first submission is the 第一報, later ones
    続報, and ``final=True`` makes it the 確報, which closes the report. Routing uses the rule
    set in force on the day the report was created and the reporter's prefecture; each
    deadline counts from its own trigger (the approval and first submission are stamped on
    the content here). Recipients of an earlier version keep receiving later versions.
    """
    _require_approver(principal, report)
    report = _locked(report)
    if report.status == ReportStatus.CLOSED:
        raise ReportStateError(_("確報を提出済みの報告です。再開してから提出してください。"))
    if report.status == ReportStatus.SUBMITTED and not final:  # unchanged content may be final
        raise ReportStateError(_("前回の提出から内容が変わっていません。"))
    previous = list(
        Submission.objects.unscoped("versions of the report being submitted")
        .filter(report=report)
        .order_by("version")
    )
    now = timezone.now()
    first_at = previous[0].submitted_at if previous else now
    content = _stamped(content_validate(report.draft), approved=first_at, submitted=first_at)
    try:
        ruleset = ruleset_for(to_jst(report.created_at).date())
    except NoRuleSetError as exc:
        raise ReportStateError(_("報告の作成日に施行されていた宛先ルールがありません。")) from exc
    reporter = reporter_context(report.organisation)
    routed = route(content.facts, reporter=reporter, ruleset=ruleset)
    stored = stored_form(content)
    submission = Submission.objects.create(
        report=report,
        phase=_next_phase(len(previous), final=final),
        version=len(previous) + 1,
        content=stored,
        checksum=content_checksum(stored),
        submitted_by=principal.user,
        approved_by=principal.user,
        submitted_at=now,
        ruleset_version=ruleset.version,
        ruleset_effective_from=ruleset.effective_from,
        routing=explain(content.facts, reporter=reporter, ruleset=ruleset),
    )
    deliveries = deliveries_create(submission=submission, routed=routed, now=now)
    report.draft = stored
    report.status = ReportStatus.CLOSED if final else ReportStatus.SUBMITTED
    report.closed_at = now if final else None
    report.updated_at = now
    report.save(update_fields=["draft", "status", "closed_at", "updated_at"])
    _audit(
        "incidents.report.submit",
        principal,
        report,
        version=submission.version,
        phase=submission.phase,
        checksum=submission.checksum,
        recipients=[d.recipient.code for d in deliveries],
        # A one-person village may have to approve its own report; it is allowed, and shown.
        self_approved=self_approved(submission),
        as_deputy=not principal.can(Permission.REPORTS_APPROVE),
    )
    _tell_the_reporter(report, submission, principal)
    return submission


def _tell_the_reporter(report: IncidentReport, submission: Submission, approver: Principal) -> None:
    """The person who asked for approval learns that the report went out, and where to see
    what went where (nobody is told of what they did themselves)."""
    asker = report.approval_requested_by or report.created_by
    if asker.pk == approver.user.pk:
        return
    notify_people(
        organisation=report.organisation,
        users=[asker],
        kind=NotificationKind.SUBMITTED,
        text=str(_("「%(title)s」（%(number)s）が承認され、第%(version)d版として提出されました。"))
        % {"title": report.title, "number": report.number, "version": submission.version},
        link=sent_link(report),
        email=True,
    )


@transaction.atomic
def report_reopen(*, report: IncidentReport, principal: Principal, reason: str) -> IncidentReport:
    """Reopen a closed report (new facts after the 確報, or a correction).

    Decision: a reopened report goes back to draft; its next submission is a 続報 unless
    it is submitted as final again, and every earlier recipient receives it. Needs
    ``reports.approve`` (or a deputy in office), and the reason is kept in the audit log.
    """
    _require_approver(principal, report)
    report = _locked(report)
    if report.status != ReportStatus.CLOSED:
        raise ReportStateError(_("確報を提出済みの報告だけ再開できます。"))
    if not reason.strip():
        raise ValidationError({"reason": [_("再開する理由を入力してください。")]})
    report.status = ReportStatus.DRAFT
    report.closed_at = None
    report.updated_at = timezone.now()
    report.save(update_fields=["status", "closed_at", "updated_at"])
    _audit("incidents.report.reopen", principal, report, reason=reason.strip()[:500])
    return report
