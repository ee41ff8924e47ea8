"""Inside a request, ``audit_record`` fills in the client's address by itself."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from mamoru.audit.context import (
    AuditContextMiddleware,
    client_address,
    current_ip_address,
    request_context,
)
from mamoru.audit.services import audit_record


def request_from(remote: str, forwarded: str | None = None) -> HttpRequest:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


@pytest.mark.django_db
def test_an_entry_written_during_a_request_carries_the_client_address() -> None:
    seen: list[str | None] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(audit_record(action="test.view").ip_address)
        return HttpResponse()

    AuditContextMiddleware(view)(request_from("203.0.113.7"))
    assert seen == ["203.0.113.7"]
    assert current_ip_address() is None  # nothing leaks past the request


@pytest.mark.django_db
def test_an_explicit_address_wins_and_no_request_means_no_address() -> None:
    with request_context(ip_address="203.0.113.7"):
        assert audit_record(action="t", ip_address="198.51.100.1").ip_address == "198.51.100.1"
    assert audit_record(action="t").ip_address is None


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy() -> None:
    assert client_address(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@override_settings(MAMORU_TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_rightmost_forwarded_address_is_the_client() -> None:
    # The client forged the first hop; the proxy appended the address it really saw.
    request = request_from("10.0.0.2", "1.1.1.1, 198.51.100.1")
    assert client_address(request) == "198.51.100.1"


@override_settings(MAMORU_TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_from_the_right_is_the_client() -> None:
    request = request_from("10.0.0.3", "1.1.1.1, 198.51.100.1, 10.0.0.2")
    assert client_address(request) == "198.51.100.1"


@override_settings(MAMORU_TRUSTED_PROXY_COUNT=1)
def test_a_garbage_forwarded_header_falls_back_to_the_peer() -> None:
    assert client_address(request_from("10.0.0.2", "not-an-address")) == "10.0.0.2"


def test_ipv4_mapped_addresses_are_stored_as_ipv4() -> None:
    assert client_address(request_from("::ffff:203.0.113.7")) == "203.0.113.7"


def test_the_middleware_works_in_an_async_stack() -> None:
    async def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(current_ip_address() or "")

    async def serve() -> HttpResponse:
        middleware = AuditContextMiddleware(view)
        response = middleware(request_from("2001:DB8::1"))
        assert not isinstance(response, HttpResponse)
        return await response

    assert async_to_sync(serve)().content == b"2001:db8::1"
