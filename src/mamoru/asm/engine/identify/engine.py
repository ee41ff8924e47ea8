"""The identification strategy: listen, then ask, the way a careful scanner does.

1. Ports whose protocol the port number suggests get that protocol's probe first
   (a banner wait for server-speaks-first protocols, a request otherwise).
2. Otherwise, and when the hint was wrong: listen for a greeting, then try the client-first
   probes in order of how common they are on the internet, each on a fresh connection.

Every probe is bounded by ``timeout`` and the whole identification by one timeout per
probe, so a port that accepts and then stalls costs a known amount of time. Unhinted ports
get only ``_UNKNOWN_WAIT`` seconds to greet us first, as nmap's NULL probe does.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from mamoru.asm.engine.identify import probes, vpn
from mamoru.asm.engine.identify._io import Conn, connect, printable
from mamoru.asm.engine.identify.banner import identify_banner
from mamoru.asm.engine.identify.http import (
    build_request,
    describe,
    favicon_hash,
    host_header,
    parse_response,
)
from mamoru.asm.engine.identify.result import Ident
from mamoru.asm.engine.identify.tlsinfo import tls_info
from mamoru.asm.engine.model import Evidence, Service

BANNER_PORTS = frozenset({21, 22, 23, 25, 110, 143, 587, 2222, 3306, 5900, 5901, 2525})
TLS_BANNER_PORTS = {465: "smtps", 993: "imaps", 995: "pop3s", 990: "ftps"}
PROXY_PORTS = frozenset({3128, 8118, 8123, 1080})
_SECURE_NAMES = {"smtp": "smtps", "imap": "imaps", "pop3": "pop3s", "ftp": "ftps", "http": "https"}
_UNKNOWN_WAIT = 2.0  # how long an unhinted port gets to greet us before we speak


@dataclass(slots=True)
class Context:
    ip: str
    port: int
    hostname: str | None
    timeout: float
    unrecognised: list[bytes] = field(default_factory=list)  # replies no probe understood


Probe = Callable[[Context], Awaitable[Ident | None]]


async def probe_banner(ctx: Context, wait: float | None = None) -> Ident | None:
    async with connect(ctx.ip, ctx.port, ctx.timeout) as conn:
        data = await conn.recv(4096, timeout=wait or ctx.timeout)
        if not data:
            return None
        data += await _rest_of_greeting(conn, data)
        ident = await identify_banner(data, conn, ctx.port)
    if ident.service == "unknown":
        ctx.unrecognised.append(data)
        return None
    return ident


async def _rest_of_greeting(conn: Conn, data: bytes) -> bytes:
    # Multi-line greetings (FTP "220-") and MySQL packets can arrive in several segments.
    if data.startswith(b"220-") or (
        len(data) >= 4 and len(data) < 4 + int.from_bytes(data[:3], "little") < 2048
    ):
        return await conn.recv(4096, timeout=min(conn.timeout, 0.5))
    return b""


async def probe_banner_short(ctx: Context) -> Ident | None:
    return await probe_banner(ctx, wait=min(ctx.timeout, _UNKNOWN_WAIT))


async def _http_on(conn: Conn, ctx: Context, tls: bool) -> Ident | None:
    host = host_header(ctx.ip, ctx.port, ctx.hostname, tls)
    await conn.send(build_request("/", host))
    raw = await conn.recv_all()
    response = parse_response(raw)
    if response is None:
        if raw:
            ctx.unrecognised.append(raw)
        return None
    ident = Ident(service="https" if tls else "http")
    describe(ident, response)
    fetcher = vpn.Fetcher(ctx.ip, ctx.port, tls, ctx.hostname, ctx.timeout)
    await asyncio.gather(
        vpn.detect(fetcher, ident, response), _favicon(fetcher, ident), _proxy(ctx, ident, tls)
    )
    return ident


async def _favicon(fetcher: vpn.Fetcher, ident: Ident) -> None:
    response = await fetcher("/favicon.ico")
    if response is not None and response.status == 200 and response.body:
        ident.extra["favicon_mmh3"] = str(favicon_hash(response.body))


async def _proxy(ctx: Context, ident: Ident, tls: bool) -> None:
    """Ask a suspected proxy to CONNECT to the scanned host itself — never anywhere else."""
    looks_like_proxy = ctx.port in PROXY_PORTS or (ident.product or "").lower() in {
        "squid",
        "ccproxy",
    }
    if tls or not looks_like_proxy:
        return
    target = host_header(ctx.ip, ctx.port, None, False)
    if target == ctx.ip or target.startswith("["):  # the default port was left out
        target = f"{target}:{ctx.port}"
    request = f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n"
    with contextlib.suppress(OSError, TimeoutError):
        async with connect(ctx.ip, ctx.port, ctx.timeout) as conn:
            await conn.send(request.encode("latin-1"))
            reply = await conn.recv(512)
        status = reply.split(b" ", 2)[1:2]
        ident.extra["http_proxy"] = "true"
        ident.extra["proxy_connect"] = "allowed" if status == [b"200"] else "refused"
        ident.evidence.append(Evidence("http-proxy-connect", printable(reply.split(b"\r\n")[0])))


async def probe_http(ctx: Context) -> Ident | None:
    async with connect(ctx.ip, ctx.port, ctx.timeout) as conn:
        return await _http_on(conn, ctx, tls=False)


async def probe_tls(ctx: Context) -> Ident | None:
    """Handshake, then identify the protocol inside: a greeting if one comes, else HTTP."""
    secure_name = TLS_BANNER_PORTS.get(ctx.port)
    inner: Ident | None = None
    async with connect(
        ctx.ip, ctx.port, ctx.timeout, tls=True, server_hostname=ctx.hostname
    ) as conn:
        info = tls_info(conn.writer)
        if secure_name:
            inner = await _tls_banner(conn, ctx)
        else:
            inner = await _http_on(conn, ctx, tls=True)
    if inner is None and not secure_name:
        async with connect(
            ctx.ip, ctx.port, ctx.timeout, tls=True, server_hostname=ctx.hostname
        ) as conn:
            inner = await _tls_banner(conn, ctx)
    ident = inner or Ident(service="ssl/unknown")
    ident.service = _SECURE_NAMES.get(ident.service, ident.service)
    ident.tls = info
    ident.evidence.insert(
        0, Evidence("tls-handshake", f"{info.versions[0] if info and info.versions else '?'}")
    )
    return ident


async def _tls_banner(conn: Conn, ctx: Context) -> Ident | None:
    data = await conn.recv(4096, timeout=min(ctx.timeout, _UNKNOWN_WAIT))
    if not data:
        return None
    ident = await identify_banner(data, conn, ctx.port)
    return None if ident.service == "unknown" else ident


async def probe_redis(ctx: Context) -> Ident | None:
    async with connect(ctx.ip, ctx.port, ctx.timeout) as conn:
        return await probes.redis(conn)


async def probe_memcached(ctx: Context) -> Ident | None:
    async with connect(ctx.ip, ctx.port, ctx.timeout) as conn:
        return await probes.memcached(conn)


async def probe_postgresql(ctx: Context) -> Ident | None:
    return await probes.postgresql(ctx.ip, ctx.port, ctx.timeout)


async def probe_rdp(ctx: Context) -> Ident | None:
    return await probes.rdp(ctx.ip, ctx.port, ctx.timeout)


async def probe_smb(ctx: Context) -> Ident | None:
    return await probes.smb(ctx.ip, ctx.port, ctx.timeout)


PROBES: dict[str, Probe] = {
    "banner": probe_banner,
    "banner-short": probe_banner_short,
    "http": probe_http,
    "tls": probe_tls,
    "redis": probe_redis,
    "memcached": probe_memcached,
    "postgresql": probe_postgresql,
    "rdp": probe_rdp,
    "smb": probe_smb,
}

# The port number's likely protocol; only a hint, the fallbacks still run when it is wrong.
PORT_HINTS: dict[int, str] = {
    **dict.fromkeys(BANNER_PORTS, "banner"),
    **dict.fromkeys((80, 81, 591, 3128, 8000, 8008, 8080, 8081, 8088, 8118, 8888, 9000), "http"),
    **dict.fromkeys((443, 465, 990, 993, 995, 4443, 8443, 9443, 10443, 10000, 4433), "tls"),
    6379: "redis",
    11211: "memcached",
    5432: "postgresql",
    3389: "rdp",
    445: "smb",
    139: "smb",
}
FALLBACKS = ("banner-short", "tls", "http", "redis", "memcached", "postgresql", "rdp", "smb")


def plan(port: int) -> list[str]:
    """Probe names in the order they are tried for ``port``."""
    hint = PORT_HINTS.get(port)
    order = [hint] if hint else []
    order += [
        name
        for name in FALLBACKS
        if name != hint and not (hint == "banner" and name == "banner-short")
    ]
    return order


async def _run(ctx: Context) -> Ident | None:
    for name in plan(ctx.port):
        try:
            ident = await PROBES[name](ctx)
        except (OSError, TimeoutError, EOFError):
            continue
        if ident is not None:
            return ident
    return None


async def identify(
    ip: str, port: int, *, hostname: str | None = None, timeout: float = 5.0
) -> Service | None:
    """Identify the service on an open TCP port.

    Returns the protocol, product, version, CPE 2.3 name and the evidence they rest on;
    ``None`` when the port never answered anything. Unrecognised answers give a service
    named ``"unknown"`` with the answer as evidence. Only ordinary client requests are sent.
    """
    ctx = Context(ip, port, hostname, timeout)
    ident: Ident | None = None
    # Each probe may use its whole timeout once (a stalled peer); never more than that.
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(timeout * (len(plan(port)) + 1)):
            ident = await _run(ctx)
    if ident is None and ctx.unrecognised:
        ident = Ident(service="unknown")
        ident.evidence.append(Evidence("banner", printable(ctx.unrecognised[0])))
    return ident.to_service(ip, port, hostname) if ident is not None else None
