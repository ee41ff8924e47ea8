"""TCP connect port scanning with asyncio: bounded, rate-limited, adaptive, streaming.

Shape of a scan:

* a fixed pool of ``concurrency`` worker tasks bounds how many connects are in flight
  (equivalent to a semaphore, without creating one task per probe);
* a token bucket (GCRA) bounds probes per second, retries included;
* each host keeps an RTT estimate the way TCP does (SRTT/RTTVAR, RFC 6298): probes start
  with the initial timeout and tighten to ``SRTT + 4·RTTVAR`` as answers (SYN-ACK or RST)
  arrive, within a floor and a ceiling; a retry doubles the estimate (within the same
  bounds: a fast host's retries stay on the floor);
* only unanswered probes are retried: a refusal or an ICMP unreachable is an answer;
* jobs are drawn lazily from the targets, a group of hosts at a time, ports interleaved
  across the hosts of a group (so a host sees spaced probes and its RTT estimate exists
  before most of its ports are tried); the target × port product is never built, and
  results are yielded as they come.

States: ``open`` (handshake completed), ``closed`` (RST: ECONNREFUSED/ECONNRESET),
``filtered`` (no answer after retries, or ICMP unreachable / administratively prohibited,
with the reason in ``PortResult.reason``).
"""

from __future__ import annotations

import _socket
import asyncio
import contextlib
import errno
import math
import select
import socket
import struct
import time
from collections.abc import AsyncGenerator, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import NamedTuple, Protocol

from mamoru.asm.engine.model import PortResult, PortState, Target

__all__ = [
    "LoopLag",
    "PortScanConfig",
    "ProbeOutcome",
    "Prober",
    "RttEstimator",
    "TokenBucket",
    "scan_ports",
    "tcp_connect_probe",
]


class ProbeOutcome(NamedTuple):
    """What one connect attempt saw. ``state is None`` means no answer within the timeout."""

    state: PortState | None
    reason: str
    rtt: float | None = None  # seconds, when the host answered


class Prober(Protocol):
    """One connect attempt; :func:`tcp_connect_probe` is the real one, tests inject fakes."""

    async def __call__(self, ip: str, port: int, timeout: float) -> ProbeOutcome: ...


@dataclass(frozen=True, slots=True)
class PortScanConfig:
    """Knobs of a port scan. ``timeout`` is both the initial timeout and the ceiling."""

    concurrency: int = 1000
    rate: float | None = 5000.0  # probes per second (retries included); None: unlimited
    timeout: float = 1.0
    min_timeout: float = 0.1
    retries: int = 1
    host_group: int = 1024

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self.rate is not None and self.rate <= 0:
            raise ValueError("rate must be positive (or None for unlimited)")
        if self.timeout <= 0 or self.min_timeout <= 0:
            raise ValueError("timeouts must be positive")
        if self.retries < 0:
            raise ValueError("retries cannot be negative")
        if self.host_group < 1:
            raise ValueError("host_group must be at least 1")


class RttEstimator:
    """Per-host retransmission timeout, as TCP computes it (RFC 6298), clamped to bounds."""

    __slots__ = ("ceiling", "floor", "initial", "rttvar", "srtt")

    _ALPHA = 1 / 8
    _BETA = 1 / 4
    _GRANULARITY = 0.005

    def __init__(self, initial: float, floor: float, ceiling: float) -> None:
        self.initial = initial
        self.floor = min(floor, ceiling)
        self.ceiling = ceiling
        self.srtt: float | None = None
        self.rttvar = 0.0

    def update(self, sample: float) -> None:
        """Fold in one measured round trip (seconds)."""
        if self.srtt is None:
            self.srtt = sample
            self.rttvar = sample / 2
            return
        self.rttvar = (1 - self._BETA) * self.rttvar + self._BETA * abs(self.srtt - sample)
        self.srtt = (1 - self._ALPHA) * self.srtt + self._ALPHA * sample

    def timeout(self, attempt: int = 0) -> float:
        """The timeout for a probe's ``attempt``-th try: the initial one until the host has
        answered, then ``SRTT + 4·RTTVAR``; each retry doubles it; always within bounds.

        The back-off doubles the host's own estimate, not the floor: a host that answers
        in a millisecond keeps a 100 ms floor on every retry — a hundred round trips — and
        a retry is a new SYN, so waiting longer for it only helps a host that answers late,
        whose estimate the doubling does follow.
        """
        if self.srtt is None:
            rto = self.initial
        else:
            rto = self.srtt + max(self._GRANULARITY, 4 * self.rttvar)
        backed_off: float = rto * 2.0**attempt
        return min(self.ceiling, max(self.floor, backed_off))


class _Alarms:
    """Many timeouts on few timers: deadlines rounded up to ``RESOLUTION``, one timer each.

    ``loop.call_at`` per probe costs a heap entry (compared in Python) and leaves a
    cancelled handle behind every time the answer comes first; here a probe only appends
    its future to the list of its 5 ms slot, and one timer per slot resolves those still
    waiting with ``False``. A deadline is never met early, at most ``RESOLUTION`` late.
    """

    __slots__ = ("_slots",)

    RESOLUTION = 0.005

    def __init__(self) -> None:
        self._slots: dict[int, list[asyncio.Future[bool]]] = {}

    def add(
        self, loop: asyncio.AbstractEventLoop, when: float, waiter: asyncio.Future[bool]
    ) -> None:
        """Resolve ``waiter`` with ``False`` at ``when`` (loop time) unless done before."""
        key = math.ceil(when / self.RESOLUTION)
        slot = self._slots.get(key)
        if slot is None:
            self._slots[key] = [waiter]
            loop.call_at(key * self.RESOLUTION, self._fire, key)
        else:
            slot.append(waiter)

    def _fire(self, key: int) -> None:
        for waiter in self._slots.pop(key, ()):
            if not waiter.done():
                waiter.set_result(False)


class TokenBucket:
    """Rate limit as a generic cell rate algorithm: ``rate`` per second, bursts of ``burst``.

    Each caller reserves the next free slot and sleeps until it; no lock is needed because
    the reservation happens synchronously in the event loop. Sleepers share one timer per
    5 ms (never waking before their slot), not one each.
    """

    __slots__ = ("_alarms", "_interval", "_tat", "_tolerance")

    def __init__(self, rate: float, burst: float | None = None) -> None:
        self._interval = 1.0 / rate
        # a small burst lets the first probes of a scan go out at once without exceeding
        # the rate over any second
        burst = burst if burst is not None else max(1.0, rate / 100)
        self._tolerance = (burst - 1) * self._interval
        self._tat = 0.0
        self._alarms = _Alarms()

    async def acquire(self) -> None:
        """Wait until one more probe may be sent."""
        now = time.monotonic()
        tat = max(self._tat, now)
        self._tat = tat + self._interval
        delay = tat - now - self._tolerance
        if delay > 0:
            loop = asyncio.get_running_loop()
            waiter: asyncio.Future[bool] = loop.create_future()
            self._alarms.add(loop, loop.time() + delay, waiter)
            await waiter


class LoopLag:
    """How late the event loop runs callbacks, measured by a heartbeat that oversleeps.

    A connect's measured round trip includes the time the answer waited for the loop (a
    busy or CPU-starved process adds tens or hundreds of milliseconds). Timeouts need not
    cover that wait: asyncio handles I/O events before due timers, so an answer already
    received always wins over its timeout. The scan therefore subtracts the current lag
    from each sample, keeping the estimate close to the network's own round trip.
    """

    __slots__ = ("value",)

    INTERVAL = 0.005

    def __init__(self) -> None:
        self.value = 0.0

    async def run(self) -> None:
        """Measure forever (cancel to stop)."""
        loop = asyncio.get_running_loop()
        while True:
            expected = loop.time() + self.INTERVAL
            await asyncio.sleep(self.INTERVAL)
            self.value = max(0.0, loop.time() - expected)


_CLOSED_REASONS = {errno.ECONNREFUSED: "conn-refused", errno.ECONNRESET: "reset"}
_UNREACHABLE_REASONS = {
    errno.EHOSTUNREACH: "host-unreach",
    errno.ENETUNREACH: "net-unreach",
    errno.EHOSTDOWN: "host-down",
    errno.ENETDOWN: "net-down",
    errno.EACCES: "admin-prohibited",
    errno.EPERM: "admin-prohibited",
}
# Local shortages (descriptors, ephemeral ports, buffers): not a property of the target,
# so the probe waits and tries again instead of reporting a state.
_LOCAL_SHORTAGE = {errno.EMFILE, errno.ENFILE, errno.EADDRNOTAVAIL, errno.ENOBUFS, errno.EAGAIN}
_LINGER_ABORT = struct.pack("ii", 1, 0)  # close with RST: no TIME_WAIT left behind
_NO_RESPONSE = ProbeOutcome(None, "no-response")


def _classify(error: int, rtt: float) -> ProbeOutcome:
    if error == 0:
        return ProbeOutcome(PortState.OPEN, "syn-ack", rtt)
    if error in _CLOSED_REASONS:
        return ProbeOutcome(PortState.CLOSED, _CLOSED_REASONS[error], rtt)
    if error in _UNREACHABLE_REASONS:
        return ProbeOutcome(PortState.FILTERED, _UNREACHABLE_REASONS[error], rtt)
    if error == errno.ETIMEDOUT:
        return ProbeOutcome(None, "no-response")
    raise OSError(error, f"connect failed: {errno.errorcode.get(error, error)}")


def _resolve_waiter(waiter: asyncio.Future[bool], connected: bool) -> None:
    if not waiter.done():
        waiter.set_result(connected)


async def _wait_writable(sock: socket.socket, timeout: float) -> bool:
    loop = asyncio.get_running_loop()
    waiter: asyncio.Future[bool] = loop.create_future()
    fd = sock.fileno()
    loop.add_writer(fd, _resolve_waiter, waiter, True)
    timer = loop.call_later(timeout, _resolve_waiter, waiter, False)
    try:
        return await waiter
    finally:
        loop.remove_writer(fd)
        timer.cancel()


def _open_socket(family: socket.AddressFamily) -> socket.socket | None:
    try:
        sock = socket.socket(family, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
    except OSError as error:
        if error.errno in _LOCAL_SHORTAGE:
            return None
        raise
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_ABORT)
    return sock


async def tcp_connect_probe(ip: str, port: int, timeout: float) -> ProbeOutcome:
    """Attempt one TCP handshake with ``ip:port`` and say what happened.

    Uses a raw non-blocking socket and the event loop's writer callback rather than
    streams: a probe needs no buffers, and this path is several times cheaper.
    """
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    while True:
        sock = _open_socket(family)
        if sock is None:
            await asyncio.sleep(0.05)
            continue
        with sock:
            loop = asyncio.get_running_loop()
            started = loop.time()
            error = sock.connect_ex((ip, port))
            if error == errno.EINPROGRESS:
                if not await _wait_writable(sock, timeout):
                    return ProbeOutcome(None, "no-response")
                error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if error in _LOCAL_SHORTAGE:
                await asyncio.sleep(0.05)
                continue
            return _classify(error, loop.time() - started)


class _EpollProber:
    """The scan's own prober: :func:`tcp_connect_probe` with two C calls of bookkeeping.

    The asyncio selector's ``add_writer``/``remove_writer`` cost a dozen Python calls per
    socket. This prober keeps its own epoll (one-shot registrations, dropped by the kernel
    when the socket closes), watched by the event loop as one readable descriptor, and
    its timeouts on :class:`_Alarms`. Create and :meth:`close` it inside the running loop.
    """

    __slots__ = ("_alarms", "_epoll", "_loop", "_waiters")

    _EVENTS = select.EPOLLOUT | select.EPOLLONESHOT

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._epoll = select.epoll()
        self._waiters: dict[int, asyncio.Future[bool]] = {}
        self._alarms = _Alarms()
        self._loop.add_reader(self._epoll.fileno(), self._ready)

    def close(self) -> None:
        """Stop watching and release the epoll descriptor."""
        self._loop.remove_reader(self._epoll.fileno())
        self._epoll.close()

    def _ready(self) -> None:
        pop = self._waiters.pop
        for fd, _ in self._epoll.poll(0):
            waiter = pop(fd, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(True)

    async def _connect(
        self, sock: _socket.socket, ip: str, port: int, timeout: float
    ) -> int | None:
        loop = self._loop
        error = sock.connect_ex((ip, port))
        if error != errno.EINPROGRESS:
            return error
        fd = sock.fileno()
        waiter = loop.create_future()
        self._waiters[fd] = waiter
        try:
            self._epoll.register(fd, self._EVENTS)
            self._alarms.add(loop, loop.time() + timeout, waiter)
            if not await waiter:
                return None
        finally:
            self._waiters.pop(fd, None)
        return sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)

    async def __call__(self, ip: str, port: int, timeout: float) -> ProbeOutcome:
        family = socket.AF_INET6 if ":" in ip else socket.AF_INET
        while True:
            try:
                sock = _socket.socket(family, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
            except OSError as failure:
                if failure.errno not in _LOCAL_SHORTAGE:
                    raise
                await asyncio.sleep(0.05)
                continue
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_ABORT)
                started = self._loop.time()
                code = await self._connect(sock, ip, port, timeout)
            finally:
                sock.close()
            if code is None:
                return _NO_RESPONSE
            if code in _LOCAL_SHORTAGE:
                await asyncio.sleep(0.05)
                continue
            return _classify(code, self._loop.time() - started)


class _Host:
    __slots__ = ("ports", "rtt", "target")

    def __init__(self, target: Target, ports: tuple[int, ...], rtt: RttEstimator) -> None:
        self.target = target
        self.ports = ports
        self.rtt = rtt


def _jobs(
    items: Iterable[tuple[Target, tuple[int, ...]]], config: PortScanConfig
) -> Iterator[tuple[_Host, int]]:
    source = iter(items)
    while group := list(islice(source, config.host_group)):
        hosts = [
            _Host(target, ports, RttEstimator(config.timeout, config.min_timeout, config.timeout))
            for target, ports in group
        ]
        del group
        longest = max(len(host.ports) for host in hosts)
        for index in range(longest):
            for host in hosts:
                if index < len(host.ports):
                    yield host, host.ports[index]


class _Done(NamedTuple):
    error: BaseException | None


class _Scan:
    def __init__(self, config: PortScanConfig, prober: Prober) -> None:
        self.config = config
        self.prober = prober
        self.bucket = TokenBucket(config.rate) if config.rate else None
        self.lag = LoopLag()

    async def probe(self, host: _Host, port: int) -> PortResult:
        target = host.target
        for attempt in range(self.config.retries + 1):
            timeout = host.rtt.timeout(attempt)
            if self.bucket is not None:
                await self.bucket.acquire()
            outcome = await self.prober(target.ip, port, timeout)
            if outcome.state is None:
                continue
            rtt_ms = None
            if outcome.rtt is not None:
                host.rtt.update(max(0.0, outcome.rtt - self.lag.value))
                rtt_ms = round(outcome.rtt * 1000, 3)
            return PortResult(
                target.ip,
                port,
                outcome.state,
                rtt_ms=rtt_ms,
                hostname=target.hostname,
                reason=outcome.reason,
            )
        return PortResult(
            target.ip, port, PortState.FILTERED, hostname=target.hostname, reason="no-response"
        )

    async def worker(
        self, jobs: Iterator[tuple[_Host, int]], queue: asyncio.Queue[PortResult | _Done]
    ) -> None:
        # Workers share one lazy iterator; next() runs synchronously, so it is never
        # entered twice at once.
        for host, port in jobs:
            await queue.put(await self.probe(host, port))

    async def supervise(
        self, workers: list[asyncio.Task[None]], queue: asyncio.Queue[PortResult | _Done]
    ) -> None:
        error: BaseException | None = None
        try:
            await asyncio.gather(*workers)
        except Exception as failure:  # a prober bug or an unexpected OS error
            error = failure
            for worker in workers:
                worker.cancel()
        await queue.put(_Done(error))


async def scan_ports(
    items: Iterable[tuple[Target, tuple[int, ...]]],
    config: PortScanConfig | None = None,
    *,
    prober: Prober | None = None,
) -> AsyncGenerator[PortResult, None]:
    """Probe every (target, port) of ``items`` and yield one :class:`PortResult` per pair.

    ``items`` pairs each target with its ports (``TargetPlan.items`` makes them) and is
    consumed lazily. Results come in completion order. Closing the iterator early stops
    the scan and releases every socket. ``prober`` replaces the real TCP connect (tests).
    """
    config = config or PortScanConfig()
    own: _EpollProber | None = None
    if prober is None or prober is tcp_connect_probe:
        prober = own = _EpollProber()
    scan = _Scan(config, prober)
    queue: asyncio.Queue[PortResult | _Done] = asyncio.Queue(maxsize=config.concurrency)
    jobs = _jobs(items, config)
    workers = [asyncio.create_task(scan.worker(jobs, queue)) for _ in range(config.concurrency)]
    supervisor = asyncio.create_task(scan.supervise(workers, queue))
    heartbeat = asyncio.create_task(scan.lag.run())
    try:
        while True:
            item = await queue.get()
            if isinstance(item, _Done):
                if item.error is not None:
                    raise item.error
                return
            yield item
    finally:
        for task in (*workers, supervisor, heartbeat):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*workers, supervisor, heartbeat, return_exceptions=True)
        if own is not None:
            own.close()
