"""Affected products of an advisory: a CPE 2.3 name (or ``vendor:product``) with an
optional version range, as people type it on one line and as STIX and MISP carry it.

    cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:* >=7.0.0 <7.0.14
    ivanti:connect_secure <22.7r2.5
    apache:http_server =2.4.49

CPE names are checked with ``mamoru.vulns.cpe``; ranges keep the NVD bounds
(``start_including`` … ``end_excluding``), compared by ``mamoru.vulns.applicability``
when the attack-surface diagnosis matches them. No Django here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mamoru.vulns import cpe as cpelib
from mamoru.vulns.applicability import VersionRange

BOUND = re.compile(r"^(>=|<=|>|<|=)\s*(\S+)$")
NAME = re.compile(r"^[A-Za-z0-9._\-]+:[A-Za-z0-9._\-]+$")
FIELDS = ("exact", "start_including", "start_excluding", "end_including", "end_excluding")
OPERATORS = {
    "=": "exact",
    ">=": "start_including",
    ">": "start_excluding",
    "<=": "end_including",
    "<": "end_excluding",
}


class ProductError(ValueError):
    """A line that does not name a product; the message is Japanese."""


@dataclass(frozen=True, slots=True)
class AffectedProduct:
    vendor: str
    product: str
    cpe: str = ""
    exact: str = ""
    start_including: str = ""
    start_excluding: str = ""
    end_including: str = ""
    end_excluding: str = ""

    @property
    def range(self) -> VersionRange:
        return VersionRange(**{name: getattr(self, name) for name in FIELDS})

    @property
    def label(self) -> str:
        versions = self.range.describe()
        text = f"{self.vendor} {self.product}"
        return text if versions == "all versions" else f"{text} {versions}"

    def to_dict(self) -> dict[str, str]:
        return {
            "vendor": self.vendor,
            "product": self.product,
            "cpe": self.cpe,
            **{name: getattr(self, name) for name in FIELDS},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AffectedProduct:
        return cls(**{k: str(data.get(k, "") or "") for k in ("vendor", "product", "cpe", *FIELDS)})

    def to_line(self) -> str:
        bounds = [
            f"{op}{getattr(self, name)}" for op, name in OPERATORS.items() if getattr(self, name)
        ]
        return " ".join([self.cpe or f"{self.vendor}:{self.product}", *bounds])


def parse_product(line: str) -> AffectedProduct:
    """One product line (a CPE or ``vendor:product``, then bounds such as ``>=7.0 <7.2``)."""
    first, *rest = line.split()
    if first.startswith("cpe:"):
        try:
            name = cpelib.parse(first)
        except cpelib.InvalidCpeError as error:
            raise ProductError(f"CPE名として読めません: {first}") from error
        vendor, product, cpe = name.value("vendor"), name.value("product"), str(name)
    elif NAME.match(first):
        vendor, product = first.split(":")
        cpe = ""
    else:
        raise ProductError(f"「ベンダー:製品」かCPE名で書いてください: {first}")
    bounds: dict[str, str] = {}
    for token in rest:
        found = BOUND.match(token)
        if not found:
            raise ProductError(f"バージョンの範囲は >=7.0 や <7.2 の形で書いてください: {token}")
        bounds[OPERATORS[found.group(1)]] = found.group(2)
    if "exact" in bounds and len(bounds) > 1:
        raise ProductError(f"= と範囲は同時に書けません: {line}")
    return AffectedProduct(vendor=vendor.lower(), product=product.lower(), cpe=cpe, **bounds)


def parse_products(text: str) -> tuple[list[AffectedProduct], list[str]]:
    """Every non-empty line as a product, and the Japanese problems of those that are not."""
    products, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            products.append(parse_product(line))
        except ProductError as error:
            problems.append(f"{number}行目: {error}")
    return products, problems
