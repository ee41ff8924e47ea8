"""Open-proxy check, verified only against an in-scope canary.

The proxy is asked to fetch ``http://<canary address>:<canary port>/`` — a page the scan
itself found open on an in-scope address (another port of the scanned host, another
address of the same scan) or one of the approved in-scope endpoints the caller passed —
and never any other address. It is an open proxy only if what comes back through it is
the canary page itself, and that page differs from what the proxy port serves on its own:
a plain web server that answers absolute URLs with its own page (nginx does) is not a
proxy.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from mamoru.asm.engine.canaries import Canary
from mamoru.asm.engine.checks._net import HttpResponse, http_request
from mamoru.asm.engine.checks.catalogue import new_finding
from mamoru.asm.engine.httpwire import host_header
from mamoru.asm.engine.model import Evidence, Finding, Service

MAX_CANARIES = 2


async def _get(ip: str, port: int, target: str, host: str, timeout: float) -> HttpResponse | None:
    try:
        return await http_request(ip, port, target, host=host, tls=False, timeout=timeout)
    except (OSError, TimeoutError, ValueError, EOFError, asyncio.IncompleteReadError):
        return None


def _same(a: HttpResponse | None, b: HttpResponse | None) -> bool:
    return a is not None and b is not None and (a.status, a.body) == (b.status, b.body)


async def open_proxy_check(
    service: Service, *, canaries: Sequence[Canary], timeout: float
) -> list[Finding]:
    """An ``open-proxy`` finding if ``service`` relays a request to one of ``canaries``.

    ``canaries`` must be in scope (the caller's guarantee); the first
    :data:`MAX_CANARIES` other than the service itself are tried, in the order given.
    """
    ip, port = service.ip, service.port
    own_host = host_header(ip, port, None, False)
    tried = [c for c in dict.fromkeys(canaries) if c != (ip, port)][:MAX_CANARIES]
    for canary_ip, canary in tried:
        canary_host = host_header(canary_ip, canary, None, False)
        url = f"http://{canary_host}/"
        direct, own, relayed = await asyncio.gather(
            _get(canary_ip, canary, "/", canary_host, timeout),
            _get(ip, port, "/", own_host, timeout),
            _get(ip, port, url, canary_host, timeout),
        )
        if _same(direct, relayed) and not _same(direct, own):
            assert relayed is not None
            evidence = Evidence("http-proxy-get", f"GET {url} via proxy → {relayed.status_line()}, "
                                f"identical to the canary's own answer")  # fmt: skip
            return [
                new_finding("open-proxy", ip=ip, port=port, hostname=service.hostname,
                            evidence=(evidence,), details={"canary": url})
            ]  # fmt: skip
    return []
