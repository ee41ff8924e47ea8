"""In-app notifications and the e-mails that go with them.

An e-mail never carries the content of a report: it says that something arrived and
links to the platform, where the access gate decides what the reader sees (so no
TLP:RED or ungranted section can leak through mail).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.accounts.models import User
from mamoru.audit.services import audit_record
from mamoru.core.access import Permission
from mamoru.incidents.models import Notification
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import people_acting_in


def notify_organisation(
    *,
    organisation: Organisation,
    kind: str,
    text: str,
    link: str = "",
    email: bool = False,
    permission: Permission = Permission.DATA_VIEW,
    key: str = "",
    also: Iterable[User] = (),
    skip: User | None = None,
) -> list[Notification]:
    """One notification for each active member of ``organisation`` holding ``permission``
    (and its delegates acting through a live grant), plus the people in ``also`` (e.g. a
    deputy approver), but not ``skip`` (who did it).

    With ``key``, a person already notified under that key is skipped (idempotent
    reminders). With ``email``, the e-mails are sent by a task after the commit.
    """
    users = {u.pk: u for u in people_acting_in(organisation=organisation, permission=permission)}
    users.update((u.pk, u) for u in also)
    if skip is not None:
        users.pop(skip.pk, None)
    return notify_people(
        organisation=organisation,
        users=sorted(users.values(), key=lambda u: u.pk),
        kind=kind,
        text=text,
        link=link,
        email=email,
        key=key,
    )


def notify_people(
    *,
    organisation: Organisation,
    users: Sequence[User],
    kind: str,
    text: str,
    link: str = "",
    email: bool = False,
    key: str = "",
) -> list[Notification]:
    """One notification for each of ``users``, acting in ``organisation`` (see above)."""
    if key:
        done = set(
            Notification.objects.unscoped("idempotence of a notification key")
            .filter(key=key, user__in=users)
            .values_list("user_id", flat=True)
        )
        users = [u for u in users if u.pk not in done]
    created = [
        Notification.objects.create(
            user=user,
            organisation=organisation,
            kind=kind,
            text=text[:300],
            link=link,
            key=key,
            email_wanted=email and bool(user.email),
        )
        for user in users
    ]
    ids = [n.pk for n in created if n.email_wanted]
    if ids:
        transaction.on_commit(lambda: _enqueue_emails(ids))
    return created


def _enqueue_emails(ids: list[int]) -> None:
    from mamoru.incidents.tasks import send_notification_emails

    send_notification_emails.enqueue(ids)


@transaction.atomic
def notification_mark_read(*, notification: Notification, principal: Principal) -> Notification:
    """Mark one of the principal's own notifications as read (idempotent)."""
    if notification.user_id != principal.user.pk:
        raise PermissionDenied(_("この通知を操作する権限がありません。"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit_record(
            action="incidents.notification.read",
            actor=principal.user,
            organisation=notification.organisation,
            target=str(notification.pk),
        )
    return notification


_SUBJECTS: dict[str, str] = {
    "report_received": str(_("【mamoru】インシデント報告が届きました")),
    "approval_requested": str(_("【mamoru】インシデント報告の承認依頼")),
    "acknowledged": str(_("【mamoru】インシデント報告の受領が確認されました")),
    "message": str(_("【mamoru】インシデント報告について連絡があります")),
    "deadline": str(_("【mamoru】インシデント報告の期限が近づいています")),
    "submitted": str(_("【mamoru】インシデント報告が提出されました")),
    "deputy": str(_("【mamoru】インシデント報告の承認の代理者に指名されました")),
}

_BODY = _(
    "%(organisation)s ご担当者様\n\n"
    "mamoru に%(what)sがあります。\n"
    "内容は、mamoru にログインして確認してください。\n\n"
    "%(url)s\n\n"
    "このメールには報告の内容を記載していません。心当たりがない場合は、"
    "団体の管理者に連絡してください。\n"
    "-- \nmamoru（自治体サイバーセキュリティ支援基盤）\n"
)

_WHAT: dict[str, str] = {
    "report_received": str(_("貴団体宛てのインシデント報告")),
    "approval_requested": str(_("承認を依頼されたインシデント報告")),
    "acknowledged": str(_("受領が確認されたインシデント報告")),
    "message": str(_("インシデント報告についての新しい連絡")),
    "deadline": str(_("期限が近いインシデント報告")),
    "submitted": str(_("承認されて宛先に届いたインシデント報告")),
    "deputy": str(_("承認の代理者への指名")),
}


def notification_emails_send(*, ids: list[int]) -> int:
    """Send the e-mails of these notifications once each; returns how many were sent.

    Each row is claimed with a conditional UPDATE first, so two workers running the same
    task never send twice. Subject and body are fixed texts and a link: no report content.
    """
    from django.conf import settings
    from django.core.mail import send_mail

    sent = 0
    unsent = Notification.objects.unscoped("the e-mail task: each goes to its own person")
    for notification in unsent.filter(
        pk__in=ids, email_wanted=True, emailed_at__isnull=True
    ).select_related("user", "organisation"):
        claimed = unsent.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            continue
        body = str(_BODY) % {
            "organisation": notification.organisation.name,
            "what": _WHAT.get(notification.kind, str(_("お知らせ"))),
            "url": settings.SITE_URL.rstrip("/") + notification.link,
        }
        subject = _SUBJECTS.get(notification.kind, str(_("【mamoru】お知らせ")))
        send_mail(subject, body, None, [notification.user.email])
        sent += 1
    return sent
