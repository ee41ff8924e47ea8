"""Reports made outside the platform: a recipient the routing names may have nobody on the
platform (today, for instance, the police and the National Cybersecurity Office). The
delivery waits for them there, and the reporter must also tell them by phone or e-mail;
this records that it did, so that the report shows what was told to whom and when."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.audit.services import audit_record
from mamoru.core.access import Permission
from mamoru.core.exceptions import Unprocessable
from mamoru.incidents.models import Delivery, IncidentReport, OutsideMethod, OutsideReport
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal

NOTE_MAX_LENGTH = 2000
# A clock a few minutes fast on the reporter's PC is not an error.
_SKEW = timedelta(minutes=10)


@transaction.atomic
def outside_report_record(
    *,
    principal: Principal,
    report: IncidentReport,
    recipient: Organisation,
    method: str,
    reported_at: datetime,
    contact_person: str = "",
    note: str = "",
) -> OutsideReport:
    """Record that the reporting organisation told ``recipient`` of the newest version sent
    to it, by ``method`` (an :class:`OutsideMethod`) at ``reported_at``. Needs ``data.edit``
    in the reporting organisation, and a version already routed to that recipient. Audited."""
    if principal.organisation.pk != report.organisation_id or not principal.can(
        Permission.DATA_EDIT
    ):
        raise PermissionDenied(_("この報告を操作する権限がありません。"))
    delivered = (
        Delivery.objects.unscoped("the principal was checked against this report")
        .filter(report=report, recipient=recipient, current=True)
        .select_related("submission")
        .first()
    )
    if delivered is None:
        raise Unprocessable({"recipient": [_("この宛先にはまだ報告を提出していません。")]})
    errors: dict[str, list[Any]] = {}
    if method not in OutsideMethod.values:
        errors["method"] = [_("伝えた方法を選んでください。")]
    if reported_at > timezone.now() + _SKEW:
        errors["reported_at"] = [_("伝えた日時に、これから先の日時は入力できません。")]
    if len(note.strip()) > NOTE_MAX_LENGTH:
        errors["note"] = [_("メモは2000文字以内で入力してください。")]
    if len(contact_person.strip()) > 100:
        errors["contact_person"] = [_("相手の担当者は100文字以内で入力してください。")]
    if errors:
        raise Unprocessable(errors)
    record = OutsideReport.objects.create(
        report=report,
        recipient=recipient,
        version=delivered.submission.version,
        method=method,
        reported_at=reported_at,
        contact_person=contact_person.strip(),
        note=note.strip(),
        recorded_by=principal.user,
    )
    audit_record(
        action="incidents.outside.record",
        actor=principal.user,
        organisation=principal.organisation,
        target=str(report.public_id),
        details={"recipient": recipient.code, "version": record.version, "method": method},
    )
    return record
