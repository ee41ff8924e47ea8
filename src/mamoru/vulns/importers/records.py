"""What importers produce: plain records, independent of the feed format and of Django."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from mamoru.vulns.applicability import VersionRange


@dataclass(frozen=True, slots=True)
class AffectedRecord:
    """One product (and version range) a vulnerability affects, or explicitly does not."""

    product_key: str
    vendor: str
    product: str
    version_range: VersionRange
    status: str = "affected"  # or "unaffected"
    rule: str = "cve5-affected"  # or "nvd-cpe"
    cpe: str = ""


@dataclass(slots=True)
class VulnerabilityRecord:
    id: str
    source: str
    modified: dt.datetime | None = None
    published: dt.datetime | None = None
    title: str = ""
    summary: str = ""
    title_ja: str = ""
    summary_ja: str = ""
    jvn_id: str = ""
    cvss_score: float | None = None
    cvss_vector: str = ""
    cvss_version: str = ""
    severity: str = ""
    aliases: tuple[str, ...] = ()
    rejected: bool = False
    # None: this source says nothing about affected products (keep what is stored).
    affected: list[AffectedRecord] | None = None
    configurations: list[dict[str, Any]] | None = None


@dataclass(frozen=True, slots=True)
class KevRecord:
    cve_id: str
    vendor_project: str
    product: str
    name: str
    date_added: dt.date
    due_date: dt.date | None
    ransomware: bool
    required_action: str
    short_description: str
    notes: str = ""


@dataclass(frozen=True, slots=True)
class EpssRecord:
    cve_id: str
    score: float
    percentile: float
    score_date: dt.date | None
    model_version: str = ""


@dataclass(frozen=True, slots=True)
class DistroFixRecord:
    vulnerability_id: str
    ecosystem: (
        str  # OSV spelling: "Debian:12", "Ubuntu:22.04:LTS", "Red Hat:enterprise_linux:9::baseos"
    )
    package: str  # source package
    fixed: str  # "" when the advisory lists no fix yet
    introduced: str = ""
    scheme: str = "dpkg"


@dataclass(slots=True)
class AdvisoryRecord:
    id: str
    source: str
    modified: dt.datetime | None
    vulnerability_ids: tuple[str, ...]
    fixes: list[DistroFixRecord] = field(default_factory=list)
    summary: str = ""


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """Metadata of the whole feed (a catalogue version, an export time) for the import log."""

    version: str = ""
    released: dt.datetime | None = None


Record = VulnerabilityRecord | KevRecord | EpssRecord | AdvisoryRecord | FeedInfo
