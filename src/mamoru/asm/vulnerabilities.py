"""The scanner's entry point: findings for the known vulnerabilities of identified services.

``mamoru scan --vulns`` calls ``vulnerability_findings`` with the services the engine
identified; the findings use the engine's own ``Finding`` record.
"""

from __future__ import annotations

from collections.abc import Iterable

from mamoru.asm.engine.model import Evidence, Finding, Service, Severity
from mamoru.vulns.matching import Matcher, VulnerabilityMatch

KNOWN = "known-vulnerability"
KNOWN_EXPLOITED = "known-exploited-vulnerability"
_SEVERITY = {1: Severity.CRITICAL, 2: Severity.HIGH, 3: Severity.MEDIUM, 4: Severity.LOW}


def _details(match: VulnerabilityMatch) -> dict[str, str]:
    details = {
        "cve_ids": match.vulnerability_id,
        "kev": "true" if match.kev else "false",
        "known_ransomware_use": "true" if match.priority.ransomware else "false",
        "epss": "" if match.epss is None else f"{match.epss:.5f}",
        "cvss": "" if match.cvss is None else f"{match.cvss:.1f}",
        "priority": str(match.priority.level),
        "priority_label": match.priority.label,
        "product": match.product_key,
        "version": match.version,
        "version_exact": "true" if match.version_exact else "false",
        "rule": match.rule,
        "range": match.range,
        "confidence": f"{match.confidence:.2f}",
        "reasons": " / ".join(match.reasons),
        "action": match.action_ja,
    }
    if match.kev_due:
        details["kev_due_date"] = match.kev_due.isoformat()
    return details


def finding_for(service: Service, match: VulnerabilityMatch) -> Finding:
    return Finding(
        kind=KNOWN_EXPLOITED if match.kev else KNOWN,
        severity=_SEVERITY[match.priority.level],
        title=match.title_ja,
        ip=service.ip,
        port=service.port,
        hostname=service.hostname,
        evidence=service.evidence,
        details=_details(match),
    )


def vulnerability_findings(services: Iterable[Service]) -> list[Finding]:
    """One finding per (service, vulnerability), most urgent first for each service."""
    matcher = Matcher()
    return [finding_for(service, match) for service in services for match in matcher.match(service)]


__all__ = ["KNOWN", "KNOWN_EXPLOITED", "Evidence", "finding_for", "vulnerability_findings"]
