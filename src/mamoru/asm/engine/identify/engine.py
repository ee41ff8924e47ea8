"""The identification strategy: one round of parallel probes, the first conclusive answer wins.

For a port whose number suggests nothing, every probe starts at once, each on its own
connection: a banner listener (for server-speaks-first protocols) and the client-first
probes — TLS ClientHello, HTTP GET, Redis PING, memcached ``version``, DNS over TCP,
PostgreSQL SSLRequest, RDP X.224, SMB2 NEGOTIATE. A reply that parses as the probe's own
protocol is conclusive: a server that greets first would have put its greeting in front
of any reply, so a parsed reply also rules the banner out. The first conclusive answer
wins and the other connections are aborted (:mod:`race`).

A port whose number suggests a protocol gets that probe alone first; the fan-out follows
as soon as that probe gives up, or after a short *stagger* derived from the port scan's
round-trip time (``rtt_hint``) when the scanner passes one.

Every read is bounded in bytes and time (``_io``); the whole identification is bounded
by ``2 × timeout`` (a probe may need two exchanges, e.g. a TLS handshake then HTTP).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial

from mamoru.asm.engine.echo import Echo
from mamoru.asm.engine.httpwire import host_header
from mamoru.asm.engine.identify import dns, probes, recog, vpn
from mamoru.asm.engine.identify._io import Conn, connect, printable
from mamoru.asm.engine.identify.banner import identify_banner
from mamoru.asm.engine.identify.http import (
    build_request,
    describe,
    favicon_hash,
    parse_response,
    read_response,
    request_echo,
)
from mamoru.asm.engine.identify.race import Attempt, race
from mamoru.asm.engine.identify.result import Ident
from mamoru.asm.engine.identify.tlsinfo import tls_info
from mamoru.asm.engine.model import Evidence, Service

BANNER_PORTS = frozenset({21, 22, 23, 25, 110, 143, 587, 2222, 3306, 5900, 5901, 2525})
TLS_BANNER_PORTS = {465: "smtps", 993: "imaps", 995: "pop3s", 990: "ftps"}
PROXY_PORTS = frozenset({3128, 8118, 8123, 1080})
_SECURE_NAMES = {"smtp": "smtps", "imap": "imaps", "pop3": "pop3s", "ftp": "ftps", "http": "https"}
_DEFAULT_RTT = 0.05  # assumed round trip when the scanner did not measure one
_STAGGER_RTTS = 8  # a hinted probe gets this many round trips alone before the fan-out
_STAGGER_BOUNDS = (0.25, 1.0)
_GREETING_REST = 0.5  # how long the rest of a multi-part greeting may take


@dataclass(slots=True)
class Context:
    ip: str
    port: int
    hostname: str | None
    timeout: float
    rtt_hint: float | None = None
    unrecognised: list[bytes] = field(default_factory=list)  # replies no probe understood

    @property
    def stagger(self) -> float:
        """How long a port's hinted probe runs alone before every other probe joins it."""
        rtt = self.rtt_hint if self.rtt_hint and self.rtt_hint > 0 else _DEFAULT_RTT
        low, high = _STAGGER_BOUNDS
        return min(self.timeout / 2, max(low, min(high, _STAGGER_RTTS * rtt)))


Probe = Callable[[Context], Awaitable[Ident | None]]


async def probe_banner(ctx: Context) -> Ident | None:
    """Listen for a greeting for as long as the race lets us (other probes run meanwhile)."""
    async with connect(ctx.ip, ctx.port, ctx.timeout) as conn:
        data = await conn.recv(4096)
        if not data:
            return None
        data += await _rest_of_greeting(conn, data)
        ident = await identify_banner(data, conn, ctx.port)
    if ident.service == "unknown":
        ctx.unrecognised.append(data)
        ident.tentative = True
    return ident


async def _rest_of_greeting(conn: Conn, data: bytes) -> bytes:
    # Multi-line greetings (FTP "220-") and MySQL packets can arrive in several segments.
    if data.startswith(b"220-"):
        code_line = b"\n" + data[:3] + b" "
        if code_line in data and data.endswith(b"\n"):
            return b""
        return await conn.recv_until(code_line, limit=8192, timeout=_GREETING_REST)
    if len(data) >= 4 and len(data) < 4 + int.from_bytes(data[:3], "little") < 2048:
        return await conn.recv(4096, timeout=min(conn.timeout, _GREETING_REST))
    return b""


def _wants_tls(response_body: bytes, status: int) -> bool:
    """nginx/Apache/IIS answering plain HTTP on a TLS port: a hint, not an identification."""
    lowered = response_body[:2048].lower()
    return status == 400 and (b"https" in lowered or b"ssl" in lowered or b"tls" in lowered)


async def _http_on(conn: Conn, ctx: Context, tls: bool) -> Ident | None:
    host = host_header(ctx.ip, ctx.port, ctx.hostname, tls)
    await conn.send(build_request("/", host))
    raw = await read_response(conn)
    response = parse_response(raw)
    if response is None:
        if raw:
            ctx.unrecognised.append(raw)
        return None
    ident = Ident(service="https" if tls else "http")
    describe(ident, response, request_echo("/", ctx.ip, ctx.port, ctx.hostname, tls))
    if not tls and _wants_tls(response.body, response.status):
        ident.tentative = True
        return ident
    fetcher = vpn.Fetcher(ctx.ip, ctx.port, tls, ctx.hostname, ctx.timeout)
    await asyncio.gather(
        vpn.detect(fetcher, ident, response), _favicon(fetcher, ident), _proxy(ctx, ident, tls)
    )
    return ident


async def _favicon(fetcher: vpn.Fetcher, ident: Ident) -> None:
    response = await fetcher("/favicon.ico")
    if response is not None and response.status == 200 and response.body:
        ident.extra["favicon_mmh3"] = str(favicon_hash(response.body))
        digest = hashlib.md5(response.body, usedforsecurity=False).hexdigest()
        ident.extra["favicon_md5"] = digest
        ident.match("http.favicon", digest, "http-favicon", f"favicon.ico md5 {digest}",
                    quiet=True)  # fmt: skip


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


def _tls_connect(ctx: Context) -> contextlib.AbstractAsyncContextManager[Conn]:
    return connect(ctx.ip, ctx.port, ctx.timeout, tls=True, server_hostname=ctx.hostname)


async def _tls_greeting(ctx: Context, conn: Conn | None = None) -> Ident | None:
    """A greeting inside TLS (IMAPS, SMTPS, FTPS ...), on ``conn`` or a fresh handshake."""
    if conn is not None:
        data = await conn.recv(4096)
        ident = await identify_banner(data, conn, ctx.port) if data else None
        return None if ident is None or ident.service == "unknown" else ident
    async with _tls_connect(ctx) as fresh:
        return await _tls_greeting(ctx, fresh)


async def probe_tls(ctx: Context) -> Ident | None:
    """Handshake, then identify the protocol inside: HTTP and a greeting race each other."""
    secure_name = TLS_BANNER_PORTS.get(ctx.port)
    async with _tls_connect(ctx) as conn:
        info = tls_info(conn.writer)
        if secure_name:
            inner = await _tls_greeting(ctx, conn)
        else:
            # HTTP on this connection; a greeting, if any, on a second one listening meanwhile.
            inner = await race(
                [[("tls-http", partial(_http_on, conn, ctx, True)),
                  ("tls-greeting", partial(_tls_greeting, ctx))]],
                deadline=asyncio.get_running_loop().time() + 2 * ctx.timeout,
            )  # fmt: skip
    ident = inner or Ident(service="ssl/unknown")
    ident.service = _SECURE_NAMES.get(ident.service, ident.service)
    ident.tls = info
    if info is not None and info.subject:
        # a device's own certificate often names it; a name we asked for (SNI) does not
        ident.match("x509.subject", info.subject, "tls-certificate", f"subject {info.subject}",
                    echo=Echo([n for n in (ctx.hostname, ctx.ip) if n]), quiet=True)  # fmt: skip
    ident.tentative = False  # the handshake itself is conclusive
    ident.evidence.insert(
        0, Evidence("tls-handshake", f"{info.versions[0] if info and info.versions else '?'}")
    )
    return ident


async def probe_redis(ctx: Context) -> Ident | None:
    async with connect(ctx.ip, ctx.port, ctx.timeout) as conn:
        return await probes.redis(conn)


async def probe_memcached(ctx: Context) -> Ident | None:
    async with connect(ctx.ip, ctx.port, ctx.timeout) as conn:
        return await probes.memcached(conn)


async def probe_dns(ctx: Context) -> Ident | None:
    async with connect(ctx.ip, ctx.port, ctx.timeout) as conn:
        return await dns.probe(conn)


async def probe_postgresql(ctx: Context) -> Ident | None:
    return await probes.postgresql(ctx.ip, ctx.port, ctx.timeout)


async def probe_rdp(ctx: Context) -> Ident | None:
    return await probes.rdp(ctx.ip, ctx.port, ctx.timeout)


async def probe_smb(ctx: Context) -> Ident | None:
    return await probes.smb(ctx.ip, ctx.port, ctx.timeout)


PROBES: dict[str, Probe] = {
    "banner": probe_banner,
    "tls": probe_tls,
    "http": probe_http,
    "redis": probe_redis,
    "memcached": probe_memcached,
    "dns": probe_dns,
    "postgresql": probe_postgresql,
    "rdp": probe_rdp,
    "smb": probe_smb,
}

# The port number's likely protocol; only a hint, the other probes still run when it is wrong.
PORT_HINTS: dict[int, str] = {
    **dict.fromkeys(BANNER_PORTS, "banner"),
    **dict.fromkeys((80, 81, 591, 3128, 8000, 8008, 8080, 8081, 8088, 8118, 8888, 9000), "http"),
    **dict.fromkeys((443, 465, 990, 993, 995, 4443, 8443, 9443, 10443, 10000, 4433), "tls"),
    6379: "redis",
    11211: "memcached",
    53: "dns",
    5432: "postgresql",
    3389: "rdp",
    445: "smb",
    139: "smb",
}


def plan(port: int) -> list[list[str]]:
    """The probes for ``port`` in waves: the hinted probe alone first, then all the others.

    Within a wave the order only breaks ties between tentative answers.
    """
    hint = PORT_HINTS.get(port)
    rest = [name for name in PROBES if name != hint]
    return [[hint], rest] if hint else [rest]


async def identify(
    ip: str,
    port: int,
    *,
    hostname: str | None = None,
    timeout: float = 5.0,
    rtt_hint: float | None = None,
    recog_db: recog.RecogDatabase | None = None,
) -> Service | None:
    """Identify the service on an open TCP port.

    Returns the protocol, product, version, CPE 2.3 name and the evidence they rest on;
    ``None`` when the port never answered anything. Unrecognised answers give a service
    named ``"unknown"`` with the answer as evidence. Only ordinary client requests are sent.
    ``rtt_hint`` is the port scan's measured round-trip time in seconds, when known.
    ``recog_db`` (:func:`recog.load_recog`) is consulted where the project's rules name
    nothing; what it names is marked ``source="recog"``.
    """
    token = recog.activate(recog_db)
    try:
        return await _identify(Context(ip, port, hostname, timeout, rtt_hint))
    finally:
        recog.deactivate(token)


async def _identify(ctx: Context) -> Service | None:
    ip, port, hostname, timeout = ctx.ip, ctx.port, ctx.hostname, ctx.timeout
    waves: list[list[tuple[str, Attempt]]] = [
        [(name, partial(PROBES[name], ctx)) for name in wave] for wave in plan(port)
    ]
    deadline = asyncio.get_running_loop().time() + 2 * timeout
    ident = await race(waves, deadline=deadline, stagger=ctx.stagger)
    if ident is None and ctx.unrecognised:
        ident = Ident(service="unknown")
        ident.evidence.append(Evidence("banner", printable(ctx.unrecognised[0])))
    return ident.to_service(ip, port, hostname) if ident is not None else None
