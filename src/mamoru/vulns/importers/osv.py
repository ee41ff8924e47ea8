"""OSV records of distribution advisories: Debian (DSA, DLA, DEBIAN-CVE), Ubuntu (USN,
UBUNTU-CVE) and the Red Hat family (RHSA, ALSA, RLSA). They give, per distribution
release, the source package version that fixed each CVE — what a backport check needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from mamoru.vulns.importers.base import as_list, load_json, require
from mamoru.vulns.importers.feed import FeedError, entries, parse_datetime
from mamoru.vulns.importers.records import AdvisoryRecord, DistroFixRecord, Record

_CVE = re.compile(r"CVE-\d{4}-\d{4,}")
_SCHEMES = {
    "Debian": "dpkg",
    "Ubuntu": "dpkg",
    "Red Hat": "rpm",
    "AlmaLinux": "rpm",
    "Rocky Linux": "rpm",
}


def ecosystem_scheme(ecosystem: str) -> str | None:
    """The version scheme of an OSV ecosystem, or None for ecosystems we do not track."""
    return _SCHEMES.get(ecosystem.split(":", 1)[0])


def _cve_ids(document: Mapping[str, Any], where: str, advisory: str) -> tuple[str, ...]:
    names = [advisory]
    for key in ("aliases", "upstream", "related"):
        names += [str(n) for n in as_list(document.get(key), key, where, advisory)]
    found = dict.fromkeys(m.group(0) for name in names for m in [_CVE.search(name)] if m)
    return tuple(found)


def _fixes(
    affected: Mapping[str, Any], cves: tuple[str, ...], where: str, advisory: str
) -> Iterator[DistroFixRecord]:
    package = require(affected, "package", where, advisory)
    ecosystem = str(require(package, "ecosystem", where, advisory))
    name = str(require(package, "name", where, advisory))
    scheme = ecosystem_scheme(ecosystem)
    if scheme is None:
        return
    for version_range in as_list(affected.get("ranges"), "ranges", where, advisory):
        if require(version_range, "type", where, advisory) != "ECOSYSTEM":
            continue
        introduced = ""
        events = as_list(require(version_range, "events", where, advisory), "events", where)
        for event in events:
            if not isinstance(event, Mapping) or not event:
                raise FeedError(where, "a range event must be an object", advisory)
            if "introduced" in event:
                introduced = "" if event["introduced"] == "0" else str(event["introduced"])
            elif "fixed" in event:
                for cve in cves:
                    yield DistroFixRecord(
                        cve, ecosystem, name, str(event["fixed"]), introduced, scheme
                    )
                introduced = ""
        if introduced or (events and "fixed" not in events[-1]):
            for cve in cves:
                yield DistroFixRecord(cve, ecosystem, name, "", introduced, scheme)


def parse_advisory(document: Any, where: str) -> AdvisoryRecord:
    advisory = str(require(document, "id", where))
    modified = parse_datetime(require(document, "modified", where, advisory), where, advisory)
    cves = _cve_ids(document, where, advisory)
    record = AdvisoryRecord(
        id=advisory,
        source="osv",
        modified=modified,
        vulnerability_ids=cves,
        summary=str(document.get("summary") or "")[:500],
    )
    for affected in as_list(document.get("affected"), "affected", where, advisory):
        record.fixes.extend(_fixes(affected, cves, where, advisory))
    return record


class OsvImporter:
    source = "osv"
    description = "OSV advisories of Debian, Ubuntu and the Red Hat family (file, directory, zip)"

    def parse(self, path: Path) -> Iterator[Record]:
        for entry in entries(path):
            if entry.wanted(".json"):
                yield parse_advisory(load_json(entry), entry.name)
