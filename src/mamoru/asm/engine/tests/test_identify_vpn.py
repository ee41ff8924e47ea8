"""VPN portals, emulated by in-process HTTP servers with their public fingerprints."""

from __future__ import annotations

import asyncio

import pytest

from mamoru.asm.engine.identify import identify
from mamoru.asm.engine.identify.testing import VPN_SITES, HttpSite, Page, html, serve
from mamoru.asm.engine.model import Service

SAFE_PATHS = {
    "/",
    "/favicon.ico",
    "/remote/login?lang=en",
    "/dana-na/auth/url_default/welcome.cgi",
    "/dana-na/nc/nc_gina_ver.txt",
    "/vpn/index.html",
    "/global-protect/login.esp",
    "/global-protect/portal/css/login.css",
    "/cgi-bin/welcome",
}


def identify_site(site: HttpSite) -> Service | None:
    async def go() -> Service | None:
        async with serve(site) as port:
            return await identify("127.0.0.1", port, timeout=0.3)

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("key", "product", "version", "cpe"),
    [
        ("fortigate", "FortiGate SSL-VPN", None, "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*"),
        (
            "ivanti",
            "Ivanti Connect Secure",
            "22.7.2.3191",
            "cpe:2.3:a:ivanti:connect_secure:22.7.2.3191:*:*:*:*:*:*:*",
        ),
        (
            "citrix",
            "Citrix NetScaler Gateway",
            None,
            "cpe:2.3:a:citrix:netscaler_gateway:*:*:*:*:*:*:*:*",
        ),
        (
            "globalprotect",
            "GlobalProtect",
            None,
            "cpe:2.3:o:paloaltonetworks:pan-os:*:*:*:*:*:*:*:*",
        ),
        (
            "sonicwall",
            "SonicWall SSL-VPN",
            "10.2.1.9-57sv",
            "cpe:2.3:o:sonicwall:sma100_firmware:10.2.1.9-57sv:*:*:*:*:*:*:*",
        ),
    ],
)
def test_each_vpn_portal_is_named_with_its_public_version(
    key: str, product: str, version: str | None, cpe: str
) -> None:
    site = VPN_SITES[key]()
    svc = identify_site(site)
    assert svc is not None
    assert (svc.product, svc.version, svc.cpe) == (product, version, cpe)
    assert svc.extra["vpn"] == "true"
    assert any(e.rule == f"vpn.{key}" for e in svc.evidence)
    # Only what a browser opening the portal asks for: GETs of public pages.
    assert all(r.startswith("GET ") for r in site.requested)
    assert {r.split(" ", 1)[1] for r in site.requested} <= SAFE_PATHS


def test_globalprotect_build_date_comes_from_the_login_stylesheet() -> None:
    svc = identify_site(VPN_SITES["globalprotect"]())
    assert svc is not None
    assert svc.extra["vpn_build_date"] == "2023-03-15"


def test_the_web_server_in_front_of_a_portal_is_kept() -> None:
    svc = identify_site(VPN_SITES["sonicwall"]())
    assert svc is not None
    assert svc.extra["http_server"] == "SonicWALL SSL-VPN Web Server"


def test_an_http_to_https_redirect_echoing_the_path_is_not_a_portal() -> None:
    class Redirector(HttpSite):
        async def __call__(
            self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
        ) -> None:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ")[1].decode()
            self.requested.append(f"GET {path}")
            writer.write(
                f"HTTP/1.1 301 Moved\r\nLocation: https://city.example.jp{path}\r\n"
                "Server: nginx\r\nContent-Length: 0\r\n\r\n".encode()
            )
            await writer.drain()

    svc = identify_site(Redirector({}))
    assert svc is not None
    assert svc.product == "nginx"
    assert "vpn" not in svc.extra


def test_an_ordinary_site_is_not_a_vpn() -> None:
    site = HttpSite({"/": Page(200, (), html("City of Example"))}, server="Apache/2.4.62 (Debian)")
    svc = identify_site(site)
    assert svc is not None
    assert (svc.product, svc.version) == ("Apache httpd", "2.4.62")
    assert "vpn" not in svc.extra
