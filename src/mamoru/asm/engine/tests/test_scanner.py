from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from mamoru.asm.engine.model import (
    Evidence,
    Finding,
    PortResult,
    PortState,
    Service,
    Severity,
)
from mamoru.asm.engine.portscan import PortScanConfig
from mamoru.asm.engine.scanner import (
    DomainReport,
    ScanError,
    ScanEvent,
    ScanOptions,
    Stages,
    run_scan,
)
from mamoru.asm.engine.targets import TargetGroup, TargetPlan, parse_target
from mamoru.asm.engine.tests.inprocess import closed_port, listeners, loopback_plan

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


class FakeStages:
    def __init__(self, identify_delay: float = 0.0) -> None:
        self.identify_delay = identify_delay
        self.in_flight = 0
        self.most_in_flight = 0
        self.identified: list[tuple[str, int, str | None, float]] = []

    async def identify(
        self, ip: str, port: int, *, hostname: str | None, timeout: float
    ) -> Service | None:
        self.identified.append((ip, port, hostname, timeout))
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.identify_delay)
        finally:
            self.in_flight -= 1
        return Service(ip, port, "http", product="nginx", version="1.22.1", hostname=hostname,
                       evidence=(Evidence("http-get", "Server: nginx/1.22.1", "http-nginx"),))  # fmt: skip

    async def check_service(self, service: Service, *, timeout: float) -> list[Finding]:
        return [Finding("http-directory-listing", Severity.MEDIUM, "ディレクトリ一覧が公開されています",
                        ip=service.ip, port=service.port)]  # fmt: skip

    async def check_domain(
        self, domain: str, *, resolver: str | None, timeout: float
    ) -> tuple[list[dict[str, Any]], list[Finding]]:
        records = [{"type": "MX", "value": f"mail.{domain}", "resolver": resolver}]
        return records, [
            Finding("dmarc-missing", Severity.MEDIUM, "DMARC が設定されていません", hostname=domain)
        ]

    def stages(self) -> Stages:
        return Stages(self.identify, self.check_service, self.check_domain)


def scan(
    plan: TargetPlan, options: ScanOptions, stages: Stages
) -> tuple[list[ScanEvent], list[tuple[int, int]]]:
    progress: list[tuple[int, int]] = []

    async def scenario() -> list[ScanEvent]:
        return [event async for event in run_scan(plan, options, stages=stages,
                                                  progress=lambda d, t: progress.append((d, t)))]  # fmt: skip

    return run(scenario()), progress


def test_open_ports_are_identified_and_checked_and_names_get_dns_checks() -> None:
    fake = FakeStages()

    async def scenario() -> list[ScanEvent]:
        async with listeners(2) as ports:
            options = ScanOptions(ports=(*ports, closed_port()), resolver="127.0.0.1:5353",
                                  service_timeout=3.0)  # fmt: skip
            plan = loopback_plan("www.example.test")
            return [event async for event in run_scan(plan, options, stages=fake.stages())]

    events = run(scenario())
    results = [e for e in events if isinstance(e, PortResult)]
    services = [e for e in events if isinstance(e, Service)]
    findings = [e for e in events if isinstance(e, Finding)]
    reports = [e for e in events if isinstance(e, DomainReport)]
    assert len(results) == 3
    assert sorted(r.state.value for r in results) == ["closed", "open", "open"]
    assert len(services) == 2
    assert {s.hostname for s in services} == {"www.example.test"}
    assert {(ip, hostname, timeout) for ip, _, hostname, timeout in fake.identified} == {
        ("127.0.0.1", "www.example.test", 3.0)
    }
    assert sorted(f.kind for f in findings) == [
        "dmarc-missing", "http-directory-listing", "http-directory-listing",
    ]  # fmt: skip
    assert reports == [
        DomainReport(
            "www.example.test",
            ({"type": "MX", "value": "mail.www.example.test", "resolver": "127.0.0.1:5353"},),
        )
    ]
    # a service is announced after its port, a finding after its service
    first_open = next(
        i for i, e in enumerate(events) if isinstance(e, PortResult) and e.state is PortState.OPEN
    )
    assert first_open < next(i for i, e in enumerate(events) if isinstance(e, Service))


def test_disabled_stages_are_skipped() -> None:
    fake = FakeStages()

    async def scenario() -> list[ScanEvent]:
        async with listeners(1) as ports:
            options = ScanOptions(ports=tuple(ports), identify=False, checks=False)
            return [
                e async for e in run_scan(loopback_plan("x.test"), options, stages=fake.stages())
            ]

    events = run(scenario())
    assert [type(e).__name__ for e in events] == ["PortResult"]
    assert fake.identified == []


def test_progress_counts_every_probe_up_to_the_total() -> None:
    fake = FakeStages()
    ports = tuple(closed_port() for _ in range(5))
    plan = TargetPlan(
        (TargetGroup(parse_target("127.0.4.0/30"), network=parse_target("127.0.4.0/30").network),)
    )
    events, progress = scan(plan, ScanOptions(ports=ports), fake.stages())
    assert len(events) == 20
    assert progress[-1] == (20, 20)
    assert [done for done, _ in progress] == list(range(1, 21))


def test_a_failing_or_hanging_stage_becomes_an_error_event() -> None:
    async def broken(ip: str, port: int, *, hostname: str | None, timeout: float) -> Service | None:
        raise RuntimeError("probe crashed")

    async def hanging(service: Service, *, timeout: float) -> list[Finding]:
        await asyncio.sleep(60)
        return []

    async def working(
        ip: str, port: int, *, hostname: str | None, timeout: float
    ) -> Service | None:
        return Service(ip, port, "ssh")

    async def scenario(stages: Stages) -> list[ScanEvent]:
        async with listeners(1) as ports:
            options = ScanOptions(ports=tuple(ports), stage_timeout=0.2)
            return [e async for e in run_scan(loopback_plan(), options, stages=stages)]

    events = run(scenario(Stages(identify=broken)))
    errors = [e for e in events if isinstance(e, ScanError)]
    assert len(errors) == 1
    assert (errors[0].stage, errors[0].message, errors[0].ip) == (
        "identify",
        "RuntimeError: probe crashed",
        "127.0.0.1",
    )

    events = run(scenario(Stages(identify=working, check_service=hanging)))
    assert [type(e).__name__ for e in events] == ["PortResult", "Service", "ScanError"]
    assert events[-1] == ScanError("checks", "timed out", "127.0.0.1", events[0].port)  # type: ignore[union-attr]


def test_unidentified_open_ports_yield_no_service() -> None:
    async def unknown(
        ip: str, port: int, *, hostname: str | None, timeout: float
    ) -> Service | None:
        return None

    async def scenario() -> list[ScanEvent]:
        async with listeners(1) as ports:
            return [
                e
                async for e in run_scan(
                    loopback_plan(),
                    ScanOptions(ports=tuple(ports)),
                    stages=Stages(identify=unknown),
                )
            ]

    assert [type(e).__name__ for e in run(scenario())] == ["PortResult"]


def test_identification_concurrency_is_bounded() -> None:
    fake = FakeStages(identify_delay=0.05)

    async def scenario() -> list[ScanEvent]:
        async with listeners(12) as ports:
            options = ScanOptions(ports=tuple(ports), identify_concurrency=3,
                                  portscan=PortScanConfig(concurrency=12))  # fmt: skip
            return [e async for e in run_scan(loopback_plan(), options, stages=fake.stages())]

    events = run(scenario())
    assert sum(isinstance(e, Service) for e in events) == 12
    assert fake.most_in_flight == 3
