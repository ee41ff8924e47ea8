"""Reads of the dashboards: an organisation's month, a prefecture's municipalities, the
nation. They read the precomputed rows of ``models.exposure`` (one per organisation, per
prefecture and day, the national ranking), never all findings, so each page costs the
same number of queries — and about the same time — for ten organisations or 1,788."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from mamoru.asm.models import (
    UNRESOLVED,
    Campaign,
    ExposureSnapshot,
    ExposureTotal,
    Finding,
    NationalRollup,
    OrganisationExposure,
    Scan,
)
from mamoru.asm.selectors.records import readable
from mamoru.audit.reads import audited_read
from mamoru.orgs.models import MUNICIPAL_KINDS, Organisation, OrganisationKind
from mamoru.orgs.policy import DataKind, Supervisor
from mamoru.orgs.principal import Principal

SERIES_DAYS = 90


def organisation_exposure(
    *, principal: Principal, organisation: Organisation
) -> OrganisationExposure | None:
    return (
        OrganisationExposure.objects.within(readable(principal))
        .filter(organisation=organisation)
        .first()
    )


def exposure_month(
    *, principal: Principal, organisation: Organisation, today: dt.date | None = None
) -> list[ExposureSnapshot]:
    """The organisation's figures for each day of this month that has them."""
    today = today or timezone.localdate()
    return list(
        ExposureSnapshot.objects.within(readable(principal))
        .filter(organisation=organisation, date__gte=today.replace(day=1), date__lte=today)
        .order_by("date")
    )


def supervised_prefecture(principal: Principal, prefecture_code: str = "") -> str:
    """The prefecture whose municipalities the principal follows: its own for a
    prefecture, the one asked for by the nation; '' when it follows none."""
    if principal.supervisor == Supervisor.PREFECTURE:
        return principal.organisation.prefecture_code
    if principal.supervisor == Supervisor.NATION and prefecture_code:
        return prefecture_code
    return ""


SORTS = {
    "name": ("code",),
    "kev": ("-asm_exposure__kev_open", "-asm_exposure__findings_open", "code"),
    "overdue": ("-asm_exposure__kev_overdue", "-asm_exposure__kev_open", "code"),
    "open": ("-asm_exposure__findings_open", "code"),
    "urgent": ("-asm_exposure__priority_1", "-asm_exposure__findings_open", "code"),
    "scanned": ("asm_exposure__last_scan_at", "code"),
}


@dataclass(frozen=True)
class TableFilters:
    query: str = ""
    show: str = ""  # "" every municipality, "exposed" (KEV open), "never" (never scanned)
    sort: str = "kev"


@audited_read("asm.exposure.read", target=lambda args: f"prefecture:{args.get('prefecture_code')}")
def prefecture_table(
    *, principal: Principal, prefecture_code: str, filters: TableFilters
) -> QuerySet[Organisation]:
    """The municipalities of a prefecture the principal supervises, with their
    exposure row (``organisation.asm_exposure``, missing when never scanned)."""
    rows = readable(principal).filter(prefecture_code=prefecture_code, kind__in=MUNICIPAL_KINDS)
    if filters.query:
        rows = rows.filter(Q(name__contains=filters.query) | Q(reading__contains=filters.query))
    if filters.show == "exposed":
        rows = rows.filter(asm_exposure__kev_open__gt=0)
    elif filters.show == "never":
        rows = rows.filter(
            Q(asm_exposure__isnull=True) | Q(asm_exposure__last_scan_at__isnull=True)
        )
    order = SORTS.get(filters.sort, SORTS["kev"])
    ordering = [
        F(o.lstrip("-")).desc(nulls_last=True) if o.startswith("-") else F(o).asc(nulls_first=True)
        for o in order
    ]
    return rows.select_related("asm_exposure").order_by(*ordering)


def prefecture_total(*, principal: Principal, prefecture_code: str) -> ExposureTotal | None:
    """The prefecture's latest totals of the last week."""
    if not supervised_prefecture(principal, prefecture_code):
        return None
    since = timezone.localdate() - dt.timedelta(days=7)
    return (
        ExposureTotal.objects.filter(prefecture_code=prefecture_code, date__gte=since)
        .order_by("-date")
        .first()
    )


@audited_read("asm.findings.read", target=lambda args: f"prefecture:{args.get('prefecture_code')}")
def overdue_kev(*, principal: Principal, prefecture_code: str) -> QuerySet[Finding]:
    """Unresolved KEV findings past CISA's due date in a prefecture's local governments."""
    # The prefecture's organisations first (at most a few hundred ids): the findings are
    # then read through their organisation index, whatever the size of the nation.
    organisations = list(
        readable(principal).filter(prefecture_code=prefecture_code).values_list("pk", flat=True)
    )
    return (
        Finding.objects.within(readable(principal))
        .filter(
            organisation_id__in=organisations,
            kev=True,
            kev_due__lt=timezone.localdate(),
            status__in=UNRESOLVED,
        )
        .select_related("organisation")
        .order_by("kev_due", "organisation__code", "pk")
    )


@dataclass
class NationalOverview:
    prefectures: list[tuple[Organisation, ExposureTotal | None]]
    nation: ExposureTotal | None
    kev_series: list[ExposureTotal]
    rollup: NationalRollup | None
    campaign: Campaign | None
    campaign_status: list[dict[str, Any]] = field(default_factory=list)


def _latest_totals(since: dt.date) -> dict[str, ExposureTotal]:
    latest: dict[str, ExposureTotal] = {}
    for row in ExposureTotal.objects.filter(date__gte=since).order_by("date"):
        latest[row.prefecture_code] = row
    return latest


def campaign_status(*, principal: Principal, campaign: Campaign) -> list[dict[str, Any]]:
    """Scans of a campaign by prefecture and state (done / running / failed / waiting)."""
    counts = (
        Scan.objects.within(readable(principal, DataKind.ASSETS))
        .filter(campaign=campaign)
        .values("organisation__prefecture_code", "status")
        .annotate(n=Count("pk"))
    )
    by_prefecture: dict[str, dict[str, int]] = {}
    for row in counts:
        by_prefecture.setdefault(row["organisation__prefecture_code"], {})[row["status"]] = row["n"]
    return [
        {
            "prefecture_code": code,
            "done": found.get("succeeded", 0),
            "partial": found.get("partial", 0),
            "failed": found.get("failed", 0),
            "running": found.get("running", 0),
            "queued": found.get("queued", 0),
            "total": sum(found.values()),
        }
        for code, found in sorted(by_prefecture.items())
    ]


def campaigns_of(*, principal: Principal) -> QuerySet[Campaign]:
    return Campaign.objects.within(readable(principal, DataKind.ASSETS)).order_by("-created_at")


def campaign_get(*, principal: Principal, pk: int) -> Campaign:
    return campaigns_of(principal=principal).get(pk=pk)


@audited_read("asm.exposure.read", target=lambda args: "nation")
def national_overview(*, principal: Principal) -> NationalOverview:
    """The nation's page: totals by prefecture, KEV exposure over time, the ranking and
    the latest campaign's status by prefecture (empty for anyone but the nation)."""
    if principal.supervisor != Supervisor.NATION:
        return NationalOverview([], None, [], None, None)
    today = timezone.localdate()
    latest = _latest_totals(today - dt.timedelta(days=7))
    prefectures = list(
        Organisation.objects.unscoped("the list of prefectures: public facts")
        .filter(kind=OrganisationKind.PREFECTURE)
        .order_by("code")
    )
    series = list(
        ExposureTotal.objects.filter(
            prefecture_code="", date__gte=today - dt.timedelta(days=SERIES_DAYS)
        ).order_by("date")
    )
    campaign = campaigns_of(principal=principal).first()
    return NationalOverview(
        prefectures=[(p, latest.get(p.prefecture_code)) for p in prefectures],
        nation=latest.get(""),
        kev_series=series,
        rollup=NationalRollup.objects.first(),
        campaign=campaign,
        campaign_status=campaign_status(principal=principal, campaign=campaign) if campaign else [],
    )


def national_rollup(*, principal: Principal) -> NationalRollup | None:
    """The latest national ranking of vulnerabilities and products (every row): the
    nation's statistics, ``DoesNotExist`` for anyone else."""
    if principal.supervisor != Supervisor.NATION:
        raise NationalRollup.DoesNotExist
    return NationalRollup.objects.first()
