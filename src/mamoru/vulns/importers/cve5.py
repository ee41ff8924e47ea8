"""CVE JSON 5 records (the cvelistV5 layout: ``cves/2024/6xxx/CVE-2024-6387.json``),
from a directory, a single file, or the zip of the list (nested ``cves.zip`` included).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from mamoru.vulns import cpe as cpelib
from mamoru.vulns import products, versions
from mamoru.vulns.applicability import VersionRange, bound
from mamoru.vulns.importers.base import as_list, load_json, require, require_cve_id
from mamoru.vulns.importers.feed import FeedError, entries, parse_datetime
from mamoru.vulns.importers.records import AffectedRecord, Record, VulnerabilityRecord

_RECORD_FILE = re.compile(r"CVE-\d{4}-\d{4,}\.json$")
_CVSS_KEYS = ("cvssV3_1", "cvssV3_0", "cvssV4_0", "cvssV2_0")
_STATUSES = frozenset({"affected", "unaffected", "unknown"})


def _english(descriptions: object) -> str:
    if not isinstance(descriptions, list):
        return ""
    texts = [d.get("value", "") for d in descriptions if isinstance(d, Mapping)]
    english = [
        d.get("value", "")
        for d in descriptions
        if isinstance(d, Mapping) and str(d.get("lang", "")).lower().startswith("en")
    ]
    return str((english or texts or [""])[0]).strip()


def _cvss(containers: list[Mapping[str, Any]]) -> tuple[float | None, str, str, str]:
    for key in _CVSS_KEYS:
        for container in containers:
            for metric in container.get("metrics") or []:
                data = metric.get(key) if isinstance(metric, Mapping) else None
                if isinstance(data, Mapping) and data.get("baseScore") is not None:
                    return (
                        float(data["baseScore"]),
                        str(data.get("vectorString", "")),
                        str(data.get("version", key[5:].replace("_", "."))),
                        str(data.get("baseSeverity", "")).lower(),
                    )
    return None, "", "", ""


def _product_key(affected: Mapping[str, Any]) -> str:
    for name in affected.get("cpes") or []:
        try:
            parsed = cpelib.parse(str(name))
        except cpelib.InvalidCpeError:
            continue
        return products.product_key(parsed.value("vendor"), parsed.value("product"))
    return products.product_key(
        str(affected.get("vendor") or ""),
        str(affected.get("product") or affected.get("packageName") or ""),
    )


def _version_range(entry: Mapping[str, Any], scheme: str, where: str, cve: str) -> VersionRange:
    version = str(require(entry, "version", where, cve))
    changes = tuple(
        (str(require(c, "at", where, cve)), str(require(c, "status", where, cve)))
        for c in as_list(entry.get("changes"), "changes", where, cve)
    )
    if entry.get("lessThan") is not None:
        return VersionRange(
            scheme,
            start_including=bound(version),
            end_excluding=bound(entry["lessThan"]),
            changes=changes,
        )
    if entry.get("lessThanOrEqual") is not None:
        return VersionRange(
            scheme,
            start_including=bound(version),
            end_including=bound(entry["lessThanOrEqual"]),
            changes=changes,
        )
    return VersionRange(scheme, exact=bound(version), changes=changes)


def _affected(item: Mapping[str, Any], where: str, cve: str) -> Iterator[AffectedRecord]:
    key = _product_key(item)
    if key.endswith(":"):
        raise FeedError(where, "affected entry without a product", cve)
    vendor, product = str(item.get("vendor") or ""), str(item.get("product") or "")
    version_entries = as_list(item.get("versions"), "versions", where, cve)
    for entry in version_entries:
        status = str(require(entry, "status", where, cve))
        if status not in _STATUSES:
            raise FeedError(where, f"unknown version status {status!r}", cve)
        if status == "unknown":
            continue
        scheme = "rpm" if entry.get("versionType") == "rpm" else versions.scheme_for_product(key)
        version_range = _version_range(entry, scheme, where, cve)
        yield AffectedRecord(key, vendor, product, version_range, status)
    if not version_entries and item.get("defaultStatus") == "affected":
        scheme = versions.scheme_for_product(key)
        yield AffectedRecord(key, vendor, product, VersionRange(scheme))


def parse_record(document: Any, where: str) -> VulnerabilityRecord:
    """One CVE JSON 5 record."""
    metadata = require(document, "cveMetadata", where)
    cve = require_cve_id(require(metadata, "cveId", where), where)
    state = str(require(metadata, "state", where, cve))
    containers = require(document, "containers", where, cve)
    cna = require(containers, "cna", where, cve)
    adp = [c for c in as_list(containers.get("adp"), "adp", where, cve) if isinstance(c, Mapping)]
    record = VulnerabilityRecord(
        id=cve,
        source="cve5",
        modified=parse_datetime(metadata.get("dateUpdated"), where, cve),
        published=parse_datetime(metadata.get("datePublished"), where, cve),
        rejected=state == "REJECTED",
    )
    if record.rejected:
        record.summary = _english(cna.get("rejectedReasons"))
        record.affected = []
        return record
    record.title = str(cna.get("title") or "").strip()
    record.summary = _english(cna.get("descriptions"))
    score, vector, version, severity = _cvss([cna, *adp])
    record.cvss_score, record.cvss_vector, record.cvss_version = score, vector, version
    record.severity = severity
    record.affected = [
        affected
        for container in (cna, *adp)
        for item in as_list(container.get("affected"), "affected", where, cve)
        for affected in _affected(item, where, cve)
    ]
    return record


class Cve5Importer:
    source = "cve5"
    description = "CVE JSON 5 records (cvelistV5 directory or zip)"

    def parse(self, path: Path) -> Iterator[Record]:
        for entry in entries(path):
            if not (entry.direct or _RECORD_FILE.search(entry.name)):
                continue  # delta.json, deltaLog.json, README.md and the like
            yield parse_record(load_json(entry), entry.name)
