"""An open Squid proxy from the lab: named Squid (never a VPN), and reported as an open proxy
with an in-scope canary from the same scan or from the approved scope — never another one."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import pytest

from mamoru.asm.engine.identify import identify
from mamoru.asm.engine.model import Finding, Service
from mamoru.asm.engine.scanner import ScanEvent, ScanOptions, default_stages, run_scan
from mamoru.asm.engine.targets import build_plan
from mamoru.asm.engine.tests.lab.servers import Endpoint, Lab

pytestmark = pytest.mark.lab


def scan(
    addresses: list[str], ports: tuple[int, ...], canaries: tuple[tuple[str, int], ...] = ()
) -> list[ScanEvent]:
    async def go() -> list[ScanEvent]:
        plan = await build_plan(addresses, allow_private=True)
        options = ScanOptions(ports=ports, service_timeout=3.0, canaries=canaries)
        return [event async for event in run_scan(plan, options, stages=default_stages())]

    return asyncio.run(go())


def findings(events: list[ScanEvent], kind: str) -> list[Finding]:
    return [e for e in events if isinstance(e, Finding) and e.kind == kind]


def relayed_hosts(lab: Lab, since: int) -> set[str]:
    """The hosts Squid was asked to reach (absolute URLs, CONNECT) after ``since`` lines."""
    hosts = set()
    for url in lab.proxy_log()[since:]:
        if "://" in url:
            hosts.add(urlsplit(url).hostname or "")
        elif not url.startswith(("/", "error:")):
            hosts.add(url.rsplit(":", 1)[0])  # CONNECT host:port
    return hosts


def test_squid_is_named_squid_and_never_a_vpn(lab_squid: Endpoint) -> None:
    service = asyncio.run(identify(lab_squid.ip, lab_squid.port, timeout=3))
    assert service is not None
    assert (service.service, service.product) == ("http", "Squid")
    assert service.version
    assert "vpn" not in service.extra
    assert service.extra.get("http_proxy") == "true"
    # the error page did repeat the portal paths we asked for: that is what must not count
    assert not any(e.probe.startswith("vpn-") for e in service.evidence)


def test_a_scan_of_squid_alone_has_no_vpn_and_asks_for_nothing_outside(
    lab: Lab, lab_squid: Endpoint
) -> None:
    before = len(lab.proxy_log())
    events = scan([lab_squid.ip], (lab_squid.port,))
    services = [e for e in events if isinstance(e, Service)]
    assert [s.product for s in services] == ["Squid"]
    assert not findings(events, "vpn-appliance")
    assert not findings(events, "open-proxy")  # no in-scope canary anywhere: nothing asked
    # only the CONNECT that identification sends to the proxy's own address
    assert relayed_hosts(lab, before) <= {lab_squid.ip}


def test_another_address_of_the_same_scan_is_the_canary(
    lab: Lab, lab_squid: Endpoint, lab_nginx: Lab
) -> None:
    web = lab_nginx.endpoints["http"]
    before = len(lab.proxy_log())
    events = scan([lab_squid.ip, web.ip], (lab_squid.port, web.port))
    found = findings(events, "open-proxy")
    assert [(f.ip, f.port) for f in found] == [(lab_squid.ip, lab_squid.port)]
    assert found[0].details["canary"] == f"http://{web.ip}:{web.port}/"
    assert not findings(events, "vpn-appliance")
    assert relayed_hosts(lab, before) <= {lab_squid.ip, web.ip}


def test_an_approved_endpoint_of_the_scope_is_the_canary(
    lab: Lab, lab_squid: Endpoint, lab_apache: Endpoint
) -> None:
    before = len(lab.proxy_log())
    events = scan([lab_squid.ip], (lab_squid.port,), canaries=((lab_apache.ip, lab_apache.port),))
    found = findings(events, "open-proxy")
    assert len(found) == 1
    assert found[0].details["canary"] == f"http://{lab_apache.ip}:{lab_apache.port}/"
    assert relayed_hosts(lab, before) <= {lab_squid.ip, lab_apache.ip}
