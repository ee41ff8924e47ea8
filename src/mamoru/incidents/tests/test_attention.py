"""The home page's attention items for incident reports, on both sides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mamoru.accounts.models import User
from mamoru.core.testing import CHIYODA, Cast
from mamoru.incidents.attention import (
    incident_reports_due_soon,
    incident_reports_overdue,
    incident_reports_unacknowledged,
)
from mamoru.incidents.models import Delivery
from mamoru.incidents.services import report_approve_and_submit, report_create
from mamoru.incidents.testing import content_dict, principal
from mamoru.web.attention import AttentionContext, Level

pytestmark = pytest.mark.django_db


def context(user: User) -> AttentionContext:
    acting = principal(user)
    return AttentionContext(principal=acting, organisation=acting.organisation, members=())


@pytest.fixture
def submitted(cast: Cast, ciso: User) -> None:
    report = report_create(principal=principal(cast.chiyoda), content=content_dict(title="停止"))
    report_approve_and_submit(report=report, principal=principal(ciso))


def test_the_prefecture_is_asked_to_acknowledge(cast: Cast, submitted: None) -> None:
    item = incident_reports_unacknowledged(context(cast.tokyo))
    assert item is not None
    assert "1件" in item.detail
    assert incident_reports_unacknowledged(context(cast.osaka)) is None
    assert incident_reports_unacknowledged(context(cast.hachioji)) is None


def test_overdue_and_due_soon_reach_the_reporter(cast: Cast, submitted: None) -> None:
    assert incident_reports_overdue(context(cast.chiyoda)) is None
    Delivery.objects.filter(recipient__code="MIC").update(
        next_due_at=timezone.now() - timedelta(hours=1)
    )
    Delivery.objects.exclude(recipient__code="MIC").update(
        next_due_at=timezone.now() + timedelta(days=1)
    )
    overdue = incident_reports_overdue(context(cast.chiyoda))
    assert overdue is not None
    assert overdue.level == Level.DANGER
    assert any("総務省" in e for e in overdue.entries)
    soon = incident_reports_due_soon(context(cast.chiyoda))
    assert soon is not None
    assert len(soon.entries) == 2
    # The recipient sees its own overdue item; a sibling sees nothing.
    assert incident_reports_overdue(context(cast.nation)) is not None
    assert incident_reports_overdue(context(cast.hachioji)) is None
    assert cast.org(CHIYODA).name == "千代田区"
