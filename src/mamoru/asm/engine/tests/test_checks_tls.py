"""TLS inspection and findings against the lab's nginx TLS sites."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from mamoru.asm.engine.checks import check_service, tls_inspect
from mamoru.asm.engine.checks.tls import name_matches, tls_findings
from mamoru.asm.engine.model import Service, TlsInfo
from mamoru.asm.engine.tests.lab.servers import Lab

pytestmark = pytest.mark.lab


def _kinds(lab: Lab, site: str, hostname: str | None = None) -> set[str]:
    e = lab.endpoints[site]
    service = Service(e.ip, e.port, "https", hostname=hostname or e.hostname)
    return {f.kind for f in asyncio.run(check_service(service, timeout=3))}


def test_a_sound_certificate_for_the_right_name_gives_no_finding(lab_nginx: Lab) -> None:
    assert _kinds(lab_nginx, "tls-good") == set()


def test_it_reports_versions_and_certificate_facts(lab_nginx: Lab) -> None:
    e = lab_nginx.endpoints["tls-good"]
    info = asyncio.run(tls_inspect(e.ip, e.port, hostname="www.lab.test", timeout=3))
    assert info.versions == ("TLSv1.2", "TLSv1.3")
    assert (info.key_type, info.key_bits) == ("RSA", 2048)
    assert info.subject_cn == "www.lab.test"
    assert e.ip in info.subject_alt_names
    assert info.self_signed is False
    assert info.hostname_matches is True
    assert info.signature_algorithm == "sha256WithRSAEncryption"


def test_it_finds_expired_self_signed_certificates_and_tls_1_0(lab_nginx: Lab) -> None:
    e = lab_nginx.endpoints["tls-legacy"]
    info = asyncio.run(tls_inspect(e.ip, e.port, hostname=e.hostname, timeout=3))
    assert info.versions == ("TLSv1", "TLSv1.1", "TLSv1.2")
    assert _kinds(lab_nginx, "tls-legacy") == {
        "tls-expired-certificate",
        "tls-self-signed",
        "tls-legacy-protocol",
    }


def test_it_finds_short_keys_and_sha1_signatures(lab_nginx: Lab) -> None:
    assert _kinds(lab_nginx, "tls-weak") == {"tls-weak-key", "tls-weak-signature"}


def test_it_finds_a_certificate_for_another_name(lab_nginx: Lab) -> None:
    assert _kinds(lab_nginx, "tls-good", hostname="portal.example.lg.jp") == {
        "tls-hostname-mismatch"
    }


def test_a_plain_http_port_has_no_tls(lab_nginx: Lab) -> None:
    e = lab_nginx.endpoints["http"]
    assert asyncio.run(tls_inspect(e.ip, e.port, hostname=None, timeout=2)).versions == ()


def test_an_address_scan_does_not_judge_the_name(lab_nginx: Lab) -> None:
    e = lab_nginx.endpoints["tls-weak"]
    info = asyncio.run(tls_inspect(e.ip, e.port, hostname=None, timeout=3))
    assert info.hostname_matches is None


def test_a_certificate_close_to_expiry_is_reported() -> None:
    now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    info = TlsInfo(versions=("TLSv1.3",), not_before="2029-01-01T00:00:00+00:00",
                   not_after="2030-01-20T00:00:00+00:00")  # fmt: skip
    kinds = [f.kind for f in tls_findings(Service("127.0.0.1", 443, "https"), info, now=now)]
    assert kinds == ["tls-certificate-expiring-soon"]


@pytest.mark.parametrize(
    ("host", "names", "expected"),
    [
        ("www.city.example.lg.jp", ("*.city.example.lg.jp",), True),
        ("a.b.city.example.lg.jp", ("*.city.example.lg.jp",), False),
        ("city.example.lg.jp", ("*.city.example.lg.jp",), False),
        ("WWW.Lab.Test.", ("www.lab.test",), True),
        ("127.0.0.1", ("127.0.0.1",), True),
        ("127.0.0.1", ("localhost",), False),
        ("evil.test", ("*.test",), False),
    ],
)
def test_names_match_like_rfc_6125(host: str, names: tuple[str, ...], expected: bool) -> None:
    assert name_matches(host, names) is expected
