"""Reads of one organisation's attack-surface records, all through the access gate.

An organisation is shown only when the principal may read its records of that kind
(``orgs.policy``: the organisation itself, its prefecture, the nation; a recipient body
none); otherwise ``Organisation.DoesNotExist``, which the interfaces turn into 404.
Every read of findings and services is audited in the reader's own log.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from mamoru.asm.models import (
    UNRESOLVED,
    Asset,
    DiscoverySuggestion,
    Finding,
    FindingEvent,
    Scan,
    Service,
    SuggestionState,
)
from mamoru.audit.reads import audited_read
from mamoru.orgs.models import Organisation
from mamoru.orgs.policy import DataKind
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisations_readable


def readable(principal: Principal, kind: DataKind = DataKind.FINDINGS) -> QuerySet[Organisation]:
    """The organisations whose attack-surface records of ``kind`` the principal reads."""
    return organisations_readable(principal=principal, kind=kind)


def asm_organisation(
    *, principal: Principal, code: str, kind: DataKind = DataKind.ASSETS
) -> Organisation:
    """An organisation whose records the principal may read; DoesNotExist otherwise."""
    return readable(principal, kind).select_related("parent").get(code=code)


def assets_of(*, principal: Principal, organisation: Organisation) -> QuerySet[Asset]:
    return (
        Asset.objects.within(readable(principal, DataKind.ASSETS))
        .filter(organisation=organisation)
        .select_related("organisation", "added_for", "added_by", "approved_by")
        .order_by("scope_state", "kind", "value")
    )


def asset_get(*, principal: Principal, pk: int) -> Asset:
    return (
        Asset.objects.within(readable(principal, DataKind.ASSETS))
        .select_related("organisation", "added_for", "added_by", "approved_by")
        .get(pk=pk)
    )


def suggestions_of(
    *, principal: Principal, organisation: Organisation, pending: bool = True
) -> QuerySet[DiscoverySuggestion]:
    rows = DiscoverySuggestion.objects.within(readable(principal, DataKind.ASSETS)).filter(
        organisation=organisation
    )
    return rows.filter(state=SuggestionState.PENDING) if pending else rows


def suggestion_get(*, principal: Principal, pk: int) -> DiscoverySuggestion:
    return (
        DiscoverySuggestion.objects.within(readable(principal, DataKind.ASSETS))
        .select_related("organisation")
        .get(pk=pk)
    )


def scans_of(*, principal: Principal, organisation: Organisation) -> QuerySet[Scan]:
    return (
        Scan.objects.within(readable(principal, DataKind.ASSETS))
        .filter(organisation=organisation)
        .select_related("organisation", "requested_by", "requested_for")
        .order_by("-created_at", "-pk")
    )


def scan_get(*, principal: Principal, pk: int) -> Scan:
    return (
        Scan.objects.within(readable(principal, DataKind.ASSETS))
        .select_related("organisation", "requested_by", "requested_for", "campaign")
        .get(pk=pk)
    )


@dataclass(frozen=True)
class FindingFilters:
    status: str = ""  # a FindingStatus, "unresolved" (default) or "all"
    priority: int | None = None
    kev: bool = False
    query: str = ""


def _filtered(rows: QuerySet[Finding], filters: FindingFilters) -> QuerySet[Finding]:
    if filters.status in ("", "unresolved"):
        rows = rows.filter(status__in=UNRESOLVED)
    elif filters.status != "all":
        rows = rows.filter(status=filters.status)
    if filters.priority:
        rows = rows.filter(priority=filters.priority)
    if filters.kev:
        rows = rows.filter(kev=True)
    if filters.query:
        rows = rows.filter(
            Q(title__icontains=filters.query)
            | Q(vulnerability_id__icontains=filters.query)
            | Q(hostname__icontains=filters.query)
            | Q(ip__startswith=filters.query)
            | Q(product__icontains=filters.query)
        )
    return rows


@audited_read("asm.findings.read")
def findings_of(
    *, principal: Principal, organisation: Organisation, filters: FindingFilters | None = None
) -> QuerySet[Finding]:
    """An organisation's findings, most urgent first (unresolved ones by default)."""
    rows = Finding.objects.within(readable(principal)).filter(organisation=organisation)
    return (
        _filtered(rows, filters or FindingFilters())
        .select_related("organisation", "asset")
        .order_by("priority", "-kev", "kev_due", "-last_seen", "pk")
    )


@audited_read("asm.findings.export")
def findings_for_export(
    *, principal: Principal, organisation: Organisation, filters: FindingFilters | None = None
) -> QuerySet[Finding]:
    """The findings an export writes (same gate, its own audit entry)."""
    rows = Finding.objects.within(readable(principal)).filter(organisation=organisation)
    return _filtered(rows, filters or FindingFilters(status="all")).select_related("asset")


@audited_read("asm.finding.read", target=lambda args: f"finding:{args.get('pk')}")
def finding_get(*, principal: Principal, pk: int) -> Finding:
    return (
        Finding.objects.within(readable(principal))
        .select_related("organisation", "organisation__parent", "asset", "service", "last_scan")
        .get(pk=pk)
    )


def finding_events(*, principal: Principal, finding: Finding) -> QuerySet[FindingEvent]:
    """A finding's history (the finding itself was read, and audited, first)."""
    return (
        FindingEvent.objects.within(readable(principal))
        .filter(finding=finding)
        .select_related("actor", "actor_organisation", "scan")
        .order_by("at", "pk")
    )


@audited_read("asm.services.read")
def services_of(
    *, principal: Principal, organisation: Organisation, present: bool = True
) -> QuerySet[Service]:
    rows = Service.objects.within(readable(principal)).filter(organisation=organisation)
    if present:
        rows = rows.filter(present=True)
    return rows.select_related("asset").order_by("ip", "port")


@audited_read("asm.exposure.read", target=lambda args: str(args.get("vulnerability_id", "")))
def exposed_services(*, principal: Principal, vulnerability_id: str) -> list[Service]:
    """The services the principal may read that a vulnerability affects, now: the
    vulnerability intelligence's exposure query, narrowed to the gate's organisations
    (a municipality its own, a prefecture its municipalities', the nation all)."""
    from mamoru.vulns.selectors import exposures_for_vulnerability

    organisations = readable(principal)
    exposures = exposures_for_vulnerability(
        vulnerability_id=vulnerability_id, organisations=organisations
    )
    return list(
        Service.objects.within(organisations)
        .filter(observed_id__in=[e.service_id for e in exposures], present=True)
        .select_related("organisation", "asset")
        .order_by("organisation__code", "ip", "port")
    )
