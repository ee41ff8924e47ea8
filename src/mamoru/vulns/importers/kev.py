"""CISA Known Exploited Vulnerabilities catalogue (``known_exploited_vulnerabilities.json``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mamoru.vulns.importers.base import load_json, require, require_cve_id
from mamoru.vulns.importers.feed import FeedError, entries, parse_date, parse_datetime
from mamoru.vulns.importers.records import FeedInfo, KevRecord, Record

_RANSOMWARE = {"known": True, "unknown": False}


class KevImporter:
    source = "kev"
    description = "CISA KEV catalogue JSON"

    def parse(self, path: Path) -> Iterator[Record]:
        found = False
        for entry in entries(path):
            if not entry.wanted(".json") or "schema" in entry.plain_name:
                continue
            found = True
            document = load_json(entry)
            items = require(document, "vulnerabilities", entry.name)
            if not isinstance(items, list):
                raise FeedError(entry.name, "'vulnerabilities' must be a list")
            yield FeedInfo(
                version=str(document.get("catalogVersion", "")),
                released=parse_datetime(document.get("dateReleased"), entry.name),
            )
            for index, item in enumerate(items):
                yield _record(item, f"{entry.name} vulnerabilities[{index}]")
        if not found:
            raise FeedError(str(path), "no KEV catalogue (.json) found")


def _record(item: object, where: str) -> KevRecord:
    cve = require_cve_id(require(item, "cveID", where), where)
    assert isinstance(item, dict)  # require() checked it is a mapping
    ransomware = str(item.get("knownRansomwareCampaignUse", "Unknown")).strip().lower()
    if ransomware not in _RANSOMWARE:
        raise FeedError(where, f"knownRansomwareCampaignUse is {ransomware!r}", cve)
    date_added = parse_date(require(item, "dateAdded", where, cve), where, cve)
    assert date_added is not None
    return KevRecord(
        cve_id=cve,
        vendor_project=str(item.get("vendorProject", "")),
        product=str(item.get("product", "")),
        name=str(item.get("vulnerabilityName", "")),
        date_added=date_added,
        due_date=parse_date(item.get("dueDate"), where, cve),
        ransomware=_RANSOMWARE[ransomware],
        required_action=str(item.get("requiredAction", "")),
        short_description=str(item.get("shortDescription", "")),
        notes=str(item.get("notes", "")),
    )
