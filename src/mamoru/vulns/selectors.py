"""Reads of the vulnerability app. Vulnerability data is global reference data; the
exposure query returns organisation ids, which callers must pass through the access gate
before showing anything to a person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Max, QuerySet

from mamoru.vulns.matching import Matcher
from mamoru.vulns.matching.identify import Identity, identify
from mamoru.vulns.models import (
    AffectedProduct,
    DistroFix,
    EpssScore,
    ImportLog,
    KevEntry,
    ObservedService,
    Vulnerability,
)
from mamoru.vulns.observed import ObservedProduct, ServiceLike

if TYPE_CHECKING:
    from mamoru.orgs.models import Organisation


@dataclass(frozen=True, slots=True)
class SourceStatus:
    source: str
    last_success: dt.datetime | None
    feed_version: str
    counts: dict[str, int]
    last_error: str


def import_status() -> list[SourceStatus]:
    """The last successful import per source, and the last error if one came after it."""
    result = []
    for source in ImportLog.objects.values_list("source", flat=True).distinct().order_by("source"):
        logs = ImportLog.objects.filter(source=source).order_by("-started")
        success = logs.filter(status=ImportLog.Status.SUCCEEDED).first()
        failure = logs.filter(status=ImportLog.Status.FAILED).first()
        recent_error = failure and (success is None or failure.started > success.started)
        result.append(
            SourceStatus(
                source=source,
                last_success=success.finished if success else None,
                feed_version=success.feed_version if success else "",
                counts=dict(success.counts) if success else {},
                last_error=failure.error if recent_error and failure else "",
            )
        )
    return result


def table_counts() -> dict[str, int]:
    return {
        "vulnerabilities": Vulnerability.objects.count(),
        "affected_products": AffectedProduct.objects.count(),
        "kev_entries": KevEntry.objects.count(),
        "kev_ransomware": KevEntry.objects.filter(known_ransomware_use=True).count(),
        "epss_scores": EpssScore.objects.count(),
        "distro_fixes": DistroFix.objects.count(),
        "observed_services": ObservedService.objects.unscoped("a count for operators").count(),
    }


def latest_modified() -> dt.datetime | None:
    latest: dt.datetime | None = Vulnerability.objects.aggregate(latest=Max("modified"))["latest"]
    return latest


@dataclass(frozen=True, slots=True)
class Exposure:
    service_id: int
    organisation_id: int
    ip: str
    port: int
    product_key: str
    version: str
    confidence: float
    reasons: tuple[str, ...]


def _as_service(row: ObservedService) -> ServiceLike:
    extra = row.extra()
    if row.version_inferred:
        extra["version_confidence"] = "inferred"
    return ObservedProduct(
        ip=row.ip,
        port=row.port,
        service=row.service,
        transport=row.transport,
        product=row.product or row.product_name,
        vendor=row.vendor or None,
        version=row.version,
        cpe=row.cpe or None,
        extra=extra,
    )


_EXPOSURE_FIELDS = (
    "id", "organisation_id", "ip", "port", "transport", "service", "product", "product_name",
    "vendor", "version", "version_inferred", "cpe", "os", "distro_package", "distro_release",
)  # fmt: skip


def _candidates(
    vulnerability_id: str, organisations: QuerySet[Organisation] | None
) -> Iterator[ObservedService]:
    keys = set(
        AffectedProduct.objects.filter(vulnerability_id=vulnerability_id).values_list(
            "product_key", flat=True
        )
    )
    names = {key.split(":", 1)[-1] for key in keys}
    # Services whose vendor was unknown are stored as ":product" and looked up by name.
    # Without ``organisations``, the national exposure query: which organisations expose a
    # product (the alerts it feeds name each organisation only to itself and its
    # prefecture); with it, the organisations the gate lets a principal read.
    if organisations is None:
        every = ObservedService.objects.unscoped("the national exposure query")
    else:
        every = ObservedService.objects.within(organisations)
    query = every.filter(product_key__in=keys) | every.filter(
        product_key__in=[f":{name}" for name in names]
    )
    yield from query.only(*_EXPOSURE_FIELDS).iterator(chunk_size=5000)


# The columns that decide what a service is; rows sharing them share one verdict.
_IDENTITY_FIELDS = (
    "service", "transport", "product", "product_name", "vendor", "version",
    "version_inferred", "cpe", "os", "distro_package", "distro_release",
)  # fmt: skip


def exposures_for_vulnerability(
    *,
    vulnerability_id: str,
    organisations: QuerySet[Organisation] | None = None,
    matcher: Matcher | None = None,
) -> list[Exposure]:
    """Every observed service that a vulnerability affects (e.g. on a new KEV entry).

    ``organisations`` narrows the query to the gate's set for a principal
    (``orgs.selectors.organisations_readable``); without it the whole nation is searched,
    for the system's alerting only. Only services of the affected products are read (an
    indexed ``product_key`` lookup), and each distinct (product, version, distribution
    package) is identified and evaluated once: a national exposure query touches
    thousands of copies of a few versions. A caller matching many vulnerabilities passes
    one ``matcher`` to share its cached view of the database.
    """
    matcher = matcher or Matcher()
    verdicts: dict[tuple[object, ...], tuple[str, str, float, tuple[str, ...]] | None] = {}
    exposures = []
    for row in _candidates(vulnerability_id, organisations):
        columns = tuple(getattr(row, name) for name in _IDENTITY_FIELDS)
        if columns not in verdicts:
            verdicts[columns] = _verdict(matcher, vulnerability_id, row)
        verdict = verdicts[columns]
        if verdict is not None:
            product_key, version, confidence, reasons = verdict
            exposures.append(
                Exposure(
                    row.id, row.organisation_id, row.ip, row.port, product_key,
                    version, confidence, reasons,
                )
            )  # fmt: skip
    return exposures


def observed_identity(row: ObservedService) -> Identity | None:
    """What the matcher makes of an observed service: its product key, version and version
    scheme (None when it cannot be identified) — for callers comparing it with a product
    range of their own, such as an advisory's."""
    return identify(_as_service(row))


def _verdict(
    matcher: Matcher, vulnerability_id: str, row: ObservedService
) -> tuple[str, str, float, tuple[str, ...]] | None:
    identity = observed_identity(row)
    if identity is None:
        return None
    rows = matcher.knowledge.affected(identity.product_key).get(vulnerability_id, [])
    match = matcher.match_vulnerability(identity, vulnerability_id, rows)
    if match is None:
        return None
    return identity.product_key, identity.version, match.confidence, match.reasons


def exposure_counts_by_organisation(*, vulnerability_id: str) -> dict[int, int]:
    counts: dict[int, int] = {}
    for exposure in exposures_for_vulnerability(vulnerability_id=vulnerability_id):
        counts[exposure.organisation_id] = counts.get(exposure.organisation_id, 0) + 1
    return counts


def kev_entries_added_since(*, since: dt.date) -> list[str]:
    """CVE ids that KEV added on or after a date: the input of exposure alerts."""
    return list(
        KevEntry.objects.filter(date_added__gte=since)
        .order_by("date_added", "cve_id")
        .values_list("cve_id", flat=True)
    )


__all__ = [
    "Exposure",
    "SourceStatus",
    "exposure_counts_by_organisation",
    "exposures_for_vulnerability",
    "import_status",
    "kev_entries_added_since",
    "latest_modified",
    "table_counts",
]
