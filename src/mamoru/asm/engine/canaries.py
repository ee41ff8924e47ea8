"""In-scope canaries for the open-proxy check: pages a suspected proxy is asked to fetch.

A proxy is open when it relays a request to a page we can also fetch directly and the two
answers agree. That page must be in scope, so it is only ever one of:

1. another open port of the scanned address itself;
2. an open plain-HTTP service found on another address of the same scan (every address of
   the plan passed the scope checks);
3. an endpoint the caller approved (``ScanOptions.canaries``: the organisation's approved
   scope, which the platform passes).

Web services come first (a proxy relaying to an SSH port proves nothing), then the
address's other ports. Only a few web services of the scan are remembered, so memory does
not grow with the plan.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence

from mamoru.asm.engine.model import Service

__all__ = ["MAX_REMEMBERED", "Canary", "CanaryPool", "is_web_canary"]

Canary = tuple[str, int]
"""An in-scope endpoint: (address, port)."""

MAX_REMEMBERED = 8


def is_web_canary(service: Service) -> bool:
    """A plain-HTTP page that is neither a proxy nor a VPN portal: a good canary."""
    return (
        service.service == "http"
        and service.tls is None
        and service.extra.get("http_proxy") != "true"
        and service.extra.get("vpn") != "true"
    )


class CanaryPool:
    """The canaries known so far in one scan (see the module docstring)."""

    __slots__ = ("_approved", "_seen")

    def __init__(self, approved: Iterable[Canary] = ()) -> None:
        self._approved: tuple[Canary, ...] = tuple(dict.fromkeys(approved))
        self._seen: deque[Canary] = deque(maxlen=MAX_REMEMBERED)

    def offer(self, service: Service) -> bool:
        """Remember ``service`` if it is a web canary not known yet; whether it was new."""
        endpoint = (service.ip, service.port)
        if not is_web_canary(service) or endpoint in self._seen:
            return False
        self._seen.append(endpoint)
        return True

    def for_service(
        self, service: Service, neighbours: Sequence[Service], open_ports: Sequence[int]
    ) -> tuple[tuple[Canary, ...], bool]:
        """Canaries for ``service``, best first, and whether any of them is a web page.

        ``neighbours`` are the identified services of the same address, ``open_ports``
        all its open ports.
        """
        own = (service.ip, service.port)
        web = [(s.ip, s.port) for s in neighbours if is_web_canary(s)]
        web += [c for c in reversed(self._seen) if c[0] != service.ip]
        web += self._approved
        others = [(service.ip, port) for port in open_ports]
        ordered = [c for c in dict.fromkeys([*web, *others]) if c != own]
        return tuple(ordered), any(c != own for c in web)
