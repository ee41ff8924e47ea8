from io import StringIO

import pytest
from django.core.management import call_command

from mamoru.asm.engine.model import Service, Severity
from mamoru.asm.vulnerabilities import vulnerability_findings
from mamoru.orgs.models import Organisation
from mamoru.orgs.selectors import organisation_by_code
from mamoru.testing import CHIYODA, OSAKA_CITY
from mamoru.vulns.matching import Matcher, match_service, parse_banner
from mamoru.vulns.matching.priority import prioritise
from mamoru.vulns.selectors import exposures_for_vulnerability
from mamoru.vulns.services import observed_services_record, observed_services_remove

pytestmark = pytest.mark.usefixtures("loaded_feeds")


def _ids(service: Service) -> set[str]:
    return {m.vulnerability_id for m in match_service(service)}


def _ssh(banner: str) -> Service:
    service = parse_banner(banner)
    return Service(ip="192.0.2.10", port=22, service="ssh", product=service.product,
                   vendor=service.vendor, version=service.version, extra=dict(service.extra))  # fmt: skip


@pytest.mark.parametrize(
    ("banner", "vulnerable"),
    [
        ("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", False),  # patched by DSA-5724-1
        ("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2", True),
        ("SSH-2.0-OpenSSH_9.2p1 Debian-2", True),  # release inferred from the fix's upstream
        ("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10", False),  # 8.9p1 predates the regression
        ("SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.3", False),  # USN-6859-1
        ("SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13", True),
        ("SSH-2.0-OpenSSH_9.7p1", True),  # no distribution: upstream range decides
        ("SSH-2.0-OpenSSH_9.8p1", False),
    ],
)
def test_regresshion_respects_distribution_backports(banner: str, vulnerable: bool) -> None:
    assert ("CVE-2024-6387" in _ids(_ssh(banner))) is vulnerable


def test_rpm_backport_on_rhel() -> None:
    def rhel(revision: str) -> Service:
        return Service(ip="192.0.2.1", port=22, service="ssh", product="OpenSSH", version="8.7p1",
                       extra={"os": "Red Hat Enterprise Linux", "distro_package": revision})  # fmt: skip

    assert "CVE-2024-6387" not in _ids(rhel("38.el9_4.1"))  # RHSA-2024:4312
    assert "CVE-2024-6387" in _ids(rhel("38.el9"))
    assert "CVE-2024-6387" in _ids(rhel("38.el9_4"))


def test_a_vulnerable_debian_package_is_explained() -> None:
    match = next(m for m in match_service(_ssh("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2")))
    assert match.rule == "distro-fix"
    assert match.range == "< 1:9.2p1-2+deb12u3"
    assert any("Debian 12" in reason for reason in match.reasons)
    assert match.confidence >= 0.9
    assert match.title_ja.startswith("OpenSSH のサーバ (sshd)")  # JVN's title
    assert "1:9.2p1-2+deb12u3" in match.action_ja


@pytest.mark.parametrize(
    ("product", "vendor", "version", "cve", "vulnerable"),
    [
        ("FortiOS", "Fortinet", "7.2.6", "CVE-2024-21762", True),
        ("FortiGate SSL-VPN", "Fortinet", "7.2.7", "CVE-2024-21762", False),
        ("FortiOS", "Fortinet", "6.4.14", "CVE-2024-21762", True),
        ("PAN-OS", "Palo Alto Networks", "10.2.9", "CVE-2024-3400", True),
        ("PAN-OS", "Palo Alto Networks", "10.2.9-h1", "CVE-2024-3400", False),
        ("PAN-OS", "Palo Alto Networks", "11.1.1", "CVE-2024-3400", True),
        ("PAN-OS", "Palo Alto Networks", "10.1.11", "CVE-2024-3400", False),
        ("Ivanti Connect Secure", "Ivanti", "22.4R2.1", "CVE-2023-46805", True),
        ("Ivanti Connect Secure", "Ivanti", "22.4R2.2", "CVE-2023-46805", False),
        ("Ivanti Connect Secure", "Ivanti", "22.7R2.3", "CVE-2024-21887", False),
        ("NetScaler Gateway", "Citrix", "13.1-49.13", "CVE-2023-4966", True),
        ("NetScaler ADC", "Citrix", "13.1-49.15", "CVE-2023-4966", False),
        ("NetScaler ADC", "Citrix", "14.1-8.50", "CVE-2023-4966", False),
    ],
)
def test_vendor_native_versions(
    product: str, vendor: str, version: str, cve: str, vulnerable: bool
) -> None:
    service = Service(
        ip="192.0.2.20", port=443, service="https", product=product, vendor=vendor, version=version
    )
    assert (cve in _ids(service)) is vulnerable


def test_nvd_cpe_matches_when_no_cve5_range_covers_it() -> None:
    service = Service(ip="192.0.2.5", port=443, service="https",
                      cpe="cpe:2.3:o:paloaltonetworks:pan-os:11.1.2:h1:*:*:*:*:*:*")  # fmt: skip
    match = next(m for m in match_service(service) if m.vulnerability_id == "CVE-2024-3400")
    assert match.version == "11.1.2-h1"


def test_kev_with_ransomware_comes_first_and_carries_the_due_date() -> None:
    matches = match_service(
        Service(
            ip="192.0.2.20",
            port=443,
            service="https",
            product="FortiOS",
            vendor="Fortinet",
            version="7.2.3",
        )
    )
    top = matches[0]
    assert top.vulnerability_id == "CVE-2024-21762"
    assert top.kev
    assert top.priority.ransomware
    assert top.priority.level == 1
    assert str(top.kev_due) == "2024-02-16"
    assert "2024-02-16" in top.action_ja


def test_priority_order_and_exposure_adjustment() -> None:
    kev = prioritise(kev=True, ransomware=False, epss=0.01, cvss=5.0, remote_access=False)
    likely = prioritise(kev=False, ransomware=False, epss=0.9, cvss=5.0, remote_access=False)
    severe = prioritise(kev=False, ransomware=False, epss=0.001, cvss=7.5, remote_access=False)
    assert kev.sort_key < likely.sort_key < severe.sort_key
    assert (
        prioritise(kev=False, ransomware=False, epss=0.001, cvss=7.5, remote_access=True).level
        == severe.level - 1
    )


def test_inferred_versions_lower_confidence() -> None:
    seen = Service(
        ip="192.0.2.20",
        port=443,
        service="https",
        product="FortiOS",
        vendor="Fortinet",
        version="7.2.3",
    )
    inferred = Service(ip="192.0.2.20", port=443, service="https", product="FortiOS", vendor="Fortinet",
                       version="7.2.3", extra={"version_confidence": "inferred"})  # fmt: skip
    assert match_service(inferred)[0].confidence < match_service(seen)[0].confidence
    assert not match_service(inferred)[0].version_exact


def test_scanner_findings() -> None:
    services = [
        Service(
            ip="192.0.2.20",
            port=443,
            service="https",
            product="NetScaler Gateway",
            vendor="Citrix",
            version="13.1-48.47",
        ),
        _ssh("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"),
        Service(ip="192.0.2.30", port=80, service="http"),
    ]
    findings = vulnerability_findings(services)
    assert [(f.kind, f.ip) for f in findings] == [("known-exploited-vulnerability", "192.0.2.20")]
    details = findings[0].details
    assert details["cve_ids"] == "CVE-2023-4966"
    assert details["kev"] == "true"
    assert details["kev_due_date"] == "2023-11-08"
    assert details["epss"].startswith("0.94")
    assert findings[0].severity == Severity.CRITICAL
    assert "NetScaler" in findings[0].title


def test_exposure_query_lists_only_affected_services() -> None:
    first, second = (organisation_by_code(code=code).pk for code in (CHIYODA, OSAKA_CITY))
    observed_services_record(organisation_id=first, services=[
        _ssh("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2"),
        Service(ip="192.0.2.11", port=22, service="ssh", product="OpenSSH", version="9.2p1",
                extra={"os": "Debian", "distro_package": "2+deb12u3"}),
    ])  # fmt: skip
    kept = observed_services_record(organisation_id=second, services=[
        Service(ip="198.51.100.7", port=2222, service="ssh", product="OpenSSH", version="9.6p1"),
        Service(ip="198.51.100.8", port=443, service="https", product="FortiOS", vendor="Fortinet", version="7.2.3"),
    ])  # fmt: skip
    assert set(kept) == {("198.51.100.7", 2222, "tcp"), ("198.51.100.8", 443, "tcp")}
    exposures = exposures_for_vulnerability(vulnerability_id="CVE-2024-6387")
    assert sorted((e.organisation_id, e.ip) for e in exposures) == sorted([
        (first, "192.0.2.10"),
        (second, "198.51.100.7"),
    ])  # fmt: skip
    fortios = exposures_for_vulnerability(vulnerability_id="CVE-2024-21762")
    assert [(e.organisation_id, e.port) for e in fortios] == [(second, 443)]
    # Narrowed to a set of organisations (the gate's answer for a principal).
    only_first = Organisation.objects.unscoped("test").filter(pk=first)
    narrowed = exposures_for_vulnerability(
        vulnerability_id="CVE-2024-6387", organisations=only_first
    )
    assert [e.organisation_id for e in narrowed] == [first]
    # A service that is gone is forgotten.
    assert (
        observed_services_remove(organisation_id=second, ids=[kept[("198.51.100.8", 443, "tcp")]])
        == 1
    )
    assert exposures_for_vulnerability(vulnerability_id="CVE-2024-21762") == []


def test_matcher_caches_identical_services() -> None:
    matcher = Matcher()
    service = _ssh("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2")
    assert matcher.match(service) is matcher.match(service)


def test_cli_match_explains(capsys: pytest.CaptureFixture[str]) -> None:
    out = StringIO()
    call_command("vulns", "match", "--banner", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2", stdout=out)
    text = out.getvalue()
    assert "CVE-2024-6387" in text
    assert "distro-fix" in text
    assert "DEBIAN-CVE-2024-6387" in text or "DSA-5724-1" in text
    out = StringIO()
    call_command(
        "vulns",
        "match",
        "--product",
        "PAN-OS",
        "--vendor",
        "Palo Alto Networks",
        "--version",
        "10.2.9-h1",
        stdout=out,
    )
    assert "0 match(es)" in out.getvalue()


def test_cli_status_lists_tables_and_sources() -> None:
    out = StringIO()
    call_command("vulns", "status", stdout=out)
    assert "kev_entries" in out.getvalue()
    assert "1,404" not in out.getvalue()
    assert "kev    last import" in out.getvalue()
