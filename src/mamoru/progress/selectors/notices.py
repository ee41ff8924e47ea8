"""Reads of notices: those addressed to the principal's organisation (unread first), those
it sent with who has read and confirmed them, and their attachments."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from mamoru.orgs.policy import DataKind
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisations_addressable, organisations_readable
from mamoru.progress.models import Notice, NoticeAttachment, NoticeDelivery


def _sent(principal: Principal) -> QuerySet[Notice]:
    return Notice.objects.within(
        organisations_readable(principal=principal, kind=DataKind.NOTICES)
    ).filter(sender=principal.organisation)


def notices_received(*, principal: Principal) -> QuerySet[NoticeDelivery]:
    """The notices addressed to the principal's organisation: unread first, then newest."""
    return (
        NoticeDelivery.objects.addressed_to(
            organisations_addressable(principal=principal, kind=DataKind.NOTICES)
        )
        .select_related("notice__sender")
        .order_by(F("read_at").asc(nulls_first=True), "-notice__published_at", "-pk")
    )


def notices_unconfirmed(*, principal: Principal) -> QuerySet[NoticeDelivery]:
    """Received notices that ask for a confirmation not given yet, the earliest date first."""
    return (
        notices_received(principal=principal)
        .filter(notice__confirm_by__isnull=False, confirmed_at__isnull=True)
        .order_by("notice__confirm_by", "pk")
    )


def notices_sent(*, principal: Principal) -> QuerySet[Notice]:
    """The notices the principal's organisation sent, with their read and confirmed counts."""
    return (
        _sent(principal)
        .annotate(
            recipients=Count("deliveries"),
            read=Count("deliveries", filter=Q(deliveries__read_at__isnull=False)),
            confirmed=Count("deliveries", filter=Q(deliveries__confirmed_at__isnull=False)),
        )
        .order_by("-published_at", "-pk")
    )


@dataclass(frozen=True)
class NoticeView:
    notice: Notice
    delivery: NoticeDelivery | None  # the principal's organisation's copy, when a recipient
    is_sender: bool


def notice_get(*, principal: Principal, pk: int) -> NoticeView:
    """One notice the principal's organisation sent or received; ``DoesNotExist`` else."""
    sent = _sent(principal).filter(pk=pk).select_related("sender").first()
    if sent is not None:
        return NoticeView(notice=sent, delivery=None, is_sender=True)
    delivery = notices_received(principal=principal).select_related("notice").get(notice_id=pk)
    return NoticeView(notice=delivery.notice, delivery=delivery, is_sender=False)


def notice_recipients(
    *, principal: Principal, notice: Notice, pending: bool = False
) -> QuerySet[NoticeDelivery]:
    """The recipients of a notice the principal's organisation sent: those who have not
    confirmed (or read) first. ``pending`` keeps only those who have not confirmed."""
    found = (
        NoticeDelivery.objects.within(
            organisations_readable(principal=principal, kind=DataKind.NOTICES)
        )
        .filter(notice=notice, notice__sender=principal.organisation)
        .select_related("organisation", "read_by", "confirmed_by")
        .order_by(
            F("confirmed_at").asc(nulls_first=True),
            F("read_at").asc(nulls_first=True),
            "organisation__code",
        )
    )
    return found.filter(confirmed_at__isnull=True) if pending else found


def notice_attachments(*, principal: Principal, notice: Notice) -> QuerySet[NoticeAttachment]:
    """The attachments of a notice already read through :func:`notice_get`."""
    return (
        NoticeAttachment.objects.unscoped("the notice itself was read through the gate")
        .filter(notice=notice)
        .defer("data")
        .order_by("pk")
    )


def notice_attachment_get(*, principal: Principal, notice_pk: int, pk: int) -> NoticeAttachment:
    """One attachment of a notice the principal's organisation sent or received."""
    view = notice_get(principal=principal, pk=notice_pk)
    return (
        NoticeAttachment.objects.unscoped("the notice itself was read through the gate")
        .filter(notice=view.notice)
        .get(pk=pk)
    )
