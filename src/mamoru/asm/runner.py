"""One scan job through the engine: scope checked again at scan time, then the scan.

Plain values in, plain values out (no database), so the task can run it in a worker and
the tests can run it alone. The scope is checked again here, when the scan happens, not
only when the asset was approved:

* an address must not be private, loopback or reserved (unless the operator allows it);
* a name is resolved now, and an address it resolves to is followed only when it lies in
  the organisation's approved space — its IP and range assets, and the addresses its
  approved names had when they were approved. Anything else is not scanned, and the
  outcome says so in a note for people.

Only ``domain`` assets get the DNS and mail checks (SPF, DMARC); every other name is
port-scanned with its name (SNI, Host) as the engine does.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from mamoru.asm.engine.model import Finding, PortResult, Service
from mamoru.asm.engine.portscan import PortScanConfig
from mamoru.asm.engine.scanner import DomainReport, ScanError, ScanOptions, Stages, run_scan
from mamoru.asm.engine.targets import (
    TargetError,
    TargetGroup,
    TargetPlan,
    TargetSpec,
    build_plan,
    parse_target,
    scope_violation,
)
from mamoru.asm.scope import ApprovedSpace, Kind, url_host

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RunTarget:
    """One target of a job: an asset (or a part of a range) and the ports to probe."""

    asset_id: int
    kind: str
    target: str  # an address, a range, a name, or a URL's host
    ports: tuple[int, ...]


@dataclass(frozen=True)
class RunSettings:
    """How to scan: limits from settings, and what the operator allows."""

    rate: float
    concurrency: int
    timeout: float = 1.0
    retries: int = 1
    service_timeout: float = 5.0
    allow_private: bool = False
    resolver: str | None = None
    recog_dir: str = ""
    checks: bool = True
    canaries: tuple[tuple[str, int], ...] = ()


@dataclass
class Coverage:
    """What a job really looked at for one asset: addresses (or ranges) and ports."""

    networks: list[str] = field(default_factory=list)
    ports: set[int] = field(default_factory=set)
    domain_checked: bool = False

    def covers(self, ip: str | None, port: int | None) -> bool:
        if ip is None:
            return self.domain_checked
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return False
        inside = any(
            address.version == net.version and address in net
            for net in (ipaddress.ip_network(n) for n in self.networks)
        )
        return inside and (port is None or port in self.ports)


@dataclass
class RunOutcome:
    services: list[tuple[int, Service]] = field(default_factory=list)
    findings: list[tuple[int | None, Finding]] = field(default_factory=list)
    dns: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    coverage: dict[int, Coverage] = field(default_factory=dict)
    probes: int = 0


class _Index:
    """Which asset an address (and the name it was reached by) belongs to."""

    def __init__(self) -> None:
        self.by_name: dict[tuple[str, str], int] = {}
        self.networks: list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, int]] = []

    def add_name(self, name: str, addresses: Iterable[str], asset_id: int) -> None:
        for address in addresses:
            self.by_name.setdefault((name, address), asset_id)

    def add_network(
        self, network: ipaddress.IPv4Network | ipaddress.IPv6Network, asset: int
    ) -> None:
        self.networks.append((network, asset))

    def asset_of(self, ip: str | None, hostname: str | None) -> int | None:
        if ip is None:
            return None
        if hostname and (hostname, ip) in self.by_name:
            return self.by_name[(hostname, ip)]
        address = ipaddress.ip_address(ip)
        for network, asset in self.networks:
            if address.version == network.version and address in network:
                return asset
        return next((a for (_n, i), a in self.by_name.items() if i == ip), None)


@dataclass
class _Planned:
    groups: list[TargetGroup] = field(default_factory=list)
    domains: list[tuple[int, str]] = field(default_factory=list)
    index: _Index = field(default_factory=_Index)


def _name_of(target: RunTarget) -> str:
    return url_host(target.target) if target.kind == Kind.URL else target.target


async def _resolve(name: str, settings: RunSettings) -> tuple[str, ...]:
    plan = await build_plan(
        [name],
        allow_private=True,  # checked below, address by address, with the reason
        resolver=settings.resolver,
        timeout=settings.service_timeout,
    )
    return plan.groups[0].addresses


def _network_group(
    target: RunTarget, spec: TargetSpec, settings: RunSettings, outcome: RunOutcome
) -> TargetGroup | None:
    network = spec.network
    assert network is not None
    reason = None if settings.allow_private else scope_violation(network)
    if reason:
        outcome.notes.append(
            _(
                "%(target)s はインターネットから届かない範囲（%(reason)s）のため、診断しませんでした。"
            )
            % {"target": target.target, "reason": reason}
        )
        return None
    return TargetGroup(TargetSpec(spec.text, network=network, ports=target.ports), network)


def _kept_addresses(
    name: str, addresses: tuple[str, ...], space: ApprovedSpace, settings: RunSettings
) -> tuple[list[str], list[str]]:
    """The addresses of ``name`` inside the approved space, and notes about the others."""
    kept, notes = [], []
    for address in addresses:
        reason = None if settings.allow_private else scope_violation(ipaddress.ip_address(address))
        if reason:
            notes.append(
                _(
                    "%(name)s はインターネットから届かない範囲のアドレス %(address)s"
                    "（%(reason)s）を指しているため、そのアドレスは診断しませんでした。"
                )
                % {"name": name, "address": address, "reason": reason}
            )
        elif not space.contains(address):
            notes.append(
                _(
                    "%(name)s は承認された範囲の外にある %(address)s を指しているため、"
                    "そのアドレスは診断しませんでした。このアドレスも貴団体のものであれば、"
                    "資産を承認し直してください。"
                )
                % {"name": name, "address": address}
            )
        else:
            kept.append(address)
    return kept, notes


async def _name_group(
    target: RunTarget, space: ApprovedSpace, settings: RunSettings, outcome: RunOutcome
) -> tuple[TargetGroup | None, list[str]]:
    name = _name_of(target)
    try:
        addresses = await _resolve(name, settings)
    except TargetError:
        if target.kind != Kind.DOMAIN:  # a domain needs no address of its own
            outcome.notes.append(
                _("%(name)s の名前を解決できなかったため、診断しませんでした。") % {"name": name}
            )
        return None, []
    kept, notes = _kept_addresses(name, addresses, space, settings)
    outcome.notes += notes
    if not kept:
        return None, []
    spec = TargetSpec(name, hostname=name, ports=target.ports)
    return TargetGroup(spec, addresses=tuple(kept)), kept


async def plan_targets(
    targets: Iterable[RunTarget], space: ApprovedSpace, settings: RunSettings, outcome: RunOutcome
) -> _Planned:
    """The engine's plan for ``targets``, with the scope checked again now."""
    planned = _Planned()
    for target in targets:
        coverage = outcome.coverage.setdefault(target.asset_id, Coverage())
        coverage.ports.update(target.ports)
        if target.kind == Kind.DOMAIN:
            planned.domains.append((target.asset_id, target.target))
        try:
            spec = parse_target(_name_of(target))
        except TargetError as error:
            outcome.notes.append(str(error))
            continue
        if spec.network is not None:
            group = _network_group(target, spec, settings, outcome)
            if group is not None and group.network is not None:
                planned.index.add_network(group.network, target.asset_id)
                coverage.networks.append(str(group.network))
        else:
            group, kept = await _name_group(target, space, settings, outcome)
            if group is not None:
                planned.index.add_name(_name_of(target), kept, target.asset_id)
                coverage.networks += [str(ipaddress.ip_network(a)) for a in kept]
        if group is not None and target.ports:
            planned.groups.append(group)
    return planned


@lru_cache(maxsize=4)
def _recog(directory: str) -> Any:
    from mamoru.asm.engine.identify.recog import load_recog

    return load_recog(directory)


def _options(settings: RunSettings) -> ScanOptions:
    portscan = PortScanConfig(
        concurrency=max(1, settings.concurrency),
        rate=settings.rate or None,
        timeout=settings.timeout,
        min_timeout=min(0.1, settings.timeout),
        retries=settings.retries,
    )
    return ScanOptions(
        ports=(),  # every target carries its own ports
        portscan=portscan,
        checks=settings.checks,
        resolver=settings.resolver,
        service_timeout=settings.service_timeout,
        canaries=settings.canaries,
        recog=_recog(settings.recog_dir) if settings.recog_dir else None,
    )


def _stages(settings: RunSettings) -> Stages:
    from mamoru.asm.engine.scanner import default_stages

    found = default_stages()
    return Stages(
        identify=found.identify,
        check_service=found.check_service if settings.checks else None,
        check_domain=None,  # domain checks run for domain assets only (below)
        wants_canary=found.wants_canary,
    )


async def _domain_checks(planned: _Planned, settings: RunSettings, outcome: RunOutcome) -> None:
    from mamoru.asm.engine.checks import DnsCheckError, check_domain

    for asset_id, domain in planned.domains:
        try:
            records, findings = await check_domain(
                domain, resolver=settings.resolver, timeout=settings.service_timeout
            )
        except (DnsCheckError, ValueError) as error:
            outcome.notes.append(
                _("%(domain)s の DNS を確認できませんでした: %(error)s")
                % {"domain": domain, "error": error}
            )
            continue
        outcome.coverage[asset_id].domain_checked = True
        outcome.dns[asset_id] = list(records)
        outcome.findings += [(asset_id, finding) for finding in findings]


def _record(event: object, planned: _Planned, outcome: RunOutcome) -> None:
    if isinstance(event, Service):
        asset = planned.index.asset_of(event.ip, event.hostname)
        if asset is not None:
            outcome.services.append((asset, event))
    elif isinstance(event, Finding):
        outcome.findings.append((planned.index.asset_of(event.ip, event.hostname), event))
    elif isinstance(event, ScanError):
        where = f"{event.ip}:{event.port}" if event.port else (event.ip or event.hostname or "")
        outcome.errors.append(f"{event.stage} {where}: {event.message}".strip())
    elif isinstance(event, DomainReport):
        return


async def scan_targets(
    targets: Iterable[RunTarget],
    space: ApprovedSpace,
    settings: RunSettings,
    progress: Progress | None = None,
) -> RunOutcome:
    """Scan ``targets`` (in the running event loop) and collect what was found."""
    outcome = RunOutcome()
    planned = await plan_targets(targets, space, settings, outcome)
    domain_work = asyncio.ensure_future(
        _domain_checks(planned, settings, outcome) if settings.checks else asyncio.sleep(0)
    )
    if planned.groups:
        plan = TargetPlan(tuple(planned.groups))
        events = run_scan(plan, _options(settings), stages=_stages(settings), progress=progress)
        async for event in events:
            if isinstance(event, PortResult):
                outcome.probes += 1
            else:
                _record(event, planned, outcome)
    await domain_work
    return outcome


def run_targets(
    targets: Iterable[RunTarget],
    space: ApprovedSpace,
    settings: RunSettings,
    progress: Progress | None = None,
) -> RunOutcome:
    """Scan ``targets`` in an event loop of its own (a worker thread has none)."""
    return asyncio.run(scan_targets(list(targets), space, settings, progress))


def probe_estimate(targets: Iterable[RunTarget]) -> int:
    """How many (address, port) probes a job will send, before names are resolved."""
    total = 0
    for target in targets:
        try:
            spec = parse_target(_name_of(target))
        except TargetError:
            continue
        count = spec.network.num_addresses if spec.network is not None else 1
        total += count * len(target.ports)
    return total
