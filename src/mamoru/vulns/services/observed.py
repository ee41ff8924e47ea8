"""Recording identified services for exposure queries (filled by the ASM)."""

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


@transaction.atomic
def observed_services_record(*, organisation_id: int, services: Iterable[ServiceLike]) -> int:
    """Upsert the identified services of one organisation; returns how many were kept.

    Services without a product are skipped: they cannot be matched to a vulnerability.
    """
    rows = [row for service in services if (row := _row(organisation_id, service))]
    ObservedService.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["organisation_id", "ip", "port", "transport"],
        update_fields=_UPDATED_FIELDS,
    )
    return len(rows)
