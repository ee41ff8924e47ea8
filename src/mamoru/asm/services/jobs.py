"""Scan jobs on the workers: dispatched into a slot, claimed, kept alive, finished once.

Every step is a conditional UPDATE whose row count decides (the pattern of
``core.scheduler`` and healthchecks' sendalerts):

* ``jobs_dispatch`` claims a free ``ScanSlot`` and a queued job together, gives the job a
  fresh ``lease`` and enqueues the task with it after the commit; at most
  ``ASM_MAX_RUNNING_JOBS`` jobs hold a slot, whatever the number of workers;
* ``job_run`` (the task) starts only the job whose lease it was given, runs the engine
  in a thread of its own and, from the task's thread, beats ``heartbeat_at`` and reports
  progress; results are written in the same transaction that marks the job done — only
  while the lease is still its own;
* ``jobs_recover`` (periodic, and ``mamoru asm jobs recover``) takes back a job whose
  heartbeat stopped (a SIGKILLed worker) and queues it again with a new lease, up to
  ``ASM_JOB_MAX_ATTEMPTS`` runs, then marks it failed with the reason. A job dispatched
  whose task never started (a lost queue message) is queued again too.

So a job is never lost (it is finished, queued again, or failed with its reason) and
never runs twice at once (a stale worker's results are refused by the lease); its
results are keyed (``services.results``), so a second run adds no duplicate.
"""

from __future__ import annotations

import functools
import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mamoru.asm import runner
from mamoru.asm.models import JobStatus, Scan, ScanJob, ScanSlot, ScanStatus
from mamoru.asm.services.results import approved_space, job_results_store, scan_canaries
from mamoru.asm.services.scans import run_targets_of
from mamoru.core.progress import report_progress

logger = logging.getLogger("mamoru.asm.jobs")

_JOBS = "the scan job queue: workers take jobs of every organisation"


class LeaseLost(RuntimeError):  # noqa: N818 - read as "lease lost" in logs
    """Another worker holds the job now (this one was taken for dead)."""


def _slot_numbers() -> list[int]:
    count = max(1, int(settings.ASM_MAX_RUNNING_JOBS))
    ScanSlot.objects.bulk_create(
        [ScanSlot(number=n) for n in range(1, count + 1)], ignore_conflicts=True
    )
    return list(
        ScanSlot.objects.filter(number__lte=count, job__isnull=True)
        .order_by("number")
        .values_list("number", flat=True)
    )


class _Taken(Exception):  # noqa: N818 - internal: roll the claim back
    pass


def _claim(number: int, job_id: int) -> str | None:
    """Claim slot ``number`` and queued job ``job_id`` together; the lease, or None."""
    lease = uuid.uuid4().hex
    now = timezone.now()
    try:
        with transaction.atomic():
            if not ScanSlot.objects.filter(number=number, job__isnull=True).update(
                job_id=job_id, claimed_at=now
            ):
                return None
            claimed = (
                ScanJob.objects.unscoped(
                    "the scan job queue: workers take jobs of every organisation"
                )
                .filter(pk=job_id, status=JobStatus.QUEUED)
                .update(
                    status=JobStatus.DISPATCHED, lease=lease, dispatched_at=now, heartbeat_at=now
                )
            )
            if not claimed:
                raise _Taken
    except _Taken:
        return ""
    return lease


def _enqueue(job_id: int, lease: str) -> None:
    from mamoru.asm.tasks import run_scan_job

    result = run_scan_job.enqueue(job_id, lease)
    ScanJob.objects.unscoped("the scan job queue: workers take jobs of every organisation").filter(
        pk=job_id, lease=lease
    ).update(task_id=str(result.id))


def jobs_dispatch() -> list[int]:
    """Give free slots to queued jobs (oldest first); the ids of the jobs dispatched."""
    free = _slot_numbers()
    if not free:
        return []
    queued = list(
        ScanJob.objects.unscoped("the scan job queue: workers take jobs of every organisation")
        .filter(status=JobStatus.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)[: len(free) * 2]
    )
    dispatched: list[int] = []
    for number in free:
        while queued:
            job_id = queued.pop(0)
            lease = _claim(number, job_id)
            if lease is None:  # the slot went to another dispatcher: try the next slot
                queued.insert(0, job_id)
                break
            if lease:
                dispatched.append(job_id)
                transaction.on_commit(functools.partial(_enqueue, job_id, lease))
                break
    return dispatched


def job_start(*, job_id: int, lease: str) -> ScanJob | None:
    """Mark the job running if ``lease`` still holds it; None when it does not."""
    now = timezone.now()
    started = (
        ScanJob.objects.unscoped("the scan job queue: workers take jobs of every organisation")
        .filter(pk=job_id, lease=lease, status=JobStatus.DISPATCHED)
        .update(
            status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
        )
    )
    if not started:
        return None
    job = (
        ScanJob.objects.unscoped("the scan job queue: workers take jobs of every organisation")
        .select_related("scan", "scan__organisation")
        .get(pk=job_id)
    )
    Scan.objects.unscoped("the scan job queue: workers take jobs of every organisation").filter(
        pk=job.scan_id, status=ScanStatus.QUEUED
    ).update(status=ScanStatus.RUNNING, started_at=now)
    return job


@dataclass
class _Counter:
    done: int = 0
    total: int = 0
    lost: bool = False


def _beat(job: ScanJob, lease: str, counter: _Counter, base: int) -> bool:
    """Keep the job alive and report progress; False when the lease is lost."""
    alive = (
        ScanJob.objects.unscoped("the scan job queue: workers take jobs of every organisation")
        .filter(pk=job.pk, lease=lease, status=JobStatus.RUNNING)
        .update(heartbeat_at=timezone.now(), probes_done=counter.done)
    )
    scan = job.scan
    report_progress(
        task_id=scan.progress_key,
        done=base + counter.done,
        total=scan.probes_total or None,
        message=_("診断中（%(n)d/%(total)d 件目の作業）")
        % {"n": job.sequence + 1, "total": scan.jobs_total},
        task_name="asm.scan",
    )
    return bool(alive)


def _run_engine(job: ScanJob, lease: str) -> runner.RunOutcome:
    """The engine in a thread of its own; this thread beats the heartbeat meanwhile (the
    database is used from the task's thread only, never from inside the event loop)."""
    scan = job.scan
    space = approved_space(scan.organisation)
    options = runner.RunSettings(
        rate=float(scan.rate),
        concurrency=scan.concurrency,
        timeout=float(settings.ASM_SCAN_TIMEOUT),
        allow_private=bool(settings.SCAN_ALLOW_PRIVATE),
        resolver=str(settings.ASM_RESOLVER) or None,
        recog_dir=str(settings.ASM_RECOG_DIR),
        canaries=scan_canaries(scan.organisation, space),
    )
    counter = _Counter()
    result: dict[str, object] = {}

    def progress(done: int, total: int) -> None:
        counter.done, counter.total = done, total
        if counter.lost:
            raise LeaseLost

    def work() -> None:
        try:
            result["outcome"] = runner.run_targets(
                run_targets_of(job.targets), space, options, progress
            )
        except BaseException as error:  # handed to the task's thread
            result["error"] = error

    base = sum(
        ScanJob.objects.unscoped("the scan job queue: workers take jobs of every organisation")
        .filter(scan_id=scan.pk, sequence__lt=job.sequence)
        .values_list("probes_total", flat=True)
    )
    thread = threading.Thread(target=work, name=f"asm-job-{job.pk}", daemon=True)
    thread.start()
    every = max(0.2, float(settings.ASM_JOB_HEARTBEAT_SECONDS))
    while thread.is_alive():
        thread.join(every)
        if not _beat(job, lease, counter, base):
            counter.lost = True
    error = result.get("error")
    if error is not None:
        raise error  # type: ignore[misc]
    outcome = result["outcome"]
    assert isinstance(outcome, runner.RunOutcome)
    return outcome


def _release_slot(job_id: int) -> None:
    ScanSlot.objects.filter(job_id=job_id).update(job=None, claimed_at=None)


def _advance(scan: Scan, job: ScanJob) -> None:
    """After a job ends: queue the scan's next job, or finish the scan."""
    following = (
        ScanJob.objects.unscoped("the scan job queue: workers take jobs of every organisation")
        .filter(scan_id=scan.pk, sequence=job.sequence + 1, status=JobStatus.WAITING)
        .update(status=JobStatus.QUEUED)
    )
    if not following:
        from mamoru.asm.services.results import scan_finish

        scan_finish(scan=scan)
    transaction.on_commit(jobs_dispatch)


def job_finish(*, job: ScanJob, lease: str, outcome: runner.RunOutcome) -> bool:
    """Store a job's results and mark it done, once, if ``lease`` still holds it."""
    with transaction.atomic():
        done = (
            ScanJob.objects.unscoped("the scan job queue: workers take jobs of every organisation")
            .filter(pk=job.pk, lease=lease, status=JobStatus.RUNNING)
            .update(
                status=JobStatus.SUCCEEDED,
                finished_at=timezone.now(),
                probes_done=outcome.probes,
                lease="",
            )
        )
        if not done:
            return False
        scan = (
            Scan.objects.unscoped("the scan job queue: workers take jobs of every organisation")
            .select_for_update()
            .get(pk=job.scan_id)
        )
        services, findings = job_results_store(scan=scan, job=job, outcome=outcome)
        scan.jobs_done += 1
        scan.services_seen += services
        scan.findings_seen += findings
        scan.notes = [*scan.notes, *[n for n in outcome.notes if n not in scan.notes]]
        scan.save(update_fields=["jobs_done", "services_seen", "findings_seen", "notes"])
        _release_slot(job.pk)
        _advance(scan, job)
    return True


def job_fail(*, job_id: int, reason: str, lease: str | None = None) -> bool:
    """Mark a job failed with ``reason`` (if ``lease`` still holds it, when given)."""
    with transaction.atomic():
        jobs = ScanJob.objects.unscoped(
            "the scan job queue: workers take jobs of every organisation"
        ).filter(pk=job_id, status__in=[JobStatus.DISPATCHED, JobStatus.RUNNING, JobStatus.QUEUED])
        if lease is not None:
            jobs = jobs.filter(lease=lease)
        if not jobs.update(
            status=JobStatus.FAILED, finished_at=timezone.now(), error=reason[:2000], lease=""
        ):
            return False
        job = ScanJob.objects.unscoped(
            "the scan job queue: workers take jobs of every organisation"
        ).get(pk=job_id)
        scan = (
            Scan.objects.unscoped("the scan job queue: workers take jobs of every organisation")
            .select_for_update()
            .get(pk=job.scan_id)
        )
        scan.jobs_failed += 1
        scan.notes = [*scan.notes, _("作業 %(n)d が失敗しました: %(reason)s") % {
            "n": job.sequence + 1, "reason": reason[:300]}]  # fmt: skip
        scan.save(update_fields=["jobs_failed", "notes"])
        _release_slot(job_id)
        _advance(scan, job)
    return True


def job_run(*, job_id: int, lease: str) -> str:
    """The task's body: run one dispatched job to its end; says what happened."""
    job = job_start(job_id=job_id, lease=lease)
    if job is None:
        return "not-ours"  # finished, failed, or taken back and given to another worker
    try:
        outcome = _run_engine(job, lease)
    except LeaseLost:
        logger.warning("scan job %s: lease lost, results dropped", job_id)
        return "lease-lost"
    except Exception as error:
        logger.exception("scan job %s failed", job_id)
        job_fail(job_id=job_id, lease=lease, reason=f"{type(error).__name__}: {error}")
        return "failed"
    return "done" if job_finish(job=job, lease=lease, outcome=outcome) else "lease-lost"


def scan_run_here(*, scan: Scan) -> Scan:
    """Run a scan's queued jobs in this process, one after the other, outside the worker
    slots (the demo scans its in-process lab this way: the lab lives only as long as the
    process). Jobs another worker has claimed meanwhile are left to it."""
    while True:
        job = (
            ScanJob.objects.unscoped("the caller runs its own scan here")
            .filter(scan_id=scan.pk, status=JobStatus.QUEUED)
            .order_by("sequence")
            .first()
        )
        if job is None:
            break
        lease = uuid.uuid4().hex
        claimed = (
            ScanJob.objects.unscoped("the caller runs its own scan here")
            .filter(pk=job.pk, status=JobStatus.QUEUED)
            .update(status=JobStatus.DISPATCHED, lease=lease, dispatched_at=timezone.now())
        )
        if not claimed:
            break
        job_run(job_id=job.pk, lease=lease)
    scan.refresh_from_db()
    return scan


def _requeue_stale(now: datetime) -> tuple[list[int], list[int]]:
    stale = now - timedelta(seconds=int(settings.ASM_JOB_STALE_SECONDS))
    lost = now - timedelta(seconds=int(settings.ASM_JOB_START_TIMEOUT_SECONDS))
    jobs = ScanJob.objects.unscoped("the scan job queue: workers take jobs of every organisation")
    requeued, failed = [], []
    running = jobs.filter(status=JobStatus.RUNNING, heartbeat_at__lt=stale)
    never_started = jobs.filter(status=JobStatus.DISPATCHED, dispatched_at__lt=lost)
    for job in [*running, *never_started]:
        if job.status == JobStatus.RUNNING and job.attempts >= int(settings.ASM_JOB_MAX_ATTEMPTS):
            reason = _(
                "作業していたワーカーが応答しなくなりました（%(n)d回）。"
                "ワーカーの記録を確認してから、もう一度診断を依頼してください。"
            ) % {"n": job.attempts}
            if job_fail(job_id=job.pk, reason=reason, lease=job.lease):
                failed.append(job.pk)
            continue
        with transaction.atomic():
            taken = jobs.filter(pk=job.pk, lease=job.lease, status=job.status).update(
                status=JobStatus.QUEUED, lease="", heartbeat_at=None, dispatched_at=None
            )
            if taken:
                _release_slot(job.pk)
                requeued.append(job.pk)
    return requeued, failed


def jobs_recover() -> dict[str, list[int]]:
    """Take back the jobs of silent workers, free slots nobody uses, then dispatch."""
    now = timezone.now()
    # The reasons it stores are read by the organisation's people: in the site's language,
    # whatever the language of the thread that runs the recovery.
    with translation.override(settings.LANGUAGE_CODE):
        requeued, failed = _requeue_stale(now)
    # A slot whose job ended without freeing it (a crash between the two writes).
    ScanSlot.objects.exclude(job__isnull=True).exclude(
        job__status__in=[JobStatus.DISPATCHED, JobStatus.RUNNING]
    ).update(job=None, claimed_at=None)
    dispatched = jobs_dispatch()
    if requeued or failed:
        logger.warning("scan jobs recovered: requeued %s, failed %s", requeued, failed)
    return {"requeued": requeued, "failed": failed, "dispatched": dispatched}
