"""How records from several feeds combine into one vulnerability row.

CVE JSON 5 and NVD own the English text, scores and applicability (the later import
wins); JVN owns the Japanese text and only fills scores nobody else gave.
"""

from __future__ import annotations

from mamoru.vulns.importers.records import VulnerabilityRecord
from mamoru.vulns.models import Vulnerability

_AUTHORITATIVE = frozenset({"cve5", "nvd"})


def _stamp(record: VulnerabilityRecord) -> str:
    return record.modified.isoformat() if record.modified else ""


def is_unchanged(vulnerability: Vulnerability, record: VulnerabilityRecord) -> bool:
    """Whether this source already gave this very version of the record."""
    stamp = _stamp(record)
    return bool(stamp) and vulnerability.sources.get(record.source) == stamp


def _scores(vulnerability: Vulnerability, record: VulnerabilityRecord) -> None:
    if record.cvss_score is None:
        return
    if record.source in _AUTHORITATIVE or vulnerability.cvss_score is None:
        vulnerability.cvss_score = record.cvss_score
        vulnerability.cvss_vector = record.cvss_vector[:200]
        vulnerability.cvss_version = record.cvss_version[:8]
        vulnerability.severity = record.severity[:16]


def merge_vulnerability(vulnerability: Vulnerability, record: VulnerabilityRecord) -> None:
    """Fold one record into the row (in memory; the caller saves)."""
    authoritative = record.source in _AUTHORITATIVE
    if record.title and (authoritative or not vulnerability.title):
        vulnerability.title = record.title[:500]
    if record.summary and (authoritative or not vulnerability.summary):
        vulnerability.summary = record.summary
    if record.title_ja:
        vulnerability.title_ja = record.title_ja[:500]
        vulnerability.summary_ja = record.summary_ja
    if record.jvn_id:
        vulnerability.jvn_id = record.jvn_id[:32]
    _scores(vulnerability, record)
    if record.published and (not vulnerability.published or authoritative):
        vulnerability.published = record.published
    if record.modified and (not vulnerability.modified or record.modified > vulnerability.modified):
        vulnerability.modified = record.modified
    if authoritative:
        vulnerability.rejected = record.rejected
    if record.configurations is not None:
        vulnerability.configurations = record.configurations
    aliases = list(vulnerability.aliases or [])
    vulnerability.aliases = aliases + [a for a in record.aliases if a not in aliases]
    vulnerability.sources = {**(vulnerability.sources or {}), record.source: _stamp(record)}
