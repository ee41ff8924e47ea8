"""A national attack-surface data set for the asm benchmarks (not a test, not a module of
the package): services, findings, assets and scans for N organisations, in bulk.

Shapes follow what the platform stores after real scans: about 112 services and 280
findings per organisation at full size (200,000 and 500,000 for 1,788 organisations),
products and vulnerabilities drawn from a fixed pool with a long tail, a tenth of the
vulnerability findings in KEV, statuses across the lifecycle. Addresses are from
TEST-NET-3 and benchmarking ranges: nothing here is ever scanned.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

PRODUCTS: tuple[tuple[str, str, str, str], ...] = (
    # service, product, vendor, version
    ("ssh", "OpenSSH", "OpenBSD", "9.2p1"),
    ("https", "nginx", "F5", "1.22.1"),
    ("https", "Apache httpd", "Apache", "2.4.57"),
    ("https", "Microsoft IIS", "Microsoft", "10.0"),
    ("smtp", "Exim", "Exim", "4.96"),
    ("https", "FortiGate SSL-VPN", "Fortinet", ""),
    ("https", "Ivanti Connect Secure", "Ivanti", "22.3.1.1613"),
    ("ftp", "vsftpd", "vsftpd", "3.0.3"),
    ("http", "lighttpd", "lighttpd", "1.4.69"),
    ("https", "Citrix NetScaler Gateway", "Citrix", ""),
)
KINDS = (
    "http-missing-security-headers", "tls-legacy-protocol", "tls-self-signed",
    "tls-certificate-expiring-soon", "spf-missing", "dmarc-none", "exposed-admin-panel",
    "smtp-no-starttls", "http-directory-listing", "cleartext-remote-login",
)  # fmt: skip
STATUSES = (
    ("open",) * 12 + ("acknowledged",) * 2 + ("fixed",) + ("verified",) * 4 + ("risk_accepted",)
)


@dataclass(frozen=True)
class Size:
    organisations: int
    services: int  # in total
    findings: int  # in total


def _address(n: int) -> str:
    return str(ipaddress.IPv4Address(int(ipaddress.IPv4Address("198.18.0.0")) + n))


def chosen_organisations(count: int) -> list[Any]:
    """The local governments of the data set: all of them, or the first ``count`` of Tokyo
    (so that one prefecture's page has data whatever the size) and then the others."""
    from mamoru.orgs.models import LOCAL_GOVERNMENT_KINDS
    from mamoru.orgs.selectors import organisation_list

    everyone = [o for o in organisation_list() if o.kind in LOCAL_GOVERNMENT_KINDS]
    tokyo = [o for o in everyone if o.prefecture_code == "13"]
    rest = [o for o in everyone if o.prefecture_code != "13"]
    return (tokyo + rest)[:count]


def build(size: Size, *, seed: int = 9, vulnerabilities: Sequence[str] = ()) -> dict[str, int]:
    """Write the data set in bulk; counts of what was written."""
    from mamoru.asm.models import Asset, Finding, Scan, Service

    rng = random.Random(seed)
    organisations = chosen_organisations(size.organisations)
    now = timezone.now()
    per_service = max(1, size.services // len(organisations))
    per_finding = max(1, size.findings // len(organisations))
    pool = list(vulnerabilities) or [f"CVE-2024-{10000 + n}" for n in range(300)]
    counter = 0
    with transaction.atomic():
        for index, organisation in enumerate(organisations):
            base = index * 4096
            Asset.objects.bulk_create(
                [
                    Asset(organisation=organisation, kind="range", value=f"{_address(base)}/20",
                          scope_state="approved", approved_at=now),
                    Asset(organisation=organisation, kind="domain",
                          value=f"city{index}.example.jp", scope_state="approved", approved_at=now),
                ]
            )  # fmt: skip
            scan = Scan.objects.create(
                organisation=organisation, reason="campaign", status="succeeded",
                finished_at=now - timedelta(days=rng.randint(0, 20)), jobs_total=1, jobs_done=1,
            )  # fmt: skip
            services = []
            for n in range(per_service):
                service, product, vendor, version = PRODUCTS[
                    min(int(rng.paretovariate(1.2)) - 1, 9)
                ]
                services.append(Service(
                    organisation=organisation, ip=_address(base + n), port=443 if "http" in service else 22,
                    service=service, product=product, vendor=vendor, version=version, last_scan=scan,
                ))  # fmt: skip
            Service.objects.bulk_create(services, batch_size=2000)
            findings = []
            for n in range(per_finding):
                vulnerable = n % 3 == 0
                vulnerability = (
                    pool[min(int(rng.paretovariate(0.8)) - 1, len(pool) - 1)] if vulnerable else ""
                )
                kev = vulnerable and rng.random() < 0.1
                status = rng.choice(STATUSES)
                findings.append(Finding(
                    organisation=organisation, key=f"{index}-{n}",
                    kind="known-exploited-vulnerability" if kev else ("known-vulnerability" if vulnerable else rng.choice(KINDS)),
                    severity="high", priority=1 if kev else rng.randint(2, 4),
                    title=f"{vulnerability or 'finding'} on service {n % per_service}",
                    vulnerability_id=vulnerability, kev=kev,
                    kev_due=(now - timedelta(days=rng.randint(-30, 300))).date() if kev else None,
                    product=f"{PRODUCTS[n % 10][1]} {PRODUCTS[n % 10][3]}".strip(),
                    ip=_address(base + n % per_service), port=443, status=status,
                    accepted_until=(now + timedelta(days=30)).date() if status == "risk_accepted" else None,
                    last_scan=scan,
                ))  # fmt: skip
            Finding.objects.bulk_create(findings, batch_size=2000)
            counter += len(findings)
    return {"organisations": len(organisations), "services": per_service * len(organisations),
            "findings": counter}  # fmt: skip


def history(days: int = 90) -> int:
    """Daily national and prefectural totals of the past ``days`` (what the daily job
    writes), derived from today's, so that the KEV chart has its three months."""
    from mamoru.asm.models import ExposureTotal

    today = timezone.localdate()
    rows = list(ExposureTotal.objects.filter(date=today))
    past = []
    for back in range(1, days):
        for row in rows:
            copy = ExposureTotal(
                date=today - timedelta(days=back),
                prefecture_code=row.prefecture_code,
                organisations=row.organisations,
                organisations_scanned=row.organisations_scanned,
                organisations_exposed=row.organisations_exposed,
                findings_open=row.findings_open,
                kev_open=max(0, row.kev_open - back),
                kev_overdue=max(0, row.kev_overdue - back),
            )
            past.append(copy)
    ExposureTotal.objects.bulk_create(past, batch_size=5000, ignore_conflicts=True)
    return len(past)
