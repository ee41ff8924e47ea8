"""Orchestration: targets → port scan → identification of open ports → checks, as a stream.

:func:`run_scan` yields events as they happen — every :class:`PortResult`, then for each
open port the identified :class:`Service` and the :class:`Finding`\\ s of the checks, plus
:class:`DomainReport` for given hostnames and :class:`ScanError` for anything a stage could
not do. A failing stage never ends the scan: it becomes a ``ScanError`` event.

Identification starts as soon as a port is found open; the checks of an address start once
all its ports are answered and its open ports identified, so each check is told its
in-scope canaries for the open-proxy check (:mod:`canaries`): the address's other open
ports, open web services of other addresses of the same scan, and the endpoints the caller
approved (``ScanOptions.canaries``). A service the open-proxy check would test that has no
web canary yet waits — until the scan finds one, or until the scan is over. Only the
addresses in flight are tracked, never the whole plan.

The identification and check stages are injected callables (``typing.Protocol``), so the
orchestration is tested with fakes; :func:`default_stages` finds the real ones
(``mamoru.asm.engine.identify`` and ``mamoru.asm.engine.checks``) when they are installed.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import inspect
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, cast

from mamoru.asm.engine.canaries import Canary, CanaryPool
from mamoru.asm.engine.model import Finding, PortResult, PortState, Service, Target
from mamoru.asm.engine.portscan import PortScanConfig, scan_ports
from mamoru.asm.engine.targets import TargetPlan

if TYPE_CHECKING:
    from mamoru.asm.engine.identify.recog import RecogDatabase

__all__ = [
    "DomainChecker",
    "DomainReport",
    "Identifier",
    "ProgressCallback",
    "ScanError",
    "ScanEvent",
    "ScanOptions",
    "ServiceChecker",
    "Stages",
    "default_stages",
    "run_scan",
]


class Identifier(Protocol):
    """Identify the service on an open port (``mamoru.asm.engine.identify.identify``).

    When the callable also takes ``rtt_hint`` (seconds, or ``None``), it is given the
    host's smoothed round trip measured by the port scan (checked once per scan); when it
    takes ``recog_db``, it is given ``ScanOptions.recog``.
    """

    async def __call__(
        self, ip: str, port: int, *, hostname: str | None, timeout: float
    ) -> Service | None: ...


class ServiceChecker(Protocol):
    """Check an identified service for weaknesses (``mamoru.asm.engine.checks.check_service``).

    When the callable also takes ``canaries``, it is given in-scope endpoints (address,
    port), best first, for the open-proxy check to fetch through the service (see
    :mod:`mamoru.asm.engine.canaries`); a callable that takes only ``canary_ports`` is
    given the other open ports of the same address.
    """

    async def __call__(self, service: Service, *, timeout: float) -> list[Finding]: ...


class DomainChecker(Protocol):
    """DNS and mail checks of a domain (``mamoru.asm.engine.checks.check_domain``)."""

    async def __call__(
        self, domain: str, *, resolver: str | None, timeout: float
    ) -> tuple[list[dict[str, Any]], list[Finding]]: ...


ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each port probe (retries are not counted)."""


@dataclass(frozen=True, slots=True)
class ScanError:
    """Something a stage could not do; the scan goes on."""

    stage: str  # "identify", "checks", "dns"
    message: str
    ip: str | None = None
    port: int | None = None
    hostname: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class DomainReport:
    """The DNS records found for a hostname that was given as a target."""

    domain: str
    records: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"domain": self.domain, "records": list(self.records)}


ScanEvent = PortResult | Service | Finding | DomainReport | ScanError


@dataclass(frozen=True, slots=True)
class Stages:
    """The stages after the port scan; ``None`` skips one."""

    identify: Identifier | None = None
    check_service: ServiceChecker | None = None
    check_domain: DomainChecker | None = None
    # whether check_service would want a web canary for a service (the checks' own answer)
    wants_canary: Callable[[Service], bool] | None = None


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """What to scan and how; ``service_timeout`` is per network operation of a stage."""

    ports: tuple[int, ...]
    portscan: PortScanConfig = field(default_factory=PortScanConfig)
    identify: bool = True
    checks: bool = True
    resolver: str | None = None
    service_timeout: float = 5.0
    stage_timeout: float = 120.0  # a guard around one whole stage call on one port
    identify_concurrency: int = 64
    # approved in-scope endpoints (address, port) the open-proxy check may use as
    # canaries besides what the scan finds; the caller vouches that they are in scope
    canaries: tuple[Canary, ...] = ()
    # Rapid7 Recog's databases (identify.recog.load_recog): a second rule source behind
    # the project's own, for the long tail of products; None leaves it out
    recog: RecogDatabase | None = None


def _optional(module_name: str, attribute: str) -> Any:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            return None  # that engineer's stage is not there yet
        raise
    return getattr(module, attribute, None)


def default_stages() -> Stages:
    """The real identification and check stages, each ``None`` where not installed."""
    return Stages(
        identify=cast(Identifier | None, _optional("mamoru.asm.engine.identify", "identify")),
        check_service=cast(
            ServiceChecker | None, _optional("mamoru.asm.engine.checks", "check_service")
        ),
        check_domain=cast(
            DomainChecker | None, _optional("mamoru.asm.engine.checks", "check_domain")
        ),
        wants_canary=cast(
            Callable[[Service], bool] | None, _optional("mamoru.asm.engine.checks", "wants_canary")
        ),
    )


MAX_WAITING = 256  # services held for a canary at most; beyond, checked without one


class _End(NamedTuple):
    error: BaseException | None


Emit = Callable[[ScanEvent], Awaitable[None]]
HostKey = tuple[str, str | None]


def accepts(function: Callable[..., Any], keyword: str) -> bool:
    """Whether ``function`` takes ``keyword`` (by name, or through ``**kwargs``)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(
        (p.name == keyword and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD))
        or p.kind is p.VAR_KEYWORD
        for p in parameters
    )


class _Host:
    """One address (and the name it was reached by) while its ports are scanned and checked.

    Lives from the moment the port scan draws the target until its last probe is answered
    and its open ports are identified; then its services are checked together (so each
    check knows the host's other open ports) and it is dropped.
    """

    __slots__ = ("identifying", "open_ports", "remaining", "services", "srtt")

    def __init__(self, probes: int) -> None:
        self.remaining = probes  # port results still to come
        self.identifying = 0  # identifications in flight
        self.open_ports: list[int] = []
        self.services: list[Service] = []
        self.srtt: float | None = None  # smoothed round trip, seconds (RFC 6298 weights)

    def observe(self, rtt_ms: float) -> None:
        sample = rtt_ms / 1000
        self.srtt = sample if self.srtt is None else 0.875 * self.srtt + 0.125 * sample

    def settled(self) -> bool:
        return self.remaining <= 0 and self.identifying == 0


class _Run:
    def __init__(
        self, plan: TargetPlan, options: ScanOptions, stages: Stages, progress: ProgressCallback
    ) -> None:
        self.plan = plan
        self.options = options
        self.stages = stages
        self.progress = progress
        self.slots = asyncio.Semaphore(options.identify_concurrency)
        self.pending: set[asyncio.Task[None]] = set()
        self.hosts: dict[HostKey, _Host] = {}
        self.check_service = stages.check_service if options.checks else None
        self.rtt_hint = stages.identify is not None and accepts(stages.identify, "rtt_hint")
        self.recog = (
            options.recog
            if stages.identify is not None and accepts(stages.identify, "recog_db")
            else None
        )
        self.canary_keyword = next(
            (
                keyword
                for keyword in ("canaries", "canary_ports")
                if self.check_service is not None and accepts(self.check_service, keyword)
            ),
            None,
        )
        self.pool = CanaryPool(options.canaries)
        # services that wait for a web canary: (service, its address's services, open ports)
        self.waiting: list[tuple[Service, list[Service], list[int]]] = []

    def _spawn(self, coroutine: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)

    async def _guarded(
        self, emit: Emit, stage: str, where: dict[str, Any], call: Awaitable[Any]
    ) -> Any:
        try:
            async with asyncio.timeout(self.options.stage_timeout):
                return await call
        except TimeoutError:
            await emit(ScanError(stage, "timed out", **where))
        except Exception as error:  # a stage's bug must not end the scan
            await emit(ScanError(stage, f"{type(error).__name__}: {error}", **where))
        return None

    def _tracked(
        self, items: Iterable[tuple[Target, tuple[int, ...]]]
    ) -> Iterator[tuple[Target, tuple[int, ...]]]:
        # the port scan draws targets a group at a time, so only the hosts of the groups
        # in flight are tracked, never the whole plan
        for target, ports in items:
            key = (target.ip, target.hostname)
            host = self.hosts.get(key)
            if host is None:
                self.hosts[key] = _Host(len(ports))
            else:  # the same target given twice: its results are awaited together
                host.remaining += len(ports)
            yield target, ports

    async def _identify(self, emit: Emit, key: HostKey, host: _Host, result: PortResult) -> None:
        try:
            identify = self.stages.identify
            assert identify is not None
            extra: dict[str, Any] = {"rtt_hint": host.srtt} if self.rtt_hint else {}
            if self.recog is not None:
                extra["recog_db"] = self.recog
            call = identify(
                result.ip,
                result.port,
                hostname=result.hostname,
                timeout=self.options.service_timeout,
                **extra,
            )
            where = {"ip": result.ip, "port": result.port, "hostname": result.hostname}
            service = await self._guarded(emit, "identify", where, call)
            if isinstance(service, Service):
                host.services.append(service)
                await emit(service)
                if self.pool.offer(service):
                    self._release(emit)
        finally:
            host.identifying -= 1
            self.slots.release()
            self._settle(emit, key, host)

    def _settle(self, emit: Emit, key: HostKey, host: _Host) -> None:
        if not host.settled() or self.hosts.get(key) is not host:
            return
        del self.hosts[key]
        if self.check_service is not None:
            for service in host.services:
                self._check_or_wait(emit, service, host.services, host.open_ports)

    def _check_or_wait(
        self, emit: Emit, service: Service, neighbours: list[Service], open_ports: list[int]
    ) -> None:
        canaries, has_web = self.pool.for_service(service, neighbours, open_ports)
        wants = self.stages.wants_canary
        if (
            not has_web
            and self.canary_keyword == "canaries"
            and wants is not None
            and wants(service)
            and len(self.waiting) < MAX_WAITING
        ):
            self.waiting.append((service, neighbours, open_ports))
            return
        self._spawn(self._check(emit, service, canaries))

    def _release(self, emit: Emit) -> None:
        """Check the services that waited for a canary, with the canaries known now."""
        waiting, self.waiting = self.waiting, []
        for service, neighbours, open_ports in waiting:
            canaries, _ = self.pool.for_service(service, neighbours, open_ports)
            self._spawn(self._check(emit, service, canaries))

    def _canary_arguments(self, service: Service, canaries: tuple[Canary, ...]) -> dict[str, Any]:
        if self.canary_keyword == "canaries":
            return {"canaries": canaries}
        if self.canary_keyword == "canary_ports":
            return {"canary_ports": tuple(port for ip, port in canaries if ip == service.ip)}
        return {}

    async def _check(self, emit: Emit, service: Service, canaries: tuple[Canary, ...]) -> None:
        check = self.check_service
        assert check is not None
        extra = self._canary_arguments(service, canaries)
        where = {"ip": service.ip, "port": service.port, "hostname": service.hostname}
        async with self.slots:
            call = check(service, timeout=self.options.service_timeout, **extra)
            findings = await self._guarded(emit, "checks", where, call)
        for finding in findings or ():
            await emit(finding)

    async def _domain(self, emit: Emit, domain: str) -> None:
        check_domain = self.stages.check_domain
        assert check_domain is not None
        outcome = await self._guarded(
            emit,
            "dns",
            {"hostname": domain},
            check_domain(
                domain, resolver=self.options.resolver, timeout=self.options.service_timeout
            ),
        )
        if outcome is None:
            return
        records, findings = outcome
        await emit(DomainReport(domain, tuple(records)))
        for finding in findings:
            await emit(finding)

    async def _port_result(self, emit: Emit, result: PortResult) -> None:
        key = (result.ip, result.hostname)
        host = self.hosts[key]
        host.remaining -= 1
        if result.rtt_ms is not None:
            host.observe(result.rtt_ms)
        if result.state is PortState.OPEN:
            host.open_ports.append(result.port)
            # acquiring before spawning bounds the pending tasks, so a scan with many
            # open ports holds back the port scan instead of piling up work
            await self.slots.acquire()
            host.identifying += 1
            self._spawn(self._identify(emit, key, host, result))
        self._settle(emit, key, host)

    async def drive(self, emit: Emit) -> None:
        if self.options.checks and self.stages.check_domain is not None:
            for domain in self.plan.hostnames():
                self._spawn(self._domain(emit, domain))
        identify = self.options.identify and self.stages.identify is not None
        total = self.plan.probe_count(self.options.ports)
        done = 0
        items = self.plan.items(self.options.ports)
        if identify:
            items = self._tracked(items)
        async for result in scan_ports(items, self.options.portscan):
            done += 1
            await emit(result)
            self.progress(done, total)
            if identify:
                await self._port_result(emit, result)
        while self.pending or self.waiting:
            if not self.pending:
                self._release(emit)  # every address is done: no other canary will come
            await asyncio.gather(*self.pending)

    def cancel(self) -> None:
        for task in self.pending:
            task.cancel()


def _no_progress(done: int, total: int) -> None:
    return None


async def run_scan(
    plan: TargetPlan,
    options: ScanOptions,
    *,
    stages: Stages | None = None,
    progress: ProgressCallback | None = None,
) -> AsyncGenerator[ScanEvent, None]:
    """Scan ``plan`` and yield every event as it happens (see the module docstring).

    ``stages`` defaults to :func:`default_stages`. Memory stays bounded: port results are
    streamed, and at most ``identify_concurrency`` open ports are worked on at once.
    """
    run = _Run(plan, options, stages or default_stages(), progress or _no_progress)
    queue: asyncio.Queue[ScanEvent | _End] = asyncio.Queue(maxsize=1024)

    async def drive() -> None:
        error: BaseException | None = None
        try:
            await run.drive(queue.put)
        except Exception as failure:
            error = failure
            run.cancel()
        await queue.put(_End(error))

    driver = asyncio.create_task(drive())
    try:
        while True:
            event = await queue.get()
            if isinstance(event, _End):
                if event.error is not None:
                    raise event.error
                return
            yield event
    finally:
        driver.cancel()
        run.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(driver, *run.pending, return_exceptions=True)
