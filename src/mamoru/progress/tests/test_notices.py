"""Notices: published to an audience, read and confirmed by each recipient, seen by the
sender, reminded by the scheduler — and nobody else reads them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mamoru.progress import selectors, services
from mamoru.progress.audience import Audience, AudienceKind
from mamoru.progress.models import Notice, NoticeDelivery
from mamoru.progress.testing import principal
from mamoru.testing import CHIYODA, HACHIOJI, OSAKA_CITY, TOKYO, Cast, SignIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(cast: Cast) -> Notice:
    """東京都 to its municipalities, with a confirmation date in two days and a file."""
    return services.notice_publish(
        principal=principal(cast.tokyo),
        title="標準化の移行スケジュールの確認",
        body="# お願い\n\n各団体は**今月中**に確認してください。<script>x</script>",
        audience=Audience(AudienceKind.ALL),
        confirm_by=timezone.localdate() + timedelta(days=2),
        attachments=[SimpleUploadedFile("日程.pdf", b"%PDF-1.7")],
    )


def test_a_notice_reaches_exactly_its_audience(cast: Cast, notice: Notice) -> None:
    recipients = set(
        NoticeDelivery.objects.unscoped("test")
        .filter(notice=notice)
        .values_list("organisation__code", flat=True)
    )
    assert len(recipients) == 62
    assert CHIYODA in recipients
    assert OSAKA_CITY not in recipients
    assert TOKYO not in recipients
    assert notice.audience_label == "東京都の市区町村すべて"


def test_only_the_nation_and_prefectures_publish(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.notice_publish(
            principal=principal(cast.chiyoda),
            title="t",
            body="b",
            audience=Audience(AudienceKind.ALL),
        )


def test_unread_first_then_read_and_confirmed(
    cast: Cast, notice: Notice, signed_in: SignIn
) -> None:
    later = services.notice_publish(
        principal=principal(cast.nation),
        title="全国へのお知らせ",
        body="本文",
        audience=Audience(AudienceKind.ALL),
    )
    chiyoda = signed_in(cast.chiyoda)
    chiyoda.get(reverse("progress:notice", args=[notice.pk]))
    order = [d.notice_id for d in selectors.notices_received(principal=principal(cast.chiyoda))]
    assert order == [later.pk, notice.pk]  # the unread one first
    page = chiyoda.get(reverse("progress:notice", args=[notice.pk])).content.decode()
    assert "<h3>お願い</h3>" in page
    assert "<strong>今月中</strong>" in page
    assert "<script>x" not in page
    chiyoda.post(reverse("progress:notice_confirm", args=[notice.pk]))
    delivery = NoticeDelivery.objects.unscoped("test").get(
        notice=notice, organisation__code=CHIYODA
    )
    assert delivery.read_at is not None
    assert delivery.confirmed_at is not None


def test_the_sender_sees_who_has_not_confirmed(
    cast: Cast, notice: Notice, signed_in: SignIn
) -> None:
    services.notice_confirm(
        principal=principal(cast.chiyoda),
        delivery=NoticeDelivery.objects.unscoped("test").get(
            notice=notice, organisation__code=CHIYODA
        ),
    )
    sent = selectors.notices_sent(principal=principal(cast.tokyo)).get()
    counts = {name: getattr(sent, name) for name in ("recipients", "read", "confirmed")}
    assert counts == {"recipients": 62, "read": 1, "confirmed": 1}
    pending = signed_in(cast.tokyo).get(
        reverse("progress:notice_recipients", args=[notice.pk]) + "?pending=1"
    )
    html = pending.content.decode()
    assert "八王子市" in html
    assert "千代田区" not in html


@pytest.mark.parametrize("who", ["osaka_city", "osaka", "nation", "ppc", "outsider"])
def test_nobody_else_reads_the_notice_or_its_file(
    cast: Cast, notice: Notice, signed_in: SignIn, who: str
) -> None:
    client = signed_in(getattr(cast, who))
    attachment = notice.attachments.get()
    for path in (
        reverse("progress:notice", args=[notice.pk]),
        reverse("progress:notice_recipients", args=[notice.pk]),
        reverse("progress:notice_attachment", args=[notice.pk, attachment.pk]),
    ):
        assert client.get(path).status_code in (403, 404), f"{who} {path}"
    assert client.post(reverse("progress:notice_confirm", args=[notice.pk])).status_code in (
        403,
        404,
    )


def test_a_recipient_downloads_the_attachment(
    cast: Cast, notice: Notice, signed_in: SignIn
) -> None:
    attachment = notice.attachments.get()
    response = signed_in(cast.hachioji).get(
        reverse("progress:notice_attachment", args=[notice.pk, attachment.pk])
    )
    assert response.content == b"%PDF-1.7"
    assert "filename*=UTF-8''%E6%97%A5%E7%A8%8B.pdf" in response["Content-Disposition"]


def test_reminders_go_once_before_and_once_after_the_date(cast: Cast, notice: Notice) -> None:
    assert services.notice_reminders_send() == 62
    assert services.notice_reminders_send() == 0  # each delivery once per stage
    chiyoda_mail = [m for m in mail.outbox if "chiyoda@example.jp" in m.to]
    assert len(chiyoda_mail) == 1
    assert "標準化の移行スケジュールの確認" in chiyoda_mail[0].body
    assert "各団体は" not in chiyoda_mail[0].body  # the notice itself stays on the platform
    services.notice_confirm(
        principal=principal(cast.hachioji),
        delivery=NoticeDelivery.objects.unscoped("test").get(
            notice=notice, organisation__code=HACHIOJI
        ),
    )
    after = timezone.localdate() + timedelta(days=5)
    assert services.notice_reminders_send(today=after) == 61  # not the one that confirmed
    assert services.notice_reminders_send(today=after) == 0
