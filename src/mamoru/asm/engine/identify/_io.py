"""Bounded network I/O for probes: every read has a byte limit and a deadline."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass

MAX_READ = 64 * 1024  # no probe needs more; a hostile server cannot make us buffer more


@dataclass(slots=True)
class Conn:
    """An open connection with the deadline each operation honours."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    timeout: float

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await asyncio.wait_for(self.writer.drain(), self.timeout)

    async def recv(self, limit: int = 4096, timeout: float | None = None) -> bytes:
        """One read of at most ``limit`` bytes; ``b""`` on timeout or end of stream."""
        try:
            return await asyncio.wait_for(self.reader.read(limit), timeout or self.timeout)
        except (TimeoutError, ConnectionError, ssl.SSLError):
            return b""

    async def recv_exactly(self, size: int) -> bytes | None:
        try:
            return await asyncio.wait_for(self.reader.readexactly(size), self.timeout)
        except (TimeoutError, ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            return None

    async def recv_until(
        self, done: bytes, limit: int = MAX_READ, timeout: float | None = None
    ) -> bytes:
        """Read until ``done`` appears, the limit is reached, the peer closes or time runs out."""
        buf = bytearray()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (timeout or self.timeout)
        while done not in buf and len(buf) < limit:
            left = deadline - loop.time()
            if left <= 0:
                break
            chunk = await self.recv(min(4096, limit - len(buf)), left)
            if not chunk:
                break
            buf += chunk
        return bytes(buf)

    async def recv_all(self, limit: int = MAX_READ) -> bytes:
        """Read until the peer closes, the limit or the deadline."""
        return await self.recv_until(b"\x00\xff\x00never\x00", limit)


@functools.cache  # built once, shared by every connection: nothing changes it afterwards
def client_tls_context() -> ssl.SSLContext:
    """A context that completes a handshake with anything: we identify, we do not trust."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    # Old appliances (VPN portals above all) still speak TLS 1.0; identification must reach them.
    ctx.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    with contextlib.suppress(ssl.SSLError):
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    return ctx


@contextlib.asynccontextmanager
async def connect(
    ip: str,
    port: int,
    timeout: float,
    *,
    tls: bool = False,
    server_hostname: str | None = None,
) -> AsyncIterator[Conn]:
    """Open a TCP (optionally TLS) connection; raises ``OSError``/``TimeoutError`` on failure."""
    ssl_arg: ssl.SSLContext | None = client_tls_context() if tls else None
    sni = server_hostname if tls and server_hostname else None
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(
            ip, port, ssl=ssl_arg, server_hostname=sni if tls else None, limit=MAX_READ
        ),
        timeout,
    )
    try:
        yield Conn(reader, writer, timeout)
    except BaseException:
        # Cancelled (another probe won the race) or failed: drop the connection at once.
        writer.transport.abort()
        raise
    writer.close()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(writer.wait_closed(), min(timeout, 1.0))


def printable(data: bytes, limit: int = 200) -> str:
    """A short excerpt safe to store and show: printable ASCII, the rest escaped."""
    text = data[:limit].decode("latin-1")
    return "".join(ch if 32 <= ord(ch) < 127 else f"\\x{ord(ch):02x}" for ch in text)
