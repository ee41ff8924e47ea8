"""Where the current request comes from, so ``audit_record`` can fill ``ip_address``.

``AuditContextMiddleware`` (``mamoru.audit.context.AuditContextMiddleware``) stores the
client address in a context variable for the duration of each request; tasks and
commands have none and record no address. Without the middleware ``audit_record``
still works, it just leaves the address empty unless the caller passes one.

The address is ``REMOTE_ADDR``. ``X-Forwarded-For`` is believed only when
``settings.MAMORU_TRUSTED_PROXY_COUNT`` says how many reverse proxies stand in front
of the platform: with *N* proxies the client is the *N*-th address from the right
(each proxy appends the address it saw; anything further left was sent by the client
and may be forged).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None


_current: ContextVar[RequestContext | None] = ContextVar("mamoru_audit_request", default=None)


def normalise_ip(value: str | None) -> str | None:
    """The canonical text of an address (as the database returns it), or None if invalid."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


def client_address(request: HttpRequest) -> str | None:
    """The client's address, trusting ``X-Forwarded-For`` only behind configured proxies."""
    remote = normalise_ip(request.META.get("REMOTE_ADDR"))
    proxies = int(getattr(settings, "MAMORU_TRUSTED_PROXY_COUNT", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    candidate = hops[-proxies] if len(hops) >= proxies else hops[0]
    return normalise_ip(candidate) or remote


def current_ip_address() -> str | None:
    """The address of the request being served in this context, if any."""
    context = _current.get()
    return context.ip_address if context is not None else None


@contextmanager
def request_context(*, ip_address: str | None) -> Iterator[RequestContext]:
    """Attribute audit entries written inside the block to ``ip_address``."""
    context = RequestContext(ip_address=normalise_ip(ip_address))
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


class AuditContextMiddleware:
    """Records each request's client address for the audit log (sync and async)."""

    sync_capable = True
    async_capable = True

    def __init__(
        self, get_response: Callable[[HttpRequest], HttpResponse | Awaitable[HttpResponse]]
    ) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        if self.is_async:
            return self.__acall__(request)
        with request_context(ip_address=client_address(request)):
            return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        with request_context(ip_address=client_address(request)):
            response = self.get_response(request)
            assert not isinstance(response, HttpResponse)  # an async chain returns awaitables
            return await response
