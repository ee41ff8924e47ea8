"""Writing deliveries: addressing a submission to its recipients, acknowledgements, threads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.audit.services import audit_record
from mamoru.core.access import Permission
from mamoru.incidents.content import Phase, from_dict
from mamoru.incidents.links import inbox_link, report_link
from mamoru.incidents.models import (
    Delivery,
    IncidentReport,
    Message,
    NotificationKind,
    Submission,
)
from mamoru.incidents.records import visible_facts
from mamoru.incidents.routing import Due, RoutedRecipient
from mamoru.incidents.services.notifications import notify_organisation
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal, require

MESSAGE_MAX_LENGTH = 5000


def _due_fields(prefix: str, due: Due | None) -> dict[str, object]:
    return {
        f"{prefix}_timing": "" if due is None else due.timing.value,
        f"{prefix}_due_at": None if due is None else due.due_at,
    }


def deliveries_create(
    *, submission: Submission, routed: Sequence[RoutedRecipient], now: datetime
) -> list[Delivery]:
    """Address ``submission`` to every routed recipient and to every earlier recipient.

    Called inside ``report_approve_and_submit``'s transaction. An earlier recipient that
    the new facts no longer route to keeps its grants and deadlines (it must learn, for
    example, that fewer people were affected than first reported). Recipients are notified
    in the app and by e-mail that carries no content of the report.
    """
    report = submission.report
    recipients = Organisation.objects.unscoped("the recipients the routing rules name")
    by_code = {o.code: o for o in recipients.filter(code__in=[r.code for r in routed])}
    sent = Delivery.objects.unscoped("the submitting service checked the principal").filter(
        report=report, current=True
    )
    earlier = {d.recipient_id: d for d in sent.select_related("recipient")}
    sent.update(current=False)
    final = submission.phase == Phase.FINAL
    content = from_dict(submission.content)
    rows: list[Delivery] = []
    for recipient in routed:
        organisation = by_code.get(recipient.code)
        if organisation is None:  # a body the registry lacks: kept in the routing text
            continue
        rows.append(
            Delivery(
                submission=submission,
                report=report,
                recipient=organisation,
                rule_ids=list(recipient.rule_ids),
                sections=list(recipient.sections),
                **_due_fields("preliminary", recipient.preliminary),
                **_due_fields("final", recipient.final),
                delivered_at=now,
            )
        )
    routed_ids = {row.recipient.pk for row in rows}
    for recipient_id, old in earlier.items():
        if recipient_id not in routed_ids:
            rows.append(_carried_over(old, submission=submission, now=now))
    for row in rows:
        row.next_due_at = None if final else row.final_due_at
        seen = visible_facts(content, recipient=row.recipient.code, granted=frozenset(row.sections))
        row.category = str(seen.get("category") or "")
        row.severity = str(seen.get("severity") or "")
        row.save()
        notify_organisation(
            organisation=row.recipient,
            kind=NotificationKind.REPORT_RECEIVED,
            text=str(
                _("%(reporter)sからインシデント報告（%(phase)s・第%(version)d版）が届きました。")
            )
            % {
                "reporter": report.organisation.name,
                "phase": Phase(submission.phase).label,
                "version": submission.version,
            },
            link=inbox_link(row),
            email=True,
        )
    return rows


def _carried_over(old: Delivery, *, submission: Submission, now: datetime) -> Delivery:
    return Delivery(
        submission=submission,
        report=submission.report,
        recipient=old.recipient,
        rule_ids=old.rule_ids,
        sections=old.sections,
        preliminary_timing=old.preliminary_timing,
        preliminary_due_at=old.preliminary_due_at,
        final_timing=old.final_timing,
        final_due_at=old.final_due_at,
        delivered_at=now,
    )


@transaction.atomic
def delivery_acknowledge(*, delivery: Delivery, principal: Principal) -> Delivery:
    """The recipient confirms it received this delivery (idempotent: the first one counts)."""
    _acknowledge(delivery, principal)
    return delivery


@transaction.atomic
def deliveries_acknowledge(*, deliveries: Sequence[Delivery], principal: Principal) -> int:
    """Acknowledge several deliveries at once (the inbox's bulk action): each as
    :func:`delivery_acknowledge`, all or none. Returns how many were newly acknowledged."""
    return sum(_acknowledge(delivery, principal) for delivery in deliveries)


def _acknowledge(delivery: Delivery, principal: Principal) -> bool:
    """Acknowledge ``delivery`` (refreshed in place); True when this call did it. A write on
    the recipient's behalf: ``data.edit``, never a read-only role or token."""
    require(
        principal,
        Permission.DATA_EDIT,
        organisation=delivery.recipient,
        message=str(_("この報告の受領を確認する権限がありません。")),
    )
    updated = (
        Delivery.objects.unscoped("the delivery's recipient was checked above")
        .filter(pk=delivery.pk, acknowledged_at__isnull=True)
        .update(acknowledged_at=timezone.now(), acknowledged_by=principal.user)
    )
    delivery.refresh_from_db()
    if not updated:
        return False
    report = delivery.report
    audit_record(
        action="incidents.delivery.acknowledge",
        actor=principal.user,
        organisation=principal.organisation,
        target=str(report.public_id),
        details={"version": delivery.submission.version, "reporter": report.organisation.code},
    )
    notify_organisation(
        organisation=report.organisation,
        kind=NotificationKind.ACKNOWLEDGED,
        text=str(_("%(recipient)sが「%(title)s」（第%(version)d版）の受領を確認しました。"))
        % {
            "recipient": principal.organisation.name,
            "title": report.title,
            "version": delivery.submission.version,
        },
        link=report_link(report),
    )
    return True


@transaction.atomic
def message_post(
    *, report: IncidentReport, recipient: Organisation, principal: Principal, body: str
) -> Message:
    """A message in the thread between the reporter and ``recipient`` about ``report``.

    Either side may write: members of the reporting organisation, or of a recipient the
    report was delivered to. The other side is notified (in the app and by an e-mail that
    only says a message arrived).
    """
    if not principal.can(Permission.DATA_EDIT):  # a write: never a read-only role or token
        raise PermissionDenied(_("連絡を送る権限がありません。"))
    own = principal.organisation.pk
    if own not in (report.organisation_id, recipient.pk):
        raise PermissionDenied(_("この報告の連絡に参加する権限がありません。"))
    delivered = Delivery.objects.unscoped("the principal was checked above")
    if not delivered.filter(report=report, recipient=recipient).exists():
        raise PermissionDenied(_("この宛先には報告が送られていません。"))
    text = body.strip()
    if not text:
        raise ValidationError({"body": [_("本文を入力してください。")]})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError({"body": [_("本文は5000文字以内で入力してください。")]})
    message = Message.objects.create(
        report=report,
        recipient=recipient,
        organisation=principal.organisation,
        author=principal.user,
        body=text,
    )
    audit_record(
        action="incidents.message.post",
        actor=principal.user,
        organisation=principal.organisation,
        target=str(report.public_id),
        details={"thread": recipient.code, "message": message.pk},
    )
    from_reporter = own == report.organisation_id
    other = recipient if from_reporter else report.organisation
    notify_organisation(
        organisation=other,
        kind=NotificationKind.MESSAGE,
        text=str(_("「%(title)s」について%(author)sから連絡がありました。"))
        % {"title": report.title, "author": principal.organisation.name},
        link=report_link(report) if not from_reporter else _thread_link(report, recipient),
        email=True,
    )
    return message


def _thread_link(report: IncidentReport, recipient: Organisation) -> str:
    delivery = (
        Delivery.objects.unscoped("the link of a thread the principal takes part in")
        .filter(report=report, recipient=recipient)
        .order_by("-pk")
        .first()
    )
    return inbox_link(delivery) if delivery is not None else ""
