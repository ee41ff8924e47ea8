"""HTTP checks against the lab's nginx and Apache, and in-process look-alikes."""

from __future__ import annotations

import asyncio

import pytest

from mamoru.asm.engine.checks import check_service
from mamoru.asm.engine.model import Finding, Service
from mamoru.asm.engine.tests.inprocess import http_site, serve
from mamoru.asm.engine.tests.lab.servers import Endpoint, Lab

SAFE = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'self'"}


def _check(e: Endpoint, service: str = "http") -> dict[str, Finding]:
    found = asyncio.run(
        check_service(Service(e.ip, e.port, service, hostname=e.hostname), timeout=3)
    )
    return {f.kind: f for f in found}


def _check_site(
    pages: dict[str, tuple[int, dict[str, str], bytes]], default: bytes = b""
) -> list[Finding]:
    async def run() -> list[Finding]:
        async with serve(http_site(pages, default)) as port:
            return await check_service(Service("127.0.0.1", port, "http"), timeout=3)

    return asyncio.run(run())


@pytest.mark.lab
def test_nginx_with_a_listing_and_phpmyadmin_and_no_headers(lab_nginx: Lab) -> None:
    found = _check(lab_nginx.endpoints["http"])
    assert set(found) == {"http-missing-security-headers", "http-directory-listing",
                          "exposed-admin-panel"}  # fmt: skip
    assert found["http-directory-listing"].details["path"] == "/files/"
    assert found["exposed-admin-panel"].details["panel"] == "phpMyAdmin"
    missing = found["http-missing-security-headers"].details["missing"]
    assert "X-Content-Type-Options" in missing
    assert "Strict-Transport-Security" not in missing  # HSTS means nothing over plain HTTP
    assert found["http-directory-listing"].title.startswith("ウェブサーバーで")


@pytest.mark.lab
def test_apache_with_every_header_only_shows_its_listing(lab_apache: Endpoint) -> None:
    assert set(_check(lab_apache)) == {"http-directory-listing"}


@pytest.mark.lab
def test_a_clean_https_site_has_no_http_finding(lab_nginx: Lab) -> None:
    assert _check(lab_nginx.endpoints["tls-good"], "https") == {}


def test_hsts_is_required_over_https() -> None:
    from mamoru.asm.engine.checks._net import HttpResponse
    from mamoru.asm.engine.checks.http import missing_security_headers

    page = HttpResponse(200, "OK", {k.lower(): v for k, v in SAFE.items()})
    assert missing_security_headers(page, tls=True) == ["Strict-Transport-Security"]
    assert missing_security_headers(page, tls=False) == []


@pytest.mark.parametrize(
    ("path", "response", "panel"),
    [
        ("/manager/html", (401, {"WWW-Authenticate": 'Basic realm="Tomcat Manager Application"'}, b""),
         "Apache Tomcat Manager"),
        ("/", (200, {"X-Jenkins": "2.440"}, b"<title>Dashboard [Jenkins]</title>"), "Jenkins"),
        ("/wp-login.php", (200, {}, b'<form name="loginform" id="loginform">'), "WordPress login"),
        ("/", (200, {}, b"<title>RouterOS router configuration page</title>"),
         "router administration page"),
    ],
)  # fmt: skip
def test_admin_panels_are_known_by_their_content(
    path: str, response: tuple[int, dict[str, str], bytes], panel: str
) -> None:
    pages = {path: response}
    if path != "/":
        pages["/"] = (200, SAFE, b"<title>home</title>")
    found = [f for f in _check_site(pages) if f.kind == "exposed-admin-panel"]
    assert [f.details["panel"] for f in found] == [panel]


def test_a_site_answering_every_path_alike_is_not_an_admin_panel() -> None:
    page = b"<title>phpMyAdmin</title> we answer everything"
    found = _check_site({"/": (200, SAFE, b"home")}, default=page)
    # the catch-all answers 404 here, and a 404 page is never a panel
    assert [f for f in found if f.kind == "exposed-admin-panel"] == []


def test_soft_404_pages_are_not_mistaken_for_panels() -> None:
    async def run() -> list[Finding]:
        async def everything(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readuntil(b"\r\n\r\n")
            body = b"<title>phpMyAdmin</title>"
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()

        async with serve(everything) as port:
            return await check_service(Service("127.0.0.1", port, "http"), timeout=3)

    assert "exposed-admin-panel" not in {f.kind for f in asyncio.run(run())}


def test_a_soft_404_page_repeating_the_path_is_not_a_panel() -> None:
    # "200 Not found: /phpMyAdmin/" for every path: the panel's name is only our own path
    async def run() -> list[Finding]:
        async def echoing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1]
            body = b"<html><title>Not found: %s</title><h1>%s</h1></html>" % (path, path)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            await writer.drain()

        async with serve(echoing) as port:
            return await check_service(Service("127.0.0.1", port, "http"), timeout=3)

    assert "exposed-admin-panel" not in {f.kind for f in asyncio.run(run())}


def test_elasticsearch_answering_without_authentication() -> None:
    body = b'{"name":"n1","cluster_name":"prod","version":{"number":"7.10.2"},"tagline":"You Know, for Search"}'
    found = _check_site({"/": (200, {"Content-Type": "application/json", **SAFE}, body)})
    databases = [f for f in found if f.kind == "exposed-database-no-auth"]
    assert len(databases) == 1
    assert databases[0].details["version"] == "7.10.2"
    assert databases[0].severity == "critical"
