"""Recording the notice to the people whose data it is (本人への通知).

個人情報保護法第68条第2項 (and 番号法第29条の4第2項) require a body that must report a
leak to PPC to notify the people concerned as well, unless notice is difficult and a
substitute measure is taken (第1号) or the data may be withheld from disclosure (第2号).
The duty is derived from routing (``selectors.notices``); this service records its status.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.audit.services import audit_record
from mamoru.core.access import Permission
from mamoru.incidents.models import IncidentReport, NoticeStatus
from mamoru.orgs.principal import Principal

NOTE_MAX_LENGTH = 2000
# Not notifying must say why (which measure replaced it, or which information is withheld).
_NEEDS_REASON = frozenset({NoticeStatus.SUBSTITUTE, NoticeStatus.EXEMPT})


@transaction.atomic
def report_individual_notice_update(
    *, principal: Principal, report: IncidentReport, status: str, note: str
) -> IncidentReport:
    """Record where the notice to the people stands (needs ``data.edit`` in the reporting
    organisation). ``status`` is a :class:`NoticeStatus` value; a substitute measure or an
    exemption needs a note saying which. Audited; allowed in any state of the report, since
    the notice goes on after the 確報."""
    if principal.organisation.pk != report.organisation_id or not principal.can(
        Permission.DATA_EDIT
    ):
        raise PermissionDenied(_("この報告を操作する権限がありません。"))
    try:
        chosen = NoticeStatus(status)
    except ValueError:
        raise ValidationError({"status": [_("本人への通知の状況を選んでください。")]}) from None
    text = note.strip()
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": [_("記録は2000文字以内で入力してください。")]})
    if chosen in _NEEDS_REASON and not text:
        raise ValidationError(
            {
                "note": [
                    _("通知しない場合や代わりの措置をとった場合は、その内容を記録してください。")
                ]
            }
        )
    report = (
        IncidentReport.objects.unscoped("the principal was checked against this report")
        .select_for_update()
        .get(pk=report.pk)
    )
    report.individual_notice_status = chosen.value
    report.individual_notice_note = text
    report.individual_notice_updated_at = timezone.now()
    report.individual_notice_updated_by = principal.user
    report.save(
        update_fields=[
            "individual_notice_status",
            "individual_notice_note",
            "individual_notice_updated_at",
            "individual_notice_updated_by",
        ]
    )
    audit_record(
        action="incidents.report.individual_notice",
        actor=principal.user,
        organisation=report.organisation,
        target=str(report.public_id),
        details={"status": chosen.value},
    )
    return report
