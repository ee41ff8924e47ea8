"""Nothing a server repeats from our own request names a product or a VPN portal."""

from __future__ import annotations

import asyncio

import pytest

from mamoru.asm.engine.echo import NO_ECHO, Echo
from mamoru.asm.engine.identify import identify
from mamoru.asm.engine.identify.http import USER_AGENT, HttpResponse, request_echo
from mamoru.asm.engine.identify.rules import default_rules
from mamoru.asm.engine.identify.vpn import PORTALS, Portal
from mamoru.asm.engine.model import Service
from mamoru.asm.engine.tests.inprocess import Handler, serve

IVANTI_PATH = "/dana-na/auth/url_default/welcome.cgi"


def test_every_spelling_of_a_repeated_path_is_blanked() -> None:
    echo = Echo.of_http(IVANTI_PATH, host="vpn.example.lg.jp", user_agent=USER_AGENT)
    for page in (
        f'<a href="{IVANTI_PATH}">{IVANTI_PATH}</a>',
        "/dana-na/auth/url_default/welcome.cgi".upper(),
        "%2Fdana-na%2Fauth%2Furl_default%2Fwelcome.cgi",
        '"url": "\\/dana-na\\/auth\\/url_default\\/welcome.cgi"',
        "http://vpn.example.lg.jp/dana-na/auth/url_default/welcome.cgi",
    ):
        assert "dana-na" not in echo.scrub(page).lower(), page
    assert "vpn.example.lg.jp" not in echo.scrub("Welcome to vpn.example.lg.jp")


def test_a_match_that_is_only_a_piece_of_the_request_is_explained() -> None:
    echo = Echo.of_http(IVANTI_PATH, host="127.0.0.1:8080", user_agent=USER_AGENT)
    assert echo.explains("/dana-na/")
    assert echo.explains(b"url_default")
    assert not echo.explains("/dana-na/css/")
    assert not echo.explains("Ivanti Connect Secure")
    assert not NO_ECHO.explains("/dana-na/")
    assert NO_ECHO.scrub("/dana-na/") == "/dana-na/"


def test_short_fragments_such_as_the_root_path_are_left_alone() -> None:
    echo = Echo.of_http("/", host="10.0.0.1", user_agent="ua-x")
    assert echo.scrub("<title>FortiGate</title>") == "<title>FortiGate</title>"


def test_rules_skip_a_match_inside_an_echo() -> None:
    rules = default_rules()
    server = "Apache/2.4.57 (Debian)"
    assert rules.match("http.server", server) is not None
    echo = Echo.of_http("/" + server, host="h", user_agent=USER_AGENT)
    assert rules.match("http.server", server, echo) is None


def _page(status: int, body: str) -> HttpResponse:
    return HttpResponse(status, "X", [("Content-Type", "text/html")], body.encode())


@pytest.mark.parametrize("portal", PORTALS, ids=lambda p: p.key)
def test_no_portal_is_recognised_in_a_page_that_repeats_its_own_path(portal: Portal) -> None:
    path = portal.path
    echo = request_echo(path, "127.0.0.1", 8080, None, False)
    for status in (200, 400, 404, 503):
        body = (
            f'<html><title>Not found</title>The requested URL <a href="{path}">{path}</a>'
            f" was not found. Try {path.rsplit('/', 1)[0]}/ instead.</html>"
        )
        assert portal.recognises(_page(status, body), echo, redirects=False) is None


def test_an_error_page_never_names_a_portal_even_with_a_real_marker() -> None:
    ivanti = next(p for p in PORTALS if p.key == "ivanti")
    echo = request_echo("/", "127.0.0.1", 80, None, False)
    body = '<link href="/dana-na/css/ds.css">'
    assert ivanti.recognises(_page(200, body), echo) is not None
    assert ivanti.recognises(_page(400, body), echo) is None
    assert ivanti.recognises(_page(401, body), echo) is not None


def _echoing(status: int) -> Handler:
    """A server whose every page repeats the request line, Host and User-Agent back."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        target = head.split(" ", 2)[1]
        body = (
            f"<html><head><title>Error: {target}</title></head><body><h1>{status}</h1>"
            f'<p>The requested URL <a href="{target}">{target}</a> could not be retrieved.'
            f"</p><pre>{head}</pre></body></html>"
        ).encode()
        writer.write(
            f"HTTP/1.1 {status} X\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n\r\n".encode()
            + body
        )
        await writer.drain()

    return handler


@pytest.mark.parametrize("status", [200, 400, 404])
def test_a_server_that_repeats_every_request_is_not_a_vpn(status: int) -> None:
    async def go() -> Service | None:
        async with serve(_echoing(status)) as port:
            return await identify("127.0.0.1", port, hostname="remote.example.lg.jp", timeout=1)

    service = asyncio.run(go())
    assert service is not None
    assert service.service == "http"
    assert "vpn" not in service.extra
    assert service.product is None
