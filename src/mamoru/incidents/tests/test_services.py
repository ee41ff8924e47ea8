"""Services: drafts, approval, submission with routing, deliveries and their deadlines."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from mamoru.accounts.models import User
from mamoru.audit.models import AuditEvent
from mamoru.incidents.content import from_dict
from mamoru.incidents.models import (
    Delivery,
    IncidentReport,
    Notification,
    ReportStatus,
    Submission,
)
from mamoru.incidents.records import canonical_bytes, content_checksum
from mamoru.incidents.routing import Category
from mamoru.incidents.services import (
    report_approve_and_submit,
    report_create,
    report_reopen,
    report_request_approval,
    report_update_draft,
)
from mamoru.incidents.testing import content_dict, principal
from mamoru.testing import CHIYODA, TOKYO, Cast

pytestmark = pytest.mark.django_db


def submitted(cast: Cast, ciso: User, capture: Any, **kwargs: Any) -> Submission:
    report = report_create(principal=principal(cast.chiyoda), content=content_dict(**kwargs))
    with capture(execute=True):
        return report_approve_and_submit(report=report, principal=principal(ciso))


def test_a_draft_is_created_by_an_editor_and_audited(cast: Cast) -> None:
    report = report_create(principal=principal(cast.chiyoda), content=content_dict())
    assert report.status == ReportStatus.DRAFT
    assert report.organisation.code == CHIYODA
    assert from_dict(report.draft).title == "住民情報システムへの不正アクセス"
    assert AuditEvent.objects.filter(
        action="incidents.report.create", target=str(report.public_id)
    ).exists()


def test_a_viewer_cannot_create_a_report(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        report_create(principal=principal(cast.chiyoda_viewer), content=content_dict())


def test_a_national_body_cannot_report_as_a_local_government(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        report_create(principal=principal(cast.nation), content=content_dict())


def test_invalid_content_is_refused_in_japanese(cast: Cast) -> None:
    data = content_dict()
    data["facts"]["timeline"]["determined"] = "2020-01-01T00:00:00+09:00"
    with pytest.raises(ValidationError) as caught:
        report_create(principal=principal(cast.chiyoda), content=data)
    assert "認知日時より前" in str(caught.value)
    del data["facts"]["category"]
    with pytest.raises(ValidationError) as caught:
        report_create(principal=principal(cast.chiyoda), content=data)
    assert "facts.category" in caught.value.message_dict


def test_only_the_ciso_approves(cast: Cast, ciso: User) -> None:
    report = report_create(principal=principal(cast.chiyoda), content=content_dict())
    report_request_approval(report=report, principal=principal(cast.chiyoda))
    # The organisation's administrator holds no reports.approve.
    with pytest.raises(PermissionDenied):
        report_approve_and_submit(report=report, principal=principal(cast.chiyoda))
    assert Notification.objects.filter(user=ciso, kind="approval_requested").count() == 1
    assert not Notification.objects.filter(user=cast.chiyoda, kind="approval_requested").exists()


def test_submission_routes_to_prefecture_and_mic_with_deadlines(
    cast: Cast, ciso: User, django_capture_on_commit_callbacks: Any
) -> None:
    submission = submitted(cast, ciso, django_capture_on_commit_callbacks)
    assert (submission.version, submission.phase) == (1, "preliminary")
    assert submission.checksum == content_checksum(submission.content)
    assert len(canonical_bytes(submission.content)) > 100
    deliveries = {d.recipient.code: d for d in Delivery.objects.filter(submission=submission)}
    # unauthorised access: prefecture, MIC and the police (NPA) by policy.
    assert set(deliveries) == {TOKYO, "MIC", "NPA"}
    tokyo = deliveries[TOKYO]
    assert tokyo.rule_ids == ["lg-prefecture"]
    assert tokyo.preliminary_timing == "promptly"
    assert tokyo.final_due_at is not None
    assert tokyo.next_due_at == tokyo.final_due_at
    assert "personal_data" in tokyo.sections
    assert "personal_data" not in deliveries["NPA"].sections
    report = submission.report
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert from_dict(submission.content).facts.timeline.submitted == submission.submitted_at


def test_recipients_are_notified_without_content_in_mail(
    cast: Cast, ciso: User, django_capture_on_commit_callbacks: Any
) -> None:
    submitted(cast, ciso, django_capture_on_commit_callbacks)
    to_tokyo = [m for m in mail.outbox if m.to == [cast.tokyo.email]]
    assert len(to_tokyo) == 1
    assert to_tokyo[0].subject == "【mamoru】インシデント報告が届きました"
    assert "/incidents/inbox/" in to_tokyo[0].body
    assert "不正アクセス" not in to_tokyo[0].body
    assert "VPN" not in to_tokyo[0].body
    assert Notification.objects.filter(user=cast.tokyo, kind="report_received").count() == 1
    assert not Notification.objects.filter(user=cast.hachioji).exists()
    assert not Notification.objects.filter(user=cast.osaka).exists()


def test_ppc_routing_needs_more_than_100_people(
    cast: Cast, ciso: User, django_capture_on_commit_callbacks: Any
) -> None:
    # A leak that is not an attack (an attack reaches PPC at any head-count: 規則第43条第3号).
    leak = Category.DATA_LEAK
    hundred = submitted(cast, ciso, django_capture_on_commit_callbacks, people=100, category=leak)
    assert not Delivery.objects.filter(submission=hundred, recipient__code="PPC").exists()
    more = submitted(cast, ciso, django_capture_on_commit_callbacks, people=101, category=leak)
    ppc = Delivery.objects.get(submission=more, recipient__code="PPC")
    assert ppc.rule_ids == ["appi-68-ppc"]
    assert ppc.preliminary_timing == "promptly"
    assert ppc.final_timing == "fixed"
    assert "category" in ppc.sections  # the ground of 第43条第3号, part of 概要
    assert "police" not in ppc.sections
    assert Notification.objects.filter(user=cast.ppc).count() == 1


def test_versions_phases_and_closing(
    cast: Cast, ciso: User, django_capture_on_commit_callbacks: Any
) -> None:
    first = submitted(cast, ciso, django_capture_on_commit_callbacks)
    report = first.report
    with pytest.raises(ValidationError):  # nothing changed since
        report_approve_and_submit(report=report, principal=principal(ciso))
    report_update_draft(
        report=report, principal=principal(cast.chiyoda), content=content_dict(people=300)
    )
    second = report_approve_and_submit(report=report, principal=principal(ciso))
    assert (second.version, second.phase) == (2, "interim")
    # The approval and first-submission times stay those of the first version.
    assert from_dict(second.content).facts.timeline.submitted == first.submitted_at
    assert Delivery.objects.filter(report=report, current=True, submission=second).count() == 4
    assert not Delivery.objects.filter(submission=first, current=True).exists()
    report_update_draft(report=report, principal=principal(cast.chiyoda), content=content_dict())
    final = report_approve_and_submit(report=report, principal=principal(ciso), final=True)
    report.refresh_from_db()
    assert (final.version, final.phase, report.status) == (3, "final", ReportStatus.CLOSED)
    # PPC received version 2 (300 people): it receives the final one too, though 0 people now.
    ppc = Delivery.objects.get(submission=final, recipient__code="PPC")
    assert ppc.rule_ids == ["appi-68-ppc"]
    assert ppc.next_due_at is None
    with pytest.raises(ValidationError):
        report_update_draft(
            report=report, principal=principal(cast.chiyoda), content=content_dict()
        )
    with pytest.raises(PermissionDenied):
        report_reopen(report=report, principal=principal(cast.chiyoda), reason="訂正")
    report_reopen(report=report, principal=principal(ciso), reason="被害の範囲が広がった")
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_a_sibling_cannot_touch_the_report(cast: Cast, ciso: User) -> None:
    report = report_create(principal=principal(cast.chiyoda), content=content_dict())
    with pytest.raises(PermissionDenied):
        report_update_draft(
            report=report, principal=principal(cast.hachioji), content=content_dict()
        )
    with pytest.raises(PermissionDenied):
        report_request_approval(report=report, principal=principal(cast.tokyo))


def test_the_database_refuses_to_change_a_submission(
    cast: Cast, ciso: User, django_capture_on_commit_callbacks: Any
) -> None:
    submission = submitted(cast, ciso, django_capture_on_commit_callbacks)
    with pytest.raises(DatabaseError), transaction.atomic():
        Submission.objects.filter(pk=submission.pk).update(content={"title": "改ざん"})
    submission.refresh_from_db()
    assert submission.content["title"] == "住民情報システムへの不正アクセス"
    assert IncidentReport.objects.count() == 1
