"""DNS lookups of the platform side (approval and discovery), through the resolver the
operator set (``settings.ASM_RESOLVER``, ``HOST[:PORT]``; the system's when empty).

Scans resolve names through the engine itself (``runner``); these helpers serve the
services that run outside a scan. Every lookup has a short timeout and answers an empty
list rather than failing: a name that does not resolve is simply not followed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from django.conf import settings

from mamoru.asm.engine.targets import TargetError, build_plan, parse_resolver


def _timeout() -> float:
    return float(settings.ASM_DNS_TIMEOUT)


def _resolver() -> object:
    import dns.asyncresolver

    configured = str(settings.ASM_RESOLVER)
    if not configured:
        resolver = dns.asyncresolver.Resolver()
    else:
        host, port = parse_resolver(configured)
        resolver = dns.asyncresolver.Resolver(configure=False)
        resolver.nameservers = [host]
        resolver.port = port
    resolver.lifetime = _timeout()
    return resolver


async def addresses_of(name: str) -> list[str]:
    """The A and AAAA addresses of ``name`` (empty when it does not resolve)."""
    try:
        plan = await build_plan(
            [name],
            allow_private=True,
            resolver=str(settings.ASM_RESOLVER) or None,
            timeout=_timeout(),
        )
    except TargetError:
        return []
    return list(plan.groups[0].addresses)


async def records(name: str, rdtype: str) -> list[str]:
    """The records of one type (text form, e.g. ``10 mail.example.jp.`` for MX)."""
    import dns.exception
    import dns.resolver

    resolver = _resolver()
    try:
        answer = await resolver.resolve(name, rdtype, search=False)  # type: ignore[attr-defined]
    except (dns.exception.DNSException, OSError):
        return []
    return [rdata.to_text() for rdata in answer]


def resolve_all(names: Iterable[str]) -> dict[str, list[str]]:
    """The addresses of several names at once (from synchronous code)."""
    wanted = list(dict.fromkeys(names))

    async def gather() -> list[list[str]]:
        return list(await asyncio.gather(*(addresses_of(name) for name in wanted)))

    return dict(zip(wanted, asyncio.run(gather()), strict=True)) if wanted else {}
