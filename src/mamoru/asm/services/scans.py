"""Asking for scans: on demand for one organisation, on a schedule, as a national campaign,
and to verify a fix. Each scan is cut into jobs (``plan_jobs``) that ``services.jobs``
dispatches to the workers; nothing but the organisation's approved assets is planned."""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.asm.engine.ports import format_ports, parse_ports
from mamoru.asm.models import (
    FINISHED_SCAN,
    Asset,
    AssetKind,
    Campaign,
    Finding,
    JobStatus,
    Scan,
    ScanJob,
    ScanReason,
    ScopeState,
)
from mamoru.asm.runner import RunTarget, probe_estimate
from mamoru.asm.scope import url_host
from mamoru.asm.services._access import actor_fields, require_own_or_nation
from mamoru.core.access import Permission
from mamoru.core.exceptions import StateConflict
from mamoru.core.progress import report_progress
from mamoru.orgs.models import LOCAL_GOVERNMENT_KINDS, Organisation
from mamoru.orgs.national import NATIONAL_OPERATOR
from mamoru.orgs.policy import Supervisor
from mamoru.orgs.principal import Actor, System, audit

Target = dict[str, object]  # {"asset", "kind", "target", "ports"}: a job's JSON item


def default_ports() -> tuple[int, ...]:
    spec = str(settings.ASM_SCAN_PORTS).strip()
    return parse_ports(spec) if spec else ()


def job_rate() -> int:
    """Probes per second of one job: the scan's own limit, within the global one."""
    share = int(settings.ASM_GLOBAL_RATE) // max(1, int(settings.ASM_MAX_RUNNING_JOBS))
    return max(1, min(int(settings.ASM_SCAN_RATE), share))


def _asset_ports(asset: Asset, base: tuple[int, ...]) -> tuple[int, ...]:
    ports = set(base)
    if asset.ports:
        ports.update(parse_ports(asset.ports))
    if asset.kind == AssetKind.URL:
        port = asset.value.rsplit(":", 1)[-1].split("/", 1)[0]
        if port.isdigit():
            ports.add(int(port))
    return tuple(sorted(ports))


def _target_text(asset: Asset) -> str:
    return url_host(asset.value) if asset.kind == AssetKind.URL else asset.value


def asset_targets(asset: Asset, *, ports: Sequence[int] | None = None) -> list[Target]:
    """The job items of one asset; a range is cut into parts of ``ASM_JOB_ADDRESSES``."""
    chosen = tuple(ports) if ports is not None else _asset_ports(asset, default_ports())
    spec = format_ports(chosen) if chosen else ""
    item: Target = {"asset": asset.pk, "kind": asset.kind, "ports": spec}
    if asset.kind != AssetKind.RANGE:
        return [{**item, "target": _target_text(asset)}]
    network = ipaddress.ip_network(asset.value)
    limit = max(1, int(settings.ASM_JOB_ADDRESSES))
    prefix = network.max_prefixlen - max(0, (limit.bit_length() - 1))
    parts = [network] if prefix <= network.prefixlen else network.subnets(new_prefix=prefix)
    return [{**item, "target": str(part)} for part in parts]


def run_targets_of(items: Iterable[Target]) -> list[RunTarget]:
    """A job's JSON items as the runner's targets."""
    return [
        RunTarget(
            asset_id=int(str(item["asset"])),
            kind=str(item["kind"]),
            target=str(item["target"]),
            ports=parse_ports(str(item["ports"])) if item["ports"] else (),
        )
        for item in items
    ]


def _weight(item: Target) -> int:
    try:
        return ipaddress.ip_network(str(item["target"])).num_addresses
    except ValueError:
        return 1


def plan_jobs(items: Sequence[Target]) -> list[list[Target]]:
    """Pack items into jobs of at most ``ASM_JOB_ADDRESSES`` addresses each."""
    limit = max(1, int(settings.ASM_JOB_ADDRESSES))
    jobs: list[list[Target]] = []
    current: list[Target] = []
    weight = 0
    for item in items:
        size = _weight(item)
        if current and weight + size > limit:
            jobs.append(current)
            current, weight = [], 0
        current.append(item)
        weight += size
    if current:
        jobs.append(current)
    return jobs


def _approved(organisation: Organisation) -> list[Asset]:
    return list(
        Asset.objects.unscoped("the caller checked the principal for this organisation")
        .filter(organisation=organisation, scope_state=ScopeState.APPROVED)
        .order_by("pk")
    )


def _new_scan(scan: Scan, items: Sequence[Target]) -> Scan:
    """Save ``scan`` with its jobs (the first queued, the others after it)."""
    jobs = plan_jobs(items)
    scan.ports = str(settings.ASM_SCAN_PORTS)
    scan.rate = job_rate()
    scan.concurrency = int(settings.ASM_SCAN_CONCURRENCY)
    scan.jobs_total = len(jobs)
    scan.save()
    rows = [
        ScanJob(
            scan=scan,
            sequence=n,
            targets=job,
            status=JobStatus.QUEUED if n == 0 else JobStatus.WAITING,
            probes_total=probe_estimate(run_targets_of(job)),
        )
        for n, job in enumerate(jobs)
    ]
    ScanJob.objects.bulk_create(rows)
    scan.probes_total = sum(row.probes_total for row in rows)
    scan.save(update_fields=["probes_total"])
    return scan


def _new_scan_once(scan: Scan, items: Sequence[Target]) -> Scan | None:
    """``_new_scan``, or None when another process has just started a scan of the same
    organisation (the database's one-active-scan constraint decides the race)."""
    try:
        with transaction.atomic():
            return _new_scan(scan, items)
    except IntegrityError:
        return None


def _dispatch_on_commit() -> None:
    from mamoru.asm.services.jobs import jobs_dispatch

    transaction.on_commit(jobs_dispatch)


def _active(organisation: Organisation) -> Scan | None:
    return (
        Scan.objects.unscoped("whether the organisation is being scanned now")
        .filter(organisation=organisation)
        .exclude(status__in=FINISHED_SCAN)
        .exclude(reason=ScanReason.VERIFICATION)
        .first()
    )


@transaction.atomic
def scan_request(*, principal: Actor, organisation: Organisation) -> Scan:
    """Scan an organisation's approved assets now (its editors, or the nation for it)."""
    require_own_or_nation(principal, organisation)
    if _active(organisation) is not None:
        raise StateConflict(_("この団体はいま診断中です。終わってから、もう一度依頼してください。"))
    items = [item for asset in _approved(organisation) for item in asset_targets(asset)]
    if not items:
        raise ValidationError(
            _("承認済みの資産がありません。資産を登録して承認すると、診断できます。")
        )
    who = actor_fields(principal)
    scan = _new_scan_once(
        Scan(
            organisation=organisation,
            reason=ScanReason.ON_DEMAND,
            requested_by=who.user,
            requested_for=who.organisation,
        ),
        items,
    )
    if scan is None:
        raise StateConflict(_("この団体はいま診断中です。終わってから、もう一度依頼してください。"))
    report_progress(task_id=scan.progress_key, done=0, total=scan.probes_total, message="待機中")
    audit(principal, "asm.scan.request", organisation=organisation, target=f"scan:{scan.pk}")
    _dispatch_on_commit()
    return scan


def _verification_items(finding: Finding) -> list[Target]:
    asset = finding.asset
    if asset is None or asset.scope_state != ScopeState.APPROVED:
        return []
    if finding.port is None:  # a domain's DNS and mail: the domain check again
        return asset_targets(asset, ports=())
    target = finding.hostname or finding.ip or _target_text(asset)
    try:
        ipaddress.ip_address(target)
        kind = AssetKind.IP
    except ValueError:
        kind = AssetKind.HOSTNAME
    return [{"asset": asset.pk, "kind": kind, "target": target, "ports": str(finding.port)}]


def verification_scan_queue(*, finding: Finding) -> Scan | None:
    """A re-scan of exactly what a finding marked fixed rests on (called by the service
    that marked it, in its transaction); None when its asset is no longer approved."""
    items = _verification_items(finding)
    if not items:
        return None
    scan = _new_scan(
        Scan(
            organisation=finding.organisation,
            reason=ScanReason.VERIFICATION,
            verifies=[finding.pk],
        ),
        items,
    )
    report_progress(task_id=scan.progress_key, done=0, total=scan.probes_total, message="待機中")
    _dispatch_on_commit()
    return scan


def _require_nation(principal: Actor) -> None:
    if isinstance(principal, System):
        return
    if principal.supervisor != Supervisor.NATION or not principal.can(Permission.DATA_EDIT):
        raise PermissionDenied(_("全国診断は国の担当者だけが始められます。"))


def _approved_by_organisation(organisations: Iterable[int]) -> dict[int, list[Asset]]:
    found: dict[int, list[Asset]] = defaultdict(list)
    for asset in (
        Asset.objects.unscoped("a national campaign plans every organisation's approved assets")
        .filter(organisation_id__in=list(organisations), scope_state=ScopeState.APPROVED)
        .order_by("organisation_id", "pk")
    ):
        found[asset.organisation_id].append(asset)
    return found


def _campaign_organisations(prefecture_code: str) -> list[Organisation]:
    query = Q(kind__in=LOCAL_GOVERNMENT_KINDS)
    if prefecture_code:
        query &= Q(prefecture_code=prefecture_code)
    return list(
        Organisation.objects.unscoped("a national campaign covers every local government")
        .filter(query)
        .order_by("code")
    )


def _busy(organisations: Iterable[int]) -> set[int]:
    return set(
        Scan.objects.unscoped("which organisations are being scanned now")
        .filter(organisation_id__in=list(organisations))
        .exclude(status__in=FINISHED_SCAN)
        .exclude(reason=ScanReason.VERIFICATION)
        .values_list("organisation_id", flat=True)
    )


def scans_create_many(
    *, organisations: Sequence[Organisation], reason: str, campaign: Campaign | None = None
) -> list[Scan]:
    """One scan for each organisation with approved assets that is not being scanned."""
    ids = [o.pk for o in organisations]
    assets = _approved_by_organisation(ids)
    busy = _busy(ids)
    created = []
    for organisation in organisations:
        items = [item for a in assets.get(organisation.pk, []) for item in asset_targets(a)]
        if not items or organisation.pk in busy:
            continue
        scan = _new_scan_once(
            Scan(organisation=organisation, reason=reason, campaign=campaign), items
        )
        if scan is not None:
            created.append(scan)
    return created


@transaction.atomic
def campaign_start(*, principal: Actor, name: str, prefecture_code: str = "") -> Campaign:
    """A national diagnosis: one scan per local government with approved assets (of one
    prefecture, or of all), shared out to the workers job by job."""
    _require_nation(principal)
    owner = (
        principal.organisation
        if not isinstance(principal, System)
        else Organisation.objects.unscoped("the national operator owns campaigns").get(
            code=NATIONAL_OPERATOR.code
        )
    )
    who = actor_fields(principal)
    campaign = Campaign.objects.create(
        organisation=owner,
        name=name.strip()[:200] or _("全国診断"),
        prefecture_code=prefecture_code,
        created_by=who.user,
    )
    scans = scans_create_many(
        organisations=_campaign_organisations(prefecture_code),
        reason=ScanReason.CAMPAIGN,
        campaign=campaign,
    )
    audit(
        principal,
        "asm.campaign.start",
        organisation=owner,
        target=f"campaign:{campaign.pk}",
        details={"scans": len(scans), "prefecture": prefecture_code},
    )
    _dispatch_on_commit()
    return campaign


def scheduled_scans_queue(*, now: datetime | None = None) -> list[Scan]:
    """Queue a scan for every organisation whose last scan is older than
    ``ASM_SCAN_INTERVAL_DAYS`` (the periodic job; the system acts)."""
    if not settings.ASM_SCHEDULED_SCANS:
        return []
    cutoff = (now or timezone.now()) - timedelta(days=int(settings.ASM_SCAN_INTERVAL_DAYS))
    with_assets = set(
        Asset.objects.unscoped("the schedule looks at every organisation's scope")
        .filter(scope_state=ScopeState.APPROVED)
        .values_list("organisation_id", flat=True)
    )
    recent = set(
        Scan.objects.unscoped("the schedule looks at every organisation's last scan")
        .filter(organisation_id__in=with_assets, created_at__gte=cutoff)
        .exclude(reason=ScanReason.VERIFICATION)
        .values_list("organisation_id", flat=True)
    )
    due = (
        Organisation.objects.unscoped("organisations due for their scheduled scan")
        .filter(pk__in=with_assets - recent)
        .order_by("code")
    )
    with transaction.atomic():
        scans = scans_create_many(organisations=list(due), reason=ScanReason.SCHEDULED)
        _dispatch_on_commit()
    return scans
