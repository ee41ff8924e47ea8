"""Scans as jobs: the scope checked again at scan time, the global limit on running jobs,
recovery of silent workers' jobs, campaigns, schedules and expiring risk acceptances."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mamoru.asm import services
from mamoru.asm.models import (
    Finding,
    FindingEvent,
    FindingStatus,
    JobStatus,
    Scan,
    ScanJob,
    ScanSlot,
    ScanStatus,
    Service,
)
from mamoru.asm.testing import Scanned, approved_asset, principal
from mamoru.asm.tests.loopback import Lab
from mamoru.testing import CHIYODA, HACHIOJI, OSAKA_CITY, Cast

pytestmark = pytest.mark.django_db
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_a_name_that_now_points_elsewhere_is_not_followed(
    cast: Cast, lab: Lab, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    name = "www.city.example.jp"
    lab.zone[(name, "A")] = ["127.0.0.1"]
    chiyoda = principal(cast.chiyoda, CHIYODA)
    asset = approved_asset(chiyoda.organisation, name, kind="hostname", ports=lab.port_list)
    assert asset.approved_addresses == ["127.0.0.1"]
    lab.zone[(name, "A")] = ["127.0.0.1", "127.0.0.2"]  # a second address appeared
    with django_capture_on_commit_callbacks(execute=True):
        scan = services.scan_request(principal=chiyoda, organisation=chiyoda.organisation)
    scan.refresh_from_db()
    assert scan.status == ScanStatus.SUCCEEDED
    assert any("承認された範囲の外にある 127.0.0.2" in note for note in scan.notes)
    assert set(Service.objects.values_list("ip", flat=True)) == {"127.0.0.1"}
    assert set(Service.objects.values_list("hostname", flat=True)) == {name}

    settings.SCAN_ALLOW_PRIVATE = False  # the operator withdrew the lab's exemption
    with django_capture_on_commit_callbacks(execute=True):
        again = services.scan_request(principal=chiyoda, organisation=chiyoda.organisation)
    again.refresh_from_db()
    assert any("インターネットから届かない範囲" in note for note in again.notes)
    assert again.services_seen == 0


def test_jobs_wait_for_a_free_slot_across_the_platform(
    cast: Cast, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = DATABASE
    settings.ASM_MAX_RUNNING_JOBS = 1
    for user, code in ((cast.chiyoda, CHIYODA), (cast.hachioji, HACHIOJI)):
        acting = principal(user, code)
        approved_asset(acting.organisation, "127.0.0.1", ports="9")
        services.scan_request(principal=acting, organisation=acting.organisation)
    services.jobs_dispatch()
    states = sorted(ScanJob.objects.unscoped("test").values_list("status", flat=True))
    assert states == [JobStatus.DISPATCHED, JobStatus.QUEUED]
    assert services.jobs_dispatch() == []  # the only slot is taken
    running = ScanJob.objects.unscoped("test").get(status=JobStatus.DISPATCHED)
    assert services.job_run(job_id=running.pk, lease="someone else's") == "not-ours"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.job_run(job_id=running.pk, lease=running.lease) == "done"
    # Finishing freed the slot and dispatched the other organisation's job.
    states = sorted(ScanJob.objects.unscoped("test").values_list("status", flat=True))
    assert states == [JobStatus.DISPATCHED, JobStatus.SUCCEEDED]
    assert (
        ScanSlot.objects.get().job_id
        == ScanJob.objects.unscoped("test").get(status=JobStatus.DISPATCHED).pk
    )


def test_a_silent_workers_job_is_queued_again_then_failed(cast: Cast, settings: Any) -> None:
    settings.TASKS = DATABASE
    settings.ASM_JOB_MAX_ATTEMPTS = 2
    chiyoda = principal(cast.chiyoda, CHIYODA)
    approved_asset(chiyoda.organisation, "127.0.0.1", ports="9")
    scan = services.scan_request(principal=chiyoda, organisation=chiyoda.organisation)
    services.jobs_dispatch()
    job = ScanJob.objects.unscoped("test").get(scan=scan)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    for attempt in (1, 2):
        ScanJob.objects.unscoped("test").filter(pk=job.pk).update(
            status=JobStatus.RUNNING, attempts=attempt, heartbeat_at=long_ago
        )
        outcome = services.jobs_recover()
        job.refresh_from_db()
        if attempt == 1:
            assert outcome["requeued"] == [job.pk]
            assert job.status == JobStatus.DISPATCHED  # queued again, and dispatched at once
    assert outcome["failed"] == [job.pk]
    assert job.status == JobStatus.FAILED
    assert "応答しなくなりました（2回）" in job.error
    scan.refresh_from_db()
    assert scan.status == ScanStatus.FAILED
    assert ScanSlot.objects.filter(job__isnull=False).count() == 0


def test_a_national_campaign_scans_each_organisation_with_approved_assets(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    for code in (CHIYODA, HACHIOJI, OSAKA_CITY):
        approved_asset(cast.org(code), "127.0.0.1", ports="9")
    with pytest.raises(PermissionDenied):
        services.campaign_start(principal=principal(cast.tokyo), name="x")
    nation = principal(cast.nation)
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_start(
            principal=nation, name="東京都の診断", prefecture_code="13"
        )
    scans = Scan.objects.unscoped("test").filter(campaign=campaign)
    assert sorted(s.organisation.code for s in scans) == [CHIYODA, HACHIOJI]
    from mamoru.asm.selectors import campaign_status

    assert campaign_status(principal=nation, campaign=campaign) == [
        {"prefecture_code": "13", "done": 2, "partial": 0, "failed": 0, "running": 0,
         "queued": 0, "total": 2},
    ]  # fmt: skip
    # The schedule queues 大阪市 (never scanned) now, and the others once they are due.
    due = services.scheduled_scans_queue()
    assert [s.organisation.code for s in due] == [OSAKA_CITY]
    later = services.scheduled_scans_queue(now=timezone.now() + dt.timedelta(days=30))
    assert sorted(s.organisation.code for s in later) == [CHIYODA, HACHIOJI]


def test_an_accepted_risk_opens_again_when_it_expires(scanned: Scanned, cast: Cast) -> None:
    listing = scanned.findings["http-directory-listing"]
    until = timezone.localdate() + dt.timedelta(days=1)
    services.finding_accept_risk(
        principal=scanned.chiyoda, finding=listing, reason="来月撤去する", until=until
    )
    assert services.risk_acceptances_expire(today=until) == 0
    assert services.risk_acceptances_expire(today=until + dt.timedelta(days=1)) == 1
    listing.refresh_from_db()
    assert listing.status == FindingStatus.OPEN
    last = FindingEvent.objects.unscoped("test").filter(finding=listing).last()
    assert last is not None
    assert last.action == "risk_expired"
    assert Finding.objects.unscoped("test").filter(status=FindingStatus.RISK_ACCEPTED).count() == 0
    with pytest.raises(PermissionDenied):  # a viewer reads; only editors decide
        services.finding_acknowledge(
            principal=principal(cast.chiyoda_viewer, CHIYODA), finding=listing
        )


def test_one_active_scan_per_organisation_even_when_two_ask_at_once(cast: Cast) -> None:
    from mamoru.asm.services.scans import _new_scan_once

    chiyoda = principal(cast.chiyoda, CHIYODA)
    asset = approved_asset(chiyoda.organisation, "127.0.0.1", ports="9")
    services.scan_request(principal=chiyoda, organisation=chiyoda.organisation)
    # A schedule that looked before the first scan was stored: the database refuses it.
    late = Scan(organisation=chiyoda.organisation, reason="scheduled")
    assert (
        _new_scan_once(
            late, [{"asset": asset.pk, "kind": "ip", "target": "127.0.0.1", "ports": "9"}]
        )
        is None
    )
    assert Scan.objects.unscoped("test").filter(organisation=chiyoda.organisation).count() == 1
