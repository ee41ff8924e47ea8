"""Tiny in-process servers for protocols the lab has no Debian package for (RDP, VNC,
MySQL, Elasticsearch, Jenkins...). Each replays a fixed, public protocol fingerprint."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

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
