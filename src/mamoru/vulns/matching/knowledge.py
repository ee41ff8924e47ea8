"""The slice of the vulnerability database that matching needs, loaded per product and
cached, so matching a nation's services costs one set of queries per distinct product.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from mamoru.vulns.applicability import VersionRange
from mamoru.vulns.models import AffectedProduct, DistroFix, EpssScore, KevEntry, Vulnerability

CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit


@dataclass(frozen=True, slots=True)
class AffectedRow:
    vulnerability_id: str
    source: str
    rule: str
    status: str
    version_range: VersionRange
    cpe: str


@dataclass(frozen=True, slots=True)
class VulnInfo:
    id: str
    title: str
    title_ja: str
    cvss: float | None
    severity: str
    configurations: list[dict[str, Any]] | None
    rejected: bool


@dataclass(frozen=True, slots=True)
class KevInfo:
    date_added: dt.date
    due_date: dt.date | None
    ransomware: bool
    required_action: str


@dataclass(frozen=True, slots=True)
class FixInfo:
    advisory_id: str
    ecosystem: str
    family: str
    release: str
    package: str
    introduced: str
    fixed: str
    scheme: str


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


_AFFECTED_FIELDS = (
    "vulnerability_id",
    "source",
    "rule",
    "status",
    "scheme",
    "version_exact",
    "start_including",
    "start_excluding",
    "end_including",
    "end_excluding",
    "changes",
    "cpe",
)


class Knowledge:
    """A read-only, cached view of the vulnerability tables for one matching run."""

    def __init__(self) -> None:
        self._affected: dict[str, dict[str, list[AffectedRow]]] = {}
        self._vulns: dict[str, VulnInfo | None] = {}
        self._kev: dict[str, KevInfo | None] = {}
        self._epss: dict[str, float | None] = {}
        self._fixes: dict[str, list[FixInfo]] = {}

    def affected(self, product_key: str) -> dict[str, list[AffectedRow]]:
        """Affected rows of a product, grouped by vulnerability (``:name`` = any vendor)."""
        if product_key not in self._affected:
            if product_key.startswith(":"):
                query = AffectedProduct.objects.filter(product_name=product_key[1:])
            else:
                query = AffectedProduct.objects.filter(product_key=product_key)
            grouped: dict[str, list[AffectedRow]] = defaultdict(list)
            for values in query.values_list(*_AFFECTED_FIELDS).iterator(chunk_size=5000):
                grouped[values[0]].append(_row(values))
            self._affected[product_key] = dict(grouped)
            self._load(list(grouped))
        return self._affected[product_key]

    def _load(self, ids: list[str]) -> None:
        missing = [i for i in ids if i not in self._vulns]
        for chunk in _chunks(missing):
            self._load_chunk(chunk)

    def _load_chunk(self, chunk: list[str]) -> None:
        for vuln_id in chunk:
            self._vulns[vuln_id], self._kev[vuln_id], self._epss[vuln_id] = None, None, None
            self._fixes[vuln_id] = []
        for v in Vulnerability.objects.filter(id__in=chunk).only(
            "id", "title", "title_ja", "cvss_score", "severity", "configurations", "rejected"
        ):
            self._vulns[v.id] = VulnInfo(
                v.id, v.title, v.title_ja, v.cvss_score, v.severity, v.configurations, v.rejected
            )
        for k in KevEntry.objects.filter(cve_id__in=chunk):
            self._kev[k.cve_id] = KevInfo(
                k.date_added, k.due_date, k.known_ransomware_use, k.required_action
            )
        for cve_id, score in EpssScore.objects.filter(cve_id__in=chunk).values_list(
            "cve_id", "score"
        ):
            self._epss[cve_id] = score
        for f in DistroFix.objects.filter(vulnerability_id__in=chunk):
            self._fixes[f.vulnerability_id].append(
                FixInfo(
                    f.advisory_id, f.ecosystem, f.family, f.release, f.package,
                    f.introduced, f.fixed, f.scheme,
                )
            )  # fmt: skip

    def _ensure(self, vuln_id: str) -> None:
        if vuln_id not in self._vulns:
            self._load_chunk([vuln_id])

    def vulnerability(self, vuln_id: str) -> VulnInfo | None:
        self._ensure(vuln_id)
        return self._vulns[vuln_id]

    def kev(self, vuln_id: str) -> KevInfo | None:
        self._ensure(vuln_id)
        return self._kev[vuln_id]

    def epss(self, vuln_id: str) -> float | None:
        self._ensure(vuln_id)
        return self._epss[vuln_id]

    def fixes(self, vuln_id: str, packages: Iterable[str]) -> list[FixInfo]:
        self._ensure(vuln_id)
        wanted = set(packages)
        return [f for f in self._fixes[vuln_id] if f.package in wanted]


def _row(values: tuple[Any, ...]) -> AffectedRow:
    (vuln_id, source, rule, status, scheme, exact, s_inc, s_exc, e_inc, e_exc, changes, cpe) = (
        values
    )
    version_range = VersionRange(
        scheme, exact, s_inc, s_exc, e_inc, e_exc, tuple((str(a), str(b)) for a, b in changes)
    )
    return AffectedRow(vuln_id, source, rule, status, version_range, cpe)
