"""Scan targets: parsing, scope safety, hostname resolution and lazy expansion.

A target is a hostname, an IPv4/IPv6 address, a CIDR range or a URL (its host and port
are taken; ``host:port`` and ``[v6]:port`` are accepted too). Scope safety is built in:
addresses in private, loopback, link-local, multicast, reserved, shared (CGNAT),
benchmarking, documentation and unspecified ranges are refused unless
``allow_private=True``, and so is a range that merely overlaps one. A hostname is
resolved once, up front, and every address it resolves to must pass the same check:
the scan never reaches further than what was given.

Ranges are expanded lazily, one address at a time, so a ``/8`` costs no memory.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mamoru.asm.engine.model import Target

if TYPE_CHECKING:  # dnspython is imported when a name is resolved (start-up of IP-only scans)
    import dns.asyncresolver

__all__ = [
    "MAX_RANGE_ADDRESSES",
    "TargetError",
    "TargetGroup",
    "TargetPlan",
    "TargetSpec",
    "build_plan",
    "parse_canary",
    "parse_resolver",
    "parse_target",
    "read_targets_file",
    "scope_violation",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

MAX_RANGE_ADDRESSES = 1 << 24
"""The largest range accepted (a /8 in IPv4, a /104 in IPv6): bigger ones are mistakes."""

# Why each range is refused. Order matters only for the message when ranges nest.
_REFUSED: tuple[tuple[IPNetwork, str], ...] = tuple(
    (ipaddress.ip_network(net), reason)
    for net, reason in (
        ("0.0.0.0/8", "unspecified / 'this network' (RFC 791)"),
        ("10.0.0.0/8", "private (RFC 1918)"),
        ("100.64.0.0/10", "shared address space / CGNAT (RFC 6598)"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("172.16.0.0/12", "private (RFC 1918)"),
        ("192.0.0.0/24", "IETF protocol assignments (reserved)"),
        ("192.0.2.0/24", "documentation (TEST-NET-1)"),
        ("192.88.99.0/24", "deprecated 6to4 relay anycast (reserved)"),
        ("192.168.0.0/16", "private (RFC 1918)"),
        ("198.18.0.0/15", "benchmarking (RFC 2544)"),
        ("198.51.100.0/24", "documentation (TEST-NET-2)"),
        ("203.0.113.0/24", "documentation (TEST-NET-3)"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("::/96", "deprecated IPv4-compatible (reserved)"),
        ("64:ff9b:1::/48", "local-use NAT64 (RFC 8215)"),
        ("100::/64", "discard-only (RFC 6666)"),
        ("2001::/23", "IETF protocol assignments (reserved)"),
        ("2001:db8::/32", "documentation"),
        ("3fff::/20", "documentation (RFC 9637)"),
        ("fc00::/7", "unique local (private)"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "deprecated site-local"),
        ("ff00::/8", "multicast"),
    )
)

_DEFAULT_SCHEME_PORTS = {
    "http": 80,
    "https": 443,
    "ftp": 21,
    "ftps": 990,
    "ssh": 22,
    "sftp": 22,
    "telnet": 23,
    "smtp": 25,
    "smtps": 465,
    "imap": 143,
    "imaps": 993,
    "pop3": 110,
    "pop3s": 995,
    "ldap": 389,
    "ldaps": 636,
    "rdp": 3389,
    "mysql": 3306,
    "postgres": 5432,
    "postgresql": 5432,
    "redis": 6379,
}

_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


class TargetError(ValueError):
    """A target that cannot be scanned; the message names the target and the reason."""


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """One target as given: either a network (a single address is a /32 or /128) or a name."""

    text: str
    network: IPNetwork | None = None
    hostname: str | None = None
    ports: tuple[int, ...] = ()  # taken from a URL or host:port; scanned besides --ports


def _scope_reason(candidate: IPNetwork) -> str | None:
    for refused, reason in _REFUSED:
        if candidate.version == refused.version and candidate.overlaps(refused):
            return f"{reason}, {refused}"
    return None


def scope_violation(address: IPAddress | IPNetwork) -> str | None:
    """Why ``address`` (or any part of a range) is out of scope, or ``None`` if it is in scope."""
    if isinstance(address, ipaddress.IPv6Address | ipaddress.IPv6Network):
        first = address.network_address if isinstance(address, ipaddress.IPv6Network) else address
        mapped = first.ipv4_mapped
        if mapped is not None:
            return scope_violation(mapped) or None
        if isinstance(address, ipaddress.IPv6Network) and address.overlaps(
            ipaddress.IPv6Network("::ffff:0:0/96")
        ):
            return "IPv4-mapped range, ::ffff:0:0/96"
    network = ipaddress.ip_network(address)
    reason = _scope_reason(network)
    if reason is None and network.num_addresses == 1 and not network.network_address.is_global:
        reason = "not globally routable"
    return reason


def _normalise_hostname(text: str, original: str) -> str:
    name = text.rstrip(".").lower()
    try:
        ascii_name = name.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise TargetError(f"{original!r}: not a valid hostname ({error})") from None
    labels = ascii_name.split(".")
    if len(ascii_name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise TargetError(f"{original!r}: not a valid hostname, IP address, CIDR range or URL")
    return ascii_name


def _port_from_text(text: str, original: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise TargetError(f"{original!r}: bad port {text!r} (ports are 1-65535)")
    return int(text)


def _spec_from_host(host: str, ports: tuple[int, ...], original: str) -> TargetSpec:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return TargetSpec(original, hostname=_normalise_hostname(host, original), ports=ports)
    return TargetSpec(original, network=ipaddress.ip_network(address), ports=ports)


def _parse_url(text: str) -> TargetSpec:
    try:
        parts = urlsplit(text)
        host, port = parts.hostname, parts.port
    except ValueError as error:
        raise TargetError(f"{text!r}: not a valid URL ({error})") from None
    if not host:
        raise TargetError(f"{text!r}: the URL has no host")
    if port is None:
        port = _DEFAULT_SCHEME_PORTS.get(parts.scheme.lower())
    return _spec_from_host(host, (port,) if port else (), text)


def parse_target(text: str) -> TargetSpec:
    """Parse one target. Raises :class:`TargetError` for anything that is not a target."""
    stripped = text.strip()
    if not stripped:
        raise TargetError("empty target")
    if "://" in stripped:
        return _parse_url(stripped)
    if "/" in stripped:
        try:
            network = ipaddress.ip_network(stripped, strict=False)
        except ValueError as error:
            raise TargetError(f"{stripped!r}: not a valid CIDR range ({error})") from None
        return TargetSpec(stripped, network=network)
    bracketed = re.fullmatch(r"\[([0-9a-fA-F:.%\w]+)\]:(\d+)", stripped)
    if bracketed:
        port = _port_from_text(bracketed.group(2), stripped)
        return _spec_from_host(bracketed.group(1), (port,), stripped)
    if stripped.count(":") == 1:
        host, _, port_text = stripped.partition(":")
        return _spec_from_host(host, (_port_from_text(port_text, stripped),), stripped)
    return _spec_from_host(stripped.strip("[]"), (), stripped)


def parse_canary(text: str, *, allow_private: bool) -> tuple[str, int]:
    """Parse an approved canary endpoint, ``IP:PORT`` (``[v6]:PORT``, ``http://IP:PORT/``).

    The same scope rules as for targets apply: a canary is a page the open-proxy check
    asks a proxy to fetch, so it must never lie outside what may be scanned.
    """
    spec = parse_target(text)
    network = spec.network
    if network is None or network.num_addresses != 1 or len(spec.ports) != 1:
        raise TargetError(f"canary {text!r}: expected IP:PORT or http://IP:PORT/")
    reason = None if allow_private else scope_violation(network)
    if reason:
        raise TargetError(
            f"canary {text!r} is out of scope: {reason}; pass --allow-private to use it anyway"
        )
    return str(network.network_address), spec.ports[0]


def read_targets_file(path: str | Path) -> list[str]:
    """The targets in a file: one per line, blank lines and ``#`` comments ignored."""
    try:
        content = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TargetError(f"cannot read targets file {str(path)!r}: {error}") from None
    targets: list[str] = []
    for line in content.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            targets.append(entry)
    return targets


def parse_resolver(text: str) -> tuple[str, int]:
    """Parse ``HOST[:PORT]`` (``[v6]:PORT`` for IPv6 with a port) into an address and port."""
    host, port = text.strip(), 53
    bracketed = re.fullmatch(r"\[([^\]]+)\](?::(\d+))?", host)
    if bracketed:
        host = bracketed.group(1)
        port = int(bracketed.group(2) or 53)
    elif host.count(":") == 1:
        host, _, port_text = host.partition(":")
        if not port_text.isdigit():
            raise TargetError(f"resolver {text!r}: bad port {port_text!r}")
        port = int(port_text)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise TargetError(f"resolver {text!r}: expected an IP address, HOST[:PORT]") from None
    if not 1 <= port <= 65535:
        raise TargetError(f"resolver {text!r}: bad port {port}")
    return host, port


@dataclass(frozen=True, slots=True)
class TargetGroup:
    """One given target after scope checks: a range, or the addresses a name resolved to."""

    spec: TargetSpec
    network: IPNetwork | None = None
    addresses: tuple[str, ...] = ()

    def count(self) -> int:
        """How many addresses this target expands to (without expanding it)."""
        return self.network.num_addresses if self.network is not None else len(self.addresses)

    def __iter__(self) -> Iterator[Target]:
        if self.network is None:
            for address in self.addresses:
                yield Target(address, self.spec.hostname)
            return
        # Integers rather than ip_address objects for IPv4: this loop runs once per address
        # of a range that may be a /8, so it is kept lean; it never builds a list. IPv6 goes
        # through ipaddress because inet_ntop spells ::1.2.3.4 where RFC 5952 wants ::102:304.
        first = int(self.network.network_address)
        numbers = range(first, first + self.network.num_addresses)
        if self.network.version == 4:
            for number in numbers:
                yield Target(socket.inet_ntoa(number.to_bytes(4, "big")))
        else:
            for number in numbers:
                yield Target(str(ipaddress.IPv6Address(number)))


@dataclass(frozen=True, slots=True)
class TargetPlan:
    """Every target of a scan, checked and resolved, expanded only when iterated."""

    groups: tuple[TargetGroup, ...] = field(default_factory=tuple)

    def address_count(self) -> int:
        """The number of addresses to scan."""
        return sum(group.count() for group in self.groups)

    def probe_count(self, ports: Sequence[int]) -> int:
        """The number of (address, port) probes, not counting retries."""
        base = frozenset(ports)
        return sum(group.count() * len(base.union(group.spec.ports)) for group in self.groups)

    def hostnames(self) -> tuple[str, ...]:
        """The hostnames that were given (not those of ranges), in order, once each."""
        names = (group.spec.hostname for group in self.groups if group.spec.hostname)
        return tuple(dict.fromkeys(names))

    def items(self, ports: Sequence[int]) -> Iterator[tuple[Target, tuple[int, ...]]]:
        """Each target with its ports, lazily; targets of one group share one port tuple."""
        base = tuple(ports)
        for group in self.groups:
            group_ports = base
            if group.spec.ports:
                group_ports = tuple(sorted(set(base).union(group.spec.ports)))
            for target in group:
                yield target, group_ports


def _check_network(spec: TargetSpec, network: IPNetwork, allow_private: bool) -> TargetGroup:
    if network.num_addresses > MAX_RANGE_ADDRESSES:
        raise TargetError(
            f"{spec.text!r}: range of {network.num_addresses} addresses is larger than the "
            f"limit of {MAX_RANGE_ADDRESSES} (a /8); split it"
        )
    if isinstance(network, ipaddress.IPv6Network) and network.num_addresses == 1:
        mapped = network.network_address.ipv4_mapped
        if mapped is not None:  # scan the IPv4 address an IPv4-mapped address stands for
            network = ipaddress.ip_network(mapped)
    reason = None if allow_private else scope_violation(network)
    if reason:
        raise TargetError(
            f"{spec.text!r} is out of scope: {reason}; pass --allow-private to scan it anyway"
        )
    return TargetGroup(spec, network=network)


def _make_resolver(resolver: str | None, timeout: float) -> dns.asyncresolver.Resolver:
    import dns.asyncresolver
    import dns.resolver

    if resolver is None:
        try:
            dns_resolver = dns.asyncresolver.Resolver()
        except dns.resolver.NoResolverConfiguration as error:
            raise TargetError(
                f"no system DNS resolver configured ({error}); use --resolver"
            ) from None
    else:
        host, port = parse_resolver(resolver)
        dns_resolver = dns.asyncresolver.Resolver(configure=False)
        dns_resolver.nameservers = [host]
        dns_resolver.port = port
    dns_resolver.lifetime = timeout
    return dns_resolver


async def _lookup(resolver: dns.asyncresolver.Resolver, name: str, rdtype: str) -> list[str]:
    import dns.resolver

    try:
        answer = await resolver.resolve(name, rdtype, search=False)
    except (dns.resolver.NoAnswer, dns.resolver.NXDOMAIN):
        return []
    return [rdata.to_text() for rdata in answer]


async def _resolve(spec: TargetSpec, resolver: dns.asyncresolver.Resolver) -> tuple[str, ...]:
    import dns.exception

    name = spec.hostname or ""
    try:
        answers = await asyncio.gather(
            _lookup(resolver, name, "A"), _lookup(resolver, name, "AAAA")
        )
    except dns.exception.DNSException as error:
        raise TargetError(f"{spec.text!r}: could not be resolved ({error})") from None
    addresses = tuple(dict.fromkeys(answers[0] + answers[1]))
    if not addresses:
        raise TargetError(f"{spec.text!r}: the name has no A or AAAA records")
    return addresses


def _check_resolved(spec: TargetSpec, addresses: Iterable[str], allow_private: bool) -> None:
    if allow_private:
        return
    for address in addresses:
        reason = scope_violation(ipaddress.ip_address(address))
        if reason:
            raise TargetError(
                f"{spec.text!r} resolves to {address}, which is out of scope: {reason}; "
                "pass --allow-private to scan it anyway"
            )


async def _resolve_names(
    specs: Sequence[TargetSpec], allow_private: bool, resolver: str | None, timeout: float
) -> tuple[list[TargetGroup], list[str]]:
    if not specs:
        return [], []
    dns_resolver = _make_resolver(resolver, timeout)
    results = await asyncio.gather(
        *(_resolve(spec, dns_resolver) for spec in specs), return_exceptions=True
    )
    groups: list[TargetGroup] = []
    problems: list[str] = []
    for spec, result in zip(specs, results, strict=True):
        if isinstance(result, TargetError):
            problems.append(str(result))
            continue
        if isinstance(result, BaseException):
            raise result
        try:
            _check_resolved(spec, result, allow_private)
        except TargetError as error:
            problems.append(str(error))
        groups.append(TargetGroup(spec, addresses=result))
    return groups, problems


async def build_plan(
    texts: Iterable[str],
    *,
    allow_private: bool = False,
    resolver: str | None = None,
    timeout: float = 5.0,
) -> TargetPlan:
    """Parse, scope-check and resolve targets. Raises :class:`TargetError` listing every problem.

    ``resolver`` is ``HOST[:PORT]`` of the DNS server to ask; ``None`` uses the system's.
    Targets keep the order they were given in, ranges first (they need no resolution).
    """
    problems: list[str] = []
    ranges: list[TargetGroup] = []
    names: list[TargetSpec] = []
    for text in texts:
        try:
            spec = parse_target(text)
            if spec.network is None:
                names.append(spec)
            else:
                ranges.append(_check_network(spec, spec.network, allow_private))
        except TargetError as error:
            problems.append(str(error))
    if not problems:
        resolved, problems = await _resolve_names(names, allow_private, resolver, timeout)
    if problems:
        raise TargetError("\n".join(problems))
    if not ranges and not names:
        raise TargetError("no targets given")
    return TargetPlan((*ranges, *resolved))
