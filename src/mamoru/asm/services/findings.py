"""The lifecycle of a finding, by the organisation that owns it:

open → acknowledged → fixed → verified (by the re-scan "fixed" queues), or risk accepted
with a reason and an expiry (the finding opens again when it expires). Every step is a
``FindingEvent`` (who, when, from which state, why) and an audit entry.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.asm.models import Finding, FindingEvent, FindingStatus
from mamoru.asm.services._access import actor_fields, require_own
from mamoru.asm.services.scans import verification_scan_queue
from mamoru.core.exceptions import StateConflict
from mamoru.orgs.principal import Actor, System, audit

MAX_ACCEPTANCE = dt.timedelta(days=366)


def _step(
    principal: Actor,
    finding: Finding,
    *,
    action: str,
    to: str | None,
    note: str = "",
    audit_action: str,
) -> Finding:
    who = actor_fields(principal)
    before = finding.status
    if to is not None and to != before:
        finding.status = to
        finding.status_changed_at = timezone.now()
    finding.save()
    FindingEvent.objects.create(
        finding=finding,
        action=action,
        from_status=before,
        to_status=finding.status,
        actor=who.user,
        actor_organisation=who.organisation,
        note=note.strip(),
    )
    audit(
        principal,
        audit_action,
        organisation=finding.organisation,
        target=f"finding:{finding.pk}",
        details={"from": before, "to": finding.status},
    )
    from mamoru.asm.services.exposure import exposure_refresh_on_commit

    exposure_refresh_on_commit(finding.organisation)
    return finding


def _allowed(finding: Finding, *states: str) -> None:
    if finding.status not in states:
        raise StateConflict(
            _("この検出結果は「%(status)s」のため、この操作はできません。")
            % {"status": finding.get_status_display()}
        )


@transaction.atomic
def finding_acknowledge(*, principal: Actor, finding: Finding, note: str = "") -> Finding:
    """Say the organisation is working on it."""
    require_own(principal, finding.organisation)
    _allowed(finding, FindingStatus.OPEN)
    return _step(principal, finding, action=FindingEvent.Action.ACKNOWLEDGED,
                 to=FindingStatus.ACKNOWLEDGED, note=note,
                 audit_action="asm.finding.acknowledge")  # fmt: skip


@transaction.atomic
def finding_mark_fixed(*, principal: Actor, finding: Finding, note: str = "") -> Finding:
    """Say it is fixed; a re-scan is queued at once and verifies it (or opens it again)."""
    require_own(principal, finding.organisation)
    _allowed(finding, FindingStatus.OPEN, FindingStatus.ACKNOWLEDGED)
    scan = verification_scan_queue(finding=finding)
    if scan is None:
        note = " ".join(
            p
            for p in (
                note,
                _(
                    "資産が診断対象でないため、再診断では確認できません。資産を承認し直してください。"
                ),
            )
            if p
        )
    return _step(principal, finding, action=FindingEvent.Action.FIXED, to=FindingStatus.FIXED,
                 note=note, audit_action="asm.finding.fix")  # fmt: skip


@transaction.atomic
def finding_accept_risk(
    *, principal: Actor, finding: Finding, reason: str, until: dt.date
) -> Finding:
    """Accept the risk for a while, with the reason; it opens again when ``until`` passes."""
    require_own(principal, finding.organisation)
    _allowed(finding, FindingStatus.OPEN, FindingStatus.ACKNOWLEDGED)
    errors = {}
    if not reason.strip():
        errors["reason"] = _("リスクを受容する理由を書いてください。")
    today = timezone.localdate()
    if until <= today:
        errors["until"] = _("期限は明日以降の日付にしてください。")
    elif until > today + MAX_ACCEPTANCE:
        errors["until"] = _("期限は1年以内にしてください。期限が来たら、改めて判断してください。")
    if errors:
        raise ValidationError(errors)
    finding.accepted_reason = reason.strip()
    finding.accepted_until = until
    return _step(principal, finding, action=FindingEvent.Action.RISK_ACCEPTED,
                 to=FindingStatus.RISK_ACCEPTED,
                 note=_("%(reason)s（%(until)s まで）") % {"reason": reason.strip(), "until": until.isoformat()},
                 audit_action="asm.finding.accept_risk")  # fmt: skip


@transaction.atomic
def finding_reopen(*, principal: Actor, finding: Finding, note: str = "") -> Finding:
    """Open a finding again (a fix that did not hold, an acceptance withdrawn)."""
    require_own(principal, finding.organisation)
    _allowed(
        finding,
        FindingStatus.ACKNOWLEDGED,
        FindingStatus.FIXED,
        FindingStatus.VERIFIED,
        FindingStatus.RISK_ACCEPTED,
    )
    finding.accepted_reason, finding.accepted_until = "", None
    return _step(principal, finding, action=FindingEvent.Action.REOPENED, to=FindingStatus.OPEN,
                 note=note, audit_action="asm.finding.reopen")  # fmt: skip


@transaction.atomic
def finding_note(*, principal: Actor, finding: Finding, note: str) -> Finding:
    """Add a note to a finding's history."""
    require_own(principal, finding.organisation)
    if not note.strip():
        raise ValidationError({"note": _("メモを書いてください。")})
    return _step(principal, finding, action=FindingEvent.Action.NOTE, to=None, note=note,
                 audit_action="asm.finding.note")  # fmt: skip


def risk_acceptances_expire(*, today: dt.date | None = None) -> int:
    """Open again every finding whose risk acceptance has expired (the periodic job)."""
    today = today or timezone.localdate()
    expired = list(
        Finding.objects.unscoped("the finding's lifecycle: the service checked the principal")
        .filter(status=FindingStatus.RISK_ACCEPTED, accepted_until__lt=today)
        .select_related("organisation")
    )
    system = System("asm: risk acceptances expire")
    for finding in expired:
        with transaction.atomic():
            until = finding.accepted_until
            _step(system, finding, action=FindingEvent.Action.RISK_EXPIRED, to=FindingStatus.OPEN,
                  note=_("リスク受容の期限（%(until)s）が過ぎたため、未対応に戻しました。")
                  % {"until": until.isoformat() if until else ""},
                  audit_action="asm.finding.expire")  # fmt: skip
    return len(expired)
