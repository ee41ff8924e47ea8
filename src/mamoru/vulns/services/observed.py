"""Recording identified services for exposure queries (filled by the ASM, which links each
of its services to the row recorded here and removes the rows of services gone)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from mamoru.vulns import products
from mamoru.vulns.matching.identify import identify
from mamoru.vulns.models import ObservedService
from mamoru.vulns.observed import ServiceLike

_UPDATED_FIELDS = [
    "hostname",
    "service",
    "product_key",
    "product_name",
    "vendor",
    "product",
    "version",
    "version_inferred",
    "cpe",
    "os",
    "distro_package",
    "distro_release",
    "last_seen",
]


def _row(organisation_id: int, service: ServiceLike) -> ObservedService | None:
    identity = identify(service)
    if identity is None:
        return None
    now = timezone.now()
    extra = service.extra or {}
    return ObservedService(
        organisation_id=organisation_id,
        ip=service.ip,
        port=service.port,
        transport=service.transport,
        hostname=(service.hostname or "")[:255],
        service=service.service[:32],
        product_key=identity.product_key[:200],
        product_name=products.product_name(identity.product_key)[:150],
        vendor=(service.vendor or "")[:200],
        product=(service.product or "")[:200],
        version=identity.version[:100],
        version_inferred=identity.version_inferred,
        cpe=(service.cpe or "")[:300],
        os=extra.get("os", "")[:64],
        distro_package=extra.get("distro_package", "")[:100],
        distro_release=extra.get("distro_release", "")[:16],
        first_seen=now,
        last_seen=now,
    )


ServiceKey = tuple[str, int, str]  # ip, port, transport


@transaction.atomic
def observed_services_record(
    *, organisation_id: int, services: Iterable[ServiceLike]
) -> dict[ServiceKey, int]:
    """Upsert the identified services of one organisation; the row id of each kept service.

    Services without a product are skipped: they cannot be matched to a vulnerability.
    """
    rows = [row for service in services if (row := _row(organisation_id, service))]
    ObservedService.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["organisation", "ip", "port", "transport"],
        update_fields=_UPDATED_FIELDS,
    )
    wanted = {(row.ip, row.port, row.transport) for row in rows}
    if not wanted:
        return {}
    kept = ObservedService.objects.unscoped("the rows this service has just written").filter(
        organisation_id=organisation_id, ip__in={ip for ip, _port, _transport in wanted}
    )
    found: dict[ServiceKey, int] = {}
    for pk, ip, port, transport in kept.values_list("pk", "ip", "port", "transport"):
        if (ip, port, transport) in wanted:
            found[(ip, port, transport)] = pk
    return found


def observed_services_remove(*, organisation_id: int, ids: Iterable[int]) -> int:
    """Forget services that are gone (a scan no longer finds them); how many were removed."""
    removed, _ = (
        ObservedService.objects.unscoped("the caller checked the organisation's services")
        .filter(organisation_id=organisation_id, pk__in=list(ids))
        .delete()
    )
    return removed
