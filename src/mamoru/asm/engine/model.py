"""The records the scanning engine produces. Plain, frozen dataclasses: no Django.

Every stage of a scan (ports → services → checks) hands these to the next one, and
``mamoru scan --format json`` serialises them through ``to_dict`` into the document
described by ``schema/scan-result.schema.json``.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any


class PortState(enum.StrEnum):
    OPEN = "open"  # the handshake completed
    CLOSED = "closed"  # the host answered with a reset
    FILTERED = "filtered"  # no answer within the timeout, after retries


class Severity(enum.StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


@dataclass(frozen=True, slots=True)
class Target:
    """One address to probe, and the name it was reached by (for SNI, Host, certificates)."""

    ip: str
    hostname: str | None = None


@dataclass(frozen=True, slots=True)
class PortResult:
    ip: str
    port: int
    state: PortState
    transport: str = "tcp"
    rtt_ms: float | None = None
    hostname: str | None = None
    # why the state was decided, in nmap's words: "syn-ack", "conn-refused", "reset",
    # "no-response", "host-unreach", "net-unreach", "admin-prohibited"
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """What an identification or finding rests on: the probe sent, and what came back."""

    probe: str  # e.g. "banner", "http-get", "tls-handshake", "redis-info"
    excerpt: str  # a short, printable excerpt of the response (never credentials)
    rule: str | None = None  # id of the YAML rule that matched, when one did


SOURCE_NOTICES: dict[str, str] = {
    "recog": (
        "Product names marked source=recog come from Rapid7 Recog "
        "(https://github.com/rapid7/recog), Copyright (c) 2014-2015, Rapid7, Inc., "
        "used under the BSD 2-Clause licence."
    ),
}
"""The attribution a report must carry when any identification came from that source."""


@dataclass(frozen=True, slots=True)
class TlsInfo:
    versions: tuple[str, ...] = ()  # accepted protocol versions, e.g. ("TLSv1.2", "TLSv1.3")
    subject_cn: str | None = None
    subject: str | None = None  # the whole subject, RFC 4514 (most specific part first)
    subject_alt_names: tuple[str, ...] = ()
    issuer: str | None = None
    not_before: str | None = None  # ISO 8601, UTC
    not_after: str | None = None
    self_signed: bool | None = None
    hostname_matches: bool | None = None
    key_type: str | None = None  # "RSA", "EC", "Ed25519"
    key_bits: int | None = None
    signature_algorithm: str | None = None


@dataclass(frozen=True, slots=True)
class Service:
    """An identified service on an open port."""

    ip: str
    port: int
    service: str  # protocol name: "http", "ssh", "ftp", "smtp", "redis", ...
    transport: str = "tcp"
    product: str | None = None  # e.g. "OpenSSH", "nginx", "FortiGate SSL-VPN"
    vendor: str | None = None
    version: str | None = None
    cpe: str | None = None  # CPE 2.3 formatted string
    tls: TlsInfo | None = None
    hostname: str | None = None
    extra: dict[str, str] = field(
        default_factory=dict
    )  # e.g. {"os": "Debian", "distro_package": "..."}
    evidence: tuple[Evidence, ...] = ()
    # whose rules named it: "mamoru" (the project's own rules and probes), "recog" (Rapid7
    # Recog filled in something ours did not say: see SOURCE_NOTICES), None (nothing named)
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Finding:
    """A weakness found on a service, host or domain. ``kind`` values are stable identifiers."""

    kind: str  # e.g. "tls-expired-certificate", "exposed-cache-no-auth", "dmarc-missing"
    severity: Severity
    title: str  # Japanese, plain words
    ip: str | None = None
    port: int | None = None
    hostname: str | None = None
    evidence: tuple[Evidence, ...] = ()
    details: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
