"""The duty to notify the people (本人への通知, 個人情報保護法第68条第2項) beside the report
to PPC: derived from routing, its status recorded by the reporter through the service."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mamoru.audit.models import AuditEvent
from mamoru.incidents.models import NoticeStatus
from mamoru.incidents.routing import Category
from mamoru.incidents.selectors import report_individual_notice
from mamoru.incidents.services import report_create, report_individual_notice_update
from mamoru.incidents.testing import content_dict, principal
from mamoru.testing import Cast

pytestmark = pytest.mark.django_db


def test_a_cms_intrusion_of_twenty_people_carries_the_notice_duty(cast: Cast) -> None:
    report = report_create(
        principal=principal(cast.chiyoda),
        content=content_dict(category=Category.UNAUTHORISED_ACCESS, people=20),
    )
    notice = report_individual_notice(
        principal=principal(cast.chiyoda), public_id=str(report.public_id)
    )
    assert notice.required
    assert notice.bases == ("個人情報保護法第68条第2項",)
    assert notice.status is NoticeStatus.NOT_RECORDED
    assert notice.outstanding


def test_no_personal_data_no_notice_duty(cast: Cast) -> None:
    report = report_create(principal=principal(cast.chiyoda), content=content_dict())
    notice = report_individual_notice(
        principal=principal(cast.chiyoda), public_id=str(report.public_id)
    )
    assert not notice.required
    assert not notice.outstanding


def test_the_reporter_records_the_notice_and_it_is_audited(cast: Cast) -> None:
    report = report_create(principal=principal(cast.chiyoda), content=content_dict(people=20))
    report_individual_notice_update(
        principal=principal(cast.chiyoda), report=report, status="done", note="郵送で通知（20人）"
    )
    notice = report_individual_notice(
        principal=principal(cast.chiyoda), public_id=str(report.public_id)
    )
    assert notice.status is NoticeStatus.DONE
    assert notice.note == "郵送で通知（20人）"
    assert notice.updated_at is not None
    assert not notice.outstanding
    assert AuditEvent.objects.filter(
        action="incidents.report.individual_notice", target=str(report.public_id)
    ).exists()


def test_a_substitute_measure_must_say_what_it_was(cast: Cast) -> None:
    report = report_create(principal=principal(cast.chiyoda), content=content_dict(people=20))
    with pytest.raises(ValidationError) as caught:
        report_individual_notice_update(
            principal=principal(cast.chiyoda), report=report, status="substitute", note=" "
        )
    assert "note" in caught.value.message_dict


def test_an_unknown_status_is_refused(cast: Cast) -> None:
    report = report_create(principal=principal(cast.chiyoda), content=content_dict(people=20))
    with pytest.raises(ValidationError) as caught:
        report_individual_notice_update(
            principal=principal(cast.chiyoda), report=report, status="sent", note=""
        )
    assert "status" in caught.value.message_dict


@pytest.mark.parametrize("who", ["chiyoda_viewer", "hachioji", "tokyo"])
def test_only_an_editor_of_the_reporting_body_may_record_it(cast: Cast, who: str) -> None:
    report = report_create(principal=principal(cast.chiyoda), content=content_dict(people=20))
    with pytest.raises(PermissionDenied):
        report_individual_notice_update(
            principal=principal(getattr(cast, who)), report=report, status="done", note=""
        )
