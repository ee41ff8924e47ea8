"""The syslog receiver: RFC 3164 and RFC 5424 messages over UDP, TCP and TLS → zstd segments.

Transports: UDP, one message per datagram (RFC 5426); TCP with either framing of RFC 6587
— octet counting (``LEN SP MSG``) or a newline after each message — chosen per message by
its first byte; TLS per RFC 5425 (octet counting; newline framing accepted too). Messages
are kept as received, header included: the engine parses RFC 3164 and 5424 headers in SQL
at ingest (:mod:`formats.syslog`). A line feed inside a message is written as ``#012`` (as
rsyslog does) so that one message stays one line.

Segments: messages are appended to ``<spool>/open/<name>.log.zst`` as complete zstd frames
(one per flush, so a killed receiver leaves a readable file); a segment is closed — frame
flushed, fsynced, renamed into ``<spool>/closed/`` — when it reaches ``max_bytes`` of
text or ``max_seconds`` of age. The micro-batch task ingests closed segments; ingest is
idempotent per segment, so a segment ingested twice adds nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import zstandard

__all__ = ["ReceiverConfig", "SegmentSpool", "SyslogReceiver", "recover_open_segments"]

_MAX_MESSAGE = 64 * 1024
_FLUSH_LINES = 2048


@dataclass(frozen=True)
class ReceiverConfig:
    """Where to listen and when to close a segment (ports 0 = any free port)."""

    spool: Path
    host: str = "127.0.0.1"
    udp_port: int | None = 514
    tcp_port: int | None = 514
    tls_port: int | None = None
    tls_context: ssl.SSLContext | None = None
    max_bytes: int = 256 * 1024 * 1024
    max_seconds: float = 300.0


@dataclass
class SegmentSpool:
    """The open segment and the rules that close it."""

    root: Path
    max_bytes: int
    max_seconds: float
    clock: Callable[[], float] = time.monotonic
    _path: Path | None = None
    _opened: float = 0.0
    _bytes: int = 0
    _buffer: list[bytes] = field(default_factory=list)
    _sequence: int = 0
    closed: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        (self.root / "open").mkdir(parents=True, exist_ok=True)
        (self.root / "closed").mkdir(parents=True, exist_ok=True)

    def add(self, message: bytes) -> None:
        """Append one message (framing removed); close the segment when it is full."""
        line = message.rstrip(b"\r\n").replace(b"\n", b"#012")
        if not line:
            return
        if self._path is None:
            self._sequence += 1
            stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
            self._path = (
                self.root / "open" / f"syslog-{stamp}-{os.getpid()}-{self._sequence:06d}.log.zst"
            )
            self._opened = self.clock()
            self._bytes = 0
        self._buffer.append(line + b"\n")
        self._bytes += len(line) + 1
        if len(self._buffer) >= _FLUSH_LINES:
            self.flush()
        if self._bytes >= self.max_bytes:
            self.close()

    def flush(self) -> None:
        """Write the buffered lines as one complete zstd frame and fsync it."""
        if self._path is None or not self._buffer:
            return
        frame = zstandard.ZstdCompressor(level=3).compress(b"".join(self._buffer))
        with self._path.open("ab") as handle:
            handle.write(frame)
            handle.flush()
            os.fsync(handle.fileno())
        self._buffer.clear()

    def close(self) -> Path | None:
        """Close the open segment (if any) into ``closed/``; its new path."""
        if self._path is None:
            return None
        self.flush()
        target = self.root / "closed" / self._path.name
        os.replace(self._path, target)
        self._path = None
        self.closed.append(target)
        return target

    def tick(self) -> Path | None:
        """Close the open segment when it is older than ``max_seconds``."""
        if self._path is not None and self.clock() - self._opened >= self.max_seconds:
            return self.close()
        return None


def recover_open_segments(root: Path) -> list[Path]:
    """After a crash: keep the complete frames of each open segment and close it."""
    recovered = []
    for path in sorted((root / "open").glob("*.log.zst")):
        data = path.read_bytes()
        chunks = []
        reader = zstandard.ZstdDecompressor().stream_reader(data, read_across_frames=True)
        with contextlib.suppress(zstandard.ZstdError):
            while chunk := reader.read(1 << 16):
                chunks.append(chunk)
        good = b"".join(chunks)
        # Only whole lines: a frame cut short loses its unwritten tail, nothing else.
        good = good[: good.rfind(b"\n") + 1]
        target = root / "closed" / path.name
        target.write_bytes(zstandard.ZstdCompressor(level=3).compress(good) if good else b"")
        path.unlink()
        if good:
            recovered.append(target)
        else:
            target.unlink()
    return recovered


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, spool: SegmentSpool) -> None:
        self.spool = spool

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.spool.add(data[:_MAX_MESSAGE])


async def _read_stream(reader: asyncio.StreamReader, spool: SegmentSpool) -> None:
    """RFC 6587 framing, per message: octet counting is ``LEN SP <PRI>…``; anything else
    runs to the next line feed (a plain log line that starts with digits stays whole)."""
    while True:
        first = await reader.read(1)
        if not first:
            return
        if first in b"\r\n\x00":
            continue
        if not first.isdigit():
            spool.add(first + await reader.readline())
            continue
        head = first + await reader.readuntil(b" ")
        if b"\n" in head:  # a line of digits alone, then the next message's start
            line, _, rest = head.partition(b"\n")
            spool.add(line)
            if rest:
                spool.add(rest + await reader.readline())
            continue
        if not head[:-1].isdigit():
            spool.add(head + await reader.readline())
            continue
        pri = await reader.readexactly(1)
        length = int(head[:-1])
        if pri != b"<" or not 0 < length <= _MAX_MESSAGE:
            spool.add(head + pri + await reader.readline())
            continue
        spool.add(pri + await reader.readexactly(length - 1))


@dataclass
class SyslogReceiver:
    """UDP, TCP and TLS listeners feeding one :class:`SegmentSpool`."""

    config: ReceiverConfig
    spool: SegmentSpool | None = None
    ports: dict[str, int] = field(default_factory=dict)
    _closers: list[Callable[[], None]] = field(default_factory=list)
    _servers: list[asyncio.base_events.Server] = field(default_factory=list)

    async def start(self) -> None:
        """Recover crashed segments, then listen (the bound ports land in :attr:`ports`)."""
        cfg = self.config
        recover_open_segments(cfg.spool) if (cfg.spool / "open").exists() else None
        self.spool = self.spool or SegmentSpool(cfg.spool, cfg.max_bytes, cfg.max_seconds)
        spool = self.spool
        loop = asyncio.get_running_loop()
        if cfg.udp_port is not None:
            transport, _ = await loop.create_datagram_endpoint(
                lambda: _Udp(spool), local_addr=(cfg.host, cfg.udp_port)
            )
            self.ports["udp"] = transport.get_extra_info("sockname")[1]
            self._closers.append(transport.close)

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError, ValueError):
                await _read_stream(reader, spool)
            writer.close()

        for name, port, context in (
            ("tcp", cfg.tcp_port, None),
            ("tls", cfg.tls_port, cfg.tls_context),
        ):
            if port is None or (name == "tls" and context is None):
                continue
            server = await asyncio.start_server(handle, cfg.host, port, ssl=context)
            self.ports[name] = server.sockets[0].getsockname()[1]
            self._servers.append(server)

    async def run(self, stop: asyncio.Event, tick_seconds: float = 1.0) -> None:
        """Serve until ``stop`` is set, closing segments by age; close the last one."""
        await self.start()
        assert self.spool is not None
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=tick_seconds)
            self.spool.tick()
        await self.stop()

    async def stop(self) -> None:
        """Stop listening and close the open segment."""
        for close in self._closers:
            close()
        for server in self._servers:
            server.close()
            await server.wait_closed()
        if self.spool is not None:
            self.spool.close()
