"""Tiny in-process servers on 127.0.0.1 that speak just enough of a protocol for tests.

Shipped with the package (not hidden in a test folder) so that other parts of the engine —
the checks' ``vpn-appliance`` finding above all — can test against the same emulations.
Every server binds to loopback only.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@contextlib.asynccontextmanager
async def serve(handler: Handler) -> AsyncIterator[int]:
    """Run ``handler`` for each connection on 127.0.0.1; yields the port."""

    async def guarded(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await handler(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(guarded, "127.0.0.1", 0)
    port = int(server.sockets[0].getsockname()[1])
    async with server:
        yield port


def greeting(data: bytes, answers: Mapping[bytes, bytes] | None = None) -> Handler:
    """Say ``data`` on connect, then answer lines starting with a key of ``answers``."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(data)
        await writer.drain()
        while answers:
            line = await asyncio.wait_for(reader.readline(), 5)
            if not line:
                return
            reply = next((v for k, v in answers.items() if line.upper().startswith(k)), None)
            if reply is not None:
                writer.write(reply)
                await writer.drain()

    return handler


def replies(script: Mapping[bytes, bytes], *, read: int = 4096) -> Handler:
    """Client-first: answer each read whose bytes start with a key of ``script``."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            data = await asyncio.wait_for(reader.read(read), 5)
            if not data:
                return
            reply = next((v for k, v in script.items() if data.startswith(k)), None)
            if reply is None:
                return
            writer.write(reply)
            await writer.drain()

    return handler


@dataclass(frozen=True, slots=True)
class Page:
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""


@dataclass(slots=True)
class HttpSite:
    """A map of path → page; everything else is a 404. Records the paths requested."""

    pages: dict[str, Page]
    server: str | None = None
    requested: list[str] = field(default_factory=list)

    async def __call__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        method, _, rest = head.decode("latin-1").partition(" ")
        path = rest.split(" ", 1)[0]
        self.requested.append(f"{method} {path}")
        page = self.pages.get(path, Page(404, (), b"<html><title>Not Found</title></html>"))
        lines = [f"HTTP/1.1 {page.status} X"]
        lines += [f"Server: {self.server}"] if self.server else []
        lines += [f"{k}: {v}" for k, v in page.headers]
        lines += [f"Content-Length: {len(page.body)}", "Connection: close", "", ""]
        writer.write("\r\n".join(lines).encode("latin-1") + page.body)
        await writer.drain()


def html(title: str, extra: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head><title>{title}</title>{extra}</head><body></body></html>".encode()


# Public, non-sensitive markers of each portal's login page, as any browser sees them.
VPN_SITES: dict[str, Callable[[], HttpSite]] = {
    "fortigate": lambda: HttpSite(
        {
            "/": Page(302, (("Location", "/remote/login?lang=en"),)),
            "/remote/login?lang=en": Page(
                200,
                (("Set-Cookie", "SVPNTMPCOOKIE=; path=/; secure"),),
                html("", '<script src="/remote/fgt_lang?lang=en"></script>'),
            ),
        },
        server="xxxxxxxx-xxxxx",
    ),
    "ivanti": lambda: HttpSite(
        {
            "/": Page(302, (("Location", "/dana-na/auth/url_default/welcome.cgi"),)),
            "/dana-na/auth/url_default/welcome.cgi": Page(
                200,
                (("Set-Cookie", "DSSignInURL=/; path=/; secure"),),
                html("Ivanti Connect Secure", '<link href="/dana-na/css/ds.css">'),
            ),
            "/dana-na/nc/nc_gina_ver.txt": Page(
                200,
                (("Content-Type", "text/plain"),),
                b'<PARAM NAME="ProductName" VALUE="NC">\r\n'
                b'<PARAM NAME="ProductVersion" VALUE="22.7.2.3191">\r\n',
            ),
        }
    ),
    "citrix": lambda: HttpSite(
        {
            "/": Page(302, (("Location", "/logon/LogonPoint/index.html"),)),
            "/vpn/index.html": Page(
                200,
                (("Set-Cookie", "NSC_TEMP=xyz; Path=/"),),
                html("NetScaler Gateway", '<script src="/vpn/resources/en/x.js"></script>'),
            ),
        }
    ),
    "globalprotect": lambda: HttpSite(
        {
            "/": Page(200, (), html("Welcome")),
            "/global-protect/login.esp": Page(
                200,
                (),
                html("GlobalProtect Portal", '<link href="/global-protect/portal/css/login.css">'),
            ),
            "/global-protect/portal/css/login.css": Page(
                200, (("Last-Modified", "Wed, 15 Mar 2023 10:20:30 GMT"),), b"body{}"
            ),
        }
    ),
    "sonicwall": lambda: HttpSite(
        {
            "/": Page(302, (("Location", "/cgi-bin/welcome"),)),
            "/cgi-bin/welcome": Page(
                200,
                (("Set-Cookie", "swap=abc; path=/"),),
                html("Virtual Office", '<script src="/js/app.js?v=10.2.1.9-57sv"></script>'),
            ),
        },
        server="SonicWALL SSL-VPN Web Server",
    ),
}
