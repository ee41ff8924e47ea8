"""The scanner's per-address stage: checks after the address is scanned, with canaries."""

from __future__ import annotations

import asyncio
from typing import Any

from mamoru.asm.engine.model import Finding, PortResult, PortState, Service, Severity
from mamoru.asm.engine.portscan import PortScanConfig
from mamoru.asm.engine.scanner import (
    ScanEvent,
    ScanOptions,
    Stages,
    accepts,
    default_stages,
    run_scan,
)
from mamoru.asm.engine.targets import TargetGroup, TargetPlan, parse_target
from mamoru.asm.engine.tests.inprocess import (
    CANARY,
    closed_port,
    forward_proxy,
    http_site,
    listeners,
    loopback_plan,
    serve,
)


def plan_of(*networks: str) -> TargetPlan:
    groups = []
    for text in networks:
        spec = parse_target(text)
        groups.append(TargetGroup(spec, network=spec.network))
    return TargetPlan(tuple(groups))


class Recorder:
    """Stages that record what they were given, and when."""

    def __init__(self) -> None:
        self.hints: list[float | None] = []
        self.canaries: dict[tuple[str, int], tuple[int, ...]] = {}
        self.results_seen_at_check: dict[str, int] = {}
        self.results: dict[str, int] = {}

    async def identify(
        self,
        ip: str,
        port: int,
        *,
        hostname: str | None,
        timeout: float,
        rtt_hint: float | None = None,
    ) -> Service | None:
        self.hints.append(rtt_hint)
        return Service(ip, port, "http")

    async def check_service(
        self, service: Service, *, timeout: float, canary_ports: tuple[int, ...] = ()
    ) -> list[Finding]:
        self.canaries[service.ip, service.port] = canary_ports
        self.results_seen_at_check[service.ip] = self.results.get(service.ip, 0)
        return [Finding("x-checked", Severity.INFO, "確認", ip=service.ip, port=service.port)]


def test_checks_get_the_other_open_ports_of_the_address_after_its_scan() -> None:
    recorder = Recorder()
    stages = Stages(identify=recorder.identify, check_service=recorder.check_service)

    async def scenario() -> tuple[list[ScanEvent], list[int], int]:
        async with listeners(3) as ports:
            closed = closed_port()
            options = ScanOptions(ports=(*ports, closed))
            events = []
            async for event in run_scan(plan_of("127.0.0.1/32", "127.0.9.0/30"), options,
                                        stages=stages):  # fmt: skip
                if isinstance(event, PortResult):
                    recorder.results[event.ip] = recorder.results.get(event.ip, 0) + 1
                events.append(event)
            return events, ports, closed

    events, ports, _ = asyncio.run(scenario())
    assert set(recorder.canaries) == {("127.0.0.1", port) for port in ports}
    for port in ports:
        assert sorted(recorder.canaries["127.0.0.1", port]) == sorted(set(ports) - {port})
    # every port of the address was answered before its checks began
    assert recorder.results_seen_at_check == {"127.0.0.1": 4}
    # the port scan's round trip reached identification as a hint, in seconds
    assert len(recorder.hints) == 3
    assert all(hint is not None and 0 < hint < 1 for hint in recorder.hints)
    assert sum(isinstance(e, Finding) for e in events) == 3


def test_stages_without_the_new_keywords_still_work() -> None:
    async def identify(ip: str, port: int, *, hostname: str | None, timeout: float) -> Service:
        return Service(ip, port, "ssh")

    async def check(service: Service, *, timeout: float) -> list[Finding]:
        return [Finding("x", Severity.INFO, "x", ip=service.ip, port=service.port)]

    async def scenario() -> list[ScanEvent]:
        async with listeners(2) as ports:
            stages = Stages(identify=identify, check_service=check)
            return [e async for e in run_scan(loopback_plan(), ScanOptions(ports=tuple(ports)),
                                              stages=stages)]  # fmt: skip

    events = asyncio.run(scenario())
    assert [type(e).__name__ for e in events].count("Finding") == 2
    assert not any(type(e).__name__ == "ScanError" for e in events)


def test_accepts_reads_signatures() -> None:
    def plain(a: int, *, timeout: float) -> None: ...
    def hinted(a: int, *, timeout: float, rtt_hint: float | None = None) -> None: ...
    def anything(a: int, **kwargs: Any) -> None: ...

    assert not accepts(plain, "rtt_hint")
    assert accepts(hinted, "rtt_hint")
    assert accepts(anything, "rtt_hint")
    assert not accepts(len, "rtt_hint")


def test_an_address_with_one_open_port_among_many_hosts_gets_no_canary() -> None:
    seen: list[int] = []

    async def identify(ip: str, port: int, *, hostname: str | None, timeout: float) -> Service:
        return Service(ip, port, "http")

    async def check(service: Service, *, timeout: float, canary_ports: Any = ()) -> list[Finding]:
        seen.append(len(canary_ports))
        return []

    async def scenario() -> int:
        async with listeners(1) as ports:
            config = PortScanConfig(concurrency=64, host_group=16, rate=None)
            options = ScanOptions(ports=(ports[0], closed_port()), portscan=config)
            plan = plan_of("127.0.0.1/32", "127.0.10.0/24")
            count = 0
            async for event in run_scan(plan, options, stages=Stages(identify, check)):
                count += isinstance(event, PortResult) and event.state is PortState.OPEN
            return count

    assert asyncio.run(scenario()) == 1
    assert seen == [0]  # one open port on its address: no canary


def test_an_open_proxy_is_reported_by_a_full_scan() -> None:
    stages = default_stages()
    assert stages.identify is not None
    assert stages.check_service is not None

    async def scenario() -> list[ScanEvent]:
        async with serve(http_site(CANARY)) as canary, serve(forward_proxy) as proxy:
            options = ScanOptions(ports=(canary, proxy, closed_port()), service_timeout=2.0)
            return [e async for e in run_scan(loopback_plan(), options, stages=stages)]

    events = asyncio.run(scenario())
    proxies = [e for e in events if isinstance(e, Finding) and e.kind == "open-proxy"]
    assert len(proxies) == 1, [e for e in events if not isinstance(e, PortResult)]
    assert proxies[0].ip == "127.0.0.1"
    assert proxies[0].details["canary"].startswith("http://127.0.0.1:")


class ProxyAndWeb:
    """Fake stages: 127.0.12.1 is a proxy, 127.0.12.2 a web page found later."""

    PROXY, WEB = "127.0.12.1", "127.0.12.2"

    def __init__(self, *, web_delay: float) -> None:
        self.web_delay = web_delay
        self.given: dict[str, tuple[tuple[str, int], ...]] = {}

    async def identify(
        self, ip: str, port: int, *, hostname: str | None, timeout: float
    ) -> Service:
        if ip == self.PROXY:
            return Service(ip, port, "http", extra={"http_proxy": "true"})
        await asyncio.sleep(self.web_delay)  # the proxy's address is done long before
        return Service(ip, port, "http")

    async def check(
        self, service: Service, *, timeout: float, canaries: tuple[tuple[str, int], ...] = ()
    ) -> list[Finding]:
        self.given[service.ip] = canaries
        return []

    def stages(self) -> Stages:
        return Stages(self.identify, self.check, wants_canary=lambda s: s.service == "http")


def _scan_two(fake: ProxyAndWeb, *, web_listens: bool) -> int:
    """Scan both addresses on the ports of a proxy and (maybe) a web page; the web port."""

    async def scenario() -> int:
        async with serve(http_site(CANARY), ProxyAndWeb.PROXY) as proxy:
            if not web_listens:
                await _scan(fake, (proxy, closed_port()))
                return 0
            async with serve(http_site(CANARY), ProxyAndWeb.WEB) as web:
                await _scan(fake, (proxy, web))
                return web

    return asyncio.run(scenario())


async def _scan(fake: ProxyAndWeb, ports: tuple[int, ...]) -> None:
    plan = plan_of(f"{ProxyAndWeb.PROXY}/32", f"{ProxyAndWeb.WEB}/32")
    async for _ in run_scan(plan, ScanOptions(ports=ports), stages=fake.stages()):
        pass


def test_a_proxy_alone_on_its_address_waits_for_a_canary_from_another_address() -> None:
    fake = ProxyAndWeb(web_delay=0.3)
    web = _scan_two(fake, web_listens=True)
    assert fake.given[ProxyAndWeb.PROXY] == ((ProxyAndWeb.WEB, web),)
    assert fake.given[ProxyAndWeb.WEB] == ()  # the proxy is no canary; nothing else is open


def test_without_any_web_page_in_scope_the_check_still_runs_at_the_end() -> None:
    fake = ProxyAndWeb(web_delay=0.0)
    _scan_two(fake, web_listens=False)
    assert fake.given == {ProxyAndWeb.PROXY: ()}
