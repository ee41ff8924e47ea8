"""NVD API 2.0 JSON (``vulnerabilities[].cve``): one response page, the JSON 2.0 yearly
feeds (``nvdcve-2.0-2024.json.gz``), or a directory or zip of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from mamoru.vulns import cpe as cpelib
from mamoru.vulns import products, versions
from mamoru.vulns.applicability import cpe_match_range
from mamoru.vulns.importers.base import as_list, load_json, require, require_cve_id
from mamoru.vulns.importers.feed import FeedError, entries, parse_datetime
from mamoru.vulns.importers.records import (
    AffectedRecord,
    FeedInfo,
    Record,
    VulnerabilityRecord,
)

_METRICS = ("cvssMetricV31", "cvssMetricV30", "cvssMetricV40", "cvssMetricV2")
_MATCH_KEYS = (
    "vulnerable",
    "criteria",
    "versionStartIncluding",
    "versionStartExcluding",
    "versionEndIncluding",
    "versionEndExcluding",
)


def _cvss(metrics: Mapping[str, Any]) -> tuple[float | None, str, str, str]:
    for key in _METRICS:
        candidates = [m for m in metrics.get(key) or [] if isinstance(m, Mapping)]
        # NVD's own ("Primary") assessment first, then the CNA's.
        candidates.sort(key=lambda m: m.get("type") != "Primary")
        for metric in candidates:
            data = metric.get("cvssData") or {}
            if data.get("baseScore") is not None:
                severity = data.get("baseSeverity") or metric.get("baseSeverity") or ""
                return (
                    float(data["baseScore"]),
                    str(data.get("vectorString", "")),
                    str(data.get("version", "")),
                    str(severity).lower(),
                )
    return None, "", "", ""


def _configurations(
    raw: list[Any], where: str, cve: str
) -> tuple[list[dict[str, Any]], list[AffectedRecord]]:
    """Keep only what applicability needs, validating every CPE on the way."""
    configurations: list[dict[str, Any]] = []
    affected: list[AffectedRecord] = []
    for configuration in raw:
        nodes = []
        for node in as_list(require(configuration, "nodes", where, cve), "nodes", where, cve):
            matches = []
            for match in as_list(require(node, "cpeMatch", where, cve), "cpeMatch", where, cve):
                criteria = str(require(match, "criteria", where, cve))
                try:
                    parsed = cpelib.parse(criteria)
                except cpelib.InvalidCpeError as error:
                    raise FeedError(where, str(error), cve) from None
                kept = {k: match[k] for k in _MATCH_KEYS if match.get(k) not in (None, "")}
                kept["vulnerable"] = bool(match.get("vulnerable"))
                matches.append(kept)
                if kept["vulnerable"]:
                    key = products.product_key(parsed.value("vendor"), parsed.value("product"))
                    scheme = versions.scheme_for_product(key)
                    version_range = cpe_match_range(kept, scheme)
                    affected.append(
                        AffectedRecord(
                            key,
                            parsed.value("vendor"),
                            parsed.value("product"),
                            version_range,
                            rule="nvd-cpe",
                            cpe=criteria,
                        )
                    )
            nodes.append(
                {
                    "operator": str(node.get("operator", "OR")).upper(),
                    "negate": bool(node.get("negate")),
                    "cpeMatch": matches,
                }
            )
        configurations.append(
            {
                "operator": str(configuration.get("operator", "OR")).upper(),
                "negate": bool(configuration.get("negate")),
                "nodes": nodes,
            }
        )
    return configurations, affected


def parse_cve(item: Any, where: str) -> VulnerabilityRecord:
    """One ``vulnerabilities[].cve`` object."""
    cve_object = require(item, "cve", where)
    cve = require_cve_id(require(cve_object, "id", where), where)
    descriptions = as_list(cve_object.get("descriptions"), "descriptions", where, cve)
    english = [d.get("value", "") for d in descriptions if d.get("lang") == "en"]
    record = VulnerabilityRecord(
        id=cve,
        source="nvd",
        modified=parse_datetime(cve_object.get("lastModified"), where, cve),
        published=parse_datetime(cve_object.get("published"), where, cve),
        summary=str((english or [""])[0]).strip(),
        rejected=cve_object.get("vulnStatus") == "Rejected",
    )
    score, vector, version, severity = _cvss(cve_object.get("metrics") or {})
    record.cvss_score, record.cvss_vector, record.cvss_version = score, vector, version
    record.severity = severity
    raw = as_list(cve_object.get("configurations"), "configurations", where, cve)
    record.configurations, record.affected = _configurations(raw, where, cve)
    return record


class NvdImporter:
    source = "nvd"
    description = "NVD API 2.0 JSON (response pages or JSON 2.0 feeds)"

    def parse(self, path: Path) -> Iterator[Record]:
        for entry in entries(path):
            if not entry.wanted(".json"):
                continue
            document = load_json(entry)
            vulnerabilities = require(document, "vulnerabilities", entry.name)
            if not isinstance(vulnerabilities, list):
                raise FeedError(entry.name, "'vulnerabilities' must be a list")
            yield FeedInfo(
                version=str(document.get("version", "")),
                released=parse_datetime(document.get("timestamp"), entry.name),
            )
            for index, item in enumerate(vulnerabilities):
                yield parse_cve(item, f"{entry.name} vulnerabilities[{index}]")
