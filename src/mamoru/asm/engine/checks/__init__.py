"""Misconfiguration checks on identified services and on domains.

Entry points (all asyncio, no Django):

- ``check_service(service, *, timeout=5.0, canary_ports=(), canaries=())`` — the checks
  that apply to one identified ``Service`` (TLS, HTTP, FTP, SMTP, databases, caches,
  remote access...).
- ``wants_canary(service)`` — whether the open-proxy check would test the service, so a
  scanner knows to find it an in-scope canary first.
- ``check_domain(domain, *, resolver=None, timeout=5.0)`` — DNS records and SPF/DMARC.
- ``tls_inspect(ip, port, *, hostname, timeout)`` — accepted TLS versions and certificate.

``CATALOGUE`` lists every finding kind with its severity, Japanese title and remediation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from mamoru.asm.engine.canaries import Canary
from mamoru.asm.engine.checks import services as svc
from mamoru.asm.engine.checks.catalogue import CATALOGUE, FindingKind, new_finding
from mamoru.asm.engine.checks.http import http_checks
from mamoru.asm.engine.checks.mail import DnsCheckError, check_domain
from mamoru.asm.engine.checks.proxy import open_proxy_check
from mamoru.asm.engine.checks.tls import tls_findings, tls_inspect
from mamoru.asm.engine.model import Finding, Service

__all__ = [
    "CATALOGUE",
    "Canary",
    "DnsCheckError",
    "FindingKind",
    "check_domain",
    "check_service",
    "new_finding",
    "tls_inspect",
    "wants_canary",
]

Check = Callable[..., Awaitable[list[Finding]]]

# Service names as identification reports them (nmap's names accepted too).
PROTOCOL_CHECKS: dict[str, Check] = {
    "ftp": svc.ftp_checks,
    "smtp": svc.smtp_checks,
    "submission": svc.smtp_checks,
    "redis": svc.redis_checks,
    "memcached": svc.memcached_checks,
    "memcache": svc.memcached_checks,
    "postgresql": svc.postgresql_checks,
    "postgres": svc.postgresql_checks,
    "mysql": svc.mysql_checks,
    "mariadb": svc.mysql_checks,
    "rdp": svc.rdp_checks,
    "ms-wbt-server": svc.rdp_checks,
    "vnc": svc.vnc_checks,
    "rfb": svc.vnc_checks,
}
HTTP_NAMES = frozenset({"http", "https", "http-alt", "https-alt", "ssl/http", "elasticsearch"})
PROXY_NAMES = HTTP_NAMES | {"http-proxy", "squid-http"}
TLS_NAMES = frozenset(
    {"https", "https-alt", "ssl/http", "imaps", "pop3s", "smtps", "ftps", "ldaps", "ssl/unknown"}
)


def uses_tls(service: Service) -> bool:
    """Whether the service speaks TLS from the first byte (not STARTTLS)."""
    return (
        service.tls is not None
        or service.service in TLS_NAMES
        or service.service.startswith("ssl/")
        or service.extra.get("tls") == "true"
    )


async def _tls(service: Service, timeout: float) -> list[Finding]:
    info = await tls_inspect(service.ip, service.port, hostname=service.hostname, timeout=timeout)
    return tls_findings(service, info) if info.versions else []


def wants_canary(service: Service) -> bool:
    """Whether :func:`check_service` would ask ``service`` to relay a canary page."""
    return not uses_tls(service) and service.service in PROXY_NAMES


async def check_service(
    service: Service,
    *,
    timeout: float = 5.0,
    canary_ports: Sequence[int] = (),
    canaries: Sequence[Canary] = (),
) -> list[Finding]:
    """Run every check that applies to ``service`` and return its findings.

    ``canary_ports`` are other open TCP ports the scan found on the same address, and
    ``canaries`` other in-scope endpoints (address, port) — the scan's other open web
    services, or approved endpoints of the organisation's scope — best first. The
    open-proxy check fetches a page from one of them through the service (never from
    anywhere else) and is skipped without them. Network errors inside a check mean "no
    finding", never an exception: a scan goes on when one service misbehaves.
    """
    tls = uses_tls(service)
    jobs: list[Awaitable[list[Finding]]] = []
    if tls:
        jobs.append(_tls(service, timeout))
    protocol_check = PROTOCOL_CHECKS.get(service.service)
    if protocol_check is not None:
        jobs.append(protocol_check(service, timeout=timeout))
    if service.service in HTTP_NAMES and service.extra.get("vpn") != "true":
        jobs.append(http_checks(service, tls=tls, timeout=timeout))
    endpoints = [(service.ip, port) for port in canary_ports] + list(canaries)
    if endpoints and wants_canary(service):
        jobs.append(open_proxy_check(service, canaries=endpoints, timeout=timeout))
    results = await asyncio.gather(*jobs)
    found = [finding for result in results for finding in result]
    return [*svc.identity_findings(service), *found]
