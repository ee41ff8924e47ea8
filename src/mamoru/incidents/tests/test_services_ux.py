"""The services behind the usable form: short numbers, saving the same draft twice, who is
told of a request for approval (the CISO, a delegate through a grant, a deputy), deputies'
limits, what a delivery records of what its recipient may see, and what is owed when."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mamoru.accounts.models import User
from mamoru.audit.models import AuditEvent
from mamoru.core.exceptions import Unprocessable
from mamoru.incidents import due, services
from mamoru.incidents.content import Phase
from mamoru.incidents.models import (
    Delivery,
    IncidentReport,
    NotificationKind,
    ReportStatus,
)
from mamoru.incidents.routing import Category
from mamoru.incidents.testing import add_member, content_dict, principal
from mamoru.incidents.tests.factories import draft_report, submitted_report
from mamoru.orgs.principal import System
from mamoru.orgs.roles import Role
from mamoru.orgs.services import grant_create
from mamoru.testing import CHIYODA, HACHIOJI, TOKYO, Cast

pytestmark = pytest.mark.django_db


def test_numbers_count_per_organisation_and_year(cast: Cast) -> None:
    first = draft_report(cast.chiyoda)
    second = draft_report(cast.chiyoda)
    other = draft_report(cast.hachioji)
    year = timezone.localdate().year
    assert first.number == f"{year}-{CHIYODA}-0001"
    assert second.number == f"{year}-{CHIYODA}-0002"
    assert other.number == f"{year}-{HACHIOJI}-0001"


def test_saving_the_same_draft_again_changes_and_records_nothing(cast: Cast, ciso: User) -> None:
    report = draft_report(cast.chiyoda)
    services.report_request_approval(report=report, principal=principal(cast.chiyoda))
    same = dict(report.draft)
    report = services.report_update_draft(
        report=report, principal=principal(cast.chiyoda), content=same
    )
    assert report.status == ReportStatus.AWAITING_APPROVAL  # the approver still sees it
    assert not AuditEvent.objects.filter(action="incidents.report.update").exists()
    changed = content_dict(title="別の件名")
    report = services.report_update_draft(
        report=report, principal=principal(cast.chiyoda), content=changed, step_done="overview"
    )
    assert report.status == ReportStatus.DRAFT
    assert report.steps_done == ["overview"]
    assert AuditEvent.objects.filter(action="incidents.report.update").count() == 1


def test_a_delegate_with_the_ciso_role_is_told_of_a_request_for_approval(
    cast: Cast, ciso: User
) -> None:
    accelerator = add_member("accelerator", cast.org(TOKYO), Role.EDITOR)
    grant_create(
        principal=System("test"),
        grantee=accelerator,
        organisation=cast.org(CHIYODA),
        role=Role.CISO,
        reason="DXアクセラレータの派遣",
        expires_at=timezone.now() + timedelta(days=30),
    )
    report = draft_report(cast.chiyoda)
    services.report_request_approval(report=report, principal=principal(cast.chiyoda))
    told = {n.user for n in accelerator.incident_notifications.all()}
    assert told == {accelerator}
    note = ciso.incident_notifications.get(kind=NotificationKind.APPROVAL_REQUESTED)
    assert note.email_wanted
    assert note.link.endswith("/approve/")


def test_a_deputy_approves_only_while_in_office(cast: Cast, ciso: User) -> None:
    deputy_user = add_member("deputy", cast.org(CHIYODA), Role.EDITOR)
    report = draft_report(cast.chiyoda)
    with pytest.raises(PermissionDenied):
        services.report_approve_and_submit(report=report, principal=principal(deputy_user))
    deputy = services.deputy_name(
        principal=principal(ciso),
        user=deputy_user,
        ends_at=timezone.now() + timedelta(days=2),
        reason="CISOの出張",
    )
    assert deputy_user.incident_notifications.filter(kind=NotificationKind.DEPUTY).exists()
    services.report_approve_and_submit(report=report, principal=principal(deputy_user))
    services.deputy_revoke(principal=principal(deputy_user), deputy=deputy)
    second = draft_report(cast.chiyoda)
    with pytest.raises(PermissionDenied):
        services.report_approve_and_submit(report=second, principal=principal(deputy_user))


def test_a_deputy_must_be_an_editor_of_the_organisation_for_at_most_90_days(
    cast: Cast, ciso: User
) -> None:
    soon = timezone.now() + timedelta(days=1)
    with pytest.raises(Unprocessable):  # a viewer cannot edit reports
        services.deputy_name(
            principal=principal(ciso), user=cast.chiyoda_viewer, ends_at=soon, reason="x"
        )
    with pytest.raises(Unprocessable):  # somebody of another organisation
        services.deputy_name(
            principal=principal(ciso), user=cast.hachioji, ends_at=soon, reason="x"
        )
    with pytest.raises(ValidationError) as too_long:
        services.deputy_name(
            principal=principal(ciso),
            user=cast.chiyoda,
            ends_at=timezone.now() + timedelta(days=91),
            reason="長期",
        )
    assert "90日" in str(too_long.value)
    with pytest.raises(PermissionDenied):  # an editor does not name deputies
        services.deputy_name(
            principal=principal(cast.hachioji), user=cast.hachioji, ends_at=soon, reason="x"
        )


def test_a_delivery_records_only_what_its_recipient_may_see(cast: Cast, ciso: User) -> None:
    data = content_dict(people=101, category=Category.RANSOMWARE)
    data["section_tlp"] = {"category": "red"}
    data["red_recipients"] = {"category": ["PPC"]}
    report = services.report_create(principal=principal(cast.chiyoda), content=data)
    services.report_approve_and_submit(report=report, principal=principal(ciso))
    seen = {d.recipient.code: (d.category, d.severity) for d in Delivery.objects.all()}
    assert seen["PPC"] == ("ransomware", "medium")
    assert seen[TOKYO] == ("", "medium")  # the category is TLP:RED for PPC only


def test_a_draft_owes_its_first_reports_and_a_submission_its_final_ones(
    cast: Cast, ciso: User
) -> None:
    aware = timezone.now() - timedelta(days=2)
    draft = draft_report(cast.chiyoda, aware=aware, serious=True)
    owed = due.draft_owed(draft)
    assert {o.phase for o in owed} == {Phase.PRELIMINARY}
    assert {o.recipient_code for o in owed} >= {TOKYO, "MIC"}
    immediate = [o for o in owed if o.recipient_code in (TOKYO, "MIC")]
    assert all(o.state(now=timezone.now()) is due.State.OVERDUE for o in immediate)
    sent = submitted_report(cast.chiyoda, ciso, people=101)
    assert due.draft_owed(sent) == []
    finals = due.delivery_owed(Delivery.objects.filter(report=sent).select_related("report"))
    assert {o.phase for o in finals} == {Phase.FINAL}


def test_the_reporter_is_told_when_the_ciso_submits(
    cast: Cast, ciso: User, django_capture_on_commit_callbacks: Any
) -> None:
    report = draft_report(cast.chiyoda)
    services.report_request_approval(report=report, principal=principal(cast.chiyoda))
    services.report_approve_and_submit(report=report, principal=principal(ciso))
    told = cast.chiyoda.incident_notifications.get(kind=NotificationKind.SUBMITTED)
    assert told.link == f"/incidents/reports/{report.public_id}/sent/"
    assert report.number is not None
    assert report.number in told.text
    assert not ciso.incident_notifications.filter(kind=NotificationKind.SUBMITTED).exists()
    assert IncidentReport.objects.get().status == ReportStatus.SUBMITTED
