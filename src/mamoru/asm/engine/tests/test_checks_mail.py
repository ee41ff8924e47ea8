"""DNS records and SPF/DMARC findings, against the lab's NSD (never a real resolver)."""

from __future__ import annotations

import asyncio

import pytest

from mamoru.asm.engine.checks import DnsCheckError, check_domain
from mamoru.asm.engine.checks.mail import make_resolver
from mamoru.asm.engine.model import Finding

pytestmark = pytest.mark.lab


def _findings(domain: str, resolver: str) -> dict[str, Finding]:
    _records, found = asyncio.run(check_domain(domain, resolver=resolver, timeout=2))
    return {f.kind: f for f in found}


def test_a_well_configured_domain_has_records_and_no_finding(lab_resolver: str) -> None:
    records, found = asyncio.run(check_domain("good.lab.test", resolver=lab_resolver, timeout=2))
    assert found == []
    types = {r["type"] for r in records}
    assert types == {"A", "AAAA", "MX", "TXT"}
    assert {"name": "good.lab.test", "type": "MX", "value": "10 mail.good.lab.test.",
            "ttl": 300} in records  # fmt: skip


def test_cname_records_are_listed(lab_resolver: str) -> None:
    records, _found = asyncio.run(check_domain("www.good.lab.test", resolver=lab_resolver))
    assert {"name": "www.good.lab.test", "type": "CNAME", "value": "good.lab.test.",
            "ttl": 300} in records  # fmt: skip


def test_plus_all_and_p_none(lab_resolver: str) -> None:
    found = _findings("bad.lab.test", lab_resolver)
    assert set(found) == {"spf-permissive", "dmarc-none"}
    assert found["spf-permissive"].severity == "high"
    assert found["spf-permissive"].title.startswith("SPF")


def test_question_mark_all_is_permissive_but_less_so(lab_resolver: str) -> None:
    found = _findings("soft.lab.test", lab_resolver)
    assert set(found) == {"spf-permissive"}
    assert found["spf-permissive"].severity == "medium"


def test_neither_spf_nor_dmarc(lab_resolver: str) -> None:
    assert set(_findings("none.lab.test", lab_resolver)) == {"spf-missing", "dmarc-missing"}


def test_more_than_ten_lookups_through_includes(lab_resolver: str) -> None:
    found = _findings("many.lab.test", lab_resolver)
    assert set(found) == {"spf-too-many-lookups"}
    assert int(found["spf-too-many-lookups"].details["lookups"]) > 10


def test_an_include_loop_ends_and_is_reported(lab_resolver: str) -> None:
    found = _findings("loop.lab.test", lab_resolver)
    assert found["spf-too-many-lookups"].details["loop"] == "true"


def test_two_spf_records(lab_resolver: str) -> None:
    assert set(_findings("dup.lab.test", lab_resolver)) == {"spf-multiple-records"}


def test_a_domain_that_does_not_exist_has_nothing(lab_resolver: str) -> None:
    assert asyncio.run(check_domain("absent.lab.test", resolver=lab_resolver)) == ([], [])


def test_a_silent_resolver_is_an_error_not_a_missing_record() -> None:
    # 127.0.0.9:9 has nobody listening: the queries fail rather than report spf-missing.
    with pytest.raises(DnsCheckError):
        asyncio.run(check_domain("good.lab.test", resolver="127.0.0.9:9", timeout=0.5))


@pytest.mark.parametrize(
    ("text", "host", "port"),
    [("127.0.0.1", "127.0.0.1", 53), ("127.0.0.1:5353", "127.0.0.1", 5353),
     ("[::1]:5300", "::1", 5300), ("::1", "::1", 53)],
)  # fmt: skip
def test_resolver_host_and_port(text: str, host: str, port: int) -> None:
    resolver = make_resolver(text, 1.0)
    assert (resolver.nameservers, resolver.port) == ([host], port)


def test_a_resolver_must_be_an_address() -> None:
    with pytest.raises(ValueError, match="does not appear to be an IPv4 or IPv6 address"):
        make_resolver("dns.example:53", 1.0)
