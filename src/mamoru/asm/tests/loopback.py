"""A small lab of real servers on loopback, served by a thread of the test process.

The platform tests scan these through the whole stack (job, engine, results, pages):

* ``ssh``: an SSH server announcing ``OpenSSH_9.2p1 Debian-2+deb12u2`` — the unpatched
  Debian 12 package of regreSSHion (CVE-2024-6387), before DSA-5724-1;
* ``ssh-patched`` (on request): the same package after DSA-5724-1 (``deb12u3``);
* ``web``: an HTTP server that lists its directory and sends no security headers;
* a DNS server (``lab.resolver``) answering from ``lab.zone``, a dict the test may change
  while the lab runs (``{("www.example.lg.jp", "A"): ["127.0.0.1"]}``).

Each server can be stopped on its own (``lab.stop("web")``): a re-scan then finds it gone.
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field

from mamoru.asm.engine.tests.fakedns import fake_dns

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
SSH_BANNER = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2\r\n"
PATCHED_BANNER = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"  # DSA-5724-1 applied
LISTING = (
    b"<html><head><title>Index of /</title></head><body><h1>Index of /</h1>"
    b'<a href="backup.zip">backup.zip</a></body></html>'
)


def _announce(banner: bytes) -> Handler:
    async def ssh(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(banner)
        await writer.drain()
        with contextlib.suppress(OSError, asyncio.TimeoutError):
            await asyncio.wait_for(reader.read(256), 2)

    return ssh


async def _web(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    path = head.split(b" ", 2)[1]
    status, body = (b"200 OK", LISTING) if path == b"/" else (b"404 Not Found", b"not found")
    writer.write(
        b"HTTP/1.1 " + status + b"\r\nServer: nginx\r\nContent-Type: text/html\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body
    )
    await writer.drain()


HANDLERS: dict[str, Handler] = {
    "ssh": _announce(SSH_BANNER),
    "web": _web,
    "ssh-patched": _announce(PATCHED_BANNER),
}
DEFAULT = ("ssh", "web")


@dataclass
class Lab:
    ports: dict[str, int] = field(default_factory=dict)
    ip: str = "127.0.0.1"
    zone: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    resolver: str = ""
    _loop: asyncio.AbstractEventLoop | None = None
    _servers: dict[str, asyncio.Server] = field(default_factory=dict)

    def stop(self, name: str) -> None:
        """Stop one server: its port is closed from now on."""
        assert self._loop is not None
        server = self._servers.pop(name)

        async def close() -> None:
            server.close()
            await server.wait_closed()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)

    @property
    def port_list(self) -> str:
        return ",".join(str(p) for p in self.ports.values())


@contextlib.contextmanager
def loopback_lab(*names: str) -> Iterator[Lab]:
    """Start the named servers (``ssh`` and ``web`` by default) in a thread; stop them at
    the end."""
    lab = Lab()
    ready = threading.Event()
    loop = asyncio.new_event_loop()
    lab._loop = loop

    async def guarded(
        handler: Handler, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            await handler(reader, writer)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    dns_server = contextlib.AsyncExitStack()

    async def start() -> None:
        lab.resolver, _protocol = await dns_server.enter_async_context(fake_dns(lab.zone))
        for name in names or DEFAULT:
            handler = HANDLERS[name]
            server = await asyncio.start_server(functools.partial(guarded, handler), lab.ip, 0)
            lab._servers[name] = server
            lab.ports[name] = server.sockets[0].getsockname()[1]
        ready.set()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, name="asm-loopback-lab", daemon=True)
    thread.start()
    assert ready.wait(10), "the loopback lab did not start"
    try:
        yield lab
    finally:
        for name in list(lab._servers):
            lab.stop(name)
        asyncio.run_coroutine_threadsafe(dns_server.aclose(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
