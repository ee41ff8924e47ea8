"""Builders for the attack-surface tests (and the benchmarks): principals of the cast, a
loaded vulnerability database, approved loopback assets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mamoru.accounts.models import User
from mamoru.asm import services
from mamoru.asm.models import Asset, Finding, Scan
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal, System
from mamoru.orgs.selectors import principal_for
from mamoru.vulns.testing import FIXTURES

SYSTEM = System("asm tests")


def principal(user: User, code: str | None = None) -> Principal:
    """``user`` acting in ``code`` (default: their first organisation)."""
    found = principal_for(user=user, organisation_code=code)
    assert found is not None, f"{user} acts in no organisation {code or ''}"
    return found


def load_vulnerabilities() -> None:
    """The vulns app's fixture feeds: CVE JSON 5 records (regreSSHion, Ivanti, Fortinet,
    Citrix, PAN-OS) and the Debian/Ubuntu/RHEL advisories of regreSSHion."""
    from mamoru.vulns.services import feed_import

    feed_import(source="cve5", path=FIXTURES / "cve5")
    feed_import(source="osv", path=FIXTURES / "osv")


def approved_asset(
    organisation: Organisation, value: str, *, kind: str = "ip", ports: str = ""
) -> Asset:
    """An asset of ``organisation`` approved for scanning (the system acts, as in set-up)."""
    asset = services.asset_create(
        principal=SYSTEM, organisation=organisation, kind=kind, value=value, ports=ports
    )
    return services.asset_approve(principal=SYSTEM, asset=asset)


@dataclass(frozen=True)
class Scanned:
    """What the ``scanned`` fixture made: 千代田区's principal, its lab asset, the scan and
    the findings by kind, and the running lab (``asm/tests/loopback.py``)."""

    chiyoda: Principal
    asset: Asset
    scan: Scan
    findings: dict[str, Finding]
    lab: Any


KEV_CATALOGUE = {
    "title": "test catalogue",
    "catalogVersion": "test",
    "dateReleased": "2025-01-01T00:00:00Z",
    "count": 1,
}


def kev_catalogue(*cve_ids: str, due: str = "2025-01-22") -> dict[str, object]:
    """A KEV catalogue (CISA's JSON format) listing ``cve_ids``: a test's own, so that an
    import can *add* an entry the shared snapshot does not hold."""
    return {
        **KEV_CATALOGUE,
        "count": len(cve_ids),
        "vulnerabilities": [
            {
                "cveID": cve,
                "vendorProject": "OpenBSD",
                "product": "OpenSSH",
                "vulnerabilityName": f"{cve} (test entry)",
                "dateAdded": "2025-01-01",
                "shortDescription": "",
                "requiredAction": "Apply updates.",
                "dueDate": due,
                "knownRansomwareCampaignUse": "Unknown",
                "notes": "",
            }
            for cve in cve_ids
        ],
    }
