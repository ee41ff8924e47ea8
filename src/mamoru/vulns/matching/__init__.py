"""Matching identified services to known vulnerabilities."""

from __future__ import annotations

from mamoru.vulns.matching.engine import (
    Matcher,
    VulnerabilityMatch,
    match_service,
    match_services,
)
from mamoru.vulns.matching.identify import Identity, identify, parse_banner
from mamoru.vulns.matching.priority import Priority

__all__ = [
    "Identity",
    "Matcher",
    "Priority",
    "VulnerabilityMatch",
    "identify",
    "match_service",
    "match_services",
    "parse_banner",
]
