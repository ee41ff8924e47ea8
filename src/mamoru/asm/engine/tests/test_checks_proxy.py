"""Open-proxy check: an in-process forward proxy, verified only against an in-scope canary."""

from __future__ import annotations

import asyncio

import pytest

from mamoru.asm.engine.checks import check_service
from mamoru.asm.engine.model import Finding, Service
from mamoru.asm.engine.tests.inprocess import CANARY, forward_proxy, http_site, serve
from mamoru.asm.engine.tests.lab.servers import Lab


def test_a_proxy_relaying_to_the_canary_is_open() -> None:
    async def run() -> list[Finding]:
        async with serve(http_site(CANARY)) as canary, serve(forward_proxy) as proxy:
            service = Service("127.0.0.1", proxy, "http", extra={"http_proxy": "true"})
            return await check_service(service, timeout=2, canary_ports=[canary])

    found = [f for f in asyncio.run(run()) if f.kind == "open-proxy"]
    assert len(found) == 1
    assert found[0].details["canary"].startswith("http://127.0.0.1:")


def test_without_a_canary_port_nothing_is_asked() -> None:
    async def run() -> list[Finding]:
        async with serve(forward_proxy) as proxy:
            return await check_service(Service("127.0.0.1", proxy, "http"), timeout=2)

    assert "open-proxy" not in {f.kind for f in asyncio.run(run())}


@pytest.mark.lab
def test_a_web_server_answering_absolute_urls_is_not_a_proxy(lab_nginx: Lab) -> None:
    # nginx serves its own page for "GET http://other:port/": that must not look relayed.
    web, other = lab_nginx.endpoints["http"], lab_nginx.endpoints["tls-good"]
    service = Service(web.ip, web.port, "http")
    found = asyncio.run(check_service(service, timeout=2, canary_ports=[other.port, web.port]))
    assert "open-proxy" not in {f.kind for f in found}
