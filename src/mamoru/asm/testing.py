"""Builders for the attack-surface tests (and the benchmarks): principals of the cast, a
loaded vulnerability database, approved loopback assets."""

from __future__ import annotations

from mamoru.accounts.models import User
from mamoru.asm import services
from mamoru.asm.models import Asset
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
