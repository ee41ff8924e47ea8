"""Small asyncio network helpers shared by the checks: connections, TLS contexts, HTTP/1.1.

A deliberately minimal HTTP client: the checks send a handful of GETs to one server, must
speak to broken servers and legacy TLS, and must never follow a redirect off the target.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import re
import ssl
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from mamoru.asm.engine.httpwire import request_bytes

USER_AGENT = "mamoru-asm/0.1 (attack-surface check)"
MAX_BODY = 64 * 1024
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@functools.cache  # one context per pair of bounds, shared: nothing changes it afterwards
def insecure_context(
    minimum: ssl.TLSVersion | None = None, maximum: ssl.TLSVersion | None = None
) -> ssl.SSLContext:
    """A client context that accepts any certificate and, by default, any protocol version.

    Verification is off on purpose: the checks inspect broken certificates and judge them
    themselves. ``@SECLEVEL=0`` lets Debian's OpenSSL 3 offer TLS 1.0/1.1 again.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    with warnings.catch_warnings():
        # Setting TLS 1.0/1.1 bounds is deprecated in Python; testing for them is our job.
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = minimum or ssl.TLSVersion.TLSv1
        if maximum is not None:
            context.maximum_version = maximum
    return context


@contextlib.asynccontextmanager
async def connect(
    ip: str,
    port: int,
    *,
    timeout: float,
    tls: ssl.SSLContext | None = None,
    server_hostname: str | None = None,
) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    """Open a TCP (optionally TLS) connection and always close it, even on errors."""
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(
            ip,
            port,
            ssl=tls,
            server_hostname=(server_hostname or "") if tls else None,
            limit=MAX_BODY * 2,
        ),
        timeout,
    )
    try:
        yield reader, writer
    finally:
        writer.close()
        with contextlib.suppress(OSError, TimeoutError, ssl.SSLError):
            await asyncio.wait_for(writer.wait_closed(), 1.0)


async def read_line(reader: asyncio.StreamReader, timeout: float) -> bytes:
    """One line (with its ending); empty at end of stream."""
    return await asyncio.wait_for(reader.readline(), timeout)


@dataclass(frozen=True, slots=True)
class HttpResponse:
    status: int
    reason: str
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def title(self) -> str | None:
        match = _TITLE.search(self.body)
        if not match:
            return None
        return " ".join(match.group(1).decode("utf-8", errors="replace").split())[:200]

    def status_line(self) -> str:
        return f"HTTP {self.status} {self.reason}".strip()


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, str, dict[str, str]]:
    status_line = (await reader.readline()).decode("latin-1").strip()
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise ValueError(f"not an HTTP response: {status_line[:80]!r}")
    headers: dict[str, str] = {}
    for _ in range(200):
        line = (await reader.readline()).decode("latin-1").strip()
        if not line:
            break
        name, _, value = line.partition(":")
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return int(parts[1]), parts[2] if len(parts) > 2 else "", headers


async def _read_chunked(reader: asyncio.StreamReader, limit: int) -> bytes:
    body = bytearray()
    while len(body) < limit:
        size_line = (await reader.readline()).split(b";")[0].strip()
        size = int(size_line or b"0", 16)
        if size == 0:
            break
        body += await reader.readexactly(size)
        await reader.readline()
    return bytes(body[:limit])


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str], limit: int) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return await _read_chunked(reader, limit)
    length = headers.get("content-length", "")
    if length.isdigit():
        wanted = min(int(length), limit)
        try:
            return await reader.readexactly(wanted)
        except asyncio.IncompleteReadError as exc:
            return exc.partial
    return await reader.read(limit)


async def http_request(
    ip: str,
    port: int,
    target: str,
    *,
    host: str,
    tls: bool,
    timeout: float,
    method: str = "GET",
    sni: str | None = None,
) -> HttpResponse:
    """Send one HTTP/1.1 request (``target`` is a path, or an absolute URL for a proxy).

    Raises OSError, TimeoutError or ValueError when no HTTP answer comes back.
    """
    request = request_bytes(method, target, host=host, user_agent=USER_AGENT)
    context = insecure_context() if tls else None
    async with asyncio.timeout(timeout):
        async with connect(ip, port, timeout=timeout, tls=context, server_hostname=sni) as (
            reader,
            writer,
        ):
            writer.write(request)
            await writer.drain()
            status, reason, headers = await _read_head(reader)
            body = b"" if method == "HEAD" else await _read_body(reader, headers, MAX_BODY)
    return HttpResponse(status, reason, headers, body)


def excerpt(data: bytes | str, limit: int = 200) -> str:
    """A short printable excerpt of a response for ``Evidence``."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    printable = "".join(ch if ch.isprintable() or ch in "\n" else "." for ch in text)
    return printable.strip()[:limit]
