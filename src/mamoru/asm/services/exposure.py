"""The figures the dashboards read, kept up to date as findings change.

``exposure_refresh`` recomputes one organisation's row (a few aggregates over its own
findings), its row of the day, and its prefecture's and the nation's totals of the day
(sums over at most a prefecture's organisations, then over 47 rows). The prefecture and
national pages read only these rows and ``NationalRollup``, so their cost does not grow
with the number of findings. A daily job refreshes every organisation (overdue KEV
items become overdue by the calendar alone) and the national ranking is recomputed
every quarter hour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from mamoru.asm.models import (
    FINISHED_SCAN,
    UNRESOLVED,
    Asset,
    ExposureSnapshot,
    ExposureTotal,
    Finding,
    NationalRollup,
    OrganisationExposure,
    Scan,
    ScanReason,
    ScopeState,
    Service,
)
from mamoru.orgs.models import LOCAL_GOVERNMENT_KINDS, Organisation

COUNTS = (
    "findings_open", "priority_1", "priority_2", "priority_3", "priority_4",
    "kev_open", "kev_overdue", "ransomware_open",
)  # fmt: skip


def _finding_counts(organisation: Organisation, today: dt.date) -> dict[str, int]:
    counted = (
        Finding.objects.unscoped("the organisation's own figures, recomputed by the system")
        .filter(organisation=organisation, status__in=UNRESOLVED)
        .aggregate(
            findings_open=Count("pk"),
            priority_1=Count("pk", filter=Q(priority=1)),
            priority_2=Count("pk", filter=Q(priority=2)),
            priority_3=Count("pk", filter=Q(priority=3)),
            priority_4=Count("pk", filter=Q(priority=4)),
            kev_open=Count("pk", filter=Q(kev=True)),
            kev_overdue=Count("pk", filter=Q(kev=True, kev_due__lt=today)),
            ransomware_open=Count("pk", filter=Q(ransomware=True)),
        )
    )
    return {k: int(v or 0) for k, v in counted.items()}


def _organisation_row(organisation: Organisation, today: dt.date) -> dict[str, Any]:
    assets = (
        Asset.objects.unscoped("the organisation's own figures, recomputed by the system")
        .filter(organisation=organisation)
        .aggregate(
            approved=Count("pk", filter=Q(scope_state=ScopeState.APPROVED)),
            proposed=Count("pk", filter=Q(scope_state=ScopeState.PROPOSED)),
        )
    )
    last = (
        Scan.objects.unscoped("the organisation's own figures, recomputed by the system")
        .filter(organisation=organisation, status__in=FINISHED_SCAN)
        .exclude(reason=ScanReason.VERIFICATION)
        .order_by("-finished_at")
        .values_list("finished_at", "status")
        .first()
    )
    return {
        **_finding_counts(organisation, today),
        "prefecture_code": organisation.prefecture_code,
        "assets_approved": assets["approved"],
        "assets_proposed": assets["proposed"],
        "services": Service.objects.unscoped(
            "the organisation's own figures, recomputed by the system"
        )
        .filter(organisation=organisation, present=True)
        .count(),
        "last_scan_at": last[0] if last else None,
        "last_scan_status": last[1] if last else "",
        "updated_at": timezone.now(),
    }


def _sum(rows: Any, **extra: Any) -> dict[str, int]:
    """Sums of the counts (aliases prefixed: an alias may not shadow a field it reads)."""
    summed = rows.aggregate(**{f"sum_{name}": Sum(name) for name in (*COUNTS, "services")}, **extra)
    return {key.removeprefix("sum_"): int(value or 0) for key, value in summed.items()}


def _totals(prefecture_code: str, today: dt.date) -> None:
    if prefecture_code:
        values = _sum(
            OrganisationExposure.objects.unscoped("a prefecture's total").filter(
                prefecture_code=prefecture_code
            ),
            sum_organisations_scanned=Count("pk", filter=Q(last_scan_at__isnull=False)),
            sum_organisations_exposed=Count("pk", filter=Q(kev_open__gt=0)),
        )
        values["organisations"] = (
            Organisation.objects.unscoped("how many local governments a prefecture has")
            .filter(prefecture_code=prefecture_code, kind__in=LOCAL_GOVERNMENT_KINDS)
            .count()
        )
    else:  # the nation: the sum of the prefectures' rows of the day
        values = _sum(
            ExposureTotal.objects.filter(date=today).exclude(prefecture_code=""),
            **{
                f"sum_{name}": Sum(name)
                for name in ("organisations", "organisations_scanned", "organisations_exposed")
            },
        )
    ExposureTotal.objects.update_or_create(
        date=today, prefecture_code=prefecture_code, defaults=values
    )


def exposure_refresh(*, organisation: Organisation, totals: bool = True) -> OrganisationExposure:
    """Recompute an organisation's figures now and today's (and, with ``totals``, its
    prefecture's and the nation's of today)."""
    today = timezone.localdate()
    values = _organisation_row(organisation, today)
    row, _created = OrganisationExposure.objects.unscoped(
        "the system writes the organisation's own figures"
    ).update_or_create(organisation=organisation, defaults=values)
    ExposureSnapshot.objects.unscoped(
        "the system writes the organisation's own figures"
    ).update_or_create(
        organisation=organisation,
        date=today,
        defaults={name: values[name] for name in COUNTS},
    )
    if totals:
        _totals(organisation.prefecture_code, today)
        _totals("", today)
    return row


def exposure_refresh_many(organisations: Iterable[Organisation]) -> int:
    """Refresh several organisations, then each of their prefectures' totals and the
    nation's once (an alert touches hundreds of organisations at once)."""
    today, prefectures, count = timezone.localdate(), set(), 0
    for organisation in organisations:
        exposure_refresh(organisation=organisation, totals=False)
        prefectures.add(organisation.prefecture_code)
        count += 1
    for code in sorted(prefectures):
        _totals(code, today)
    _totals("", today)
    return count


def exposure_refresh_on_commit(organisation: Organisation) -> None:
    """Refresh the organisation's figures once the current transaction has committed."""
    transaction.on_commit(lambda: exposure_refresh(organisation=organisation))


def exposure_refresh_all() -> int:
    """Refresh every organisation with attack-surface data, then the totals (daily)."""
    today = timezone.localdate()
    ids = set(
        Asset.objects.unscoped("the daily refresh covers every organisation").values_list(
            "organisation_id", flat=True
        )
    )
    prefectures = set()
    for organisation in Organisation.objects.unscoped("the daily refresh").filter(pk__in=ids):
        exposure_refresh(organisation=organisation, totals=False)
        prefectures.add(organisation.prefecture_code)
    for code in sorted(prefectures):
        _totals(code, today)
    _totals("", today)
    return len(ids)


def national_rollup_refresh() -> NationalRollup:
    """Recompute the national ranking of vulnerabilities and products, every row of them
    (the nation's page shows the first; the ranking pages page through the rest)."""
    unresolved = Finding.objects.unscoped("national statistics").filter(status__in=UNRESOLVED)
    vulnerabilities = [
        {
            "id": row["vulnerability_id"],
            "title": row["title"],
            "kev": row["kev_findings"] > 0,
            "organisations": row["organisations"],
            "findings": row["findings"],
        }
        for row in unresolved.exclude(vulnerability_id="")
        .values("vulnerability_id")
        .annotate(
            organisations=Count("organisation", distinct=True),
            findings=Count("pk"),
            kev_findings=Count("pk", filter=Q(kev=True)),  # MAX(boolean) is not portable
            title=Max("title"),
        )
        .order_by("-organisations", "-findings", "vulnerability_id")
    ]
    kev_by_product = dict(
        unresolved.filter(kev=True)
        .exclude(product="")
        .values("product")
        .annotate(n=Count("pk"))
        .values_list("product", "n")
    )
    products = [
        {
            "product": row["product"],
            "organisations": row["organisations"],
            "services": row["services"],
            "kev_findings": sum(
                n for label, n in kev_by_product.items() if label.startswith(row["product"])
            ),
        }
        for row in Service.objects.unscoped("national statistics")
        .filter(present=True)
        .exclude(product="")
        .values("product")
        .annotate(organisations=Count("organisation", distinct=True), services=Count("pk"))
        .order_by("-organisations", "-services", "product")
    ]
    rollup = NationalRollup.objects.create(vulnerabilities=vulnerabilities, products=products)
    keep = list(NationalRollup.objects.values_list("pk", flat=True)[:5])
    NationalRollup.objects.exclude(pk__in=keep).delete()
    return rollup
