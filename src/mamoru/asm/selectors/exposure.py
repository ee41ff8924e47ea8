"""Which organisations expose a product: the attack-surface side of advisories published
"by exposure" (``mamoru.advisories.targeting`` finds :func:`organisations_exposing`).

The advisory names products (a CPE or ``vendor:product``) with an optional version range;
this reads the services the last scans identified (``vulns.ObservedService``, kept only
while the service is still seen) and keeps the organisations with one whose product is
named and whose version is in the range. A service whose version the scan could not read,
or whose version cannot be compared with the range, counts as exposed: an advisory a
person did not strictly need costs a glance, one withheld from an exposed organisation
costs far more. No version reasoning of our own: identification, product keys and version
schemes are the vulnerability intelligence's (``mamoru.vulns``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Protocol

from mamoru.vulns.applicability import VersionRange
from mamoru.vulns.models import ObservedService
from mamoru.vulns.products import product_key, product_name
from mamoru.vulns.selectors import observed_identity
from mamoru.vulns.versions import scheme_for_product

# What identifies a service's product: rows sharing these share one verdict (a national
# query reads thousands of copies of a few versions).
_IDENTITY = (
    "transport", "service", "product", "product_name", "product_key", "vendor", "version",
    "version_inferred", "cpe", "os", "distro_package", "distro_release",
)  # fmt: skip


class ProductRange(Protocol):
    """A product an advisory names (``advisories.products.AffectedProduct`` is one)."""

    @property
    def vendor(self) -> str: ...

    @property
    def product(self) -> str: ...

    @property
    def range(self) -> VersionRange: ...


def _affected(row: ObservedService, key: str, versions: VersionRange) -> bool:
    identity = observed_identity(row)
    if identity is None:  # no version read: the product alone decides
        return True
    if identity.product_key != key and product_name(identity.product_key) != product_name(key):
        return False
    scheme = scheme_for_product(identity.product_key)
    return dataclasses.replace(versions, scheme=scheme).contains(identity.version) is not False


def organisations_exposing(*, products: Sequence[ProductRange]) -> set[int]:
    """Primary keys of the organisations with an identified, still present service of one
    of ``products`` in its version range — the whole nation, for the system: the caller
    (``advisories.services``) narrows them to the local governments through the gate and
    names each organisation only to itself."""
    exposed: set[int] = set()
    for product in products:
        key = product_key(product.vendor, product.product)
        rows = (
            ObservedService.objects.unscoped("an advisory targeted by exposure: the nation")
            .filter(product_key__in=[key, f":{product_name(key)}"], asm_service__present=True)
            .exclude(organisation_id__in=exposed)
            .only("id", "organisation_id", "ip", "port", *_IDENTITY)
        )
        verdicts: dict[tuple[object, ...], bool] = {}
        for row in rows.iterator(chunk_size=5000):
            identity = tuple(getattr(row, name) for name in _IDENTITY)
            if identity not in verdicts:
                verdicts[identity] = _affected(row, key, product.range)
            if verdicts[identity]:
                exposed.add(row.organisation_id)
    return exposed
