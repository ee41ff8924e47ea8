"""The finding catalogue the platform imports."""

from __future__ import annotations

import re

from mamoru.asm.engine import checks
from mamoru.asm.engine.checks import CATALOGUE, new_finding
from mamoru.asm.engine.model import Severity

REQUIRED = {
    "tls-expired-certificate", "tls-self-signed", "tls-hostname-mismatch", "tls-legacy-protocol",
    "tls-weak-key", "tls-weak-signature", "http-missing-security-headers",
    "http-directory-listing", "exposed-admin-panel", "ftp-anonymous-login", "exposed-database",
    "exposed-database-no-auth", "exposed-cache-no-auth", "cleartext-remote-login", "open-proxy",
    "exposed-remote-desktop", "exposed-smb", "spf-missing", "spf-permissive",
    "spf-too-many-lookups", "dmarc-missing", "dmarc-none", "vpn-appliance",
}  # fmt: skip
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_every_required_kind_is_catalogued() -> None:
    assert set(CATALOGUE) >= REQUIRED


def test_every_kind_has_plain_japanese_and_english_words() -> None:
    for kind, entry in CATALOGUE.items():
        assert entry.kind == kind
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", kind)
        assert JAPANESE.search(entry.title_ja), kind
        assert JAPANESE.search(entry.remediation_ja), kind
        assert entry.title_en, kind
        assert entry.title_en.isascii(), kind
        assert isinstance(entry.severity, Severity)


def test_a_finding_carries_title_and_remediation() -> None:
    finding = new_finding("dmarc-none", hostname="city.example.lg.jp", details={"policy": "none"})
    assert finding.title == CATALOGUE["dmarc-none"].title_ja
    assert finding.details == {
        "remediation": CATALOGUE["dmarc-none"].remediation_ja,
        "policy": "none",
    }
    assert finding.severity == Severity.LOW


def test_the_public_surface_is_pinned() -> None:
    assert sorted(checks.__all__) == [
        "CATALOGUE", "Canary", "DnsCheckError", "FindingKind", "check_domain",
        "check_service", "new_finding", "tls_inspect", "wants_canary",
    ]  # fmt: skip
