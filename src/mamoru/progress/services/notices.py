"""Notices: published by the nation or a prefecture to an audience, read and confirmed by
each recipient, and the reminders to those who have not confirmed by the date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.core.access import Permission
from mamoru.orgs.models import OrganisationKind
from mamoru.orgs.principal import Principal, System, audit, require
from mamoru.orgs.selectors import people_acting_in
from mamoru.progress.attachments import MAX_ATTACHMENTS, Upload, attachment_fields
from mamoru.progress.audience import (
    Audience,
    audience_clean,
    audience_label,
    audience_organisations,
)
from mamoru.progress.models import Notice, NoticeAttachment, NoticeDelivery

TITLE_MAX = 200
BODY_MAX = 20000
REMIND_BEFORE = timedelta(days=3)
SENDER_KINDS = frozenset({OrganisationKind.NATIONAL, OrganisationKind.PREFECTURE})


def _validate(
    title: str, body: str, confirm_by: date | None, attachments: Sequence[Upload]
) -> None:
    errors: dict[str, list[str]] = {}
    if not title.strip() or len(title) > TITLE_MAX:
        errors["title"] = [_("件名を200文字以内で入力してください。")]
    if not body.strip() or len(body) > BODY_MAX:
        errors["body"] = [_("本文を20000文字以内で入力してください。")]
    if confirm_by is not None and confirm_by < timezone.localdate():
        errors["confirm_by"] = [_("確認の期限には今日以降の日付を入力してください。")]
    if len(attachments) > MAX_ATTACHMENTS:
        errors["file"] = [_("添付できるファイルは10件までです。")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def notice_publish(
    *,
    principal: Principal,
    title: str,
    body: str,
    audience: Audience,
    confirm_by: date | None = None,
    attachments: Sequence[Upload] = (),
) -> Notice:
    """Publish a notice from the principal's organisation (the nation or a prefecture,
    its editors) to ``audience``: one delivery per recipient."""
    sender = principal.organisation
    require(principal, Permission.DATA_EDIT)
    if sender.kind not in SENDER_KINDS:
        raise PermissionDenied(_("お知らせを発出できるのは国と都道府県です。"))
    _validate(title, body, confirm_by, attachments)
    audience = audience_clean(audience, sender=sender)
    files = [attachment_fields(upload) for upload in attachments]
    notice = Notice.objects.create(
        sender=sender,
        title=title.strip(),
        body=body,
        audience=audience.to_dict(),
        audience_label=audience_label(audience, sender=sender)[:300],
        confirm_by=confirm_by,
        created_by=principal.user,
    )
    recipients = audience_organisations(audience, sender=sender)
    NoticeDelivery.objects.bulk_create(
        (NoticeDelivery(notice=notice, organisation=o) for o in recipients.iterator()),
        batch_size=1000,
    )
    for fields in files:
        NoticeAttachment.objects.create(notice=notice, uploaded_by=principal.user, **fields)
    audit(
        principal,
        "progress.notice.publish",
        target=f"notice:{notice.pk}",
        details={"recipients": recipients.count(), "audience": notice.audience_label},
    )
    return notice


def _own_delivery(principal: Principal, delivery: NoticeDelivery) -> None:
    if delivery.organisation_id != principal.organisation.pk:
        raise PermissionDenied(_("このお知らせを操作する権限がありません。"))


@transaction.atomic
def notice_mark_read(*, principal: Principal, delivery: NoticeDelivery) -> NoticeDelivery:
    """Record that the recipient opened the notice (the first time only)."""
    _own_delivery(principal, delivery)
    claimed = (
        NoticeDelivery.objects.unscoped("the service checked the principal")
        .filter(pk=delivery.pk, read_at__isnull=True)
        .update(read_at=timezone.now(), read_by=principal.user)
    )
    if claimed:
        audit(principal, "progress.notice.read", target=f"notice:{delivery.notice_id}")
        delivery.refresh_from_db()
    return delivery


@transaction.atomic
def notice_confirm(*, principal: Principal, delivery: NoticeDelivery) -> NoticeDelivery:
    """The recipient confirms it has read and understood the notice (idempotent)."""
    _own_delivery(principal, delivery)
    require(principal, Permission.DATA_EDIT, message=_("確認は担当者以上の役割が行います。"))
    now = timezone.now()
    updated = (
        NoticeDelivery.objects.unscoped("the service checked the principal")
        .filter(pk=delivery.pk, confirmed_at__isnull=True)
        .update(confirmed_at=now, confirmed_by=principal.user)
    )
    NoticeDelivery.objects.unscoped("the service checked the principal").filter(
        pk=delivery.pk, read_at__isnull=True
    ).update(read_at=now, read_by=principal.user)
    if updated:
        audit(principal, "progress.notice.confirm", target=f"notice:{delivery.notice_id}")
    delivery.refresh_from_db()
    return delivery


def _reminder_body() -> str:
    # The e-mail says what to do and links to the platform; the notice itself stays there.
    return _(
        "%(organisation)s ご担当者様\n\n"
        "mamoru のお知らせ「%(title)s」の内容の確認（期限: %(due)s）がまだ済んでいません。\n"
        "mamoru にログインして、お知らせを開き「内容を確認しました」を押してください。\n\n"
        "%(url)s\n\n"
        "-- \nmamoru（自治体サイバーセキュリティ支援基盤）\n"
    )


def _remind(delivery: NoticeDelivery, field: str) -> bool:
    """Claim one reminder of ``delivery`` (conditional UPDATE) and e-mail its people."""
    claimed = (
        NoticeDelivery.objects.unscoped("reminders: the task reminds every recipient")
        .filter(pk=delivery.pk, confirmed_at__isnull=True, **{f"{field}__isnull": True})
        .update(**{field: timezone.now()})
    )
    if not claimed:
        return False
    people = people_acting_in(organisation=delivery.organisation, permission=Permission.DATA_EDIT)
    addresses = [p.email for p in people if p.email]
    notice = delivery.notice
    if addresses:
        body = _reminder_body() % {
            "organisation": delivery.organisation.name,
            "title": notice.title,
            "due": f"{notice.confirm_by:%Y年%m月%d日}",
            "url": settings.SITE_URL.rstrip("/") + reverse("progress:notice", args=[notice.pk]),
        }
        subject = _("【mamoru】お知らせの確認をお願いします")
        send_mail(subject, body, None, addresses)
    audit(
        System("progress reminders"),
        "progress.notice.remind",
        organisation=delivery.organisation,
        target=f"notice:{notice.pk}",
        details={"stage": field, "people": len(addresses)},
    )
    return True


def notice_reminders_send(*, today: date | None = None) -> int:
    """Remind recipients that have not confirmed: once when the date is three days away
    or nearer, once when it has passed. Returns the number of reminders sent."""
    today = today or timezone.localdate()
    pending = (
        NoticeDelivery.objects.unscoped("reminders: the task reminds every recipient")
        .filter(confirmed_at__isnull=True, notice__confirm_by__isnull=False)
        .select_related("notice", "organisation")
    )
    sent = 0
    for delivery in pending.filter(
        notice__confirm_by__lte=today + REMIND_BEFORE,
        notice__confirm_by__gte=today,
        reminded_soon_at__isnull=True,
    ):
        sent += _remind(delivery, "reminded_soon_at")
    for delivery in pending.filter(notice__confirm_by__lt=today, reminded_overdue_at__isnull=True):
        sent += _remind(delivery, "reminded_overdue_at")
    return sent
