"""A job's results into the records: services and findings kept once per organisation
under a stable key, their vulnerabilities matched, fixes verified, and what is gone noted.

Called by ``services.jobs`` inside the transaction that marks the job done, so a job's
results are stored whole or not at all. The rules of the lifecycle that a scan applies:

* a new finding is **open**; one seen again keeps its state and counts the sighting;
* **fixed** and seen again → **open** again, with a note; **verified** and seen again →
  **open** again, with a note;
* **fixed** and *not* seen by a scan that really looked (the job covered its address,
  port or domain) → **verified**;
* a finding with **risk accepted** stays so until its expiry (``findings``);
* a service not seen by a scan that covered it is marked gone, and the vulnerability
  intelligence forgets it (no alert about a machine that is no longer there).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.asm import runner
from mamoru.asm.engine.model import Finding as EngineFinding
from mamoru.asm.engine.model import Service as EngineService
from mamoru.asm.models import (
    Asset,
    Finding,
    FindingEvent,
    FindingStatus,
    Scan,
    ScanJob,
    ScanStatus,
    ScopeState,
    Service,
)
from mamoru.asm.scope import ApprovedSpace
from mamoru.asm.vulnerabilities import KNOWN, KNOWN_EXPLOITED, finding_for
from mamoru.core.progress import report_progress
from mamoru.orgs.models import Organisation
from mamoru.vulns.matching import Matcher
from mamoru.vulns.services import observed_services_record, observed_services_remove

_SEVERITY_PRIORITY = {"critical": 1, "high": 2, "medium": 3, "low": 4, "info": 4}
VULNERABILITY_KINDS = frozenset({KNOWN, KNOWN_EXPLOITED})


def approved_space(organisation: Organisation) -> ApprovedSpace:
    """The addresses ``organisation`` approved: its IP and range assets, and the
    addresses its approved names had when they were approved."""
    space = ApprovedSpace()
    for kind, value, addresses in (
        Asset.objects.unscoped("the scope of a scan the system runs for the organisation")
        .filter(organisation=organisation, scope_state=ScopeState.APPROVED)
        .values_list("kind", "value", "approved_addresses")
    ):
        if kind in {"ip", "range"}:
            space.add(value)
        for address in addresses or []:
            space.add(address)
    return space


def scan_canaries(organisation: Organisation, space: ApprovedSpace) -> tuple[tuple[str, int], ...]:
    """Web pages of the organisation's approved scope that earlier scans found: the pages
    the open-proxy check may ask a suspected proxy to fetch (never anything outside)."""
    rows = (
        Service.objects.unscoped("canaries from the organisation's own approved scope")
        .filter(organisation=organisation, present=True, service__in=["http", "http-alt"])
        .order_by("-last_seen")
        .values_list("ip", "port")[:8]
    )
    return tuple((ip, port) for ip, port in rows if space.contains(ip))


def finding_key(kind: str, vulnerability: str, ip: str | None, port: int | None, host: str) -> str:
    """What makes two sightings the same finding. A vulnerability is one finding per
    address, port and vulnerability (its kind may turn KEV later); other findings keep
    the name they were reached by (a certificate differs per name)."""
    if kind in VULNERABILITY_KINDS:
        parts = ["vulnerability", vulnerability, ip or "", str(port or "")]
    else:
        parts = [kind, ip or "", str(port or ""), host]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _evidence(items: Iterable[Any]) -> list[dict[str, Any]]:
    return [asdict(e) for e in items][:20]


def _service_fields(asset_id: int, service: EngineService, scan: Scan) -> dict[str, Any]:
    return {
        "asset_id": asset_id,
        "hostname": (service.hostname or "")[:255],
        "service": service.service[:32],
        "product": (service.product or "")[:200],
        "vendor": (service.vendor or "")[:200],
        "version": (service.version or "")[:100],
        "cpe": (service.cpe or "")[:300],
        "source": service.source or "",
        "extra": dict(service.extra),
        "tls": asdict(service.tls) if service.tls else None,
        "evidence": _evidence(service.evidence),
        "present": True,
        "last_seen": timezone.now(),
        "last_scan": scan,
    }


def _store_services(
    scan: Scan, found: Sequence[tuple[int, EngineService]]
) -> dict[tuple[str, int], Service]:
    organisation = scan.organisation
    existing = {
        (s.ip, s.port, s.transport): s
        for s in Service.objects.unscoped(
            "storing a scan job's results: the job was claimed by its lease"
        ).filter(organisation=organisation, ip__in={s.ip for _a, s in found})
    }
    stored: dict[tuple[str, int], Service] = {}
    for asset_id, engine_service in found:
        key = (engine_service.ip, engine_service.port, engine_service.transport)
        fields = _service_fields(asset_id, engine_service, scan)
        row = existing.get(key)
        if row is None:
            row = Service(organisation=organisation, ip=key[0], port=key[1], transport=key[2])
        for name, value in fields.items():
            setattr(row, name, value)
        row.save()
        stored[(key[0], key[1])] = row
    observed = observed_services_record(
        organisation_id=organisation.pk, services=[s for _a, s in found]
    )
    for (ip, port, transport), observed_id in observed.items():
        row = stored.get((ip, port))
        if row is not None and row.observed_id != observed_id and row.transport == transport:
            Service.objects.unscoped(
                "storing a scan job's results: the job was claimed by its lease"
            ).filter(pk=row.pk).update(observed_id=observed_id)
    return stored


def _vulnerability_findings(
    found: Sequence[tuple[int, EngineService]],
) -> list[tuple[int | None, EngineFinding]]:
    matcher = Matcher()
    return [
        (asset_id, finding_for(service, match))
        for asset_id, service in found
        for match in matcher.match(service)
    ]


def _priority(finding: EngineFinding) -> int:
    level = finding.details.get("priority", "")
    if finding.kind in VULNERABILITY_KINDS and level.isdigit():
        return int(level)
    return _SEVERITY_PRIORITY.get(str(finding.severity), 4)


def finding_values(finding: EngineFinding, asset_id: int | None) -> dict[str, Any]:
    """The columns of a stored finding from the engine's record."""
    details = dict(finding.details)
    vulnerability = details.get("cve_ids", "") if finding.kind in VULNERABILITY_KINDS else ""
    product = " ".join(
        p for p in (details.get("product", "").split(":", 1)[-1], details.get("version", "")) if p
    )
    return {
        "asset_id": asset_id,
        "kind": finding.kind,
        "severity": str(finding.severity),
        "priority": _priority(finding),
        "title": finding.title[:500],
        "vulnerability_id": vulnerability[:64],
        "kev": details.get("kev") == "true",
        "kev_due": dt.date.fromisoformat(due) if (due := details.get("kev_due_date")) else None,
        "ransomware": details.get("known_ransomware_use") == "true",
        "epss": float(details["epss"]) if details.get("epss") else None,
        "cvss": float(details["cvss"]) if details.get("cvss") else None,
        "product": product[:200],
        "ip": finding.ip,
        "port": finding.port,
        "hostname": (finding.hostname or "")[:255],
        "evidence": _evidence(finding.evidence),
        "details": details,
    }


def _event(
    finding: Finding, action: str, *, scan: Scan | None, note: str = "", **extra: Any
) -> FindingEvent:
    return FindingEvent(finding=finding, action=action, scan=scan, note=note, **extra)


def _reopen_note(status: str) -> str:
    if status == FindingStatus.FIXED:
        return _(
            "修正済みとされましたが、再診断でまだ検出されました。修正の内容を確認してください。"
        )
    return _("解決を確認した後に、再び検出されました。")


_UPDATED = [
    "asset", "service", "kind", "severity", "priority", "title", "vulnerability_id", "kev",
    "kev_due", "ransomware", "epss", "cvss", "product", "ip", "port", "hostname", "evidence",
    "details", "status", "status_changed_at", "last_seen", "last_scan", "times_seen",
]  # fmt: skip


def _seen_again(
    finding: Finding, row: dict[str, Any], scan: Scan | None, now: Any
) -> FindingEvent | None:
    """Refresh an existing finding from a new sighting; the reopening event, if any."""
    for name, value in row.items():
        setattr(finding, name, value if name != "asset_id" else (value or finding.asset_id))
    if finding.status not in (FindingStatus.FIXED, FindingStatus.VERIFIED):
        return None
    event = _event(finding, FindingEvent.Action.REOPENED, scan=scan, from_status=finding.status,
                   to_status=FindingStatus.OPEN, note=_reopen_note(finding.status))  # fmt: skip
    finding.status, finding.status_changed_at = FindingStatus.OPEN, now
    return event


def findings_store(
    *,
    organisation: Organisation,
    scan: Scan | None,
    found: Sequence[tuple[int | None, EngineFinding]],
    services: dict[tuple[str, int], Service],
) -> list[Finding]:
    """Create or update findings by key (shared with the exposure alerts), in bulk; the rows."""
    now = timezone.now()
    values = {}
    for asset_id, seen in found:
        row = finding_values(seen, asset_id)
        row["key"] = finding_key(
            seen.kind, row["vulnerability_id"], seen.ip, seen.port, row["hostname"]
        )
        values[row["key"]] = row
    existing = {
        f.key: f
        for f in Finding.objects.unscoped(
            "the service was given the organisation's results"
        ).filter(organisation=organisation, key__in=list(values))
    }
    fresh: list[Finding] = []
    events: list[FindingEvent] = []
    for key, row in values.items():
        finding = existing.get(key)
        if finding is None:
            finding = Finding(organisation=organisation, first_seen=now, times_seen=0, **row)
            fresh.append(finding)
        elif (event := _seen_again(finding, row, scan, now)) is not None:
            events.append(event)
        service = services.get((row["ip"], row["port"])) if row["port"] else None
        finding.service = service or finding.service
        finding.last_seen, finding.last_scan = now, scan
        finding.times_seen += 1
    Finding.objects.bulk_create(
        fresh, batch_size=500
    )  # primary keys set (SQLite ≥ 3.35, PostgreSQL)
    Finding.objects.unscoped("the rows just read for this organisation").bulk_update(
        existing.values(), _UPDATED, batch_size=500
    )
    events += [_event(f, FindingEvent.Action.FOUND, scan=scan, to_status=f.status) for f in fresh]
    FindingEvent.objects.bulk_create(events, batch_size=500)
    return [*fresh, *existing.values()]


def _gone_and_verified(
    scan: Scan, outcome: runner.RunOutcome, seen_services: set[int], seen_keys: set[str]
) -> None:
    organisation, now = scan.organisation, timezone.now()
    covered = outcome.coverage
    gone_observed = []
    for service in Service.objects.unscoped(
        "storing a scan job's results: the job was claimed by its lease"
    ).filter(organisation=organisation, asset_id__in=list(covered), present=True):
        coverage = covered.get(service.asset_id or 0)
        if (
            coverage
            and service.pk not in seen_services
            and coverage.covers(service.ip, service.port)
        ):
            service.present = False
            service.save(update_fields=["present"])
            if service.observed_id:
                gone_observed.append(service.observed_id)
    if gone_observed:
        Service.objects.unscoped(
            "storing a scan job's results: the job was claimed by its lease"
        ).filter(observed_id__in=gone_observed).update(observed=None)
        observed_services_remove(organisation_id=organisation.pk, ids=gone_observed)
    events = []
    for finding in Finding.objects.unscoped(
        "storing a scan job's results: the job was claimed by its lease"
    ).filter(organisation=organisation, asset_id__in=list(covered), status=FindingStatus.FIXED):
        coverage = covered.get(finding.asset_id or 0)
        if (
            finding.key in seen_keys
            or not coverage
            or not coverage.covers(finding.ip, finding.port)
        ):
            continue
        events.append(_event(finding, FindingEvent.Action.VERIFIED, scan=scan,
                             from_status=FindingStatus.FIXED, to_status=FindingStatus.VERIFIED,
                             note=_("再診断で検出されなくなったことを確認しました。")))  # fmt: skip
        finding.status, finding.status_changed_at = FindingStatus.VERIFIED, now
        finding.save(update_fields=["status", "status_changed_at"])
    FindingEvent.objects.bulk_create(events)


def job_results_store(*, scan: Scan, job: ScanJob, outcome: runner.RunOutcome) -> tuple[int, int]:
    """Store one job's results (inside the job's finishing transaction); counts stored."""
    services = _store_services(scan, outcome.services)
    found = [*outcome.findings, *_vulnerability_findings(outcome.services)]
    findings = findings_store(
        organisation=scan.organisation, scan=scan, found=found, services=services
    )
    _gone_and_verified(scan, outcome, {s.pk for s in services.values()}, {f.key for f in findings})
    from mamoru.asm.services.discovery import suggestions_from_scan

    suggestions_from_scan(organisation=scan.organisation, outcome=outcome)
    return len(services), len(findings)


def scan_finish(*, scan: Scan) -> Scan:
    """Close a scan whose jobs have all ended, and refresh its organisation's figures."""
    from mamoru.asm.services.exposure import exposure_refresh

    if scan.jobs_failed == 0:
        scan.status = ScanStatus.SUCCEEDED
    elif scan.jobs_done:
        scan.status = ScanStatus.PARTIAL
    else:
        scan.status = ScanStatus.FAILED
    scan.finished_at = timezone.now()
    if scan.reason == "verification" and scan.status == ScanStatus.FAILED:
        scan.notes = [*scan.notes, _("再診断ができなかったため、修正はまだ確認されていません。")]
    scan.save(update_fields=["status", "finished_at", "notes"])
    report_progress(
        task_id=scan.progress_key,
        done=scan.probes_total,
        total=scan.probes_total or None,
        message=str(scan.get_status_display()),
        task_name="asm.scan",
    )
    exposure_refresh(organisation=scan.organisation)
    return scan
