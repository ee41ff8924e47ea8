"""Tiny in-process servers for protocols the lab has no Debian package for (RDP, VNC,
MySQL, Elasticsearch, Jenkins...). Each replays a fixed, public protocol fingerprint."""

from __future__ import annotations

import asyncio
import contextlib
import io
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from mamoru.asm.engine.targets import TargetGroup, TargetPlan, parse_target

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@contextlib.asynccontextmanager
async def serve(handler: Handler, ip: str = "127.0.0.1") -> AsyncIterator[int]:
    """Run ``handler`` for each connection on ``ip`` and a free port; yield the port."""

    async def guarded(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await handler(reader, writer)
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    server = await asyncio.start_server(guarded, ip, 0)
    port: int = server.sockets[0].getsockname()[1]
    async with server:
        yield port


def fixed_reply(reply: bytes, *, read_first: bool = True) -> Handler:
    """A server that (optionally reads a request, then) sends ``reply`` and closes."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if read_first:
            await reader.read(4096)
        writer.write(reply)
        await writer.drain()

    return handler


def http_site(pages: dict[str, tuple[int, dict[str, str], bytes]], default: bytes = b"") -> Handler:
    """An HTTP/1.1 server serving ``pages`` (path -> status, headers, body), 404 elsewhere."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        target = head.split(b" ", 2)[1].decode()
        status, headers, body = pages.get(target, (404, {}, default))
        lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await writer.drain()

    return handler


# Shared by several test modules (tests never import each other) --------------------------


@asynccontextmanager
async def listeners(count: int) -> AsyncIterator[list[int]]:
    servers = [
        await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0) for _ in range(count)
    ]
    try:
        yield [server.sockets[0].getsockname()[1] for server in servers]
    finally:
        for server in servers:
            server.close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def loopback_plan(hostname: str | None = None) -> TargetPlan:
    spec = parse_target(hostname or "127.0.0.1")
    if hostname:
        return TargetPlan((TargetGroup(spec, addresses=("127.0.0.1",)),))
    return TargetPlan((TargetGroup(spec, network=spec.network),))


CANARY: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/": (200, {}, b"<title>canary page</title>")
}


async def forward_proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A forward proxy that relays ``GET http://127.0.0.1:PORT/`` — and refuses others."""
    head = await reader.readuntil(b"\r\n\r\n")
    url = head.split(b" ", 2)[1].decode()
    if not url.startswith("http://127.0.0.1:"):
        writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
        return
    port = int(url.split(":")[2].split("/")[0])
    up_reader, up_writer = await asyncio.open_connection("127.0.0.1", port)
    up_writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    writer.write(await up_reader.read())
    up_writer.close()
    await up_writer.wait_closed()


class Captured(io.StringIO):
    def __init__(self, tty: bool = False) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty
