"""VPN portals that ransomware groups go after, recognised from what their login pages show.

Every request here is one a user's browser makes when opening the portal: login pages,
their stylesheets and the public version file Ivanti serves to its own client. Nothing is
posted and no vulnerable endpoint is touched. Versions are only reported where the vendor's
own public files give them away; a date inferred from a static file is reported as an era
(``vpn_build_date``), never as a version.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from mamoru.asm.engine.echo import Echo
from mamoru.asm.engine.identify._io import printable
from mamoru.asm.engine.identify.http import HttpResponse, fetch, request_echo
from mamoru.asm.engine.identify.recog import RECOG_EXTRAS
from mamoru.asm.engine.identify.result import Ident
from mamoru.asm.engine.identify.rules import cpe_name
from mamoru.asm.engine.model import Evidence


@dataclass(frozen=True, slots=True)
class Fetcher:
    """Where to fetch from; a callable keeps the signatures free of connection details."""

    ip: str
    port: int
    tls: bool
    hostname: str | None
    timeout: float

    async def __call__(self, path: str) -> HttpResponse | None:
        return await fetch(
            self.ip, self.port, path, tls=self.tls, hostname=self.hostname, timeout=self.timeout
        )

    def echo(self, path: str) -> Echo:
        """What a response to ``path`` may repeat from our request (see :mod:`echo`)."""
        return request_echo(path, self.ip, self.port, self.hostname, self.tls)


def speaks_for_itself(response: HttpResponse) -> bool:
    """Whether a page's body may name its product: not an error page (a login prompt is).

    Error pages are where servers and proxies repeat the request back.
    """
    return response.status < 400 or response.status == 401


VersionProbe = Callable[[Fetcher, Ident], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Portal:
    key: str
    product: str
    vendor: str
    cpe: str
    path: str  # the login page a user opens
    body: re.Pattern[bytes]  # markers in the login page
    cookies: tuple[str, ...] = ()  # cookie-name prefixes the portal sets
    location: re.Pattern[str] | None = None  # where "/" redirects to
    version: VersionProbe | None = None

    def recognises(
        self, response: HttpResponse, echo: Echo, *, redirects: bool = True
    ) -> str | None:
        """The marker that identifies this portal in ``response``, if any.

        ``echo`` is what our request sent: nothing the response repeats from it counts
        (Squid's error page repeats the ``/dana-na/`` path it was asked for). An error
        page's body never counts. ``redirects=False`` when we asked for the portal's own
        path: a plain http→https redirect repeats the path and must not count either.
        """
        for name in response.cookies:
            if name.startswith(self.cookies):
                return f"cookie {name}"
        location = response.header("Location") or ""
        if redirects and self.location is not None:
            found_location = self.location.search(echo.scrub(location))
            if found_location and not echo.explains(found_location.group(0)):
                return f"redirect {location[:80]}"
        if not speaks_for_itself(response):
            return None
        for found in self.body.finditer(echo.scrub_bytes(response.body[:65536])):
            if not echo.explains(found.group(0)):
                return f"marker {found.group(0)[:60].decode('latin-1')}"
        return None


_IVANTI_VERSION = re.compile(rb"ProductVersion\"?\s+VALUE=\"(\d+(?:\.\d+){1,3})", re.IGNORECASE)
_ASSET_VERSION = re.compile(rb"\?v=(\d+\.\d+\.\d+\.\d+-\d+\w*)")
_ETAG_EPOCH = re.compile(r"\"?[0-9a-f]+-([0-9a-f]{8})\"?$")


async def _ivanti_version(fetcher: Fetcher, ident: Ident) -> None:
    # The version file of the Network Connect client, public by design (the client reads it).
    response = await fetcher("/dana-na/nc/nc_gina_ver.txt")
    if response is None or response.status != 200:
        return
    found = _IVANTI_VERSION.search(response.body)
    if found:
        ident.version = found.group(1).decode()
        ident.evidence.append(
            Evidence("vpn-ivanti-version", printable(found.group(0)), "vpn.ivanti.version-file")
        )


async def _globalprotect_era(fetcher: Fetcher, ident: Ident) -> None:
    # The login stylesheet ships with each PAN-OS build; its date dates the build.
    response = await fetcher("/global-protect/portal/css/login.css")
    if response is None or response.status != 200:
        return
    when: datetime | None = None
    modified = response.header("Last-Modified")
    if modified:
        try:
            when = parsedate_to_datetime(modified)
        except (TypeError, ValueError):
            when = None
    etag = _ETAG_EPOCH.search(response.header("ETag") or "")
    if when is None and etag:
        when = datetime.fromtimestamp(int(etag.group(1), 16), tz=UTC)
    if when is not None:
        ident.extra["vpn_build_date"] = when.date().isoformat()
        ident.evidence.append(
            Evidence(
                "vpn-globalprotect-css", f"login.css {modified or etag}", "vpn.globalprotect.era"
            )
        )


async def _sonicwall_version(fetcher: Fetcher, ident: Ident) -> None:
    response = await fetcher("/cgi-bin/welcome")
    found = _ASSET_VERSION.search(response.body) if response and response.status == 200 else None
    if found:
        ident.version = found.group(1).decode()
        ident.evidence.append(Evidence("vpn-sonicwall-assets", printable(found.group(0))))


PORTALS: tuple[Portal, ...] = (
    Portal(
        key="fortigate",
        product="FortiGate SSL-VPN",
        vendor="Fortinet",
        cpe="o:fortinet:fortios",
        path="/remote/login?lang=en",
        body=re.compile(rb"/remote/fgt_lang|ftnt-fortinet-grid|/sslvpn/portal\.html"),
        cookies=("SVPNCOOKIE", "SVPNTMPCOOKIE", "SVPNNETWORKCOOKIE"),
        location=re.compile(r"/remote/login"),
    ),
    Portal(
        key="ivanti",
        product="Ivanti Connect Secure",
        vendor="Ivanti",
        cpe="a:ivanti:connect_secure",
        path="/dana-na/auth/url_default/welcome.cgi",
        # the longer spellings first: on a page fetched from /dana-na/… the bare prefix
        # is a piece of our own request and does not count (see Portal.recognises)
        body=re.compile(
            rb"/dana-na/(?:css|imgs|js)/|/dana-na/|Pulse Connect Secure|Ivanti Connect Secure"
            rb"|DSSignInURL"
        ),
        cookies=("DSID", "DSSIGNIN", "DSSignInURL", "DSLastAccess"),
        location=re.compile(r"/dana-na/|/dana/"),
        version=_ivanti_version,
    ),
    Portal(
        key="citrix",
        product="Citrix NetScaler Gateway",
        vendor="Citrix",
        cpe="a:citrix:netscaler_gateway",
        path="/vpn/index.html",
        body=re.compile(rb"/logon/LogonPoint/|NetScaler Gateway|Citrix Gateway|/vpn/resources/"),
        cookies=("NSC_",),
        location=re.compile(r"/logon/LogonPoint/|/vpn/index\.html|/vpn/tmindex\.html"),
    ),
    Portal(
        key="globalprotect",
        product="GlobalProtect",
        vendor="Palo Alto Networks",
        cpe="o:paloaltonetworks:pan-os",
        path="/global-protect/login.esp",
        body=re.compile(rb"GlobalProtect Portal|/global-protect/portal/|global-protect/login"),
        location=re.compile(r"/global-protect/"),
        version=_globalprotect_era,
    ),
    Portal(
        key="sonicwall",
        product="SonicWall SSL-VPN",
        vendor="SonicWall",
        cpe="o:sonicwall:sma100_firmware",
        path="/cgi-bin/welcome",
        # the SSL-VPN portal's own words, not the maker's name: SonicWall's firewalls and
        # management suites show "SonicWall" on pages that are no VPN portal
        body=re.compile(rb"Virtual Office|/sslvpnclient|sslvpnLogin\.html"),
        cookies=("swap",),
        location=re.compile(r"/cgi-bin/welcome|/sslvpnclient"),
        version=_sonicwall_version,
    ),
)


def _first_portal(response: HttpResponse, echo: Echo) -> tuple[Portal, str] | None:
    for portal in PORTALS:
        marker = portal.recognises(response, echo)
        if marker:
            return portal, marker
    return None


async def detect(fetcher: Fetcher, ident: Ident, root: HttpResponse | None) -> bool:
    """Look for a VPN portal; on success rewrite ``ident`` to name the appliance.

    Only what the server produced counts: see :meth:`Portal.recognises`.
    """
    hit = _first_portal(root, fetcher.echo("/")) if root is not None else None
    if hit is None:
        pages = await asyncio.gather(*(fetcher(p.path) for p in PORTALS))
        for portal, page in zip(PORTALS, pages, strict=True):
            echo = fetcher.echo(portal.path)
            marker = portal.recognises(page, echo, redirects=False) if page is not None else None
            if marker:
                hit = portal, marker
                break
    if hit is None:
        return False
    portal, marker = hit
    # The web server product found earlier stays visible in extra["http_server"]; what
    # Recog may have said about that product goes with it.
    if ident.recog_used:
        for key in RECOG_EXTRAS:
            ident.extra.pop(key, None)
        ident.recog_used = False
    ident.product, ident.vendor, ident.version, ident.cpe = (
        portal.product,
        portal.vendor,
        None,
        None,
    )
    ident.extra["vpn"] = "true"
    ident.evidence.append(Evidence(f"vpn-{portal.key}", marker, f"vpn.{portal.key}"))
    if portal.version is not None:
        await portal.version(fetcher, ident)
    ident.cpe = cpe_name(portal.cpe, ident.version)
    return True
